"""The GraphQL schema: a read-only view of the timeline for front ends that do not speak SPARQL.

Types mirror the ontology but flatten it for clients: an event's date is one string whose
length says its precision (``PartialDate``), controlled vocabularies are enums, IRIs are
IDs.  Every nested field goes through a per-request DataLoader (``graphql_data``), so a
page of events costs one SPARQL query for the page plus one per kind of nested field,
whatever the number of events.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated, NewType

import pyoxigraph as ox
import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info

from kg.models import TimeValue
from kg.web.graphql_data import (
    MAX_PAGE,
    ActorRow,
    DocumentRow,
    EventFilter,
    EventRow,
    GraphContext,
    LegalActRow,
)


def _parse_partial_date(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("PartialDate must be a string YYYY, YYYY-MM or YYYY-MM-DD")
    return TimeValue.parse(value).iso()


PartialDate = NewType("PartialDate", str)
PARTIAL_DATE = strawberry.scalar(
    name="PartialDate",
    serialize=str,
    parse_value=_parse_partial_date,
    description="A calendar date known to the day (YYYY-MM-DD), the month (YYYY-MM) or the year (YYYY); "
    "a month or a year is never padded into a made-up day.",
)


@strawberry.enum(description="The kinds of legal event (subclasses of lt:LegalEvent).")
class EventType(Enum):
    PUBLICATION = "Publication"
    APPEAL = "Appeal"
    HEARING = "Hearing"
    RULING = "Ruling"
    REQUEST = "Request"
    OPINION = "Opinion"
    LETTER = "Letter"
    COMMITMENT = "Commitment"
    DISCLOSURE = "Disclosure"
    SANCTION = "Sanction"
    STATEMENT = "Statement"


@strawberry.enum(description="The grain a date is known to.")
class Precision(Enum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@strawberry.enum(description="Where an event was read: the outlet's own text or a reader's comment.")
class SectionKind(Enum):
    BODY = "body"
    COMMENT = "comment"


@strawberry.enum(description="What a ruling decided.")
class Outcome(Enum):
    REJECTED = "rejected"
    ANNULLED = "annulled"
    SUSPENDED = "suspended"
    UPHELD = "upheld"
    PARTIALLY_GRANTED = "partially_granted"
    GRANTED = "granted"


@strawberry.enum(description="How one event bears on another.")
class Relation(Enum):
    DECIDES = "decides"
    RESPONDS_TO = "responds_to"
    TARGETS = "targets"
    DISCLOSES = "discloses"
    FOLLOWS = "follows"


@strawberry.enum(description="What kind of body or person an actor is.")
class ActorKind(Enum):
    COURT = "Court"
    REGULATORY_AUTHORITY = "RegulatoryAuthority"
    GOVERNMENT = "Government"
    PERSON = "Person"
    COMPANY = "Company"
    ASSOCIATION = "Association"
    PRESS_OUTLET = "PressOutlet"
    PARLIAMENT = "Parliament"
    EU_INSTITUTION = "EUInstitution"
    PUBLIC_BODY = "PublicBody"
    OTHER = "Other"


@strawberry.enum(description="What kind of text a legal act is.")
class LegalActKind(Enum):
    LAW = "Law"
    DECREE = "Decree"
    ORDER = "Order"
    ORDINANCE = "Ordinance"
    DELIBERATION = "Deliberation"
    COURT_DECISION = "CourtDecision"
    CONTRACT = "Contract"
    REGULATION = "Regulation"
    DIRECTIVE = "Directive"
    OTHER = "Other"


@strawberry.type(description="A passage of an article that attests an event (a NIF offset-based string).")
class Evidence:
    text: str = strawberry.field(description="The passage, exactly as it appears in the article.")
    start: int = strawberry.field(description="Offset of its first character (Unicode code points, from 0).")
    end: int = strawberry.field(description="Offset just past its last character.")
    document: strawberry.ID = strawberry.field(description="IRI of the article the offsets point into.")


@strawberry.type(description="A link from an event to another event of the same article.")
class RelatedEvent:
    relation: Relation = strawberry.field(description="How this event bears on the other one.")
    event: Event = strawberry.field(description="The other event.")


@strawberry.type(description="A legal event read from an article: what happened (or is announced), when, who")
class Event:
    id: strawberry.ID = strawberry.field(description="The event's IRI.")
    type: EventType = strawberry.field(description="What kind of event this is.")
    label: str = strawberry.field(description="A short human-readable summary (French).")
    date: PartialDate | None = strawberry.field(
        description="When it happened (or will), to the precision known; null when undated.")
    precision: Precision | None = strawberry.field(description="The grain of `date`; null when undated.")
    date_text: str | None = strawberry.field(description="The date as the article words it (\"le 12 juin\").")
    deadline: PartialDate | None = strawberry.field(
        description="The deadline of a commitment or a request, to the precision known.")
    section: SectionKind = strawberry.field(
        description="Whether the event was read in the article body or in a reader's comment.")
    expected: bool = strawberry.field(
        description="True when the event is announced for the future, not asserted as done.")
    document_iri: strawberry.Private[str]

    @classmethod
    def from_row(cls, row: EventRow) -> Event:
        return cls(
            id=strawberry.ID(row.iri), type=EventType(row.type), label=row.label, date=_partial(row.date),
            precision=Precision(row.precision) if row.precision else None, date_text=row.date_text,
            deadline=_partial(row.deadline), section=SectionKind(row.section), expected=row.expected,
            document_iri=row.document,
        )

    @strawberry.field(description="What a ruling decided; null for other events.")
    async def outcome(self, info: Info[GraphContext, None]) -> Outcome | None:
        extras = await info.context.loaders.extras.load(self.id)
        return Outcome(extras.outcome) if extras.outcome else None

    @strawberry.field(description="Data-quality warnings, e.g. weekday_mismatch (weekday contradicts date).")
    async def flags(self, info: Info[GraphContext, None]) -> list[str]:
        return list((await info.context.loaders.extras.load(self.id)).flags)

    @strawberry.field(description="Who acted: the court ruling, the authority publishing, the appellant.")
    async def agents(self, info: Info[GraphContext, None]) -> list[Actor]:
        return await _participants(info, self.id, "agent")

    @strawberry.field(description="Who the event is aimed at: the court seized, the company sanctioned.")
    async def addressees(self, info: Info[GraphContext, None]) -> list[Actor]:
        return await _participants(info, self.id, "addressee")

    @strawberry.field(description="The laws, decrees, decisions... the event concerns.")
    async def legal_acts(self, info: Info[GraphContext, None]) -> list[LegalAct]:
        loaders = info.context.loaders
        rows = await loaders.legal_acts.load_many(await loaders.legal_acts_of_event.load(self.id))
        return [LegalAct.from_row(row) for row in rows if row is not None]

    @strawberry.field(description="Other events of the same article this one decides, targets, answers...")
    async def related(self, info: Info[GraphContext, None]) -> list[RelatedEvent]:
        loaders = info.context.loaders
        links = await loaders.related.load(self.id)
        rows = await loaders.events.load_many([target for _, target in links])
        return [
            RelatedEvent(relation=Relation(relation), event=Event.from_row(row))
            for (relation, _), row in zip(links, rows, strict=True) if row is not None
        ]

    @strawberry.field(description="The passages of the article that attest the event, in text order.")
    async def evidence(self, info: Info[GraphContext, None]) -> list[Evidence]:
        rows = await info.context.loaders.evidence.load(self.id)
        return [Evidence(text=r.text, start=r.start, end=r.end, document=strawberry.ID(r.document))
                for r in rows]

    @strawberry.field(description="The article the event was read from.")
    async def document(self, info: Info[GraphContext, None]) -> Document:
        row = await info.context.loaders.documents.load(self.document_iri)
        if row is None:
            raise ValueError(f"event {self.id} names document {self.document_iri}, which is not in the store")
        return Document.from_row(row)


@strawberry.type(description="A court, authority, government body, company, association, outlet or person.")
class Actor:
    id: strawberry.ID = strawberry.field(
        description="The actor's IRI (one per canonical name, shared across articles).")
    name: str = strawberry.field(description="The canonical name.")
    short_name: str | None = strawberry.field(description="The usual abbreviation (CNIL), if any.")
    kind: ActorKind = strawberry.field(description="What kind of actor this is.")
    role: str | None = strawberry.field(description="For a person, the office held (\"ministre\").")

    @classmethod
    def from_row(cls, row: ActorRow) -> Actor:
        return cls(id=strawberry.ID(row.iri), name=row.name, short_name=row.short_name,
                   kind=ActorKind(row.kind), role=row.role)

    @strawberry.field(description="Other names the articles use for the actor.")
    async def aliases(self, info: Info[GraphContext, None]) -> list[str]:
        return await info.context.loaders.aliases.load(self.id)

    @strawberry.field(description="The events the actor takes part in (as agent or addressee), by date.")
    async def events(self, info: Info[GraphContext, None]) -> list[Event]:
        return await _events(info, await info.context.loaders.events_of_actor.load(self.id))


@strawberry.type(description="A law, decree, order, decision or other legal text named by an article.")
class LegalAct:
    id: strawberry.ID = strawberry.field(description="The legal act's IRI.")
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


@strawberry.type(description="A news article the graph was extracted from (one named graph per article).")
class Document:
    id: strawberry.ID = strawberry.field(
        description="The article's IRI, also the name of the graph holding its extraction.")
    title: str = strawberry.field(description="The article's title.")
    published: datetime = strawberry.field(description="When the article was published (with its time zone).")
    source: str | None = strawberry.field(description="Where the article was read from (a URL), if known.")

    @classmethod
    def from_row(cls, row: DocumentRow) -> Document:
        return cls(id=strawberry.ID(row.iri), title=row.title, published=row.published, source=row.source)

    @strawberry.field(description="The events read from the article, by date (undated last) then IRI.")
    async def events(self, info: Info[GraphContext, None]) -> list[Event]:
        events = await _events(info, await info.context.loaders.events_of_document.load(self.id))
        return sorted(events, key=lambda event: (event.date or "~", event.id))


async def _participants(info: Info[GraphContext, None], event: str, role: str) -> list[Actor]:
    loaders = info.context.loaders
    iris = [actor for actor_role, actor in await loaders.participants.load(event) if actor_role == role]
    return [Actor.from_row(row) for row in await loaders.actors.load_many(iris) if row is not None]


async def _events(info: Info[GraphContext, None], iris: list[str]) -> list[Event]:
    rows = await info.context.loaders.events.load_many(iris)
    return [Event.from_row(row) for row in rows if row is not None]


@strawberry.type(description="Read access to the legal timeline.")
class Query:
    @strawberry.field(description=f"Events by date then IRI (undated events last), at most {MAX_PAGE}.")
    async def events(
        self,
        info: Info[GraphContext, None],
        from_: Annotated[date | None, strawberry.argument(
            name="from", description="Only events whose date reaches this day or later.")] = None,
        to: Annotated[date | None, strawberry.argument(
            description="Only events whose date starts on this day or earlier.")] = None,
        type: Annotated[list[EventType] | None, strawberry.argument(
            description="Only events of these types.")] = None,
        actor: Annotated[strawberry.ID | None, strawberry.argument(
            description="Only events this actor (IRI) takes part in, as agent or addressee.")] = None,
        first: Annotated[int, strawberry.argument(description=f"How many events, 1 to {MAX_PAGE}.")] = 100,
    ) -> list[Event]:
        try:
            wanted = EventFilter(
                start=from_, end=to, types=tuple(t.value for t in type or ()), actor=actor, first=first,
            )
            rows = await info.context.data.events(wanted)
        except ValueError as error:  # a bad argument: the client's mistake, told in one line
            raise GraphQLError(str(error)) from None
        return [Event.from_row(row) for row in rows]

    @strawberry.field(description="One event by IRI; null when there is none.")
    async def event(
        self, info: Info[GraphContext, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The event's IRI.")],
    ) -> Event | None:
        row = await info.context.loaders.events.load(_iri(id))
        return Event.from_row(row) if row else None

    @strawberry.field(description="Every actor, by name.")
    async def actors(self, info: Info[GraphContext, None]) -> list[Actor]:
        return [Actor.from_row(row) for row in await info.context.data.actors()]

    @strawberry.field(description="One actor by IRI; null when there is none.")
    async def actor(
        self, info: Info[GraphContext, None],
        id: Annotated[strawberry.ID, strawberry.argument(description="The actor's IRI.")],
    ) -> Actor | None:
        row = await info.context.loaders.actors.load(_iri(id))
        return Actor.from_row(row) if row else None

    @strawberry.field(description="Every legal act, by label.")
    async def legal_acts(self, info: Info[GraphContext, None]) -> list[LegalAct]:
        return [LegalAct.from_row(row) for row in await info.context.data.legal_acts()]

    @strawberry.field(description="Every article in the store, oldest first.")
    async def documents(self, info: Info[GraphContext, None]) -> list[Document]:
        return [Document.from_row(row) for row in await info.context.data.documents()]


def _partial(value: str | None) -> PartialDate | None:
    return PartialDate(value) if value is not None else None


def _iri(id: strawberry.ID) -> str:
    """``id`` checked as an IRI before it reaches a batch (where it would fail the whole batch)."""
    try:
        return ox.NamedNode(str(id)).value
    except ValueError:
        raise GraphQLError(f"id {str(id)!r} is not an absolute IRI") from None


schema = strawberry.Schema(query=Query, config=StrawberryConfig(scalar_map={PartialDate: PARTIAL_DATE}))
