"""The store as a real Oxigraph server (``oxigraph serve``): the same answers as the embedded store.

Each test module run starts ``oxigraph serve`` from the PyPI package ``oxigraph`` on a free
loopback port, without ``--union-default-graph`` (the client asks for it per query), and
compares what ``RemoteStore`` gives with what ``GraphStore`` gives on the same articles.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from kg.ingest import extract_path
from kg.named_queries import load_named_queries
from kg.rdf import document_iri
from kg.remote_store import RemoteStore
from kg.store import GraphStore, StoreError, open_store
from kg.web.graphql import graphql_app

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "corpus"
ARTICLES = sorted(CORPUS.glob("*.txt"))
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
PARAMETERS = {"month": "2020-11", "year": "2020", "bucket": "2020-11", "period": "2020-11", "actor": "https://w3id.org/legal-timeline/id/actor/cnil",
              "event": "https://w3id.org/legal-timeline/id/event/none", "iri": "https://example.org/none",
              "affair": "https://w3id.org/legal-timeline/id/actor/cnil", "document":
              "https://w3id.org/legal-timeline/id/doc/hdh-quitte-microsoft-2020-11-23"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server at {url} exited with status {process.returncode}")
        try:
            httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"the server at {url} did not come up")


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """``oxigraph serve`` on a free loopback port over ``location``; its base URL."""
    if not Path(OXIGRAPH).exists():
        pytest.fail("the oxigraph server is not installed: pip install oxigraph (a test dependency)")
    url = f"http://127.0.0.1:{free_port()}"
    process = subprocess.Popen([OXIGRAPH, "serve", "--location", str(location), "--bind", url[7:]],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server")) as url:
        yield url


@pytest.fixture(scope="module")
def stores(server: str) -> Iterator[tuple[RemoteStore, GraphStore]]:
    remote, embedded = RemoteStore(server), GraphStore()
    for path in ARTICLES:
        extraction = extract_path(path)
        assert not remote.ingest(extraction).unchanged
        embedded.ingest(extraction)
    yield remote, embedded
    remote.close()
    embedded.close()


def rows(result: object) -> list[dict[str, str]]:
    """Solutions as text; GROUP_CONCAT lists sorted (their order depends on the store's internal ids)."""
    assert isinstance(result, pyoxigraph.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: " | ".join(sorted(s[n].value.split(" | "))) for n in names if s[n] is not None}
            for s in result]


def test_every_named_query_answers_as_the_embedded_store(stores: tuple[RemoteStore, GraphStore]) -> None:
    remote, embedded = stores
    for name, named in sorted(load_named_queries().items()):
        values = {p.name: PARAMETERS[p.name] for p in named.parameters if p.required}
        sparql = named.bind(values)
        assert rows(remote.query(sparql)) == rows(embedded.query(sparql)), name
    timeline = rows(remote.query(load_named_queries()["timeline"].bind({})))
    assert len(timeline) > 20


def test_documents_reingest_and_delete(stores: tuple[RemoteStore, GraphStore], server: str) -> None:
    remote, embedded = stores
    assert remote.documents() == embedded.documents()
    assert remote.ingest(extract_path(ARTICLES[0])).unchanged
    spare = RemoteStore(server)
    extraction = extract_path(ARTICLES[1])
    assert spare.delete_document(document_iri(extraction.article.id))
    assert len(spare.documents()) == len(ARTICLES) - 1
    assert not spare.delete_document("https://w3id.org/legal-timeline/id/doc/absent")
    assert not spare.ingest(extraction).replaced
    assert spare.documents() == embedded.documents()


def test_ask_and_construct_come_back_as_pyoxigraph_results(stores: tuple[RemoteStore, GraphStore]) -> None:
    remote, _ = stores
    assert remote.query("ASK { ?e a lt:Ruling }")
    triples = remote.query("CONSTRUCT { ?e a lt:Ruling } WHERE { ?e a lt:Ruling }")
    assert isinstance(triples, pyoxigraph.QueryTriples)
    assert len(list(triples)) > 2
    outside = remote.query("SELECT * WHERE { ?e a lt:Ruling }", union_default_graph=False)
    assert rows(outside) == []


