"""One writer, or any number of GraphQL readers, at a time on a store: a GraphQL answer is one state of it.

A GraphQL request runs several SPARQL queries (the page, then the loaders' batches).  Each
sees one state of the store, but a write landing between two of them gives an answer that
mixes two states: a document's event IRIs read before an ingest, their rows after it.  A
SPARQL query needs no lock (it runs whole, over one snapshot), so only GraphQL queries hold
the read side, for the whole request; every write made through the server (SPARQL Update,
Graph Store writes, GraphQL mutations) holds the write side for the store call alone.  A
waiting writer goes before new readers, so a stream of readers cannot starve it.

The lock lives beside the store object (one per ``GraphStore`` and event loop: asyncio
primitives belong to one loop, and only tests serve one store from two loops), so every
door onto one store shares it without it being passed through each constructor.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from kg.store import GraphStore


class ReadWriteLock:
    """An asyncio readers-writer lock that prefers writers."""

    def __init__(self) -> None:
        self._changed = asyncio.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[None]:
        async with self._changed:
            await self._changed.wait_for(lambda: not self._writing and not self._writers_waiting)
            self._readers += 1
        try:
            yield
        finally:
            async with self._changed:
                self._readers -= 1
                self._changed.notify_all()

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        async with self._changed:
            self._writers_waiting += 1
            try:
                await self._changed.wait_for(lambda: not self._writing and not self._readers)
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            async with self._changed:
                self._writing = False
                self._changed.notify_all()


_LOCKS: WeakKeyDictionary[GraphStore, WeakKeyDictionary[asyncio.AbstractEventLoop, ReadWriteLock]] = (
    WeakKeyDictionary())


def store_lock(store: GraphStore) -> ReadWriteLock:
    """The lock of ``store`` in the running event loop (made on first use)."""
    by_loop = _LOCKS.setdefault(store, WeakKeyDictionary())
    return by_loop.setdefault(asyncio.get_running_loop(), ReadWriteLock())
