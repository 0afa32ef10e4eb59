"""``/update``: SPARQL 1.1 Update for holders of the token, with httpx, SPARQLWrapper and rdflib's
SPARQLUpdateStore; LOAD and SERVICE refused without any request leaving the server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import rdflib
from asgi_fixture import fill
from http_server import TOKEN, assert_one_line_error, recording_listener, serving
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from SPARQLWrapper import POST, SPARQLWrapper

from kg.config import Settings
from kg.store import GraphStore
from kg.web.app import create_app

EX = "http://example.org/test/"
AUTH = {"authorization": f"Bearer {TOKEN}"}
UPDATE = {"content-type": "application/sparql-update"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    with GraphStore(tmp_path_factory.mktemp("store") / "kg") as opened:
        fill(opened)
        yield opened


@pytest.fixture(scope="module")
def client(store: GraphStore) -> Iterator[httpx.Client]:
    settings = Settings(store=Path(str(store.path)), update_token=TOKEN, max_query_bytes=4096)
    with serving(create_app(store, settings=settings)) as http:
        yield http


def ask(client: httpx.Client, pattern: str) -> bool:
    response = client.get("/sparql", params={"query": f"ASK {{ {pattern} }}"})
    assert response.status_code == 200, response.text
    answer: bool = response.json()["boolean"]
    return answer


def test_an_update_with_the_token_is_applied_and_seen_by_the_next_query(client: httpx.Client) -> None:
    triple = f"<{EX}a> <{EX}p> 'first'"
    response = client.post("/update", content=f"INSERT DATA {{ GRAPH <{EX}g> {{ {triple} }} }}",
                           headers={**UPDATE, **AUTH})
    assert response.status_code == 204, response.text
    assert ask(client, f"GRAPH <{EX}g> {{ {triple} }}")
    form = client.post("/update", data={"update": f"DELETE DATA {{ GRAPH <{EX}g> {{ {triple} }} }}"},
                       headers=AUTH)
    assert form.status_code == 204
    assert not ask(client, triple)


@pytest.mark.parametrize(
    ("headers", "status", "fragment"),
    [
        ({}, 401, "Authorization: Bearer"),
        ({"authorization": "Basic dXNlcjpwYXNz"}, 401, "Authorization: Bearer"),
        ({"authorization": "Bearer wrong"}, 403, "wrong token"),
    ],
)
def test_updates_without_the_right_token_are_refused(
    client: httpx.Client, headers: dict[str, str], status: int, fragment: str
) -> None:
    response = client.post("/update", content=f"INSERT DATA {{ <{EX}x> <{EX}p> 'no' }}",
                           headers={**UPDATE, **headers})
    assert_one_line_error(response, status, fragment)
    assert not ask(client, f"<{EX}x> ?p ?o")


def test_no_configured_token_means_no_updates(store: GraphStore) -> None:
    with serving(create_app(store)) as http:
        response = http.post("/update", content="CLEAR ALL", headers={**UPDATE, **AUTH})
        assert_one_line_error(response, 403, "KG_UPDATE_TOKEN")
        assert ask(http, "?s ?p ?o")


@pytest.mark.parametrize(
    ("request_args", "status", "fragments"),
    [
        ({"content": "INSERT DATA { <a> }", "headers": UPDATE}, 400,
         ("SPARQL syntax error at line 1, column",)),
        ({"content": "CLEAR ALL", "headers": {"content-type": "text/plain"}}, 400,
         ("unsupported Content-Type 'text/plain'", "application/sparql-update")),
        ({"data": {"update": "CLEAR ALL", "query": "ASK {}"}}, 400, ("not an update", "/sparql")),
        ({"data": {"update": ["CLEAR ALL", "CLEAR ALL"]}}, 400, ("more than once",)),
        ({"data": {"update": " "}}, 400, ("missing SPARQL update",)),
        ({"content": "CLEAR ALL", "headers": UPDATE, "params": {"using-graph-uri": EX}}, 400,
         ("using-graph-uri is not supported",)),
        ({"content": "CLEAR ALL" + " " * 5000, "headers": UPDATE}, 413, ("KG_MAX_QUERY_BYTES",)),
    ],
)
def test_bad_updates_are_refused_with_a_message(
    client: httpx.Client, request_args: dict[str, Any], status: int, fragments: tuple[str, ...]
) -> None:
    headers = {**request_args.pop("headers", {}), **AUTH}
    assert_one_line_error(client.post("/update", headers=headers, **request_args), status, *fragments)
    assert ask(client, "?s ?p ?o")  # nothing was cleared


def test_update_only_takes_post(client: httpx.Client) -> None:
    response = client.get("/update", params={"update": "CLEAR ALL"}, headers=AUTH)
    assert response.status_code == 405


@pytest.mark.parametrize(
    "template",
    [
        "LOAD <{url}>",
        "load silent <{url}> INTO GRAPH <http://example.org/g>",
        "INSERT DATA {{ <http://example.org/a> <http://example.org/p> 1 }} ; LOAD <{url}>",
        "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "\\u004cOAD <{url}>",
    ],
)
def test_load_and_service_are_refused_without_contacting_anyone(client: httpx.Client, template: str) -> None:
    with recording_listener() as (url, received):
        response = client.post("/update", content=template.format(url=url), headers={**UPDATE, **AUTH})
        assert_one_line_error(response, 400)
        assert "LOAD is not allowed" in response.text or "SERVICE" in response.text
    assert received == []
    assert not ask(client, "<http://example.org/a> ?p ?o")


def test_sparqlwrapper_update_with_the_token(client: httpx.Client) -> None:
    base = str(client.base_url).rstrip("/")
    update = SPARQLWrapper(f"{base}/sparql", updateEndpoint=f"{base}/update")
    update.setMethod(POST)
    update.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    update.setQuery(f"INSERT DATA {{ GRAPH <{EX}wrapper> {{ <{EX}w> <{EX}p> 'from SPARQLWrapper' }} }}")
    update.query()
    assert ask(client, f"GRAPH <{EX}wrapper> {{ <{EX}w> <{EX}p> 'from SPARQLWrapper' }}")


def test_rdflib_sparqlupdatestore_round_trip(client: httpx.Client) -> None:
    base = str(client.base_url).rstrip("/") + "/"
    remote = SPARQLUpdateStore(f"{base}sparql", f"{base}update", headers={"Authorization": f"Bearer {TOKEN}"},
                               returnFormat="json")
    graph = rdflib.Graph(remote, identifier=rdflib.URIRef(f"{EX}rdflib"))
    triple = (rdflib.URIRef(f"{EX}r"), rdflib.URIRef(f"{EX}p"), rdflib.Literal("écrit par rdflib", lang="fr"))
    graph.add(triple)
    assert triple in graph
    assert ask(client, f"GRAPH <{EX}rdflib> {{ <{EX}r> <{EX}p> 'écrit par rdflib'@fr }}")
    graph.remove(triple)
    assert triple not in graph
    assert not ask(client, f"<{EX}r> ?p ?o")
