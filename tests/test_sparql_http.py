"""``/sparql`` beyond the basics of test_web: service description, limits, SERVICE allow-list, CORS,
and real clients (SPARQLWrapper, rdflib's SPARQLStore) against a real uvicorn process.

The time limit is tested with a runaway query (a three-way cross product of the store's few
hundred triples: hundreds of millions of rows to count) that the server must stop while it
goes on answering other queries, and whose worker process must really be gone.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from xml.dom.minidom import Document

import httpx
import pytest
import rdflib
from asgi_fixture import extraction_a, extraction_b, fill
from http_server import (
    TOKEN,
    assert_one_line_error,
    recording_listener,
    running_server,
    serving,
    worker_pids,
)
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TSV, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.config import Settings
from kg.rdf import document_iri
from kg.store import GraphStore
from kg.web.app import create_app

LT = "https://w3id.org/legal-timeline/ontology#"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
DOC_A = document_iri(extraction_a().article.id)
DOC_B = document_iri(extraction_b().article.id)
EVENTS = len(extraction_a().events) + len(extraction_b().events)
COUNT_EVENTS = f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a <{LT}LegalEvent> }}"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    with GraphStore(tmp_path_factory.mktemp("store") / "kg") as opened:
        fill(opened)
        yield opened


@pytest.fixture(scope="module")
def limited(store: GraphStore) -> Iterator[httpx.Client]:
    """A server with a one-second query limit and a 20 kB result cap."""
    settings = Settings(store=Path(str(store.path)), query_timeout=1.0, max_result_bytes=20_000,
                        max_query_bytes=2_000)
    with serving(create_app(store, settings=settings)) as http:
        yield http


def count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# -- service description ----------------------------------------------------------------------------


def test_get_without_query_is_the_service_description(limited: httpx.Client) -> None:
    response = limited.get("/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    endpoint = rdflib.URIRef(str(limited.base_url).rstrip("/") + "/sparql")
    assert (endpoint, rdflib.RDF.type, SD.Service) in graph
    assert (endpoint, SD.endpoint, endpoint) in graph
    assert (endpoint, SD.feature, SD.UnionDefaultGraph) in graph
    assert (endpoint, SD.feature, SD.BasicFederatedQuery) not in graph  # SERVICE is refused here
    formats = {str(o).rsplit("/", 1)[1] for o in graph.objects(endpoint, SD.resultFormat)}
    assert formats == {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                       "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"}
    assert not any(isinstance(node, rdflib.BNode) for triple in graph for node in triple)
    as_xml = limited.get("/sparql", headers={"accept": "application/rdf+xml"})
    assert len(rdflib.Graph().parse(data=as_xml.text, format="xml")) == len(graph)


# -- limits -----------------------------------------------------------------------------------------


def test_a_runaway_query_is_stopped_while_others_are_answered(limited: httpx.Client) -> None:
    before = worker_pids()
    assert len(before) >= 2
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        outcome["response"] = limited.get("/sparql", params={"query": RUNAWAY})
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)  # the runaway holds a worker now
    latencies = []
    while thread.is_alive():
        started = time.monotonic()
        assert count(limited.get("/sparql", params={"query": COUNT_EVENTS})) == EVENTS
        latencies.append(time.monotonic() - started)
    thread.join()
    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert_one_line_error(response, 503, "query stopped after 1 s", "KG_QUERY_TIMEOUT")
    assert 1.0 <= float(str(outcome["seconds"])) < 3.0
    assert len(latencies) >= 3 and max(latencies) < 0.5
    deadline = time.monotonic() + 10
    while len(worker_pids()) < len(before) or not (before - worker_pids()):
        assert time.monotonic() < deadline, "the runaway's worker was not replaced"
        time.sleep(0.05)
    assert len(before - worker_pids()) == 1  # exactly one worker killed, and it is gone
    assert count(limited.get("/sparql", params={"query": COUNT_EVENTS})) == EVENTS


def test_a_worker_that_dies_is_replaced_and_queries_go_on(limited: httpx.Client) -> None:
    """A worker killed from outside (a crash, the OOM killer) leaves no dead worker in the pool."""
    before = worker_pids()
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while victim in worker_pids() or len(worker_pids()) < len(before):
        assert time.monotonic() < deadline, "the dead worker was not replaced"
        time.sleep(0.05)
    for _ in range(2 * len(before)):  # every worker in turn answers
        assert count(limited.get("/sparql", params={"query": COUNT_EVENTS})) == EVENTS


def test_a_result_over_the_cap_is_refused_before_the_first_byte(limited: httpx.Client) -> None:
    everything = limited.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert_one_line_error(everything, 500, "larger than 20000 bytes", "KG_MAX_RESULT_BYTES")
    assert count(limited.get("/sparql", params={"query": COUNT_EVENTS})) == EVENTS


def test_a_query_body_over_the_cap_is_413(limited: httpx.Client) -> None:
    padded = COUNT_EVENTS + " " * 3000
    response = limited.post("/sparql", content=padded.encode(),
                            headers={"content-type": "application/sparql-query"})
    assert_one_line_error(response, 413, "larger than 2000 bytes", "KG_MAX_QUERY_BYTES")


def test_a_large_result_is_sent_whole_from_its_spill_file(store: GraphStore) -> None:
    rows = 12_000  # about 2 MB of JSON: past what a worker keeps in memory
    query = f"SELECT ?a ?d WHERE {{ ?a ?b ?c . ?d ?e ?f }} LIMIT {rows}"
    beside = Path(str(store.path)).parent
    others = set(beside.glob("kg-query-snapshots-*"))  # the module's other servers'
    with serving(create_app(store, settings=Settings(store=Path(str(store.path))))) as http:
        response = http.get("/sparql", params={"query": query})
        assert response.status_code == 200
        assert int(response.headers["content-length"]) > 1024 * 1024
        assert len(response.json()["results"]["bindings"]) == rows
        [snapshots] = set(beside.glob("kg-query-snapshots-*")) - others
        deadline = time.monotonic() + 5
        while list(snapshots.glob("result-*")):  # deleted once sent
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert not snapshots.exists()  # removed at shutdown


def test_queries_see_every_write_made_before_them(tmp_path: Path) -> None:
    with GraphStore(tmp_path / "kg") as store, serving(create_app(store)) as http:
        fill(store)
        assert count(http.get("/sparql", params={"query": COUNT_EVENTS})) == EVENTS
        store.delete_document(DOC_B)
        assert count(http.get("/sparql", params={"query": COUNT_EVENTS})) == len(extraction_a().events)


def test_an_in_memory_store_is_served_too() -> None:
    store = GraphStore()
    with serving(create_app(store, on_startup=lambda: fill(store))) as http:
        assert count(http.get("/sparql", params={"query": COUNT_EVENTS})) == EVENTS


# -- SERVICE allow-list -----------------------------------------------------------------------------


def test_service_allow_list_lets_only_listed_endpoints_through(store: GraphStore) -> None:
    with recording_listener() as (allowed, received), recording_listener() as (other, other_received):
        settings = Settings(store=Path(str(store.path)), service_allow=frozenset({allowed}), query_timeout=5)
        with serving(create_app(store, settings=settings)) as http:
            federated = "SELECT * WHERE {{ SERVICE <{}> {{ ?s ?p ?o }} }}"
            refused = http.get("/sparql", params={"query": federated.format(other)})
            assert_one_line_error(refused, 400, f"SERVICE <{other}> is not allowed", allowed,
                                  "KG_SERVICE_ALLOW")
            description = rdflib.Graph().parse(data=http.get("/sparql").text, format="turtle")
            assert (None, SD.feature, SD.BasicFederatedQuery) in description
            http.get("/sparql", params={"query": federated.format(allowed)})
        time.sleep(0.3)
    assert other_received == []
    assert received and received[0].startswith(b"POST /sparql")  # the listed endpoint was called


# -- CORS -------------------------------------------------------------------------------------------


def test_cors_is_off_by_default(limited: httpx.Client) -> None:
    response = limited.get("/sparql", params={"query": COUNT_EVENTS}, headers={"origin": "https://app.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = limited.options("/sparql", headers={"origin": "https://app.example",
                                                    "access-control-request-method": "POST"})
    assert preflight.status_code == 405


def test_cors_allows_the_configured_origins(store: GraphStore) -> None:
    settings = Settings(store=Path(str(store.path)), cors_origins=("https://app.example",))
    with serving(create_app(store, settings=settings)) as http:
        allowed = http.get("/sparql", params={"query": COUNT_EVENTS}, headers={"origin": "https://app.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://app.example"
        preflight = http.options("/update", headers={"origin": "https://app.example",
                                                     "access-control-request-method": "POST",
                                                     "access-control-request-headers": "authorization"})
        assert preflight.status_code == 200
        assert "POST" in preflight.headers["access-control-allow-methods"]
        other = http.get("/sparql", params={"query": COUNT_EVENTS}, headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


# -- real clients against a real server -------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("served") / "kg", KG_UPDATE_TOKEN=TOKEN) as base:
        yield base


def wrapper(server: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select_in_every_results_format(server: str, method: str) -> None:
    query = f"SELECT ?e ?d WHERE {{ ?e a <{LT}LegalEvent> ; <{LT}date> ?d }} ORDER BY ?d ?e"
    as_json = wrapper(server, query, JSON, method).query().convert()
    assert isinstance(as_json, dict)
    rows = [(b["e"]["value"], b["d"]["value"]) for b in as_json["results"]["bindings"]]
    assert rows and [d for _, d in rows] == sorted(d for _, d in rows)
    as_xml = wrapper(server, query, XML, method).query().convert()
    assert isinstance(as_xml, Document)
    assert len(as_xml.getElementsByTagName("result")) == len(rows)
    for fmt, separator in ((CSV, ","), (TSV, "\t")):
        text = wrapper(server, query, fmt, method).query().convert()
        assert isinstance(text, bytes)
        lines = text.decode().splitlines()
        assert lines[0].replace("?", "").split(separator) == ["e", "d"]
        assert len(lines) == len(rows) + 1


# SPARQLWrapper builds its graphs with rdflib's deprecated ConjunctiveGraph (its warning, not ours).
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_sparqlwrapper_ask_and_construct(server: str) -> None:
    ask = wrapper(server, f"ASK {{ ?e a <{LT}Ruling> }}", JSON, POST).query().convert()
    assert ask == {"head": {}, "boolean": True}
    construct = f"CONSTRUCT {{ ?e <{LT}date> ?d }} WHERE {{ ?e a <{LT}LegalEvent> ; <{LT}date> ?d }}"
    for fmt in ("turtle", XML, "json-ld", "n3"):
        graph = wrapper(server, construct, fmt).query().convert()
        if isinstance(graph, bytes):  # turtle and n3 come back as text
            graph = rdflib.Graph().parse(data=graph, format="turtle")
        assert isinstance(graph, rdflib.Graph)
        assert len(graph) == sum(1 for x in (extraction_a(), extraction_b()) for e in x.events if e.date)


def test_sparqlwrapper_reports_our_syntax_message(server: str) -> None:
    with pytest.raises(QueryBadFormed) as raised:
        wrapper(server, "SELECT * WHERE {\n ?s ?p }", JSON).query()
    assert "SPARQL syntax error at line 2, column" in str(raised.value)


def test_rdflib_sparqlstore_as_a_read_only_graph(server: str) -> None:
    graph = rdflib.Graph(SPARQLStore(f"{server}/sparql", returnFormat="json"))
    events = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(LT + "LegalEvent")))
    assert len(events) == EVENTS
    titles = {str(o) for o in graph.objects(rdflib.URIRef(DOC_A), rdflib.DCTERMS.title)}
    assert titles == {extraction_a().article.title}
    rows = list(graph.query(COUNT_EVENTS))
    assert int(rows[0][0]) == EVENTS  # type: ignore[index,arg-type]
    with pytest.raises(TypeError):
        graph.add((rdflib.URIRef(DOC_A), rdflib.RDFS.label, rdflib.Literal("x")))
