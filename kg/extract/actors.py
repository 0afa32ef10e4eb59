"""Who acts in an article: institutions, persons, companies, associations, the press.

A handful of regular expressions run over a folded copy of the text (same
offsets, see ``normalize``), fed by lexicons rather than by rules written for
one article:

* known institutions and their press periphrases (``institutions.json``);
* long names defined by an acronym in parentheses, ``Health Data Hub (HDH)``;
* persons introduced by an office, ``la ministre de la culture Jeanne Morel``;
* organisations introduced by a descriptor, ``le collectif X``, ``la société X``;
* companies by legal form (``Google LLC``), courts by seat, ministries,
  parliamentary groups, and list items next to a known organisation.

Later references (an acronym alone, a surname, a bare office such as ``le
ministre``, ``l’autorité``, ``le juge``) are resolved to the actor they stand
for, so every mention carries the canonical name the events will use.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property, partial
from itertools import accumulate
from typing import Any, cast

from kg import lexicons
from kg.extract.mentions import mentions_within
from kg.extract.normalize import (
    FormMatcher,
    capitalize_first,
    fold,
    is_acronym,
    key,
    search_forms,
    spelling_variants,
)
from kg.extract.slot_names import slot_names as find_slot_names
from kg.extract.triggers import trigger_spans
from kg.models import Actor, ActorKind, Article, Mention, Span

# Which rule found a hit: on equal length the higher rank wins an overlap.
_ANAPHOR, _DYNAMIC, _GENERIC, _LEXICON, _CUE, _PERSON = range(6)
_CAP = r"[A-Z][\w&+-]*"  # a capitalised token of the folded text (no accented capitals left)
_PARTICLE = r"(?:de|du|des|d'|van|von|da|di|del|della|ben|bin)"
# "Yannick Le Goff": a capitalised article opening a Breton or Norman surname belongs to it
_SURNAME_ARTICLE = r"(?:Le|La|Du|Des)"
# a place's name, hyphenated or with one inner particle: "Haute-Vienne", "Val de Brenne"
_PLACE = rf"{_CAP}(?:-{_CAP})*(?:\s+(?:de|du|d')\s*{_CAP}(?:-{_CAP})*)?"


# --------------------------------------------------------------------------- public interface


@dataclass(frozen=True)
class ActorIndex:
    """The actors of one article and every place one of them is named or referred to."""

    actors: tuple[Actor, ...]
    mentions: tuple[Mention, ...]  # sorted by span.start; Mention.key == Actor.name

    def within(self, start: int, end: int) -> list[Mention]:
        """Mentions whose span lies in ``[start, end)``."""
        return mentions_within(self.mentions, self._starts, start, end)

    @cached_property
    def _starts(self) -> list[int]:
        return [m.span.start for m in self.mentions]

    def get(self, name: str) -> Actor:
        """The actor called ``name`` (its canonical name, short name or an alias)."""
        wanted = key(name)
        for actor in self.actors:
            if wanted in {key(n) for n in (actor.name, actor.short or "", *actor.aliases)}:
                return actor
        raise KeyError(name)


def find_actors(article: Article) -> ActorIndex:
    """Every actor of ``article`` with its mentions (body and comments alike)."""
    finder = _Finder(article.text)
    finder.run()
    return finder.index()


# --------------------------------------------------------------------------- drafts and hits


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    name: str  # canonical name of the actor meant
    rank: int

    def overlaps(self, other: _Hit) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class _Draft:
    """An actor under construction: later rules may add aliases or a better kind."""

    name: str
    kind: ActorKind
    rank: int
    short: str | None = None
    role: str | None = None
    aliases: list[str] = field(default_factory=list)
    match_forms: set[str] = field(default_factory=set)  # article-specific forms to look for again


# --------------------------------------------------------------------------- lexicon data


@cache
def _cues() -> dict[str, Any]:
    return cast(dict[str, Any], lexicons.load("actor_cues"))


@cache
def _first_names() -> frozenset[str]:
    return frozenset(key(n) for n in lexicons.load("first_names")["names"])


@cache
def _institutions() -> dict[str, dict[str, Any]]:
    """Lexicon entries by canonical name."""
    return {e["name"]: e for e in lexicons.load("institutions")["entries"]}


@cache
def _lexicon_keys() -> dict[str, str]:
    """Folded name or alias -> canonical name, for names found by other rules."""
    keys: dict[str, str] = {}
    for name, entry in _institutions().items():
        for form in (name, entry.get("short") or "", *entry.get("aliases", ()), *entry.get("strict", ())):
            if form:
                keys.setdefault(key(form), name)
    return keys


@cache
def _lexicon_matcher() -> FormMatcher[str]:
    forms: dict[str, str] = {}
    for name, entry in _institutions().items():
        names = () if entry.get("strict") else (name, *spelling_variants(name))
        for alias in (*names, *entry.get("aliases", ())):
            for form in search_forms(alias, strict=False):
                forms.setdefault(form, name)
        for alias in entry.get("strict", ()):
            forms.setdefault(" ".join(fold(alias).split()), name)
    return FormMatcher(forms)


def _alternation(words: Iterable[str]) -> str:
    """Folded words as a regex alternation, longest first, first letter in either case."""
    parts = []
    for word in sorted({fold(w) for w in words}, key=len, reverse=True):
        head = f"[{word[0].upper()}{word[0].lower()}]" if word[0].isalpha() else re.escape(word[0])
        parts.append(head + re.escape(word[1:]).replace(r"\ ", r"\s+"))
    return "|".join(parts)


@cache
def _party_forms() -> dict[str, str]:
    return {fold(a): p["name"] for p in _cues()["parties"] for a in p["aliases"]}


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """The cue-driven expressions, built once from the lexicons."""
    cues = _cues()
    prep = (r"(?:(?:en\s+charge|chargee?|deleguee?)\s+)?"
            r"(?:de\s+l'|d'|a\s+l'|(?:de\s+la|des|du|de|a\s+la|aux|au)\s+)")
    obj = rf"(?:(?:L[ae]s?\s+)?{_CAP}(?:\s+(?:{_PARTICLE}\s*|de\s+la\s+|et\s+){_CAP})*|[\w-]+)"
    adjectives = _alternation(cues["office_adjectives"])
    comp = rf"(?:\s+(?:et\s+)?{prep}{obj}(?:\s+(?:{adjectives})(?!\w))?)*"
    party = "|".join(re.escape(p) for p in sorted(_party_forms(), key=len, reverse=True))
    offices = _alternation(o["word"] for o in cues["offices"])
    name = rf"{_CAP}(?:\s+(?:{_PARTICLE}\s+|d')?{_CAP}){{1,3}}"
    det = r"(?:[Ll]e|[Ll]a|[Ss]a|[Ss]on|[Ll]eur|[Nn]otre|[Uu]n|[Uu]ne)\s+|[Ll]'"
    # "la maire actuelle de X": an adjective may stand between the office and its complement
    office = (rf"(?P<det>{det})?(?P<head>{offices})(?!\w)(?:\s+(?:{adjectives})(?!\w))?"
              rf"(?P<party>\s+(?:{party})(?!\w))?"
              rf"(?P<comp>{comp})")
    org_cues = _alternation(cues["org_cues"])
    org_adj = _alternation(cues["org_adjectives"])
    org_name = rf"{_CAP}(?:\s+(?:(?:{_PARTICLE}|et|&|for|of|the)\s+|d')?{_CAP})*"
    suffixes = "|".join(re.escape(s) for s in sorted(cues["legal_suffixes"], key=len, reverse=True))
    prefixes = "|".join(re.escape(fold(s)) for s in sorted(cues["legal_prefixes"], key=len, reverse=True))
    heads = "|".join(re.escape(fold(h)) for h in sorted(cues["capitalised_heads"], key=len, reverse=True))
    courts = _alternation(cues["seated_courts"])
    assemblies = _alternation(cues["assemblies"])
    anaphors = _alternation(a["phrase"] for a in cues["anaphors"])
    contracted = _alternation(rest for rest in map(_contracted, cues["anaphors"]) if rest)
    territorial = _alternation(w for t in cues["territorial"] for w in t["words"])
    portfolio = (r"(?:de\s+l'|d'|a\s+l'|(?:de\s+la|des|du|de|a\s+la|aux|au)\s+)"
                 rf"{_CAP}(?:\s+(?:{adjectives})(?!\w))?")
    return {
        "office": re.compile(rf"(?<![\w']){office}(?:(?P<sep>\s*,\s*|\s+)(?P<name>{name}))?"),
        "appositive": re.compile(rf"(?<![\w'])(?P<name>{name})\s*,\s*(?:(?:[Ll]e|[Ll]a)\s+|[Ll]')?"
                                 rf"(?P<head>{offices})(?!\w)(?P<party>\s+(?:{party})(?!\w))?(?P<comp>{comp})"),
        "org": re.compile(rf"(?<![\w'])(?:(?P<det>[Ll]e|[Ll]a|[Ll]es|[Uu]n|[Uu]ne|[Dd]u|[Aa]u)\s+|[Ll]')?"
                          rf"(?P<cue>{org_cues})(?P<adj>(?:\s+(?:{org_adj}))*)(?:\s+(?:de|d')\s*[a-z][\w-]+)?"
                          rf"\s+(?P<name>{org_name})(?P<tail>(?:\s+(?:{_PARTICLE}\s+|de\s+la\s+)?[a-z][\w-]*){{1,2}}"
                          r"(?=\s*[,.;:)]|\s+(?:a|ont|avait|avaient|est|sont|etait|qui)\s))?"),
        "press": re.compile(rf"(?<![\w'])(?P<cue>{_alternation(cues['press_cues'])})\s+(?P<name>{org_name})"),
        "prefix": re.compile(rf"(?<![\w'])(?P<form>{prefixes})\s+"
                             rf"(?P<name>{_CAP}(?:\s+(?:{_PARTICLE}\s*)?{_CAP}){{0,3}})(?![\w-])"),
        "head": re.compile(rf"(?<![\w'])(?P<head>{heads})"
                           r"(?P<link>\s+(?:pour|contre|sans)(?:\s+(?:la|le|les)(?!\w)|\s+l')?)?(?=[\s'])"),
        "suffix": re.compile(rf"(?<![\w'])(?P<name>{_CAP}(?:\s+{_CAP}){{0,3}}\s+(?:{suffixes}))(?!\w)"),
        "court": re.compile(rf"(?<![\w'])(?P<type>{courts})(?:\s*\((?P<acro>[A-Z]{{2,5}})\))?"
                            rf"\s+(?P<prep>de\s+|d')(?P<city>{_CAP}(?:-{_CAP})*)"),
        "acronym": re.compile(r"\s*\((?P<acro>[A-Z][A-Za-z0-9&-]{1,11})\)"),
        # "de l'Économie et des Finances", "chargée du Numérique": a minister's capitalised portfolio
        "portfolio": re.compile(rf"\s+(?:(?:en\s+charge|chargee?|deleguee?)\s+)?{portfolio}"
                                rf"(?:,?\s+(?:et\s+)?{portfolio})*"),
        "ministry": re.compile(r"(?<![\w'])(?P<head>[Mm]inisteres?)(?P<comp>(?:\s+(?:et\s+)?"
                               rf"(?:de\s+l'|d'|(?:de\s+la|des|du|de)\s+){_CAP}(?:\s+(?:{adjectives})(?!\w))?)+)"),
        # "l'Urssaf d'Alsace": the elided article belongs before the authority's word
        "territorial": re.compile(rf"(?:(?<![\w'])|(?<=(?<!\w)[ldLD]'))(?P<word>{territorial})"
                                  rf"\s+(?P<prep>de\s+la\s+|de\s+l'|du\s+|des\s+|de\s+|d')(?P<place>{_PLACE})"),
        "group": re.compile(rf"(?<![\w'])(?P<who>{assemblies})\s+(?:(?:des|du)\s+groupes?\s+)?"
                            rf"(?P<party>{party})"
                            rf"(?:\s+et\s+(?P<other>{party}))?(?!\w)"),
        # "l'Autorité", "la Haute Juridiction": capitalised for emphasis, unless a name goes on
        "anaphor": re.compile(
            rf"(?<![\w'])(?:{anaphors}|(?P<prep>[AaDd]u|[Aa]ux)\s+(?P<rest>{contracted}))(?!\w)"
            r"(?-i:(?!\s+[A-Z]))", re.IGNORECASE,
        ),
        # "Mme B.", "M. Martin", "Nadia Benali" (the given name checked against the lexicon)
        "civil": re.compile(
            rf"(?<![\w'])(?:(?P<civility>Mme|M\.)\s+(?P<rest>[A-Z]\.|{_CAP}(?:-{_CAP})?(?:\s+{_CAP}(?:-{_CAP})?)?)"
            rf"|(?P<first>{_CAP})\s+(?!(?:{_PARTICLE})\s)(?:{_PARTICLE}\s+|{_SURNAME_ARTICLE}\s+(?=[A-Z][a-z]))?"
            r"[A-Z][a-z]+(?:-{_CAP})?)"
            r"(?![\w-])"),
        "enumerated": re.compile(r"(?:,\s+|\s+et\s+|\s+notamment\s+|\s+cotes\s+)(?:de\s+|d')"
                                 rf"(?P<name>{_CAP}(?:\s+{_CAP}){{0,2}})(?=\s*,|\s+et\s|\s*\))"),
    }


# --------------------------------------------------------------------------- the finder


class _Finder:
    """Runs the rules over one text and keeps the drafts and hits they produce."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ftext = fold(text)
        self.drafts: dict[str, _Draft] = {}
        self.hits: list[_Hit] = []
        self.accepted: list[_Hit] = []
        self.intros: dict[str, int] = {}  # person name -> offset of the office that introduced it

    # ---- bookkeeping

    def add(self, name: str, kind: ActorKind, start: int, end: int, rank: int, **extra: Any) -> None:
        """Record a hit for ``name``, creating or enriching its draft."""
        draft = self.drafts.get(name)
        if draft is None:
            draft = self.drafts[name] = _Draft(name, kind, rank)
        elif rank > draft.rank:
            draft.kind, draft.rank = kind, rank
        draft.short = draft.short or extra.get("short")
        draft.role = draft.role or extra.get("role")
        draft.aliases.extend(extra.get("aliases", ()))
        draft.match_forms.update(extra.get("match", ()))
        self.hits.append(_Hit(start, end, name, rank))

    def canonical(self, name: str, kind: ActorKind) -> tuple[str, ActorKind]:
        """A lexicon institution's name and kind when ``name`` is one, else the pair unchanged."""
        known = _lexicon_keys().get(key(name))
        if known is None:
            return name, kind
        return known, cast(ActorKind, _institutions()[known]["kind"])

    def place(self, hits: Iterable[_Hit]) -> None:
        """Accept hits longest first, then by rank, skipping any that overlaps an accepted one.

        Accepted hits never overlap, so sorted by start they are sorted by end too: the one
        starting last before a hit's end is the only one that may overlap it (a binary search,
        where a scan of every accepted hit made long texts quadratic).  An empty hit names nothing.
        """
        starts = [a.start for a in self.accepted]
        for hit in sorted(hits, key=lambda h: (h.start - h.end, -h.rank, h.start)):
            index = bisect_left(starts, hit.end)
            if hit.start >= hit.end or (index and self.accepted[index - 1].overlaps(hit)):
                continue
            starts.insert(index, hit.start)
            self.accepted.insert(index, hit)

    def closest(self, names: list[str], offset: int) -> str:
        """Of several persons a phrase may mean, the one introduced last before ``offset`` (else first)."""
        return max(names, key=lambda n: (self.intros.get(n, 0) <= offset, self.intros.get(n, 0)))

    def lookback(self, wanted: Callable[[_Draft], bool]) -> Callable[[int], _Hit | None]:
        """A function giving the last accepted hit ending by an offset whose draft satisfies ``wanted``.

        Accepted hits never overlap, so their ends grow with their starts: the drafts are tested
        once and each offset costs a binary search, not a walk back through the article.
        """
        fits: dict[str, bool] = {}
        for hit in self.accepted:
            if hit.name not in fits:
                fits[hit.name] = wanted(self.drafts[hit.name])
        hits = [hit for hit in self.accepted if fits[hit.name]]
        ends = [hit.end for hit in hits]

        def latest_before(offset: int) -> _Hit | None:
            index = bisect_right(ends, offset)
            return hits[index - 1] if index else None
        return latest_before

    # ---- the pipeline

    def run(self) -> None:
        self.lexicon()
        self.courts()
        self.acronyms()
        self.offices()
        self.appositives()
        self.organisations()
        self.press()
        self.legal_forms()
        self.legal_prefixes()
        self.capitalised_heads()
        self.ministries()
        self.groups()
        self.territorial()
        self.civil_names()
        self.place(self.hits)
        self.enumerations()
        self.slot_names()
        self.bare_offices()
        self.dynamic()
        self.anaphors()
        self.absorb_brands()

    def lexicon(self) -> None:
        for start, end, name in _lexicon_matcher().find(self.ftext):
            entry = _institutions()[name]
            after = key(self.text[end:end + 40])
            if any(re.match(rf"{re.escape(key(w))}(?!\w)", after) for w in entry.get("not_followed_by", ())):
                continue
            self.add(name, entry["kind"], start, end, _LEXICON, short=entry.get("short"),
                     aliases=[self.text[start:end]])

    def courts(self) -> None:
        """``tribunal administratif (TA) de Paris``: a court named by its seat."""
        for m in _patterns()["court"].finditer(self.ftext):
            court = self.text[m.start("type"):m.end("type")]
            seat = self.text[m.start("prep"):m.end()]
            name = capitalize_first(court) + " " + " ".join(seat.split())
            acro = m.group("acro")
            short = f"{acro} {' '.join(seat.split())}" if acro else None
            aliases = [self.text[m.start():m.end()], *(a for a in (acro, short) if a)]
            self.add(name, "Court", m.start(), m.end(), _CUE, short=short, aliases=aliases,
                     match={f for f in (acro, short) if f})

    def acronyms(self) -> None:
        """``Long Name (ACRO)``: the acronym names the long form it follows (unless a name found
        before covers it; the long forms found here end before the next acronym starts)."""
        covered = _coverage(self.hits)
        for m in _patterns()["acronym"].finditer(self.ftext):
            acro = m.group("acro")
            if covered(m.start()):
                continue
            start = _long_form_start(self.ftext, m.start(), acro)
            if start is None:
                continue
            long_form = self.text[start:m.start()]
            if key(long_form) in _lexicon_keys() or key(acro) in _lexicon_keys():
                continue
            kind = _head_kind(long_form)
            # a title-case short form (``Felin``) only for a long form with an organisation's head
            if kind is None or (sum(c.isupper() for c in acro) < 2 and (kind == "Other" or len(acro) < 4)):
                continue
            name = capitalize_first(long_form) if kind == "Court" else long_form
            # the long form and the bracketed acronym are two mentions: a clause ends before "("
            end = start + len(long_form.rstrip())
            self.add(name, kind, start, end, _LEXICON, short=acro, aliases=[acro], match={acro, name})
            self.hits.append(_Hit(m.start("acro"), m.end("acro"), name, _LEXICON))

    def offices(self) -> None:
        """``la ministre de la culture Jeanne Morel``: a person named after an office."""
        for m in _patterns()["office"].finditer(self.ftext):
            if m.group("name") is not None:
                self.person(m, m.start(), m.start("sep"))

    def appositives(self) -> None:
        """``Paul Martin, président de l’Arcep``: the office after the name."""
        for m in _patterns()["appositive"].finditer(self.ftext):
            self.person(m, m.start("head"), m.end())

    def person(self, m: re.Match[str], office_start: int, office_end: int) -> None:
        """Record the person of an office match, with the office as role and aliases."""
        name_start = _name_start(self.ftext, m.start("name"), m.end("name"))
        if name_start is None:
            return
        name = " ".join(self.text[name_start:m.end("name")].split())
        head = self.text[m.start("head"):m.end("head")]
        role = " ".join(self.text[m.start("head"):m.end("comp")].split())
        for noise in _cues()["role_noise"]:
            if key(role).endswith(" " + key(noise)):
                role = role[:-len(noise)].rstrip()
        det = (m.groupdict().get("det") or "").strip().lower()
        if det in {"sa", "son", "leur", "notre"}:
            role = f"{role} {self.owner_genitive(office_start)}".strip()
        article = _article(head, det)
        aliases = [_with_article(article, role), self.text[m.start():m.end()]]
        if key(role) != key(head):
            aliases.append(_with_article(article, head))
        surname = name.split()[-1]
        match = {name} | ({surname} if len(surname) >= 3 else set())
        self.intros.setdefault(name, office_start)
        self.add(name, "Person", name_start, m.end("name"), _PERSON, role=role, aliases=aliases, match=match)
        self.hits.append(_Hit(office_start, office_end, name, _PERSON))

    def civil_names(self) -> None:
        """``Nadia Benali, préparatrice``, ``Mme B. avait été licenciée``: a person named by a common
        given name or a civility before a capitalised surname (or its initial) needs no office to be
        one; role nouns (``la salariée``) and surnames later refer back to that person."""
        found = [m for m in _patterns()["civil"].finditer(self.ftext)
                 if m.group("civility") is not None or key(m.group("first")) in _first_names()]
        # given names first: "Mme Benali" after "Nadia Benali" is the same person
        for m in sorted(found, key=lambda m: m.group("civility") is not None):
            start = m.start("first")
            if m.group("civility"):  # "Mme Lucie Vernon" is Lucie Vernon; "Mme B." keeps its civility
                rest = m.group("rest").split()
                start = m.start("rest") if len(rest) == 2 and key(rest[0]) in _first_names() \
                    else m.start("civility")
            name = " ".join(self.text[start:m.end()].split())
            surname = name.split()[-1]
            if m.group("civility"):
                known = [d.name for d in self.drafts.values()
                         if d.kind == "Person" and d.name != name and key(d.name.split()[-1]) == key(surname)]
                name = known[0] if known else name
            match = {name} | ({surname} if len(surname) >= 3 and not surname.endswith(".") else set())
            self.add(name, "Person", start, m.end(), _GENERIC, match=match)

    def owner_genitive(self, offset: int) -> str:
        """``de la CNIL`` for ``sa présidente``: the latest organisation named before."""
        before = sorted((h for h in self.hits if h.end <= offset and self.drafts[h.name].kind != "Person"),
                        key=lambda h: h.end)
        if not before:
            return ""
        draft = self.drafts[before[-1].name]
        entry = _institutions().get(draft.name, {})
        return str(entry.get("genitive") or f"de {draft.short or draft.name}")

    def organisations(self) -> None:
        """``le collectif X``, ``l’hébergeur français X``: the descriptor tells the kind."""
        kinds = {key(c): k for c, k in _cues()["org_cues"].items()}
        for m in _patterns()["org"].finditer(self.ftext):
            name = self.text[m.start("name"):m.end("name")]
            article = name.split()[0] in {"Le", "La", "Les", "L"}
            if m.group("tail") and (article or _name_tail(name, m["tail"])):
                name += self.text[m.start("tail"):m.end("tail")]
            if not _plausible_org(name):
                continue
            end = m.end("tail") if len(name) > m.end("name") - m.start("name") else m.end("name")
            if kinds[key(m.group("cue"))] == "Association" and end == m.end("name"):
                end = _association_end(self.ftext, end, self.trigger_starts)
                name = self.text[m.start("name"):end]
            name = " ".join(name.split())
            cue = " ".join(self.text[m.start("cue"):m.end("cue")].split()).lower()
            canonical, kind = self.canonical(name, kinds[key(cue)])
            # "du syndicat X", "au collectif X": the preposition in the article is not the name's
            start = m.start("cue") if (m.group("det") or "").lower() in {"du", "au"} else m.start()
            self.add(canonical, kind, start, end, _CUE, match={name},
                     aliases=[f"{cue} {name}", " ".join(self.text[m.start():end].split())])

    @cached_property
    def trigger_starts(self) -> frozenset[int]:
        return frozenset(t.start for t in trigger_spans(self.text))

    def press(self) -> None:
        for m in _patterns()["press"].finditer(self.ftext):
            name = " ".join(self.text[m.start("name"):m.end("name")].split())
            if _plausible_org(name):
                canonical, _ = self.canonical(name, "PressOutlet")
                self.add(canonical, "PressOutlet", m.start(), m.end(), _CUE, match={name},
                         aliases=[" ".join(self.text[m.start():m.end()].split())])

    def legal_forms(self) -> None:
        """``Google Ireland Limited``: a company named with its legal form."""
        for m in _patterns()["suffix"].finditer(self.ftext):
            tokens = list(re.finditer(r"\S+", self.text[m.start("name"):m.end("name")]))
            stop = set(_cues()["name_stopwords"])
            while len(tokens) > 2 and tokens[0].group() in stop:
                tokens.pop(0)
            if len(tokens) < 2 or tokens[0].group() in stop:
                continue
            name = " ".join(t.group() for t in tokens)
            self.add(name, "Company", m.start("name") + tokens[0].start(), m.end(), _CUE, match={name})

    def legal_prefixes(self) -> None:
        """``SAS Biogaz du Léon``: a company whose legal form is written before its name; the name
        alone (``Biogaz du Léon``) is looked for again."""
        for m in _patterns()["prefix"].finditer(self.ftext):
            bare = " ".join(self.text[m.start("name"):m.end("name")].split())
            name = f"{self.text[m.start('form'):m.end('form')]} {bare}"
            self.add(name, "Company", m.start(), m.end(), _CUE, match={name, bare})

    def capitalised_heads(self) -> None:
        """``La Fédération des pharmaciens de proximité``, ``le Collectif pour la liberté d’informer``:
        a capitalised descriptor begins the name, its other words in lower case (French names
        capitalise only their first word); the run ends as an association's name does."""
        heads = {key(h): k for h, k in _cues()["capitalised_heads"].items()}
        for m in _patterns()["head"].finditer(self.ftext):
            end = _association_end(self.ftext, m.end(), self.trigger_starts)
            if end == m.end() or _sentence_opening(self.ftext, m.start()):
                continue
            name = " ".join(self.text[m.start():end].split())
            canonical, kind = self.canonical(name, cast(ActorKind, heads[key(m.group("head"))]))
            self.add(canonical, kind, m.start(), end, _CUE, match={name})

    def ministries(self) -> None:
        """``ministère de la Santé``; ``les ministères de la Défense et de l’Éducation`` are two."""
        for m in _patterns()["ministry"].finditer(self.ftext):
            comp = self.text[m.start("comp"):m.end("comp")]
            plural = m.group("head").endswith("s")
            parts = re.split(r"\s+et\s+", comp) if plural else [comp]
            offset = m.start("comp")
            for part in parts:
                offset = self.text.index(part, offset)
                name = "Ministère " + " ".join(part.split())
                canonical, kind = self.canonical(name, "Government")
                start = m.start() if part is parts[0] else offset
                self.add(canonical, kind, start, offset + len(part), _GENERIC)
                offset += len(part)

    def groups(self) -> None:
        """``sénateurs Les Républicains``: a parliamentary group of one chamber."""
        assemblies = {key(k): v for k, v in _cues()["assemblies"].items()}
        for m in _patterns()["group"].finditer(self.ftext):
            who = assemblies[key(m.group("who"))]
            party = _party_forms()[m.group("party")]
            if m.group("other"):  # "députés des groupes X et Y" filed together: one party to the case
                party += " et " + _party_forms()[m.group("other")]
            members = self.text[m.start("who"):m.end("who")].lower()
            short_forms = [a for p in _cues()["parties"] if p["name"] == party for a in p["aliases"]]
            aliases = [self.text[m.start():m.end()], *(f"{members} {a}" for a in short_forms)]
            self.add(f"{who['head']} {party}", "Parliament", m.start(), m.end(), _CUE, aliases=aliases)

    def territorial(self) -> None:
        """``le préfet du Gard``, ``la mairie de Lorvel``: a territory's authority, named after it
        (``Préfet du Gard``, ``Commune de Lorvel``) whoever holds the office."""
        heads = {key(w): t for t in _cues()["territorial"] for w in t["words"]}
        for m in _patterns()["territorial"].finditer(self.ftext):
            rule = heads[key(m.group("word"))]
            name = f"{rule['name']} {' '.join(self.text[m.start('prep'):m.end()].split())}"
            self.add(name, rule["kind"], m.start(), m.end(), _CUE, aliases=[self.text[m.start():m.end()]])

    # ---- rules that need the accepted hits

    def enumerations(self) -> None:
        """``emmené par l’hébergeur X, aux côtés de Y, de Z``: list items share the listed kind."""
        new: list[_Hit] = []
        listed = self.lookback(lambda d: d.kind in ("Company", "Association"))
        for m in _patterns()["enumerated"].finditer(self.ftext):
            name = " ".join(self.text[m.start("name"):m.end("name")].split())
            if key(name) in _lexicon_keys() or not _plausible_org(name) or name in self.drafts:
                continue
            sentence_start = max(self.text.rfind(". ", 0, m.start()), 0)
            near = listed(m.start())
            if near is None or near.start < sentence_start or m.start() - near.end > 150:
                continue
            self.add(name, self.drafts[near.name].kind, m.start("name"), m.end("name"), _CUE, match={name})
            new.append(self.hits[-1])
        self.place(new)

    def slot_names(self) -> None:
        """``Zorbelo a formé un recours``, ``par Paul Martin``: a bare name in a trigger's slot."""
        starts = [h.start for h in self.accepted]

        def taken(start: int, end: int) -> bool:
            index = bisect_left(starts, end)
            return bool(index) and self.accepted[index - 1].end > start

        known = {key(form) for d in self.drafts.values()
                 for form in (d.short or "", *d.match_forms, *d.aliases)}
        new: list[_Hit] = []
        for found in find_slot_names(self.text, taken):
            if key(found.name) in known:  # "Le TA a rejeté": a form the dynamic rule will resolve
                continue
            longer = self.shortened(found.name)
            if longer is not None:  # "la Commission" in an article naming the Commission européenne
                new.append(_Hit(found.span.start, found.span.end, longer, _GENERIC))
                continue
            canonical, kind = self.canonical(found.name, found.kind)
            if kind == "Other":  # "Banque Rhodanienne de Crédit a fait appel": the head noun tells
                kind = _named_head_kind(found.name) or kind
            surname = found.name.split()[-1]
            match = {found.name} | ({surname} if kind == "Person" and len(surname) >= 3 else set())
            self.add(canonical, kind, found.span.start, found.span.end, _GENERIC, match=match)
            new.append(self.hits[-1])
        self.place(new)

    def shortened(self, name: str) -> str | None:
        """The one organisation whose name ``name`` begins (``Commission`` for ``Commission européenne``):
        a body named in full once is then called by its head noun."""
        head = key(name) + " "
        owners = [d.name for d in self.drafts.values() if d.kind != "Person" and key(d.name).startswith(head)]
        return owners[0] if len(owners) == 1 else None

    def bare_offices(self) -> None:
        """``le ministre de la santé`` with no name: the person who holds that office."""
        persons = [d for d in self.drafts.values() if d.kind == "Person" and d.role]
        by_role: dict[str, list[str]] = {}  # folded role, and the office word it starts with -> persons
        by_head: dict[str, list[str]] = {}
        for person in persons:
            by_role.setdefault(key(person.role or ""), []).append(person.name)
            by_head.setdefault(_role_head(person), []).append(person.name)
        order = {person.name: n for n, person in enumerate(persons)}
        new: list[_Hit] = []
        for m in _patterns()["office"].finditer(self.ftext):
            named = m.group("name") is not None
            if named and _name_start(self.ftext, m.start("name"), m.end("name")) is not None:
                continue
            role = key(self.text[m.start("head"):m.end("comp")])
            head = key(m.group("head"))
            holders = set(by_role.get(role, [])) | set(by_head.get(head, []) if role == head else [])
            match = sorted(holders, key=order.__getitem__)
            if match:
                chosen = self.closest(match, m.start())
                end = m.end("comp")
                new.append(_Hit(m.start(), end, chosen, _PERSON))
                self.drafts[chosen].aliases.append(self.text[m.start():end])
            elif not named:
                new += self.ministry_of_office(m)
        self.place(new)

    def ministry_of_office(self, m: re.Match[str]) -> list[_Hit]:
        """``Le ministre de l'Intérieur s'est engagé``, no holder named: the minister speaks for the
        ministry, which becomes the actor, the office written kept as its alias."""
        portfolio = _patterns()["portfolio"].match(self.ftext, m.end("head"))
        if key(m.group("head")) not in _ministerial_offices() or portfolio is None:
            return []
        written = self.text[portfolio.start():portfolio.end()].strip()
        comp = _MINISTRY_COMPLEMENT.sub(_genitive, written, count=1)
        name, kind = self.canonical("Ministère " + " ".join(comp.split()), "Government")
        draft = self.drafts.setdefault(name, _Draft(name, kind, _GENERIC))
        draft.aliases.append(" ".join(self.text[m.start("head"):portfolio.end()].split()))
        return [_Hit(m.start(), portfolio.end(), name, _GENERIC)]

    def dynamic(self) -> None:
        """Acronyms, names and surnames found above, looked for again in the whole text."""
        owners: dict[str, list[str]] = {}
        for draft in self.drafts.values():
            for form in draft.match_forms:
                for variant in search_forms(form, strict=draft.kind == "Person" or is_acronym(form)):
                    owners.setdefault(variant, []).append(draft.name)
        new = []
        eponym = re.compile(rf"(?:{_alternation(_cues()['eponym_words'])})\s+$")
        for start, end, form in FormMatcher({f: f for f in owners}).find(self.ftext):
            chosen = self.closest(owners[form], start)
            if self.drafts[chosen].kind == "Person" and eponym.search(self.ftext[max(0, start - 30):start]):
                continue
            new.append(_Hit(start, end, chosen, _DYNAMIC))
        self.place(new)

    def anaphors(self) -> None:
        """``l’autorité``, ``le juge``, ``les députés``: the latest actor of that kind (or name);
        ``au ministère``, ``du juge``: the same phrases with their article contracted."""
        rules = {key(a["phrase"]): a for a in _cues()["anaphors"]}
        lookbacks: dict[tuple[str, str], Callable[[int], _Hit | None]] = {}
        starts = {h.start: self.drafts[h.name].kind for h in self.accepted}
        new = []
        for m in _patterns()["anaphor"].finditer(self.ftext):
            start = m.start("rest") if m.group("rest") else m.start()
            article = ("les " if key(m.group("prep")) == "aux" else "le ") if m.group("rest") else ""
            rule = rules.get(key(article + self.ftext[start:m.end()]))
            if rule is None or starts.get(_owner_start(self.ftext, m.end())) == rule["kind"]:
                continue  # "le juge des référés du tribunal de X": the member of the body named after it
            phrase = key(rule["phrase"])
            # in the lexicon's order of preference: "la plateforme" is a public one when the article
            # named one, else a company's; "les députés requérants" a group of deputies, else the chamber
            target = None
            for choice in _preferences(rule):
                if (phrase, choice) not in lookbacks:
                    lookbacks[(phrase, choice)] = self.lookback(partial(_fits, rule=_narrowed(rule, choice)))
                target = target or lookbacks[(phrase, choice)](m.start())
            if target is not None:
                new.append(_Hit(start, m.end(), target.name, _ANAPHOR))
            elif rule.get("default") in _institutions():
                entry = _institutions()[rule["default"]]
                default = _Draft(entry["name"], entry["kind"], _ANAPHOR, entry.get("short"))
                self.drafts.setdefault(entry["name"], default)
                new.append(_Hit(start, m.end(), entry["name"], _ANAPHOR))
        self.place(new)

    def absorb_brands(self) -> None:
        """``Google`` in an article naming ``Google LLC`` means that company (the shortest such name)."""
        for brand in [d for d in self.drafts.values() if d.kind == "Company"]:
            entities = [d for d in self.drafts.values()
                        if d.kind == "Company" and d.name.startswith(brand.name + " ")]
            if not entities:
                continue
            target = min(entities, key=lambda d: len(d.name.split()))
            target.aliases.extend([brand.name, *brand.aliases])
            self.accepted = [_Hit(h.start, h.end, target.name, h.rank) if h.name == brand.name else h
                             for h in self.accepted]
            del self.drafts[brand.name]

    # ---- result

    def index(self) -> ActorIndex:
        text = self.text
        mentions = tuple(Mention(Span(h.start, h.end, text[h.start:h.end]), h.name) for h in self.accepted)
        order = list(dict.fromkeys(m.key for m in mentions))
        return ActorIndex(tuple(_actor(self.drafts[name]) for name in order), mentions)


