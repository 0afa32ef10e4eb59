"""Pages of events read through the timeline buckets, when a request asks only what the buckets answer.

The ``events-page`` named query groups and sorts every event of the store before it gives
one page (0.4 s at 5,000 events, minutes at 100,000 articles).  The timeline keys of
``kg.timeline_index`` page a timeline with a few exact-match lookups instead, whatever the
store's size, for a date range, one event type and one actor (agent or addressee): the
``events`` connection read forward in the default order with only those filters, and the
``timeline`` field without a legal act, are served here (``scope_of`` decides); anything else
takes the ``events-page`` path.

Same events, same order as ``events-page``: by date as known, then IRI.  The buckets come
from :class:`~kg.timeline_pages.TimelineReader` (its walk over years, periods and non-empty
buckets, filters and date range applied), but the events in them are read by ``_POSITIONS``
rather than the reader's ``timeline-positions``: the reader orders the events known only to a
month (or a year) by their bucket, a sixteenth of the month, then IRI, while this API
promises date then IRI; so the sixteen buckets of one month are read as one group, in IRI
order (a group holds a month's month-dated events, about 2,000 at 100,000 articles: one read
of that many index entries, a few milliseconds).  The cursor stays the events-page one (the
date and the IRI), so a client may go on backward, or with a wider filter, from any page.

Undated events have no bucket: they come after the dated ones, by IRI, read by ``_UNDATED``
once the dated events are exhausted (a scan of the events of the actor, of the type, or of
the whole store when neither is given: the end of an unfiltered timeline costs that much).
A store written before the keys existed has events but no keys; it is served by
``events-page`` until ``kg reindex`` adds them (``Indexed``).
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.solutions import bound_rows
from kg.timeline_pages import CAP, Filters, TimelineReader
from kg.web.graphql_pagination import Position

if TYPE_CHECKING:  # graphql_where needs graphql_data, which holds a BucketWalk
    from kg.web.graphql_where import (
        ActorRelation,
        DateComparison,
        EventTypeComparison,
        EventWhere,
        IDComparison,
    )

UNDATED_KEY = "~"  # the sort key of an undated event in events-page: after every date
_DATE_KEY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LT = "https://w3id.org/legal-timeline/ontology#"

# timeline-positions with one change: a row's order is its date (the bucket key without its
# prefix and slot, given as ?day) then IRI, so a month's sixteen buckets read together come in
# IRI order.  ``shown`` as there (under the event's most precise date, of the type on an actor's
# bucket), and, for an agent or addressee filter, with the actor in that role.
_POSITIONS = """PREFIX lt: <https://w3id.org/legal-timeline/ontology#>
SELECT ?day ?event ?shown WHERE {
  {
    SELECT ?day ?type ?actor ?role ?event WHERE {
      {
        SELECT DISTINCT ?day ?type ?actor ?role ?event WHERE {
          VALUES (?bucket ?day ?afterEvent ?type ?actor ?role) { %s }
          GRAPH ?in { ?event lt:timelineKey ?bucket }
          FILTER (!BOUND(?afterEvent) || STR(?event) > ?afterEvent)
        }
      }
    }
    ORDER BY ?day (STR(?event))
    LIMIT %d
  }
  BIND (IRI(CONCAT(STR(lt:), COALESCE(?type, "LegalEvent"))) AS ?typeClass)
  BIND (NOT EXISTS { GRAPH ?dated { ?event lt:date ?otherDate } FILTER (STR(?otherDate) > ?day) }
        && (!BOUND(?type) || EXISTS { GRAPH ?typed { ?event a ?typeClass } })
        && (!BOUND(?role) || EXISTS { GRAPH ?cast { ?event ?role ?actor } }) AS ?shown)
}"""

# The undated events of a scope, by IRI: what events-page lists after every dated event.  The
# candidates (the actor's events, else the type's) made distinct first: each is then looked up once,
# not once per article that reports it (0.12 s instead of 1.5 s for an actor of 5,000 events).
_UNDATED = """PREFIX lt: <https://w3id.org/legal-timeline/ontology#>
SELECT ?event WHERE {
  { SELECT DISTINCT ?event WHERE { %s } }
  %s
  FILTER NOT EXISTS { GRAPH ?dated { ?event lt:date ?date } }
}
ORDER BY (STR(?event))
LIMIT %d"""

_INDEXED = """PREFIX lt: <https://w3id.org/legal-timeline/ontology#>
SELECT ?keyed ?dated WHERE {
  BIND (EXISTS { GRAPH ?document { ?document lt:timelineYear ?year } } AS ?keyed)
  BIND (EXISTS { GRAPH ?source { ?event lt:date ?date } } AS ?dated)
}"""


@dataclass(frozen=True)
class Scope:
    """What a request asks the buckets: ``filters``, the actor's role when only one counts, and
    whether undated events may match at all (a date range matches none)."""

    filters: Filters
    role: str | None = None  # "agent" or "addressee": the actor in that role only; None: either
    dated_only: bool = False


def scope_of(where: EventWhere | None) -> Scope | None:
    """The scope ``where`` stands for, or None when it asks for anything the buckets cannot answer."""
    found: dict[str, str] = {}
    if where is None or _collect(where, found):
        if found.get("start", "") > found.get("end", "~"):
            return None  # an empty range: events-page answers it at once
        filters = Filters(type=found.get("type"), actor=found.get("actor"),
                          start=found.get("start"), end=found.get("end"))
        return Scope(filters, found.get("role"), dated_only="start" in found or "end" in found)
    return None


def _collect(where: EventWhere, found: dict[str, str]) -> bool:
    """Adds ``where``'s conditions to ``found``; False when one cannot be read from the buckets."""
    if any(part is not None for part in (where.id, where.section, where.document, where.legal_act,
                                         where.or_, where.not_)):
        return False
    roles = (("agent", where.agent), ("addressee", where.addressee), ("", where.actor))
    relations = [(role, relation) for role, relation in roles if relation is not None]
    return (all(_collect(inner, found) for inner in where.and_ or [])
            and (where.date is None or _dates(where.date, found))
            and (where.type is None or _type(where.type, found))
            and all(_actor(role, relation, found) for role, relation in relations))


