"""The GraphQL types: the ontology flattened for frontends.

An event's date is one string whose length says its precision (``PartialDate``),
controlled vocabularies are enums, IRIs are IDs, and every object with an IRI is a
``Node``.  Every nested field reads through the request's DataLoaders (``graphql_data``),
so a page of events costs one SPARQL query for the page plus one per kind of nested field,
whatever the number of events.  Nested lists of events are Relay connections paged in
memory: their parent's events are few, and one batched query fetches them for every parent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date as Day
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, NewType, TypeVar

import strawberry
from strawberry.types import Info

from kg.models import TimeValue
from kg.namespaces import LT
from kg.web.graphql_data import (
    ActorRow,
    DocumentRow,
    EventExtras,
    EventRow,
    EvidenceRow,
    GraphContext,
    LegalActRow,
)
from kg.web.graphql_pagination import PageRequest, Window, window_in_memory
from kg.web.graphql_prefetch import MISSING, prefetch, ready

Context = Info[GraphContext, None]
T = TypeVar("T")
V = TypeVar("V")


PartialDate = NewType("PartialDate", str)
PARTIAL_DATE = strawberry.scalar(
    name="PartialDate",
    serialize=str,
    description="A calendar date known to the day (YYYY-MM-DD), the month (YYYY-MM) or the year (YYYY); "
    "a month or a year is never padded into a made-up day.",
)
SCALARS: dict[object, Any] = {PartialDate: PARTIAL_DATE}


@strawberry.enum(description="The kinds of legal event (subclasses of lt:LegalEvent).")
class EventType(Enum):
    PUBLICATION = strawberry.enum_value("Publication", description="A text is published or announced.")
    APPEAL = strawberry.enum_value("Appeal", description="A court or authority is seized.")
    HEARING = strawberry.enum_value("Hearing", description="A hearing is held.")
    RULING = strawberry.enum_value("Ruling", description="A court or authority decides.")
    REQUEST = strawberry.enum_value("Request", description="Someone asks or orders someone to act.")
    OPINION = strawberry.enum_value("Opinion", description="An advisory opinion is given.")
    LETTER = strawberry.enum_value("Letter", description="A letter is sent.")
    COMMITMENT = strawberry.enum_value("Commitment", description="Someone undertakes to act.")
    DISCLOSURE = strawberry.enum_value("Disclosure", description="Something is revealed, often by the press.")
    SANCTION = strawberry.enum_value("Sanction", description="A penalty is imposed.")
    STATEMENT = strawberry.enum_value("Statement", description="A public statement is made.")


@strawberry.enum(description="The grain a date is known to.")
class Precision(Enum):
    DAY = strawberry.enum_value("day", description="Known to the day.")
    MONTH = strawberry.enum_value("month", description="Known to the month.")
    YEAR = strawberry.enum_value("year", description="Known to the year.")


@strawberry.enum(description="Where an event was read: the outlet's own text or a reader's comment.")
class SectionKind(Enum):
    BODY = strawberry.enum_value("body", description="The article's own text.")
    COMMENT = strawberry.enum_value("comment", description="A reader's comment under the article.")


@strawberry.enum(description="What a ruling decided.")
class Outcome(Enum):
    REJECTED = strawberry.enum_value("rejected", description="The claim is rejected.")
    ANNULLED = strawberry.enum_value("annulled", description="The act is annulled.")
    SUSPENDED = strawberry.enum_value("suspended", description="The act is suspended.")
    UPHELD = strawberry.enum_value("upheld", description="The act or decision is upheld.")
    PARTIALLY_GRANTED = strawberry.enum_value("partially_granted", description="The claim is partly granted.")
    GRANTED = strawberry.enum_value("granted", description="The claim is granted.")


@strawberry.enum(description="How one event bears on another.")
class Relation(Enum):
    DECIDES = strawberry.enum_value("decides", description="A ruling decides an appeal or a request.")
    RESPONDS_TO = strawberry.enum_value("responds_to", description="It answers the other event.")
    TARGETS = strawberry.enum_value("targets", description="It challenges the other event (an appeal).")
    DISCLOSES = strawberry.enum_value("discloses", description="It reveals the other event.")
    FOLLOWS = strawberry.enum_value("follows", description="It comes as a consequence of the other event.")


@strawberry.enum(description="Where a commitment or a request with a deadline stands on a given day.")
class CommitmentStatus(Enum):
    OPEN = strawberry.enum_value("open", description="Not met yet, and the deadline is not over.")
    MET = strawberry.enum_value("met", description="An event that happened by that day responds to it or "
                                "follows it.")
    OVERDUE = strawberry.enum_value("overdue", description="Not met, and the deadline's whole period (day, "
                                    "month or year) is over.")


@strawberry.enum(description="What kind of body or person an actor is.")
class ActorKind(Enum):
    COURT = strawberry.enum_value("Court", description="A court (Conseil d'État, CJUE...).")
    REGULATORY_AUTHORITY = strawberry.enum_value("RegulatoryAuthority", description="A regulator (CNIL...).")
    GOVERNMENT = strawberry.enum_value("Government", description="A government, a ministry, a minister.")
    PERSON = strawberry.enum_value("Person", description="A person acting in their own name.")
    COMPANY = strawberry.enum_value("Company", description="A company.")
    ASSOCIATION = strawberry.enum_value("Association", description="An association, a collective, a union.")
    PRESS_OUTLET = strawberry.enum_value("PressOutlet", description="A newspaper or another media outlet.")
    PARLIAMENT = strawberry.enum_value("Parliament", description="A parliament, a chamber, a committee.")
    EU_INSTITUTION = strawberry.enum_value("EUInstitution", description="An institution of the EU.")
    PUBLIC_BODY = strawberry.enum_value("PublicBody", description="Another public body.")
    OTHER = strawberry.enum_value("Other", description="Of a kind the articles do not say.")


@strawberry.enum(description="What kind of text a legal act is.")
class LegalActKind(Enum):
    LAW = strawberry.enum_value("Law", description="A law.")
    DECREE = strawberry.enum_value("Decree", description="A decree (décret).")
    ORDER = strawberry.enum_value("Order", description="A ministerial order (arrêté).")
    ORDINANCE = strawberry.enum_value("Ordinance", description="An ordinance (ordonnance).")
    DELIBERATION = strawberry.enum_value("Deliberation", description="A deliberation of an authority.")
    COURT_DECISION = strawberry.enum_value("CourtDecision", description="A court's decision.")
    CONTRACT = strawberry.enum_value("Contract", description="A contract.")
    REGULATION = strawberry.enum_value("Regulation", description="A regulation (e.g. of the EU).")
    DIRECTIVE = strawberry.enum_value("Directive", description="A directive of the EU.")
    OTHER = strawberry.enum_value("Other", description="Another kind of text.")


def actor_class(kind: ActorKind) -> str:
    """The ontology class of an actor kind (``Other`` is ``lt:OtherActor``)."""
    return LT.iri_of("OtherActor" if kind is ActorKind.OTHER else str(kind.value))


@strawberry.interface(description="Anything with an IRI, which `node(id:)` fetches back.")
class Node:
    id: strawberry.ID = strawberry.field(description="The IRI.")


@strawberry.type(description="Where a page lies in the whole list (Relay).")
class PageInfo:
    window: strawberry.Private[Window[Any]]

    @strawberry.field(description="True when items follow this page.")
    async def has_next_page(self) -> bool:
        return await self.window.has_next_page()

    @strawberry.field(description="True when items come before this page.  On `events`, when paging "
                      "forward from a cursor (or for `hasNextPage` paging backward), it counts the events "
                      "before the cursor: a pass over every event of the store, slow on a large one; ask "
                      "only when needed.")
    async def has_previous_page(self) -> bool:
        return await self.window.has_previous_page()

    @strawberry.field(description="The cursor of the page's first item; null for an empty page.")
    def start_cursor(self) -> str | None:
        return self.window.positions[0].cursor() if self.window.positions else None

    @strawberry.field(description="The cursor of the page's last item: give it as `after` for the next page.")
    def end_cursor(self) -> str | None:
        return self.window.positions[-1].cursor() if self.window.positions else None


@strawberry.type(description="An event in a page, with the cursor of its position.")
class EventEdge:
    cursor: str = strawberry.field(description="Opaque: the event's position, for `after` or `before`.")
    node: Event = strawberry.field(description="The event.")


@strawberry.type(description="A page of events by date (undated last) then IRI, or the reverse (Relay).")
class EventConnection:
    window: strawberry.Private[Window[EventRow]]

    @strawberry.field(description="The page's events with their cursors.")
    def edges(self) -> list[EventEdge]:
        return [EventEdge(cursor=position.cursor(), node=Event.from_row(row))
                for row, position in zip(self.window.items, self.window.positions, strict=True)]

    @strawberry.field(description="The page's events, without cursors.")
    def nodes(self) -> list[Event]:
        return [Event.from_row(row) for row in self.window.items]

    @strawberry.field(description="Where the page lies.")
    def page_info(self) -> PageInfo:
        return PageInfo(window=self.window)

    @strawberry.field(description="How many events match, on every page together: counted over every "
                      "event of the store (a full pass, seconds on a large store, unlike a page): ask only "
                      "when needed.")
    async def total_count(self) -> int:
        return (await self.window.counts()).total


@strawberry.type(description="An actor in a page, with the cursor of its position.")
class ActorEdge:
    cursor: str = strawberry.field(description="Opaque: the actor's position, for `after`.")
    node: Actor = strawberry.field(description="The actor.")


@strawberry.type(description="A page of actors by name then IRI (Relay).")
class ActorConnection:
    window: strawberry.Private[Window[ActorRow]]

    @strawberry.field(description="The page's actors with their cursors.")
    def edges(self) -> list[ActorEdge]:
        return [ActorEdge(cursor=position.cursor(), node=Actor.from_row(row))
                for row, position in zip(self.window.items, self.window.positions, strict=True)]

    @strawberry.field(description="The page's actors, without cursors.")
    def nodes(self) -> list[Actor]:
        return [Actor.from_row(row) for row in self.window.items]

    @strawberry.field(description="Where the page lies.")
    def page_info(self) -> PageInfo:
        return PageInfo(window=self.window)

    @strawberry.field(description="How many actors match, on every page together.")
    async def total_count(self) -> int:
        return (await self.window.counts()).total


First = Annotated[int | None, strawberry.argument(description="Page forward: at most this many items.")]
After = Annotated[str | None, strawberry.argument(description="Page forward: start after this cursor.")]
Last = Annotated[int | None, strawberry.argument(description="Page backward: at most this many items.")]
Before = Annotated[str | None, strawberry.argument(description="Page backward: end before this cursor.")]


@strawberry.type(description="A passage of an article that attests an event (a NIF offset-based string).")
class Evidence:
    text: str = strawberry.field(description="The passage, exactly as it appears in the article.")
    start: int = strawberry.field(description="Offset of its first character (Unicode code points, from 0).")
    end: int = strawberry.field(description="Offset just past its last character.")
    document_iri: strawberry.Private[str]

    @strawberry.field(description="The article the offsets point into.")
    async def document(self, info: Context) -> Document:
        return await _document(info, self.document_iri)


@strawberry.type(description="A link from an event to another event.")
class RelatedEvent:
    relation: Relation = strawberry.field(description="How this event bears on the other one.")
    event: Event = strawberry.field(description="The other event.")


@strawberry.type(description="A court, authority, government body, company, association, outlet or person.")
class Actor(Node):
    name: str = strawberry.field(description="The canonical name (one IRI per name, across articles).")
    short_name: str | None = strawberry.field(description="The usual abbreviation (CNIL), if any.")
    kind: ActorKind = strawberry.field(description="What kind of actor this is.")
    office: str | None = strawberry.field(description="For a person, the office held (\"ministre\").")

    @classmethod
    def from_row(cls, row: ActorRow) -> Actor:
        return cls(id=strawberry.ID(row.iri), name=row.name, short_name=row.short_name,
                   kind=ActorKind(row.kind), office=row.office)

    @strawberry.field(description="Other names the articles use for the actor.")
    async def aliases(self, info: Context) -> list[str]:
        return await info.context.loaders.aliases.load(self.id)

    @strawberry.field(description="The events the actor takes part in (agent, addressee), by date then IRI.")
    async def events(self, info: Context, first: First = None, after: After = None, last: Last = None,
                     before: Before = None) -> EventConnection:
        iris = await info.context.loaders.events_of_actor.load(self.id)
        return await nested_events(info, iris, first, after, last, before)


@strawberry.type(description="A legal event read from articles: what happened (or is announced), when, who. "
                 "The same real event reported by several articles is one event with several sources.")
class Event(Node):
    type: EventType = strawberry.field(description="What kind of event this is.")
    label: str = strawberry.field(description="A short human-readable summary (French).")
    date: PartialDate | None = strawberry.field(
        description="When it happened (or will), as precisely as its sources give it; null when undated.")
    precision: Precision | None = strawberry.field(description="The grain of `date`; null when undated.")
    date_text: str | None = strawberry.field(description="The date as an article words it (\"le 12 juin\").")
    deadline: PartialDate | None = strawberry.field(
        description="The deadline of a commitment or a request, to the precision known.")
    section: SectionKind = strawberry.field(
        description="Whether the event was read in an article body or in a reader's comment.")
    expected: bool = strawberry.field(
        description="True when the event is announced for the future, not asserted as done.")
    row: strawberry.Private[EventRow]

    @classmethod
    def from_row(cls, row: EventRow) -> Event:
        return cls(
            id=strawberry.ID(row.iri), type=EventType(row.type), label=row.label, date=_partial(row.date),
            precision=Precision(row.precision) if row.precision else None, date_text=row.date_text,
            deadline=_partial(row.deadline), section=SectionKind(row.section), expected=row.expected, row=row,
        )

    @strawberry.field(description="For a commitment or a request with a deadline: open, met or overdue on "
                      "`asOf`; null for other events.")
    async def status(
        self, info: Context,
        as_of: Annotated[Day | None, strawberry.argument(
            description="The day to judge on; today when not given.")] = None,
    ) -> CommitmentStatus | None:
        if self.row.type not in ("Commitment", "Request") or self.row.deadline is None:
            return None
        loaders = info.context.loaders
        answers = await loaders.events.load_many(await loaders.answers.load(self.id))
        done = [answer for answer in answers if answer is not None]
        return CommitmentStatus(commitment_status(self.row, done, as_of or info.context.today))

    @strawberry.field(graphql_type=Outcome | None, description="What a ruling decided; null otherwise.")
    def outcome(self, info: Context) -> Outcome | Awaitable[Outcome | None] | None:
        return _from_extras(info, self.id, lambda extras: Outcome(extras.outcome) if extras.outcome else None)

    @strawberry.field(graphql_type=list[str],
                      description="Data-quality warnings, e.g. weekday_mismatch (weekday contradicts date).")
    def flags(self, info: Context) -> list[str] | Awaitable[list[str]]:
        return _from_extras(info, self.id, lambda extras: list(extras.flags))

    @strawberry.field(graphql_type=list[Actor],
                      description="Who acted: the court ruling, the authority publishing, the appellant.")
    def agents(self, info: Context) -> list[Actor] | Awaitable[list[Actor]]:
        return _participants(info, self.id, "agent")

    @strawberry.field(graphql_type=list[Actor],
                      description="Who the event is aimed at: the court seized, the company sanctioned.")
    def addressees(self, info: Context) -> list[Actor] | Awaitable[list[Actor]]:
        return _participants(info, self.id, "addressee")

    @strawberry.field(description="The laws, decrees, decisions... the event concerns.")
    async def legal_acts(self, info: Context) -> list[LegalAct]:
        loaders = info.context.loaders
        rows = await loaders.legal_acts.load_many(await loaders.legal_acts_of_event.load(self.id))
        return [LegalAct.from_row(row) for row in rows if row is not None]

    @strawberry.field(description="The events this one decides, targets, answers, discloses or follows.")
    async def related(
        self, info: Context,
        relation: Annotated[list[Relation] | None, strawberry.argument(
            description="Only links of these kinds; all when not given.")] = None,
    ) -> list[RelatedEvent]:
        loaders = info.context.loaders
        links = [(kind, target) for kind, target in await loaders.related.load(self.id)
                 if relation is None or Relation(kind) in relation]
        rows = await loaders.events.load_many([target for _, target in links])
        return [
            RelatedEvent(relation=Relation(kind), event=Event.from_row(row))
            for (kind, _), row in zip(links, rows, strict=True) if row is not None
        ]

    @strawberry.field(graphql_type=list[Evidence],
                      description="The passages of the articles that attest the event, in text order.")
    def evidence(self, info: Context) -> list[Evidence] | Awaitable[list[Evidence]]:
        loader = info.context.loaders.evidence
        rows = ready(loader, self.id)
        return _evidence(rows) if rows is not MISSING else _then(loader.load(self.id), _evidence)

    @strawberry.field(description="The first article (by IRI) that reports the event.")
    async def document(self, info: Context) -> Document:
        return await _document(info, self.row.document)

    @strawberry.field(description="Every article that reports the event, by IRI.")
    async def sources(self, info: Context) -> list[Document]:
        rows = await info.context.loaders.documents.load_many(list(self.row.documents))
        return [Document.from_row(row) for row in rows if row is not None]


@strawberry.type(description="A law, decree, order, decision or other legal text named by an article.")
class LegalAct(Node):
    label: str = strawberry.field(description="The act as the articles name it (\"décret du 3 mars 2020\").")
    kind: LegalActKind = strawberry.field(description="What kind of text it is.")
    date: PartialDate | None = strawberry.field(
        description="The act's own date (signature or decision), to the precision known.")
    identifiers: list[str] = strawberry.field(
        description="Official identifiers as written: NOR, ELI, ECLI, decision numbers.")

    @classmethod
    def from_row(cls, row: LegalActRow) -> LegalAct:
        return cls(id=strawberry.ID(row.iri), label=row.label, kind=LegalActKind(row.kind),
                   date=_partial(row.date), identifiers=list(row.identifiers))

    @strawberry.field(description="The events that concern the act, by date then IRI.")
    async def events(self, info: Context, first: First = None, after: After = None, last: Last = None,
                     before: Before = None) -> EventConnection:
        iris = await info.context.loaders.events_of_act.load(self.id)
        return await nested_events(info, iris, first, after, last, before)


@strawberry.type(description="A news article the graph was extracted from (one named graph per article).")
class Document(Node):
    title: str = strawberry.field(description="The article's title.")
    published: datetime = strawberry.field(description="When the article was published (with its time zone).")
    source: str | None = strawberry.field(description="Where the article was read from (a URL), if known.")

    @classmethod
    def from_row(cls, row: DocumentRow) -> Document:
        return cls(id=strawberry.ID(row.iri), title=row.title, published=row.published, source=row.source)

    @strawberry.field(description="The events read from the article, by date (undated last) then IRI.")
    async def events(self, info: Context, first: First = None, after: After = None, last: Last = None,
                     before: Before = None) -> EventConnection:
        iris = await info.context.loaders.events_of_document.load(self.id)
        return await nested_events(info, iris, first, after, last, before)


@strawberry.type(description="Events in date order, with the undated ones apart (they cannot be placed).")
class Timeline:
    dated: list[Event] = strawberry.field(description="The dated events, by date then IRI.")
    undated: list[Event] = strawberry.field(description="The undated events, by IRI.")
    complete: bool = strawberry.field(
        description="False when more events match than the maximum page size: narrow the query, or page "
        "through `events`.")


def commitment_status(row: EventRow, answers: list[EventRow], as_of: Day) -> str:
    """``met`` when an answer happened by ``as_of``, else ``overdue`` after the deadline, else ``open``."""
    assert row.deadline is not None
    for answer in answers:
        if not answer.expected and (answer.date is None or TimeValue.parse(answer.date).first_day() <= as_of):
            return "met"
    return "overdue" if TimeValue.parse(row.deadline).last_day() < as_of else "open"


async def nested_events(info: Context, iris: list[str], first: int | None, after: str | None,
                        last: int | None, before: str | None) -> EventConnection:
    """A connection over a parent's events (all loaded in one batch for every parent, paged here)."""
    request = PageRequest.of(info.context.limits, first, after, last, before)
    rows = [row for row in await info.context.loaders.events.load_many(iris) if row is not None]
    connection = EventConnection(window=window_in_memory(rows, lambda row: row.position, request))
    await prefetch(info.context, info.selected_fields, [row.iri for row in connection.window.items])
    return connection