# --------------------------------------------------------------------------- helpers


# "chargée du Numérique", "délégué aux Transports": the attribute before a minister's portfolio
_MINISTRY_COMPLEMENT = re.compile(
    r"^(?:(?:en\s+charge|chargée?|déléguée?)\s+)?(?P<prep>à\s+la|à\s+l['’]|aux|au)?", re.IGNORECASE)
_GENITIVES = {"à la": "de la ", "à l'": "de l'", "à l’": "de l’", "aux": "des", "au": "du"}


def _genitive(found: re.Match[str]) -> str:
    """The ministry's own preposition for the minister's (``délégué aux Transports``: ``des Transports``)."""
    prep = found.group("prep")
    return _GENITIVES.get(" ".join(prep.lower().split()), "") if prep else ""


@cache
def _ministerial_offices() -> frozenset[str]:
    return frozenset(key(word) for word in _cues()["ministerial_offices"])


def _coverage(hits: list[_Hit]) -> Callable[[int], bool]:
    """A function telling whether one of ``hits`` (which may overlap) covers an offset: the hits
    starting at or before it, sorted, with the furthest end reached among them."""
    ordered = sorted(hits, key=lambda h: h.start)
    starts = [h.start for h in ordered]
    reach = list(accumulate((h.end for h in ordered), max))

    def covered(offset: int) -> bool:
        count = bisect_right(starts, offset)
        return bool(count) and reach[count - 1] > offset
    return covered


