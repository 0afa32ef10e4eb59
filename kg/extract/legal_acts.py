"""Which legal texts an article talks about: laws, decrees, orders, deliberations, rulings.

An act is recognised from a trigger noun (``décret``, ``arrêté``, ``loi``...,
``legal_acts.json``) that carries an anchor: a date joined to it (``décret
publié le 2 mars dernier``, ``délibération du 9 octobre 2022``), a number
(``n° 2022-123``), a title (``loi visant à ...``) or an eponym (``loi Dupont``).
Acts the press calls by a short name (``RGPD``) come from the lexicon.  A
definite trigger without an anchor (``le décret``, ``ce texte``) refers to the
latest act of that kind; an indefinite one (``un arrêté ou un décret``) names
no act at all.

Dates are not parsed here: the temporal tagger's mentions are joined to the
trigger they follow, so one reading of ``le 2 mars dernier`` serves both.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any, cast

from kg import lexicons
from kg.extract.mentions import mentions_within
from kg.extract.normalize import FormMatcher, fold, is_acronym, key, search_forms
from kg.models import Article, DateMention, LegalAct, LegalActKind, Mention, Span, TimeValue

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
_NUMBER = re.compile(r"\s*(?:n[°o]|numéro)\s*(?P<num>\d[\w/.-]*\d(?:\s+[A-Z]{1,3}(?![\w-]))?|\d)")
_NOR = re.compile(r"\b[A-Z]{4}\d{7}[A-Z]\b")
_ECLI = re.compile(r"\bECLI:[A-Z]{2}:[A-Z]+:\d{4}:[\w.]+\w")
_CAP = r"[A-Z][\w-]*"
_MONTH_KEYS = {fold(m) for m in MONTHS}
_TITLED = ("Law", "Decree", "Order", "Ordinance", "Deliberation", "Other")
_BACKWARD = frozenset({"ce", "cet", "cette", "sa", "son", "leur", "ses"})
_EPONYMOUS = ("Law", "Decree", "Regulation", "Directive", "CourtDecision", "Other")


# --------------------------------------------------------------------------- public interface


@dataclass(frozen=True)
class LegalActIndex:
    """The legal acts of one article and every place one of them is named or referred to."""

    acts: tuple[LegalAct, ...]
    mentions: tuple[Mention, ...]  # sorted by span.start; Mention.key == LegalAct.label

    def within(self, start: int, end: int) -> list[Mention]:
        """Mentions whose span lies in ``[start, end)``."""
        return mentions_within(self.mentions, self._starts, start, end)

    @cached_property
    def _starts(self) -> list[int]:
        return [m.span.start for m in self.mentions]


def find_legal_acts(article: Article, dates: Sequence[DateMention]) -> LegalActIndex:
    """Every legal act of ``article``; ``dates`` are the temporal tagger's mentions for the whole text."""
    text = article.text
    known = _known_hits(text)
    taken = [(start, end) for start, end, _ in known]
    candidates = [c for c in _candidates(text, dates) if not any(s < c.end and c.start < e for s, e in taken)]
    groups = _merge([c for c in candidates if c.anchored])
    acts: list[LegalAct] = []
    hits: list[tuple[int, int, str]] = []
    for group in groups:
        act = _act(group)
        acts.append(act)
        hits += [(c.start, c.end, act.label) for c in group]
    for start, end, entry in known:
        if entry["label"] not in {a.label for a in acts}:
            acts.append(_known_act(entry))
        hits.append((start, end, entry["label"]))
    kinds = {a.label: a.kind for a in acts}
    hits += _references(text, [c for c in candidates if not c.anchored], sorted(hits), kinds)
    hits.sort()
    used = {label for _, _, label in hits}
    first = {label: start for start, _, label in reversed(hits)}
    ordered = sorted((a for a in acts if a.label in used), key=lambda a: first[a.label])
    mentions = tuple(Mention(Span(s, e, text[s:e]), label) for s, e, label in hits)
    return LegalActIndex(tuple(ordered), mentions)


# --------------------------------------------------------------------------- lexicon data


@cache
def _lexicon() -> dict[str, Any]:
    return cast(dict[str, Any], lexicons.load("legal_acts"))


