"""HTTP ``Accept`` negotiation (RFC 9110, section 12.5.1) for the SPARQL endpoint.

Written here rather than borrowed because Starlette has none, and SPARQL clients send
long Accept lists with q-values and wildcards (SPARQLWrapper sends four JSON types at
once) that a first-match test would get wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header: ``type/subtype`` (either may be ``*``) and its weight."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """How closely this range names ``media_type``: 2 exact, 1 ``type/*``, 0 ``*/*``, -1 no match."""
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed elements are skipped, as RFC 9110 allows."""
    ranges = []
    for element in header.split(","):
        media, *params = (part.strip() for part in element.split(";"))
        main, slash, sub = media.lower().partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        ranges.append(MediaRange(main, sub, _weight(params)))
    return ranges


def _weight(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value.strip()), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def choose(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client prefers, or None when it accepts none of them.

    Each offered type takes the weight of the most specific range that matches it (so
    ``*/*;q=0.1, text/csv`` ranks CSV first); ties go to the server's order in ``offered``.
    No (or an empty) Accept header means anything is acceptable.
    """
    if not accept or not accept.strip():
        return offered[0] if offered else None
    ranges = parse_accept(accept)
    best: tuple[float, str] | None = None
    for media_type in offered:
        q = _quality(ranges, media_type)
        if q > 0 and (best is None or q > best[0]):
            best = (q, media_type)
    return best[1] if best else None


def _quality(ranges: list[MediaRange], media_type: str) -> float:
    matches = [(r.specificity(media_type), r.q) for r in ranges if r.specificity(media_type) >= 0]
    if not matches:
        return 0.0
    return max(matches)[1]
