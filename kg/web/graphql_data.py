"""What the GraphQL resolvers read, and how: named queries for pages, batched SPARQL for nesting.

A page of events is read through the timeline buckets when its filter allows
(``graphql_timeline``: a few exact-match lookups, then the page's columns by IRI), else by one
run of the ``events-page`` named query (``queries/*.rq``), with the ``where`` filter added after
its parameter row and a LIMIT; ``totalCount`` is one run of ``events-count`` (a pass over every
event) when a client asks for it.  Nested fields go through DataLoaders created
per request: every ``Event.agents`` asked for by one GraphQL query is collected into one
SPARQL query over a ``VALUES`` block of event IRIs, so the number of SPARQL queries depends
on the shape of the GraphQL query, never on the number of events.  Named queries that take
the key as a parameter (``events-by-iri``, ``event-relations``, ``events-by-actor``) are
batched by giving their placeholder row one row per key; the lookups no named query offers
are the small queries below.

Those small queries keep every ``OPTIONAL`` outside the ``GRAPH`` block that the ``VALUES``
keys join: Oxigraph then looks each key up, while an ``OPTIONAL`` inside that block makes
it read the pattern for the whole store and join afterwards (measured on 5,000 events:
a page's actors 156 ms that way, about 10 ms this way; the cost grows with the store, not
with the page).  For that reason evidence is read by ``_EVIDENCE`` rather than the named
``evidence`` query, whose block holds an ``OPTIONAL`` (124 ms against 3 ms).
Their rows are sorted in Python (``_sorted``), not by ORDER BY.

Each SPARQL query runs in a worker thread, which also turns the results into plain rows:
pyoxigraph's result iterators must stay in the thread that made them.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from strawberry.dataloader import DataLoader

from kg.config import DEFAULT_MAX_ARTICLE_BYTES
from kg.models import TimeValue
from kg.named_queries import NamedQuery, load_named_queries
from kg.namespaces import sparql_prefixes
from kg.solutions import bound_rows
from kg.web.graphql_limits import GraphQLLimits
from kg.web.graphql_pagination import Counts, PageRequest, Position
from kg.web.graphql_timeline import UNDATED_KEY, BucketWalk, Scope
from kg.web.streaming import detached

if TYPE_CHECKING:
    from kg.store import GraphStore

Row = dict[str, str]
V = TypeVar("V")

_PLACEHOLDER = re.compile(r"VALUES\s*\(([?$\w\s]+)\)\s*\{\s*\(\s*((?:UNDEF\s*)+)\)\s*\}")
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_GROUP_SEPARATOR = " | "  # the separator of GROUP_CONCAT in the named queries


@dataclass(frozen=True)
class EventRow:
    iri: str
    type: str
    label: str
    date: str | None
    precision: str | None
    deadline: str | None
    date_text: str | None
    section: str
    expected: bool
    document: str
    documents: tuple[str, ...] = ()

    @property
    def position(self) -> Position:
        return Position(self.date or UNDATED_KEY, self.iri)


@dataclass(frozen=True)
class EventExtras:
    """The event fields no named query returns (read only when a client asks for them)."""

    outcome: str | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActorRow:
    iri: str
    name: str
    kind: str
    short_name: str | None
    office: str | None

    @property
    def position(self) -> Position:
        return Position(self.name, self.iri)


@dataclass(frozen=True)
class LegalActRow:
    iri: str
    label: str
    kind: str
    date: str | None
    identifiers: tuple[str, ...]


@dataclass(frozen=True)
class DocumentRow:
    iri: str
    title: str
    published: datetime
    source: str | None


@dataclass(frozen=True)
class EvidenceRow:
    text: str
    start: int
    end: int
    document: str


def bind_rows(query: NamedQuery, rows: Sequence[Mapping[str, str]], condition: str = "true") -> str:
    """``query`` with its placeholder row repeated, once per mapping of parameter values.

    ``NamedQuery.bind`` fills the one placeholder row (and checks every value); several rows
    turn one query into a batch (the events of many actors at once).  Each row is cut out of
    ``bind``'s own output, so the values are written exactly as ``bind`` writes them.  A
    ``condition`` other than ``true`` (a compiled ``where``) becomes a FILTER right after the
    placeholder: a FILTER holds for the whole group it is written in, wherever in it.
    """
    match = _PLACEHOLDER.search(query.text)
    if match is None or not rows:
        raise ValueError(f"query {query.name!r} has no placeholder row to bind")
    start, tail = match.start(2), len(query.text) - match.end(2)
    cells = []
    for row in rows:
        bound = query.bind(row)
        cells.append(bound[start:len(bound) - tail].strip())
    block_end = query.text[match.end(2):match.end()]
    extra = f"\n  FILTER ({condition})" if condition != "true" else ""
    return query.text[:start] + ") (".join(cells) + " " + block_end + extra + query.text[match.end():]


def snake(local_name: str) -> str:
    """``PartiallyGranted`` -> ``partially_granted``, ``respondsTo`` -> ``responds_to`` (model spellings)."""
    return _CAMEL_HUMP.sub("_", local_name).lower()


def kind_of(local_name: str, base: str) -> str:
    """The model's kind from a class local name: ``OtherActor`` -> ``Other``, ``Court`` -> ``Court``."""
    return "Other" if local_name == f"Other{base}" else local_name


