"""The HTTP doors: /sparql, /graphql, /export and /health, in process and through a real uvicorn.

The store is filled from the hand-built extractions of ``asgi_fixture`` (no extractor
involved).  Most tests talk over HTTP to uvicorn serving the app from a thread of the test
process (so a test can count the SPARQL queries its store runs); ``test_real_server``
starts ``python -m uvicorn`` as a separate process and uses SPARQLWrapper, rdflib and httpx.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import rdflib
import uvicorn
from asgi_fixture import STORE_ENV, extraction_a, extraction_b, fill
from http_server import running_server
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper
from starlette.applications import Starlette

from kg.rdf import document_iri
from kg.store import GraphStore
from kg.web.app import create_app
from kg.web.negotiation import choose

LT = "https://w3id.org/legal-timeline/ontology#"
DOC_A = document_iri(extraction_a().article.id)
DOC_B = document_iri(extraction_b().article.id)
EVENT_COUNT = len(extraction_a().events) + len(extraction_b().events)
COUNT_EVENTS = f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a <{LT}LegalEvent> }}"
CONSTRUCT_DATES = f"CONSTRUCT {{ ?e <{LT}date> ?d }} WHERE {{ ?e a <{LT}LegalEvent> ; <{LT}date> ?d }}"
DATED_EVENTS = sum(1 for x in (extraction_a(), extraction_b()) for e in x.events if e.date)
TIMELINE = "{ events { nodes { id type label date precision } } }"


class CountingStore(GraphStore):
    """A real store that counts the SPARQL queries run through it (to check GraphQL batching)."""

    queries = 0

    def query(self, sparql: str, **options: Any) -> Any:
        type(self).queries += 1
        return super().query(sparql, **options)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CountingStore]:
    opened = CountingStore(tmp_path_factory.mktemp("store"))
    with opened:
        fill(opened)
        yield opened


@contextmanager
def serving(app: Starlette) -> Iterator[httpx.Client]:
    """uvicorn serving ``app`` on a free loopback port from a thread; a client bound to it."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            yield http
    finally:
        server.should_exit = True
        thread.join()


@pytest.fixture(scope="module")
def client(store: CountingStore) -> Iterator[httpx.Client]:
    with serving(create_app(store)) as http:
        yield http


