"""The typed values that flow between the pipeline's steps.

reader -> Article -> extract -> Extraction -> rdf -> quads -> store.
Every step takes and returns these frozen dataclasses, so a step can be
tested alone and replaced without touching the others.  Offsets are always
0-based Unicode code-point offsets into ``Article.text``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Precision = Literal["day", "month", "year"]
SectionKind = Literal["body", "comment"]
EventType = Literal[
    "Publication", "Appeal", "Hearing", "Ruling", "Request", "Opinion",
    "Letter", "Commitment", "Disclosure", "Sanction", "Statement",
]
ActorKind = Literal[
    "Court", "RegulatoryAuthority", "Government", "Person", "Company",
    "Association", "PressOutlet", "Parliament", "EUInstitution", "PublicBody", "Other",
]
LegalActKind = Literal[
    "Law", "Decree", "Order", "Ordinance", "Deliberation", "CourtDecision",
    "Contract", "Regulation", "Directive", "Other",
]
Outcome = Literal["rejected", "annulled", "suspended", "upheld", "partially_granted", "granted"]
Relation = Literal["decides", "responds_to", "targets", "discloses", "follows"]

EVENT_TYPES: tuple[EventType, ...] = EventType.__args__  # type: ignore[attr-defined]
ACTOR_KINDS: tuple[ActorKind, ...] = ActorKind.__args__  # type: ignore[attr-defined]
LEGAL_ACT_KINDS: tuple[LegalActKind, ...] = LegalActKind.__args__  # type: ignore[attr-defined]
OUTCOMES: tuple[Outcome, ...] = Outcome.__args__  # type: ignore[attr-defined]
RELATIONS: tuple[Relation, ...] = Relation.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Span:
    """A stretch of ``Article.text``: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Section:
    """The article body or one reader comment, as a range of ``Article.text``.

    Comments are kept apart because a reader's claim is not the outlet's.
    """

    kind: SectionKind
    start: int
    end: int
    published: datetime | None = None


@dataclass(frozen=True)
class Article:
    """One news article as read from disk: the whole text and where its parts lie."""

    id: str
    title: str
    published: datetime  # timezone-aware (Europe/Paris when the source gives local time)
    text: str
    sections: tuple[Section, ...]
    source: str | None = None
    categories: tuple[str, ...] = ()

    @property
    def body(self) -> Section:
        return next(s for s in self.sections if s.kind == "body")

    def section_at(self, offset: int) -> Section:
        """The section holding ``offset`` (the body when none does)."""
        for section in self.sections:
            if section.start <= offset < section.end:
                return section
        return self.body


@dataclass(frozen=True)
class TimeValue:
    """A calendar date known to a day, a month or a year.

    The precision lives in which fields are set, so ``2022-11`` is never
    turned into a made-up ``2022-11-01``.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.day is not None:
            date(self.year, self.month or 1, self.day)  # raises on 31 February

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def iso(self) -> str:
        """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``: the schema's and xsd's lexical forms."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        if self.day is not None:
            return self.first_day()
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @classmethod
    def from_date(cls, value: date) -> TimeValue:
        return cls(value.year, value.month, value.day)

    @classmethod
    def parse(cls, text: str) -> TimeValue:
        """Read ``YYYY[-MM[-DD]]``."""
        parts = [int(p) for p in text.split("-")]
        return cls(*parts)


@dataclass(frozen=True)
class Offset:
    """A relative amount of time (``d'ici deux ans`` = 2 years) still to be anchored."""

    years: int = 0
    months: int = 0
    days: int = 0


@dataclass(frozen=True)
class DateMention:
    """A date expression found in the text by the temporal tagger.

    ``role`` says what the expression is: a point in time the event happened
    (or will happen), a deadline, or a duration (never turned into a date).
    A relative deadline (``d'ici deux ans``) keeps its ``offset`` so the event
    extractor can anchor it on the event it belongs to; ``value`` then holds
    the reading anchored on the publication date as a fallback.
    """

    span: Span
    role: Literal["point", "deadline", "duration"]
    value: TimeValue | None
    offset: Offset | None = None
    future: bool = False  # "attendu le 16 juillet", "prochain": not yet happened
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """Where an actor or a legal act is named (or referred to) in the text."""

    span: Span
    key: str  # the canonical name of the actor or label of the legal act


@dataclass(frozen=True)
class Actor:
    name: str
    kind: ActorKind
    short: str | None = None
    aliases: tuple[str, ...] = ()
    role: str | None = None  # for a person: the office held


@dataclass(frozen=True)
class LegalAct:
    label: str
    kind: LegalActKind
    date: TimeValue | None = None
    aliases: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()  # NOR, ELI, ECLI, decision numbers, as written


@dataclass(frozen=True)
class RelatedEvent:
    relation: Relation
    event: str  # Event.id of another event of the same extraction


@dataclass(frozen=True)
class Event:
    id: str  # local to the article, stable for the same text
    type: EventType
    label: str
    section: SectionKind
    evidence: tuple[Span, ...]
    date: TimeValue | None = None
    date_text: str | None = None
    deadline: TimeValue | None = None
    agents: tuple[str, ...] = ()  # canonical actor names
    addressees: tuple[str, ...] = ()
    legal_acts: tuple[str, ...] = ()  # legal act labels
    outcome: Outcome | None = None
    related: tuple[RelatedEvent, ...] = ()
    flags: tuple[str, ...] = ()
    expected: bool = False  # announced for the future, not asserted as done


@dataclass(frozen=True)
class Extraction:
    """Everything read from one article: the input of the RDF mapping and of ``--format json``."""

    article: Article
    events: tuple[Event, ...]
    actors: tuple[Actor, ...]
    legal_acts: tuple[LegalAct, ...] = ()
    extractor_version: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The shape of ``extraction.schema.json`` (also the gold files' shape)."""
        article = self.article
        return {
            "document": {
                "id": article.id,
                "title": article.title,
                "published": article.published.isoformat(),
                **({"source": article.source} if article.source else {}),
            },
            "events": [_event_json(e) for e in self.events],
            "actors": [
                {"name": a.name, "short": a.short, "kind": a.kind,
                 "aliases": list(a.aliases), "role": a.role}
                for a in self.actors
            ],
            "legal_acts": [
                {"label": act.label, "kind": act.kind,
                 "date": act.date.iso() if act.date else None,
                 "aliases": list(act.aliases), "identifiers": list(act.identifiers)}
                for act in self.legal_acts
            ],
        }


def _event_json(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.type,
        "label": event.label,
        "date": event.date.iso() if event.date else None,
        "precision": event.date.precision if event.date else None,
        "date_text": event.date_text,
        "deadline": event.deadline.iso() if event.deadline else None,
        "agents": list(event.agents),
        "addressees": list(event.addressees),
        "legal_acts": list(event.legal_acts),
        "outcome": event.outcome,
        "related": [{"relation": r.relation, "event": r.event} for r in event.related],
        "section": event.section,
        "evidence": [{"text": s.text, "start": s.start, "end": s.end} for s in event.evidence],
        "flags": list(event.flags),
        "expected": event.expected,
    }