def _values(variable: str, iris: Iterable[str]) -> str:
    """A ``VALUES`` block of IRIs (each checked by pyoxigraph, so no text reaches the query raw)."""
    return f"VALUES ?{variable} {{ {' '.join(str(ox.NamedNode(iri)) for iri in iris)} }}"


_KINDS = """SELECT DISTINCT ?node ?class WHERE {{ {values}
  GRAPH ?g {{ ?node a ?class . FILTER (?class IN (lt:LegalEvent, lt:Actor, lt:LegalAct, lt:Article)) }}
}}"""
_EVENTS_OF_DOCUMENTS = """SELECT DISTINCT ?document ?event WHERE {{ {values}
  GRAPH ?document {{ ?event a lt:LegalEvent }}
}}"""
_EVENTS_OF_ACTS = """SELECT DISTINCT ?act ?event WHERE {{ {values}
  GRAPH ?g {{ ?event lt:concernsLegalAct ?act }}
}}"""
_ANSWERS = """SELECT DISTINCT ?event ?answer WHERE {{ {values}
  GRAPH ?g {{ ?answer lt:respondsTo|lt:follows ?event }}
}} ORDER BY ?event ?answer"""
_EVENT_EXTRAS = """SELECT ?event ?outcome ?flag WHERE {{ {values}
  GRAPH ?g {{ ?event a lt:LegalEvent }}
  OPTIONAL {{ GRAPH ?g {{ ?event lt:outcome ?outcome }} }} OPTIONAL {{ GRAPH ?g {{ ?event lt:flag ?flag }} }}
}}"""
_PARTICIPANTS = """SELECT DISTINCT ?event ?role ?actor WHERE {{ {values}
  GRAPH ?g {{ {{ ?event lt:agent ?actor BIND ("agent" AS ?role) }}
            UNION {{ ?event lt:addressee ?actor BIND ("addressee" AS ?role) }} }}
}} ORDER BY ?event ?role ?actor"""
# A page's participants with their actors as the events' own articles describe them: the graph that
# names an event's agent describes that agent too.  Reading the actor in every graph that describes it
# instead (as ``_ACTORS_BY_IRI`` must) costs a row per article for a popular actor: 158,000 rows and
# 10 s for a page of 100 events at 10,000 articles, against 126 rows and 13-17 ms this way.  The keys stay
# inside the GRAPH block: Oxigraph does not push a VALUES from outside a block of several patterns
# into it (38 ms on another page).
_PARTICIPANTS_WITH_ACTORS = """SELECT ?event ?role ?actor ?class ?name ?shortName ?office WHERE {{
  GRAPH ?g {{ {values}
    {{ ?event lt:agent ?actor BIND ("agent" AS ?role) }}
    UNION {{ ?event lt:addressee ?actor BIND ("addressee" AS ?role) }}
    ?actor a lt:Actor , ?class ; foaf:name ?name }}
  FILTER (?class != lt:Actor)
  OPTIONAL {{ GRAPH ?g {{ ?actor lt:shortName ?shortName }} }}
  OPTIONAL {{ GRAPH ?g {{ ?actor lt:office ?office }} }}
}}"""
_ACTORS_BY_IRI = """SELECT ?actor ?class ?name ?shortName ?office WHERE {{ {values}
  GRAPH ?h {{ ?actor a lt:Actor , ?class ; foaf:name ?name }} FILTER (?class != lt:Actor)
  OPTIONAL {{ GRAPH ?h {{ ?actor lt:shortName ?shortName }} }}
  OPTIONAL {{ GRAPH ?h {{ ?actor lt:office ?office }} }}
}}"""
_ALIASES = """SELECT DISTINCT ?actor ?alias WHERE {{ {values} GRAPH ?g {{ ?actor skos:altLabel ?alias }} }}
ORDER BY ?actor ?alias"""
_ACTS_OF_EVENTS = """SELECT DISTINCT ?event ?act WHERE {{ {values}
  GRAPH ?g {{ ?event lt:concernsLegalAct ?act }}
}} ORDER BY ?event ?act"""
_ACTS_BY_IRI = """SELECT ?act ?class ?label ?date ?identifier WHERE {{ {values}
  GRAPH ?g {{ ?act a lt:LegalAct , ?class ; rdfs:label ?label }} FILTER (?class != lt:LegalAct)
  OPTIONAL {{ GRAPH ?g {{ ?act lt:date ?date }} }} OPTIONAL {{ GRAPH ?g {{ ?act eli:id_local ?identifier }} }}
}} ORDER BY ?act ?label ?identifier"""
_DOCUMENTS_BY_IRI = """SELECT ?document ?title ?issued ?source WHERE {{ {values}
  GRAPH ?document {{ ?document a lt:Article ; dcterms:title ?title ; dcterms:issued ?issued }}
  OPTIONAL {{ GRAPH ?document {{ ?document dcterms:source ?source }} }}
}}"""
# The columns of events-page for given events (the named events-by-iri query's), with each OPTIONAL in
# a GRAPH block of its own after the one the keys join: the named query's OPTIONALs inside that block
# read every event of the store (4.9 s for a page of 100 at 10,000 articles, 15 ms this way).
_EVENTS_BY_IRI = """SELECT ?event ?eventType ?label ?date ?deadline (MIN(?shownText) AS ?dateText) ?section
       ?expected ?document ?documents WHERE {{
  {{ SELECT ?event ?class ?sectionConcept (MIN(?anyLabel) AS ?label) (MAX(STR(?anyDate)) AS ?day)
            (MAX(STR(?anyDeadline)) AS ?deadline) (MIN(?anyExpected) AS ?expected) (MIN(?source) AS ?document)
            (GROUP_CONCAT(DISTINCT STR(?source); separator=" | ") AS ?documents)
     WHERE {{ {values}
       GRAPH ?source {{ ?event a lt:LegalEvent , ?class ; rdfs:label ?anyLabel ; lt:section ?sectionConcept ;
                              lt:expected ?anyExpected }}
       FILTER (?class != lt:LegalEvent)
       OPTIONAL {{ GRAPH ?source {{ ?event lt:date ?anyDate }} }}
       OPTIONAL {{ GRAPH ?source {{ ?event lt:deadline ?anyDeadline }} }}
     }} GROUP BY ?event ?class ?sectionConcept }}
  OPTIONAL {{ GRAPH ?shownIn {{ ?event lt:date ?shownDate ; lt:dateText ?shownText }}
             FILTER (STR(?shownDate) = ?day) }}
  BIND (STRAFTER(STR(?class), "#") AS ?eventType)
  BIND (?day AS ?date)
  BIND (LCASE(STRBEFORE(STRAFTER(STR(?sectionConcept), "#"), "Section")) AS ?section)
}} GROUP BY ?event ?eventType ?label ?date ?deadline ?section ?expected ?document ?documents"""
_EVIDENCE = """SELECT ?event ?text ?begin ?end ?document WHERE {{ {values}
  GRAPH ?document {{ ?event lt:evidence ?span .
                    ?span nif:anchorOf ?text ; nif:beginIndex ?begin ; nif:endIndex ?end }}
}}"""


