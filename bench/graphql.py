"""Benchmark: a 100-event timeline page through GraphQL and through the equivalent raw SPARQL, over HTTP.

    PYTHONPATH=. python bench/graphql.py [--events 100] [--runs 30]

Builds a store of synthetic articles (extractions written by hand, so every event is a
distinct real event with its own agent, addressee and evidence), serves it with
``uvicorn server:app`` in a separate process, then times, taking turns request by request
(so load from other work on the machine falls on both alike):

- GraphQL: ``events(first: N)`` with each event's agents, addressees and evidence;
- SPARQL: one query a SPARQL user would write for the same page and the same fields.

Prints the median and 90th-percentile latencies of both and the ratio of the medians, then
three floors, timed in the same turns (but the executor's, timed after), over the SPARQL median:

- the executor: graphql-core executing the same document over the same answer already in
  memory (plain dicts, default resolvers, no data access, no HTTP), which no GraphQL server
  in Python goes under;
- the schema: the committed strawberry schema executing the document with every SPARQL
  answer it asks for already in memory (its resolvers, loaders and types; no store, no HTTP);
- the data: the raw SPARQL query run in-process (no HTTP), the least reading the page costs.
No threshold is asserted: numbers depend on the machine.

    PYTHONPATH=. python bench/graphql.py --store PATH [--runs 30] [--slow-runs 3]

serves an existing store instead (a copy: the server opens it for writing; an older store
needs ``kg reindex`` first) and times, on it, pages of 100 events with the same fields read
through the timeline buckets (as clients get them) and through the events-page query that
groups and sorts every event (the path taken before, and still taken for filters the buckets
cannot answer; asked here with a one-branch ``_or``, which means the same): the first page, a
page after a cursor in the middle of the timeline, and the ``timeline`` field of the
busiest actor over one month, as the timeline page asks it; the events' own fields and
evidence, not their actors (see ``PAGE``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pyoxigraph as ox

from kg.models import Actor, Article, Event, Extraction, Section, Span, TimeValue
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
EVENTS_PER_ARTICLE = 10
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]

GRAPHQL = """query($n: Int!) { events(first: $n) { nodes { id type label date
  agents { name } addressees { name } evidence { text start end } } } }"""

SPARQL = """PREFIX lt: <https://w3id.org/legal-timeline/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
SELECT ?event ?eventType ?label ?day ?agentName ?addresseeName ?text ?begin ?end WHERE {
  { SELECT ?event ?class (MIN(?anyLabel) AS ?label) (MAX(STR(?anyDate)) AS ?day) WHERE {
      GRAPH ?g { ?event a lt:LegalEvent , ?class ; rdfs:label ?anyLabel . FILTER (?class != lt:LegalEvent)
                 OPTIONAL { ?event lt:date ?anyDate } } }
    GROUP BY ?event ?class ORDER BY (COALESCE(?day, "~")) ?event LIMIT %d }
  BIND (STRAFTER(STR(?class), "#") AS ?eventType)
  OPTIONAL { GRAPH ?p { ?event lt:agent ?agent . ?agent foaf:name ?agentName } }
  OPTIONAL { GRAPH ?q { ?event lt:addressee ?addressee . ?addressee foaf:name ?addresseeName } }
  OPTIONAL { GRAPH ?e { ?event lt:evidence ?span .
                        ?span nif:anchorOf ?text ; nif:beginIndex ?begin ; nif:endIndex ?end } }
} ORDER BY (COALESCE(?day, "~")) ?event"""


def synthetic_extraction(number: int) -> Extraction:
    """One article of ten sanctions, each with its own authority, company, day and evidence span."""
    paris = ZoneInfo("Europe/Paris")
    sentences: list[str] = []
    events, actors = [], []
    for index in range(EVENTS_PER_ARTICLE):
        serial = number * EVENTS_PER_ARTICLE + index
        authority, company = f"Autorité de contrôle n° {serial}", f"Société Exemple {serial}"
        day, month = serial % 28 + 1, serial // 28 % 12
        sentence = f"L'{authority} a sanctionné la {company} le {day} {MONTHS[month]} 2030."
        start = sum(len(s) + 1 for s in sentences)
        sentences.append(sentence)
        events.append(Event(
            f"e{index}", "Sanction", f"Sanction de la {company}", "body",
            (Span(start, start + len(sentence), sentence),), date=TimeValue(2030, month + 1, day),
            agents=(authority,), addressees=(company,)))
        actors += [Actor(authority, "RegulatoryAuthority"), Actor(company, "Company")]
    text = " ".join(sentences)
    article = Article(f"bench-{number:04d}", f"Sanctions, série {number}",
                      datetime(2031, 1, 1, tzinfo=paris), text, (Section("body", 0, len(text)),))
    return Extraction(article, tuple(events), tuple(actors), (), extractor_version="bench")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def timed(calls: list[Callable[[], int]], runs: int, warmups: int = 3) -> list[tuple[list[float], int]]:
    """For each call: latencies in ms of ``runs`` calls after three warm-up calls, and what its last call
    counted.  The calls take turns, so a machine busy with other work slows both doors alike."""
    for _ in range(warmups):
        for call in calls:
            call()
    measured: list[tuple[list[float], int]] = [([], 0) for _ in calls]
    for _ in range(runs):
        for index, call in enumerate(calls):
            start = time.perf_counter()
            counted = call()
            measured[index][0].append((time.perf_counter() - start) * 1000)
            measured[index] = (measured[index][0], counted)
    return measured


def summary(name: str, latencies: list[float]) -> str:
    p90 = statistics.quantiles(latencies, n=10)[-1]
    return f"{name:8} median {statistics.median(latencies):7.1f} ms   p90 {p90:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100, help="events in the page (and in the store)")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per door")
    parser.add_argument("--store", type=Path, help="serve this store (a copy) and time its pages")
    parser.add_argument("--slow-runs", type=int, default=3, help="timed requests through events-page")
    args = parser.parse_args()
    if args.store is not None:
        with serving(args.store) as http:
            run_store(http, args.runs, args.slow_runs)
        return
    articles = -(-args.events // EVENTS_PER_ARTICLE)
    with tempfile.TemporaryDirectory() as directory:
        store_path = Path(directory) / "store"
        with GraphStore(store_path) as store:
            for number in range(articles):
                store.ingest(synthetic_extraction(number))
        shutil.copytree(store_path, Path(directory) / "copy")
        with GraphStore(Path(directory) / "copy") as copy, serving(store_path) as http:
            run(http, args.events, args.runs, copy)


@contextlib.contextmanager
def serving(store_path: Path) -> Iterator[httpx.Client]:
    """``uvicorn server:app`` over ``store_path`` in its own process; a client bound to it."""
    port = free_port()
    env = {**os.environ, "KG_STORE": str(store_path), "PYTHONPATH": str(ROOT)}
    env.pop("KG_UPDATE_TOKEN", None)
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "server:app", "--app-dir", str(ROOT),
                               "--port", str(port), "--log-level", "warning"], env=env)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as http:
            wait(http)
            yield http
    finally:
        server.terminate()
        server.wait(timeout=20)


def wait(http: httpx.Client) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if http.get("/health").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def run(http: httpx.Client, events: int, runs: int, copy: GraphStore) -> None:
    """Times both doors and, taking turns with them, the schema and the data alone over ``copy`` (a copy
    of the served store: the server holds the store itself)."""
    graphql_library()  # before strawberry imports graphql-core, which this script's name would hide
    from kg.web.graphql_data import GraphContext, Loaders

    answers: list[dict[str, Any]] = []
    loop = asyncio.new_event_loop()
    schema, data = schema_over_answers(copy)

    def graphql() -> int:
        response = http.post("/graphql", json={"query": GRAPHQL, "variables": {"n": events}})
        response.raise_for_status()
        answers[:] = [response.json()["data"]]
        nodes = answers[0]["events"]["nodes"]
        assert all(node["agents"] and node["addressees"] and node["evidence"] for node in nodes)
        return len(nodes)

    def sparql() -> int:
        response = http.post("/sparql", data={"query": SPARQL % events},
                             headers={"accept": "application/sparql-results+json"})
        response.raise_for_status()
        return len({row["event"]["value"] for row in response.json()["results"]["bindings"]})

    def schema_alone() -> int:
        context = GraphContext(data, Loaders.for_request(data))
        result = loop.run_until_complete(schema.execute(GRAPHQL, variable_values={"n": events},
                                                        context_value=context))
        assert not result.errors and result.data, result.errors
        return len(result.data["events"]["nodes"])

    def data_alone() -> int:
        solutions = copy.query(SPARQL % events)
        assert isinstance(solutions, ox.QuerySolutions)
        return len({solution["event"] for solution in solutions})

    try:
        measured = timed([graphql, sparql, schema_alone, data_alone], runs)
    finally:
        loop.close()
    (graphql_ms, _), (sparql_ms, _), (schema_ms, _), (data_ms, _) = measured
    assert {counted for _, counted in measured} == {events}, [counted for _, counted in measured]
    print(f"{events}-event timeline page with agents, addressees and evidence, {runs} runs each, over HTTP")
    print(summary("GraphQL", graphql_ms))
    print(summary("SPARQL", sparql_ms))
    ratio = statistics.median(graphql_ms) / statistics.median(sparql_ms)
    print(f"ratio    GraphQL / SPARQL (medians) = {ratio:.2f}")
    print("floors, over the SPARQL median:")
    floor_ms = executor_floor(answers[0], events, runs)
    for name, latencies, what in (
        ("executor", floor_ms, "graphql-core alone, the answer already in memory: the least a Python "
                               "GraphQL page adds"),
        ("schema", schema_ms, "the strawberry schema alone, every SPARQL answer it asks for in memory"),
        ("data", data_ms, "the raw SPARQL query in-process, no HTTP: the least reading the page costs"),
    ):
        floor = statistics.median(latencies) / statistics.median(sparql_ms)
        print(f"{summary(name, latencies)}   ratio {floor:.2f}  ({what})")


def schema_over_answers(store: GraphStore) -> tuple[Any, Any]:
    """The committed schema, and data that answers each query from memory once the store has answered it:
    executing a page then costs what strawberry, the resolvers and the loaders cost on their own."""
    from kg.web.graphql_data import GraphData
    from kg.web.graphql_schema import build_schema

    class AnsweredData(GraphData):
        def __init__(self, store: GraphStore) -> None:
            super().__init__(store)
            self._memo: dict[Any, Any] = {}

        def _solutions(self, sparql: str) -> Any:
            if sparql not in self._memo:
                self._memo[sparql] = super()._solutions(sparql)
            return self._memo[sparql]

        def _walk(self, *args: Any) -> Any:
            if args not in self._memo:
                self._memo[args] = super()._walk(*args)
            return self._memo[args]

    return build_schema(), AnsweredData(store)


def graphql_library() -> Any:
    """graphql-core, which this script's own name (``graphql.py``, as issue #5 names it) hides when run."""
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    sys.modules.pop("graphql", None)
    return importlib.import_module("graphql")


