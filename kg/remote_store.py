"""A SPARQL 1.1 server as the knowledge graph's store, behind the same interface as ``GraphStore``.

For a graph that outgrows one machine, or a team that already runs Oxigraph server, Apache
Jena Fuseki, GraphDB, QLever or Virtuoso: ``--store http://host:7878`` (or ``KG_STORE``)
sends every read and write over HTTP instead of opening an embedded Oxigraph.

* queries go to the SPARQL 1.1 Protocol endpoint (``{url}/query``), answers come back as
  pyoxigraph result objects (``QuerySolutions``, ``QueryBoolean``, ``QueryTriples``), so
  callers cannot tell the two stores apart;
* writes are SPARQL 1.1 Updates (``{url}/update``): one request per batch of documents,
  each document's ``DROP SILENT GRAPH`` + ``INSERT DATA`` inside it, applied by the
  server as one transaction: every document is wholly there or wholly absent;
* exports and the Graph Store door read the Graph Store Protocol endpoint (``{url}/store``)
  when there is one (the whole dataset in N-Quads, a graph in N-Triples), else a
  CONSTRUCT, streamed through pyoxigraph's parser and serialiser: no copy of the graph in
  memory;
* the web server's SPARQL doors send each query to the server as it came
  (``kg.web.remote_queries``, with ``query_request``), under the same time limit and size cap.

The paths are Oxigraph server's; other servers name them differently (Fuseki:
``/ds/query``, ``/ds/update``, ``/ds/data``) and are reached with the constructor's
arguments.  The default graph of our queries is the union of the named graphs: the
``union-default-graph`` parameter asks Oxigraph for it; elsewhere configure the dataset so
(GraphDB, Virtuoso and QLever do it by default, Fuseki with ``unionDefaultGraph``).

``RemoteStore`` subclasses ``GraphStore`` so every consumer typed against the store takes
either, and both satisfy ``kg.web.served_store.ServedStore``, what the web layer uses; what
only an embedded Oxigraph can do (``raw``, ``snapshot``) fails with a ``StoreError`` saying so.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from http.client import HTTPResponse
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlencode

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from kg.models import Extraction
from kg.namespaces import LT, ONTOLOGY_GRAPH, PREFIXES, sparql_prefixes
from kg.rdf import document_iri, extraction_to_quads
from kg.reconcile import anchors
from kg.resources import resource_path
from kg.store import (
    EXPORT_FORMATS,
    GraphStore,
    IngestResult,
    PreparedDocument,
    StoreError,
    graph_hash_of,
)

MAX_UPDATE_BYTES = 8 * 1024 * 1024  # per request: a batch is split between documents beyond it
_RESULTS = "application/sparql-results+json"
_PREFIX_LINES = sparql_prefixes().count("\n")
_SERVER_SYNTAX = re.compile(r"error at (\d+):(\d+)")
#: What a query asks of the server: SPARQL results for SELECT/ASK, N-Triples for CONSTRUCT/DESCRIBE.
QUERY_ACCEPT = f"{_RESULTS}, application/n-triples;q=0.9"


@dataclass(frozen=True)
class QueryRequest:
    """One SPARQL Protocol query request (POST ``application/sparql-query``), ready to send."""

    url: str
    body: bytes
    headers: dict[str, str]


class RemoteStore(GraphStore):
    """The knowledge graph in a SPARQL 1.1 server (Query, Update, and the Graph Store Protocol if any)."""

    def __init__(
        self,
        url: str,
        *,
        query_path: str = "query",
        update_path: str = "update",
        store_path: str | None = "store",
        timeout: float = 300.0,
    ) -> None:
        self.url = url.rstrip("/")
        self.path = None
        self._store = None
        self._ontology_current = False
        self.recovered: list[str] = []
        self._endpoints = {"query": query_path, "update": update_path, "store": store_path}
        self._timeout = timeout
        self._open = True
        self._ask("ASK { }")  # a wrong URL fails here, with its reason, not at the first write

    # -- writing -----------------------------------------------------------------------------------

    def ingest(self, extraction: Extraction) -> IngestResult:
        """Replace the article's graph by this extraction in one update; skip identical content."""
        try:
            quads = extraction_to_quads(extraction, extracted_at=datetime.now(UTC))
        except ValueError as error:
            article = extraction.article.id
            raise StoreError(f"cannot map article {article!r} to RDF: {_one_line(error)}") from None
        doc = document_iri(extraction.article.id)
        fingerprint = next(q.object for q in quads if q.predicate == LT("graphHash"))
        if self._ask(f"ASK {{ GRAPH <{doc}> {{ ?activity <{LT.iri_of('graphHash')}> {fingerprint} }} }}"):
            return IngestResult(doc, self._count(doc), replaced=False, unchanged=True)
        replaced = self._ask(f"ASK {{ GRAPH <{doc}> {{ ?s ?p ?o }} }}")
        nquads = serialize(quads, format=RdfFormat.N_QUADS) or b""
        self.write_documents([PreparedDocument(doc, nquads, len(quads), graph_hash_of(quads))])
        return IngestResult(doc, len(quads), replaced=replaced, unchanged=False)

    def write_documents(self, documents: Sequence[PreparedDocument]) -> None:
        """Replace the documents' graphs, a batch per SPARQL Update (one transaction on the server).

        A batch bigger than ``MAX_UPDATE_BYTES`` goes in several updates, cut between
        documents: each document stays whole in one of them.
        """
        before = anchors(self.query, [document.iri for document in documents])
        parts = [] if self._ontology_current else self._ontology_update()
        size = sum(map(len, parts))
        for document in documents:
            part = _replace_graph_text(document.iri, parse(document.nquads, format=RdfFormat.N_QUADS))
            if parts and size + len(part) > MAX_UPDATE_BYTES:
                self.update(" ;\n".join(parts))
                parts, size = [], 0
            parts.append(part)
            size += len(part)
        if parts:
            self.update(" ;\n".join(parts))
        self._ontology_current = True
        self._reconcile([document.iri for document in documents], before)

    def delete_document(self, iri: str) -> bool:
        """Drop the article's graph; False when there is no such document."""
        if not self._is_document(iri):
            return False
        before = anchors(self.query, [iri])
        self.update(f"DROP SILENT GRAPH <{iri}>")
        self._reconcile([], before)
        return True

    def update(self, sparql: str) -> None:
        """Send a SPARQL Update, our prefixes predeclared; the server applies it as one transaction."""
        body = (sparql_prefixes() + sparql).encode("utf-8")
        with self._send("update", body, "application/sparql-update", "*/*", "SPARQL update failed"):
            pass
        self.generation += 1

    # -- reading -----------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        union_default_graph: bool = True,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> QuerySolutions | QueryTriples | QueryBoolean:
        """Run a query on the server; the answer as the embedded store would give it.

        A CONSTRUCT or DESCRIBE result is loaded into a small in-memory Oxigraph to be
        handed back as ``QueryTriples``: fine for the results a caller iterates over, not
        for exporting a whole graph (``export`` streams instead).
        """
        params = _dataset_params(union_default_graph, default_graphs, named_graphs)
        body = (sparql_prefixes() + sparql).encode("utf-8")
        with self._send("query", body, "application/sparql-query", QUERY_ACCEPT, "SPARQL query failed",
                        params) as response:
            kind = response.headers.get_content_type()
            data = response.read()
        if kind == "application/n-triples":
            triples = Store()
            triples.load(data, RdfFormat.N_TRIPLES)
            return triples.query("CONSTRUCT WHERE { ?s ?p ?o }")
        if kind != _RESULTS:
            raise StoreError(f"{self.url}: the server answered a query with {kind}, not SPARQL results")
        return parse_query_results(data, format=QueryResultsFormat.JSON)

    def query_request(
        self, sparql: str, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None
    ) -> QueryRequest:
        """The request ``query`` would send (the default graph the union unless graphs are named), for
        a caller that sends it itself: the web server's query door, which streams the answer."""
        params = _dataset_params(True, default_graphs, named_graphs)
        url = f"{self.url}/{self._endpoints['query']}" + (f"?{urlencode(params)}" if params else "")
        return QueryRequest(url, (sparql_prefixes() + sparql).encode("utf-8"),
                            {"Content-Type": "application/sparql-query", "Accept": QUERY_ACCEPT})

    def export(self, out: BinaryIO, fmt: str = "turtle", document: str | None = None) -> None:
        """Stream the store (or one document's graph) in ``fmt``, as ``GraphStore.export`` does."""
        if fmt not in EXPORT_FORMATS:
            raise StoreError(f"unknown export format {fmt!r} (one of: {', '.join(EXPORT_FORMATS)})")
        rdf_format = EXPORT_FORMATS[fmt]
        if document is not None and not self._is_document(document):
            raise StoreError(f"no document {document} in the store")
        graph = None if document is None else NamedNode(document)
        if graph is None and not rdf_format.supports_datasets:
            if self._endpoints["store"] is None:  # the server's CONSTRUCT makes the union
                self._write(self._construct(None), out, rdf_format)
                return
            with self._read_rdf(None) as (response, source_format):
                self._serialize(_union_triples(parse(response, format=source_format)), out, rdf_format)
            return
        with self._read_rdf(graph) as (response, source_format):
            statements: Iterable[Quad] = parse(response, format=source_format)
            if rdf_format.supports_datasets and graph is not None:
                statements = _in_graph(statements, graph)
            self._serialize(statements, out, rdf_format)

    def dump(self, out: BinaryIO, rdf_format: RdfFormat, graph: NamedNode | DefaultGraph | None) -> None:
        """Write one graph (``graph``) or the whole dataset (None), read from the server as it streams."""
        self._write(self._read_rdf(graph), out, rdf_format)

    def has_graph(self, iri: str) -> bool:
        """True when the server holds the named graph ``iri`` (empty too, if the server keeps those)."""
        return self._ask(f"ASK {{ GRAPH {_node(iri)} {{ }} }}")

    def snapshot(self, target: Path) -> None:
        raise StoreError(f"the store is the SPARQL server {self.url}: it has no local snapshot; "
                         "send queries to the server")

    # -- lifecycle ---------------------------------------------------------------------------------

    @property
    def raw(self) -> Store:
        raise StoreError(f"the store is the SPARQL server {self.url}, not an embedded Oxigraph")

    def flush(self) -> None:
        """Nothing to do: the server made each update durable before answering it."""

    def optimize(self) -> None:
        """Nothing to do: the server keeps its own storage in shape."""

    def close(self) -> None:
        self._open = False

    # -- helpers -----------------------------------------------------------------------------------

    def _ontology_update(self) -> list[str]:
        """The update that (re)loads the ontology graph, or none when the server's is the file's."""
        path = resource_path("ontology/legal-timeline.ttl")
        try:
            ontology = parse(path=path, format=RdfFormat.TURTLE)
            wanted = {Triple(t.subject, t.predicate, t.object) for t in ontology}
        except (OSError, SyntaxError) as error:
            raise StoreError(f"cannot read the ontology {path}: {_one_line(error)}") from None
        stored = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}")
        assert isinstance(stored, QueryTriples)
        return [] if set(stored) == wanted else [_replace_graph_text(ONTOLOGY_GRAPH, wanted)]

    def _send(
        self, endpoint: str, body: bytes | None, content_type: str | None, accept: str, failure: str,
        params: Sequence[tuple[str, str]] = (), method: str = "POST",
    ) -> HTTPResponse:
        """One HTTP request; an HTTP error or an unreachable server as a one-line StoreError."""
        if not self._open:
            raise StoreError("the store is closed")
        path = self._endpoints[endpoint]
        url = f"{self.url}/{path}" + (f"?{urlencode(params)}" if params else "")
        headers = {"Accept": accept, **({"Content-Type": content_type} if content_type else {})}
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            response: HTTPResponse = urllib.request.urlopen(request, timeout=self._timeout)
        except urllib.error.HTTPError as error:
            detail = server_message(error.read(4000)) or error.reason
            raise StoreError(f"{failure}: {detail} (HTTP {error.code} from {url})") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise StoreError(f"cannot reach the SPARQL server {self.url}: {_one_line(str(reason))}") from None
        return response

    def _read_rdf(self, graph: NamedNode | DefaultGraph | None) -> _Streamed:
        """The response streaming ``graph`` (None: the whole dataset) and the format it is in.

        The Graph Store Protocol when the server has it, else a CONSTRUCT of the graph
        (a dataset, with its graph names, needs the Graph Store Protocol).
        """
        if self._endpoints["store"] is not None:
            if graph is None:
                params, kind, source = [], "n-quads", RdfFormat.N_QUADS
            else:
                name = ("default", "") if isinstance(graph, DefaultGraph) else ("graph", graph.value)
                params, kind, source = [name], "n-triples", RdfFormat.N_TRIPLES
            response = self._send("store", None, None, f"application/{kind}", "export failed", params, "GET")
            return _Streamed(response, source)
        if graph is None:
            raise StoreError(f"exporting every graph with its name needs the Graph Store Protocol "
                             f"endpoint of {self.url}; use --format turtle or ntriples")
        return self._construct(graph)

    def _construct(self, graph: NamedNode | DefaultGraph | None) -> _Streamed:
        """A CONSTRUCT streaming ``graph``'s triples as N-Triples; None: the union of every graph."""
        where = "?s ?p ?o" if not isinstance(graph, NamedNode) else f"GRAPH {graph} {{ ?s ?p ?o }}"
        body = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}".encode()
        params = [("union-default-graph", "")] if graph is None else []
        response = self._send("query", body, "application/sparql-query", "application/n-triples",
                              "export failed", params)
        return _Streamed(response, RdfFormat.N_TRIPLES)

    def _write(self, streamed: _Streamed, out: BinaryIO, rdf_format: RdfFormat) -> None:
        with streamed as (response, source_format):
            self._serialize(parse(response, format=source_format), out, rdf_format)

    @staticmethod
    def _serialize(
        statements: Iterable[Quad] | Iterable[Triple], out: BinaryIO, rdf_format: RdfFormat
    ) -> None:
        try:
            serialize(statements, out, rdf_format, prefixes=PREFIXES)
        except (OSError, SyntaxError) as error:
            raise StoreError(f"export failed: {_one_line(error)}") from None


