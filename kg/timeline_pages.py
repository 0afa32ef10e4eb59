"""Read a timeline page by page, filtered or not, through the bucket queries: the caller's loop, written once.

The named queries answer one step each (``kg.timeline_index`` explains the
keys): ``timeline-years`` the years holding events, ``timeline-buckets`` the
non-empty buckets of some periods (a year alone, or a month),
``timeline-positions`` the events of some buckets, without detail,
and ``timeline-events`` the columns of the events a page shows.  A page walks
the buckets in order until it has its events, then reads their columns in one
query: every step is exact-match lookups over a few small buckets, so a page
costs about the same on a graph of a thousand articles or of a hundred
thousand.  Buckets are read whole, one in the first query, then as many as the
events per bucket seen so far say are still needed (sparse buckets, a rare
actor's or the early years', many at a time), and sorted here: Oxigraph's
ORDER BY reads an IRI's text from the store at each comparison, which cost
more than the rest of a page.  An index lookup costs about 10 µs on a
100,000-article store: a page is kept to few queries and few lookups.  The
position between pages (:class:`Cursor`) is the last row's bucket and event IRI.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kg.named_queries import NamedQuery, load_named_queries
from kg.solutions import plain_rows

Row = dict[str, str | None]
CAP = 51  # the rows a page reads at most: 50 events, and one to tell whether another page follows


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: its last row's bucket key and event IRI; the next page starts after it."""

    bucket: str
    event: str


@dataclass(frozen=True)
class TimelinePage:
    rows: list[Row]
    next: Cursor | None  # None: the timeline ends with this page


@dataclass(frozen=True)
class Filters:
    """An event type, an actor IRI (agent or addressee), and a date range (ISO, ends included)."""

    type: str | None = None
    actor: str | None = None
    start: str | None = None
    end: str | None = None


class TimelineReader:
    """Pages of one store's timeline; ``store`` is anything with ``query(sparql)``, embedded or remote."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.queries: dict[str, NamedQuery] = load_named_queries()

    def page(self, limit: int = 50, after: Cursor | None = None,
             filters: Filters = Filters()) -> TimelinePage:
        """``limit`` (1 to 50) events from the start, or after ``after``, in date order then event IRI."""
        if not 1 <= limit <= CAP - 1:
            raise ValueError(f"a timeline page holds 1 to {CAP - 1} events, not {limit}")
        shown = self.positions(limit + 1, after, filters)
        page = shown[:limit]
        details = self.details([str(row["event"]) for row in page], filters.actor)
        rows = [{**details[str(row["event"])], "bucket": row["bucket"]} for row in page]
        last = page[-1] if len(shown) > limit else None
        return TimelinePage(rows, Cursor(str(last["bucket"]), str(last["event"])) if last else None)

    def positions(self, count: int, after: Cursor | None, filters: Filters) -> list[Row]:
        """The first ``count`` events shown after ``after``: whole buckets, as many per query as the
        buckets read so far say are needed (one to start with), sorted here in timeline order."""
        source = self.buckets(after, filters)
        kind = (filters.type or "") if filters.actor else ""
        first_after = after.event if after is not None else ""
        shown: list[Row] = []
        read, window = 0, 1
        while len(shown) < count and (batch := list(itertools.islice(source, window))):
            rows = self.select("timeline-positions", [
                {"bucket": bucket, "afterEvent": "" if read or index else first_after, "type": kind}
                for index, bucket in enumerate(batch)])
            # One prefix for every bucket of a call: the bucket's text sorts as its date key does.
            rows.sort(key=lambda row: (str(row["bucket"]), str(row["event"])))
            shown += [row for row in rows if row["shown"] == "true"]
            read += len(batch)
            window = _window(count - len(shown), len(shown) / read, window)
        return shown[:count]

    def details(self, events: list[str], actor: str | None) -> dict[str, Row]:
        """The page columns of ``events`` (one query), by event IRI; roles when an actor is given."""
        if not events:
            return {}
        rows = self.select("timeline-events", [{"event": event, "actor": actor or ""} for event in events])
        return {str(row["event"]): row for row in rows}

    def buckets(self, after: Cursor | None, filters: Filters) -> Iterator[str]:
        """The non-empty bucket keys from ``after``'s bucket on, within the date range, in timeline order.

        Lazy, so a page that ends in the cursor's bucket, the usual case on a
        large graph, reads that bucket only; the years are asked for only once
        the cursor's year is read to its end.
        """
        scope = {"type": filters.type or "", "actor": filters.actor or ""}
        start_key = after.bucket.rpartition("|")[2] if after is not None else ""
        if after is not None:
            yield after.bucket
            yield from self.year_buckets(start_key[:4], start_key, scope, filters)
        for year in self.column("timeline-years", scope, "year"):
            if year > start_key[:4] and _overlaps(year, filters):
                yield from self.year_buckets(year, start_key, scope, filters)

    def year_buckets(self, year: str, start_key: str, scope: dict[str, str],
                     filters: Filters) -> Iterator[str]:
        """The year's bucket keys after ``start_key``: the year alone (year-dated events), then each month.

        Periods are asked one at a time, twice as many after each empty answer: the empty months
        of a sparse year (a rare actor's) cost a few queries, and a non-empty month is read alone
        (its 47 possible buckets probed), not with the next ones a page may never reach.
        """
        periods = [period for period in (year, *(f"{year}-{month:02d}" for month in range(1, 13)))
                   if period >= _period(start_key) and _overlaps(period, filters)]
        window = 1
        while batch := periods[:window]:
            periods = periods[window:]
            rows = self.select("timeline-buckets", [{**scope, "period": period} for period in batch])
            for row in rows:
                key = str(row["sortKey"])
                if key > start_key and _overlaps(key, filters):
                    yield str(row["bucket"])
            window = 1 if rows else 2 * window

    def column(self, name: str, values: dict[str, str], column: str) -> list[str]:
        """One column of a named query's rows."""
        return [str(row[column]) for row in self.select(name, values)]

    def select(self, name: str, values: dict[str, str] | list[dict[str, str]]) -> list[Row]:
        """The rows of a named query, bound to one row of values or several, as plain strings."""
        rows = values if isinstance(values, list) else [values]
        return plain_rows(self.store.query(self.queries[name].bind_rows(rows)))


def _window(needed: int, per_bucket: float, window: int) -> int:
    """How many buckets the next query reads: enough for the events still needed at the density seen,
    and never more than twice the last window (a partly read or unusually full bucket misleads)."""
    wanted = math.ceil(max(needed, 1) / per_bucket) if per_bucket > 0 else 2 * window
    return max(1, min(wanted, 2 * window, 32))


def _date_part(key: str) -> str:
    """``"https://…/actor/x|2020-11 a"`` -> ``"2020-11"``: a bucket key's date, without prefix or slot."""
    return key.rpartition("|")[2].split(" ")[0]


def _period(key: str) -> str:
    """The period (timeline-buckets) of a key without prefix: its month, or its year when year-dated."""
    return key.split(" ")[0][:7]


def _overlaps(key: str, filters: Filters) -> bool:
    """Whether a year, month or day overlaps the date range: ISO text cut to the key's own length compares."""
    day = _date_part(key)
    return ((filters.start is None or day >= filters.start[:len(day)])
            and (filters.end is None or day <= filters.end[:len(day)]))
