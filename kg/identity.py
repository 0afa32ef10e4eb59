"""What makes two articles talk about the same legal act or the same real event.

IRIs are derived from one article's content alone, never from what the store
already holds: the same text always gives the same quads (re-ingest stays
idempotent), the order articles arrive in does not matter, and deleting one
article cannot change another's IRIs.  Merging across articles therefore
happens through keys that two articles reporting the same thing compute alike.

Legal acts (``legal_act_key``), first rule that applies:

1. an official identifier, from ``LegalAct.identifiers`` or written in the
   label or an alias: ELI, then ECLI, then NOR (global identifiers: the key is
   the identifier alone); then a number (``n° 2020-650``, ``n° 444937``,
   ``(UE) 2016/679``), scoped by the act's kind since decrees, deliberations
   and courts number in separate series.  In a label or alias a number counts
   only near its head (``décret n° 2020-650 du…``), not in ``…modifiant le
   décret n° …`` which names another act;
2. kind + day for the kinds the press names by their date (``décret du 21
   avril 2020``): laws, decrees, orders, ordinances, deliberations, EU
   regulations and directives.  Court decisions and contracts are not merged
   by date: a court gives many decisions a day;
3. kind + folded label.

Two identifiers of one act (a number in one article, its ECLI in another)
still give two IRIs: matching them needs a registry, not one article.

Real events (``event_key``), from the event type, the IRIs of its agents,
addressees and legal acts (the *participants*), and its date:

- a publication with legal acts is identified by its acts alone (an act is
  published once; who signed it is incidental); other events by who did it
  (agents), to whom (addressees) and on what (legal acts);
- an event is *pinned* when it concerns a legal act, or has both agents and
  addressees: a pinned event dated to the day or the month is keyed by its
  **month**.  Two reports of one event often differ in precision (``le 19
  novembre`` / ``en novembre``) or by a day (decision / announcement); within
  one month, the same type with the same participants is one event, and a
  disagreement on the day stays visible as a date conflict;
- an unpinned event (agents only: ``le Conseil d'État a rejeté…``) needs its
  **day**: a court rules many times a month;
- an event with no date, or only a year, is keyed without date when it has
  legal acts and agents (or is a publication): an appeal by X against decree
  Y.  The years its reports give may then conflict;
- anything else has no key: too little to tell two real events apart, the
  article keeps its own IRI for it (no merge when key parts are missing).

The caller adds two more rules: events read in reader comments are never
merged with articles' assertions, and two events of one article with the same
key (the extractor saw two events) keep article-scoped IRIs.

What one article's keys cannot decide (a report that lacks an argument, a
ruling known only to its year, a ``décret`` another outlet calls ``arrêté``)
the store decides after each write, from every article's own reading:
``kg.reconcile``.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from kg.models import Event, LegalAct, TimeValue

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_ELI = re.compile(r"/eli/((?:[^/\s]+/){4}[^/\s]+)", re.IGNORECASE)  # type/yyyy/m/d/NOR-or-number
_ECLI = re.compile(r"\bECLI:[A-Z]{2}:[A-Z0-9]+:\d{4}:[A-Z0-9.:]*[A-Z0-9]", re.IGNORECASE)
_NOR = re.compile(r"\b[A-Z]{4}\d{7}[A-Z]\b")
_NUMBER_PREFIX = re.compile(r"^\s*(?:n[°ºo]\s*\.?|num[ée]ro)\s*", re.IGNORECASE)
_HEAD_NUMBER = re.compile(r"^\W*(?:[^\W\d]+['\s]+){1,3}?n[°ºo]\s*\.?\s*(\d[\w\-/.]*\w|\d)", re.IGNORECASE)
_DATED_KINDS = frozenset({"Law", "Decree", "Order", "Ordinance", "Deliberation", "Regulation", "Directive"})
_GLOBAL = ("eli", "ecli", "nor")  # identifier schemes by priority; numbers come after


def fold(name: str) -> str:
    """Lower-case, accents stripped, apostrophes unified: ``Conseil d’État`` == ``conseil d'etat``."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())


def slug(text: str) -> str:
    """A readable IRI segment for ``text``; a hash when nothing readable is left."""
    readable = re.sub(r"[\W_]+", "-", fold(text)).strip("-")
    return readable or "h-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def legal_act_key(act: LegalAct) -> str:
    """The IRI segment naming ``act`` in every article: identifier, else kind + day, else kind + label."""
    kind = slug(act.kind)
    found = [key for text in act.identifiers if (key := _identifier_key(text, kind))]
    for text in (act.label, *act.aliases):
        found.extend(_written_identifier_keys(text, kind))
    if found:
        return min(found, key=_identifier_rank)
    if act.kind in _DATED_KINDS and act.date is not None and act.date.precision == "day":
        return f"{kind}-{act.date.iso()}"
    return f"{kind}-{slug(act.label)}"


def _identifier_key(text: str, kind: str) -> str | None:
    """An identifier as written (``n° 2020-650``, an ELI URL, an ECLI, a NOR) as a key; None if empty."""
    written = _written_identifier_keys(text, kind, anywhere=True)
    if written:
        return min(written, key=_identifier_rank)
    number = _NUMBER_PREFIX.sub("", text).strip()
    return f"{kind}-{slug(number)}" if number else None


def _written_identifier_keys(text: str, kind: str, *, anywhere: bool = False) -> list[str]:
    """Identifiers written inside a label or an alias; a bare number only near its head."""
    keys = [f"eli-{slug(m.group(1))}" for m in _ELI.finditer(text)]
    keys += [f"ecli-{slug(m.group(0)[5:])}" for m in _ECLI.finditer(text)]
    keys += [f"nor-{m.group(0).lower()}" for m in _NOR.finditer(text)]
    if not keys and not anywhere and (head := _HEAD_NUMBER.match(text)):
        keys.append(f"{kind}-{slug(head.group(1))}")
    return keys


