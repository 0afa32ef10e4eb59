"""Sentence and clause segmentation of an article, as spans of ``Article.text``.

Events are read clause by clause: the date or the agent of a trigger is almost
always in the trigger's own clause, and a sentence never crosses a section
boundary (a reader's comment is not the outlet's).  The splitter is rule-based
because French news prose is regular enough and offsets must stay exact.
"""

from __future__ import annotations

import re

from kg.models import Article, Span

# A period after these words (lower-cased, without the period) does not end a sentence.
_ABBREVIATIONS = frozenset({
    "m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "st", "ste", "art", "al", "cf", "p", "pp", "n",
    "no", "vol", "ch", "chap", "env", "etc", "ex", "av", "bd", "fig", "min", "max", "réf", "ref", "coll",
    "gén", "adj", "ed", "éd", "op", "cit", "ibid", "vs", "jr", "sr", "mgr", "gal", "cie", "sté",
})
_END = re.compile(r"[.!?…]+")
_CLOSERS = "»\"”’)]"
_CLAUSE_BREAK = re.compile(r"\s*(?:[,;:()]|\s[–—-]\s|[«»])\s*")


def split_sentences(article: Article) -> list[Span]:
    """Every sentence of every section, in text order; text outside sections is ignored."""
    spans: list[Span] = []
    for section in sorted(article.sections, key=lambda s: s.start):
        spans.extend(split_text(article.text, section.start, section.end))
    return spans


def split_text(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The sentences of ``text[start:end]``: line breaks always end one, so do . ! ? … outside « »."""
    stop = len(text) if end is None else end
    spans: list[Span] = []
    line_start = start
    for line in text[start:stop].split("\n"):
        spans.extend(_split_line(text, line_start, line_start + len(line)))
        line_start += len(line) + 1
    return spans


def _split_line(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    begin = start
    depth = 0
    index = start
    while index < end:
        char = text[index]
        if char == "«":
            depth += 1
        elif char == "»":
            depth = max(0, depth - 1)
        elif depth == 0 and (match := _END.match(text, index, end)):
            stop = match.end()
            while stop < end and text[stop] in _CLOSERS:
                stop += 1
            if _ends_sentence(text, index, stop, end):
                spans.extend(_trimmed(text, begin, stop))
                begin = stop
            index = stop
            continue
        index += 1
    spans.extend(_trimmed(text, begin, end))
    return spans


def _ends_sentence(text: str, mark: int, after: int, end: int) -> bool:
    """A final mark ends a sentence when followed by space and a capital, a quote or a digit."""
    if after >= end:
        return True
    if not text[after].isspace():
        return False
    following = after  # no slice of the rest of the line: a line may be very long
    while following < end and text[following].isspace():
        following += 1
    if following == end:
        return False
    first = text[following]
    if not (first.isupper() or first.isdigit() or first in "«\"“(-–—"):
        return False
    if text[mark] != ".":
        return True
    word = re.search(r"(\w+)$", text[max(0, mark - 12):mark])
    if word is None:
        return True
    token = word.group(1)
    return not (token.lower() in _ABBREVIATIONS or (len(token) == 1 and token.isupper()))


def _trimmed(text: str, start: int, end: int) -> list[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [Span(start, end, text[start:end])] if start < end else []


def split_clauses(text: str, sentence: Span) -> list[Span]:
    """The clauses of a sentence: the stretches between commas, semicolons, colons, brackets,
    dashes and quote marks.  Coarse on purpose: a trigger's arguments rarely cross these marks."""
    spans: list[Span] = []
    begin = sentence.start
    for match in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        spans.extend(_trimmed(text, begin, match.start()))
        begin = match.end()
    spans.extend(_trimmed(text, begin, sentence.end))
    return spans