def _dates(comparison: DateComparison, found: dict[str, str]) -> bool:
    if comparison.eq is not None or comparison.is_null is not None:
        return False
    if comparison.gte is not None:
        found["start"] = max(found.get("start", ""), comparison.gte.isoformat())
    if comparison.lte is not None:
        found["end"] = min(found.get("end", "~"), comparison.lte.isoformat())
    return True


def _type(comparison: EventTypeComparison, found: dict[str, str]) -> bool:
    if comparison.neq is not None or comparison.nin is not None:
        return False
    kinds = [*([comparison.eq] if comparison.eq else []), *(comparison.in_ or [])]
    wanted = {str(kind.value) for kind in kinds}
    if comparison.in_ is not None and len(comparison.in_) != 1:
        return False
    return _one(found, "type", *wanted)


def _actor(role: str, relation: ActorRelation, found: dict[str, str]) -> bool:
    if relation.kind is not None or relation.id is None:
        return False
    iris = _ids(relation.id)
    if iris is None:
        return False
    if role and found.get("role", role) != role:
        return False
    if role:
        found["role"] = role
    return _one(found, "actor", *iris)


def _ids(comparison: IDComparison) -> set[str] | None:
    """The one IRI an ID comparison asks for, checked; None when it is not exactly one."""
    if comparison.in_ is not None and len(comparison.in_) != 1:
        return None
    wanted = {str(value) for value in [*([comparison.eq] if comparison.eq else []), *(comparison.in_ or [])]}
    try:
        return {ox.NamedNode(value).value for value in wanted} if len(wanted) == 1 else None
    except ValueError:
        return None  # events-page tells the client its IRI is wrong


