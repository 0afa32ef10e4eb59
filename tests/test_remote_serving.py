"""The web server over a real Oxigraph server (``oxigraph serve``): every door as over the embedded store.

Two ``python -m uvicorn`` servers hold the same hand-built articles of ``asgi_fixture``: one
over an embedded store, one over a remote store (``KG_STORE=http://…``, the articles written
by the app's start-up through SPARQL Update).  SPARQL, named queries, GraphQL (the timeline
page's own queries), exports and the Graph Store must give the same answers from both;
writes (``/update``, ``/store``) go to the server with the token.  Then the server as users
start it, ``kg serve --store URL`` and ``uvicorn server:app`` with ``KG_STORE=URL``, comes up
over an empty Oxigraph server with the sample article, and the timeline page draws it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from asgi_fixture import STORE_ENV, extraction_a, extraction_b, fill
from http_server import TOKEN, assert_one_line_error, free_port, running_server, serving
from starlette.applications import Starlette
from test_remote_store import oxigraph_server

from kg.config import Settings
from kg.rdf import document_iri
from kg.remote_store import RemoteStore
from kg.store import open_store
from kg.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
LT = "https://w3id.org/legal-timeline/ontology#"
DOC_A = document_iri(extraction_a().article.id)
DOC_B = document_iri(extraction_b().article.id)
AUTH = {"authorization": f"Bearer {TOKEN}"}
STAMP = ox.NamedNode("http://www.w3.org/ns/prov#endedAtTime")  # when each store ingested: differs
FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "ntriples": ox.RdfFormat.N_TRIPLES,
           "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
API = (ROOT / "kg" / "web" / "static" / "api.js").read_text()


def create() -> Starlette:
    """The uvicorn app factory: the app over the SPARQL server ``KG_STORE`` names, filled at start-up."""
    store = open_store(os.environ["KG_STORE"])
    assert isinstance(store, RemoteStore)
    return create_app(store, settings=Settings.from_env(), on_startup=lambda: fill(store))


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(scope="module")
def served(remote: str) -> Iterator[str]:
    """The app over the Oxigraph server, with a write token."""
    with running_server(remote, factory="test_remote_serving:create",  # type: ignore[arg-type]  # a URL
                        store_env="KG_STORE", KG_UPDATE_TOKEN=TOKEN) as base:
        yield base


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same articles over the embedded store: what every answer is compared with."""
    with running_server(tmp_path_factory.mktemp("embedded"), factory="asgi_fixture:create",
                        store_env=STORE_ENV) as base:
        yield base


def both(served: str, embedded: str, method: str, path: str, **options: Any) -> list[httpx.Response]:
    answers = [httpx.request(method, f"{base}{path}", timeout=60, **options) for base in (served, embedded)]
    for answer in answers:
        assert answer.status_code == 200, answer.text
    return answers


def solutions(response: httpx.Response) -> list[dict[str, str]]:
    """SELECT rows as text; GROUP_CONCAT lists sorted (their order depends on each store's internal ids)."""
    return [{name: " | ".join(sorted(value["value"].split(" | "))) for name, value in row.items()}
            for row in response.json()["results"]["bindings"]]


def statements(response: httpx.Response, rdf_format: ox.RdfFormat) -> set[ox.Quad]:
    return {q for q in ox.parse(response.content, format=rdf_format) if q.predicate != STAMP}


def graphql(base: str, query: str, **variables: Any) -> dict[str, Any]:
    answer = httpx.post(f"{base}/graphql", json={"query": query, "variables": variables}, timeout=60)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    assert "errors" not in body, body["errors"]
    return body


def page_query(name: str) -> str:
    """One of the timeline page's own GraphQL operations, as ``api.js`` sends it."""
    match = re.search(rf"const {name} = `(.*?)`;", API, re.DOTALL)
    assert match is not None, name
    summary = re.search(r"const SUMMARY = `(.*?)`;", API, re.DOTALL)
    assert summary is not None
    return match.group(1).replace("${SUMMARY}", summary.group(1))


