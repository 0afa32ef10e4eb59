"""Penalties against several parties: one sanction each, or one for them all.

``La CNIL a condamné X à 100 millions d'euros et Y à 35 millions`` (or ``a infligé
100 millions d'euros à X et 35 millions à Y``) tells two penalties with one verb:
each addressee has its own amount.  ``X et Y se voient infliger des amendes``
tells two as well, by the plural noun.  ``une amende de 5 millions à X et Y``,
a singular penalty, stays one joint event.
"""

from __future__ import annotations

import re

from kg.extract.drafts import Context, Group
from kg.models import Span

# "100 millions d'euros", "1,5 M€", "35 000 euros", "50 millions"
AMOUNT = r"\d[\d\s.,]*(?:\s*(?:millions?|milliards?|M€|Md€|k€|€|euros?)(?!\w))?(?:\s+d'euros)?"
_SHARE = re.compile(rf"\s*(?:à|de)\s+(?:une\s+amende\s+de\s+)?{AMOUNT}")
# "infligé 2 millions d'euros à X et 500 000 euros à Y": the amount before its addressee
_SHARE_BEFORE = re.compile(rf"(?<![\w,.])(?:une\s+amende\s+de\s+)?{AMOUNT}\s+(?:à|au|aux)\s+"
                           r"(?:la\s+|le\s+|l')?$")
_PLURAL_PENALTY = re.compile(r"(?:amendes|sanctions|pénalités)$", re.IGNORECASE)


def penalty_shares(context: Context, sentence: Span, groups: list[Group], addressees: list[str],
                   evidence: Span) -> list[tuple[str, Span]]:
    """Each addressee of a Sanction mention with the words telling its own penalty (``evidence``,
    the whole mention, when the plural noun alone tells there are several), when the text gives
    separate penalties; ``[]`` for one joint penalty (or a single addressee)."""
    if len(addressees) < 2:
        return []
    first: dict[str, Span] = {}
    for mention in context.actors.within(sentence.start, sentence.end):
        if mention.key in addressees:
            first.setdefault(mention.key, mention.span)
    if set(first) != set(addressees):
        return []
    amounts = [(name, _SHARE.match(context.norm, first[name].end)) for name in addressees]
    if all(match is not None for _, match in amounts):
        return [(name, _span(context, first[name].start, match.end())) for name, match in amounts if match]
    ahead = [(name, _SHARE_BEFORE.search(context.norm, max(sentence.start, first[name].start - 60),
                                         first[name].start)) for name in addressees]
    if all(match is not None for _, match in ahead):
        return [(name, _span(context, match.start(), first[name].end)) for name, match in ahead if match]
    if any(g.trigger.type == "Sanction" and g.trigger.kind == "noun"
           and _PLURAL_PENALTY.search(g.trigger.span.text) for g in groups):
        return [(name, evidence) for name in addressees]
    return []


def _span(context: Context, start: int, end: int) -> Span:
    text = context.article.text[start:end].rstrip(" ,.")
    return Span(start, start + len(text), text)