class GraphData:
    """Runs the GraphQL layer's SPARQL over one store; shared by all requests (it holds no state)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.named = load_named_queries()
        self._prefixes = sparql_prefixes()
        self.buckets = BucketWalk(store)

    async def rows(self, sparql: str) -> list[Row]:
        """Every solution of a SELECT as ``{variable: lexical value}`` (unbound variables left out)."""
        return await run_in_threadpool(self._rows, sparql)

    def _rows(self, sparql: str) -> list[Row]:
        return self._in_thread(self._solutions, sparql)

    @staticmethod
    def _in_thread(work: Callable[..., V], *args: Any) -> V:
        """``work(*args)``, run in a worker thread; its error is raised without this thread's results."""
        try:
            return work(*args)
        except Exception as error:
            failure = detached(error)  # raised on the event loop: it must not carry this thread's results
        raise failure

    def _solutions(self, sparql: str) -> list[Row]:
        results = self.store.query(sparql)
        assert isinstance(results, ox.QuerySolutions), "the GraphQL layer only runs SELECT queries"
        return bound_rows(results)

    async def _by_iri(self, template: str, variable: str, iris: Sequence[str]) -> list[Row]:
        return await self.rows(self._prefixes + template.format(values=_values(variable, iris)))

    # -- pages: the named queries ``events-page`` and ``events-count`` -----------------------------

    async def events_page(self, condition: str, request: PageRequest) -> list[EventRow]:
        """Up to ``request.size + 1`` events matching ``condition``, in reading order, after its cursor."""
        sparql = bind_rows(self.named["events-page"], [_keyset(request)], condition)
        return [_event(row) for row in await self.rows(f"{sparql}\nLIMIT {request.size + 1}")]

    async def walked_events(self, scope: Scope, count: int, after: Position | None) -> list[EventRow] | None:
        """Up to ``count`` events of ``scope`` after ``after`` through the timeline buckets, in events-page
        order; None when the buckets cannot answer (a store without keys, a cursor of no date)."""
        iris = await run_in_threadpool(self._in_thread, self._walk, scope, count, after)
        return None if iris is None else await self._rows_of(iris)

    async def timeline_events(self, scope: Scope, count: int) -> tuple[list[EventRow], list[EventRow]] | None:
        """The timeline field's dated events (up to ``count``), then its undated ones, through the buckets."""
        found = await run_in_threadpool(self._in_thread, self._timeline, scope, count)
        if found is None:
            return None
        rows = await self._rows_of(found[0] + found[1])
        return [row for row in rows if row.date], [row for row in rows if not row.date]

    def _walk(self, scope: Scope, count: int, after: Position | None) -> list[str] | None:
        return self.buckets.events(scope, count, after) if self.buckets.indexed() else None

    def _timeline(self, scope: Scope, count: int) -> tuple[list[str], list[str]] | None:
        return self.buckets.timeline(scope, count) if self.buckets.indexed() else None

    async def _rows_of(self, iris: list[str]) -> list[EventRow]:
        """The events-page columns of ``iris``, in that order (one events-by-iri query)."""
        return [row for row in await self.events_by_iri(iris) if row is not None] if iris else []

    async def events_count(self, condition: str, request: PageRequest) -> Counts:
        sparql = bind_rows(self.named["events-count"], [_keyset(request)], condition)
        [row] = await self.rows(sparql)
        return Counts(int(row["total"]), int(row.get("before", "0")))

    async def actors(self) -> list[ActorRow]:
        return _unique_actors(await self.rows(self.named["actors"].text), kind_column="actorKind")

    async def legal_acts(self) -> list[LegalActRow]:
        return [
            LegalActRow(row["act"], row["label"], kind_of(row["actKind"], "LegalAct"), row.get("date"),
                        _split(row.get("identifiers")))
            for row in await self.rows(self.named["legal-acts"].text)
        ]

    async def documents(self) -> list[DocumentRow]:
        return [_document(row) for row in await self.rows(self.named["documents"].text)]

    # -- batch functions behind the DataLoaders -----------------------------------------------------

    async def kinds(self, iris: Sequence[str]) -> list[str | None]:
        """For each IRI: what it is (``LegalEvent``, ``Actor``, ``LegalAct``, ``Article``); None: unknown."""
        found = {row["node"]: _local(row["class"]) for row in await self._by_iri(_KINDS, "node", iris)}
        return [found.get(iri) for iri in iris]

    async def events_by_iri(self, iris: Sequence[str]) -> list[EventRow | None]:
        found = {row["event"]: _event(row) for row in await self._by_iri(_EVENTS_BY_IRI, "event", iris)}
        return [found.get(iri) for iri in iris]

    async def event_extras(self, iris: Sequence[str]) -> list[EventExtras]:
        outcomes: dict[str, str] = {}
        flags: dict[str, set[str]] = {}
        for row in await self._by_iri(_EVENT_EXTRAS, "event", iris):
            if "outcome" in row:
                outcomes[row["event"]] = snake(_local(row["outcome"]))
            if "flag" in row:
                flags.setdefault(row["event"], set()).add(snake(_local(row["flag"])))
        return [EventExtras(outcomes.get(iri), tuple(sorted(flags.get(iri, ())))) for iri in iris]

    async def participants(self, iris: Sequence[str]) -> list[list[tuple[str, str]]]:
        """For each event: its ``(role, actor IRI)`` pairs, role ``agent`` or ``addressee``."""
        rows = await self._by_iri(_PARTICIPANTS, "event", iris)
        return _grouped(iris, rows, "event", lambda row: (row["role"], row["actor"]))

    async def participants_with_actors(
        self, iris: Sequence[str]
    ) -> tuple[list[list[tuple[str, str]]], list[ActorRow]]:
        """``participants`` and the actors they name, in one query (a page's agents in one round trip).

        Each actor is read from the articles of the page's events only (see ``_PARTICIPANTS_WITH_ACTORS``),
        so a field may differ from ``actor(id:)``'s when articles disagree about an actor."""
        rows = _sorted(await self._by_iri(_PARTICIPANTS_WITH_ACTORS, "event", iris), "role", "actor")
        links = _grouped(iris, rows, "event", lambda row: (row["role"], row["actor"]))
        return [list(dict.fromkeys(pairs)) for pairs in links], _least_actors(rows)

    async def answers(self, iris: Sequence[str]) -> list[list[str]]:
        """For each event: the events that respond to it or follow it (what may fulfil a commitment)."""
        return _grouped(iris, await self._by_iri(_ANSWERS, "event", iris), "event", lambda row: row["answer"])

    async def actors_by_iri(self, iris: Sequence[str]) -> list[ActorRow | None]:
        rows = _sorted(await self._by_iri(_ACTORS_BY_IRI, "actor", iris), "actor", "name")
        found = {a.iri: a for a in _unique_actors(rows, "class")}
        return [found.get(iri) for iri in iris]

    async def aliases(self, iris: Sequence[str]) -> list[list[str]]:
        return _grouped(iris, await self._by_iri(_ALIASES, "actor", iris), "actor", lambda row: row["alias"])

    async def legal_acts_of_events(self, iris: Sequence[str]) -> list[list[str]]:
        rows = await self._by_iri(_ACTS_OF_EVENTS, "event", iris)
        return _grouped(iris, rows, "event", lambda row: row["act"])

    async def legal_acts_by_iri(self, iris: Sequence[str]) -> list[LegalActRow | None]:
        identifiers: dict[str, list[str]] = {}
        first: dict[str, Row] = {}
        for row in await self._by_iri(_ACTS_BY_IRI, "act", iris):
            first.setdefault(row["act"], row)
            if "identifier" in row and row["identifier"] not in identifiers.setdefault(row["act"], []):
                identifiers[row["act"]].append(row["identifier"])
        return [
            LegalActRow(iri, act["label"], kind_of(_local(act["class"]), "LegalAct"), act.get("date"),
                        tuple(identifiers.get(iri, ()))) if (act := first.get(iri)) else None
            for iri in iris
        ]

    async def related(self, iris: Sequence[str]) -> list[list[tuple[str, str]]]:
        """For each event: ``(relation, other event IRI)`` for the relations it is the source of."""
        sparql = bind_rows(self.named["event-relations"], [{"event": iri} for iri in iris])
        wanted = set(iris)
        rows = [row for row in await self.rows(sparql) if row["source"] in wanted]
        return _grouped(iris, rows, "source", lambda row: (snake(row["relation"]), row["target"]))

    async def evidence(self, iris: Sequence[str]) -> list[list[EvidenceRow]]:
        rows = await self._by_iri(_EVIDENCE, "event", iris)
        spans = sorted(rows, key=lambda row: (
            row["document"], int(row["begin"]), int(row["end"]), row["event"]))
        return _grouped(iris, spans, "event", lambda row: EvidenceRow(
            row["text"], int(row["begin"]), int(row["end"]), row["document"]))

    async def events_of_actors(self, iris: Sequence[str]) -> list[list[str]]:
        """For each actor: the IRIs of its events, as agent or addressee (each once)."""
        sparql = bind_rows(self.named["events-by-actor"], [{"actor": iri} for iri in iris])
        per_actor = _grouped(iris, await self.rows(sparql), "actor", lambda row: row["event"])
        return [list(dict.fromkeys(events)) for events in per_actor]

    async def events_of_documents(self, iris: Sequence[str]) -> list[list[str]]:
        rows = await self._by_iri(_EVENTS_OF_DOCUMENTS, "document", iris)
        return _grouped(iris, rows, "document", lambda row: row["event"])

    async def events_of_acts(self, iris: Sequence[str]) -> list[list[str]]:
        rows = await self._by_iri(_EVENTS_OF_ACTS, "act", iris)
        return _grouped(iris, rows, "act", lambda row: row["event"])

    async def documents_by_iri(self, iris: Sequence[str]) -> list[DocumentRow | None]:
        rows = await self._by_iri(_DOCUMENTS_BY_IRI, "document", iris)
        found = {row["document"]: _document(row) for row in rows}
        return [found.get(iri) for iri in iris]