def executor_floor(answer: dict[str, Any], events: int, runs: int) -> list[float]:
    """Latencies in ms of graphql-core executing ``GRAPHQL`` over ``answer`` held as plain dicts.

    The committed schema, built by graphql-core itself: no strawberry, no resolver of ours, no
    SPARQL, no HTTP; what is left is the cost of walking the document's fields, which every
    GraphQL page pays on top of reading its data.
    """
    graphql_core = graphql_library()
    schema = graphql_core.build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
    document = graphql_core.parse(GRAPHQL)
    latencies = []
    for run_number in range(runs + 3):
        start = time.perf_counter()
        result = graphql_core.execute_sync(schema, document, answer, variable_values={"n": events})
        if run_number >= 3:
            latencies.append((time.perf_counter() - start) * 1000)
    assert not result.errors and result.data == answer, result.errors
    return latencies


# Without agents and addressees: at 10,000 articles, reading a page's actors costs seconds on either path
# (an actor is described again in every article that names it, and its facts are read in all of them).
PAGE = """query($w: EventWhere, $c: String) { events(where: $w, first: 100, after: $c) {
  pageInfo { hasNextPage endCursor } nodes { id type label date dateText section sources { id }
  evidence { text start end } } } }"""
TIMELINE = """query($a: ID, $f: Date, $t: Date) { timeline(actor: $a, from: $f, to: $t) { complete
  dated { id type label date dateText section } undated { id } } }"""