class _Streamed:
    """A response to stream RDF from, closed after use: ``with store._read_rdf(...) as (response, fmt)``."""

    def __init__(self, response: HTTPResponse, rdf_format: RdfFormat) -> None:
        self.response, self.format = response, rdf_format

    def __enter__(self) -> tuple[HTTPResponse, RdfFormat]:
        return self.response, self.format

    def __exit__(self, *exc: object) -> None:
        self.response.close()



def _dataset_params(
    union_default_graph: bool, default_graphs: list[str] | None, named_graphs: list[str] | None
) -> list[tuple[str, str]]:
    """The SPARQL Protocol's dataset parameters; Oxigraph's ``union-default-graph`` when none is named."""
    params = [("default-graph-uri", g) for g in default_graphs or []]
    params += [("named-graph-uri", g) for g in named_graphs or []]
    if union_default_graph and default_graphs is None:
        params.append(("union-default-graph", ""))
    return params


def server_message(body: bytes) -> str:
    """A server's error answer as one line, positions counted in the caller's query (without our prefixes)."""
    return _shift_position(_one_line(body.decode("utf-8", "replace")))


def _node(iri: str) -> str:
    try:
        return str(NamedNode(iri))
    except ValueError:
        raise StoreError(f"not a valid IRI: {iri!r}") from None