def _actor(draft: _Draft) -> Actor:
    """The final actor: canonical name, its spellings, short name and the surface forms seen."""
    forms = [*spelling_variants(draft.name), *([draft.short] if draft.short else []),
             *draft.aliases]
    seen = dict.fromkeys(f for f in (" ".join(form.split()) for form in forms) if f and f != draft.name)
    return Actor(draft.name, draft.kind, draft.short, tuple(seen), draft.role)


def _long_form_start(ftext: str, paren: int, acro: str) -> int | None:
    """Where the long form of ``acro`` begins before ``paren`` (Schwartz & Hearst's walk back).

    Each letter of the acronym, last first, is found further left in the
    text; the first one must begin a word.  A long form starting with a
    lower-case word is extended to the capitalised word before it
    (``Agence européenne des médicaments (EMA)``).
    """
    window_start = max(ftext.rfind(". ", 0, paren) + 2, 0, paren - 150)
    lowered = ftext[window_start:paren].lower()
    letters = [c.lower() for c in acro if c.isalnum()]
    s = len(lowered) - 1
    for i in range(len(letters) - 1, -1, -1):
        while s >= 0 and (lowered[s] != letters[i] or (i == 0 and s > 0 and lowered[s - 1].isalnum())):
            s -= 1
        if s < 0:
            return None
        s -= 1
    start = window_start + s + 1
    if len(ftext[start:paren].split()) > min(len(letters) + 5, 2 * len(letters) + 2):
        return None
    if ftext[start].islower():
        previous = re.search(rf"({_CAP})\s+$", ftext[window_start:start])
        if previous and previous.group(1) not in _cues()["name_stopwords"]:
            start = window_start + previous.start(1)
    return start


