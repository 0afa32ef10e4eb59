"""The whole pipeline on the real corpus: reader, extractor, mapping, on-disk store, SHACL, export."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.extract import extract
from kg.rdf import document_iri
from kg.reader import read_article
from kg.shacl import validate_store
from kg.store import GraphStore

CORPUS = Path(__file__).parent / "corpus"
ARTICLES = sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    store = GraphStore(tmp_path_factory.mktemp("pipeline") / "store")
    for path in ARTICLES:
        store.ingest(extract(read_article(path)))
    return store


def test_every_article_is_one_graph(store: GraphStore) -> None:
    assert {d.iri for d in store.documents()} == {document_iri(read_article(p).id) for p in ARTICLES}


def test_the_corpus_satisfies_the_shapes(store: GraphStore) -> None:
    report = validate_store(store)
    assert report.conforms, report.text


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_turtle_export_of_each_article_reimports_isomorphic(store: GraphStore, path: Path) -> None:
    graph_iri = document_iri(read_article(path).id)
    out = io.BytesIO()
    store.export(out, "turtle", graph_iri)
    exported = rdflib.Graph().parse(data=out.getvalue(), format="turtle")
    quads = store.raw.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph_iri))
    triples = pyoxigraph.serialize([q.triple for q in quads], format=pyoxigraph.RdfFormat.N_TRIPLES)
    stored = rdflib.Graph().parse(data=triples, format="nt")
    assert len(stored) > 50
    assert isomorphic(exported, stored)
    again = list(pyoxigraph.parse(out.getvalue(), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(again) == len(stored)


def test_reingesting_the_corpus_changes_nothing(store: GraphStore) -> None:
    before = len(store.raw)
    results = [store.ingest(extract(read_article(path))) for path in ARTICLES]
    assert all(r.unchanged for r in results)
    assert len(store.raw) == before

