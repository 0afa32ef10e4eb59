"""``/sparql``: the SPARQL 1.1 Protocol query operation over the graph store.

GET ``?query=``, POST form (``query=``) and POST ``application/sparql-query`` are read into
one ``SparqlRequest``; the query runs in a worker process of the ``QueryPool`` (which
enforces the time limit and the result-size cap) and the answer is sent with the status
decided before its first byte.  The default graph is the union of every graph (the article
graphs, the ontology graph and the store's own default graph, which ``/store?default``
reads alone) unless ``default-graph-uri`` names graphs.
Queries with ``SERVICE`` are refused unless the endpoint is allow-listed (``service_guard``).
A GET without any parameter answers the SPARQL Service Description.

The endpoint is a plain ASGI app rather than a Starlette request handler: a small query's
answer costs the server less than the framework's request and response wrapping did, so a
GET is read straight from the ASGI scope (a POST, rarer, still goes through ``Request``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.types import Receive, Scope, Send

from kg.config import Settings
from kg.web.bodies import decode_utf8, media_type, read_body
from kg.web.description import service_description
from kg.web.query_pool import QueryAnswer, QueryJob, QueryPool
from kg.web.responses import HTTPProblem, problem_response
from kg.web.service_guard import ServiceRefused, needs_check, refuse_service

_FORM = "application/x-www-form-urlencoded"
_SPARQL_QUERY = "application/sparql-query"


@dataclass(frozen=True)
class SparqlRequest:
    """What a protocol request asks for, whichever of the three ways it came in."""

    query: str
    default_graphs: list[str]
    named_graphs: list[str]
    formats: list[str]  # ``format=`` values, which override the Accept header


class SparqlEndpoint:
    """The ``/sparql`` ASGI app, running queries in ``pool``."""

    def __init__(self, pool: QueryPool, settings: Settings) -> None:
        self._pool = pool
        self._settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self._respond(scope, receive)
        await response(scope, receive, send)

    async def _respond(self, scope: Scope, receive: Receive) -> Response:
        try:
            if scope["method"] == "POST":
                sparql = await read_sparql_request(Request(scope, receive), self._settings.max_query_bytes)
            elif query_string := scope["query_string"].decode("latin-1"):
                sparql = sparql_request(parse_qsl(query_string, keep_blank_values=True))
            else:
                return service_description(Request(scope, receive), self._settings)
            await check_service(sparql.query, self._settings)
            job = QueryJob(sparql.query, sparql.default_graphs or None, sparql.named_graphs or None,
                           tuple(sparql.formats), _header(scope, b"accept"))
            return query_response(await self._pool.run(job))
        except HTTPProblem as problem:
            return problem_response(problem.status, problem.message)


def sparql_endpoint(pool: QueryPool, settings: Settings) -> SparqlEndpoint:
    """The ``/sparql`` app running queries in ``pool`` (a Starlette ``Route`` takes it as is)."""
    return SparqlEndpoint(pool, settings)


def _header(scope: Scope, name: bytes) -> str | None:
    """The first value of the request header ``name`` (lower case), as Starlette's ``Headers`` reads it."""
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def check_service(query: str, settings: Settings) -> None:
    """400 for a SERVICE call that is not allow-listed; parsed off the event loop, and only if needed."""
    if not needs_check(query):
        return
    try:
        # Not in a thread that later holds pyoxigraph results: rdflib's parser leaves garbage cycles
        # holding its callers' frames.  (Queries run in worker processes, so no such thread here.)
        await run_in_threadpool(refuse_service, query, settings.service_allow)
    except ServiceRefused as refused:
        raise HTTPProblem(400, str(refused)) from None


def query_response(answer: QueryAnswer) -> Response:
    """The response to a worker's answer: the result (from memory or its spill file) or a one-line error."""
    if answer.status != 200:
        return problem_response(answer.status, answer.message)
    headers = {"Vary": "Accept"}
    if answer.file is not None:
        return FileResponse(answer.file, media_type=answer.content_type, headers=headers,
                            background=BackgroundTask(answer.file.unlink, missing_ok=True))
    return Response(answer.body, media_type=answer.content_type, headers=headers)


async def read_sparql_request(request: Request, max_bytes: int) -> SparqlRequest:
    """The query, dataset and format of a form POST or ``application/sparql-query`` POST (or a GET)."""
    params = list(request.query_params.multi_items())
    body_query: list[str] = []
    if request.method == "POST":
        content_type = media_type(request)
        if content_type not in (_FORM, _SPARQL_QUERY):
            raise HTTPProblem(
                400, f"unsupported Content-Type {content_type or '(none)'!r}: send {_SPARQL_QUERY} or {_FORM}"
            )
        body = decode_utf8(await read_body(request, max_bytes, "KG_MAX_QUERY_BYTES"))
        if content_type == _FORM:
            params += parse_qsl(body, keep_blank_values=True)
        else:
            body_query = [body]
    return sparql_request(params, body_query)


def sparql_request(params: Sequence[tuple[str, str]], body_query: Sequence[str] = ()) -> SparqlRequest:
    """The request the protocol parameters ``params`` (and a query sent as the body) make, or a 400."""
    values = _grouped(params)
    queries = [*body_query, *values.get("query", [])]
    if "update" in values:
        raise HTTPProblem(400, "SPARQL Update is not accepted here: POST it to /update")
    if len(queries) > 1:
        raise HTTPProblem(400, "the query was given more than once: send exactly one 'query'")
    if not queries or not queries[0].strip():
        raise HTTPProblem(400, "missing SPARQL query: send it as the 'query' parameter")
    return SparqlRequest(
        query=queries[0],
        default_graphs=graph_iris(values, "default-graph-uri"),
        named_graphs=graph_iris(values, "named-graph-uri"),
        formats=values.get("format", []),
    )


def _grouped(params: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in params:
        grouped.setdefault(name, []).append(value)
    return grouped


def graph_iris(values: dict[str, list[str]], name: str) -> list[str]:
    """The IRIs of a dataset parameter, each checked so a typo is a 400, not an empty result."""
    iris = values.get(name, [])
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError as error:
            raise HTTPProblem(400, f"{name} {iri!r} is not an absolute IRI: {error}") from None
    return iris
