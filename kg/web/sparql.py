"""``/sparql``: the SPARQL 1.1 Protocol query operation over the graph store.

GET ``?query=``, POST form (``query=``) and POST ``application/sparql-query`` are read into
one ``SparqlRequest``; the query runs in a worker process of the ``QueryPool`` (which
enforces the time limit and the result-size cap) and the answer is sent with the status
decided before its first byte.  The default graph is the union of every graph (the article
graphs, the ontology graph and the store's own default graph, which ``/store?default``
reads alone) unless ``default-graph-uri`` names graphs.
Queries with ``SERVICE`` are refused unless the endpoint is allow-listed (``service_guard``).
A GET without any parameter answers the SPARQL Service Description.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

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


def sparql_endpoint(pool: QueryPool, settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    """The ``/sparql`` handler running queries in ``pool``."""

    async def endpoint(request: Request) -> Response:
        try:
            if request.method in ("GET", "HEAD") and not request.url.query:
                return service_description(request, settings)
            sparql = await read_sparql_request(request, settings.max_query_bytes)
            await check_service(sparql.query, settings)
            job = QueryJob(sparql.query, sparql.default_graphs or None, sparql.named_graphs or None,
                           tuple(sparql.formats), request.headers.get("accept"))
            return query_response(await pool.run(job))
        except HTTPProblem as problem:
            return problem_response(problem.status, problem.message)

    return endpoint


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
    """The query, dataset and format of a GET, form POST or ``application/sparql-query`` POST."""
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
    values = _grouped(params)
    queries = body_query + values.get("query", [])
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
