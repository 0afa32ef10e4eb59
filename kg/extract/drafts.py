"""The values event extraction builds: drafts of events, where they are mentioned, per-sentence groups.

A ``Draft`` is an event still being completed: sentences add mentions to it,
relations.py links it to others, and ``extract`` finally freezes it into an
``Event``.  A ``Group`` is the mention of one event in one sentence (its
trigger and the support verbs that govern it); ``Context`` is what every step
of reading an article needs to see.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
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
    # Caches tied to the very ``evidence`` list they were computed from (and its length), so that an act
    # named in every sentence of a long text is not rescanned at each new mention or each comparison.
    _held: tuple[list[Span], set[Span]] | None = field(default=None, init=False, repr=False)
    _first: tuple[list[Span], int, int] | None = field(default=None, init=False, repr=False)

    @property
    def start(self) -> int:
        """Where the act is first told: the smallest start of its evidence."""
        cached = self._first
        if cached is None or cached[0] is not self.evidence or cached[1] != len(self.evidence):
            cached = self._first = (self.evidence, len(self.evidence), min(s.start for s in self.evidence))
        return cached[2]

    def add_evidence(self, spans: Iterable[Span]) -> None:
        """Append the spans not held yet, in order."""
        held = self._held
        if held is None or held[0] is not self.evidence or len(held[1]) != len(self.evidence):
            held = self._held = (self.evidence, set(self.evidence))
        for span in spans:
            if span not in held[1]:
                held[1].add(span)
                self.evidence.append(span)

    def add_triggers(self, triggers: Iterable[Trigger]) -> None:
        """Keep one trigger per way the act was named: its kind, voice and whether it appeals a
        ruling are all that merging and relations read of later triggers (the first one's
        determiner aside), and an act named in every sentence of a long text stays small."""
        seen = {_usage(t) for t in self.triggers}
        for trigger in triggers:
            if _usage(trigger) not in seen:
                seen.add(_usage(trigger))
                self.triggers.append(trigger)


def _usage(trigger: Trigger) -> tuple[str, bool, bool]:
    return trigger.kind, trigger.appeal_of_ruling, trigger.passive


@dataclass(frozen=True)
class Occurrence:
    """Where a draft is mentioned: relations read these sentence by sentence."""

    draft: Draft
    sentence: int
    span: Span  # the trigger
    anaphor: bool = False  # ``cette décision``: refers to an event, adds no evidence


@dataclass
class Reading:
    """The events of an article before relations: drafts, their occurrences, the sentences.

    ``drafts`` and ``occurrences`` only ever grow, in the order sentences are read; the lookups
    below index what was appended since their last call, so each costs what it returns rather
    than a pass over the whole article.
    """

    drafts: list[Draft]
    occurrences: list[Occurrence]
    sentences: list[Span]
    _index: _Index | None = field(default=None, init=False, repr=False)

    def in_sentence(self, index: int, by_position: bool = True) -> list[Occurrence]:
        """The occurrences of sentence ``index``, in text order (else in the order they were added)."""
        found = self._indexed().by_sentence.get(index, [])
        return sorted(found, key=lambda o: o.span.start) if by_position else list(found)

    def sentences_of(self, draft: Draft) -> set[int]:
        """The sentences naming ``draft`` itself (not by an anaphor)."""
        return set(self._indexed().sentences.get(id(draft), ()))

    def of_type(self, *types: str, first: int = 0, last: int | None = None) -> list[Draft]:
        """Drafts of ``types`` first told in sentences ``first`` to ``last`` (both included), in
        reading order."""
        index = self._indexed()
        found: list[tuple[int, Draft]] = []
        for kind in types:
            drafts, sentences = index.by_type.get(kind, ([], []))
            stop = len(drafts) if last is None else bisect_left(sentences, last + 1)
            found += [(index.position[id(d)], d) for d in drafts[bisect_left(sentences, first):stop]]
        return [d for _, d in sorted(found, key=lambda pair: pair[0])]

    def recent(self, kind: str, since: int) -> list[Draft]:
        """Drafts of type ``kind`` told (named or referred to) in sentence ``since`` or later, in
        reading order."""
        index = self._indexed()
        found = []
        for draft in reversed(index.recency.get(kind, {}).values()):
            if index.last_told[id(draft)] < since:
                break
            found.append(draft)
        return sorted(found, key=lambda d: index.position[id(d)])

    def iter_type(self, kind: str) -> Iterator[Draft]:
        """Drafts of type ``kind`` in reading order, lazily: a search that stops early stays cheap."""
        drafts = self._indexed().by_type.get(kind, ([], []))[0]
        return iter(drafts)

    def sentence_at(self, offset: int) -> int:
        """The number of the sentence holding (or last starting before) ``offset``."""
        return max(bisect_left(self._indexed().starts, offset + 1) - 1, 0)

    def _indexed(self) -> _Index:
        index = self._index
        if index is None or index.occurrences is not self.occurrences or index.drafts is not self.drafts \
                or index.sentences_read is not self.sentences:
            index = self._index = _Index(self.occurrences, self.drafts, self.sentences)
        index.update()
        return index


class _Index:
    """Occurrences by sentence and by draft, drafts by type: what relations look up."""

    def __init__(self, occurrences: list[Occurrence], drafts: list[Draft], sentences: list[Span]) -> None:
        self.occurrences, self.drafts, self.sentences_read = occurrences, drafts, sentences
        self.starts = [s.start for s in sentences]
        self.by_sentence: dict[int, list[Occurrence]] = {}
        self.sentences: dict[int, dict[int, None]] = {}  # id(draft) -> its sentences, in order
        self.by_type: dict[str, tuple[list[Draft], list[int]]] = {}  # drafts and their first sentences
        self.position: dict[int, int] = {}  # id(draft) -> place in ``drafts``
        self.recency: dict[str, OrderedDict[int, Draft]] = {}  # per type, the draft told last at the end
        self.last_told: dict[int, int] = {}  # id(draft) -> the last sentence naming or referring to it
        self.seen_occurrences = self.seen_drafts = 0

    def update(self) -> None:
        for number, draft in enumerate(self.drafts[self.seen_drafts:], self.seen_drafts):
            drafts, sentences = self.by_type.setdefault(draft.type, ([], []))
            drafts.append(draft)
            sentences.append(draft.sentence)
            self.position[id(draft)] = number
            self._told(draft, draft.sentence)
        self.seen_drafts = len(self.drafts)
        for occurrence in self.occurrences[self.seen_occurrences:]:
            self.by_sentence.setdefault(occurrence.sentence, []).append(occurrence)
            if not occurrence.anaphor:
                self.sentences.setdefault(id(occurrence.draft), {})[occurrence.sentence] = None
            if id(occurrence.draft) in self.position:
                self._told(occurrence.draft, occurrence.sentence)
        self.seen_occurrences = len(self.occurrences)

    def _told(self, draft: Draft, sentence: int) -> None:
        recency = self.recency.setdefault(draft.type, OrderedDict())
        recency[id(draft)] = draft
        recency.move_to_end(id(draft))
        self.last_told[id(draft)] = max(sentence, self.last_told.get(id(draft), sentence))


@dataclass
class Context:
    article: Article
    norm: str
    dates: Sequence[DateMention]  # read in text order
    actors: MentionIndex
    acts: MentionIndex
    kinds: dict[str, str] = field(default_factory=dict)  # actor name -> kind (Court, Person...)
    last_subject: list[str] = field(default_factory=list)
    _date_starts: list[int] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        self.dates = sorted(self.dates, key=lambda d: d.span.start)
        self._date_starts = [d.span.start for d in self.dates]

    def dates_within(self, start: int, end: int) -> Sequence[DateMention]:
        """The date mentions starting in ``[start, end)``, in text order (a binary search: sentences
        ask for theirs one by one, and a scan of the article's dates each time made long texts
        quadratic)."""
        return self.dates[bisect_left(self._date_starts, start):bisect_left(self._date_starts, end)]


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