# -- reading: the same answers as the embedded store --------------------------------------------------


def test_health_counts_the_same_documents_and_triples(served: str, embedded: str) -> None:
    remote, local = both(served, embedded, "GET", "/health")
    assert remote.json() == local.json() and remote.json()["documents"] == 2


@pytest.mark.parametrize("params", [
    {"query": f"SELECT ?e ?d WHERE {{ ?e a <{LT}LegalEvent> ; <{LT}date> ?d }} ORDER BY ?d ?e"},
    {"query": "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a lt:LegalEvent }"},
    {"query": "SELECT ?e WHERE { ?e a lt:LegalEvent } ORDER BY ?e", "default-graph-uri": DOC_A},
    {"query": "ASK { ?e a lt:Ruling }"},
])
def test_sparql_select_and_ask(served: str, embedded: str, params: dict[str, str]) -> None:
    remote, local = both(served, embedded, "GET", "/sparql", params=params)
    assert remote.headers["content-type"] == local.headers["content-type"]
    if "boolean" in local.json():
        assert remote.json()["boolean"] is local.json()["boolean"] is True
    else:
        assert solutions(remote) == solutions(local) and solutions(local)


@pytest.mark.parametrize(("accept", "content_type"), [
    ("text/csv", "text/csv; charset=utf-8"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
])
def test_sparql_result_formats_follow_accept(
    served: str, embedded: str, accept: str, content_type: str
) -> None:
    query = {"query": "SELECT ?e ?d WHERE { ?e lt:date ?d } ORDER BY ?d ?e"}
    remote, local = both(served, embedded, "POST", "/sparql", data=query, headers={"Accept": accept})
    assert remote.headers["content-type"] == local.headers["content-type"] == content_type
    assert remote.text == local.text


def test_construct_in_turtle(served: str, embedded: str) -> None:
    query = "CONSTRUCT { ?e lt:date ?d } WHERE { ?e a lt:LegalEvent ; lt:date ?d }"
    remote, local = both(served, embedded, "POST", "/sparql", content=query.encode(),
                         headers={"Content-Type": "application/sparql-query", "Accept": "text/turtle"})
    assert remote.headers["content-type"] == "text/turtle; charset=utf-8"
    assert statements(remote, ox.RdfFormat.TURTLE) == statements(local, ox.RdfFormat.TURTLE) != set()


def test_sparql_refusals(served: str) -> None:
    syntax = httpx.get(f"{served}/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p }"})
    assert_one_line_error(syntax, 400, "SPARQL syntax error at line 2, column")
    service = httpx.get(f"{served}/sparql", params={
        "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert_one_line_error(service, 400, "SERVICE")
    nothing = httpx.get(f"{served}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
                        headers={"Accept": "image/png"})
    assert_one_line_error(nothing, 406, "no acceptable media type")


def test_named_queries(served: str, embedded: str) -> None:
    remote, local = both(served, embedded, "GET", "/queries")
    assert [q["name"] for q in remote.json()] == [q["name"] for q in local.json()]
    remote, local = both(served, embedded, "GET", "/queries/timeline", params={"from": "2031-01-01"})
    assert solutions(remote) == solutions(local) and len(solutions(local)) > 3
    unknown = httpx.get(f"{served}/queries/timeline", params={"from": "June"})
    assert_one_line_error(unknown, 400, "from")


@pytest.mark.parametrize(("operation", "variables"), [
    ("TIMELINE", {}),
    ("TIMELINE", {"from": "2031-03-01", "to": "2031-06-30"}),
    ("CATALOGUE", {}),
    ("ACTORS", {}),
])
def test_the_timeline_pages_graphql(
    served: str, embedded: str, operation: str, variables: dict[str, str]
) -> None:
    remote, local = (graphql(base, page_query(operation), **variables) for base in (served, embedded))
    assert remote == local


def test_graphql_events_page_and_event(served: str, embedded: str) -> None:
    query = "{ events(first: 3) { totalCount nodes { id type label date } pageInfo { endCursor } } }"
    remote, local = graphql(served, query), graphql(embedded, query)
    assert remote == local
    first = local["data"]["events"]["nodes"][0]["id"]
    event = graphql(served, page_query("EVENT"), id=first)
    assert event == graphql(embedded, page_query("EVENT"), id=first)
    assert event["data"]["event"]["evidence"]


@pytest.mark.parametrize("document", [None, DOC_B])
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_exports(served: str, embedded: str, fmt: str, document: str | None) -> None:
    params = {"format": fmt, **({"document": document} if document else {})}
    remote, local = both(served, embedded, "GET", "/export", params=params)
    assert remote.headers["content-type"] == local.headers["content-type"]
    assert remote.headers["content-disposition"] == local.headers["content-disposition"]
    assert statements(remote, FORMATS[fmt]) == statements(local, FORMATS[fmt])
    assert len(statements(local, FORMATS[fmt])) > 50
    if fmt == "turtle":
        assert "@prefix lt: <https://w3id.org/legal-timeline/ontology#> ." in remote.text


@pytest.mark.parametrize(("params", "accept", "rdf_format"), [
    ({}, "application/n-quads", ox.RdfFormat.N_QUADS),
    ({}, "application/trig", ox.RdfFormat.TRIG),
    ({"graph": DOC_A}, "text/turtle", ox.RdfFormat.TURTLE),
    ({"graph": DOC_A}, "application/rdf+xml", ox.RdfFormat.RDF_XML),
])
def test_graph_store_reads(
    served: str, embedded: str, params: dict[str, str], accept: str, rdf_format: ox.RdfFormat
) -> None:
    remote, local = both(served, embedded, "GET", "/store", params=params, headers={"Accept": accept})
    assert statements(remote, rdf_format) == statements(local, rdf_format) != set()
    missing = httpx.get(f"{served}/store", params={"graph": DOC_A + "-missing"})
    assert_one_line_error(missing, 404, "no graph")


# -- writing, with the token ---------------------------------------------------------------------------


def count(base: str, where: str) -> int:
    answer = httpx.get(f"{base}/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"})
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_update_with_the_token(served: str) -> None:
    insert = 'INSERT DATA { GRAPH <urn:test:notes> { <urn:test:a> rdfs:label "note" } }'
    sparql_update = {"Content-Type": "application/sparql-update"}
    refused = httpx.post(f"{served}/update", content=insert, headers=sparql_update)
    assert refused.status_code == 401
    applied = httpx.post(f"{served}/update", content=insert,
                         headers={**AUTH, **sparql_update})
    assert applied.status_code == 204, applied.text
    assert count(served, 'GRAPH <urn:test:notes> { ?s rdfs:label "note" }') == 1
    bad = httpx.post(f"{served}/update", data={"update": "INSERT DATA { <urn:a> }"}, headers=AUTH)
    assert_one_line_error(bad, 400, "SPARQL update failed")
    dropped = httpx.post(f"{served}/update", data={"update": "DROP GRAPH <urn:test:notes>"}, headers=AUTH)
    assert dropped.status_code == 204
    assert count(served, "GRAPH <urn:test:notes> { ?s ?p ?o }") == 0


def test_graph_store_writes_with_the_token(served: str) -> None:
    graph = {"graph": "urn:test:uploaded"}
    turtle = b'<urn:test:s> <urn:test:p> "one" .'
    created = httpx.put(f"{served}/store", params=graph, content=turtle,
                        headers={**AUTH, "Content-Type": "text/turtle"})
    assert created.status_code == 201, created.text
    added = httpx.post(f"{served}/store", params=graph, content=b'<urn:test:s> <urn:test:p> "two" .',
                       headers={**AUTH, "Content-Type": "application/n-triples"})
    assert added.status_code == 204, added.text
    read = httpx.get(f"{served}/store", params=graph, headers={"Accept": "application/n-triples"})
    assert {q.object.value for q in ox.parse(read.content, format=ox.RdfFormat.N_TRIPLES)} == {"one", "two"}
    assert httpx.delete(f"{served}/store", params=graph, headers=AUTH).status_code == 204
    assert httpx.get(f"{served}/store", params=graph).status_code == 404


def test_the_timeline_page_is_served(served: str) -> None:
    page = httpx.get(f"{served}/")
    assert page.status_code == 200 and "<title>Legal timeline</title>" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert httpx.get(f"{served}/static/api.js").text == API


# -- limits: the time limit and the size cap hold for a remote query -----------------------------------


@contextmanager
def limited(remote: str, settings: Settings) -> Iterator[httpx.Client]:
    """The app in this process over the (filled) server, with the limits of ``settings``."""
    with serving(create_app(RemoteStore(remote), settings=settings)) as http:
        yield http


def test_a_query_past_the_time_limit_is_a_503(remote: str, served: str) -> None:
    with limited(remote, Settings(query_timeout=1.0, query_workers=1)) as http:
        triples = count_triples(http)
        rounds = " ".join(map(str, range(max(1, 20_000_000 // triples ** 2))))  # seconds of work, bounded
        slow = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . VALUES ?k {{ {rounds} }} }}"
        assert_one_line_error(http.get("/sparql", params={"query": slow}), 503, "KG_QUERY_TIMEOUT")
        assert count_triples(http) == triples  # the next query is served


def test_results_spill_past_a_megabyte_and_stop_at_the_cap(remote: str, served: str) -> None:
    with limited(remote, Settings(max_result_bytes=3 * 1024 * 1024)) as http:
        big = http.get("/sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d a ?f } LIMIT 8000",
                                          "format": "tsv"})
        huge = http.get("/sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"})
    assert big.status_code == 200 and len(big.content) > 1024 * 1024
    assert big.text.count("\n") == 8001
    assert_one_line_error(huge, 500, "KG_MAX_RESULT_BYTES")


def count_triples(http: httpx.Client) -> int:
    answer = http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


# -- the server as users start it ----------------------------------------------------------------------


@contextmanager
def started(command: list[str], env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([*command, "--port", str(port)], cwd=ROOT, env={**os.environ, **env},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base, process)
        yield base
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
        assert b"Traceback" not in errors, errors.decode(errors="replace")


def wait_for_health(base: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.communicate()[1].decode(errors='replace')}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("the server did not answer /health within 60 s")


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second, empty Oxigraph server: ``kg serve`` and ``server:app`` load the sample into it."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-sample")) as url:
        yield url


