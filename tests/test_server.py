"""The server as a user starts it: an empty store comes up with the sample article's timeline.

Both entry points are driven as real processes: ``uvicorn server:app`` and
``kg serve``, each answered by real clients (SPARQLWrapper, rdflib, httpx).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from SPARQLWrapper import JSON, SPARQLWrapper

ROOT = Path(__file__).resolve().parent.parent
TIMELINE = """{ events { nodes { type date precision deadline outcome flags label
  agents { name } addressees { name } evidence { text start end } } } }"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}: {process.stderr.read()!r}")  # type: ignore[union-attr]
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("server did not answer /health within 60 s")


def start(command: list[str], store: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "KG_STORE": str(store)}
    process = subprocess.Popen(
        [*command, "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        assert process.stderr is not None
        process.stderr.close()


@pytest.fixture(scope="module")
def uvicorn_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("server") / "store"
    yield from start([sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1"], store)


def test_health_counts_the_sample(uvicorn_server: str) -> None:
    health = httpx.get(f"{uvicorn_server}/health").json()
    assert health["status"] == "ok" and health["documents"] == 1 and health["triples"] > 100


def test_sparql_with_sparqlwrapper(uvicorn_server: str) -> None:
    client = SPARQLWrapper(f"{uvicorn_server}/sparql")
    client.setReturnFormat(JSON)
    client.setQuery("""
        PREFIX lt: <https://w3id.org/legal-timeline/ontology#>
        SELECT ?date (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a lt:LegalEvent ; lt:date ?date }
        GROUP BY ?date ORDER BY ?date""")
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index,call-overload]
    dates = [row["date"]["value"] for row in rows]
    assert {"2020-04-21", "2020-10-08", "2020-10-14", "2020-11-19"} <= set(dates)


def test_graphql_timeline_of_the_sample(uvicorn_server: str) -> None:
    answer = httpx.post(f"{uvicorn_server}/graphql", json={"query": TIMELINE}).json()
    assert "errors" not in answer
    events = answer["data"]["events"]["nodes"]
    dated = [e["date"] for e in events if e["date"]]
    assert dated == sorted(dated)
    ruling = next(e for e in events if e["type"] == "RULING" and e["date"] == "2020-10-14")
    assert ruling["outcome"] == "REJECTED" and "weekday_mismatch" in ruling["flags"]
    assert {a["name"] for a in ruling["agents"]} == {"Conseil d’État"}
    commitment = next(e for e in events if e["type"] == "COMMITMENT")
    assert commitment["deadline"] == "2022-11"
    for event in events:
        assert all(ev["end"] > ev["start"] for ev in event["evidence"])


def test_turtle_export_parses_with_rdflib(uvicorn_server: str) -> None:
    response = httpx.get(f"{uvicorn_server}/export")
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    ruling = rdflib.URIRef("https://w3id.org/legal-timeline/ontology#Ruling")
    assert any(graph.subjects(rdflib.RDF.type, ruling))


def test_kg_serve_loads_the_sample(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "kg", "serve", "--host", "127.0.0.1"]
    for base in start(command, tmp_path / "store"):
        health = httpx.get(f"{base}/health").json()
        assert health["documents"] == 1


@pytest.mark.parametrize("quiet", [False, True])
def test_access_log_lines_unless_turned_off(tmp_path: Path, quiet: bool) -> None:
    """One line per request by default, as uvicorn logs; ``--no-access-log`` spares that cost."""
    port = free_port()
    command = [sys.executable, "-m", "kg", "serve", "--no-sample", "--port", str(port)]
    env = {**os.environ, "KG_STORE": str(tmp_path / "store")}
    process = subprocess.Popen([*command, *(["--no-access-log"] if quiet else [])], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        assert httpx.get(f"{base}/health?probe=access-log").status_code == 200
    finally:
        process.terminate()
        logged, _ = process.communicate(timeout=30)
    assert ("/health?probe=access-log" in logged) is not quiet