@dataclass
class Loaders:
    """The DataLoaders of one GraphQL request (a loader caches, so it must not outlive the request)."""

    kinds: DataLoader[str, str | None]
    events: DataLoader[str, EventRow | None]
    extras: DataLoader[str, EventExtras]
    participants: DataLoader[str, list[tuple[str, str]]]
    answers: DataLoader[str, list[str]]
    actors: DataLoader[str, ActorRow | None]
    aliases: DataLoader[str, list[str]]
    legal_acts_of_event: DataLoader[str, list[str]]
    legal_acts: DataLoader[str, LegalActRow | None]
    related: DataLoader[str, list[tuple[str, str]]]
    evidence: DataLoader[str, list[EvidenceRow]]
    events_of_actor: DataLoader[str, list[str]]
    events_of_document: DataLoader[str, list[str]]
    events_of_act: DataLoader[str, list[str]]
    documents: DataLoader[str, DocumentRow | None]

    @classmethod
    def for_request(cls, data: GraphData) -> Loaders:
        return cls(
            kinds=_loader(data.kinds),
            events=_loader(data.events_by_iri),
            extras=_loader(data.event_extras),
            participants=_loader(data.participants),
            answers=_loader(data.answers),
            actors=_loader(data.actors_by_iri),
            aliases=_loader(data.aliases),
            legal_acts_of_event=_loader(data.legal_acts_of_events),
            legal_acts=_loader(data.legal_acts_by_iri),
            related=_loader(data.related),
            evidence=_loader(data.evidence),
            events_of_actor=_loader(data.events_of_actors),
            events_of_document=_loader(data.events_of_documents),
            events_of_act=_loader(data.events_of_acts),
            documents=_loader(data.documents_by_iri),
        )