def sparql_json(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/sparql-results+json"
    bindings: list[dict[str, Any]] = response.json()["results"]["bindings"]
    return bindings


def graphql(client: httpx.Client, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


def rdflib_parse(text: str, rdflib_format: str, dataset: bool = False) -> rdflib.Graph:
    """rdflib's reading of ``text``; a dataset format is read as a Dataset, seen as the union of its graphs.

    rdflib 7.6's JSON-LD and quad parsers call its own deprecated ConjunctiveGraph API and
    warn about it; those warnings (rdflib's, not ours) are silenced here only.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="rdflib")
        if not dataset:
            return rdflib.Graph().parse(data=text, format=rdflib_format)
        union = rdflib.Graph()
        parsed = rdflib.Dataset()
        parsed.parse(data=text, format=rdflib_format)
        for s, p, o, _ in parsed.quads((None, None, None, None)):
            union.add((s, p, o))
        return union


def assert_one_line_error(response: httpx.Response, status: int, *fragments: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.count("\n") == 1 and "Traceback" not in response.text
    for fragment in fragments:
        assert fragment in response.text


# -- /health and start-up ---------------------------------------------------------------------------


def test_health_counts_documents_and_triples(client: httpx.Client, store: CountingStore) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok", "documents": 2, "triples": sum(d.triples for d in store.documents()),
    }


def test_on_startup_runs_before_the_first_request() -> None:
    empty = GraphStore()
    with serving(create_app(empty, on_startup=lambda: fill(empty))) as started:
        assert started.get("/health").json()["documents"] == 2


# -- /sparql: the three ways in ---------------------------------------------------------------------


def test_get_post_form_and_post_query_agree(client: httpx.Client) -> None:
    answers = [
        client.get("/sparql", params={"query": COUNT_EVENTS}),
        client.post("/sparql", data={"query": COUNT_EVENTS}),
        client.post("/sparql", content=COUNT_EVENTS.encode(),
                    headers={"content-type": "application/sparql-query; charset=utf-8"}),
    ]
    for response in answers:
        assert sparql_json(response)[0]["n"]["value"] == str(EVENT_COUNT)


def test_default_graph_is_the_union_of_documents_unless_named(client: httpx.Client) -> None:
    only_b = client.get("/sparql", params={"query": COUNT_EVENTS, "default-graph-uri": DOC_B})
    assert sparql_json(only_b)[0]["n"]["value"] == "1"
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    named = client.post("/sparql", content=graphs.encode(), params={"named-graph-uri": DOC_A},
                        headers={"content-type": "application/sparql-query"})
    assert [row["g"]["value"] for row in sparql_json(named)] == [DOC_A]


def test_ask(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": f"ASK {{ ?e a <{LT}Ruling> }}"})
    assert response.status_code == 200 and response.json()["boolean"] is True


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("text/html, */*;q=0.1", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
    ],
)
def test_select_results_follow_accept(client: httpx.Client, accept: str, content_type: str) -> None:
    response = client.get("/sparql", params={"query": COUNT_EVENTS}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert str(EVENT_COUNT) in response.text
    assert response.headers["vary"] == "Accept"


def test_format_parameter_overrides_accept(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": COUNT_EVENTS, "format": "csv"},
                          headers={"accept": "application/sparql-results+json"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text.splitlines() == ["n", str(EVENT_COUNT)]
    # SPARQLWrapper repeats the format as a short name and a media type, plus `output`/`results`.
    wrapper_style = client.get("/sparql", params=[("query", CONSTRUCT_DATES), ("format", "rdf+xml"),
                                                  ("format", "application/rdf+xml"), ("output", "rdf+xml")])
    assert wrapper_style.headers["content-type"] == "application/rdf+xml"
    assert len(rdflib.Graph().parse(data=wrapper_style.text, format="xml")) == DATED_EVENTS


@pytest.mark.parametrize(
    ("accept", "content_type", "rdflib_format"),
    [
        (None, "text/turtle; charset=utf-8", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_construct_results_follow_accept(
    client: httpx.Client, accept: str | None, content_type: str, rdflib_format: str
) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": CONSTRUCT_DATES}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert len(rdflib_parse(response.text, rdflib_format)) == DATED_EVENTS


def test_describe_is_turtle(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": f"DESCRIBE <{DOC_B}>"})
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert (rdflib.URIRef(DOC_B), rdflib.RDF.type, rdflib.URIRef(LT + "Article")) in graph


# -- /sparql: refusals ------------------------------------------------------------------------------


def test_syntax_error_is_a_400_with_line_and_column(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p }"})
    assert_one_line_error(response, 400, "SPARQL syntax error at line 2, column")


@pytest.mark.parametrize(
    ("request_args", "fragment"),
    [
        ({"params": [("query", COUNT_EVENTS), ("query", COUNT_EVENTS)]}, "more than once"),
        ({"params": {"default-graph-uri": DOC_A}}, "missing SPARQL query"),
        ({"params": {"query": "  "}}, "missing SPARQL query"),
        ({"params": {"update": "CLEAR ALL"}}, "SPARQL Update is not accepted"),
        ({"params": {"query": COUNT_EVENTS, "default-graph-uri": "not an iri"}}, "not an absolute IRI"),
    ],
)
def test_bad_get_requests_are_400(client: httpx.Client, request_args: dict[str, Any], fragment: str) -> None:
    assert_one_line_error(client.get("/sparql", **request_args), 400, fragment)


def test_bad_post_requests_are_400(client: httpx.Client) -> None:
    wrong_type = client.post("/sparql", content=COUNT_EVENTS.encode(), headers={"content-type": "text/plain"})
    assert_one_line_error(wrong_type, 400, "unsupported Content-Type 'text/plain'")
    twice = client.post("/sparql", params={"query": COUNT_EVENTS}, content=COUNT_EVENTS.encode(),
                        headers={"content-type": "application/sparql-query"})
    assert_one_line_error(twice, 400, "more than once")
    not_utf8 = client.post("/sparql", content=b"SELECT \xff",
                           headers={"content-type": "application/sparql-query"})
    assert_one_line_error(not_utf8, 400, "not UTF-8")


def test_other_methods_are_405(client: httpx.Client) -> None:
    for method in ("PUT", "DELETE", "PATCH"):
        response = client.request(method, "/sparql", params={"query": COUNT_EVENTS})
        assert response.status_code == 405
        assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}


def test_nothing_acceptable_is_406(client: httpx.Client) -> None:
    png = client.get("/sparql", params={"query": COUNT_EVENTS}, headers={"accept": "image/png"})
    assert_one_line_error(png, 406, "application/sparql-results+json")
    zero = client.get("/sparql", params={"query": COUNT_EVENTS}, headers={"accept": "*/*;q=0"})
    assert zero.status_code == 406
    csv_graph = client.get("/sparql", params={"query": CONSTRUCT_DATES, "format": "csv"})
    assert_one_line_error(csv_graph, 406, "CONSTRUCT/DESCRIBE", "text/turtle")


@pytest.fixture()
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A TCP server on loopback that records whatever connects to it."""
    received: list[bytes] = []
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection:
                received.append(connection.recv(4096))

    thread = threading.Thread(target=accept)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", received
    stop.set()
    thread.join()
    server.close()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ service silent <{url}> {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ FILTER EXISTS {{ SeRvIcE <{url}> {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_refused_without_contacting_anyone(
    client: httpx.Client, listener: tuple[str, list[bytes]], template: str
) -> None:
    url, received = listener
    response = client.get("/sparql", params={"query": template.format(url=url)})
    assert_one_line_error(response, 400, "SERVICE")
    time.sleep(0.3)
    assert received == []


def test_the_word_service_elsewhere_is_fine(client: httpx.Client) -> None:
    query = 'PREFIX service: <http://example.org/> SELECT ?x WHERE { BIND ("service" AS ?x) ?s service:p ?o }'
    assert sparql_json(client.get("/sparql", params={"query": query})) == []


# -- Accept parsing ---------------------------------------------------------------------------------


def test_choose_weighs_specific_ranges_over_wildcards() -> None:
    offered = ["application/sparql-results+json", "text/csv"]
    assert choose(None, offered) == offered[0]
    assert choose("*/*;q=0.1, text/csv", offered) == "text/csv"
    assert choose("text/*, application/sparql-results+json;q=0.9", offered) == "text/csv"
    assert choose("text/csv;q=0, */*", offered) == offered[0]
    assert choose("application/xml, garbage, text/csv;q=oops", offered) is None


# -- /export ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension", "rdflib_format", "dataset"),
    [
        ("turtle", "text/turtle; charset=utf-8", "ttl", "turtle", False),
        ("trig", "application/trig", "trig", "trig", True),
        ("ntriples", "application/n-triples", "nt", "nt", False),
        ("nquads", "application/n-quads", "nq", "nquads", True),
        ("jsonld", "application/ld+json", "jsonld", "json-ld", True),
    ],
)
def test_export_formats(
    client: httpx.Client, fmt: str, content_type: str, extension: str, rdflib_format: str, dataset: bool
) -> None:
    response = client.get("/export", params={"format": fmt, "document": DOC_B})
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["content-disposition"] == (
        f'attachment; filename="{extraction_b().article.id}.{extension}"')
    subjects = {str(s) for s in rdflib_parse(response.text, rdflib_format, dataset).subjects()}
    assert DOC_B in subjects and DOC_A not in subjects


def test_export_everything_by_default(client: httpx.Client) -> None:
    response = client.get("/export")
    assert response.headers["content-disposition"] == 'attachment; filename="legal-timeline.ttl"'
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    articles = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(LT + "Article")))
    assert articles == {rdflib.URIRef(DOC_A), rdflib.URIRef(DOC_B)}


def test_export_refusals(client: httpx.Client) -> None:
    assert_one_line_error(client.get("/export", params={"format": "rdfxml"}), 400, "unknown export format")
    unknown = client.get("/export", params={"document": DOC_A + "-missing"})
    assert_one_line_error(unknown, 404, "no document")
    assert_one_line_error(client.get("/export", params={"document": "nope"}), 400, "not an absolute IRI")
    assert client.post("/export").status_code == 405


def expected_order() -> list[str]:
    """Labels by date (a month or year sorts by its text, before any later day), undated last."""
    events = [*extraction_a().events, *extraction_b().events]
    dated = sorted((e for e in events if e.date), key=lambda e: e.date.iso() if e.date else "")
    return [e.label for e in dated] + sorted(e.label for e in events if not e.date)


# -- a real server ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m uvicorn`` serving a fresh on-disk store, filled by the app's on_startup."""
    with running_server(tmp_path_factory.mktemp("served"), factory="asgi_fixture:create",
                        store_env=STORE_ENV) as base:
        yield base


def test_real_server(server: str) -> None:
    assert httpx.get(f"{server}/health").json()["documents"] == 2

    select = SPARQLWrapper(f"{server}/sparql")
    select.setQuery(f"SELECT ?e ?d WHERE {{ ?e <{LT}date> ?d ; a <{LT}LegalEvent> }} ORDER BY ?d")
    select.setReturnFormat(JSON)
    answer = select.query().convert()
    assert isinstance(answer, dict)
    rows = answer["results"]["bindings"]
    assert [row["d"]["value"] for row in rows] == sorted(row["d"]["value"] for row in rows)
    assert len(rows) == DATED_EVENTS

    construct = SPARQLWrapper(f"{server}/sparql")
    construct.setQuery(CONSTRUCT_DATES)
    construct.setReturnFormat(TURTLE)
    turtle = construct.query().convert()
    assert isinstance(turtle, bytes)
    assert len(rdflib.Graph().parse(data=turtle, format="turtle")) == DATED_EVENTS

    exported = httpx.get(f"{server}/export", params={"format": "turtle"})
    assert exported.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=exported.text, format="turtle")
    assert len(set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(LT + "LegalEvent")))) == EVENT_COUNT

    with httpx.Client(base_url=server) as http:
        events = graphql(http, TIMELINE)["events"]["nodes"]
    assert [e["label"] for e in events][:DATED_EVENTS] == expected_order()[:DATED_EVENTS]
    assert json.dumps(events, ensure_ascii=False).count('"date": null') == EVENT_COUNT - DATED_EVENTS
