"""SHACL validation of stored graphs: the mapping conforms, each kind of breakage is caught."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from rdf_sample import extraction, other_extraction

from kg.rdf import actor_iri, document_iri
from kg.shacl import validate, validate_store
from kg.store import GraphStore, StoreError

DOC = document_iri("exemplia-mise-en-demeure-2021-05-01")
PREFIXES = """
PREFIX lt: <https://w3id.org/legal-timeline/ontology#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    graph_store = GraphStore(tmp_path / "store")
    graph_store.ingest(extraction())
    graph_store.ingest(other_extraction())
    yield graph_store
    graph_store.close()


def break_graph(store: GraphStore, update: str) -> None:
    store.raw.update(PREFIXES + update)


def test_ingested_documents_conform(store: GraphStore) -> None:
    report = validate_store(store)
    assert report.conforms, report.text
    assert validate_store(store, DOC).conforms


def test_event_without_evidence(store: GraphStore) -> None:
    break_graph(store, f"DELETE WHERE {{ GRAPH <{DOC}> {{ ?e a lt:Ruling ; lt:evidence ?span }} }}")
    report = validate_store(store, DOC)
    assert not report.conforms
    assert "an event has at least one valid evidence span" in report.text
    assert validate_store(store, document_iri("ce-avis-2021-05-06")).conforms


def test_date_precision_must_match_the_datatype(store: GraphStore) -> None:
    break_graph(store, f"""
        DELETE {{ GRAPH <{DOC}> {{ ?e lt:datePrecision lt:DayPrecision }} }}
        INSERT {{ GRAPH <{DOC}> {{ ?e lt:datePrecision lt:MonthPrecision }} }}
        WHERE {{ GRAPH <{DOC}> {{ ?e a lt:Ruling ; lt:datePrecision lt:DayPrecision }} }}""")
    report = validate_store(store)
    assert not report.conforms
    assert "matching lt:datePrecision" in report.text


def test_span_text_must_fit_its_offsets(store: GraphStore) -> None:
    break_graph(store, f"""
        DELETE {{ GRAPH <{DOC}> {{ ?span nif:endIndex ?end }} }}
        INSERT {{ GRAPH <{DOC}> {{ ?span nif:endIndex 10000 }} }}
        WHERE {{ GRAPH <{DOC}> {{ ?e a lt:Ruling ; lt:evidence ?span . ?span nif:endIndex ?end }} }}""")
    report = validate_store(store)
    assert not report.conforms
    assert "as long as its offsets say" in report.text


def test_span_must_begin_before_it_ends(store: GraphStore) -> None:
    break_graph(store, f"""
        DELETE {{ GRAPH <{DOC}> {{ ?span nif:beginIndex ?b }} }}
        INSERT {{ GRAPH <{DOC}> {{ ?span nif:beginIndex 99999 }} }}
        WHERE {{ GRAPH <{DOC}> {{ ?e a lt:Ruling ; lt:evidence ?span . ?span nif:beginIndex ?b }} }}""")
    assert "begins at an offset before its end" in validate_store(store).text


def test_agent_needs_a_kind(store: GraphStore) -> None:
    court = actor_iri("Conseil d’État")
    break_graph(store, f"DELETE WHERE {{ GRAPH ?g {{ <{court}> a lt:Court }} }}")
    report = validate_store(store)
    assert not report.conforms
    assert "exactly one of the 11 actor kinds" in report.text


def test_one_actor_with_two_kinds_across_documents_is_reported(store: GraphStore) -> None:
    court = actor_iri("Conseil d’État")
    other = document_iri("ce-avis-2021-05-06")
    break_graph(store, f"""
        DELETE DATA {{ GRAPH <{other}> {{ <{court}> a lt:Court }} }} ;
        INSERT DATA {{ GRAPH <{other}> {{ <{court}> a lt:PublicBody }} }}""")
    assert validate_store(store, DOC).conforms
    assert validate_store(store, other).conforms
    assert not validate_store(store).conforms


def test_article_needs_an_issued_datetime(store: GraphStore) -> None:
    break_graph(store, f"""
        DELETE WHERE {{ GRAPH <{DOC}> {{ <{DOC}> dcterms:issued ?t }} }} ;
        INSERT DATA {{ GRAPH <{DOC}> {{ <{DOC}> dcterms:issued "2021-05-01"^^xsd:date }} }}""")
    report = validate_store(store)
    assert not report.conforms
    assert "one xsd:dateTime of publication" in report.text


def test_validate_takes_a_plain_graph() -> None:
    graph = rdflib.Graph()
    event = rdflib.URIRef("https://w3id.org/legal-timeline/id/event/x/statement-0-1")
    lt = rdflib.Namespace("https://w3id.org/legal-timeline/ontology#")
    graph.add((event, rdflib.RDF.type, lt.Statement))
    report = validate(graph)  # typed by inference only: still a legal event, and an incomplete one
    assert not report.conforms
    assert "an event has a label" in report.text


def test_unknown_document(store: GraphStore) -> None:
    with pytest.raises(StoreError, match="no document"):
        validate_store(store, document_iri("absent"))
