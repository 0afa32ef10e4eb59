"""The on-disk (or in-memory) Oxigraph store: one named graph per article.

Every write of an article is one SPARQL Update (``DROP SILENT GRAPH`` then
``INSERT DATA``), which Oxigraph applies as one transaction: a reader sees
the old graph or the new one, never a half-written article, and a crash
leaves the old one in place.  ``extend``/``bulk_extend`` after a separate
``DROP`` would not be atomic together, hence the single update.

Errors leave this module as :class:`StoreError` with a one-line message, so
the CLI and the web layer can show them without a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from pyoxigraph import (
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    parse,
    serialize,
)

from kg.models import Extraction
from kg.namespaces import LT, ONTOLOGY_GRAPH, PREFIXES
from kg.rdf import document_iri, extraction_to_quads
from kg.resources import resource_path


class StoreError(Exception):
    """A store operation failed; the message is one line meant for the user."""


class StoreLocked(StoreError):
    """Another process (or another open GraphStore) holds the on-disk store."""


EXPORT_FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "trig": RdfFormat.TRIG,
    "ntriples": RdfFormat.N_TRIPLES,
    "nquads": RdfFormat.N_QUADS,
    "jsonld": RdfFormat.JSON_LD,
}

_SYNTAX = re.compile(r"^error at (\d+):(\d+): ?(.*)$", re.DOTALL)


@dataclass(frozen=True)
class IngestResult:
    document: str
    triples: int
    replaced: bool
    unchanged: bool


@dataclass(frozen=True)
class DocumentInfo:
    iri: str
    title: str
    published: str
    triples: int


class GraphStore:
    """The knowledge graph: articles in, SPARQL and RDF exports out."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._store: Store | None = Store() if path is None else _open(path)
        self._ontology_current = False

    # -- writing -----------------------------------------------------------------------------------

    def ingest(self, extraction: Extraction) -> IngestResult:
        """Replace the article's graph by this extraction, in one transaction; skip identical content."""
        store = self.raw
        try:
            quads = extraction_to_quads(extraction, extracted_at=datetime.now(UTC))
        except ValueError as error:  # an inconsistent extraction (dangling relation, bad source IRI)
            article = extraction.article.id
            raise StoreError(f"cannot map article {article!r} to RDF: {_one_line(error)}") from None
        doc = document_iri(extraction.article.id)
        fingerprint = next(q.object for q in quads if q.predicate == LT("graphHash"))
        updates = [] if self._ontology_current else self._ontology_update()
        same = f"ASK {{ GRAPH <{doc}> {{ ?activity <{LT.iri_of('graphHash')}> {fingerprint} }} }}"
        unchanged = self._ask(same)
        replaced = not unchanged and store.contains_named_graph(NamedNode(doc))
        if not unchanged:
            updates.append(_replace_graph(doc, quads))
        if updates:
            try:
                store.update(" ;\n".join(updates))
            except OSError as error:
                raise StoreError(f"cannot write {doc}: {_one_line(error)}") from None
        self._ontology_current = True
        if unchanged:
            return IngestResult(doc, self._count(doc), replaced=False, unchanged=True)
        return IngestResult(doc, len(quads), replaced=replaced, unchanged=False)

    def delete_document(self, iri: str) -> bool:
        """Drop the article's graph (its events and its view of actors and acts); False if absent."""
        if not self._is_document(iri):
            return False
        try:
            self.raw.update(f"DROP SILENT GRAPH {_node(iri)}")
        except OSError as error:
            raise StoreError(f"cannot delete {iri}: {_one_line(error)}") from None
        return True

    # -- reading -----------------------------------------------------------------------------------

    def documents(self) -> list[DocumentInfo]:
        """Every article in the store, oldest first, with its graph's size."""
        rows = self.query(
            f"""SELECT ?g ?title ?issued (COUNT(*) AS ?n) WHERE {{
              GRAPH ?g {{ ?g a <{LT.iri_of('Article')}> ;
                             <http://purl.org/dc/terms/title> ?title ;
                             <http://purl.org/dc/terms/issued> ?issued .
                         ?s ?p ?o }}
            }} GROUP BY ?g ?title ?issued ORDER BY ?issued ?g""",
            union_default_graph=False,
        )
        assert isinstance(rows, QuerySolutions)
        return [
            DocumentInfo(row["g"].value, row["title"].value, row["issued"].value, int(row["n"].value))
            for row in rows
        ]

    def is_empty(self) -> bool:
        """True when no article graph is stored (the ontology graph alone does not count)."""
        return not self._ask(f"ASK {{ GRAPH ?g {{ ?g a <{LT.iri_of('Article')}> }} }}")

    def query(
        self,
        sparql: str,
        *,
        union_default_graph: bool = True,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> QuerySolutions | QueryTriples | QueryBoolean:
        """Run a SPARQL query; the default graph is the union of all graphs unless graphs are given.

        Our PREFIXES are predeclared (a query's own PREFIX wins).  In the union
        default graph a triple stored in two article graphs (a shared actor's
        name) is seen twice: use DISTINCT or GROUP BY.
        """
        options: dict[str, object] = {"prefixes": PREFIXES}
        try:
            if default_graphs is not None:
                options["default_graph"] = [NamedNode(g) for g in default_graphs]
            else:
                options["use_default_graph_as_union"] = union_default_graph
            if named_graphs is not None:
                options["named_graphs"] = [NamedNode(g) for g in named_graphs]
        except ValueError as error:
            raise StoreError(f"invalid graph IRI: {_one_line(error)}") from None
        try:
            return self.raw.query(sparql, **options)  # type: ignore[arg-type]
        except SyntaxError as error:
            raise StoreError(_syntax_message(error)) from None
        except (OSError, ValueError, RuntimeError) as error:
            raise StoreError(f"SPARQL query failed: {_one_line(error)}") from None

    def export(self, out: BinaryIO, fmt: str = "turtle", document: str | None = None) -> None:
        """Write the whole store, or one article's graph, in ``fmt``.

        Quad formats (trig, nquads, jsonld) keep the graph names.  Triple
        formats (turtle, ntriples) write one graph: the article's, or, for the
        whole store, the union of every graph (articles and ontology), each
        triple once.
        """
        if fmt not in EXPORT_FORMATS:
            raise StoreError(f"unknown export format {fmt!r} (one of: {', '.join(EXPORT_FORMATS)})")
        rdf_format, store = EXPORT_FORMATS[fmt], self.raw
        try:
            if document is not None:
                if not self._is_document(document):
                    raise StoreError(f"no document {document} in the store")
                graph = NamedNode(document)
                if rdf_format.supports_datasets:
                    serialize(store.quads_for_pattern(None, None, None, graph), out, rdf_format,
                              prefixes=PREFIXES)
                else:
                    store.dump(out, rdf_format, from_graph=graph, prefixes=PREFIXES)
            elif rdf_format.supports_datasets:
                store.dump(out, rdf_format, prefixes=PREFIXES)
            else:
                union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                    use_default_graph_as_union=True)
                assert isinstance(union, QueryTriples)
                serialize(union, out, rdf_format, prefixes=PREFIXES)
        except OSError as error:
            raise StoreError(f"export failed: {_one_line(error)}") from None

    # -- lifecycle ---------------------------------------------------------------------------------

    @property
    def raw(self) -> Store:
        """The underlying pyoxigraph Store, for what this class does not wrap."""
        if self._store is None:
            raise StoreError("the store is closed")
        return self._store

    def flush(self) -> None:
        """Make every write durable now rather than when RocksDB's background threads get to it."""
        try:
            self.raw.flush()
        except OSError as error:
            raise StoreError(f"cannot flush the store: {_one_line(error)}") from None

    def close(self) -> None:
        """Flush and release the store (and its on-disk lock); later calls raise StoreError."""
        if self._store is not None:
            self.flush()
            self._store = None

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    # -- helpers -----------------------------------------------------------------------------------

    def _ask(self, sparql: str) -> bool:
        result = self.query(sparql, union_default_graph=False)
        assert isinstance(result, QueryBoolean)
        return bool(result)

    def _count(self, graph: str) -> int:
        rows = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert isinstance(rows, QuerySolutions)
        return int(next(iter(rows))["n"].value)

    def _is_document(self, iri: str) -> bool:
        node = _node(iri)
        return self._ask(f"ASK {{ GRAPH {node} {{ {node} a <{LT.iri_of('Article')}> }} }}")

    def _ontology_update(self) -> list[str]:
        """The update that (re)loads the ontology graph, or none when the stored one is the file's."""
        graph = NamedNode(ONTOLOGY_GRAPH)
        path = resource_path("ontology/legal-timeline.ttl")
        try:
            wanted = [Quad(t.subject, t.predicate, t.object, graph)
                      for t in parse(path=path, format=RdfFormat.TURTLE)]
        except (OSError, SyntaxError) as error:
            raise StoreError(f"cannot read the ontology {path}: {_one_line(error)}") from None
        stored = set(self.raw.quads_for_pattern(None, None, None, graph))
        return [] if stored == set(wanted) else [_replace_graph(ONTOLOGY_GRAPH, wanted)]


def _open(path: Path) -> Store:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot create the store directory {path}: {error.strerror}") from None
    try:
        return Store(str(path))
    except OSError as error:
        if "lock" in str(error).lower():
            raise StoreLocked(
                f"the store {path} is in use by another process (or another open store): "
                "stop it or choose another store path"
            ) from None
        raise StoreError(f"cannot open the store {path}: {_one_line(error)}") from None


def _replace_graph(graph: str, quads: list[Quad]) -> str:
    """One SPARQL Update text: drop the graph and insert its new content (one transaction)."""
    body = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)
    return f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}"


def _node(iri: str) -> str:
    try:
        return str(NamedNode(iri))
    except ValueError:
        raise StoreError(f"not a valid IRI: {iri!r}") from None


def _syntax_message(error: SyntaxError) -> str:
    """``SPARQL syntax error at line L, column C: ...`` from Oxigraph's ``error at L:C: ...``."""
    text = _one_line(error)
    match = _SYNTAX.match(text)
    if match is None:
        return f"SPARQL syntax error: {text}"
    line, column, detail = match.groups()
    return f"SPARQL syntax error at line {line}, column {column}: {detail}"


def _one_line(error: BaseException | str) -> str:
    return " ".join(str(error).split())