def _union_triples(quads: Iterable[Quad]) -> Iterator[Triple]:
    """The quads' triples, graph after graph: the union of the graphs, streamed (a triple stated in
    two graphs is written twice, as ``GraphStore.export`` does: the same RDF graph to any reader)."""
    for quad in quads:
        yield quad.triple


def _in_graph(statements: Iterable[Quad], graph: NamedNode) -> Iterator[Quad]:
    for statement in statements:
        yield Quad(statement.subject, statement.predicate, statement.object, graph)


def _replace_graph_text(graph: str, statements: Iterable[Triple | Quad]) -> str:
    """``DROP SILENT GRAPH`` then ``INSERT DATA``: the graph's new content, in one update's text."""
    body = "".join(f"{s.subject} {s.predicate} {s.object} .\n" for s in statements)
    return f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}"


def _shift_position(detail: str) -> str:
    """Oxigraph's ``error at L:C`` counts our prefix lines: give the line in the caller's text."""
    match = _SERVER_SYNTAX.search(detail)
    if match is None or int(match.group(1)) <= _PREFIX_LINES:
        return detail
    line = int(match.group(1)) - _PREFIX_LINES
    where = f"syntax error at line {line}, column {match.group(2)}"
    return f"{detail[:match.start()]}{where}{detail[match.end():]}"


def _one_line(text: object) -> str:
    return " ".join(str(text).split())
