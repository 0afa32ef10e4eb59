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
from functools import cache

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
    kinds = {actor.name: actor.kind for actor in index.actors}
    nouns, numbers = _lexicon()
    sentences = split_text(text)
    added: list[Mention] = []
    for match in _pattern().finditer(fold(text)):
        if index.within(match.start(), match.end()) or _inside_mention(index, match.start()):
            continue
        wanted = nouns[match.group("noun")]
        earlier = [m for m in index.mentions if m.span.end <= match.start() and kinds.get(m.key) in wanted]
        count = numbers.get(match.group("n") or "")
        names = _latest(earlier, count) if count else _named_together(earlier, sentences, match.start())
        span = Span(match.start(), match.end(), text[match.start():match.end()])
        added += [Mention(span, name) for name in names]
    if not added:
        return index
    mentions = tuple(sorted(index.mentions + tuple(added), key=lambda m: m.span.start))
    return ActorIndex(index.actors, mentions)


def _inside_mention(index: ActorIndex, offset: int) -> bool:
    return any(m.span.start <= offset < m.span.end for m in index.mentions)


def _latest(earlier: list[Mention], count: int) -> list[str]:
    """The last ``count`` distinct actors named, in text order; none when fewer were named."""
    names: list[str] = []
    for mention in reversed(earlier):
        if mention.key not in names:
            names.insert(0, mention.key)
        if len(names) == count:
            return names
    return []


def _named_together(earlier: list[Mention], sentences: list[Span], offset: int) -> list[str]:
    """The distinct actors of the nearest earlier sentence naming two or more of them."""
    before = [s for s in sentences if s.start < offset][-_LOOKBACK - 1:]
    for sentence in reversed(before):
        names = list(dict.fromkeys(m.key for m in earlier if sentence.start <= m.span.start < sentence.end))
        if len(names) >= 2:
            return names
    return []
