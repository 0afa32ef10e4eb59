"""The Oxigraph store on disk: idempotent atomic ingest, documents, queries, exports, the lock."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
import rdflib
from rdf_sample import extraction, other_extraction
from rdflib.compare import isomorphic

import kg
from kg.models import RelatedEvent
from kg.namespaces import LT, ONTOLOGY_GRAPH
from kg.rdf import actor_iri, document_iri, extraction_to_quads
from kg.store import EXPORT_FORMATS, GraphStore, StoreError, StoreLocked

DOC = document_iri("exemplia-mise-en-demeure-2021-05-01")
OTHER = document_iri("ce-avis-2021-05-06")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    graph_store = GraphStore(tmp_path / "store")
    yield graph_store
    graph_store.close()


@pytest.fixture
def filled(store: GraphStore) -> GraphStore:
    store.ingest(extraction())
    store.ingest(other_extraction())
    return store


def select(store: GraphStore, sparql: str, **options: Any) -> list[pyoxigraph.QuerySolution]:
    result = store.query(sparql, **options)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    return list(result)


def graph_quads(store: GraphStore, graph: str) -> set[pyoxigraph.Quad]:
    return set(store.raw.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph)))


def triples(quads: set[pyoxigraph.Quad]) -> set[tuple[object, object, object]]:
    return {(q.subject, q.predicate, q.object) for q in quads}


def to_rdflib(term: object) -> rdflib.term.Node:
    if isinstance(term, pyoxigraph.NamedNode):
        return rdflib.URIRef(term.value)
    assert isinstance(term, pyoxigraph.Literal)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def test_ingest_then_same_content_is_unchanged(store: GraphStore) -> None:
    first = store.ingest(extraction())
    assert (first.document, first.replaced, first.unchanged) == (DOC, False, False)
    stored = graph_quads(store, DOC)
    assert len(stored) == first.triples
    again = store.ingest(extraction())
    assert (again.replaced, again.unchanged, again.triples) == (False, True, first.triples)
    assert graph_quads(store, DOC) == stored  # not even the extraction time was rewritten


def test_changed_content_replaces_the_whole_graph(store: GraphStore) -> None:
    store.ingest(extraction())
    result = store.ingest(extraction(label_suffix=" (mise à jour)"))
    assert (result.replaced, result.unchanged) == (True, False)
    labels = {r["l"].value for r in select(store, "SELECT ?l WHERE { ?e a lt:Request ; rdfs:label ?l }")}
    assert labels == {"Mise en demeure d’Exemplia par la CNIL (mise à jour)"}
    assert len(graph_quads(store, DOC)) == result.triples


def test_store_quads_are_the_mapping_quads(store: GraphStore) -> None:
    store.ingest(extraction())
    stored = graph_quads(store, DOC)
    mapped = set(extraction_to_quads(extraction()))
    extra = stored - mapped
    assert mapped <= stored
    assert [q.predicate.value for q in extra] == ["http://www.w3.org/ns/prov#endedAtTime"]


def test_the_ontology_graph_is_loaded_once(store: GraphStore) -> None:
    assert not store.raw.contains_named_graph(pyoxigraph.NamedNode(ONTOLOGY_GRAPH))
    store.ingest(extraction())
    ontology = graph_quads(store, ONTOLOGY_GRAPH)
    assert pyoxigraph.Quad(pyoxigraph.NamedNode(LT.iri_of("Ruling")),
                           pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
                           pyoxigraph.NamedNode(LT.iri_of("LegalEvent")),
                           pyoxigraph.NamedNode(ONTOLOGY_GRAPH)) in ontology
    store.ingest(other_extraction())
    assert graph_quads(store, ONTOLOGY_GRAPH) == ontology


def test_a_stale_ontology_graph_is_replaced_on_ingest(tmp_path: Path) -> None:
    with GraphStore(tmp_path / "s") as first:
        first.ingest(extraction())
        first.raw.update(f"INSERT DATA {{ GRAPH <{ONTOLOGY_GRAPH}> {{ <urn:stale> <urn:p> 1 }} }}")
    with GraphStore(tmp_path / "s") as second:
        assert second.ingest(extraction()).unchanged  # identical article: only the ontology is rewritten
        stale = pyoxigraph.NamedNode("urn:stale")
        assert not any(q.subject == stale for q in graph_quads(second, ONTOLOGY_GRAPH))


def test_documents_sharing_an_actor_use_one_iri(filled: GraphStore) -> None:
    court = actor_iri("Conseil d’État")
    rows = select(filled, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{court}> a lt:Court }} }}")
    assert {r["g"].value for r in rows} == {DOC, OTHER}
    actors = {r["a"].value for r in select(filled, "SELECT DISTINCT ?a WHERE { ?a a lt:Court }")}
    assert actors == {court}


def test_no_blank_nodes_in_the_store(filled: GraphStore) -> None:
    assert not filled.query("ASK { GRAPH ?g { ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) } }")


def test_documents_and_delete(filled: GraphStore) -> None:
    infos = filled.documents()
    assert [i.iri for i in infos] == [DOC, OTHER]
    assert infos[0].title == "La CNIL met Exemplia en demeure"
    assert infos[0].published == "2021-05-01T09:15:00+01:00"
    assert infos[0].triples == len(graph_quads(filled, DOC))
    assert not filled.is_empty()
    assert filled.delete_document(DOC)
    assert not filled.delete_document(DOC)
    assert not filled.delete_document(ONTOLOGY_GRAPH)  # not a document: left alone
    assert [i.iri for i in filled.documents()] == [OTHER]
    court = actor_iri("Conseil d’État")
    names = {r["n"].value for r in select(filled, f"SELECT ?n WHERE {{ <{court}> foaf:name ?n }}")}
    assert names == {"Conseil d'Etat"}  # the other article's view of the court survives
    assert filled.delete_document(OTHER)
    assert filled.is_empty()


def test_a_new_store_is_empty(store: GraphStore) -> None:
    assert store.is_empty()
    assert store.documents() == []


def test_query_graph_options(filled: GraphStore) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    only_doc = select(filled, count, default_graphs=[OTHER])[0]["n"].value
    assert int(only_doc) == len(graph_quads(filled, OTHER))
    assert int(select(filled, count, union_default_graph=False)[0]["n"].value) == 0
    named = select(filled, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[DOC])
    assert [r["g"].value for r in named] == [DOC]
    with pytest.raises(StoreError, match="invalid graph IRI"):
        filled.query(count, default_graphs=["not an iri"])


def test_sparql_syntax_error_is_one_line_with_position(store: GraphStore) -> None:
    with pytest.raises(StoreError) as caught:
        store.query("SELECT ?s\nWHERE { ?s ?p }")
    message = str(caught.value)
    assert message.startswith("SPARQL syntax error at line 2, column ")
    assert "\n" not in message


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_every_export_format_round_trips(filled: GraphStore, fmt: str) -> None:
    rdf_format = EXPORT_FORMATS[fmt]
    whole, one = io.BytesIO(), io.BytesIO()
    filled.export(whole, fmt)
    filled.export(one, fmt, document=DOC)
    parsed_whole = set(pyoxigraph.parse(whole.getvalue(), format=rdf_format))
    parsed_one = set(pyoxigraph.parse(one.getvalue(), format=rdf_format))
    everything = set(filled.raw)
    if rdf_format.supports_datasets:
        assert parsed_whole == everything
        assert parsed_one == graph_quads(filled, DOC)
    else:  # one graph: the union of all graphs, or the document's
        assert triples(parsed_whole) == triples(everything)
        assert triples(parsed_one) == triples(graph_quads(filled, DOC))


def test_turtle_export_is_isomorphic_for_rdflib(filled: GraphStore) -> None:
    out = io.BytesIO()
    filled.export(out, "turtle", document=DOC)
    assert out.getvalue().startswith(b"@prefix ")
    exported = rdflib.Graph().parse(data=out.getvalue(), format="turtle")
    expected = rdflib.Graph()
    for q in graph_quads(filled, DOC):
        expected.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    assert isomorphic(exported, expected)
    ntriples = io.BytesIO()
    filled.export(ntriples, "ntriples")
    assert len(rdflib.Graph().parse(data=ntriples.getvalue(), format="nt")) == len(
        {(q.subject, q.predicate, q.object) for q in filled.raw})


def test_export_errors(filled: GraphStore) -> None:
    with pytest.raises(StoreError, match="unknown export format 'rdfxml'"):
        filled.export(io.BytesIO(), "rdfxml")
    with pytest.raises(StoreError, match="no document"):
        filled.export(io.BytesIO(), "turtle", document=document_iri("absent"))
    with pytest.raises(StoreError, match="not a valid IRI"):
        filled.export(io.BytesIO(), "turtle", document="not an iri")


def test_a_failed_update_writes_nothing(filled: GraphStore) -> None:
    before = set(filled.raw)
    bad = pyoxigraph.Quad(pyoxigraph.NamedNode("urn:a"), pyoxigraph.NamedNode("urn:p"),
                          pyoxigraph.Literal("x"), pyoxigraph.NamedNode(DOC))
    with pytest.raises(SyntaxError):  # one update: the DROP must not survive the broken INSERT
        filled.raw.update(f"DROP SILENT GRAPH <{DOC}> ; INSERT DATA {{ GRAPH <{DOC}> {{ {bad.subject} }} }}")
    assert set(filled.raw) == before


def test_closed_store_refuses_work(tmp_path: Path) -> None:
    graph_store = GraphStore(tmp_path / "s")
    graph_store.close()
    with pytest.raises(StoreError, match="closed"):
        graph_store.documents()


def _open_elsewhere(path: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; from pathlib import Path\n"
        "from kg.store import GraphStore, StoreLocked\n"
        "try:\n"
        "    GraphStore(Path(sys.argv[1])).close()\n"
        "except StoreLocked as error:\n"
        "    print(error); sys.exit(3)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(kg.__file__).resolve().parent.parent)}
    return subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                          env=env, timeout=60, check=False)


def test_a_second_process_gets_store_locked(tmp_path: Path) -> None:
    path = tmp_path / "locked"
    graph_store = GraphStore(path)
    graph_store.ingest(extraction())
    result = _open_elsewhere(path)
    assert result.returncode == 3, result.stderr
    assert "in use by another process" in result.stdout
    graph_store.close()
    assert _open_elsewhere(path).returncode == 0


def test_a_second_store_in_this_process_is_locked_too(tmp_path: Path) -> None:
    with GraphStore(tmp_path / "s"), pytest.raises(StoreLocked):
        GraphStore(tmp_path / "s")


def test_store_path_that_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("x")
    with pytest.raises(StoreError, match="cannot create the store directory"):
        GraphStore(path)


def test_reopened_store_keeps_its_documents(tmp_path: Path) -> None:
    with GraphStore(tmp_path / "s") as first:
        first.ingest(extraction())
    with GraphStore(tmp_path / "s") as second:
        assert [d.iri for d in second.documents()] == [DOC]
        assert second.ingest(extraction()).unchanged


def test_ingest_of_an_edited_event_list_drops_the_removed_event(store: GraphStore) -> None:
    base = extraction()
    store.ingest(base)
    store.ingest(dataclasses.replace(base, events=base.events[:2]))
    assert not store.query("ASK { ?e a lt:Ruling }")
    assert store.query("ASK { ?e a lt:Commitment }")


def test_an_inconsistent_extraction_is_a_store_error(store: GraphStore) -> None:
    base = extraction()
    dangling = dataclasses.replace(base.events[0], related=(RelatedEvent("follows", "e-nowhere"),))
    broken = dataclasses.replace(base, events=(dangling,))
    with pytest.raises(StoreError, match="cannot map article 'exemplia-mise-en-demeure-2021-05-01'"):
        store.ingest(broken)
    assert store.is_empty()


def test_a_read_only_snapshot_opens_queries_and_closes(filled: GraphStore, tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot"
    filled.snapshot(snapshot)
    reader = GraphStore.open_read_only(snapshot)
    assert len(reader.documents()) == len(filled.documents())
    reader.close()