def _head_kind(long_form: str) -> ActorKind | None:
    """The kind a long name's first words imply; a title-case name of unknown head is Other."""
    named = _named_head_kind(long_form)
    if named is not None:
        return named
    words = [w for w in long_form.split() if len(w) >= 4]
    return "Other" if words and all(w[0].isupper() for w in words) else None


def _named_head_kind(name: str) -> ActorKind | None:
    """The kind a name's head noun implies (``Banque …``, ``Laboratoires …``, ``Fédération …``), if any."""
    folded = key(name)
    for head, kind in _head_kinds():
        if folded == head or folded.startswith(head + " "):
            return kind
    return None


@cache
def _head_kinds() -> tuple[tuple[str, ActorKind], ...]:
    heads = sorted(_cues()["head_kinds"].items(), key=lambda kv: len(kv[0]), reverse=True)
    return tuple((key(head), cast(ActorKind, kind)) for head, kind in heads)


def _owner_start(ftext: str, end: int) -> int:
    """Where a body named right after a phrase starts (``… du tribunal``), else -1."""
    owner = re.match(r"\s+(?:du\s+|des\s+|de\s+la\s+|de\s+l'|d')", ftext[end:end + 12])
    return end + owner.end() if owner else -1


def _contracted(rule: dict[str, Any]) -> str:
    """``le ministère`` is also written ``au ministère``, ``du ministère``: the phrase without its
    article when that article contracts with ``à``/``de`` (``le``, ``les``), else ``""``."""
    phrase = str(rule["phrase"])
    article = next((a for a in ("le ", "les ") if phrase.lower().startswith(a)), "")
    return phrase[len(article):] if article else ""


