"""Benchmark: ``/sparql`` against Oxigraph's own server, same dataset, same queries, one run.

    python bench/sparql_http.py [--seconds 5] [--concurrency 16] [--events 10000] [--client auto]

Builds a synthetic timeline (``--events`` dated events spread over 100 article graphs),
loads it into two stores, starts ``oxigraph serve --union-default-graph`` (PyPI package
``oxigraph``) and ``kg serve`` on loopback, then drives each with the same keep-alive
HTTP/1.1 load (``--concurrency`` connections, GET ``?query=``, JSON results) for a small
SELECT (one row) and a 10,000-row SELECT, printing requests/s, p50 and p99 for both and
their ratio against the targets (60% and 80% of Oxigraph's requests/s).

A third server gives the CEILING: a bare ASGI app under ``uvicorn.run`` with the settings
``kg serve`` uses, answering each URL with the bytes ``/sparql`` answered, so it does the
same HTTP work and no query.  ``/sparql`` as a share of it says what the query path costs.
A fourth server gives the FLOOR of the query path: the same bare app running each query with
pyoxigraph in its own process (no worker hop, no time limit, no protocol checks), under as many
uvicorn processes as the machine has CPUs.  It is the fastest a Python server over pyoxigraph
answers here, whatever its design; as a share of Oxigraph it says whether the target is reachable.
Each line also gives the server's CPU per request (its whole process tree, from /proc,
so it holds whatever else runs on the machine) and the load generator's CPU (share of
one core): a generator near 100% measures itself, not the server.  The load generator is
``wrk`` (Debian package) for the small SELECT when it is installed: it costs a third of
what the asyncio client in this process costs per request, which would otherwise cap the
fastest server first.  The load generator runs on the same machine as the servers: the
numbers compare servers under the same client, they are not absolute capacities.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
LT = "https://w3id.org/legal-timeline/ontology#"
EVENT = "https://w3id.org/legal-timeline/id/event/bench/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ROWS = 10_000
ACCEPT = "application/sparql-results+json"
FLOOR = "pyoxigraph ASGI"


@dataclass(frozen=True)
class Case:
    name: str
    query: str
    rows: int
    target: float  # the fraction of Oxigraph's requests/s that /sparql must reach
    quick: bool  # answers take under a millisecond: the load generator's own cost matters


@dataclass(frozen=True)
class Measure:
    requests: int
    seconds: float
    p50: float  # milliseconds
    p99: float
    server_cpu: float = 0.0  # CPU seconds the server's processes spent during the measure
    client_cpu: float = 0.0  # CPU seconds the load generator spent

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def server_us(self) -> float:
        """Server CPU per request, in microseconds: what the server costs, whoever else shares the CPUs."""
        return self.server_cpu / self.requests * 1e6

    def client_share(self) -> float:
        """The load generator's CPU as a share of one core: near 1, it (not the server) is the limit."""
        return self.client_cpu / self.seconds


