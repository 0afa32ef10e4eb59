"""Actors named with no cue at all: ``Zorbelo a formé un recours``, ``infligée à Brimo Télécom``.

A capitalised name (``Paul Martin``, ``Les Amis de la Terre``) is too often a
place, a festival or a sentence word to be taken for an actor by its shape
alone.  It becomes one when it fills an argument slot of an event trigger of
``events.json``: the agent after ``par``, the addressee after ``à``,
``contre``, ``auprès de`` or ``devant`` following the trigger in its sentence,
or the subject just before a trigger verb (auxiliaries and clitics between).
Its kind comes from the words around it: a company or association descriptor,
``M.``/``Mme`` or a common given name (``first_names.json``), else ``Other``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import cast

from kg import lexicons
from kg.extract.normalize import fold, key
from kg.extract.triggers import TriggerSpan, trigger_spans
from kg.models import ActorKind, Span

_CAP = r"[A-Z][\w&+-]*"
# inner particles keep a name whole: "Fédération des Vendeurs", "Jean de La Tour"
_NAME = rf"{_CAP}(?:(?:\s+(?:de\s+la|de|du|des|d')\s*|\s+){_CAP}){{0,3}}"
_DET = r"(?:(?:le|la|les)\s+|l')?"
_AFTER_CUE = re.compile(rf"(?<![\w'])(?P<cue>par|contre|a|aupres\s+d[eu]|devant)\s+{_DET}(?P<name>{_NAME})")
# what may stand between a subject and its verb: auxiliaries, negation, clitics, short adverbs
# (the gap starts at a word boundary: "Kalia a réagi" must not lend its final "a" to the auxiliaries)
# and may hold a relative clause or an apposition: "Fermeco, qui conteste les faits, a annoncé"
_BEFORE_VERB = re.compile(
    r"(?:(?<!\w)|(?=[\s,]))(?:\s*,\s*(?:qui|que|qu'|dont)[^,.;:]{1,100},)?"
    r"\s*(?:(?:(?:ne|se|a|ont|avait|avaient|aura|auront|est|sont|etait|etaient|vient\s+de|viennent\s+de|lui|leur"
    r"|y|deja|aussi|egalement|encore|finalement|bien|alors|donc)(?![\w'])|n'|s'|l')\s*)*$"
)
# "X avait proposé des engagements", "X a déposé une plainte": a noun trigger after a light verb
_BEFORE_NOUN = re.compile(
    r"\s*(?:ne\s+|n')?(?:a|ont|avait|avaient|aura|auront|s'est|s'etait)\s+(?:deja\s+|aussi\s+)?"
    r"[a-z]+(?:e|ee|es|ees|i|is|u|us|t|ts)\s+(?:un|une|des|de|d'|le|la|les|l'|son|sa|ses|leur|leurs)\s*$"
)
_CLAUSE_START = re.compile(r"(?:^|[.;:!?«»]\s*|,\s*|\bet\s+|\bmais\s+|\bpuis\s+)$")
_ROLE_OF_CUE = {"par": "agent", "contre": "addressee", "a": "à", "devant": "devant"}
_WINDOW = 40  # characters read around a name for a kind cue


@dataclass(frozen=True)
class SlotName:
    """A name found in an argument slot, with the kind its context suggests."""

    span: Span
    name: str
    kind: ActorKind


def slot_names(text: str, taken: Callable[[int, int], bool]) -> list[SlotName]:
    """The capitalised names of ``text`` filling a trigger's slot, skipping spans already ``taken``."""
    ftext = fold(text)
    triggers = trigger_spans(text)
    found: dict[tuple[int, int], SlotName] = {}
    kinds: dict[str, ActorKind] = {}  # one look through a name's occurrences, not one per occurrence
    for start, end in _cued_names(ftext, triggers) + _subjects(ftext, triggers) + _objects(ftext, triggers):
        start, end = _trimmed(ftext, start, end)
        if end <= start or taken(start, end) or (start, end) in found:
            continue
        name = " ".join(text[start:end].split())
        if _excluded(ftext, start, end):
            continue
        if name not in kinds:
            kinds[name] = _kind(ftext, start, end)
        found[(start, end)] = SlotName(Span(start, end, text[start:end]), name, kinds[name])
    return sorted(found.values(), key=lambda s: s.span.start)


def _cued_names(ftext: str, triggers: list[TriggerSpan]) -> list[tuple[int, int]]:
    """Names after ``par``/``à``/``contre``/``devant`` with a trigger earlier in the sentence that
    takes that role (``à`` only for the types the lexicon lets take an addressee after ``à``)."""
    allowed = _cue_types()
    ends = [t.end for t in triggers]  # in text order
    found = []
    for m in _AFTER_CUE.finditer(ftext):
        cue = " ".join(m.group("cue").split())
        role = "auprès" if cue.startswith("aupres") else _ROLE_OF_CUE[cue]
        before = triggers[bisect_left(ends, _sentence_start(ftext, m.start())):bisect_right(ends, m.start())]
        if any(role == "agent" or t.types & allowed[role] for t in before):
            found.append((m.start("name"), m.end("name")))
    return found


def _objects(ftext: str, triggers: list[TriggerSpan]) -> list[tuple[int, int]]:
    """A name right after a trigger verb that takes its addressee as direct object (``condamne X à``,
    ``a mis en demeure X de``, ``sanctionne X``)."""
    allowed = _cue_types()["object"]
    found = []
    for trigger in triggers:
        if trigger.verb and trigger.types & allowed:
            name = _OBJECT.match(ftext, trigger.end)
            if name is not None:
                found.append((name.start("name"), name.end("name")))
    return found


_OBJECT = re.compile(rf"\s+(?P<name>{_NAME})")


