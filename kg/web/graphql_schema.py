"""The GraphQL schema: the timeline for frontends that do not speak SPARQL.

``Query`` is the way in (types in ``graphql_types``, filters in ``graphql_where``, writes in
``graphql_mutations``); ``build_schema`` adds the limits of one deployment.  The SDL is
committed as ``schema.graphql`` at the repository's root so frontends can generate typed
clients without a running server; regenerate it with::

    python -m kg.web.graphql_schema > schema.graphql
"""

from __future__ import annotations

import functools
from datetime import date
from enum import Enum
from typing import Annotated

import pyoxigraph as ox
import strawberry
from strawberry.extensions import MaskErrors
from strawberry.schema.config import StrawberryConfig

from kg.timeline_pages import Filters
from kg.web.graphql_errors import MASKED_MESSAGE, TimelineSchema, UserError, is_unexpected
from kg.web.graphql_limits import GraphQLLimits, schema_extensions
from kg.web.graphql_mutations import Mutation
from kg.web.graphql_pagination import PageRequest, window, window_in_memory
from kg.web.graphql_prefetch import prefetch
from kg.web.graphql_timeline import Scope, scope_of
from kg.web.graphql_types import (
    SCALARS,
    Actor,
    ActorConnection,
    After,
    Before,
    Context,
    Document,
    Event,
    EventConnection,
    First,
    Last,
    LegalAct,
    Node,
    Timeline,
)
from kg.web.graphql_where import (
    ActorRelation,
    ActorWhere,
    DateComparison,
    EventWhere,
    IDComparison,
    LinkRelation,
    actor_matcher,
    event_condition,
)