def _preferences(rule: dict[str, Any]) -> list[str]:
    """What an anaphor may stand for, best first: its name prefixes, then its kinds when it lists
    both (``la haute juridiction``: a supreme court named earlier, else the latest court)."""
    prefixes = list(rule.get("name_prefixes") or ())
    kinds = list(rule.get("kinds") or ())
    if prefixes:
        return prefixes + kinds
    return kinds or [rule["kind"]]


def _narrowed(rule: dict[str, Any], choice: str) -> dict[str, Any]:
    """``rule`` restricted to one of its preferences."""
    if choice in (rule.get("name_prefixes") or ()):
        return {**rule, "name_prefixes": [choice]}
    return {**rule, "name_prefixes": None, "kind": choice}


def _fits(draft: _Draft, rule: dict[str, Any]) -> bool:
    """Whether an anaphor rule may stand for ``draft``."""
    if draft.kind in (rule.get("not_kinds") or ()):
        return False
    prefixes = rule.get("name_prefixes")
    if prefixes:
        return any(key(draft.name).startswith(key(p)) for p in prefixes)
    # a name the finder could not type ("Velnor Réseaux", "Orvane") is most often a company's
    return draft.kind == rule["kind"] or (rule["kind"] == "Company" and draft.kind == "Other")


def _name_start(ftext: str, start: int, end: int) -> int | None:
    """Where a person's name begins once sentence words (``Selon``, ``Le``, a month) are dropped.

    None when fewer than two tokens remain: a single capitalised word is too
    often something else to be taken for a person.
    """
    tokens = list(re.finditer(r"\S+", ftext[start:end]))
    stop = {fold(w) for w in _cues()["name_stopwords"]}
    while tokens and tokens[0].group() in stop:
        tokens.pop(0)
    return start + tokens[0].start() if len(tokens) >= 2 else None


