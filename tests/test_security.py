"""Access, outbound requests and error bodies, swept across every door of a real uvicorn server.

The per-door tests (test_update_http, test_graph_store_http, test_graphql, test_web) check each
door's own refusals; these sweeps check the rules hold for all of them at once, so a door added
later without the rule fails here:

- every route is listed as a read or a write door; every write is refused without the token
  (401), with a wrong one (403), and when the server has no token (403), and the store is
  left as it was;
- whatever a caller puts in a query, an update, a parameter or a GraphQL id, no connection
  reaches a listener on loopback;
- no error body carries a traceback or a filesystem path (the store's, a snapshot's, a
  module's).
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_fixture import fill
from http_server import TOKEN, recording_listener, running_server, serving

from kg.config import Settings
from kg.store import GraphStore
from kg.web.app import create_app

EX = "http://example.org/security/"
TURTLE = {"content-type": "text/turtle"}
UPDATE = {"content-type": "application/sparql-update"}
INGEST = ("mutation($input: ArticleInput!) { ingestArticle(input: $input) { triples } }")
ARTICLE = {"title": "T", "published": "2031-01-01T10:00:00+01:00", "text": "La CNIL a infligé une amende."}

#: Every route of the app, and whether it can write.  A new route must be added here, and if it
#: writes, to WRITES below: the sweep then checks it is behind the token.
ROUTES = {
    ("/sparql", ("GET", "HEAD", "POST")): "read (queries only: an update is refused)",
    ("/update", ("POST",)): "write",
    ("/store", ("DELETE", "GET", "HEAD", "POST", "PUT")): "write (PUT, POST, DELETE)",
    ("/queries", ("GET", "HEAD")): "read",
    ("/queries/{name}", ("GET", "HEAD")): "read",
    ("/graphql", ()): "write (mutations)",
    ("/export", ("GET", "HEAD")): "read",
    ("/health", ("GET", "HEAD")): "read",
    ("/", ("GET", "HEAD")): "read",
    ("/static", ()): "read (files)",
}

#: One request per way of writing: (method, path, keyword arguments for httpx).
WRITES: list[Request] = [
    ("POST", "/update", {"content": f"INSERT DATA {{ <{EX}s> <{EX}p> 1 }}", "headers": UPDATE}),
    ("POST", "/update", {"data": {"update": "CLEAR ALL"}}),
    ("PUT", "/store", {"params": {"graph": f"{EX}g"}, "content": f"<{EX}s> <{EX}p> 1 .", "headers": TURTLE}),
    ("POST", "/store", {"params": {"default": ""}, "content": f"<{EX}s> <{EX}p> 1 .", "headers": TURTLE}),
    ("POST", "/store", {"content": f"<{EX}s> <{EX}p> 1 .", "headers": TURTLE}),
    ("DELETE", "/store", {"params": {"default": ""}}),
    ("POST", "/graphql", {"json": {"query": INGEST, "variables": {"input": ARTICLE}}}),
    ("POST", "/graphql", {"json": {"query": "mutation { deleteDocument(id: \"x:y\") { deleted } }"}}),
]


Request = tuple[str, str, dict[str, Any]]


def send(client: httpx.Client, request: Request, **headers: str) -> httpx.Response:
    """``request`` (method, path, httpx arguments) with ``headers`` added to its own."""
    method, path, arguments = request
    merged = {**arguments.get("headers", {}), **headers}
    return client.request(method, path, **{**arguments, "headers": merged})


def test_every_route_is_classified() -> None:
    with GraphStore() as store:
        app = create_app(store)
        found = {(route.path, tuple(sorted(getattr(route, "methods", None) or ()))) for route in app.routes}
    assert found == set(ROUTES), "a route was added or changed: classify it in ROUTES (and WRITES)"


def dataset(client: httpx.Client) -> str:
    dump = client.get("/export", params={"format": "nquads"})
    assert dump.status_code == 200
    return hashlib.sha256("\n".join(sorted(dump.text.splitlines())).encode()).hexdigest()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    with GraphStore(tmp_path_factory.mktemp("store") / "kg") as opened:
        fill(opened)
        yield opened


@pytest.fixture(scope="module")
def guarded(store: GraphStore) -> Iterator[httpx.Client]:
    settings = Settings(store=Path(str(store.path)), update_token=TOKEN)
    with serving(create_app(store, settings=settings)) as http:
        yield http


@pytest.mark.parametrize("request_", WRITES, ids=lambda request: f"{request[0]} {request[1]}")
@pytest.mark.parametrize(("authorization", "status"), [
    (None, 401), ("Basic " + TOKEN, 401), ("Bearer", 401), ("Bearer wrong-token", 403),
    ("Bearer " + TOKEN[:-1], 403), ("Bearer " + TOKEN + "x", 403), ("bearer " + TOKEN.upper(), 403),
])
def test_every_write_needs_the_exact_token(
    guarded: httpx.Client, request_: Request, authorization: str | None, status: int
) -> None:
    before = dataset(guarded)
    response = send(guarded, request_, **({"authorization": authorization} if authorization else {}))
    assert response.status_code == status, response.text
    assert "Traceback" not in response.text
    assert dataset(guarded) == before


@pytest.mark.parametrize("request_", WRITES, ids=lambda request: f"{request[0]} {request[1]}")
def test_a_server_without_a_token_is_read_only(store: GraphStore, request_: Request) -> None:
    with serving(create_app(store)) as http:  # no settings: the default, read-only
        before = dataset(http)
        response = send(http, request_, authorization=f"Bearer {TOKEN}")
        assert response.status_code == 403, response.text
        assert "KG_UPDATE_TOKEN" in response.text
        assert dataset(http) == before


def test_the_token_opens_every_write(guarded: httpx.Client) -> None:
    """The other side of the sweep: with the token, writes go in (so the refusals above mean something)."""
    for request in WRITES[:1] + WRITES[2:4] + WRITES[6:7]:
        response = send(guarded, request, authorization=f"Bearer {TOKEN}")
        assert response.status_code in (200, 201, 204), (request, response.text)
        assert "errors" not in response.text


# -- no outbound requests ---------------------------------------------------------------------------


def outbound_attempts(url: str) -> list[Request]:
    """Every place a caller can put a URL: queries, updates, dataset parameters, IRIs, GraphQL ids."""
    return [
        ("GET", "/sparql", {"params": {"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"}}),
        ("POST", "/sparql", {"content": f"ASK {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
                             "headers": {"content-type": "application/sparql-query"}}),
        ("GET", "/sparql", {"params": {"query": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"}}),
        ("GET", "/sparql", {"params": {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": url,
                                       "named-graph-uri": url}}),
        ("GET", "/sparql", {"params": {"query": f"DESCRIBE <{url}>"}}),
        ("POST", "/update", {"content": f"LOAD <{url}>", "headers": UPDATE}),
        ("POST", "/update", {"content": f"LOAD SILENT <{url}> INTO GRAPH <{EX}g>", "headers": UPDATE}),
        ("POST", "/update", {"content": f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                             "headers": UPDATE}),
        ("POST", "/update", {"content": f"ADD <{url}> TO DEFAULT", "headers": UPDATE}),
        ("PUT", "/store", {"params": {"graph": url}, "content": f"<{url}> <{EX}p> 1 .", "headers": TURTLE}),
        ("GET", "/store", {"params": {"graph": url}}),
        ("GET", "/export", {"params": {"document": url}}),
        ("GET", "/queries/timeline", {"params": {"actor": url}}),
        ("POST", "/graphql", {"json": {"query": f'{{ node(id: "{url}") {{ id }} }}'}}),
        ("POST", "/graphql", {"json": {"query": f'{{ event(id: "{url}") {{ id }} }}'}}),
        ("POST", "/graphql", {"json": {"query": f'{{ actor(id: "{url}") {{ id }} }}'}}),
        ("POST", "/graphql", {"json": {"query": INGEST, "variables": {"input": {**ARTICLE, "url": url}}}}),
    ]


def test_no_request_leaves_the_server(guarded: httpx.Client) -> None:
    with recording_listener() as (url, received):
        statuses = []
        for request in outbound_attempts(url):
            response = send(guarded, request, authorization=f"Bearer {TOKEN}")
            assert response.status_code < 500, (request, response.text)
            statuses.append(response.status_code)
        time.sleep(0.5)
    assert received == []
    assert statuses[0] == statuses[1] == 400 and statuses[5] == 400  # SERVICE and LOAD are refused outright


# -- error bodies -----------------------------------------------------------------------------------


def error_requests() -> list[Request]:
    """Requests that fail, one or more per door."""
    auth = {"authorization": f"Bearer {TOKEN}"}
    spec = {"accept": "application/graphql-response+json"}  # 4xx for requests that cannot run
    query = {"content-type": "application/sparql-query"}
    return [
        ("GET", "/sparql", {"params": {"query": "SELECT ?x WHERE { ?x ?y }"}}),
        ("GET", "/sparql", {"params": {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": "nope"}}),
        ("POST", "/sparql", {"content": b"\xff\xfe", "headers": query}),
        ("POST", "/sparql", {"content": "x" * 3_000_000, "headers": query}),
        ("GET", "/sparql", {"params": {"query": "ASK {}"}, "headers": {"accept": "image/png"}}),
        ("DELETE", "/sparql", {}),
        ("POST", "/update", {"content": "INSERT DATA { <a> }", "headers": {**UPDATE, **auth}}),
        ("POST", "/update", {"content": "CLEAR GRAPH <not an iri>", "headers": {**UPDATE, **auth}}),
        ("PUT", "/store", {"params": {"graph": f"{EX}g"}, "content": "@x", "headers": {**TURTLE, **auth}}),
        ("GET", "/store", {"params": {"graph": f"{EX}absent"}}),
        ("GET", "/queries/nope", {}),
        ("GET", "/queries/timeline", {"params": {"from": "2020-13-45"}}),
        ("GET", "/export", {"params": {"format": "exe"}}),
        ("GET", "/export", {"params": {"document": "../../etc/passwd"}}),
        ("GET", "/export", {"params": {"document": f"{EX}absent"}}),
        ("GET", "/static/../../../etc/passwd", {}),
        ("GET", "/static/%2e%2e/%2e%2e/kg/web/app.py", {}),
        ("GET", "/nowhere", {}),
        ("POST", "/graphql", {"json": {"query": "{ nope }"}, "headers": spec}),
        ("POST", "/graphql", {"json": {"query": "query($n: Int) { events(first: $n) { totalCount } }",
                                       "variables": {"n": 10**6}}, "headers": spec}),
        ("POST", "/graphql", {"content": b"{", "headers": {"content-type": "application/json", **spec}}),
        ("POST", "/graphql", {"json": {"query": INGEST, "variables": {"input": {**ARTICLE, "text": "\x00"}}},
                              "headers": {**auth, **spec}}),
    ]


def assert_no_internals(text: str, store_path: Path) -> None:
    assert "Traceback" not in text and 'File "' not in text
    for fragment in (str(store_path), str(store_path.parent), "/tmp/", "/work/", "site-packages", ".py\""):
        assert fragment not in text, (fragment, text)


@pytest.mark.parametrize("request_", error_requests(), ids=lambda request: f"{request[0]} {request[1]}")
def test_errors_carry_no_traceback_and_no_path(
    guarded: httpx.Client, store: GraphStore, request_: Request
) -> None:
    response = send(guarded, request_)
    assert 400 <= response.status_code < 500, response.text
    assert_no_internals(response.text, Path(str(store.path)))


def test_a_lost_query_snapshot_is_a_500_without_its_path(tmp_path: Path) -> None:
    """A snapshot removed under the server (a /tmp cleaner): the query fails, its path is not told."""
    with GraphStore(tmp_path / "store") as store:
        fill(store)
        settings = Settings(store=tmp_path / "store", query_workers=2)
        with serving(create_app(store, settings=settings)) as http:
            assert http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
            [snapshots] = tmp_path.glob("kg-query-snapshots-*")
            for snapshot in snapshots.iterdir():
                shutil.rmtree(snapshot) if snapshot.is_dir() else snapshot.unlink()
            answers = [http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}) for _ in range(2)]
    failed = [answer for answer in answers if answer.status_code != 200]
    assert failed, "the second worker opened a snapshot that is gone"
    for answer in failed:
        assert answer.status_code == 500, answer.text
        assert_no_internals(answer.text, tmp_path / "store")


def test_the_real_server_logs_no_traceback_for_client_errors(tmp_path: Path) -> None:
    """``running_server`` fails the test if the server's output holds a traceback."""
    with GraphStore(tmp_path / "store") as store:
        fill(store)
    with running_server(tmp_path / "store", KG_UPDATE_TOKEN=TOKEN) as base, httpx.Client(
            base_url=base) as client:
        for request in error_requests():
            response = send(client, request)
            assert 400 <= response.status_code < 500, (request, response.text)
            assert_no_internals(response.text, tmp_path / "store")
