"""Timeline keys (written and re-derived by the upgrade) and the bucket-by-bucket timeline pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pyoxigraph import QuerySolutions
from rdf_sample import echo_extraction, extraction, old_law_extraction, other_extraction
from test_graphql_timeline import CNIL, crowded

from kg.named_queries import load_named_queries
from kg.rdf import actor_iri, document_iri
from kg.store import GraphStore
from kg.timeline_index import date_key, event_keys, reindex
from kg.timeline_pages import Cursor, Filters, TimelineReader

QUERIES = load_named_queries()
KEYS = ("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
        "VALUES ?p { lt:timelineKey lt:timelineCentury lt:timelineYear lt:timelinePeriod } }")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    graph_store = GraphStore(tmp_path_factory.mktemp("pages") / "store")
    graph_store.ingest(extraction())
    graph_store.ingest(other_extraction())
    graph_store.ingest(echo_extraction())  # the same formal notice, dated a day earlier
    yield graph_store
    graph_store.close()


def index_of(store: GraphStore) -> set[tuple[str, ...]]:
    result = store.query(KEYS)
    assert isinstance(result, QuerySolutions)
    return {tuple(str(term) for term in row) for row in result}


def timeline(store: GraphStore, **values: str) -> list[tuple[str | None, str | None]]:
    """(date, event) of the whole-result timeline query's dated rows: what the pages must give."""
    result = store.query(QUERIES["timeline"].bind(values))
    assert isinstance(result, QuerySolutions)
    return [(row["date"].value, row["event"].value) for row in result if row["date"] is not None]


NO_FILTERS = Filters()
INDEX = ("timelineKey", "timelineCentury", "timelineYear", "timelinePeriod")


def every_page(reader: TimelineReader, limit: int,
               filters: Filters = NO_FILTERS) -> list[list[tuple[str, str]]]:
    pages, after = [], None
    while True:
        page = reader.page(limit, after, filters)
        pages.append([(str(row["sortKey"]), str(row["event"])) for row in page.rows])
        if page.next is None:
            return pages
        after = page.next


def test_keys_put_a_month_before_its_days_and_split_months_by_a_digit_of_the_iri() -> None:
    month = date_key("https://example.org/e", "2021-03")
    assert month[:8] == "2021-03 " and month[8] in "0123456789abcdef" and month < "2021-03-01"
    assert date_key("https://example.org/e", "2021") < "2021-01 0"
    assert event_keys("https://example.org/e", "Ruling", "2021-03-01", ["https://example.org/a"]) == [
        "2021-03-01", "Ruling|2021-03-01", "https://example.org/a|2021-03-01"]


def test_the_upgrade_derives_the_keys_the_writer_writes(store: GraphStore, tmp_path_factory:
                                                         pytest.TempPathFactory) -> None:
    written = index_of(store)
    assert ("<" + document_iri("ce-avis-2021-05-06") + ">", "<" + document_iri("ce-avis-2021-05-06") + ">",
            "<https://w3id.org/legal-timeline/ontology#timelineYear>", '"Opinion|2021"') in written
    old = GraphStore(tmp_path_factory.mktemp("old") / "store")
    old.raw.extend(q for q in store.raw.quads_for_pattern(None, None, None, None)
                   if q.predicate.value.rsplit("#", 1)[-1] not in INDEX)
    assert index_of(old) == set()
    # months 2021-02, 2021-03, 2021-04, 2021-05, then the year-dated events; a flush after each
    assert reindex(old, flush_every=1) == 5
    assert index_of(old) == written
    reindex(old)
    assert index_of(old) == written  # idempotent
    old.close()


def test_pages_give_each_dated_event_once_in_timeline_order(store: GraphStore) -> None:
    reader = TimelineReader(store)
    expected = timeline(store)
    assert [date for date, _ in expected] == ["2021", "2021-02-02", "2021-03-03", "2021-04", "2021-05-05"]
    for limit in (1, 2, 50):
        pages = every_page(reader, limit)
        assert [event for page in pages for _, event in page] == [event for _, event in expected]
        assert all(len(page) == limit for page in pages[:-1])


def test_a_page_shows_the_merged_event_with_all_its_sources(store: GraphStore) -> None:
    (request,) = TimelineReader(store).page(50, None, Filters(type="Request")).rows
    assert (request["sortKey"], request["sources"], request["dateConflict"]) == ("2021-03-03", "2", "true")
    assert request["agents"] == "Commission nationale de l’informatique et des libertés"
    assert request["bucket"] == "Request|2021-03-03"  # the echo's 2021-03-02 bucket shows nothing


def test_filtered_pages_match_the_filtered_timeline(store: GraphStore) -> None:
    reader = TimelineReader(store)
    exemplia = actor_iri("Exemplia")
    for filters, values in ((Filters(type="Ruling"), {"type": "Ruling"}),
                            (Filters(actor=exemplia), {"actor": exemplia}),
                            (Filters(start="2021-03-01", end="2021-04-30"),
                             {"from": "2021-03-01", "to": "2021-04-30"}),
                            (Filters(type="Commitment", actor=exemplia),
                             {"type": "Commitment", "actor": exemplia})):
        pages = every_page(reader, 1, filters)
        assert [event for page in pages for _, event in page] == [e for _, e in timeline(store, **values)]
    roles = {row["eventType"]: row["roles"] for row in reader.page(50, None, Filters(actor=exemplia)).rows}
    assert roles == {"Request": "addressee", "Commitment": "agent"}


