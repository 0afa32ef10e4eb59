"""Exports (``/export`` and ``kg export``): every format re-imports, with pyoxigraph and with rdflib,
to exactly the store's content, for the whole store and for one document; Turtle is readable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from asgi_fixture import extraction_b, fill
from http_server import serving
from rdf_compare import as_triples, assert_same_in_both_parsers, store_quads

from kg.cli import main
from kg.rdf import document_iri
from kg.store import GraphStore
from kg.web.app import create_app

DOC_B = document_iri(extraction_b().article.id)
FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD,
}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A filled store, closed so both the CLI and the server can open it in turn."""
    path = tmp_path_factory.mktemp("store") / "kg"
    with GraphStore(path) as store:
        fill(store)
    return path


@pytest.fixture(scope="module")
def content(store_path: Path) -> set[ox.Quad]:
    return store_quads(ox.Store.read_only(str(store_path)))


def expected(content: set[ox.Quad], fmt: str, document: str | None) -> set[ox.Quad]:
    """What an export holds: quad formats keep graph names, triple formats the union of the graphs."""
    chosen = {q for q in content if document is None or q.graph_name == ox.NamedNode(document)}
    return chosen if FORMATS[fmt].supports_datasets else as_triples(chosen)


@pytest.fixture(scope="module")
def client(store_path: Path, content: set[ox.Quad]) -> Iterator[httpx.Client]:
    with GraphStore(store_path) as store, serving(create_app(store)) as http:
        yield http


@pytest.mark.parametrize("document", [None, DOC_B])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_http_export_reimports_isomorphic(
    client: httpx.Client, content: set[ox.Quad], fmt: str, document: str | None
) -> None:
    params = {"format": fmt, **({"document": document} if document else {})}
    response = client.get("/export", params=params)
    assert response.status_code == 200
    assert response.headers.get("transfer-encoding") == "chunked"  # streamed, not sized in memory
    assert_same_in_both_parsers(response.content, FORMATS[fmt], expected(content, fmt, document))


@pytest.mark.parametrize("document", [None, DOC_B])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_cli_export_reimports_isomorphic(
    client: httpx.Client, store_path: Path, content: set[ox.Quad], tmp_path: Path, fmt: str,
    document: str | None,
) -> None:
    copy = tmp_path / "copy"  # the server holds the store's lock: the CLI exports a backup of it
    ox.Store.read_only(str(store_path)).backup(str(copy))
    output = tmp_path / f"export.{fmt}"
    args = ["export", "--store", str(copy), "--format", fmt, "-o", str(output)]
    assert main([*args, *(["--document", document] if document else [])]) == 0
    assert_same_in_both_parsers(output.read_bytes(), FORMATS[fmt], expected(content, fmt, document))


def test_turtle_is_readable(client: httpx.Client) -> None:
    lines = client.get("/export", params={"format": "turtle"}).text.splitlines()
    prefixes = [line for line in lines if line.startswith("@prefix ")]
    assert lines[: len(prefixes)] == prefixes  # the prefixes come first
    assert "@prefix lt: <https://w3id.org/legal-timeline/ontology#> ." in prefixes
    body = "\n".join(lines[len(prefixes):])
    assert "lt:LegalEvent" in body and "<https://w3id.org/legal-timeline/ontology#" not in body
