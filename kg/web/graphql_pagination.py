"""Relay pagination by keyset: opaque cursors holding a position ``(sort key, IRI)``.

An offset cursor ("the 200th event") shifts when an article is ingested or deleted
between two pages, so a client would skip or repeat events; a position does not: the
next page holds the events strictly after the last one seen, in a total order (the sort
key, a date or a name, then the IRI).  A cursor is that position, base64url-encoded so
clients treat it as opaque.

``PageRequest`` checks Relay's arguments once; ``Window`` is one page and the facts about
its neighbours that ``pageInfo`` and ``totalCount`` report, counted only when asked.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from kg.web.graphql_errors import UserError
from kg.web.graphql_limits import GraphQLLimits

T = TypeVar("T")
_SEPARATOR = "\n"
_KEY = re.compile(r"^[^\n]*$")


@dataclass(frozen=True, order=True)
class Position:
    """Where an item sorts: its key (a date as known, ``~`` when undated, or a name), then its IRI."""

    key: str
    iri: str

    def cursor(self) -> str:
        return base64.urlsafe_b64encode(f"{self.key}{_SEPARATOR}{self.iri}".encode()).decode("ascii")

    @classmethod
    def from_cursor(cls, cursor: str) -> Position:
        """The position a cursor of this API holds; UserError for anything else."""
        try:
            key, iri = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("utf-8").split(_SEPARATOR)
        except (ValueError, UnicodeError, binascii.Error):
            raise UserError(f"cursor {cursor!r} is not a cursor this API gave") from None
        if not iri or not _KEY.match(key):
            raise UserError(f"cursor {cursor!r} is not a cursor this API gave")
        return cls(key, iri)


@dataclass(frozen=True)
class PageRequest:
    """Relay's ``first``/``after`` (forward) or ``last``/``before`` (backward), checked.

    ``descending`` is the order the client asked for; a backward page is read in the
    opposite order from its cursor and turned round, so ``reads_descending`` is the order
    of the read itself.
    """

    size: int
    position: Position | None
    backward: bool = False
    descending: bool = False

    @classmethod
    def of(
        cls, limits: GraphQLLimits, first: int | None, after: str | None, last: int | None,
        before: str | None, descending: bool = False,
    ) -> PageRequest:
        if first is not None and last is not None:
            raise UserError("give 'first' or 'last', not both")
        if after is not None and before is not None:
            raise UserError("give 'after' or 'before', not both")
        if (last is not None or before is not None) and (first is not None or after is not None):
            raise UserError("page forward with 'first' and 'after', or backward with 'last' and 'before'")
        backward = last is not None or before is not None
        size = (last if backward else first)
        size = limits.default_page_size if size is None else size
        try:
            limits.check_page_size("last" if backward else "first", size)
        except ValueError as error:
            raise UserError(str(error)) from None
        cursor = before if backward else after
        position = Position.from_cursor(cursor) if cursor is not None else None
        return cls(size, position, backward, descending)

    @property
    def reads_descending(self) -> bool:
        return self.descending != self.backward


@dataclass(frozen=True)
class Counts:
    """How many items match (total) and how many of them come at or before the cursor, in reading order."""

    total: int
    before: int


@dataclass
class Window(Generic[T]):
    """One page of items, in the order the client asked for, and how to count the rest."""

    items: list[T]
    positions: list[Position]
    request: PageRequest
    more: bool  # items beyond the page, in reading order
    count: Callable[[], Awaitable[Counts]]
    _counted: Counts | None = field(default=None, init=False)

    async def counts(self) -> Counts:
        if self._counted is None:
            self._counted = await self.count()
        return self._counted

    async def has_next_page(self) -> bool:
        if not self.request.backward:
            return self.more
        return self.request.position is not None and (await self.counts()).before > 0

    async def has_previous_page(self) -> bool:
        if self.request.backward:
            return self.more
        return self.request.position is not None and (await self.counts()).before > 0


def window(
    rows: Sequence[T], position_of: Callable[[T], Position], request: PageRequest,
    count: Callable[[], Awaitable[Counts]],
) -> Window[T]:
    """The window of ``rows`` as read (``request.size + 1`` at most, in reading order)."""
    page = list(rows[: request.size])
    if request.backward:
        page.reverse()
    return Window(page, [position_of(row) for row in page], request, len(rows) > request.size, count)


def window_in_memory(
    items: Sequence[T], position_of: Callable[[T], Position], request: PageRequest
) -> Window[T]:
    """The window of ``items`` (all of them, ascending) for ``request``: nested lists are paged in Python."""
    ordered = sorted(items, key=position_of, reverse=request.reads_descending)

    def beyond(item: T) -> bool:
        assert request.position is not None
        here = position_of(item)
        return here < request.position if request.reads_descending else here > request.position

    rest = ordered if request.position is None else [item for item in ordered if beyond(item)]
    counts = Counts(total=len(items), before=len(ordered) - len(rest))

    async def count() -> Counts:
        return counts

    return window(rest[: request.size + 1], position_of, request, count)