def cases() -> list[Case]:
    return [
        Case("small SELECT (1 row)", f"SELECT ?label WHERE {{ <{EVENT}42> <{LABEL}> ?label }}", 1, 0.6, True),
        Case(f"{ROWS:,}-row SELECT", f"SELECT ?e ?date WHERE {{ ?e a <{LT}LegalEvent> ; <{LT}date> ?date }} "
                                     f"LIMIT {ROWS}", ROWS, 0.8, False),
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
def started(command: list[str], base: str, env: dict[str, str]) -> Iterator[int]:
    """Run ``command`` until the block ends, once ``base`` answers; yields the process id."""
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
        yield process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of ``pid`` and its live descendants (kg's query workers), from /proc."""
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS)
    family, total = {pid}, 0.0
    for child, (parent, _) in sorted(stats.items()):
        if parent in family:
            family.add(child)
    for member in family:
        total += stats.get(member, (0, 0.0))[1]
    return total


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


# -- the load generators ---------------------------------------------------------------------------


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


async def _python_load(port: int, path: str, concurrency: int, seconds: float) -> Measure:
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
               f"Accept: {ACCEPT}\r\n\r\n").encode()
    latencies: list[float] = []
    cpu, started_at = time.process_time(), time.perf_counter()
    stop = started_at + seconds
    await asyncio.gather(*(_connection(port, request, stop, latencies) for _ in range(concurrency)))
    elapsed, cpu = time.perf_counter() - started_at, time.process_time() - cpu
    ordered = sorted(latencies)

    def percentile(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000

    return Measure(len(latencies), elapsed, percentile(0.5), percentile(0.99), client_cpu=cpu)


def _wrk_load(port: int, path: str, concurrency: int, seconds: float) -> Measure:
    """``wrk`` (one thread: the machine's cores are for the servers) with the same keep-alive GETs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--timeout", "60s",
               "--latency", "-H", f"Accept: {ACCEPT}", f"http://127.0.0.1:{port}{path}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if "Non-2xx" in output or "Socket errors" in output:
        sys.exit(f"wrk against port {port} saw failed requests:\n{output}")
    done = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output)
    if done is None or done[1] == "0":
        sys.exit(f"no request measured in wrk's output:\n{output}")
    elapsed = float(done[2]) / (1000 if done[3] == "ms" else 1)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measure(int(done[1]), elapsed, _wrk_latency(output, "50%"), _wrk_latency(output, "99%"),
                   client_cpu=cpu)


def _wrk_latency(output: str, percentile: str) -> float:
    """A latency percentile of wrk's ``--latency`` table, in milliseconds."""
    found = re.search(rf"^\s*{percentile}\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    if found is None:
        sys.exit(f"no {percentile} latency in wrk's output:\n{output}")
    return float(found[1]) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[found[2]]


def load(client: str, server: int, port: int, path: str, concurrency: int, seconds: float) -> Measure:
    """One measure of ``path`` on ``port`` with ``client``, the CPU of the server process tree ``server``."""
    cpu = tree_cpu(server)
    if client == "wrk":
        measured = _wrk_load(port, path, concurrency, seconds)
    else:
        measured = asyncio.run(_python_load(port, path, concurrency, seconds))
    return replace(measured, server_cpu=tree_cpu(server) - cpu)


def measure(client: str, server: int, port: int, path: str, case: Case, concurrency: int,
            seconds: float) -> Measure:
    answer = httpx.get(f"http://127.0.0.1:{port}{path}", headers={"accept": ACCEPT})
    rows = len(answer.json()["results"]["bindings"])
    if rows != case.rows:
        sys.exit(f"port {port}: {case.name} gave {rows} rows, expected {case.rows}")
    # Warm-up with the asyncio client: it finishes the requests it started, where wrk would stop
    # before the first 10,000-row answer is complete.
    load("python", server, port, path, concurrency, min(1.0, seconds))
    return load(client, server, port, path, concurrency, seconds)


# -- the ceiling: the least a Python server on the same uvicorn settings does per request -----------


def serve_ceiling(port: int, bodies: Path) -> None:
    """A bare ASGI app (no framework, no query) under ``uvicorn.run`` as ``kg serve`` calls it.

    It answers each benchmark URL with the bytes ``/sparql`` answered for it, so the HTTP
    work (parse, headers, body; no access log, as the ``kg serve`` it mirrors) is the same
    and only the query path is missing.
    """
    import uvicorn

    answers = {query.encode(): body.encode("latin-1")
               for query, body in json.loads(bodies.read_text()).items()}
    content_type = (b"content-type", ACCEPT.encode())

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = answers.get(scope["query_string"], b"")
        await send({"type": "http.response.start", "status": 200,
                    "headers": [content_type, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="info", access_log=False)


def inprocess_app() -> Any:
    """A bare ASGI app answering ``?query=`` with pyoxigraph in its own process: the FLOOR server.

    Built in each uvicorn worker process (``factory=True``), over its own read-only handle on
    the store named by ``KG_BENCH_STORE``; JSON results, nothing checked, no time limit.
    """
    from urllib.parse import parse_qs

    store = ox.Store.read_only(os.environ["KG_BENCH_STORE"])
    content_type = (b"content-type", ACCEPT.encode())

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        query = parse_qs(scope["query_string"].decode())["query"][0]
        solutions = store.query(query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)  # the benchmark's queries are SELECTs
        body = solutions.serialize(format=ox.QueryResultsFormat.JSON) or b""
        await send({"type": "http.response.start", "status": 200,
                    "headers": [content_type, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    return app


def serve_inprocess(port: int, store: Path) -> None:
    """``inprocess_app`` under one uvicorn process per CPU, as many as Oxigraph's server can use."""
    import uvicorn

    os.environ["KG_BENCH_STORE"] = str(store)
    uvicorn.run("sparql_http:inprocess_app", factory=True, app_dir=str(Path(__file__).parent),
                host="127.0.0.1", port=port, workers=os.cpu_count() or 1, log_level="warning",
                access_log=False)


def load_generator(chosen: str, case: Case) -> str:
    """``chosen``, or for ``auto``: wrk for quick answers, where a Python client would be the bottleneck,
    and the asyncio client for slow ones, which wrk undercounts (it stops at a fixed time and drops
    the answers still in flight, a third of them for one-second answers over three seconds)."""
    if chosen != "auto":
        return chosen
    return "wrk" if case.quick and shutil.which("wrk") else "python"


def ceiling_bodies(port: int, paths: list[str], target: Path) -> Path:
    """``target``, holding what ``/sparql`` on ``port`` answers to each query (bytes as latin-1 text)."""
    answers = {f"query={path}": httpx.get(f"http://127.0.0.1:{port}/sparql?query={path}",
                                          headers={"accept": ACCEPT}).content.decode("latin-1")
               for path in paths}
    target.write_text(json.dumps(answers))
    return target


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
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto",
                        help="load generator: wrk (apt-get install wrk) or an asyncio client in this process")
    parser.add_argument("--ceiling-server", nargs=2, metavar=("PORT", "BODIES"), help=argparse.SUPPRESS)
    parser.add_argument("--floor-server", nargs=2, metavar=("PORT", "STORE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ceiling_server:
        serve_ceiling(int(args.ceiling_server[0]), Path(args.ceiling_server[1]))
        return 0
    if args.floor_server:
        serve_inprocess(int(args.floor_server[0]), Path(args.floor_server[1]))
        return 0
    if args.client == "wrk" and not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk), use --client python")
    try:
        import uvloop

        uvloop.install()  # a cheaper event loop for the asyncio client
    except ImportError:
        pass
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(oxigraph).exists():
        sys.exit("the 'oxigraph' server is not installed: pip install oxigraph")
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        quads = dataset(max(args.events, ROWS))
        for name in ("oxigraph", "kg", "floor"):
            fill(Path(tmp) / name, quads)
        ox_port, kg_port, ceiling_port, floor_port = free_port(), free_port(), free_port(), free_port()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        print(f"{len(quads):,} quads, {args.concurrency} connections, {args.seconds:g} s per measure, "
              f"{os.cpu_count()} CPUs shared by the client and the servers")
        ox_command = [oxigraph, "serve", "--location", f"{tmp}/oxigraph", "--bind", f"127.0.0.1:{ox_port}",
                      "--union-default-graph"]
        kg_command = [sys.executable, "-m", "kg", "serve", "--store", f"{tmp}/kg", "--no-sample",
                      "--no-access-log", "--port", str(kg_port)]  # oxigraph serve logs no request either
        paths = [quote(case.query) for case in cases()]
        results = []
        with started(ox_command, f"http://127.0.0.1:{ox_port}/", env) as ox_pid, \
                started(kg_command, f"http://127.0.0.1:{kg_port}/health", env) as kg_pid:
            bodies = ceiling_bodies(kg_port, paths, Path(tmp) / "ceiling.json")
            ceiling_command = [sys.executable, __file__, "--ceiling-server", str(ceiling_port), str(bodies)]
            floor_command = [sys.executable, __file__, "--floor-server", str(floor_port), f"{tmp}/floor"]
            floor_probe = f"http://127.0.0.1:{floor_port}/?query={paths[0]}"
            with started(ceiling_command, f"http://127.0.0.1:{ceiling_port}/", env) as ceiling_pid, \
                    started(floor_command, floor_probe, env) as floor_pid:
                for case, path in zip(cases(), paths, strict=True):
                    client = load_generator(args.client, case)
                    print(f"{case.name}: load generated by {client}")
                    runs = (("oxigraph serve", ox_pid, ox_port, "/query"),
                            ("ceiling (ASGI)", ceiling_pid, ceiling_port, "/sparql"),
                            (FLOOR, floor_pid, floor_port, "/sparql"),
                            ("kg /sparql", kg_pid, kg_port, "/sparql"))
                    results.append((case, {name: measure(client, pid, port, f"{route}?query={path}", case,
                                                         args.concurrency, args.seconds)
                                           for name, pid, port, route in runs}))
    return report(results)


def report(results: list[tuple[Case, dict[str, Measure]]]) -> int:
    """The table, the ratio against the target, and the ratios that say how far Python can go here."""
    failed = 0
    print(f"{'query':<22} {'server':<16} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'server µs/req':>14} "
          f"{'client CPU':>11}")
    for case, measured in results:
        for server, m in measured.items():
            print(f"{case.name:<22} {server:<16} {m.rate:>9.0f} {m.p50:>8.2f} {m.p99:>8.2f} "
                  f"{m.server_us():>14.0f} {m.client_share():>10.0%}")
        theirs, ceiling, ours = measured["oxigraph serve"], measured["ceiling (ASGI)"], measured["kg /sparql"]
        floor = measured[FLOOR]
        ratio = ours.rate / theirs.rate
        verdict = "ok" if ratio >= case.target else "BELOW TARGET"
        failed += ratio < case.target
        print(f"{case.name:<22} {'ratio':<16} {ratio:>9.0%}   target {case.target:.0%}: {verdict}")
        print(f"{case.name:<22} {'CEILING':<16} kg /sparql is {ours.rate / ceiling.rate:.0%} of the bare "
              f"ASGI app, which is {ceiling.rate / theirs.rate:.0%} of oxigraph serve")
        print(f"{case.name:<22} {'FLOOR':<16} pyoxigraph in-process under {os.cpu_count()} uvicorn processes "
              f"(no time limit, no checks) is {floor.rate / theirs.rate:.0%} of oxigraph serve: the best a "
              "Python server over pyoxigraph can do here")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