def _identifier_rank(key: str) -> tuple[int, str]:
    """ELI before ECLI before NOR before numbers; the key itself breaks ties, whatever the order written."""
    scheme = key.split("-", 1)[0]
    return (_GLOBAL.index(scheme) if scheme in _GLOBAL else len(_GLOBAL), key)


@dataclass(frozen=True)
class EventKey:
    """The identity of a real event: equal keys in two articles mean one event, one IRI."""

    type: str
    when: str  # "YYYY-MM-DD" (day key), "YYYY-MM" (month key) or "undated"
    participants: str

    @property
    def text(self) -> str:
        return f"{self.type}|{self.when}|{self.participants}"

    def digest(self) -> str:
        """A short fingerprint of the whole key, for the IRI."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


def event_key(
    event: Event, agents: Sequence[str], addressees: Sequence[str], acts: Sequence[str]
) -> EventKey | None:
    """The article-independent key of ``event`` (participants as IRIs); None when too little is known."""
    who, to, what = sorted(set(agents)), sorted(set(addressees)), sorted(set(acts))
    publication = event.type == "Publication" and bool(what)
    if publication:
        who, to = [], []
    participants = f"agents={' '.join(who)}|addressees={' '.join(to)}|acts={' '.join(what)}"
    pinned = bool(what) or bool(who and to)
    date = event.date
    if date is not None and date.month is not None and pinned:
        return EventKey(event.type, f"{date.year:04d}-{date.month:02d}", participants)
    if date is not None and date.day is not None and who:
        return EventKey(event.type, date.iso(), participants)
    if what and (who or publication):  # no date, or a year only: what and who pin it down
        return EventKey(event.type, "undated", participants)
    return None


def vaguer_buckets(
    event_type: str, agents: Sequence[str], addressees: Sequence[str], acts: Sequence[str],
    outcome: str | None, date: TimeValue | None,
) -> set[str]:
    """The ``lt:mergeSeek`` buckets of a keyless body report: where it finds the fuller reports it may join.

    None when it says too little: ``kg.reconcile`` merges a keyless report only
    when it gives two facts besides its date (agents, addressees, acts, outcome),
    and, undated, acts or both agents and addressees.  It looks *at* every prefix of
    its date (a fuller report known to the year or to the month), *in* its date
    when that is vague (one known to the day), and *at* no date when its facts
    are enough to name one event across every date.
    """
    facts = _facts(agents, addressees, acts, outcome)
    if not _mergeable(tuple(facts)) or (date is None and not _wide(tuple(facts))):
        return set()
    signature = _signature(event_type, facts, tuple(facts))
    if date is None:
        return {_bucket(signature, "at -"), _bucket(signature, "in *")}
    iso = date.iso()
    places = [f"at {period}" for period in _periods(iso)] + ([f"in {iso}"] if date.precision != "day" else [])
    return {_bucket(signature, place) for place in places + (["at -"] if _wide(tuple(facts)) else [])}


def fuller_buckets(
    event_type: str, agents: Sequence[str], addressees: Sequence[str], acts: Sequence[str],
    outcome: str | None, date: TimeValue | None,
) -> set[str]:
    """The ``lt:mergeKey`` buckets of a keyed body report: one per set of its facts a keyless report may
    give (``vaguer_buckets``), at its date, in each coarser period, and anywhere when the facts are enough.

    A keyed report of one actor and no outcome (most of them) stands in no bucket.
    """
    facts = _facts(agents, addressees, acts, outcome)
    buckets: set[str] = set()
    for size in range(2, len(facts) + 1):
        for names in itertools.combinations(facts, size):
            if not _mergeable(names):
                continue
            signature = _signature(event_type, facts, names)
            if date is None:
                places = ["at -"] if _wide(names) else []
            else:
                iso = date.iso()
                places = [f"at {iso}", *(f"in {period}" for period in _periods(iso)[:-1]),
                          *(["in *"] if _wide(names) else [])]
            buckets |= {_bucket(signature, place) for place in places}
    return buckets


def _facts(agents: Sequence[str], addressees: Sequence[str], acts: Sequence[str],
           outcome: str | None) -> dict[str, str]:
    values = {"agents": sorted(set(agents)), "addressees": sorted(set(addressees)), "acts": sorted(set(acts)),
              "outcome": [outcome] if outcome else []}
    return {name: " ".join(value) for name, value in values.items() if value}


def _mergeable(names: tuple[str, ...]) -> bool:
    """Facts a keyless report may give and still be merged: two at least, never agents with acts (keyed)."""
    return len(names) >= 2 and not {"agents", "acts"} <= set(names)


def _wide(names: tuple[str, ...]) -> bool:
    """Whether the facts name few enough events to be matched across every date: acts, or who and to whom."""
    return "acts" in names or {"agents", "addressees"} <= set(names)


def _periods(iso: str) -> list[str]:
    return [iso[:length] for length in (4, 7, 10) if length <= len(iso)]


def _signature(event_type: str, facts: dict[str, str], names: tuple[str, ...]) -> str:
    return "|".join([event_type, *(f"{name}={facts[name]}" for name in names)])


def _bucket(signature: str, place: str) -> str:
    """A short fingerprint: the index holds many, and an exact match needs no readable text."""
    return hashlib.sha1(f"{signature}|{place}".encode()).hexdigest()[:20]
