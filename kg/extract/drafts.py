"""The values event extraction builds: drafts of events, where they are mentioned, per-sentence groups.

A ``Draft`` is an event still being completed: sentences add mentions to it,
relations.py links it to others, and ``extract`` finally freezes it into an
``Event``.  A ``Group`` is the mention of one event in one sentence (its
trigger and the support verbs that govern it); ``Context`` is what every step
of reading an article needs to see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from kg.extract.triggers import Trigger
from kg.models import Article, DateMention, EventType, Mention, Outcome, Relation, SectionKind, Span


class MentionIndex(Protocol):
    """What events need of the actor and legal-act indexes: the mentions within a stretch."""

    def within(self, start: int, end: int) -> list[Mention]: ...


@dataclass(eq=False)
class Draft:
    """An event under construction: mutable while sentences are read and relations linked."""

    type: EventType
    sense: str
    section: SectionKind
    triggers: list[Trigger]
    evidence: list[Span]
    sentence: int  # index of the first sentence mentioning it
    date: DateMention | None = None
    deadline: DateMention | None = None
    agents: list[str] = field(default_factory=list)
    addressees: list[str] = field(default_factory=list)
    legal_acts: list[str] = field(default_factory=list)
    outcome: Outcome | None = None
    expected: bool = False
    bare: bool = True  # no date and no agent of its own: may be a later mention of another event
    appellants: bool = False  # its agent is "les requérants": the appellants of the appeal
    continuation: bool = False  # a sentence-initial participle (``Prononcées par ...``) of the last event
    relative_to: int | None = None  # its date counts from the act named at this offset
    dated_before: DateMention | None = None  # another act's date counts from this one's (``au lendemain de``)
    related: list[tuple[Relation, Draft]] = field(default_factory=list)
    # "condamné X à 100 M€ et Y à 35 M€": one penalty per addressee, with the words telling its share
    shares: list[tuple[str, Span]] = field(default_factory=list)

    @property
    def start(self) -> int:
        return min(span.start for span in self.evidence)


@dataclass(frozen=True)
class Occurrence:
    """Where a draft is mentioned: relations read these sentence by sentence."""

    draft: Draft
    sentence: int
    span: Span  # the trigger
    anaphor: bool = False  # ``cette décision``: refers to an event, adds no evidence


@dataclass
class Reading:
    """The events of an article before relations: drafts, their occurrences, the sentences."""

    drafts: list[Draft]
    occurrences: list[Occurrence]
    sentences: list[Span]


@dataclass
class Context:
    article: Article
    norm: str
    dates: Sequence[DateMention]
    actors: MentionIndex
    acts: MentionIndex
    last_subject: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Group:
    """The mention of one event in one sentence: its triggers and where its arguments may lie."""

    trigger: Trigger
    supports: list[Trigger] = field(default_factory=list)
    draft: Draft | None = None

    @property
    def spans(self) -> list[Span]:
        return [self.trigger.span, *(s.span for s in self.supports)]


def clause_of(clauses: list[Span], offset: int) -> int:
    for number, clause in enumerate(clauses):
        if clause.start <= offset < clause.end:
            return number
    return max((n for n, c in enumerate(clauses) if c.start <= offset), default=0)


def unique(keys: list[str]) -> list[str]:
    return list(dict.fromkeys(keys))
