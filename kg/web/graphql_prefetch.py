"""Warm a page's loaders up front, so its events' nested fields resolve without awaiting.

graphql-core runs a field whose resolver returns a value far faster than one that returns
an awaitable (no task, no gather per object): on a page of a hundred events with their
agents and evidence, awaiting each list cost twice the SPARQL itself.  So a connection
looks at what its query asks under it, loads it for the whole page before its events are
resolved (in parallel, agents and their actors in one query), and the event resolvers
then take their values from the loaders' caches; they fall back to awaiting the loaders
when an event is reached another way (``related``, ``node``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from strawberry.types.nodes import Selection

from kg.web.graphql_data import GraphContext, Loaders

V = TypeVar("V")
MISSING: Any = object()


def ready(loader: DataLoader[str, V], key: str) -> V:
    """The value ``loader`` holds for ``key`` already, or ``MISSING``."""
    future = loader.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception() is not None:
        return MISSING
    return future.result()


async def prefetch(context: GraphContext, selections: Iterable[Selection], events: list[str]) -> None:
    """Load what ``selections`` (a connection's, or a list's) will read for ``events``."""
    names = requested(selections)
    loaders = context.loaders
    work: list[Awaitable[Any]] = []
    if names & {"agents", "addressees"}:
        work.append(_participants(context, loaders, events))
    if "evidence" in names:
        work.append(_primed(loaders.evidence, events, context.data.evidence(events)))
    if names & {"outcome", "flags"}:
        work.append(_primed(loaders.extras, events, context.data.event_extras(events)))
    await asyncio.gather(*work)


def requested(selections: Iterable[Selection]) -> set[str]:
    """Every field name under ``selections``, fragments included."""
    names: set[str] = set()
    for selection in selections:
        names.add(getattr(selection, "name", ""))
        names |= requested(selection.selections)
    return names


async def _primed(loader: DataLoader[str, V], keys: list[str], values: Awaitable[Sequence[V]]) -> None:
    """The batch's values put in ``loader`` directly: ``load_many`` would make a future and a callback
    per key (a tenth of a page's Python time), only to gather them again."""
    loader.prime_many(dict(zip(keys, await values, strict=True)))


async def _participants(context: GraphContext, loaders: Loaders, events: list[str]) -> None:
    links, actors = await context.data.participants_with_actors(events)
    loaders.participants.prime_many(dict(zip(events, links, strict=True)))
    loaders.actors.prime_many({actor.iri: actor for actor in actors})