@dataclass
class GraphContext:
    """What every resolver sees as ``info.context``.

    ``may_write`` is set by the HTTP layer once the request's bearer token is checked;
    ``today`` is the day deadlines are judged on when a query gives no ``asOf``.
    """

    data: GraphData
    loaders: Loaders
    limits: GraphQLLimits = field(default_factory=GraphQLLimits)
    may_write: bool = False
    today: date = field(default_factory=date.today)
    request: Any = None
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES  # largest ingestArticle text (KG_MAX_ARTICLE_BYTES)


def _keyset(request: PageRequest) -> dict[str, str]:
    position = request.position
    return {
        "afterKey": position.key if position else "",
        "afterEvent": position.iri if position else "",
        "order": "desc" if request.reads_descending else "asc",
    }


def _loader(batch: Callable[[Sequence[str]], Awaitable[Sequence[V]]]) -> DataLoader[str, V]:
    async def load(keys: list[str]) -> Sequence[V]:
        return await batch(keys)

    return DataLoader(load_fn=load)


def _grouped(
    keys: Sequence[str], rows: Iterable[Row], column: str, value: Callable[[Row], V]
) -> list[list[V]]:
    """Rows grouped by ``column``, one list per key, in the rows' order."""
    groups: dict[str, list[V]] = {key: [] for key in keys}
    for row in rows:
        if row[column] in groups:
            groups[row[column]].append(value(row))
    return [groups[key] for key in keys]