def _one(found: dict[str, str], name: str, *values: str) -> bool:
    """Sets ``found[name]`` to the one value asked: two different values (or none) cannot be read."""
    if len(values) != 1 or found.get(name, values[0]) != values[0]:
        return False
    found[name] = values[0]
    return True


class BucketWalk:
    """The event IRIs of a scope in events-page order, dated through the buckets, then the undated."""

    def __init__(self, store: Any) -> None:
        self.reader = TimelineReader(store)
        self.store = store
        self._indexed = False

    def indexed(self) -> bool:
        """Whether the store has timeline keys (known for good once seen), or no dated event to key."""
        if self._indexed:
            return True
        [row] = self._select(_INDEXED)
        self._indexed = row["keyed"] == "true"
        return self._indexed or row["dated"] == "false"

    def events(self, scope: Scope, count: int, after: Position | None) -> list[str] | None:
        """Up to ``count`` event IRIs after ``after``; None when ``after`` is no date this walk knows."""
        if after is not None and after.key != UNDATED_KEY and not _DATE_KEY.match(after.key):
            return None
        dated = self.dated(scope, count, after) if after is None or after.key != UNDATED_KEY else []
        if len(dated) >= count or scope.dated_only:
            return dated[:count]
        undated_after = after.iri if after is not None and after.key == UNDATED_KEY else None
        return dated + self.undated(scope, count - len(dated), undated_after)

    def timeline(self, scope: Scope, count: int) -> tuple[list[str], list[str]]:
        """Up to ``count`` events of the scope: the dated ones in range, then the undated (any range)."""
        dated = self.dated(scope, count, None)
        return dated, self.undated(scope, count - len(dated), None) if len(dated) < count else []

    def dated(self, scope: Scope, count: int, after: Position | None) -> list[str]:
        """Up to ``count`` dated events after ``after``, group by group, a few groups per query."""
        filters = scope.filters
        if after is not None and _before_range(after.key, filters):
            after = None
        if after is not None and _after_range(after.key, filters):
            return []
        groups = self.groups(filters, after)
        pending: deque[tuple[str, list[str]]] = deque()
        resume = (after.key, after.iri) if after is not None else None
        shown: list[str] = []
        window = 2
        while len(shown) < count:
            while len(pending) < window and (group := next(groups, None)) is not None:
                pending.append(group)
            if not pending:
                break
            batch = list(pending)[:window]
            first_after = resume[1] if resume is not None and resume[0] == batch[0][0] else None
            rows = self.positions(scope, batch, first_after)
            shown += [row["event"] for row in rows if row["shown"] == "true"]
            if len(rows) < CAP:  # every event of the batch is read
                for _ in batch:
                    pending.popleft()
                window = min(2 * window, 32)
            else:  # more may follow in the last row's group: resume after that row
                while pending[0][0] != rows[-1]["day"]:
                    pending.popleft()
                resume = (rows[-1]["day"], rows[-1]["event"])
        return shown[:count]

    def groups(self, filters: Filters, after: Position | None) -> Iterator[tuple[str, list[str]]]:
        """``(date, bucket keys)`` from ``after``'s date on, within the range, in timeline order: a day's
        bucket alone, the non-empty slots of a month (of a year) together.

        The reader's walk (``TimelineReader.buckets``: years, then periods, then their non-empty
        buckets), with periods read a few at a time, twice as many each round, in one
        ``timeline-buckets`` query: a first page on a dense store reads a few months, a page on a
        sparse one a few queries, not one per month.  A month's slots all come in the query that reads
        its period, so a group is whole; the cursor's own group comes first, every slot of its month.
        """
        prefix = _prefix(filters)
        start = ""
        if after is not None:
            whole = len(after.key) == 10
            start = after.key if whole else f"{after.key} f"
            slots = [after.key] if whole else [f"{after.key} {slot:x}" for slot in range(16)]
            yield after.key, [prefix + key for key in slots]
        scope = {"type": filters.type or "", "actor": filters.actor or ""}
        years = (year for year in self.reader.column("timeline-years", scope, "year")
                 if year >= start[:4] and _within(year, filters))
        periods = (period for year in years for period in (year, *(f"{year}-{m:02d}" for m in range(1, 13)))
                   if period >= start.split(" ")[0][:7] and _within(period, filters))
        window = 4
        while batch := list(itertools.islice(periods, window)):
            rows = self.reader.select("timeline-buckets", [{**scope, "period": p} for p in batch])
            keys = (str(row["bucket"]) for row in rows
                    if str(row["sortKey"]) > start and _within(str(row["sortKey"]), filters))
            for day, group in itertools.groupby(keys, key=_date_part):
                yield day, list(group)
            window = min(2 * window, 16)

    def positions(self, scope: Scope, batch: Sequence[tuple[str, list[str]]],
                  first_after: str | None) -> list[dict[str, str]]:
        """The first CAP rows of ``batch``'s groups by date then IRI, after ``first_after`` in the first."""
        filters = scope.filters
        kind = _literal(filters.type) if filters.type and filters.actor else "UNDEF"
        actor = _iri(filters.actor) if filters.actor else "UNDEF"
        role = _iri(_LT + scope.role) if scope.role else "UNDEF"
        rows = []
        for index, (day, keys) in enumerate(batch):
            after = _literal(first_after) if index == 0 and first_after is not None else "UNDEF"
            rows += [f"({_literal(key)} {_literal(day)} {after} {kind} {actor} {role})" for key in keys]
        return self._select(_POSITIONS % (" ".join(rows), CAP))

    def undated(self, scope: Scope, count: int, after: str | None) -> list[str]:
        """Up to ``count`` undated events of the scope, by IRI, after ``after``."""
        filters = scope.filters
        typed = f"GRAPH ?typed {{ ?event a {_iri(_LT + (filters.type or 'LegalEvent'))} }}"
        conditions = [f"FILTER (STR(?event) > {_literal(after)})"] if after is not None else []
        candidates = typed
        if filters.actor:
            path = f"lt:{scope.role}" if scope.role else "lt:agent|lt:addressee"
            candidates = f"GRAPH ?cast {{ ?event {path} {_iri(filters.actor)} }}"
            conditions += [f"FILTER EXISTS {{ {typed} }}"] if filters.type else []
        return [row["event"] for row in self._select(_UNDATED % (candidates, " ".join(conditions), count))]

    def _select(self, sparql: str) -> list[dict[str, str]]:
        return bound_rows(self.store.query(sparql))


def _prefix(filters: Filters) -> str:
    """The keys' prefix of the buckets the reader walks: the actor's, else the type's, else none."""
    if filters.actor:
        return f"{filters.actor}|"
    return f"{filters.type}|" if filters.type else ""


def _date_part(key: str) -> str:
    """``"https://…/actor/x|2020-11 a"`` -> ``"2020-11"``: a bucket key's date, without prefix or slot."""
    return key.rpartition("|")[2].split(" ")[0]


def _within(key: str, filters: Filters) -> bool:
    """Whether a year, month or day (or a key of one) overlaps the range."""
    day = _date_part(key)
    return not _before_range(day, filters) and not _after_range(day, filters)


def _before_range(day: str, filters: Filters) -> bool:
    """Whether ``day`` (at its precision) is before the range: every event of the range is after it."""
    return filters.start is not None and day < filters.start[:len(day)]


def _after_range(day: str, filters: Filters) -> bool:
    return filters.end is not None and day > filters.end[:len(day)]


def _literal(value: str) -> str:
    return str(ox.Literal(value))


def _iri(value: str) -> str:
    return str(ox.NamedNode(value))
