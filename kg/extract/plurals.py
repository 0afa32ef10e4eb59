"""Plural descriptions of actors just named: ``les deux associations``, ``ces sociétés``.

French news names the parties once (``X et la Ligue Y ont saisi ...``) and
then refers to them together by a plural noun of their kind.  Each such
description becomes one mention per actor it stands for, all on the same
span, so the event whose subject (or object) it is gets every one of them.
With a number (``les trois syndicats``) the latest that many distinct actors
of the kind are meant, and none when fewer were named; without one, the
actors of the kind named together in the nearest earlier sentence that names
two or more of them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache
from itertools import accumulate

from kg import lexicons
from kg.extract.actors import ActorIndex
from kg.extract.normalize import fold
from kg.extract.sentences import split_text
from kg.models import Mention, Span

_LOOKBACK = 3  # sentences searched for the actors a number-less description stands for


@cache
def _lexicon() -> tuple[dict[str, frozenset[str]], dict[str, int]]:
    data = lexicons.load("actor_cues")["plural_descriptions"]
    nouns = {fold(noun): frozenset(kinds) for noun, kinds in data["nouns"].items()}
    return nouns, {fold(word): int(n) for word, n in data["numbers"].items()}


@cache
def _pattern() -> re.Pattern[str]:
    nouns, numbers = _lexicon()
    noun = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
    number = "|".join(numbers)
    # "des" is indefinite ("des associations" are new ones) unless a number follows it.
    determiner = rf"(?:[Ll]es|[Cc]es|[Aa]ux|[Dd]es(?=\s+(?:{number})\s))"
    return re.compile(rf"(?<![\w']){determiner}\s+(?:(?P<n>{number})\s+)?(?P<noun>{noun})(?!\w)")


def resolve_plurals(text: str, index: ActorIndex) -> ActorIndex:
    """``index`` with a mention per actor for every plural description that stands for actors."""
    nouns, numbers = _lexicon()
    sentences = split_text(text)
    sentence_starts = [s.start for s in sentences]
    named = _Named(index)
    added: list[Mention] = []
    for match in _pattern().finditer(fold(text)):
        if index.within(match.start(), match.end()) or named.inside(match.start()):
            continue
        earlier = named.of(nouns[match.group("noun")])
        count = numbers.get(match.group("n") or "")
        if count:
            names = _latest(earlier, match.start(), count)
        else:
            told = bisect_left(sentence_starts, match.start())
            names = _named_together(earlier, sentences[max(told - _LOOKBACK - 1, 0):told], match.start())
        span = Span(match.start(), match.end(), text[match.start():match.end()])
        added += [Mention(span, name) for name in names]
    if not added:
        return index
    mentions = tuple(sorted(index.mentions + tuple(added), key=lambda m: m.span.start))
    return ActorIndex(index.actors, mentions)


class _Sorted:
    """Mentions in text order with their starts, for binary searches (a long text has many)."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions = mentions
        self.starts = [m.span.start for m in mentions]

    def count_before(self, offset: int) -> int:
        return bisect_left(self.starts, offset)

    def between(self, start: int, end: int) -> list[Mention]:
        return self.mentions[bisect_left(self.starts, start):bisect_left(self.starts, end)]


class _Named:
    """The actor mentions of an index, by the kinds of their actors."""

    def __init__(self, index: ActorIndex) -> None:
        self.index = index
        self.kinds = {actor.name: actor.kind for actor in index.actors}
        self.starts = [m.span.start for m in index.mentions]
        self.reach = list(accumulate((m.span.end for m in index.mentions), max))  # furthest end so far
        self.by_kinds: dict[frozenset[str], _Sorted] = {}

    def inside(self, offset: int) -> bool:
        """Whether a mention covers ``offset``."""
        count = bisect_right(self.starts, offset)
        return bool(count) and self.reach[count - 1] > offset

    def of(self, kinds: frozenset[str]) -> _Sorted:
        """The mentions of actors of ``kinds``."""
        if kinds not in self.by_kinds:
            self.by_kinds[kinds] = _Sorted([m for m in self.index.mentions if self.kinds.get(m.key) in kinds])
        return self.by_kinds[kinds]


def _latest(earlier: _Sorted, offset: int, count: int) -> list[str]:
    """The last ``count`` distinct actors named before ``offset``, in text order; none when fewer
    were named."""
    names: list[str] = []
    for number in range(earlier.count_before(offset) - 1, -1, -1):
        mention = earlier.mentions[number]
        if mention.key not in names:
            names.insert(0, mention.key)
        if len(names) == count:
            return names
    return []


def _named_together(earlier: _Sorted, before: list[Span], offset: int) -> list[str]:
    """The distinct actors of the nearest of the sentences ``before`` ``offset`` naming two or more."""
    for sentence in reversed(before):
        names = list(dict.fromkeys(m.key for m in earlier.between(sentence.start, min(sentence.end, offset))))
        if len(names) >= 2:
            return names
    return []
