"""Benchmark: ``/sparql`` against Oxigraph's own server, same dataset, same queries, one run.

    python bench/sparql_http.py [--seconds 5] [--concurrency 16] [--events 10000]

Builds a synthetic timeline (``--events`` dated events spread over 100 article graphs),
loads it into two stores, starts ``oxigraph serve --union-default-graph`` (PyPI package
``oxigraph``) and ``kg serve`` on loopback, then drives each with the same keep-alive
HTTP/1.1 load (``--concurrency`` connections, GET ``?query=``, JSON results) for a small
SELECT (one row) and a 10,000-row SELECT, printing requests/s, p50 and p99 for both and
their ratio against the targets (60% and 80% of Oxigraph's requests/s).  The load
generator runs in this process, on the same machine: the numbers compare the servers
under the same client, they are not absolute capacities.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
LT = "https://w3id.org/legal-timeline/ontology#"
EVENT = "https://w3id.org/legal-timeline/id/event/bench/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ROWS = 10_000


@dataclass(frozen=True)
class Case:
    name: str
    query: str
    rows: int
    target: float  # the fraction of Oxigraph's requests/s that /sparql must reach


@dataclass(frozen=True)
class Measure:
    requests: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


def cases() -> list[Case]:
    return [
        Case("small SELECT (1 row)", f"SELECT ?label WHERE {{ <{EVENT}42> <{LABEL}> ?label }}", 1, 0.6),
        Case(f"{ROWS:,}-row SELECT", f"SELECT ?e ?date WHERE {{ ?e a <{LT}LegalEvent> ; <{LT}date> ?date }} "
                                     f"LIMIT {ROWS}", ROWS, 0.8),
    ]


def dataset(events: int) -> list[ox.Quad]:
    """``events`` dated, labelled events, spread over 100 article graphs."""
    quads = []
    for i in range(events):
        event = ox.NamedNode(f"{EVENT}{i}")
        graph = ox.NamedNode(f"https://w3id.org/legal-timeline/id/doc/{i % 100}")
        day = f"20{20 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        quads += [
            ox.Quad(event, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                    ox.NamedNode(LT + "LegalEvent"), graph),
            ox.Quad(event, ox.NamedNode(LT + "date"),
                    ox.Literal(day, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")), graph),
            ox.Quad(event, ox.NamedNode(LABEL), ox.Literal(f"Événement {i}", language="fr"), graph),
        ]
    return quads


def fill(path: Path, quads: list[ox.Quad]) -> None:
    store = ox.Store(str(path))
    store.bulk_extend(quads)
    store.flush()
    store.optimize()


@contextmanager
def started(command: list[str], base: str, env: dict[str, str]) -> Iterator[None]:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                sys.exit(f"{command[0]} exited: {process.stderr.read().decode() if process.stderr else ''}")
            try:
                httpx.get(base, timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    sys.exit(f"{' '.join(command)} did not answer within 60 s")
                time.sleep(0.2)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


async def _connection(port: int, request: bytes, stop: float, latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop:
            started_at = time.perf_counter()
            writer.write(request)
            await _read_response(reader)
            latencies.append(time.perf_counter() - started_at)
    finally:
        writer.close()
        await writer.wait_closed()


async def _read_response(reader: asyncio.StreamReader) -> bytes:
    status = await reader.readline()
    if b" 200 " not in status:
        raise RuntimeError(f"server answered {status!r}")
    length, chunked = None, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
        elif name.strip().lower() == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
    if not chunked:
        return await reader.readexactly(length or 0)
    body = bytearray()
    while size := int((await reader.readline()).split(b";")[0], 16):
        body += await reader.readexactly(size)
        await reader.readexactly(2)
    await reader.readexactly(2)
    return bytes(body)


async def _load(port: int, path: str, concurrency: int, seconds: float) -> Measure:
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
               "Accept: application/sparql-results+json\r\n\r\n").encode()
    latencies: list[float] = []
    started_at = time.perf_counter()
    stop = started_at + seconds
    await asyncio.gather(*(_connection(port, request, stop, latencies) for _ in range(concurrency)))
    return Measure(len(latencies), time.perf_counter() - started_at, latencies)


def measure(port: int, path: str, case: Case, concurrency: int, seconds: float) -> Measure:
    accept = {"accept": "application/sparql-results+json"}
    answer = httpx.get(f"http://127.0.0.1:{port}{path}", headers=accept)
    rows = len(answer.json()["results"]["bindings"])
    if rows != case.rows:
        sys.exit(f"port {port}: {case.name} gave {rows} rows, expected {case.rows}")
    asyncio.run(_load(port, path, concurrency, min(1.0, seconds)))  # warm-up
    return asyncio.run(_load(port, path, concurrency, seconds))


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per server and query")
    parser.add_argument("--concurrency", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--events", type=int, default=ROWS, help="events in the dataset (at least 10,000)")
    args = parser.parse_args()
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(oxigraph).exists():
        sys.exit("the 'oxigraph' server is not installed: pip install oxigraph")
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        quads = dataset(max(args.events, ROWS))
        for name in ("oxigraph", "kg"):
            fill(Path(tmp) / name, quads)
        ox_port, kg_port = free_port(), free_port()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        print(f"{len(quads):,} quads, {args.concurrency} connections, {args.seconds:g} s per measure, "
              f"{os.cpu_count()} CPUs (client and servers share them)")
        ox_command = [oxigraph, "serve", "--location", f"{tmp}/oxigraph", "--bind", f"127.0.0.1:{ox_port}",
                      "--union-default-graph"]
        kg_command = [sys.executable, "-m", "kg", "serve", "--store", f"{tmp}/kg", "--no-sample",
                      "--port", str(kg_port)]
        results = []
        with started(ox_command, f"http://127.0.0.1:{ox_port}/", env), \
                started(kg_command, f"http://127.0.0.1:{kg_port}/health", env):
            for case in cases():
                encoded = quote(case.query)
                theirs = measure(ox_port, f"/query?query={encoded}", case, args.concurrency, args.seconds)
                ours = measure(kg_port, f"/sparql?query={encoded}", case, args.concurrency, args.seconds)
                results.append((case, theirs, ours))
    return report(results)


def report(results: list[tuple[Case, Measure, Measure]]) -> int:
    failed = 0
    print(f"{'query':<22} {'server':<16} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for case, theirs, ours in results:
        for server, measured in (("oxigraph serve", theirs), ("kg /sparql", ours)):
            print(f"{case.name:<22} {server:<16} {measured.rate:>9.0f} {measured.percentile(0.5):>8.2f} "
                  f"{measured.percentile(0.99):>8.2f}")
        ratio = ours.rate / theirs.rate
        verdict = "ok" if ratio >= case.target else "BELOW TARGET"
        failed += ratio < case.target
        print(f"{case.name:<22} {'ratio':<16} {ratio:>9.0%}   target {case.target:.0%}: {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