def test_kg_serve_over_a_server_url(sample_server: str) -> None:
    command = [sys.executable, "-m", "kg", "serve", "--store", sample_server]
    with started(command, {"PYTHONPATH": str(ROOT)}) as base:
        assert httpx.get(f"{base}/health").json()["documents"] == 1
        events = graphql(base, "{ events { nodes { type date } } }")["data"]["events"]["nodes"]
        assert {"type": "RULING", "date": "2020-10-14"} in events


def test_uvicorn_server_app_with_kg_store_url_draws_the_timeline_page(sample_server: str) -> None:
    chromium = Path("/usr/bin/chromium")
    command = [sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1"]
    with started(command, {"KG_STORE": sample_server}) as base:
        dated = graphql(base, page_query("TIMELINE"))["data"]["timeline"]["dated"]
        assert len(dated) > 3
        if not chromium.exists():
            pytest.skip("no chromium at /usr/bin/chromium to draw the page")
        from playwright.sync_api import expect, sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(chromium),
                                                 args=["--no-sandbox", "--headless"])
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(base)
            expect(page.locator("body")).to_have_attribute("data-ready", "true")
            expect(page.locator("body")).not_to_have_attribute("data-busy", "true")
            shown = page.locator("#dated .event").evaluate_all("items => items.map(i => i.dataset.date)")
            browser.close()
        assert not errors
        assert shown == [event["date"] for event in dated]
