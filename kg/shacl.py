"""Check graphs against ``ontology/shapes.ttl`` with pyshacl.

The ontology is given to pyshacl as ``ont_graph`` with RDFS inference, so a
shape can ask for a ``foaf:Document`` and accept an ``lt:Article``.  A store
is read through an N-Quads dump: pyshacl works on rdflib graphs, and a dump
is the one way out of Oxigraph that keeps every graph.  All article graphs
are checked as one merged graph, so two articles that give one actor two
different kinds are reported too.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import rdflib
from pyoxigraph import NamedNode, RdfFormat, serialize
from pyshacl import validate as pyshacl_validate

from kg.namespaces import ONTOLOGY_GRAPH
from kg.resources import resource_path
from kg.store import GraphStore, StoreError


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    text: str


def validate(data: rdflib.Dataset | rdflib.Graph) -> ValidationReport:
    """Validate ``data``; a dataset's graphs (the ontology graph excepted) are merged first."""
    graph = _merge(data) if isinstance(data, rdflib.Dataset) else data
    shapes = rdflib.Graph().parse(resource_path("ontology/shapes.ttl"), format="turtle")
    ontology = rdflib.Graph().parse(resource_path("ontology/legal-timeline.ttl"), format="turtle")
    conforms, _, text = pyshacl_validate(
        graph, shacl_graph=shapes, ont_graph=ontology, inference="rdfs", advanced=True
    )
    return ValidationReport(bool(conforms), str(text))


def validate_store(store: GraphStore, document: str | None = None) -> ValidationReport:
    """Validate one article's graph, or every graph of the store."""
    raw = store.raw
    if document is None:
        dump = raw.dump(format=RdfFormat.N_QUADS)
    else:
        try:
            graph = NamedNode(document)
        except ValueError:
            raise StoreError(f"not a valid IRI: {document!r}") from None
        if not raw.contains_named_graph(graph):
            raise StoreError(f"no document {document} in the store")
        dump = serialize(raw.quads_for_pattern(None, None, None, graph), format=RdfFormat.N_QUADS)
    dataset = rdflib.Dataset()
    with warnings.catch_warnings():  # rdflib 7.6's own Dataset.parse trips its own deprecation warning
        warnings.filterwarnings("ignore", "Dataset.default_context is deprecated", DeprecationWarning)
        dataset.parse(io.BytesIO(dump or b""), format="nquads")
    return validate(dataset)


def _merge(dataset: rdflib.Dataset) -> rdflib.Graph:
    merged = rdflib.Graph()
    for graph in dataset.graphs():
        if str(graph.identifier) != ONTOLOGY_GRAPH:
            for triple in graph:
                merged.add(triple)
    return merged