def _sorted(rows: list[Row], *columns: str) -> list[Row]:
    """``rows`` by ``columns`` (always bound): Oxigraph's ORDER BY over IRIs and names cost more than
    the rest of a page's actors query (3.4 of 8.9 ms CPU for 200 rows), Python's sort a tenth of that."""
    return sorted(rows, key=lambda row: [row[column] for column in columns])


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def _split(joined: str | None) -> tuple[str, ...]:
    return tuple(part for part in (joined or "").split(_GROUP_SEPARATOR) if part)


def _event(row: Row) -> EventRow:
    day = row.get("date")
    return EventRow(
        iri=row["event"], type=row["eventType"], label=row["label"], date=day,
        precision=TimeValue.parse(day).precision if day else None, deadline=row.get("deadline"),
        date_text=row.get("dateText"), section=row["section"], expected=row["expected"] == "true",
        document=row["document"], documents=tuple(sorted(_split(row.get("documents")))) or (row["document"],),
    )


def _document(row: Row) -> DocumentRow:
    published = datetime.fromisoformat(row["issued"])
    return DocumentRow(row["document"], row["title"], published, row.get("source"))


def _unique_actors(rows: Iterable[Row], kind_column: str) -> list[ActorRow]:
    """One actor per IRI, in the rows' order: a kind read in one article beats ``Other`` in another."""
    actors: dict[str, ActorRow] = {}
    for row in rows:
        kind = kind_of(_local(row[kind_column]), "Actor")
        known = actors.get(row["actor"])
        if known is None or (known.kind == "Other" and kind != "Other"):
            actors[row["actor"]] = ActorRow(
                row["actor"], row["name"], kind, row.get("shortName"), row.get("office"))
    return list(actors.values())


def _least_actors(rows: Iterable[Row]) -> list[ActorRow]:
    """One actor per IRI, in the rows' order, each field the least of the rows that say it, so the answer
    does not hang on the order of the rows; a kind other than ``Other`` beats ``Other`` as in
    ``_unique_actors``, and only the rows of the kinds kept give the other fields."""
    groups: dict[str, list[tuple[str, Row]]] = {}
    for row in rows:
        groups.setdefault(row["actor"], []).append((kind_of(_local(row["class"]), "Actor"), row))
    return [_least_actor(iri, group) for iri, group in groups.items()]


def _least_actor(iri: str, said: list[tuple[str, Row]]) -> ActorRow:
    kept = [(kind, row) for kind, row in said if kind != "Other"] or said
    rows = [row for _, row in kept]
    return ActorRow(
        iri, min(row["name"] for row in rows), min(kind for kind, _ in kept),
        min((row["shortName"] for row in rows if "shortName" in row), default=None),
        min((row["office"] for row in rows if "office" in row), default=None),
    )
