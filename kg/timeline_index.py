"""Exact-match keys that let a timeline be paged without an ordered index, and the upgrade that adds them.

Oxigraph has no ordered index: ``ORDER BY ?date LIMIT 50`` or a date-range
FILTER reads and sorts every event, while a pattern with a constant object
(``?e lt:timelineKey "2020-11-19"``) is one index seek that reads only its
rows.  So each event, in the graph of every article that reports it, carries
the keys of the small bucket it falls in, and the named queries read a
timeline bucket by bucket, in date order:

- ``lt:timelineKey`` is the event's own date as its article gives it, at its
  precision: ``"2020-11-19"`` for a day; a month or a year is split in 16 by a
  hex digit of the SHA-1 of the event IRI (``"2020-11 a"``, ``"2020 3"``),
  since far more events are known to the month than to one day.  The same key
  prefixed with the event type (``"Ruling|2020-11-19"``) and with each agent's
  or addressee's IRI (``"https://…/actor/cnil|2020-11-19"``) pages a filtered
  timeline through buckets of its own, however rare the type or the actor.
  Keys compare as text in timeline order: a year, then its months, each month
  before its days (the space sorts before the hyphen).
- ``lt:timelineYear`` on the article (``"2020"``, ``"Ruling|2020"``,
  ``"https://…/actor/cnil|2020"``) says that the article holds a keyed event of
  that year, and ``lt:timelinePeriod`` of that month (``"2020-11"``, with the
  same prefixes) or, for an event known only to the year, of that year alone
  (``"2020"``): a reader finds the next non-empty year with one seek a year,
  the next non-empty period with one seek a month, and probes the 16 or 47
  possible buckets of a non-empty period only.
- ``lt:timelineCentury`` on the article (``"20"``, ``"Ruling|18"``…), with the
  same prefixes, says it holds a keyed event of that century: the years 1900 to
  2099 are probed one by one, those of another century (a law of 1881) only in
  a century that holds some, so they cost a seek a century when there are none.

Undated events have no key: a page of the timeline lists dated events only.
Keys are derived from the article's own statements, so deleting or replacing
one article's graph keeps every other article's keys right; an event reported
with two dates gets a key per date and the page query shows it once, under its
most precise date (the largest date string, as the ``timeline`` query does).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from pyoxigraph import Literal, NamedNode

from kg.namespaces import LT

_Triple = tuple[NamedNode, NamedNode, Literal]


def date_key(event_iri: str, date: str) -> str:
    """The bucket key of ``date`` (ISO at its precision) for this event: day as is, month and year slotted."""
    if len(date) == 10:
        return date
    return f"{date} {hashlib.sha1(event_iri.encode('utf-8')).hexdigest()[0]}"


def event_keys(event_iri: str, event_type: str, date: str, actors: Sequence[str]) -> list[str]:
    """Every ``lt:timelineKey`` of one event statement: plain, by type, and by each actor IRI."""
    key = date_key(event_iri, date)
    return [key, f"{event_type}|{key}", *(f"{actor}|{key}" for actor in actors)]


def markers(document: NamedNode, keys: Iterable[str]) -> Iterable[_Triple]:
    """The article's ``lt:timelineCentury``, ``lt:timelineYear`` and ``lt:timelinePeriod`` triples for its
    events' keys."""
    keys = list(keys)
    for marker in sorted({_cut(key, 2) for key in keys}):
        yield document, LT("timelineCentury"), Literal(marker)
    for marker in sorted({_cut(key, 4) for key in keys}):
        yield document, LT("timelineYear"), Literal(marker)
    for marker in sorted({_cut(key, 7) for key in keys}):
        yield document, LT("timelinePeriod"), Literal(marker)


def _cut(key: str, length: int) -> str:
    """The key's prefix and its date cut to a century (2), a year (4) or a month (7): a year-dated key stays a
    year."""
    prefix, _, date = key.rpartition("|")
    period = date.split(" ")[0][:length]
    return f"{prefix}|{period}" if prefix else period


