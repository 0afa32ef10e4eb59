"""What the web layer asks of a store: the one interface in front of the embedded and the remote store.

``kg.store.GraphStore`` (an embedded Oxigraph on disk) and ``kg.remote_store.RemoteStore`` (any
SPARQL 1.1 server) both satisfy it, so every door (SPARQL, Update, Graph Store, GraphQL, export,
health) runs unchanged over either.  What only the embedded store has (``raw``, ``snapshot``,
the directory ``path``) is left out on purpose: a door typed against ``ServedStore`` cannot
depend on it.  The one place the two differ is how a SPARQL query is stopped at its time limit,
which is the query runner's business (``kg.web.remote_queries.query_runner``), not the store's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO, Protocol

if TYPE_CHECKING:
    import pyoxigraph as ox

    from kg.models import Extraction
    from kg.store import DocumentInfo, IngestResult


class ServedStore(Protocol):
    """The store operations the HTTP doors use; failures raise ``kg.store.StoreError`` (one line)."""

    def query(
        self,
        sparql: str,
        *,
        union_default_graph: bool = True,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
        """A SPARQL query, our prefixes predeclared; the default graph is the union unless graphs named."""

    def update(self, sparql: str) -> None:
        """A SPARQL Update applied as one transaction, our prefixes predeclared."""

    def ingest(self, extraction: Extraction) -> IngestResult:
        """Replace the article's graph by this extraction, in one transaction."""

    def delete_document(self, iri: str) -> bool:
        """Drop the article's graph; False when there is none."""

    def documents(self) -> list[DocumentInfo]:
        """Every article stored, oldest first, with its graph's size."""

    def is_empty(self) -> bool:
        """True when no article is stored."""

    def export(self, out: BinaryIO, fmt: str = "turtle", document: str | None = None) -> None:
        """The whole store, or one article's graph, streamed into ``out`` in ``fmt``."""

    def dump(
        self, out: BinaryIO, rdf_format: ox.RdfFormat, graph: ox.NamedNode | ox.DefaultGraph | None
    ) -> None:
        """One graph, or the whole dataset (None), streamed into ``out``: what the Graph Store door reads."""

    def has_graph(self, iri: str) -> bool:
        """True when the named graph exists."""