def _participants(info: Context, event: str, role: str) -> list[Actor] | Awaitable[list[Actor]]:
    """The event's actors in ``role``: at once when the page prefetched them, else through the loaders."""
    loaders = info.context.loaders
    links = ready(loaders.participants, event)
    if links is not MISSING:
        rows = [ready(loaders.actors, actor) for actor_role, actor in links if actor_role == role]
        if all(row is not MISSING for row in rows):
            return [Actor.from_row(row) for row in rows if row is not None]
    return _load_participants(info, event, role)


async def _load_participants(info: Context, event: str, role: str) -> list[Actor]:
    loaders = info.context.loaders
    iris = [actor for actor_role, actor in await loaders.participants.load(event) if actor_role == role]
    return [Actor.from_row(row) for row in await loaders.actors.load_many(iris) if row is not None]


def _from_extras(info: Context, event: str, pick: Callable[[EventExtras], V]) -> V | Awaitable[V]:
    loader = info.context.loaders.extras
    extras = ready(loader, event)
    return pick(extras) if extras is not MISSING else _then(loader.load(event), pick)


def _evidence(rows: list[EvidenceRow]) -> list[Evidence]:
    return [Evidence(text=r.text, start=r.start, end=r.end, document_iri=r.document) for r in rows]


async def _then(pending: Awaitable[T], then: Callable[[T], V]) -> V:
    return then(await pending)


async def _document(info: Context, iri: str) -> Document:
    row = await info.context.loaders.documents.load(iri)
    if row is None:
        raise LookupError(f"document {iri} is named by an event but is not in the store")
    return Document.from_row(row)


def _partial(value: str | None) -> PartialDate | None:
    return PartialDate(value) if value is not None else None
