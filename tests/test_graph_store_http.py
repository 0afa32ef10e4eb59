"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol, driven with httpx, every case and error.

Reads are checked against the store's own quads with two parsers (``rdf_compare``); writes
make the round trip PUT → GET → POST → GET → DELETE → 404, and show in ``/sparql`` at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from asgi_fixture import extraction_a, fill
from http_server import TOKEN, assert_one_line_error, serving
from rdf_compare import as_triples, assert_same_in_both_parsers, store_quads

from kg.config import Settings
from kg.rdf import document_iri
from kg.store import GraphStore
from kg.web.app import create_app

DOC_A = document_iri(extraction_a().article.id)
EX = "http://example.org/gsp/"
AUTH = {"authorization": f"Bearer {TOKEN}"}
TURTLE = {"content-type": "text/turtle", **AUTH}
BODY = f"""@prefix ex: <{EX}> .
ex:s ex:p "un" , "deux"@fr ; ex:q ex:o .
"""
MORE = f"<{EX}s> <{EX}p> \"trois\" .\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    with GraphStore(tmp_path_factory.mktemp("store") / "kg") as opened:
        fill(opened)
        yield opened


@pytest.fixture(scope="module")
def client(store: GraphStore) -> Iterator[httpx.Client]:
    settings = Settings(store=Path(str(store.path)), update_token=TOKEN, max_upload_bytes=10_000)
    with serving(create_app(store, settings=settings)) as http:
        yield http


