"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol (indirect identification).

``?graph=IRI`` names a graph, ``?default`` the store's own default graph, and no parameter
the whole dataset.  GET streams a graph in Turtle, N-Triples, JSON-LD or RDF/XML, and the
dataset in TriG, N-Quads or JSON-LD, chosen by ``Accept`` (or ``format=``), streamed by the
store (``ServedStore.dump``: pyoxigraph's ``dump``, or a remote server's own Graph Store answer
passed through pyoxigraph's parser and serialiser: no copy of the graph in Python).
PUT replaces a graph, POST adds to it (to the store itself: a new graph, whose IRI comes
back in ``Location``), DELETE drops it; each write needs the bearer token
(``auth.write_refusal``), is one transaction, and answers 201 when it created the graph,
204 otherwise.  An unknown graph is a 404.  Writes go through the store's ``update``, so
``/sparql`` sees them at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import quote

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from kg.config import Settings
from kg.web.auth import write_refusal
from kg.web.bodies import media_type, read_body
from kg.web.consistency import store_lock
from kg.web.formats import DATASET_FORMATS, GRAPH_FORMATS, FormatRefused, ResultFormat, pick
from kg.web.responses import HTTPProblem, problem_response
from kg.web.streaming import ThreadedStream

if TYPE_CHECKING:
    from kg.store import GraphStore
    from kg.web.served_store import ServedStore


@dataclass(frozen=True)
class Target:
    """What a request is about: one named graph (``iri``), the default graph, or (neither) the dataset."""

    iri: str | None = None
    default: bool = False

    @property
    def dataset(self) -> bool:
        return self.iri is None and not self.default

    def node(self) -> ox.NamedNode | ox.DefaultGraph:
        return ox.DefaultGraph() if self.iri is None else ox.NamedNode(self.iri)

    def sparql(self) -> str:
        """The graph as SPARQL Update names it."""
        return "DEFAULT" if self.iri is None else f"GRAPH <{self.iri}>"


def graph_store_endpoint(store: GraphStore, settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    """The ``/store`` handler (GET, HEAD, PUT, POST, DELETE)."""

    async def endpoint(request: Request) -> Response:
        try:
            target = _target(request)
            if request.method in ("GET", "HEAD"):
                return await _read(store, request, target)
            refusal = write_refusal(request, settings.update_token)
            if refusal is not None:
                return refusal
            return await _write(store, request, target, settings)
        except HTTPProblem as problem:
            return problem_response(problem.status, problem.message)

    return endpoint


def _target(request: Request) -> Target:
    graphs = request.query_params.getlist("graph")
    default = "default" in request.query_params
    if graphs and default:
        raise HTTPProblem(400, "give either ?default or ?graph=IRI, not both")
    if len(graphs) > 1:
        raise HTTPProblem(400, "give one ?graph=IRI per request")
    if not graphs:
        return Target(default=default)
    try:
        ox.NamedNode(graphs[0])
    except ValueError as error:
        raise HTTPProblem(400, f"graph {graphs[0]!r} is not an absolute IRI: {error}") from None
    return Target(iri=graphs[0])


# -- reading ----------------------------------------------------------------------------------------


async def _read(store: ServedStore, request: Request, target: Target) -> Response:
    offered = DATASET_FORMATS if target.dataset else GRAPH_FORMATS
    try:
        chosen = pick(offered, request.query_params.getlist("format"), request.headers.get("accept"),
                      "the dataset" if target.dataset else "a graph")
    except FormatRefused as refused:
        raise HTTPProblem(406, str(refused)) from None
    if target.iri is not None and not await run_in_threadpool(_exists, store, target):
        raise HTTPProblem(404, f"no graph <{target.iri}> in the store (GET /store lists the dataset)")
    headers = {"Vary": "Accept"}
    if request.method == "HEAD":
        return Response(media_type=chosen.content_type, headers=headers)
    stream = ThreadedStream(lambda out: _dump(store, target, chosen, out))
    first = await stream.first()
    return StreamingResponse(stream.rest(first), media_type=chosen.content_type, headers=headers)


def _dump(store: ServedStore, target: Target, chosen: ResultFormat, out: BinaryIO) -> None:
    assert isinstance(chosen.serializer, ox.RdfFormat)
    store.dump(out, chosen.serializer, None if target.dataset else target.node())


def _exists(store: ServedStore, target: Target) -> bool:
    return target.iri is None or store.has_graph(target.iri)


# -- writing ----------------------------------------------------------------------------------------


async def _write(store: GraphStore, request: Request, target: Target, settings: Settings) -> Response:
    if request.method == "DELETE":
        return await _delete(store, target)
    if target.dataset and request.method == "PUT":
        raise HTTPProblem(400, "PUT needs a graph: ?graph=IRI or ?default")
    triples = await _read_triples(request, target, settings.max_upload_bytes)
    if target.dataset:  # POST to the store itself: a new graph, named here
        created = Target(iri=f"urn:uuid:{uuid.uuid4()}")
        await _apply(store, _insert(created, triples))
        location = str(request.url.replace(query=f"graph={quote(created.iri or '', safe='')}"))
        return Response(status_code=201, headers={"Location": location})
    existed = await run_in_threadpool(_exists, store, target)
    replace = f"DROP SILENT {target.sparql()} ;\n" if request.method == "PUT" else ""
    await _apply(store, replace + _insert(target, triples))
    return Response(status_code=204 if existed else 201)


async def _delete(store: GraphStore, target: Target) -> Response:
    if target.dataset:
        raise HTTPProblem(400, "DELETE needs a graph: ?graph=IRI or ?default")
    if not await run_in_threadpool(_exists, store, target):
        raise HTTPProblem(404, f"no graph <{target.iri}> in the store")
    await _apply(store, f"DROP {target.sparql()}")
    return Response(status_code=204)


async def _read_triples(request: Request, target: Target, limit: int) -> bytes:
    """The upload as N-Triples (checked by pyoxigraph's parser), ready to go into an INSERT DATA."""
    content_type = media_type(request)
    rdf_format = ox.RdfFormat.from_media_type(content_type) if content_type else None
    if rdf_format is None:
        accepted = ", ".join(f.media_type for f in GRAPH_FORMATS)
        raise HTTPProblem(415, f"unsupported Content-Type {content_type or '(none)'!r}: "
                               f"send RDF as {accepted}")
    body = await read_body(request, limit, "KG_MAX_UPLOAD_BYTES")
    base = target.iri or str(request.url.replace(query="", fragment=""))
    return await run_in_threadpool(_as_ntriples, body, rdf_format, base)


def _as_ntriples(body: bytes, rdf_format: ox.RdfFormat, base: str) -> bytes:
    try:
        quads = list(ox.parse(body, format=rdf_format, base_iri=base))
    except SyntaxError as error:
        raise HTTPProblem(400, f"the {rdf_format.name} body does not parse: {error}") from None
    if any(not isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
        raise HTTPProblem(400, "the body names graphs: send the triples of one graph (Turtle, N-Triples...)")
    return ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b""


def _insert(target: Target, triples: bytes) -> str:
    """Create the graph (so an empty upload still makes one) and insert the triples, as one update."""
    text = triples.decode("utf-8")
    if target.iri is None:
        return f"INSERT DATA {{\n{text}}}"
    return f"CREATE SILENT {target.sparql()} ;\nINSERT DATA {{ {target.sparql()} {{\n{text}}} }}"


async def _apply(store: GraphStore, update: str) -> None:
    from kg.store import StoreError

    try:
        async with store_lock(store).writing():
            await run_in_threadpool(store.update, update)
    except StoreError as error:
        raise HTTPProblem(500, str(error)) from None