# The same keys as ``event_keys`` and ``markers``, computed by SPARQL from an article's own
# statements: SHA1 of the IRI's text is the hex digest Python computes, STR of a typed date its ISO text.
_REINDEX = """
PREFIX lt: <https://w3id.org/legal-timeline/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT { GRAPH ?g { ?e lt:timelineKey ?key , ?typeKey , ?actorKey .
                    ?g lt:timelineCentury ?century , ?typeCentury , ?actorCentury ;
                       lt:timelineYear ?year , ?typeYear , ?actorYear ;
                       lt:timelinePeriod ?period , ?typePeriod , ?actorPeriod } }
WHERE {
  GRAPH ?g {
    %s
    ?e a lt:LegalEvent , ?class ; lt:date ?date .
    FILTER (?class != lt:LegalEvent)
    OPTIONAL { ?e lt:agent|lt:addressee ?actor }
  }
  BIND (STR(?date) AS ?day)
  BIND (IF(STRLEN(?day) = 10, ?day, CONCAT(?day, " ", SUBSTR(SHA1(STR(?e)), 1, 1))) AS ?key)
  BIND (STRAFTER(STR(?class), "#") AS ?type)
  BIND (CONCAT(?type, "|", ?key) AS ?typeKey)
  BIND (CONCAT(STR(?actor), "|", ?key) AS ?actorKey)
  BIND (SUBSTR(?day, 1, 2) AS ?century)
  BIND (CONCAT(?type, "|", ?century) AS ?typeCentury)
  BIND (CONCAT(STR(?actor), "|", ?century) AS ?actorCentury)
  BIND (SUBSTR(?day, 1, 4) AS ?year)
  BIND (CONCAT(?type, "|", ?year) AS ?typeYear)
  BIND (CONCAT(STR(?actor), "|", ?year) AS ?actorYear)
  BIND (SUBSTR(?day, 1, 7) AS ?period)
  BIND (CONCAT(?type, "|", ?period) AS ?typePeriod)
  BIND (CONCAT(STR(?actor), "|", ?period) AS ?actorPeriod)
}
"""
# The months of lt:monthBucket, each with the number of event statements it holds.
_MONTHS = """PREFIX lt: <https://w3id.org/legal-timeline/ontology#>
SELECT ?m (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e lt:monthBucket ?m } } GROUP BY ?m"""
FLUSH_EVERY = 10_000  # event statements keyed between two flushes


class Updatable(Protocol):
    """What ``reindex`` needs of a store: SPARQL query, update, flush (the embedded and the remote store)."""

    def query(self, sparql: str) -> Any:
        """Run a SPARQL query; solutions are rows indexable by position."""

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update."""

    def flush(self) -> None:
        """Write what the store buffers in memory to disk."""


def reindex(store: Updatable, flush_every: int = FLUSH_EVERY) -> int:
    """Add the timeline keys to every article graph written before they existed; returns the updates run.

    Idempotent (inserting a triple already there changes nothing) and pure
    SPARQL, so it runs on the embedded store and on a remote SPARQL server
    alike.  One update (one transaction) per month of ``lt:monthBucket``, plus
    one for the events dated to the year: 8,206 event statements at most in a
    month of a 100,000-article store.  What held memory was not the
    transaction but RocksDB's memory tables (128 MB per index and several per
    index before RocksDB writes them out itself): 2.5 GB on that store.  A
    flush after every ``flush_every`` event statements keyed writes them out
    sooner: 574 MB, for about half as much time again (the flushed files are
    compacted).
    """
    months = sorted((row[0].value, int(row[1].value)) for row in store.query(_MONTHS))
    since_flush = 0
    for month, statements in months:
        # The month as a constant in the block's first pattern: bound by VALUES, or read in a block
        # apart, Oxigraph would read every event of the store and join them with it, month after month.
        store.update(_REINDEX % f'?e lt:monthBucket "{month}"^^xsd:gYearMonth .')
        since_flush += statements
        if since_flush >= flush_every:
            store.flush()
            since_flush = 0
    store.update(_REINDEX % "?e lt:datePrecision lt:YearPrecision .")
    store.flush()
    return len(months) + 1
