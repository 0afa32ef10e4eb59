"""Concurrency: readers see whole documents while a writer works; a second writer is refused in one
line; the server answers 32 concurrent readers for 20 seconds without an error.

The store has one writer at a time, by design: Oxigraph locks an on-disk store for the process
that opens it, so a second ``kg ingest`` (or a ``kg ingest`` while ``kg serve`` runs) stops at
once with ``kg: error: the store … is in use by another process …`` and exit status 1, before
it reads anything; it does not wait.  Writes through the server (``/update``, ``/store``,
GraphQL mutations) go through the process that holds the lock.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from asgi_fixture import extraction_a, extraction_b, fill
from http_server import TOKEN, running_server

from kg.ingest import extract_path
from kg.models import Extraction
from kg.rdf import document_iri
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "corpus"
SAMPLE = CORPUS / "hdh-quitte-microsoft-2020-11-23.txt"
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
LOAD_CLIENTS = 32
LOAD_SECONDS = float(os.environ.get("KG_LOAD_SECONDS", "20"))


def graph_counts(store: GraphStore) -> dict[str, int]:
    return {row["g"].value: int(row["n"].value) for row in store.query(COUNTS)}  # type: ignore[union-attr]


def shorter(extraction: Extraction) -> Extraction:
    """A second version of the article: its graph replaces the first and has fewer triples."""
    return dataclasses.replace(extraction, events=(dataclasses.replace(extraction.events[0], related=()),))


def test_readers_see_each_document_whole_while_a_writer_replaces_it(tmp_path: Path) -> None:
    """Python API: reader threads count every graph while the writer swaps two versions of articles."""
    versions = [extract_path(path) for path in sorted(CORPUS.glob("*.txt"))[:3]]
    allowed: dict[str, set[int]] = {}
    with GraphStore(tmp_path / "store") as store:
        for extraction in versions:
            iri = document_iri(extraction.article.id)
            allowed[iri] = {store.ingest(shorter(extraction)).triples, store.ingest(extraction).triples}
        stop, seen, failures = threading.Event(), [0], []

        def read() -> None:
            while not stop.is_set():
                counts = graph_counts(store)
                for iri, wanted in allowed.items():
                    if counts.get(iri) not in wanted:
                        failures.append(f"{iri}: {counts.get(iri)} triples, not one of {sorted(wanted)}")
                seen[0] += 1

        readers = [threading.Thread(target=read) for _ in range(4)]
        for reader in readers:
            reader.start()
        try:
            for _ in range(10):
                for extraction in versions:
                    store.ingest(shorter(extraction))
                    store.ingest(extraction)
        finally:
            stop.set()
            for reader in readers:
                reader.join()
    assert not failures, failures[:5]
    assert seen[0] > 20  # the readers really ran alongside the writer


# -- two writers ------------------------------------------------------------------------------------


def kg(*args: str, store: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "KG_STORE": str(store), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "kg", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def assert_locked(process: subprocess.Popen[str], store: Path) -> None:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1, (out, err)
    assert err.splitlines() == [f"kg: error: the store {store} is in use by another process "
                                "(or another open store): stop it or choose another store path"]
    assert "Traceback" not in out + err


def test_a_second_cli_writer_is_refused_while_the_first_finishes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(60):
        original = sorted(CORPUS.glob("*.txt"))[number % 7]
        shutil.copy(original, corpus / f"c{number:02d}-{original.name}")
    store = tmp_path / "store"
    first = kg("ingest", "--jobs", "1", str(corpus), store=store)
    time.sleep(1.5)  # it has opened (and locked) the store; 60 articles keep it busy for seconds more
    assert first.poll() is None, "the first ingest ended before the second could race it"
    assert_locked(kg("ingest", str(SAMPLE), store=store), store)
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0 and "60 documents: 60 added" in out, err
    with GraphStore(store) as opened:
        assert len(opened.documents()) == 60


# -- the server -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    path = tmp_path_factory.mktemp("served") / "store"
    with GraphStore(path) as store:
        fill(store)
    with running_server(path, KG_UPDATE_TOKEN=TOKEN, KG_QUERY_WORKERS="2") as base:
        yield base, path


def test_cli_ingest_while_the_server_holds_the_store_is_refused(server: tuple[str, Path]) -> None:
    base, path = server
    before = httpx.get(f"{base}/health").json()
    assert_locked(kg("ingest", str(SAMPLE), store=path), path)
    assert httpx.get(f"{base}/health").json() == before


def sparql_counts(client: httpx.Client) -> dict[str, int]:
    response = client.get("/sparql", params={"query": COUNTS},
                          headers={"accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return {row["g"]["value"]: int(row["n"]["value"]) for row in response.json()["results"]["bindings"]}


def graphql(client: httpx.Client, query: str, **variables: object) -> dict[str, object]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    data: dict[str, object] = response.json()["data"]
    return data


INGEST = "mutation($input: ArticleInput!) { ingestArticle(input: $input) { document { id } triples } }"
EVENT_COUNT = "{ documents { id events { totalCount } } }"


def test_http_readers_see_whole_documents_while_graphql_writes(server: tuple[str, Path]) -> None:
    """SPARQL (worker processes over snapshots) and GraphQL (the live store) readers during mutations."""
    base, _ = server
    text = extraction_a().article.text
    versions = [{"title": "Version longue", "published": "2031-07-01T10:00:00+02:00", "text": text,
                 "url": "https://example.org/concurrency"},
                {"title": "Version courte", "published": "2031-07-01T10:00:00+02:00",
                 "text": text.split(". ")[0] + ".", "url": "https://example.org/concurrency"}]
    auth = {"authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=base, timeout=60) as client:
        triples, events = set(), set()
        for version in versions:
            response = client.post("/graphql", json={"query": INGEST, "variables": {"input": version}},
                                   headers=auth)
            stored = response.json()["data"]["ingestArticle"]
            document, count = stored["document"]["id"], stored["triples"]
            triples.add(count)
            events.add(graph_count(client, document))
        assert len(triples) == 2 and len(events) == 2
        others = {iri: n for iri, n in sparql_counts(client).items() if iri != document}
    stop, failures, reads = threading.Event(), [], [0]

    def read_sparql() -> None:
        with httpx.Client(base_url=base, timeout=60) as own:
            while not stop.is_set():
                counts = sparql_counts(own)
                if counts.get(document) not in triples:
                    failures.append(f"SPARQL saw {counts.get(document)} triples, not {sorted(triples)}")
                if {iri: n for iri, n in counts.items() if iri != document} != others:
                    failures.append("SPARQL saw another document change")
                reads[0] += 1

    def read_graphql() -> None:
        with httpx.Client(base_url=base, timeout=60) as own:
            while not stop.is_set():
                seen = graph_count(own, document)
                if seen not in events:
                    failures.append(f"GraphQL saw {seen} events, not one of {sorted(events)}")
                reads[0] += 1

    readers = [threading.Thread(target=target) for target in (read_sparql, read_sparql, read_graphql)]
    for reader in readers:
        reader.start()
    try:
        with httpx.Client(base_url=base, timeout=60) as writer:
            for round_ in range(20):
                response = writer.post("/graphql", headers=auth, json={
                    "query": INGEST, "variables": {"input": versions[round_ % 2]}})
                assert response.status_code == 200 and "errors" not in response.json(), response.text
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert not failures, failures[:5]
    assert reads[0] > 20


def graph_count(client: httpx.Client, document: str) -> int:
    """The document's event count as GraphQL reads it (-1 when the document is not listed)."""
    documents = graphql(client, EVENT_COUNT)["documents"]
    assert isinstance(documents, list)
    return next((d["events"]["totalCount"] for d in documents if d["id"] == document), -1)


