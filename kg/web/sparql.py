"""``/sparql``: the SPARQL 1.1 Protocol query operation over the graph store.

GET ``?query=``, POST form (``query=``) and POST ``application/sparql-query`` are read into
one ``SparqlRequest``; the query runs in a worker thread (pyoxigraph releases the GIL, and
a synchronous call here would stall every other request) which also serialises the result
with pyoxigraph's own writers, streamed to the client.  The default graph is the union of the document graphs
unless ``default-graph-uri`` names graphs.  Queries with ``SERVICE`` are refused because
pyoxigraph would follow them to any host (see ``service_guard``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from kg.web.negotiation import choose
from kg.web.responses import HTTPProblem, problem_response
from kg.web.service_guard import ServiceRefused, refuse_service
from kg.web.streaming import ThreadedStream

if TYPE_CHECKING:
    from kg.store import GraphStore

MAX_BODY_BYTES = 1024 * 1024
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@dataclass(frozen=True)
class ResultFormat:
    """One serialisation the endpoint offers: what to call it, what to send, who writes it."""

    name: str
    media_type: str
    serializer: ox.QueryResultsFormat | ox.RdfFormat
    aliases: tuple[str, ...] = ()  # other media types and ``format=`` values that mean this one
    charset: bool = False

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type

    def names(self) -> tuple[str, ...]:
        return (self.name, self.media_type, *self.aliases)


# In order of preference: the first is the default, and wins ties in the Accept header.
SOLUTION_FORMATS = (
    ResultFormat("json", "application/sparql-results+json", ox.QueryResultsFormat.JSON,
                 ("application/json", "srj")),
    ResultFormat("xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML,
                 ("application/xml", "srx")),
    ResultFormat("csv", "text/csv", ox.QueryResultsFormat.CSV, charset=True),
    ResultFormat("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV, charset=True),
)
GRAPH_FORMATS = (
    ResultFormat("turtle", "text/turtle", ox.RdfFormat.TURTLE,
                 ("application/x-turtle", "application/turtle", "ttl", "n3"), charset=True),
    ResultFormat("ntriples", "application/n-triples", ox.RdfFormat.N_TRIPLES, ("nt", "n-triples")),
    ResultFormat("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD,
                 ("json-ld", "json", "application/json")),
    ResultFormat("rdfxml", "application/rdf+xml", ox.RdfFormat.RDF_XML,
                 ("rdf+xml", "xml", "application/xml")),
)

_FORM = "application/x-www-form-urlencoded"
_SPARQL_QUERY = "application/sparql-query"


@dataclass(frozen=True)
class SparqlRequest:
    """What a protocol request asks for, whichever of the three ways it came in."""

    query: str
    default_graphs: list[str]
    named_graphs: list[str]
    formats: list[str]  # ``format=`` values, which override the Accept header


def sparql_endpoint(store: GraphStore) -> Callable[[Request], Awaitable[Response]]:
    """The ``/sparql`` handler bound to ``store``."""

    async def endpoint(request: Request) -> Response:
        try:
            return await _answer(store, request)
        except HTTPProblem as problem:
            return problem_response(problem.status, problem.message)

    return endpoint


async def _answer(store: GraphStore, request: Request) -> Response:
    sparql = await read_sparql_request(request)
    try:
        # Not in the writer thread's call chain: rdflib's parser leaves garbage cycles holding
        # its callers' frames, which must not be frames that will later hold pyoxigraph results.
        await run_in_threadpool(refuse_service, sparql.query)
    except ServiceRefused as refused:
        raise HTTPProblem(400, str(refused)) from None
    accept = request.headers.get("accept")
    chosen: list[ResultFormat] = []

    def write(out: BinaryIO) -> None:
        # pyoxigraph results are bound to the thread that ran the query: run, negotiate and
        # serialise in the same (writer) thread.
        result = _run_query(store, sparql)
        chosen.append(_result_format(result, sparql.formats, accept))
        _serialize(result, chosen[0].serializer, out)

    stream = ThreadedStream(write)
    try:
        first = await stream.first()
    except HTTPProblem:
        raise
    except Exception as error:  # an evaluation failure surfaces on the first read
        raise HTTPProblem(500, f"query failed: {error}") from None
    return StreamingResponse(
        stream.rest(first), media_type=chosen[0].content_type, headers={"Vary": "Accept"}
    )


def _serialize(result: QueryResult, serializer: ox.QueryResultsFormat | ox.RdfFormat, out: BinaryIO) -> None:
    """pyoxigraph's own writer; ``_result_format`` only pairs graphs with RDF formats and solutions with
    result formats."""
    if isinstance(result, ox.QueryTriples):
        assert isinstance(serializer, ox.RdfFormat)
        result.serialize(out, serializer)
    else:
        assert isinstance(serializer, ox.QueryResultsFormat)
        result.serialize(out, serializer)


def _run_query(store: GraphStore, sparql: SparqlRequest) -> QueryResult:
    from kg.store import StoreError

    try:
        return store.query(
            sparql.query,
            union_default_graph=not sparql.default_graphs,
            default_graphs=sparql.default_graphs or None,
            named_graphs=sparql.named_graphs or None,
        )
    except StoreError as error:
        raise HTTPProblem(400, str(error)) from None


async def read_sparql_request(request: Request) -> SparqlRequest:
    """The query, dataset and format of a GET, form POST or ``application/sparql-query`` POST."""
    params = list(request.query_params.multi_items())
    body_query: list[str] = []
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _read_body(request)
        if content_type == _FORM:
            params += parse_qsl(body, keep_blank_values=True)
        elif content_type == _SPARQL_QUERY:
            body_query = [body]
        else:
            raise HTTPProblem(
                400, f"unsupported Content-Type {content_type or '(none)'!r}: send {_SPARQL_QUERY} or {_FORM}"
            )
    values = _grouped(params)
    queries = body_query + values.get("query", [])
    if "update" in values:
        raise HTTPProblem(400, "SPARQL Update is not accepted here: this endpoint only answers queries")
    if len(queries) > 1:
        raise HTTPProblem(400, "the query was given more than once: send exactly one 'query'")
    if not queries or not queries[0].strip():
        raise HTTPProblem(400, "missing SPARQL query: send it as the 'query' parameter")
    return SparqlRequest(
        query=queries[0],
        default_graphs=_graph_iris(values, "default-graph-uri"),
        named_graphs=_graph_iris(values, "named-graph-uri"),
        formats=values.get("format", []),
    )


async def _read_body(request: Request) -> str:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise HTTPProblem(413, f"request body larger than {MAX_BODY_BYTES} bytes")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise HTTPProblem(400, f"request body is not UTF-8 (byte {error.start})") from None


def _grouped(params: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in params:
        grouped.setdefault(name, []).append(value)
    return grouped


def _graph_iris(values: dict[str, list[str]], name: str) -> list[str]:
    """The IRIs of a dataset parameter, each checked so a typo is a 400, not an empty result."""
    iris = values.get(name, [])
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError as error:
            raise HTTPProblem(400, f"{name} {iri!r} is not an absolute IRI: {error}") from None
    return iris


def _result_format(result: QueryResult, formats: list[str], accept: str | None) -> ResultFormat:
    """How to write ``result``: a ``format=`` value if given, else the Accept header (406 if none fits)."""
    graph = isinstance(result, ox.QueryTriples)
    offered = GRAPH_FORMATS if graph else SOLUTION_FORMATS
    kind = "CONSTRUCT/DESCRIBE" if graph else "SELECT/ASK"
    available = ", ".join(f.media_type for f in offered)
    if formats:
        wanted = [value.strip().lower() for value in formats]
        for value in wanted:
            for candidate in offered:
                if value in candidate.names():
                    return candidate
        raise HTTPProblem(406, f"format={formats[0]!r} cannot carry a {kind} result; use one of {available}")
    by_media_type = {media: f for f in offered for media in (f.media_type, *f.aliases) if "/" in media}
    media = choose(accept, list(by_media_type))
    if media is None:
        raise HTTPProblem(
            406, f"no acceptable media type for a {kind} result (Accept: {accept}); offered: {available}"
        )
    return by_media_type[media]
