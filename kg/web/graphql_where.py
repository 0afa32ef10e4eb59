"""Hasura-style ``where`` filters on events, compiled to one SPARQL ``FILTER`` expression.

Frontend developers know ``where: {date: {_gte: ...}, _or: [...]}`` from Hasura; each
input here keeps that shape and becomes a SPARQL expression over the variables the
``events-page`` and ``events-count`` named queries bind: ``?event``, ``?day`` (its date as
text, unbound when undated), ``?eventType`` and ``?section``.  Several fields in one input
are and-ed, ``_and``/``_or``/``_not`` combine inputs; ``_and: []`` is true, ``_or: []`` false.

Values never reach the query as raw text: dates and strings are written as RDF literals
and IDs as IRIs by pyoxigraph, which refuses what is not one.  A comparison with an unbound
date is an error in SPARQL, which ``||`` and ``&&`` treat as SQL treats NULL and a FILTER
treats as false, negated or not: as in SQL, ``_not: {date: {_gte: ...}}`` keeps no undated
event (ask with ``_is_null``).

Actors are few and come whole from the ``actors`` named query, so ``ActorWhere`` is
tested in Python, with the same shape and the same meaning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pyoxigraph as ox
import strawberry

from kg.web.graphql_data import ActorRow
from kg.web.graphql_errors import UserError
from kg.web.graphql_types import ActorKind, EventType, SectionKind, actor_class

TRUE = "true"
FALSE = "false"


@strawberry.input(description="Conditions on an ID (an IRI); several are and-ed.")
class IDComparison:
    eq: strawberry.ID | None = strawberry.field(default=None, name="_eq", description="Equal to this IRI.")
    in_: list[strawberry.ID] | None = strawberry.field(
        default=None, name="_in", description="One of these IRIs (none: false).")


@strawberry.input(description="Conditions on a date known to a day, a month or a year; several are and-ed. "
                  "A month or a year matches a day it contains (2031-05 is >= 2031-05-20); undated events "
                  "match none but `_is_null: true`.")
class DateComparison:
    gte: date | None = strawberry.field(
        default=None, name="_gte", description="On or after this day (or containing it).")
    lte: date | None = strawberry.field(
        default=None, name="_lte", description="On or before this day (or containing it).")
    eq: date | None = strawberry.field(default=None, name="_eq", description="This day, or a month or year "
                                       "containing it.")
    is_null: bool | None = strawberry.field(
        default=None, name="_is_null", description="true: only undated events; false: only dated ones.")


@strawberry.input(description="Conditions on an event's type; several are and-ed.")
class EventTypeComparison:
    eq: EventType | None = strawberry.field(default=None, name="_eq", description="This type.")
    neq: EventType | None = strawberry.field(default=None, name="_neq", description="Any other type.")
    in_: list[EventType] | None = strawberry.field(
        default=None, name="_in", description="One of these types (none: false).")
    nin: list[EventType] | None = strawberry.field(
        default=None, name="_nin", description="None of these types (none: true).")


@strawberry.input(description="Conditions on where an event was read; several are and-ed.")
class SectionComparison:
    eq: SectionKind | None = strawberry.field(default=None, name="_eq", description="This section.")
    neq: SectionKind | None = strawberry.field(default=None, name="_neq", description="The other section.")


@strawberry.input(description="Conditions on an actor's kind; several are and-ed.")
class ActorKindComparison:
    eq: ActorKind | None = strawberry.field(default=None, name="_eq", description="This kind.")
    in_: list[ActorKind] | None = strawberry.field(
        default=None, name="_in", description="One of these kinds (none: false).")


@strawberry.input(description="Some actor in this role satisfies every condition given.")
class ActorRelation:
    id: IDComparison | None = strawberry.field(default=None, description="The actor's IRI.")
    kind: ActorKindComparison | None = strawberry.field(default=None, description="The actor's kind.")


@strawberry.input(description="Some linked thing (article, legal act) has an IRI satisfying the condition.")
class LinkRelation:
    id: IDComparison = strawberry.field(description="Its IRI.")


@strawberry.input(description="A Hasura-style filter on events: every field given must hold (and).")
class EventWhere:
    id: IDComparison | None = strawberry.field(default=None, description="The event's IRI.")
    date: DateComparison | None = strawberry.field(default=None, description="The event's date.")
    type: EventTypeComparison | None = strawberry.field(default=None, description="The event's type.")
    section: SectionComparison | None = strawberry.field(
        default=None, description="Where it was read: the body or a reader's comment.")
    agent: ActorRelation | None = strawberry.field(default=None, description="Some agent of the event.")
    addressee: ActorRelation | None = strawberry.field(
        default=None, description="Some addressee of the event.")
    actor: ActorRelation | None = strawberry.field(
        default=None, description="Some agent or addressee of the event (the timeline query's `actor`).")
    document: LinkRelation | None = strawberry.field(
        default=None, description="Some article that reports the event.")
    legal_act: LinkRelation | None = strawberry.field(
        default=None, description="Some legal act the event concerns.")
    and_: list[EventWhere] | None = strawberry.field(
        default=None, name="_and", description="Every one of these filters holds (none: true).")
    or_: list[EventWhere] | None = strawberry.field(
        default=None, name="_or", description="At least one of these filters holds (none: false).")
    not_: EventWhere | None = strawberry.field(
        default=None, name="_not", description="This filter does not hold.")


def event_condition(where: EventWhere | None) -> str:
    """The SPARQL expression ``where`` stands for (``true`` for no filter); UserError on a bad IRI."""
    if where is None:
        return TRUE
    parts: list[str] = []
    if where.id is not None:
        parts.append(_id_condition("?event", where.id))
    if where.date is not None:
        parts.extend(_date_conditions(where.date))
    if where.type is not None:
        parts.extend(_type_conditions(where.type))
    if where.section is not None:
        parts.extend(_section_conditions(where.section))
    for prop, relation in (("lt:agent", where.agent), ("lt:addressee", where.addressee),
                           ("lt:agent|lt:addressee", where.actor)):
        if relation is not None:
            parts.append(_actor_condition(prop, relation))
    if where.document is not None:
        condition = _id_condition("?whereSource", where.document.id)
        parts.append(f"EXISTS {{ GRAPH ?whereSource {{ ?event a lt:LegalEvent }} FILTER ({condition}) }}")
    if where.legal_act is not None:
        condition = _id_condition("?whereAct", where.legal_act.id)
        parts.append(f"EXISTS {{ ?event lt:concernsLegalAct ?whereAct FILTER ({condition}) }}")
    if where.and_ is not None:
        parts.append(_all([event_condition(inner) for inner in where.and_]))
    if where.or_ is not None:
        parts.append(_any([event_condition(inner) for inner in where.or_]))
    if where.not_ is not None:
        parts.append(f"!({event_condition(where.not_)})")
    return _all(parts)


def _date_conditions(comparison: DateComparison) -> list[str]:
    # ISO dates compare as text; the bound cut to the date's own length makes a month or a
    # year match any day it contains (the rule of the timeline named query).
    parts = []
    for operator, day in ((">=", comparison.gte), ("<=", comparison.lte), ("=", comparison.eq)):
        if day is not None:
            bound = _string(day.isoformat())
            parts.append(f"?day {operator} SUBSTR({bound}, 1, STRLEN(?day))")
    if comparison.is_null is not None:
        parts.append("!BOUND(?day)" if comparison.is_null else "BOUND(?day)")
    return parts


def _type_conditions(comparison: EventTypeComparison) -> list[str]:
    return _enum_conditions("?eventType", comparison.eq, comparison.neq, comparison.in_, comparison.nin)


def _section_conditions(comparison: SectionComparison) -> list[str]:
    return _enum_conditions("?section", comparison.eq, comparison.neq, None, None)


def _enum_conditions(
    variable: str, eq: EventType | SectionKind | None, neq: EventType | SectionKind | None,
    in_: list[EventType] | None, nin: list[EventType] | None,
) -> list[str]:
    parts = []
    if eq is not None:
        parts.append(f"{variable} = {_string(str(eq.value))}")
    if neq is not None:
        parts.append(f"{variable} != {_string(str(neq.value))}")
    if in_ is not None:
        parts.append(_in(variable, [_string(str(v.value)) for v in in_]))
    if nin is not None:
        parts.append(f"!({_in(variable, [_string(str(v.value)) for v in nin])})")
    return parts


def _actor_condition(prop: str, relation: ActorRelation) -> str:
    parts = []
    if relation.id is not None:
        parts.append(_id_condition("?whereActor", relation.id))
    if relation.kind is not None:
        kinds = [relation.kind.eq] if relation.kind.eq is not None else []
        if kinds:
            parts.append(_kind_condition(kinds))
        if relation.kind.in_ is not None:
            parts.append(_kind_condition(relation.kind.in_))
    return f"EXISTS {{ ?event {prop} ?whereActor FILTER ({_all(parts)}) }}"


def _kind_condition(kinds: list[ActorKind]) -> str:
    if not kinds:
        return FALSE
    classes = " ".join(f"<{actor_class(kind)}>" for kind in kinds)
    return f"EXISTS {{ VALUES ?whereKind {{ {classes} }} ?whereActor a ?whereKind }}"


def _id_condition(variable: str, comparison: IDComparison) -> str:
    parts = []
    if comparison.eq is not None:
        parts.append(f"{variable} = {_iri(comparison.eq)}")
    if comparison.in_ is not None:
        parts.append(_in(variable, [_iri(value) for value in comparison.in_]))
    return _all(parts)


def _in(variable: str, terms: list[str]) -> str:
    return f"{variable} IN ({', '.join(terms)})" if terms else FALSE


def _all(parts: list[str]) -> str:
    kept = [part for part in parts if part != TRUE]
    if FALSE in kept:
        return FALSE
    return " && ".join(f"({part})" for part in kept) if kept else TRUE


def _any(parts: list[str]) -> str:
    kept = [part for part in parts if part != FALSE]
    if TRUE in kept:
        return TRUE
    return " || ".join(f"({part})" for part in kept) if kept else FALSE


def _string(value: str) -> str:
    return str(ox.Literal(value))


def _iri(value: str) -> str:
    try:
        return str(ox.NamedNode(str(value)))
    except ValueError:
        raise UserError(f"id {str(value)!r} is not an absolute IRI") from None


@strawberry.input(description="Conditions on a text; several are and-ed.")
class StringComparison:
    eq: str | None = strawberry.field(default=None, name="_eq", description="Exactly this text.")
    ilike: str | None = strawberry.field(
        default=None, name="_ilike", description="Matches this SQL LIKE pattern ignoring case: % for any "
        "text, _ for one character (\"%conseil%\").")


@strawberry.input(description="A Hasura-style filter on actors: every field given must hold (and).")
class ActorWhere:
    id: IDComparison | None = strawberry.field(default=None, description="The actor's IRI.")
    name: StringComparison | None = strawberry.field(
        default=None, description="The actor's canonical name or its short name.")
    kind: ActorKindComparison | None = strawberry.field(default=None, description="The actor's kind.")
    and_: list[ActorWhere] | None = strawberry.field(
        default=None, name="_and", description="Every one of these filters holds (none: true).")
    or_: list[ActorWhere] | None = strawberry.field(
        default=None, name="_or", description="At least one of these filters holds (none: false).")
    not_: ActorWhere | None = strawberry.field(
        default=None, name="_not", description="This filter does not hold.")


def actor_matcher(where: ActorWhere | None) -> Callable[[ActorRow], bool]:
    """A test of an actor row against ``where`` (actors are few: they are filtered in Python)."""
    if where is None:
        return lambda row: True
    tests: list[Callable[[ActorRow], bool]] = []
    if where.id is not None:
        wanted = _id_set(where.id)
        tests.append(lambda row: wanted is None or row.iri in wanted)
    if where.name is not None:
        tests.append(_name_test(where.name))
    if where.kind is not None:
        tests.append(_kind_test(where.kind))
    if where.and_ is not None:
        inner = [actor_matcher(each) for each in where.and_]
        tests.append(lambda row: all(test(row) for test in inner))
    if where.or_ is not None:
        alternatives = [actor_matcher(each) for each in where.or_]
        tests.append(lambda row: any(test(row) for test in alternatives))
    if where.not_ is not None:
        negated = actor_matcher(where.not_)
        tests.append(lambda row: not negated(row))
    return lambda row: all(test(row) for test in tests)


def _id_set(comparison: IDComparison) -> set[str] | None:
    """The IRIs allowed (None: any), each checked as an IRI."""
    allowed: set[str] | None = None
    if comparison.eq is not None:
        allowed = {_iri(comparison.eq)[1:-1]}
    if comparison.in_ is not None:
        listed = {_iri(value)[1:-1] for value in comparison.in_}
        allowed = listed if allowed is None else allowed & listed
    return allowed


def _kind_test(comparison: ActorKindComparison) -> Callable[[ActorRow], bool]:
    def test(row: ActorRow) -> bool:
        if comparison.eq is not None and row.kind != comparison.eq.value:
            return False
        return comparison.in_ is None or row.kind in {kind.value for kind in comparison.in_}

    return test


def _name_test(comparison: StringComparison) -> Callable[[ActorRow], bool]:
    pattern = None
    if comparison.ilike is not None:
        wildcards = {"%": ".*", "_": "."}
        translated = "".join(wildcards.get(c) or re.escape(c) for c in comparison.ilike)
        pattern = re.compile(f"^{translated}$", re.IGNORECASE | re.DOTALL)

    def test(row: ActorRow) -> bool:
        names = [row.name, *([row.short_name] if row.short_name else [])]
        if comparison.eq is not None and comparison.eq not in names:
            return False
        return pattern is None or any(pattern.match(name) for name in names)

    return test