# -- load -------------------------------------------------------------------------------------------


def load_requests(client: httpx.Client) -> list[Callable[[], httpx.Response]]:
    """The mix of reads each client cycles through: SPARQL, a named query, GraphQL pages and lookups."""
    events = "SELECT (COUNT(?e) AS ?n) WHERE { ?e a <https://w3id.org/legal-timeline/ontology#LegalEvent> }"
    document = document_iri(extraction_b().article.id)
    return [
        lambda: client.get("/sparql", params={"query": events}),
        lambda: client.post("/sparql", content="SELECT ?g WHERE { GRAPH ?g { ?g a ?type } } LIMIT 10",
                            headers={"content-type": "application/sparql-query"}),
        lambda: client.get("/queries/timeline", params={"format": "json"}),
        lambda: client.post("/graphql", json={"query": "{ events(first: 5) { totalCount nodes { id label "
                                                       "date agents { name } } } }"}),
        lambda: client.post("/graphql", json={"query": "query($id: ID!) { node(id: $id) { ... on Document { "
                                                       "title events { totalCount } } } }",
                                              "variables": {"id": document}}),
        lambda: client.get("/graphql", params={"query": "{ documents { id title } }"}),
    ]


def test_load_32_clients_for_20_seconds_without_an_error(server: tuple[str, Path]) -> None:
    base, _ = server
    deadline = time.monotonic() + LOAD_SECONDS
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client_loop(number: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            requests = load_requests(client)
            turn = number
            while time.monotonic() < deadline:
                send = requests[turn % len(requests)]
                turn += 1
                started = time.monotonic()
                try:
                    response = send()
                    problem = None if response.status_code == 200 and not _graphql_errors(response) else \
                        f"{response.status_code} {response.text[:200]}"
                except httpx.HTTPError as error:
                    problem = f"{type(error).__name__}: {error}"
                with lock:
                    latencies.append(time.monotonic() - started)
                    if problem:
                        errors.append(problem)

    with ThreadPoolExecutor(LOAD_CLIENTS) as pool:
        list(pool.map(client_loop, range(LOAD_CLIENTS)))
    p99 = statistics.quantiles(latencies, n=100)[98]
    print(f"load: {len(latencies)} requests from {LOAD_CLIENTS} clients in {LOAD_SECONDS:.0f} s, "
          f"{len(errors)} errors, p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")
    assert errors == []
    assert len(latencies) >= LOAD_CLIENTS * 5


def _graphql_errors(response: httpx.Response) -> bool:
    if "json" not in response.headers.get("content-type", "") or "/graphql" not in str(response.url):
        return False
    return "errors" in json.loads(response.text)
