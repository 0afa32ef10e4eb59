"""Range lookups over mentions sorted by offset, shared by the actor and legal-act indexes."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from kg.models import Mention


def mentions_within(
    mentions: Sequence[Mention], starts: Sequence[int], start: int, end: int
) -> list[Mention]:
    """The mentions lying in ``[start, end)``; ``starts`` are their sorted start offsets.

    Two binary searches keep a lookup logarithmic: the event extractor asks once
    per clause, so a linear scan made long articles quadratic.
    """
    first, last = bisect_left(starts, start), bisect_left(starts, end)
    return [m for m in mentions[first:last] if m.span.end <= end]