def _name_tail(name: str, tail: str) -> bool:
    """Lower-case words that still belong to a name: a linking word and its noun (``Cahiers en
    ligne``), or one adjective agreeing with a plural name (``Vigie Droits numériques``: a
    verb of the third person never ends in -s)."""
    words = tail.split()
    if words[0] in _cues()["name_links"]:
        return len(words) == 2
    plural = ("s", "x")
    return (len(words) == 1 and name.endswith(plural) and words[0].endswith(plural)
            and words[0] not in _cues()["name_links"] and words[0] not in _cues()["tail_stopwords"])


# the lower-case words of an association's name, ``Vie privée numérique``, ``Sauvegarde du plateau
# de l'Authie``: nouns and adjectives, with the particles that link them
_NAME_WORD = re.compile(r"\s+(?:(?:de\s+la|de\s+l'|du|des|de|d')\s*)?(?P<word>[\w-]+)(?!')")


def _association_end(ftext: str, end: int, verbs: frozenset[int]) -> int:
    """Where an association's name ends when it runs on in lower case after its first word: French
    names capitalise only their first word.  The run ends at a punctuation mark or at a word no name
    goes on with (an auxiliary, a preposition, a date word, a trigger verb: ``Terres vivantes saisit``);
    a run longer than six words is no name, and ``X estime que`` keeps its verb out."""
    stop = _tail_breaks()
    position = end
    for _ in range(6):
        word = _NAME_WORD.match(ftext, position)
        if word is None or word.start("word") in verbs or word.group("word")[0].isdigit() \
                or key(word.group("word")) in stop:
            # "X estime le 4 mai": a name does not run on into a verb and its object
            return end if word is not None and key(word.group("word")) in _determiners() else position
        if re.match(r"\s+qu(?:e\s|')", ftext[word.end():word.end() + 5]):
            return position
        position = word.end()
    return end


