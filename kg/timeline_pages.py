"""Read a timeline page by page, filtered or not, through the bucket queries: the caller's loop, written once.

The named queries answer one step each (``kg.timeline_index`` explains the
keys): ``timeline-years`` the years holding events, ``timeline-buckets`` the
non-empty buckets of one period (a year alone, or a month),
``timeline-positions`` the events of some buckets in order, without detail,
and ``timeline-events`` the columns of the events a page shows.  A page walks
the buckets in order until it has its events, then reads their columns in one
query: every step is exact-match lookups over a few small buckets, so a page
costs about the same on a graph of a thousand articles or of a hundred
thousand.  Sparse buckets (a rare actor, the early years) are read a few at a
time, twice as many each round.  The position between
pages (:class:`Cursor`) is the last row's bucket and event IRI.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kg.named_queries import NamedQuery, load_named_queries

Row = dict[str, str | None]
CAP = 51  # the rows timeline-positions gives at most per call


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
        """The first ``count`` events shown after ``after``; buckets read a few at a time, more if sparse."""
        source = self.buckets(after, filters)
        pending: deque[str] = deque()
        resume = (after.bucket, after.event) if after is not None else None
        shown: list[Row] = []
        window = 1
        while len(shown) < count:
            while len(pending) < window and (bucket := next(source, None)) is not None:
                pending.append(bucket)
            if not pending:
                break
            batch = list(pending)[:window]
            first_after = resume[1] if resume is not None and resume[0] == batch[0] else ""
            kind = (filters.type or "") if filters.actor else ""
            rows = self.select("timeline-positions", [
                {"bucket": bucket, "afterEvent": first_after if index == 0 else "", "type": kind}
                for index, bucket in enumerate(batch)])
            shown += [row for row in rows if row["shown"] == "true"]
            if len(rows) < CAP:  # every event of the batch is read
                for _ in batch:
                    pending.popleft()
                window = min(2 * window, 32)
            else:  # more may follow in the last row's bucket: resume after that row
                while pending[0] != rows[-1]["bucket"]:
                    pending.popleft()
                resume = (str(rows[-1]["bucket"]), str(rows[-1]["event"]))
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
        """The year's bucket keys after ``start_key``: the year alone (year-dated events), then each month."""
        for period in (year, *(f"{year}-{month:02d}" for month in range(1, 13))):
            if period < _period(start_key) or not _overlaps(period, filters):
                continue
            for row in self.select("timeline-buckets", {**scope, "period": period}):
                key = str(row["sortKey"])
                if key > start_key and _overlaps(key, filters):
                    yield str(row["bucket"])

    def column(self, name: str, values: dict[str, str], column: str) -> list[str]:
        """One column of a named query's rows."""
        return [str(row[column]) for row in self.select(name, values)]

    def select(self, name: str, values: dict[str, str] | list[dict[str, str]]) -> list[Row]:
        """The rows of a named query, bound to one row of values or several, as plain strings."""
        rows = values if isinstance(values, list) else [values]
        result = self.store.query(self.queries[name].bind_rows(rows))
        names = [variable.value for variable in result.variables]
        return [{n: (solution[n].value if solution[n] is not None else None) for n in names}
                for solution in result]


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
