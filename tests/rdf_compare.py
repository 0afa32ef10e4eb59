"""Compare an RDF serialisation with the store's content through two independent parsers.

pyoxigraph re-reads the text into quads compared with the store's own quads; rdflib re-reads
it into a Dataset compared with the store's quads converted term by term (not through any
serialisation, so neither side borrows the other's writer).  The data has no blank nodes
(the mapping writes none), so isomorphism is set equality.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import pyoxigraph as ox
import rdflib

Quadruple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node, rdflib.term.Node | None]

RDFLIB_FORMATS = {
    ox.RdfFormat.TURTLE: "turtle", ox.RdfFormat.TRIG: "trig", ox.RdfFormat.N_TRIPLES: "nt",
    ox.RdfFormat.N_QUADS: "nquads", ox.RdfFormat.JSON_LD: "json-ld", ox.RdfFormat.RDF_XML: "xml",
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def store_quads(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph | None = None) -> set[ox.Quad]:
    return set(store.quads_for_pattern(None, None, None, graph))


def as_triples(quads: Iterable[ox.Quad]) -> set[ox.Quad]:
    """The quads' triples, all in the default graph (what a triple format can carry)."""
    return {ox.Quad(q.subject, q.predicate, q.object) for q in quads}


def assert_same_in_both_parsers(text: bytes, rdf_format: ox.RdfFormat, expected: set[ox.Quad]) -> None:
    """``text`` read by pyoxigraph and by rdflib holds exactly ``expected``."""
    reread = set(ox.parse(text, format=rdf_format))
    assert reread == expected, f"pyoxigraph: {len(reread ^ expected)} quads differ"
    by_rdflib = _rdflib_quads(text, RDFLIB_FORMATS[rdf_format])
    wanted = {_to_rdflib(q) for q in expected}
    assert by_rdflib == wanted, f"rdflib: {sorted(map(str, by_rdflib ^ wanted))[:5]}"


def _rdflib_quads(text: bytes, rdflib_format: str) -> set[Quadruple]:
    # rdflib 7.6's quad and JSON-LD parsers call its own deprecated ConjunctiveGraph API.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="rdflib")
        dataset = rdflib.Dataset()
        dataset.parse(data=text, format=rdflib_format)
        return {(s, p, o, None if g == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else g)
                for s, p, o, g in dataset.quads((None, None, None, None))}


def _to_rdflib(quad: ox.Quad) -> Quadruple:
    graph = None if isinstance(quad.graph_name, ox.DefaultGraph) else _term(quad.graph_name)
    return _term(quad.subject), _term(quad.predicate), _term(quad.object), graph


def _term(term: object) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    assert isinstance(term, ox.Literal), f"unexpected term {term!r} (the mapping writes no blank nodes)"
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return rdflib.Literal(term.value, datatype=None if datatype in (_XSD_STRING, _LANG_STRING) else datatype)
