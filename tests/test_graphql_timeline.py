"""GraphQL pages read through the timeline buckets give what the events-page path gives.

The store holds the dev corpus, forty generated articles and one crowded article of
hand-built events: sixty known only to July 2031 (more than a bucket query returns at
once, spread over the month's sixteen slots), sixty on one day of it, thirty known only to
the year, and undated ones, with the CNIL as agent of some, addressee of others.  Each
filter is asked twice: as is (the bucket path) and wrapped in a one-branch ``_or``, which
means the same but only the events-page path answers.  Pages, cursors and fields must be
equal, and the query log must show which path ran.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
from asgi_fixture import PARIS, span
from test_web import serving

from bench.make_corpus import write_corpus
from kg.ingest import ingest_paths
from kg.models import Actor, Article, Event, Extraction, Section, TimeValue
from kg.rdf import actor_iri
from kg.store import GraphStore
from kg.web.app import create_app
from kg.web.graphql_pagination import Position

ROOT = Path(__file__).resolve().parent
CNIL_NAME = "Commission nationale de l'informatique et des libertés"
CNIL = actor_iri(CNIL_NAME)
FIELDS = ("id type label date precision deadline dateText section expected document { id } "
          "sources { id } agents { id } addressees { id }")
PAGE = ("query($w: EventWhere, $n: Int, $c: String) { events(where: $w, first: $n, after: $c) { "
        "pageInfo { hasNextPage endCursor } edges { cursor node { " + FIELDS + " } } } }")
TYPES = ("Ruling", "Request", "Sanction")


class LoggingStore(GraphStore):
    """A real store that keeps the text of the queries run through it (to tell which path answered)."""

    log: ClassVar[list[str]] = []

    def query(self, sparql: str, **options: Any) -> Any:
        type(self).log.append(sparql)
        return super().query(sparql, **options)


def crowded() -> Extraction:
    """150 events in July 2031: to the month, to one day, to the year; 12 undated."""
    sentences = [f"Décision numéro {index} de la société {index}." for index in range(162)]
    text = " ".join(sentences)
    events = []
    for index, sentence in enumerate(sentences):
        date = (TimeValue(2031, 7) if index < 60 else TimeValue(2031, 7, 14) if index < 120
                else TimeValue(2031) if index < 150 else None)
        agents = (f"Société {index}", *((CNIL_NAME,) if index % 5 == 0 else ()))
        events.append(Event(f"e{index}", TYPES[index % 3], f"Décision numéro {index}", "body",
                            (span(text, sentence),), date=date, agents=agents,
                            addressees=(CNIL_NAME,) if index % 2 == 0 else ()))
    article = Article(id="foule-2031-07-31", title="Un mois chargé", text=text,
                      published=datetime(2031, 7, 31, tzinfo=PARIS),
                      sections=(Section("body", 0, len(text)),))
    actors = (Actor(CNIL_NAME, "RegulatoryAuthority", short="CNIL"),
              *(Actor(f"Société {index}", "Company") for index in range(162)))
    return Extraction(article, tuple(events), actors, (), extractor_version="test")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoggingStore]:
    root = tmp_path_factory.mktemp("graphql-timeline")
    generated = write_corpus(40, seed=11, out=root / "corpus")
    with LoggingStore(root / "store") as opened:
        ingest_paths(opened, [*sorted((ROOT / "corpus").glob("*.txt")), *generated])
        opened.ingest(crowded())
        yield opened


@pytest.fixture(scope="module")
def client(store: LoggingStore) -> Iterator[httpx.Client]:
    with serving(create_app(store)) as http:
        yield http


def answer(client: httpx.Client, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]  # type: ignore[no-any-return]


def pages(client: httpx.Client, where: dict[str, Any] | None, size: int) -> tuple[list[Any], bool]:
    """Every page (edges and pageInfo) read with first/after; whether the bucket path read them."""
    LoggingStore.log.clear()
    read, cursor = [], None
    while True:
        page = answer(client, PAGE, w=where, n=size, c=cursor)["events"]
        read.append(page)
        assert len(page["edges"]) <= size
        if not page["pageInfo"]["hasNextPage"]:
            return read, any("timelineKey" in query for query in LoggingStore.log)
        cursor = page["pageInfo"]["endCursor"]
        assert cursor == page["edges"][-1]["cursor"]


def both_paths(client: httpx.Client, where: dict[str, Any] | None, size: int) -> list[Any]:
    buckets, fast = pages(client, where, size)
    events_page, slow = pages(client, {"_or": [where or {}]}, size)
    assert (fast, slow) == (True, False)
    assert buckets == events_page
    return buckets


def ids(read: list[Any]) -> list[str]:
    return [edge["node"]["id"] for page in read for edge in page["edges"]]


JULY = {"_gte": "2031-07-01", "_lte": "2031-07-31"}


@pytest.mark.parametrize(("where", "size"), [
    (None, 100),
    (None, 37),
    ({"date": JULY}, 23),
    ({"date": {"_gte": "2031-07-14"}}, 50),
    ({"date": {"_lte": "2021-12-31"}}, 10),
    ({"type": {"_eq": "RULING"}}, 20),
    ({"type": {"_in": ["REQUEST"]}, "date": JULY}, 9),
    ({"actor": {"id": {"_eq": CNIL}}}, 30),
    ({"actor": {"id": {"_eq": CNIL}}, "date": {"_gte": "2031-07-01", "_lte": "2031-07-14"}}, 11),
    ({"agent": {"id": {"_eq": CNIL}}}, 8),
    ({"_and": [{"addressee": {"id": {"_in": [CNIL]}}}, {"type": {"_eq": "SANCTION"}}]}, 6),
])
def test_bucket_pages_equal_events_page_pages(client: httpx.Client, where: dict[str, Any] | None,
                                              size: int) -> None:
    read = both_paths(client, where, size)
    assert all(len(page["edges"]) == size for page in read[:-1])
    assert len(ids(read)) == len(set(ids(read))) > size  # several pages, each event once


def test_the_timeline_has_every_kind_of_date(client: httpx.Client) -> None:
    """The fixture is what the equivalence needs: month and year groups larger than one bucket read."""
    read = both_paths(client, None, 500)
    dates = [edge["node"]["date"] for page in read for edge in page["edges"]]
    assert dates.count("2031-07") == 60 and dates.count("2031") >= 30 and dates.count(None) >= 12
    assert len({date for date in dates if date and len(date) == 10}) > 100  # the generated articles


def test_backward_descending_reads_ascending_through_the_buckets(client: httpx.Client) -> None:
    query = """query($w: EventWhere, $c: String) { events(where: $w, orderBy: {date: DESC}, last: 25,
      before: $c) { pageInfo { hasPreviousPage startCursor } nodes { id date } } }"""
    forward = ids(both_paths(client, {"actor": {"id": {"_eq": CNIL}}}, 100))
    LoggingStore.log.clear()
    oldest = answer(client, query, w={"actor": {"id": {"_eq": CNIL}}})["events"]
    assert any("timelineKey" in text for text in LoggingStore.log)
    assert [node["id"] for node in oldest["nodes"]] == forward[:25][::-1]
    following = answer(client, query, w={"actor": {"id": {"_eq": CNIL}}},
                       c=oldest["pageInfo"]["startCursor"])["events"]
    assert [node["id"] for node in following["nodes"]] == forward[25:50][::-1]


def test_a_bucket_cursor_pages_backward_through_events_page(client: httpx.Client) -> None:
    forward = ids(both_paths(client, {"date": JULY}, 100))
    first = answer(client, PAGE, w={"date": JULY}, n=70)["events"]
    back = answer(client, """query($c: String) { events(where: {date: {_gte: "2031-07-01",
      _lte: "2031-07-31"}}, last: 100, before: $c) { nodes { id } } }""", c=first["pageInfo"]["endCursor"])
    assert [node["id"] for node in back["events"]["nodes"]] == forward[:69]


def test_a_cursor_beyond_or_before_the_range(client: httpx.Client) -> None:
    everything = ids(both_paths(client, {"date": JULY}, 500))
    early = Position("2020-01-01", "https://example.org/e").cursor()
    late = Position("2031-08", "https://example.org/e").cursor()
    from_early = answer(client, PAGE, w={"date": JULY}, n=500, c=early)["events"]
    assert [edge["node"]["id"] for edge in from_early["edges"]] == everything
    assert answer(client, PAGE, w={"date": JULY}, n=5, c=late)["events"]["edges"] == []


def test_timeline_field_through_the_buckets(client: httpx.Client) -> None:
    query = ("query($a: ID, $f: Date, $t: Date) { timeline(actor: $a, from: $f, to: $t) { "
             f"complete dated {{ {FIELDS} }} undated {{ {FIELDS} }} }} }}")
    cases = ((CNIL, "2031-07-01", "2031-07-14"), (None, "2031-01-01", None), (CNIL, None, None))
    for actor, start, end in cases:
        LoggingStore.log.clear()
        timeline = answer(client, query, a=actor, f=start, t=end)["timeline"]
        assert any("timelineKey" in text for text in LoggingStore.log)
        dates = {"date": {key: day for key, day in (("_gte", start), ("_lte", end)) if day}}
        where: dict[str, Any] = {"_or": [dates, {"date": {"_is_null": True}}]}
        if actor:
            where = {"_and": [where, {"actor": {"id": {"_eq": actor}}}]}
        nodes = [edge["node"] for page in pages(client, {"_or": [where]}, 500)[0] for edge in page["edges"]]
        assert timeline == {"complete": True, "dated": [node for node in nodes if node["date"]],
                            "undated": [node for node in nodes if not node["date"]]}
        assert timeline["dated"] and (timeline["undated"] or actor is None)


def test_a_store_without_timeline_keys_is_served_by_events_page(
        store: LoggingStore, client: httpx.Client, tmp_path: Path) -> None:
    index = {"timelineKey", "timelineCentury", "timelineYear", "timelinePeriod"}
    keyed = answer(client, PAGE, w={"date": JULY}, n=500)["events"]["edges"]
    with GraphStore(tmp_path / "old") as old, serving(create_app(old)) as http:
        old.raw.extend(quad for quad in store.raw.quads_for_pattern(None, None, None, None)
                       if quad.predicate.value.rsplit("#", 1)[-1] not in index)
        keyless = answer(http, PAGE, w={"date": JULY}, n=500)["events"]["edges"]
    assert keyless == keyed and len(keyed) > 100
