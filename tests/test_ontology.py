"""The ontology file: parseable, documented in two languages, and in step with the models and the mapping."""

from __future__ import annotations

import pyoxigraph
import pytest
import rdflib
from rdf_sample import extraction
from rdflib import OWL, RDF, RDFS, SKOS

from kg.models import ACTOR_KINDS, EVENT_TYPES, LEGAL_ACT_KINDS, OUTCOMES
from kg.namespaces import LT, ONTOLOGY_GRAPH
from kg.rdf import extraction_to_quads
from kg.resources import resource_path

LTNS = rdflib.Namespace(LT.iri)


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(resource_path("ontology/legal-timeline.ttl"), format="turtle")


def test_ontology_parses_with_pyoxigraph_too_and_has_no_blank_node(ontology: rdflib.Graph) -> None:
    triples = list(pyoxigraph.parse(path=resource_path("ontology/legal-timeline.ttl"),
                                    format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == len(ontology)
    assert not any(isinstance(term, rdflib.BNode) for triple in ontology for term in triple)
    assert (rdflib.URIRef(ONTOLOGY_GRAPH), RDF.type, OWL.Ontology) in ontology


def test_every_term_has_french_and_english_label_and_comment(ontology: rdflib.Graph) -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept, SKOS.ConceptScheme)
    terms = {s for kind in kinds for s in ontology.subjects(RDF.type, kind)}
    assert len(terms) > 60
    for term in terms:
        assert str(term).startswith(LT.iri), term
        for prop in (RDFS.label, RDFS.comment):
            languages = {o.language for o in ontology.objects(term, prop) if isinstance(o, rdflib.Literal)}
            assert {"fr", "en"} <= languages, (term, prop)


def test_kinds_follow_the_models(ontology: rdflib.Graph) -> None:
    def subclasses(parent: str) -> set[str]:
        return {str(s).removeprefix(LT.iri) for s in ontology.subjects(RDFS.subClassOf, LTNS[parent])}

    assert subclasses("LegalEvent") == set(EVENT_TYPES)
    actor_kinds = {"OtherActor" if k == "Other" else k for k in ACTOR_KINDS}
    assert actor_kinds - {"Person"} == subclasses("Organization") | {"OtherActor"}
    assert subclasses("Actor") == {"Organization", "Person", "OtherActor"}
    assert subclasses("LegalAct") == {"OtherLegalAct" if k == "Other" else k for k in LEGAL_ACT_KINDS}
    outcomes = ontology.subjects(SKOS.inScheme, LTNS.Outcomes)
    notations = {str(ontology.value(c, SKOS.notation)) for c in outcomes}
    assert notations == set(OUTCOMES)


def test_reused_vocabularies(ontology: rdflib.Graph) -> None:
    sem = rdflib.Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    eli = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
    assert {sem.Event, prov.Activity} <= set(ontology.objects(LTNS.LegalEvent, RDFS.subClassOf))
    assert {sem.Actor, prov.Agent} <= set(ontology.objects(LTNS.Actor, RDFS.subClassOf))
    assert eli.LegalResource in set(ontology.objects(LTNS.LegalAct, RDFS.subClassOf))
    assert sem.hasActor in set(ontology.objects(LTNS.agent, RDFS.subPropertyOf))
    assert prov.wasAssociatedWith in set(ontology.objects(LTNS.agent, RDFS.subPropertyOf))


def test_every_lt_term_the_mapping_writes_is_declared(ontology: rdflib.Graph) -> None:
    declared = {str(s) for s in ontology.subjects()}
    used = set()
    for quad in extraction_to_quads(extraction()):
        used.add(quad.predicate.value)
        if isinstance(quad.object, pyoxigraph.NamedNode):
            used.add(quad.object.value)
    missing = {iri for iri in used if iri.startswith(LT.iri) and iri not in declared}
    assert not missing


def test_shapes_parse() -> None:
    shapes = rdflib.Graph().parse(resource_path("ontology/shapes.ttl"), format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    targets = set(shapes.objects(None, sh.targetClass))
    assert {LTNS.LegalEvent, LTNS.Actor, LTNS.LegalAct, LTNS.Article, LTNS.ReaderComment} <= targets