def test_the_bucket_queries_step_by_step(store: GraphStore) -> None:
    reader = TimelineReader(store)
    assert reader.column("timeline-years", {}, "year") == ["2021"]
    assert reader.column("timeline-years", {"type": "Ruling"}, "year") == ["2021"]
    assert reader.column("timeline-years", {"actor": actor_iri("Nobody")}, "year") == []
    buckets = reader.column("timeline-buckets", {"period": "2021-02", "type": "Ruling"}, "bucket")
    assert buckets == ["Ruling|2021-02-02"]
    (year_dated,) = reader.column("timeline-buckets", {"period": "2021"}, "bucket")
    assert year_dated.startswith("2021 ")  # the reader's statement, known only to the year
    assert reader.column("timeline-buckets", {"period": "2021-01"}, "bucket") == []
    (first,) = reader.select("timeline-page", {"bucket": "2021-03-03"})
    assert (first["eventType"], first["sources"]) == ("Request", "2")
    after_it = {"bucket": "2021-03-03", "afterEvent": str(first["event"])}
    assert reader.select("timeline-page", after_it) == []
    assert [row["eventType"] for row in reader.select("timeline-page", {"bucket": "2021-03-02"})] == []
    buckets = [{"bucket": b} for b in ("2021-02-02", "2021-03-02", "2021-03-03")]
    several = sorted(reader.select("timeline-positions", buckets), key=lambda row: str(row["bucket"]))
    # the echo's date is a position, not shown: the event is shown under the other source's date
    assert [(row["sortKey"], row["shown"]) for row in several] == [
        ("2021-02-02", "true"), (None, "false"), ("2021-03-03", "true")]
    asked = {"event": str(first["event"]), "actor": actor_iri("Exemplia")}
    (request,) = reader.select("timeline-events", asked)
    assert (request["dateConflict"], request["roles"]) == ("true", "addressee")
    assert request["sortKey"] == "2021-03-03"


def test_events_of_other_centuries_are_paged_in_their_place(tmp_path_factory: pytest.TempPathFactory) -> None:
    with GraphStore(tmp_path_factory.mktemp("centuries") / "store") as store:
        store.ingest(extraction())
        store.ingest(old_law_extraction())
        reader = TimelineReader(store)
        court = actor_iri("Conseil d'Etat")
        assert reader.column("timeline-years", {}, "year") == ["1881", "2021", "2101"]
        assert reader.column("timeline-years", {"type": "Publication"}, "year") == ["1881"]
        assert reader.column("timeline-years", {"actor": court}, "year") == ["1881", "2021", "2101"]
        assert reader.column("timeline-years", {"type": "Ruling"}, "year") == ["2021"]
        expected = timeline(store)
        assert [date for date, _ in expected][:: len(expected) - 1] == ["1881-07-29", "2101-01-01"]
        for limit in (1, 3):
            pages = every_page(reader, limit)
            assert [event for page in pages for _, event in page] == [event for _, event in expected]
        pages = every_page(reader, 50, Filters(actor=court))
        assert [event for page in pages for _, event in page] == [event for _, event in timeline(
            store, actor=court)]


def test_a_cursor_resumes_after_its_event(store: GraphStore) -> None:
    reader = TimelineReader(store)
    first = reader.page(2)
    assert first.next == Cursor(str(first.rows[1]["bucket"]), str(first.rows[1]["event"]))
    rest = reader.page(50, first.next)
    assert [row["sortKey"] for row in rest.rows] == ["2021-03-03", "2021-04", "2021-05-05"]
    assert rest.next is None
    with pytest.raises(ValueError, match="1 to 50 events"):
        reader.page(51)


@pytest.fixture(scope="module")
def crowded_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """Sixty events on one day, sixty known only to the month (its sixteen slots), thirty to the year."""
    graph_store = GraphStore(tmp_path_factory.mktemp("crowded") / "store")
    graph_store.ingest(extraction())
    graph_store.ingest(crowded())
    yield graph_store
    graph_store.close()


@pytest.mark.parametrize(("filters", "values"), [
    (NO_FILTERS, {}),
    (Filters(actor=CNIL), {"actor": CNIL}),
    (Filters(type="Ruling"), {"type": "Ruling"}),
    (Filters(type="Request", actor=CNIL), {"type": "Request", "actor": CNIL}),
    (Filters(start="2031-07-14", end="2031-12-31"), {"from": "2031-07-14", "to": "2031-12-31"}),
])
def test_pages_through_crowded_buckets_match_the_timeline(crowded_store: GraphStore, filters: Filters,
                                                          values: dict[str, str]) -> None:
    """Whole buckets read and sorted by the reader, several per query, cursors inside a bucket; the
    events known only to the month (the year) come by slot, then IRI, where the timeline has IRI."""
    reader = TimelineReader(crowded_store)
    rows = timeline(crowded_store, **values)
    expected = [event for _, event in sorted(rows, key=lambda row: (date_key(row[1], str(row[0])), row[1]))]
    assert len(expected) > 20
    for limit in (1, 7, 50):
        pages = every_page(reader, limit, filters)
        assert [event for page in pages for _, event in page] == expected
        assert all(len(page) == limit for page in pages[:-1])
