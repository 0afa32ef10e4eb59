"""The on-disk (or in-memory) Oxigraph store: one named graph per article.

Every write of an article is one SPARQL Update (``DROP SILENT GRAPH`` then
``INSERT DATA``), which Oxigraph applies as one transaction: a reader sees
the old graph or the new one, never a half-written article, and a crash
leaves the old one in place.  ``extend``/``bulk_extend`` after a separate
``DROP`` would not be atomic together, hence the single update.

A real event, actor or legal act read in several articles has one IRI
(``kg.identity``), and each article's statements about it stay in that
article's graph: replacing or deleting an article touches no other graph, and
the content hash of each graph (``lt:graphHash``) depends on its article alone.

Errors leave this module as :class:`StoreError` with a one-line message, so
the CLI and the web layer can show them without a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, cast

from pyoxigraph import (
    DefaultGraph,
    Literal,
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

from kg.models import Article, Extraction
from kg.namespaces import DCTERMS, ID, LT, ONTOLOGY_GRAPH, PREFIXES, PROV
from kg.rdf import document_iri, extraction_to_quads
from kg.reconcile import Anchors, anchors, reconcile
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


@dataclass(frozen=True)
class PreparedDocument:
    """One article's graph mapped to N-Quads (in a worker process), every quad in graph ``iri``.

    Bytes rather than Quad objects: they cross the process boundary cheaply and the writer
    hands them to Oxigraph's parser without building a Python object per quad.
    """

    iri: str
    nquads: bytes
    triples: int
    graph_hash: str


@dataclass(frozen=True)
class StoredDocument:
    """What the store holds of one article, enough to skip it before extraction (``document_states``)."""

    source: str  # source_fingerprint of the article the graph was made from
    graph_hash: str


class GraphStore:
    """The knowledge graph: articles in, SPARQL and RDF exports out."""

    #: Counts the writes made through this object, so readers of snapshots (the SPARQL query
    #: workers of ``kg.web.query_pool``) know when the one they read is out of date.
    generation = 0

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._store: Store | None = Store() if path is None else _open(path)
        self._ontology_current = False
        self._read_only = False
        # A writer killed inside a batch leaves pending graphs: drop them before anyone reads one.
        self.recovered: list[str] = []
        if path is not None:
            self.recover_interrupted_writes()

    @classmethod
    def open_read_only(cls, path: Path) -> GraphStore:
        """A store that only reads ``path``, a snapshot: each SPARQL query worker opens one.

        Oxigraph lets any number of processes open a directory read-only, but only while
        nobody writes to it, which is why the workers read snapshots and not the live store.
        """
        try:
            raw = Store.read_only(str(path))
        except OSError as error:
            raise StoreError(f"cannot open the store {path} read-only: {_one_line(error)}") from None
        store = cls()
        store.path, store._store, store._ontology_current = path, raw, True
        store._read_only = True
        return store

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
        before = anchors(self.query, [doc]) if replaced else None
        if not unchanged:
            updates.append(_replace_graph(doc, quads))
        if updates:
            try:
                store.update(" ;\n".join(updates))
            except OSError as error:
                raise StoreError(f"cannot write {doc}: {_one_line(error)}") from None
            self.generation += 1
        self._ontology_current = True
        if not unchanged:
            self._reconcile([doc], before)
        if unchanged:
            return IngestResult(doc, self._count(doc), replaced=False, unchanged=True)
        return IngestResult(doc, len(quads), replaced=replaced, unchanged=False)

    def delete_document(self, iri: str) -> bool:
        """Drop the article's graph (its view of events, actors and acts; other articles keep theirs)."""
        if not self._is_document(iri):
            return False
        before = anchors(self.query, [iri])
        try:
            self.raw.update(f"DROP SILENT GRAPH {_node(iri)}")
        except OSError as error:
            raise StoreError(f"cannot delete {iri}: {_one_line(error)}") from None
        self.generation += 1
        self._reconcile([], before)
        return True

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update as one transaction, our prefixes predeclared; failures as StoreError."""
        try:
            self.raw.update(sparql, prefixes=PREFIXES)
        except SyntaxError as error:
            raise StoreError(_syntax_message(error)) from None
        except (OSError, ValueError, RuntimeError) as error:
            raise StoreError(f"SPARQL update failed: {_one_line(error)}") from None
        self.generation += 1

    def _reconcile(self, documents: Sequence[str], before: Anchors | None) -> None:
        """Merge what identity keys alone cannot (``kg.reconcile``) after a write, in updates of its own."""
        reconcile(self.query, self.update, documents, before)

    # -- corpus writes -----------------------------------------------------------------------------

    def write_documents(self, documents: Sequence[PreparedDocument]) -> None:
        """Replace the graphs of ``documents`` with Oxigraph's bulk loader, each one whole or absent.

        ``bulk_load`` is four times faster than a transaction but is not one, so the batch
        is bracketed by a journal: one transaction records the batch's graphs as pending and
        drops their old versions; the bulk load writes them; a second transaction clears
        the journal.  Should the process die in between, ``recover_interrupted_writes``
        (run when the store is opened and by every corpus ingest) drops the pending graphs, so a
        document is never left half written, only absent until it is ingested again.
        """
        if not documents:
            return
        journal = f"<{_JOURNAL_GRAPH}>"
        iris = [document.iri for document in documents]
        pending = " , ".join(f"<{document.iri}>" for document in documents)
        begin = [
            *([] if self._ontology_current else self._ontology_update()),
            f"INSERT DATA {{ GRAPH {journal} {{ {journal} <{_JOURNAL_PENDING}> {pending} }} }}",
            *(f"DROP SILENT GRAPH <{document.iri}>" for document in documents),
        ]
        try:
            before = anchors(self.query, iris)
            self.raw.update(" ;\n".join(begin))
            self.raw.bulk_load(b"".join(document.nquads for document in documents), RdfFormat.N_QUADS)
            reconcile(self.query, self.raw.update, iris, before)  # before the journal ends: redone if cut
            self.raw.update(f"DROP SILENT GRAPH {journal}")
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(f"cannot write {len(documents)} document(s) starting with "
                             f"{documents[0].iri}: {_one_line(error)}") from None
        finally:
            self.generation += 1
        self._ontology_current = True

    def recover_interrupted_writes(self) -> list[str]:
        """Drop the graphs an interrupted ``write_documents`` may have left half written; their IRIs.

        Run when an on-disk store is opened and before every corpus ingest; every graph it
        dropped since the store was opened is also listed in ``recovered``.
        """
        rows = self.query(f"SELECT ?g WHERE {{ GRAPH <{_JOURNAL_GRAPH}> {{ ?j <{_JOURNAL_PENDING}> ?g }} }}",
                          union_default_graph=False)
        assert isinstance(rows, QuerySolutions)
        pending = sorted(row["g"].value for row in rows)
        if pending:
            before = anchors(self.query, pending)
            self.update(" ;\n".join([*(f"DROP SILENT GRAPH <{iri}>" for iri in pending),
                                     f"DROP SILENT GRAPH <{_JOURNAL_GRAPH}>"]))
            self._reconcile([], before)  # merges the dropped graphs' reports took part in are undone
            self.recovered.extend(pending)
        return pending

    def document_states(self) -> dict[str, StoredDocument]:
        """Every stored article's source fingerprint and graph hash, by document IRI, in one query."""
        rows = self.query(
            f"""SELECT ?g ?hash ?title ?issued ?source ?software ?graphHash WHERE {{
              GRAPH ?g {{ ?g a <{LT.iri_of('Article')}> ; <{LT.iri_of('contentHash')}> ?hash ;
                             <{DCTERMS.iri_of('title')}> ?title ; <{DCTERMS.iri_of('issued')}> ?issued .
                         OPTIONAL {{ ?g <{DCTERMS.iri_of('source')}> ?source }}
                         ?activity <{PROV.iri_of('used')}> ?g ;
                                   <{PROV.iri_of('wasAssociatedWith')}> ?software ;
                                   <{LT.iri_of('graphHash')}> ?graphHash }}
            }}""",
            union_default_graph=False,
        )
        assert isinstance(rows, QuerySolutions)
        return {
            row["g"].value: StoredDocument(_fingerprint([row[name] for name in _SOURCE_VARIABLES]),
                                           row["graphHash"].value)
            for row in rows
        }

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
        name) is seen twice, and an event reported by two articles has two
        labels and maybe two dates: use DISTINCT, or GROUP BY the event.
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
        whole store, the union of every graph (articles and ontology), dumped
        graph after graph (``_dump_union``).
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
                _dump_union(store, out, rdf_format)
        except OSError as error:
            raise StoreError(f"export failed: {_one_line(error)}") from None

    def dump(self, out: BinaryIO, rdf_format: RdfFormat, graph: NamedNode | DefaultGraph | None) -> None:
        """Write one graph (``graph``) or the whole dataset (None), as the Graph Store door reads them."""
        try:
            self.raw.dump(out, rdf_format, from_graph=graph, prefixes=PREFIXES)
        except (OSError, ValueError) as error:
            raise StoreError(f"cannot write the graph: {_one_line(error)}") from None

    def has_graph(self, iri: str) -> bool:
        """True when the named graph ``iri`` exists, even empty (the Graph Store's 404 or not)."""
        return self.raw.contains_named_graph(NamedNode(iri))

    def snapshot(self, target: Path) -> None:
        """Write a copy of the store into the new directory ``target``, for ``open_read_only``.

        On disk it is a RocksDB checkpoint: hard links to the immutable files, milliseconds
        whatever the size.  An in-memory store (tests) is copied quad by quad.
        """
        try:
            if self.path is not None:
                self.raw.backup(str(target))
                return
            copy = Store(str(target))
            copy.bulk_extend(self.raw.quads_for_pattern(None, None, None, None))
            for graph in self.raw.named_graphs():
                copy.add_graph(graph)
            copy.flush()
            del copy  # releases the directory's lock for the readers
        except (OSError, RuntimeError) as error:
            raise StoreError(f"cannot snapshot the store into {target}: {_one_line(error)}") from None

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

    def optimize(self) -> None:
        """Compact the store after a bulk write, as pyoxigraph advises: bulk loads leave many small
        files that every later read has to look into."""
        try:
            self.raw.optimize()
        except OSError as error:
            raise StoreError(f"cannot optimize the store: {_one_line(error)}") from None

    def close(self) -> None:
        """Flush and release the store (and its on-disk lock); later calls raise StoreError."""
        if self._store is not None:
            if not self._read_only:  # a read-only store has nothing to flush, and refuses to
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