@cache
def _determiners() -> frozenset[str]:
    return frozenset({"le", "la", "les", "un", "une", "l"})


@cache
def _tail_breaks() -> frozenset[str]:
    """Words after which, or at which, no association name goes on."""
    cues = _cues()
    words = {key(w) for w in cues["name_stopwords"] + cues["tail_stopwords"] + cues["name_links"]}
    return frozenset(words | {key(w) for w in cues["name_breaks"]})


def _sentence_opening(ftext: str, start: int) -> bool:
    """A word opening a sentence is capitalised whatever it is (``Collectif, il a …``)."""
    return bool(re.search(r"(?:^|[.!?:]\s+|\n)$", ftext[max(0, start - 3):start]))


def _plausible_org(name: str) -> bool:
    """An organisation's name: not a sentence word, unless an article starting a longer name."""
    words = name.split()
    article = words[0] in {"Le", "La", "Les", "L"} and len(words) > 1
    return words[0] not in _cues()["name_stopwords"] or article


def _article(head: str, det: str) -> str:
    """The definite article of an office: the one written, else the lexicon's."""
    if det in {"le", "la", "l'"}:
        return det
    for office in _cues()["offices"]:
        if key(office["word"]) == key(head):
            return str(office["article"])
    return "le"


def _with_article(article: str, words: str) -> str:
    return f"{article}{words}" if article.endswith(("'", "’")) else f"{article} {words}"


def _role_head(person: _Draft) -> str:
    """The office word that starts a person's role (``ministre`` of ``ministre de la santé``)."""
    role = key(person.role or "")
    heads = sorted((key(o["word"]) for o in _cues()["offices"]), key=len, reverse=True)
    return next((h for h in heads if role == h or role.startswith(h + " ")), role)