@strawberry.enum(description="A sort direction.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("asc", description="Ascending: oldest first, undated last.")
    DESC = strawberry.enum_value("desc", description="Descending: undated first, then newest first.")


@strawberry.input(description="How to order events: by date, then by IRI in the same direction.")
class EventOrderBy:
    date: OrderDirection = strawberry.field(default=OrderDirection.ASC, description="The date's direction.")


@strawberry.type(description="Read access to the legal timeline.")
class Query:
    @strawberry.field(description="A page of events matching `where`, ordered by date (undated last) then "
                      "IRI; page forward with `first`/`after`, backward with `last`/`before`.  Fast on any "
                      "store size when `where` uses only a date range (`_gte`/`_lte`), one type and one "
                      "actor, agent or addressee (`_eq`, or `_in` with one value), read oldest first; any "
                      "other filter or order reads every event of the store for each page.")
    async def events(
        self, info: Context,
        where: Annotated[EventWhere | None, strawberry.argument(
            description="Which events (all when not given).")] = None,
        order_by: Annotated[EventOrderBy | None, strawberry.argument(
            description="The order (by date ascending when not given).")] = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> EventConnection:
        data, limits = info.context.data, info.context.limits
        descending = order_by is not None and order_by.date is OrderDirection.DESC
        request = PageRequest.of(limits, first, after, last, before, descending)
        condition = event_condition(where)
        rows = None
        if not request.reads_descending and (scope := scope_of(where)) is not None:
            rows = await data.walked_events(scope, request.size + 1, request.position)
        if rows is None:
            rows = await data.events_page(condition, request)
        connection = EventConnection(window=window(
            rows, lambda row: row.position, request, lambda: data.events_count(condition, request)))
        await prefetch(info.context, info.selected_fields, [row.iri for row in connection.window.items])
        return connection

    @strawberry.field(description="One event by IRI; null when there is none.")
    async def event(
        self, info: Context,
        id: Annotated[strawberry.ID, strawberry.argument(description="The event's IRI.")],
    ) -> Event | None:
        row = await info.context.loaders.events.load(_iri(id))
        return Event.from_row(row) if row else None

    @strawberry.field(description="The events of an actor or of a legal act between two days, by date, with "
                      "the undated ones apart (they match any range).  Without a legal act, the dated events "
                      "are read through the timeline index, fast on any store size (the undated ones, when "
                      "the dated ones leave room, by a pass over the actor's events, or every event); with "
                      "a legal act, every event of the store is read.")
    async def timeline(
        self, info: Context,
        actor: Annotated[strawberry.ID | None, strawberry.argument(
            description="Only events this actor takes part in, as agent or addressee.")] = None,
        legal_act: Annotated[strawberry.ID | None, strawberry.argument(
            description="Only events concerning this legal act.")] = None,
        from_: Annotated[date | None, strawberry.argument(
            name="from", description="Only dated events on or after this day (a month or year containing "
            "it counts).")] = None,
        to: Annotated[date | None, strawberry.argument(
            description="Only dated events on or before this day (a month or year containing it counts).")
        ] = None,
    ) -> Timeline:
        if from_ is not None and to is not None and from_ > to:
            raise UserError(f"'from' ({from_}) is after 'to' ({to})")
        dates = EventWhere(or_=[EventWhere(date=DateComparison(gte=from_, lte=to)),
                                EventWhere(date=DateComparison(is_null=True))])
        where = EventWhere(
            actor=ActorRelation(id=IDComparison(eq=actor)) if actor else None,
            legal_act=LinkRelation(id=IDComparison(eq=legal_act)) if legal_act else None,
            and_=[dates] if from_ or to else None,
        )
        limits, data = info.context.limits, info.context.data
        condition = event_condition(where)  # checks the IRIs given
        found = None
        if legal_act is None:
            start, end = (day.isoformat() if day else None for day in (from_, to))
            scope = Scope(Filters(actor=_iri(actor) if actor else None, start=start, end=end))
            found = await data.timeline_events(scope, limits.max_page_size + 1)
        if found is not None:
            rows = found[0] + found[1]
        else:
            request = PageRequest.of(limits, limits.max_page_size, None, None, None)
            rows = await data.events_page(condition, request)
        events = [Event.from_row(row) for row in rows[: limits.max_page_size]]
        await prefetch(info.context, info.selected_fields, [event.row.iri for event in events])
        return Timeline(dated=[e for e in events if e.date is not None],
                        undated=[e for e in events if e.date is None],
                        complete=len(rows) <= limits.max_page_size)

    @strawberry.field(description="A page of actors matching `where`, by name then IRI.")
    async def actors(
        self, info: Context,
        where: Annotated[ActorWhere | None, strawberry.argument(
            description="Which actors (all when not given).")] = None,
        first: First = None, after: After = None, last: Last = None, before: Before = None,
    ) -> ActorConnection:
        request = PageRequest.of(info.context.limits, first, after, last, before)
        matches = actor_matcher(where)
        rows = [row for row in await info.context.data.actors() if matches(row)]
        return ActorConnection(window=window_in_memory(rows, lambda row: row.position, request))

    @strawberry.field(description="One actor by IRI; null when there is none.")
    async def actor(
        self, info: Context,
        id: Annotated[strawberry.ID, strawberry.argument(description="The actor's IRI.")],
    ) -> Actor | None:
        row = await info.context.loaders.actors.load(_iri(id))
        return Actor.from_row(row) if row else None

    @strawberry.field(description="Every legal act, by label.")
    async def legal_acts(self, info: Context) -> list[LegalAct]:
        return [LegalAct.from_row(row) for row in await info.context.data.legal_acts()]

    @strawberry.field(description="Every article in the store, oldest first.")
    async def documents(self, info: Context) -> list[Document]:
        return [Document.from_row(row) for row in await info.context.data.documents()]

    @strawberry.field(description="Any event, actor, legal act or article by IRI; null when there is none.")
    async def node(
        self, info: Context, id: Annotated[strawberry.ID, strawberry.argument(description="The IRI.")],
    ) -> Node | None:
        iri = _iri(id)
        loaders = info.context.loaders
        kind = await loaders.kinds.load(iri)
        if kind == "LegalEvent":
            event = await loaders.events.load(iri)
            return Event.from_row(event) if event else None
        if kind == "Actor":
            actor = await loaders.actors.load(iri)
            return Actor.from_row(actor) if actor else None
        if kind == "LegalAct":
            act = await loaders.legal_acts.load(iri)
            return LegalAct.from_row(act) if act else None
        if kind == "Article":
            document = await loaders.documents.load(iri)
            return Document.from_row(document) if document else None
        return None


def build_schema(limits: GraphQLLimits | None = None) -> TimelineSchema:
    """The schema with ``limits`` enforced (the defaults when not given)."""
    masking = functools.partial(MaskErrors, should_mask_error=is_unexpected, error_message=MASKED_MESSAGE)
    return TimelineSchema(
        query=Query, mutation=Mutation, types=[Event, Actor, LegalAct, Document],
        config=StrawberryConfig(scalar_map=SCALARS),
        extensions=[*schema_extensions(limits or GraphQLLimits()), masking],
    )


def _iri(id: strawberry.ID) -> str:
    """``id`` checked as an IRI before it reaches a batch (where it would fail the whole batch)."""
    try:
        return ox.NamedNode(str(id)).value
    except ValueError:
        raise UserError(f"id {str(id)!r} is not an absolute IRI") from None


if __name__ == "__main__":
    print(build_schema().as_str())