def _alternation(words: Sequence[str]) -> str:
    """Folded lower-case words as an alternation, longest first, spaces flexible."""
    folded = sorted({key(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in folded)


@cache
def _word_set(name: str) -> frozenset[str]:
    """A lexicon word list, folded, elisions written with ``'``."""
    return frozenset(key(w) for w in _lexicon()[name])


@cache
def _triggers() -> dict[str, dict[str, Any]]:
    return {key(t["word"]): t for t in _lexicon()["triggers"]}


@cache
def _regexes() -> dict[str, re.Pattern[str]]:
    """Expressions over the folded lower-case text (same offsets as the original)."""
    lex = _lexicon()
    participle = rf"(?:{_alternation(lex['participles'])})e?s?"
    stop = _alternation(lex["qualifier_stopwords"])
    qualifier = rf"(?:(?!(?:{stop}|{participle})(?![\w'])|n°)[a-z][\w-]*\s+)"
    link = r"(?:(?:en\s+date\s+)?(?:du|de|d'|le|en|l')\s*)?"
    openers = _alternation(lex["title_openers"])
    eponym = rf"(?P<ep>{_CAP}(?:\s+et\s+{_CAP})?)"
    triggers = "|".join(re.escape(fold(t["word"])).replace(r"\ ", r"\s+") for t in lex["triggers"])
    return {
        "eponym": re.compile(rf"\s+(?:«\s*)?{eponym}"),
        "dite": re.compile(rf"\s*,?\s*dite?\s+(?:«\s*)?(?:{triggers})\s+{eponym}"),
        "trigger": re.compile(rf"(?<![\w-])(?P<word>{_alternation(list(_triggers()))})(?![\w-])"),
        "reference": re.compile(rf"(?<![\w-])(?:{_alternation(lex['references'])})(?![\w-])"),
        "strict": re.compile(rf"^\s*,?\s*{qualifier}{{0,2}}{link}$"),
        "loose": re.compile(rf"^\s*,?\s*{qualifier}{{0,2}},?\s*{participle}\s+"
                            rf"(?:par\s+(?:[\w']+\s+){{1,3}}?)?{link}$"),
        "title": re.compile(rf"\s*,?\s+(?P<title>(?:{openers})[\s'][^,;:.()«»\n]{{3,200}}?)"
                            r"(?=\s*[,;:.()«»\n]|\s+dite?\s|\s+qui\s|\s+que\s|\s+et\s+(?:qui|dont)\s|$)"),
    }


@cache
def _known_matcher() -> FormMatcher[dict[str, Any]]:
    forms: dict[str, dict[str, Any]] = {}
    for entry in _lexicon()["known"]:
        for alias in (entry["label"], *entry["aliases"]):
            variants = search_forms(alias, strict=is_acronym(alias))
            for form in variants | ({alias.upper()} if not is_acronym(alias) else set()):
                forms.setdefault(" ".join(fold(form).split()), entry)
    return FormMatcher(forms)


def _known_hits(text: str) -> list[tuple[int, int, dict[str, Any]]]:
    """Acts named by a short name the lexicon knows (``RGPD``), unless announced as future."""
    folded = fold(text)
    not_after = re.compile(rf"(?:{_alternation(_lexicon()['not_after'])})\s+(?:\w+\s+)?$")
    hits = []
    for start, end, entry in _known_matcher().find(folded):
        if not not_after.search(folded[max(0, start - 30):start].lower()):
            hits.append((start, end, entry))
    return hits


def _known_act(entry: dict[str, Any]) -> LegalAct:
    aliases = tuple(a for a in entry["aliases"] if key(a) != key(entry["label"]))
    when = TimeValue.parse(entry["date"]) if entry.get("date") else None
    return LegalAct(entry["label"], entry["kind"], when, aliases, tuple(entry.get("identifiers", ())))


# --------------------------------------------------------------------------- candidates


@dataclass
class _Candidate:
    """One trigger noun in the text and what is attached to it."""

    start: int
    end: int
    kind: LegalActKind
    word: str  # the noun used in labels (``loi`` for ``proposition de loi``)
    written: str  # the trigger as written, lower case (``proposition de loi``)
    definite: bool
    backward_only: bool = False  # ``ce décret``, ``sa décision``: never an act named later
    date: TimeValue | None = None
    number: str | None = None
    title: str | None = None
    eponyms: list[str] = field(default_factory=list)
    qualifiers: str = ""
    identifiers: list[str] = field(default_factory=list)

    @property
    def anchored(self) -> bool:
        return bool(self.date or self.number or self.title or self.eponyms)


def _candidates(text: str, dates: Sequence[DateMention]) -> list[_Candidate]:
    lowered, folded = fold(text, lower=True), fold(text)
    ordered = _Dates(dates)
    found = []
    for m in _regexes()["trigger"].finditer(lowered):
        candidate = _candidate(_Text(text, lowered, folded), m, ordered)
        if candidate is not None:
            found.append(candidate)
    _attach_identifiers(text, found)
    return found


@dataclass(frozen=True)
class _Text:
    """The text and its two folded copies (same offsets), folded once per article."""

    text: str
    lowered: str
    folded: str


class _Dates:
    """The tagger's mentions in text order, with their starts for a binary search."""

    def __init__(self, dates: Sequence[DateMention]) -> None:
        self.dates = sorted(dates, key=lambda d: d.span.start)
        self.starts = [d.span.start for d in self.dates]

    def from_(self, offset: int) -> Iterator[DateMention]:
        """The mentions starting at or after ``offset``, lazily (the caller stops at the first)."""
        return (self.dates[n] for n in range(bisect_left(self.starts, offset), len(self.dates)))


def _candidate(source: _Text, m: re.Match[str], dates: _Dates) -> _Candidate | None:
    """The trigger at ``m`` with its number, date, title and eponym; None when it names no act."""
    text, lowered = source.text, source.lowered
    trigger = _triggers()[" ".join(m.group("word").split())]
    words = re.findall(r"[\w-]+'|[\w-]+", lowered[max(0, m.start() - 40):m.start()])
    previous = words[-1] if words else ""
    if previous in _word_set("not_after"):
        return None
    definite = any(w in _word_set("definite") or w.endswith("'") for w in words[-2:])
    indefinite = previous in _word_set("indefinite")
    if trigger.get("needs_determiner") and not (definite or indefinite):
        return None
    c = _Candidate(m.start(), m.end(), trigger["kind"], trigger["label"], " ".join(m.group("word").split()),
                   definite and not indefinite, backward_only=previous in _BACKWARD)
    cursor = m.end()
    number = _NUMBER.match(text, cursor)
    if number:
        c.number, cursor = " ".join(number.group("num").split()), number.end()
    if c.kind == "Ordinance" and not _government_ordinance(c, lowered):
        c.kind = "CourtDecision"
    link = "strict" if c.kind == "CourtDecision" else trigger["link"]
    cursor = _attach_date(c, text, lowered, cursor, dates, link)
    title = _regexes()["title"].match(lowered, cursor)
    if title and (c.kind in _TITLED or c.word == "ordonnance"):
        c.kind = "Ordinance" if c.word == "ordonnance" else c.kind
        c.title = " ".join(text[title.start("title"):title.end("title")].split())
        cursor = title.end()
    folded = source.folded
    eponym = _regexes()["eponym"].match(folded, m.end())
    if eponym and c.kind in _EPONYMOUS and not c.number and key(eponym.group("ep")) not in _MONTH_KEYS:
        c.eponyms.append(text[eponym.start("ep"):eponym.end("ep")])
        cursor = max(cursor, eponym.end())
    dite = _regexes()["dite"].match(folded, cursor)
    if dite:
        c.eponyms.append(text[dite.start("ep"):dite.end("ep")])
        cursor = dite.end()
    c.end = cursor
    return c


def _attach_date(c: _Candidate, text: str, lowered: str, cursor: int, dates: _Dates, link: str) -> int:
    """Join the date that follows the trigger, when only a link (``du``, ``publié le``) separates them."""
    for mention in dates.from_(cursor):
        gap_start = cursor
        if mention.value is None or mention.role == "duration":
            continue
        if mention.span.start - gap_start > 80:
            break
        gap = lowered[gap_start:mention.span.start]
        if _regexes()["strict"].match(gap) or (link == "loose" and _regexes()["loose"].match(gap)):
            c.date = mention.value
            qualifiers = _regexes()["strict"].match(gap)
            if qualifiers:
                words = [w for w in text[gap_start:mention.span.start].split() if w.isalpha() and w.islower()
                         and key(w) not in {"du", "de", "le", "en", "date"}]
                c.qualifiers = " ".join(words)
            return mention.span.end
        break
    return cursor


def _government_ordinance(c: _Candidate, lowered: str) -> bool:
    """An ``ordonnance`` is the government's act when numbered like one or said so nearby."""
    if c.number and re.fullmatch(r"\d{4}-\d+", c.number):
        return True
    context = lowered[max(0, c.start - 120):c.start]
    return any(key(cue) in context for cue in _lexicon()["government_ordinance_cues"])


def _attach_identifiers(text: str, candidates: list[_Candidate]) -> None:
    """NOR and ECLI codes belong to the nearest act named before them in the same sentence."""
    for regex in (_NOR, _ECLI):
        for m in regex.finditer(text):
            owners = [c for c in candidates if c.end <= m.start() and m.start() - c.end < 200
                      and not re.search(r"[.!?]\s", text[c.end:m.start()])]
            if owners:
                owners[-1].identifiers.append(m.group())


# --------------------------------------------------------------------------- acts


def _merge(candidates: list[_Candidate]) -> list[list[_Candidate]]:
    """Group the anchored candidates that name the same act (same kind, and same date, number,
    title or eponym).

    Each (kind, key) pair belongs to one group, found in a dict; groups joined by a candidate
    are folded into the largest, so a long text with many acts is not compared pairwise.
    """
    owner: dict[tuple[str, str], int] = {}  # (kind, key) -> group number
    groups: dict[int, list[_Candidate]] = {}
    for number, c in enumerate(candidates):
        keys = [(c.kind, k) for k in _keys(c)]
        joined = list(dict.fromkeys(owner[k] for k in keys if k in owner))
        survivor = max(joined, key=lambda g: len(groups[g]), default=number)
        groups.setdefault(survivor, [])
        for other in joined:
            if other != survivor:
                moved = groups.pop(other)
                groups[survivor] += moved
                owner.update({(o.kind, k): survivor for o in moved for k in _keys(o)})
        groups[survivor].append(c)
        owner.update({k: survivor for k in keys})
    return sorted((sorted(g, key=lambda x: x.start) for g in groups.values()), key=lambda g: g[0].start)


def _keys(c: _Candidate) -> set[str]:
    keys = {f"n:{c.number}"} if c.number else set()
    if c.date and c.date.precision == "day":
        keys.add(f"d:{c.date.iso()}")
    if c.title:
        keys.add(f"t:{key(c.title)}")
    keys |= {f"e:{key(e)}" for e in c.eponyms}
    keys |= {f"i:{i}" for i in c.identifiers}
    return keys


def _act(group: list[_Candidate]) -> LegalAct:
    """One act from its candidates: the label prefers a date, then a title, a number, an eponym."""
    dated = next((c for c in group if c.date and c.date.precision == "day"), None) or next(
        (c for c in group if c.date), None)
    titled = next((c for c in group if c.title), None)
    numbered = next((c for c in group if c.number), None)
    word = (dated or titled or numbered or group[0]).word
    names = []
    if dated and dated.date:
        names.append(f"{word} {_date_words(dated.date)}")
    if titled:
        names.append(f"{titled.word} {titled.title}")
    if numbered:
        names.append(f"{numbered.word} n° {numbered.number}")
        if dated and dated.date:
            names.append(f"{numbered.word} n° {numbered.number} {_date_words(dated.date)}")
    for c in group:
        names += [f"{c.word} {e}" for e in c.eponyms] + [f"{c.written} {e}" for e in c.eponyms]
        if c.qualifiers:
            names.append(f"{c.word} {c.qualifiers}")
    label = names[0]
    aliases = tuple(dict.fromkeys(n for n in names[1:] if key(n) != key(label)))
    identifiers = tuple(dict.fromkeys([f"n° {c.number}" for c in group if c.number]
                                      + [i for c in group for i in c.identifiers]))
    return LegalAct(label, group[0].kind, dated.date if dated else None, aliases, identifiers)


def _date_words(value: TimeValue) -> str:
    """``du 2 mars 2021``, ``du 1er juin 2022``, ``de septembre 2022``, ``de 2018``."""
    if value.month is None:
        return f"de {value.year}"
    month = MONTHS[value.month - 1]
    if value.day is None:
        return f"de {month} {value.year}"
    return f"du {'1er' if value.day == 1 else value.day} {month} {value.year}"


# --------------------------------------------------------------------------- references


def _references(text: str, bare: list[_Candidate], hits: list[tuple[int, int, str]],
                kinds: dict[str, LegalActKind]) -> list[tuple[int, int, str]]:
    """``le décret``, ``ce texte``: the latest act of that kind, else (for ``le``) the next one.

    ``hits`` are sorted; the acts of each kind are looked up by binary search, not rescanned
    for every reference of a long text.
    """
    lowered = fold(text, lower=True)
    by_kind: dict[str, list[tuple[int, int, str]]] = {}
    for hit in hits:
        by_kind.setdefault(kinds.get(hit[2], ""), []).append(hit)
    found: list[tuple[int, int, str]] = []
    for c in bare:
        if not c.definite:
            continue
        same = by_kind.get(c.kind, [])
        target = _last_ending_by(same, c.start)
        if target is None and not c.backward_only:
            following = bisect_left(same, (c.end,))
            if following < len(same) and same[following][0] < c.end + 600:
                target = same[following]
        if target is not None:
            found.append((c.start, c.end, target[2]))
    for m in _regexes()["reference"].finditer(lowered):
        words = lowered[max(0, m.start() - 10):m.start()].split()
        if not words or words[-1] not in {"ce", "le", "du", "au", "cet"}:
            continue
        before = _last_ending_by(hits, m.start())
        if before is not None:
            found.append((m.start() - len(words[-1]) - 1, m.end(), before[2]))
    return found


def _last_ending_by(hits: list[tuple[int, int, str]], offset: int) -> tuple[int, int, str] | None:
    """The last of the sorted ``hits`` that ends by ``offset`` (it starts before it: walk back from there)."""
    for number in range(bisect_left(hits, (offset,)) - 1, -1, -1):
        if hits[number][1] <= offset:
            return hits[number]
    return None