@pytest.mark.parametrize("fmt", ["turtle", "nquads", "trig"])
def test_export_is_the_same_graph(stores: tuple[RemoteStore, GraphStore], fmt: str) -> None:
    remote, embedded = stores
    rdf_format = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nquads": pyoxigraph.RdfFormat.N_QUADS,
                  "trig": pyoxigraph.RdfFormat.TRIG}[fmt]
    exported = []
    for store in (remote, embedded):
        out = io.BytesIO()
        store.export(out, fmt)
        stamp = pyoxigraph.NamedNode("http://www.w3.org/ns/prov#endedAtTime")  # when each store ingested
        parsed = pyoxigraph.parse(out.getvalue(), format=rdf_format)
        exported.append({q for q in parsed if q.predicate != stamp})
    assert exported[0] == exported[1] and len(exported[0]) > 1000
    document = embedded.documents()[0].iri
    one = io.BytesIO()
    remote.export(one, "nquads", document)
    quads = pyoxigraph.parse(one.getvalue(), format=pyoxigraph.RdfFormat.N_QUADS)
    assert {q.graph_name.value for q in quads} == {document}


def test_errors_are_one_line_store_errors(stores: tuple[RemoteStore, GraphStore]) -> None:
    remote, _ = stores
    with pytest.raises(StoreError, match="syntax error at line 2") as error:
        remote.query("SELECT *\nWHERE { ?s ?p }")
    assert "\n" not in str(error.value)
    nowhere = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError, match=f"cannot reach the SPARQL server {nowhere}: .*refused"):
        open_store(nowhere)
    with pytest.raises(StoreError, match="not an embedded Oxigraph"):
        _ = remote.raw


def test_kg_ingest_into_the_server_resumes(server: str, tmp_path: Path) -> None:
    env = {**os.environ, "KG_STORE": server, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "kg", "ingest", str(CORPUS), "--jobs", "2"]
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert first.returncode == 0, first.stderr
    assert "7 documents:" in first.stdout and "0 failed" in first.stdout
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert "7 unchanged, 0 failed (0 extracted)" in again.stdout
    timeline = subprocess.run([sys.executable, "-m", "kg", "timeline", "--store", server, "--type", "Ruling"],
                              capture_output=True, text=True, env=env, timeout=120)
    assert timeline.returncode == 0, timeline.stderr
    assert "2020-10-14  Ruling" in timeline.stdout


def graphql_over_remote() -> Starlette:
    """The ``/graphql`` door over the server named by ``KG_STORE`` (started by uvicorn below)."""
    return Starlette(routes=[Route("/graphql", graphql_app(RemoteStore(os.environ["KG_STORE"])))])


def test_graphql_served_by_uvicorn_over_the_remote_store(stores: tuple[RemoteStore, GraphStore]) -> None:
    remote, _ = stores
    port = free_port()
    env = {**os.environ, "KG_STORE": remote.url,
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory",
                                "test_remote_store:graphql_over_remote", "--port", str(port),
                                "--log-level", "warning"], env=env)
    try:
        deadline, answer = time.monotonic() + 30, None
        while answer is None and time.monotonic() < deadline:
            try:
                answer = httpx.post(f"http://127.0.0.1:{port}/graphql", timeout=10,
                                    json={"query": "{ events { nodes { id type label date } } }"})
            except httpx.TransportError:
                time.sleep(0.2)
        assert answer is not None and answer.status_code == 200, answer
        nodes = json.loads(answer.text)["data"]["events"]["nodes"]
        assert {node["type"] for node in nodes} >= {"RULING", "APPEAL"}
    finally:
        process.terminate()
        process.wait(10)
