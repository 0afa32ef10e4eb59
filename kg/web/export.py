"""``/export``: the whole graph, or one document's graph, as a file to download.

The store writes the export (``ServedStore.export``: pyoxigraph's ``dump``, or its serialiser fed
from the store's own iterator, over the embedded store; the server's Graph Store answer passed
through over a remote one); it is streamed from a worker thread so a large store never sits in
memory and the event loop stays free.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from kg.namespaces import LT
from kg.web.responses import HTTPProblem, problem_response
from kg.web.streaming import ThreadedStream

if TYPE_CHECKING:
    from kg.web.served_store import ServedStore


@dataclass(frozen=True)
class ExportFormat:
    content_type: str
    extension: str


EXPORT_CONTENT_TYPES = {
    "turtle": ExportFormat("text/turtle; charset=utf-8", "ttl"),
    "trig": ExportFormat("application/trig", "trig"),
    "ntriples": ExportFormat("application/n-triples", "nt"),
    "nquads": ExportFormat("application/n-quads", "nq"),
    "jsonld": ExportFormat("application/ld+json", "jsonld"),
}
DEFAULT_FORMAT = "turtle"
_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def export_endpoint(store: ServedStore) -> Callable[[Request], Awaitable[Response]]:
    """The ``/export`` handler bound to ``store``."""

    async def endpoint(request: Request) -> Response:
        try:
            return await _export(store, request)
        except HTTPProblem as problem:
            return problem_response(problem.status, problem.message)

    return endpoint


async def _export(store: ServedStore, request: Request) -> Response:
    from kg.store import StoreError

    fmt = request.query_params.get("format", DEFAULT_FORMAT)
    if fmt not in EXPORT_CONTENT_TYPES:
        raise HTTPProblem(400, f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_CONTENT_TYPES)}")
    document = request.query_params.get("document") or None
    if document is not None:
        _check_iri(document)

    def write(out: BinaryIO) -> None:
        if document is not None and not _is_document(store, document):
            raise HTTPProblem(404, f"no document {document} in the store (GraphQL 'documents' lists them)")
        store.export(out, fmt, document)

    stream = ThreadedStream(write)
    try:
        first = await stream.first()
    except StoreError as error:
        raise HTTPProblem(400, str(error)) from None
    chosen = EXPORT_CONTENT_TYPES[fmt]
    filename = f"{_file_stem(document)}.{chosen.extension}"
    return StreamingResponse(
        stream.rest(first),
        media_type=chosen.content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _is_document(store: ServedStore, document: str) -> bool:
    """Asked before the export so an unknown document is a 404, not an empty file."""
    return bool(store.query(f"ASK {{ GRAPH <{document}> {{ <{document}> a <{LT.iri_of('Article')}> }} }}",
                            union_default_graph=False))


def _check_iri(document: str) -> None:
    try:
        ox.NamedNode(document)
    except ValueError as error:
        raise HTTPProblem(400, f"document {document!r} is not an absolute IRI: {error}") from None


def _file_stem(document: str | None) -> str:
    """``legal-timeline`` for the whole store, else the last segment of the document IRI, made safe."""
    if document is None:
        return "legal-timeline"
    last = re.split(r"[/#:]", document.rstrip("/#"))[-1]
    return _UNSAFE_IN_FILENAME.sub("-", last).strip("-.") or "document"