def _subjects(ftext: str, triggers: list[TriggerSpan]) -> list[tuple[int, int]]:
    """A name opening a clause right before a trigger verb (only auxiliaries and clitics between) or
    before a light verb and its trigger noun (``X avait déposé une plainte``)."""
    found = []
    for trigger in triggers:
        t_start = trigger.start
        gap = (_BEFORE_VERB if trigger.verb else _BEFORE_NOUN).search(ftext, max(0, t_start - 40), t_start)
        if gap is None:
            continue
        name = re.search(rf"({_NAME})\s*$", ftext[max(0, gap.start() - 80):gap.start()])
        if name is None:
            continue
        start = gap.start() - len(name.group(0))
        if _CLAUSE_START.search(ftext[max(0, start - 10):start]) or start == 0:
            found.append((start, start + len(name.group(1))))
    return found


def _trimmed(ftext: str, start: int, end: int) -> tuple[int, int]:
    """Drop sentence words opening the name (``Selon``, ``Mardi``) and a trailing particle."""
    stop = _stopwords()
    tokens = list(re.finditer(r"[\w&+'-]+", ftext[start:end]))
    while tokens and tokens[0].group() in stop:
        tokens.pop(0)
    if not tokens:
        return start, start
    return start + tokens[0].start(), start + tokens[-1].end()


def _excluded(ftext: str, start: int, end: int) -> bool:
    """A place (``à Nantes (Loire-Atlantique)``, ``installé à Rotterdam``, ``dans ses locaux, à Lyon.``),
    a date word, a name already in a lexicon, or a lone letter (``plainte contre X``: someone unknown)."""
    words = ftext[start:end].split()
    if end - start == 1 or words[0] in _stopwords() or key(ftext[start:end]) in _known_places():
        return True
    if _located(key(ftext[max(0, start - 60):start]) + " ", ftext[end:end + 2]):
        return True
    return bool(re.match(rf"\s*\({_CAP}(?:[\s-]+{_CAP})*\)", ftext[end:end + 40]))


def _located(before: str, after: str) -> bool:
    """Whether ``à X`` says where someone is: after a place word (``installé``, ``ses locaux de``), or
    set off by a comma at a clause's end (``rencontrée dans ses bureaux, à Lyon.``)."""
    if not re.search(r"(?<!\w)a\s+$", before):
        return False
    if re.search(r",\s*a\s+$", before) and re.match(r"\s*[.;]", after):
        return True
    return bool(re.search(rf"(?<!\w)(?:{_place_cues()})(?:\s+[\w'-]+){{0,3}}\s+a\s+$", before))


def _kind(ftext: str, start: int, end: int) -> ActorKind:
    """The kind the words around a name suggest: ``M.``/a given name for a person, else a
    descriptor next to any of its occurrences (``la société X``, ``le PDG de X``, ``X et sa
    filiale``, ``X ... . La plateforme a ...``), else Other."""
    words = ftext[start:end].split()
    if re.search(r"(?:^|\s)(?:m\.|mme|me|mm\.)\s*$", key(ftext[max(0, start - 6):start])) or (
            len(words) >= 2 and key(words[0]) in _first_names()):
        return "Person"
    name = ftext[start:end]
    position = ftext.find(name)
    while position >= 0:
        kind = _descriptor_kind(ftext, position, position + len(name))
        if kind is not None:
            return kind
        position = ftext.find(name, position + len(name))
    return "Other"


def _descriptor_kind(ftext: str, start: int, end: int) -> ActorKind | None:
    before = key(ftext[max(0, start - _WINDOW):start])
    after = key(ftext[end:end + 3 * _WINDOW])
    if re.search(rf"(?<!\w)(?:{_COMPANY_OFFICES})\s+(?:de|d')\s*$", before) or re.match(
            r"(?:,\s*)?(?:et\s+)?(?:a\s+)?sa\s+filiale", after):
        return "Company"
    cues = _cue_alternation()
    found = re.search(rf"(?<!\w)({cues})s?(?:\s+[\w-]+)?\s*(?:,\s*)?$", before)
    if found is None:  # "X ne paiera pas. La plateforme de vente en ligne a formé ..."
        found = re.match(rf"[^.]*\.\s+(?:le|la|l'|les|cette|ce|cet)\s*({cues})(?!\w)", after)
    return _org_cues()[found.group(1)] if found else None


_COMPANY_OFFICES = r"pdg|directeur general|directrice generale|patron|patronne|fondateur|fondatrice"


@cache
def _cue_alternation() -> str:
    return "|".join(re.escape(c) for c in sorted(_org_cues(), key=len, reverse=True))


def _sentence_start(ftext: str, offset: int) -> int:
    found = max(ftext.rfind(". ", 0, offset), ftext.rfind("\n", 0, offset))
    return found + 1 if found >= 0 else 0


@cache
def _cue_types() -> dict[str, frozenset[str]]:
    types = lexicons.load("events")["role_cues"]["addressee_types"]
    return {role: frozenset(types.get(role, ())) for role in ("à", "auprès", "devant", "object")} | {
        "addressee": frozenset(types.get("contre", ()))}


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(fold(w) for w in lexicons.load("actor_cues")["name_stopwords"])


@cache
def _org_cues() -> dict[str, ActorKind]:
    return {key(c): cast(ActorKind, k) for c, k in lexicons.load("actor_cues")["org_cues"].items()}


@cache
def _first_names() -> frozenset[str]:
    return frozenset(key(n) for n in lexicons.load("first_names")["names"])


@cache
def _place_cues() -> str:
    return "|".join(re.escape(key(w)) for w in lexicons.load("actor_cues")["place_cues"])


@cache
def _known_places() -> frozenset[str]:
    return frozenset(key(p) for p in lexicons.load("places")["names"])