BUSIEST = """PREFIX lt: <https://w3id.org/legal-timeline/ontology#>
SELECT ?actor (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?event lt:agent ?actor } }
GROUP BY ?actor ORDER BY DESC(?n) LIMIT 1"""


def run_store(http: httpx.Client, runs: int, slow_runs: int) -> None:
    """Each case through the buckets and through events-page (the same where, wrapped in ``_or``)."""
    def ask(query: str, **variables: Any) -> dict[str, Any]:
        response = http.post("/graphql", json={"query": query, "variables": variables})
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body["errors"]
        return dict(body["data"])

    def nodes(where: dict[str, Any] | None = None, cursor: str | None = None) -> list[Any]:
        return list(ask(PAGE, w=where, c=cursor)["events"]["nodes"])

    first = nodes()
    middle = ask(PAGE, w={"date": {"_gte": first[-1]["date"][:4] + "-06-15"}})["events"]
    cursor = middle["pageInfo"]["endCursor"]
    reply = http.post("/sparql", data={"query": BUSIEST},
                      headers={"accept": "application/sparql-results+json"})
    actor = reply.json()["results"]["bindings"][0]["actor"]["value"]
    month = middle["nodes"][0]["date"][:7]
    dates = {"_gte": f"{month}-01", "_lte": f"{month}-28"}
    month_where = {"_and": [{"actor": {"id": {"_eq": actor}}},
                            {"_or": [{"date": dates}, {"date": {"_is_null": True}}]}]}
    long_page = ("query($w: EventWhere) { events(where: $w, first: 1000) { nodes { "
                 "id type label date dateText section } } }")
    cases: list[tuple[str, Callable[[], list[Any]], Callable[[], list[Any]]]] = [
        ("first page of 100", nodes, lambda: nodes({"_or": [{}]})),
        ("page of 100 after a cursor", lambda: nodes(None, cursor), lambda: nodes({"_or": [{}]}, cursor)),
        (f"timeline field, busiest actor, {month}",
         lambda: list(ask(TIMELINE, a=actor, f=dates["_gte"], t=dates["_lte"])["timeline"]["dated"]),
         lambda: [n for n in ask(long_page, w={"_or": [month_where]})["events"]["nodes"] if n["date"]]),
    ]
    print(f"store served over HTTP; through the buckets {runs} runs, through events-page {slow_runs} runs")
    for name, fast, slow in cases:
        [(fast_ms, shown)] = timed([counted(fast)], runs)
        [(slow_ms, _)] = timed([counted(slow)], slow_runs, warmups=1)
        same = [(n["id"], n["date"]) for n in fast()] == [(n["id"], n["date"]) for n in slow()]
        print(f"{name}: {shown} events, {'the same' if same else 'DIFFERENT'} both ways")
        print("  " + summary("buckets", fast_ms))
        print("  " + summary("events-page", slow_ms))
        ratio = statistics.median(slow_ms) / statistics.median(fast_ms)
        print(f"  ratio events-page / buckets (medians) = {ratio:.0f}")


def counted(read: Callable[[], list[Any]]) -> Callable[[], int]:
    return lambda: len(read())


if __name__ == "__main__":
    main()