# -- reading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "content_type", "rdf_format"),
    [
        (None, "application/trig", ox.RdfFormat.TRIG),
        ("application/n-quads", "application/n-quads", ox.RdfFormat.N_QUADS),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_get_the_whole_dataset(
    client: httpx.Client, store: GraphStore, accept: str | None, content_type: str, rdf_format: ox.RdfFormat
) -> None:
    response = client.get("/store", headers={"accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == content_type
    assert "content-length" not in response.headers  # streamed from the dump
    assert_same_in_both_parsers(response.content, rdf_format, store_quads(store.raw))


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_get_one_graph_in_every_graph_format(
    client: httpx.Client, store: GraphStore, accept: str, rdf_format: ox.RdfFormat
) -> None:
    response = client.get("/store", params={"graph": DOC_A}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    expected = as_triples(store_quads(store.raw, ox.NamedNode(DOC_A)))
    assert_same_in_both_parsers(response.content, rdf_format, expected)


def test_head_and_format_parameter(client: httpx.Client) -> None:
    head = client.head("/store", params={"graph": DOC_A})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == "text/turtle; charset=utf-8"
    assert client.head("/store", params={"graph": EX + "none"}).status_code == 404
    as_nt = client.get("/store", params={"graph": DOC_A, "format": "ntriples"})
    assert as_nt.headers["content-type"] == "application/n-triples"


@pytest.mark.parametrize(
    ("params", "headers", "status", "fragment"),
    [
        ({"graph": EX + "none"}, {}, 404, "no graph <http://example.org/gsp/none>"),
        ({"graph": "not an iri"}, {}, 400, "not an absolute IRI"),
        ({"graph": DOC_A, "default": ""}, {}, 400, "not both"),
        ([("graph", DOC_A), ("graph", EX)], {}, 400, "one ?graph=IRI"),
        ({"graph": DOC_A}, {"accept": "application/n-quads"}, 406, "text/turtle"),
        ({}, {"accept": "text/turtle"}, 406, "application/trig"),
    ],
)
def test_bad_reads(
    client: httpx.Client, params: Any, headers: dict[str, str], status: int, fragment: str
) -> None:
    assert_one_line_error(client.get("/store", params=params, headers=headers), status, fragment)


# -- writing ----------------------------------------------------------------------------------------


def graph_text(client: httpx.Client, graph: str) -> set[ox.Quad]:
    response = client.get("/store", params={"graph": graph}, headers={"accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    return set(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))


def test_graph_round_trip(client: httpx.Client) -> None:
    graph = EX + "round-trip"
    created = client.put("/store", params={"graph": graph}, content=BODY, headers=TURTLE)
    assert created.status_code == 201, created.text
    expected = set(ox.parse(BODY.encode(), format=ox.RdfFormat.TURTLE))
    assert graph_text(client, graph) == expected
    replaced = client.put("/store", params={"graph": graph}, content=MORE,
                          headers={"content-type": "application/n-triples", **AUTH})
    assert replaced.status_code == 204
    assert graph_text(client, graph) == set(ox.parse(MORE.encode(), format=ox.RdfFormat.N_TRIPLES))
    merged = client.post("/store", params={"graph": graph}, content=BODY, headers=TURTLE)
    assert merged.status_code == 204
    assert graph_text(client, graph) == expected | set(ox.parse(MORE.encode(), format=ox.RdfFormat.N_TRIPLES))
    count = f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    seen = client.get("/sparql", params={"query": count})
    assert seen.json()["results"]["bindings"][0]["n"]["value"] == "4"
    assert client.delete("/store", params={"graph": graph}, headers=AUTH).status_code == 204
    assert client.get("/store", params={"graph": graph}).status_code == 404
    assert client.delete("/store", params={"graph": graph}, headers=AUTH).status_code == 404


def test_post_to_a_new_graph_creates_it(client: httpx.Client) -> None:
    graph = EX + "posted"
    response = client.post("/store", params={"graph": graph}, content=MORE,
                           headers={"content-type": "application/n-triples", **AUTH})
    assert response.status_code == 201
    assert len(graph_text(client, graph)) == 1
    client.delete("/store", params={"graph": graph}, headers=AUTH)


def test_post_to_the_store_creates_a_graph_at_the_location_given(client: httpx.Client) -> None:
    response = client.post("/store", content=BODY, headers=TURTLE)
    assert response.status_code == 201
    location = response.headers["location"]
    assert location.startswith(f"{str(client.base_url).rstrip('/')}/store?graph=urn%3Auuid%3A")
    fetched = client.get(location, headers={"accept": "application/n-triples"})
    assert set(ox.parse(fetched.content, format=ox.RdfFormat.N_TRIPLES)) == set(
        ox.parse(BODY.encode(), format=ox.RdfFormat.TURTLE))
    assert client.delete(location, headers=AUTH).status_code == 204


def test_the_default_graph(client: httpx.Client, store: GraphStore) -> None:
    assert client.put("/store", params={"default": ""}, content=MORE,
                      headers={"content-type": "application/n-triples", **AUTH}).status_code == 204
    response = client.get("/store", params={"default": ""}, headers={"accept": "application/n-triples"})
    assert set(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)) == store_quads(
        store.raw, ox.DefaultGraph())
    assert len(store_quads(store.raw, ox.DefaultGraph())) == 1
    assert client.delete("/store", params={"default": ""}, headers=AUTH).status_code == 204
    assert not store_quads(store.raw, ox.DefaultGraph())
    assert store_quads(store.raw, ox.NamedNode(DOC_A))  # the article graphs are untouched


def test_an_empty_put_leaves_an_empty_graph(client: httpx.Client) -> None:
    graph = EX + "empty"
    assert client.put("/store", params={"graph": graph}, content=b"", headers=TURTLE).status_code == 201
    assert graph_text(client, graph) == set()
    client.delete("/store", params={"graph": graph}, headers=AUTH)


@pytest.mark.parametrize(
    ("method", "params", "content", "headers", "status", "fragment"),
    [
        ("PUT", {"graph": EX + "x"}, BODY, {"content-type": "text/turtle"}, 401, "Bearer"),
        ("PUT", {"graph": EX + "x"}, BODY, {"content-type": "text/turtle", "authorization": "Bearer no"}, 403,
         "wrong token"),
        ("DELETE", {"graph": DOC_A}, b"", {}, 401, "Bearer"),
        ("PUT", {"graph": EX + "x"}, BODY, {"content-type": "image/png", **AUTH}, 415,
         "unsupported Content-Type"),
        ("PUT", {"graph": EX + "x"}, BODY, AUTH, 415, "'(none)'"),
        ("PUT", {"graph": EX + "x"}, "<a> <b> .", TURTLE, 400, "line 1"),
        ("PUT", {"graph": EX + "x"}, f"<{EX}g> {{ <{EX}a> <{EX}b> <{EX}c> }}",
         {"content-type": "application/trig", **AUTH}, 400, "names graphs"),
        ("PUT", {}, BODY, TURTLE, 400, "PUT needs a graph"),
        ("DELETE", {}, b"", AUTH, 400, "DELETE needs a graph"),
        ("PUT", {"graph": EX + "x"}, "#" * 20_000, TURTLE, 413, "KG_MAX_UPLOAD_BYTES"),
    ],
)
def test_bad_writes(
    client: httpx.Client, method: str, params: dict[str, str], content: str | bytes,
    headers: dict[str, str], status: int, fragment: str,
) -> None:
    response = client.request(method, "/store", params=params, content=content, headers=headers)
    assert_one_line_error(response, status, fragment)
    assert client.get("/store", params={"graph": EX + "x"}).status_code == 404
    assert client.get("/store", params={"graph": DOC_A}).status_code == 200


def test_no_token_configured_means_read_only(store: GraphStore) -> None:
    with serving(create_app(store)) as http:
        assert http.get("/store", params={"graph": DOC_A}).status_code == 200
        refused = http.delete("/store", params={"graph": DOC_A}, headers=AUTH)
        assert_one_line_error(refused, 403, "KG_UPDATE_TOKEN")
    assert store_quads(store.raw, ox.NamedNode(DOC_A))