def _dump_union(store: Store, out: BinaryIO, rdf_format: RdfFormat) -> None:
    """The union of every graph in a triple format: Oxigraph's ``dump`` of each graph, one after the other.

    Pyoxigraph's own serialiser does all the work, so the export runs at its speed, and
    nothing is held in memory, however large the store.  A CONSTRUCT would hold every triple
    seen, to write each once; here a triple stated in two graphs (a shared actor's name) is
    written twice, the same RDF graph to any reader.  Each graph is dumped whole as it stands
    when its turn comes: an article written meanwhile is in the export entirely or not at all.
    The ``@prefix`` lines each dump starts with are kept once (``_PrefixesOnce``).
    """
    writer = _PrefixesOnce(out)
    for graph in chain([DefaultGraph()], store.named_graphs()):
        writer.next_document()
        store.dump(cast(BinaryIO, writer), rdf_format, from_graph=graph, prefixes=PREFIXES)
    writer.next_document()


class _PrefixesOnce:
    """A file object for Turtle documents written one after another: the ``@prefix`` lines are kept
    from the first document that has them, and dropped from the start of every later one."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.prefixed = False  # a document's prefixes went out: later ones are dropped
        self.stripping = False
        self.pending = b""

    def next_document(self) -> None:
        """Called before each document, and after the last: what is still held back goes out."""
        self.out.write(self.pending)
        self.pending, self.stripping = b"", self.prefixed

    def write(self, data: bytes) -> int:
        if not self.stripping:
            self.prefixed = self.prefixed or data.startswith(_PREFIX)
            self.out.write(data)
            return len(data)
        self.pending += data
        while self.stripping and (end := self.pending.find(b"\n")) >= 0:
            if self.pending.startswith(_PREFIX):
                self.pending = self.pending[end + 1:]
            else:
                self.out.write(self.pending)
                self.pending, self.stripping = b"", False
        return len(data)

    def flush(self) -> None:
        self.out.flush()


_PREFIX = b"@prefix "


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


# The journal of ``write_documents``: graphs being bulk loaded, dropped by recovery if left behind.
_JOURNAL_GRAPH = ID.iri_of("ingest-journal")
_JOURNAL_PENDING = ID.iri_of("ingest-journal#pending")
# What an article's graph depends on besides the extractor's code, as ``document_states`` reads it.
_SOURCE_VARIABLES = ("hash", "title", "issued", "source", "software")


def source_fingerprint(article: Article) -> str:
    """The article's text hash, title, publication date, URL and extractor version, as its graph states them.

    Equal to the stored document's ``StoredDocument.source`` when ingesting the article
    again would map the same input: the corpus ingest then skips it without extracting.
    The terms come from the RDF mapping itself (of an extraction with no events), so
    the two sides cannot disagree on how a date or a hash is spelled.
    """
    doc = NamedNode(document_iri(article.id))
    terms: dict[str, object] = {}
    for quad in extraction_to_quads(Extraction(article=article, events=(), actors=())):
        if quad.predicate == PROV("wasAssociatedWith"):
            terms["software"] = quad.object
        elif quad.subject == doc and quad.predicate in _DOCUMENT_TERMS:
            terms[_DOCUMENT_TERMS[quad.predicate]] = quad.object
    return _fingerprint([terms.get(name) for name in _SOURCE_VARIABLES])


_DOCUMENT_TERMS = {LT("contentHash"): "hash", DCTERMS("title"): "title", DCTERMS("issued"): "issued",
                   DCTERMS("source"): "source"}


def graph_hash_of(quads: Sequence[Quad]) -> str:
    """The ``lt:graphHash`` that ``extraction_to_quads`` put among ``quads``: the graph's content hash."""
    term = next(q.object for q in quads if q.predicate == LT("graphHash"))
    return term.value if isinstance(term, Literal) else str(term)


def _fingerprint(terms: Sequence[object]) -> str:
    return "\n".join("" if term is None else str(term) for term in terms)


def open_store(location: str | Path) -> GraphStore:
    """The store at ``location``: a SPARQL server's http(s) URL (``kg.remote_store``), else a directory."""
    if isinstance(location, str) and location.startswith(("http://", "https://")):
        from kg.remote_store import RemoteStore

        return RemoteStore(location)
    return GraphStore(Path(location))
