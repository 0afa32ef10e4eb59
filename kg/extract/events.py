"""Legal events read clause by clause: triggers grouped, their arguments filled, mentions merged.

Each sentence's triggers (triggers.py) become event mentions: a noun with the
support verbs that govern it (``une ordonnance rendue hier``), or a verb.  A
mention takes the date expression of its own clause, its agents from ``par``/
``de`` after a noun or from the subject before a verb, and its addressees from
role cues (``auprès de``, ``à``, ``devant``).  Mentions of one act within a
sentence (``Dans sa décision, ... a rejeté``) and across the article (``un
recours formé par X`` ... ``le recours de X``) are merged into one ``Draft``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from kg.extract.sentences import split_clauses
from kg.extract.triggers import TOKEN, Trigger, find_triggers, normalise
from kg.lexicons import load
from kg.models import Article, DateMention, EventType, Mention, Outcome, Relation, SectionKind, Span

_COORDINATION = re.compile(r"^\s*(?:,|et|ou)?\s*(?:(?P<prep>de|du|des|d'|à|au|aux)\s*)?(?:la |le |l'|les )?$")
_INFINITIVE_COMPLEMENT = re.compile(r"(?<!\w)(?:de|d'|à)\s*(?:\w+'|\w+\s+)?\w+(?:er|ir|re)(?!\w)")
_DATE_ONLY_WORDS = frozenset({"en", "dès", "depuis", "à", "au", "le", "la", "l'", "et", "début", "fin", "mi"})
# "aux demandes des services", "leurs engagements": with no actor, no date and no earlier act to
# refer to, these nouns name no event of their own.
_VAGUE_WHEN_BARE = frozenset({"Request", "Sanction", "Statement", "Commitment"})
_CONJUNCTIONS = frozenset({"et", "mais", "puis", "or", "donc"})
_PRONOUNS = frozenset({"il", "elle", "ils", "elles", "on", "qui"})


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
    continuation: bool = False  # a sentence-initial participle (``Décidées par ...``) of the last event
    relative_to: int | None = None  # its date counts from the act named at this offset
    dated_before: DateMention | None = None  # another act's date counts from this one's (``au lendemain de``)
    related: list[tuple[Relation, Draft]] = field(default_factory=list)

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
class _Context:
    article: Article
    norm: str
    dates: Sequence[DateMention]
    actors: MentionIndex
    acts: MentionIndex
    last_subject: list[str] = field(default_factory=list)


@dataclass(eq=False)
class _Group:
    """The mention of one event in one sentence: its triggers and where its arguments may lie."""

    trigger: Trigger
    supports: list[Trigger] = field(default_factory=list)
    draft: Draft | None = None

    @property
    def spans(self) -> list[Span]:
        return [self.trigger.span, *(s.span for s in self.supports)]


def find_events(article: Article, sentences: Sequence[Span], dates: Sequence[DateMention],
                actors: MentionIndex, acts: MentionIndex) -> Reading:
    """Every event mention of ``sentences``, merged into drafts (one per real-world act)."""
    context = _Context(article, normalise(article.text), dates, actors, acts)
    reading = Reading([], [], list(sentences))
    for index, sentence in enumerate(sentences):
        for group in _read_sentence(context, index, sentence):
            _add(reading, group, index)
    return reading


# --------------------------------------------------------------------------- one sentence


def _read_sentence(context: _Context, index: int, sentence: Span) -> list[_Group]:
    clauses = split_clauses(context.norm, sentence)
    triggers = find_triggers(context.norm, sentence, clauses)
    groups = [_Group(t) for t in triggers if t.kind != "support"]
    for support in (t for t in triggers if t.kind == "support"):
        host = _host(groups, support, clauses)
        if host is not None:
            host.supports.append(support)
        elif _opens_sentence(context.norm, sentence, support):
            groups.append(_Group(support))
    groups.sort(key=lambda g: g.trigger.span.start)
    section = context.article.section_at(sentence.start).kind
    for group in groups:
        group.draft = _draft(group, section, index)
        if group.trigger.kind == "support":
            group.draft.continuation = True
    _retype_decided_requests(groups, clauses)
    _assign_dates(context, sentence, clauses, groups)
    for group in groups:
        _fill(context, sentence, clauses, group, groups)
    _remember_subject(context, sentence, clauses, groups)
    return _merge_within(groups, context.article.text)


def _remember_subject(context: _Context, sentence: Span, clauses: list[Span], groups: list[_Group]) -> None:
    """The subject a pronoun in the next sentence (``Elle ordonne``) refers to: the agent of this
    sentence's first verb, else its first actor named outside a prepositional phrase."""
    verbs = [g.draft.agents for g in groups if g.draft and g.draft.agents and g.trigger.kind == "verb"]
    if verbs:
        context.last_subject = list(verbs[0])
        return
    for clause in clauses:
        named = [m.key for m, cue in _cued(context, clause.start, clause.end) if cue not in _blocking()]
        if named:
            context.last_subject = named[:1]
            return


def _draft(group: _Group, section: SectionKind, index: int) -> Draft:
    trigger = group.trigger
    return Draft(type=trigger.type, sense=trigger.sense, section=section, triggers=[trigger],
                 evidence=[], sentence=index, outcome=trigger.outcome, expected=trigger.expected)


def _clause_of(clauses: list[Span], offset: int) -> int:
    for number, clause in enumerate(clauses):
        if clause.start <= offset < clause.end:
            return number
    return max((n for n, c in enumerate(clauses) if c.start <= offset), default=0)


def _host(groups: list[_Group], support: Trigger, clauses: list[Span]) -> _Group | None:
    """The event noun a support verb governs: just after it in its clause (``a rendu hier son
    ordonnance``), else just before it in the same or the previous clause (``sa décision, rendue``)."""
    nouns = [g for g in groups if g.trigger.kind == "noun" and g.trigger.type in support.types]
    here = _clause_of(clauses, support.span.start)
    after = [g for g in nouns if _clause_of(clauses, g.trigger.span.start) == here
             and 0 <= g.trigger.span.start - support.span.end <= 40]
    if after and not support.passive:
        return after[0]
    before = [g for g in nouns if here - 1 <= _clause_of(clauses, g.trigger.span.start) <= here
              and g.trigger.span.end <= support.span.start]
    if before:
        return before[-1]
    return after[0] if after else None


def _opens_sentence(norm: str, sentence: Span, support: Trigger) -> bool:
    """``Décidées par sa formation restreinte le ...``: a participle opening the sentence
    continues the last event of its type."""
    return support.passive and not norm[sentence.start:support.span.start].strip()


def _retype_decided_requests(groups: list[_Group], clauses: list[Span]) -> None:
    """A ``demande`` a court rejects or grants is an appeal to that court, not a request."""
    rulings = [_clause_of(clauses, g.trigger.span.start) for g in groups
               if g.trigger.type == "Ruling" and g.trigger.kind == "verb"]
    for group in groups:
        if group.draft and group.draft.type == "Request" and group.trigger.kind == "noun" \
                and _clause_of(clauses, group.trigger.span.start) in rulings:
            group.draft.type = "Appeal"
            group.draft.sense = "Appeal"


# --------------------------------------------------------------------------- dates


def _assign_dates(context: _Context, sentence: Span, clauses: list[Span], groups: list[_Group]) -> None:
    """Each date expression goes to one mention: the nearest trigger before it in its clause,
    else after it; a date standing alone opening the sentence goes to the sentence's main verb."""
    points = [d for d in context.dates if sentence.start <= d.span.start < sentence.end
              and d.role == "point" and d.value is not None]
    opening: DateMention | None = None
    for mention in points:
        here = _clause_of(clauses, mention.span.start)
        if _date_only(context.norm, clauses[here], mention) and not _triggers_before(groups, clauses[here]):
            if opening is None or (opening.offset is not None and mention.offset is None):
                opening = mention
            continue
        if _relational(context.norm, mention):
            group = _nearest_free(groups, mention, clauses, here, forward=False)
            if group is not None and group.draft is not None:
                group.draft.date, group.draft.relative_to = mention, mention.span.end
            else:
                _mark_relative_source(groups, mention)
            continue
        group = _nearest_free(groups, mention, clauses, here)
        if group is not None and group.draft is not None:
            group.draft.date = mention
    if opening is not None:
        main = [g for g in groups if g.trigger.kind == "verb"] or groups
        free = [g for g in main if g.draft is not None and g.draft.date is None]
        if free and free[0].draft is not None:
            free[0].draft.date = opening


def _relational(norm: str, mention: DateMention) -> bool:
    """``au lendemain de sa signature``, ``cinq jours après l'adoption``: a date told relative to
    the act named right after it."""
    after = norm[mention.span.end:mention.span.end + 5]
    return bool(re.match(r"\s*(?:de|du|d'|l'|la|le|les)(?!\w)", after)) and mention.offset is not None


def _mark_relative_source(groups: list[_Group], mention: DateMention) -> None:
    """``publié ce samedi, au lendemain de sa signature``: the act named after the expression is
    the one dated relative to the act before it (relations.py computes it backwards)."""
    following = [g for g in groups if g.trigger.span.start >= mention.span.end and g.draft is not None
                 and g.draft.date is None]
    if following and following[0].draft is not None:
        following[0].draft.dated_before = mention


def _date_only(norm: str, clause: Span, mention: DateMention) -> bool:
    rest = norm[clause.start:mention.span.start] + " " + norm[mention.span.end:clause.end]
    return all(word.lower() in _DATE_ONLY_WORDS for word in TOKEN.findall(rest))


def _triggers_before(groups: list[_Group], clause: Span) -> bool:
    return any(span.start < clause.start for g in groups for span in g.spans)


def _nearest_free(groups: list[_Group], mention: DateMention, clauses: list[Span], here: int,
                  forward: bool = True) -> _Group | None:
    free = [g for g in groups if g.draft is not None and g.draft.date is None]
    in_clause = [(span, g) for g in free for span in g.spans if _clause_of(clauses, span.start) == here]
    before = [(span.end, g) for span, g in in_clause if span.end <= mention.span.start]
    if before:
        return max(before, key=lambda item: item[0])[1]
    if not forward:
        return None
    after = [(span.start, g) for span, g in in_clause if span.start >= mention.span.end]
    if after:
        return min(after, key=lambda item: item[0])[1]
    earlier = [(span.end, g) for g in free for span in g.spans if span.end <= mention.span.start]
    return max(earlier, key=lambda item: item[0])[1] if earlier else None


# --------------------------------------------------------------------------- arguments


def _fill(context: _Context, sentence: Span, clauses: list[Span], group: _Group, groups: list[_Group]
          ) -> None:
    draft = group.draft
    assert draft is not None
    trigger = group.trigger
    passive = trigger.passive or (trigger.kind == "noun" and all(s.passive for s in group.supports))
    draft.agents = _agents(context, sentence, clauses, group, groups, passive)
    draft.appellants = not draft.agents and _names_appellants(context.norm, sentence, group)
    addressees = _addressees(context, sentence, clauses, group)
    if draft.type == "Appeal":  # the court appealed to is never the appellant
        draft.agents = [a for a in draft.agents if a not in addressees]
    draft.addressees = [a for a in addressees if a not in draft.agents]
    draft.bare = draft.date is None and not draft.agents
    reach = _reach(clauses, group)
    draft.legal_acts = list(dict.fromkeys(m.key for c in reach for m in context.acts.within(c.start, c.end)))
    if draft.type in ("Commitment", "Request"):
        draft.deadline = next((d for d in context.dates if d.role == "deadline"
                               and trigger.span.end <= d.span.start < sentence.end), None)
    draft.evidence = [_evidence(context, clauses, group)]


def _reach(clauses: list[Span], group: _Group) -> list[Span]:
    numbers = sorted({_clause_of(clauses, span.start) for span in group.spans})
    return [clauses[n] for n in range(numbers[0], numbers[-1] + 1)] if clauses else []


def _cued(context: _Context, start: int, end: int) -> list[tuple[Mention, str]]:
    """Actor mentions of ``[start, end)`` with the preposition governing each (``""`` for none)."""
    result: list[tuple[Mention, str]] = []
    previous: Mention | None = None
    for mention in context.actors.within(start, end):
        cue = _cue_before(context.norm, max(start, mention.span.start - 60), mention.span.start)
        if previous is not None:
            gap = _COORDINATION.match(context.norm[previous.span.end:mention.span.start])
            if gap:
                cue = gap.group("prep") or result[-1][1]
        result.append((mention, cue))
        previous = mention
    return result


def _cue_before(norm: str, start: int, end: int) -> str:
    """The preposition a mention hangs on, skipping determiners and up to two words
    (``par le collectif X`` -> ``par``, ``auprès de la X`` -> ``auprès``)."""
    words = [w.lower() for w in TOKEN.findall(norm[start:end])]
    prepositions = _prepositions()
    determiners = _all_determiners()
    skipped = 0
    for position in range(len(words) - 1, -1, -1):
        word = words[position]
        if word in prepositions:
            previous = words[position - 1] if position else ""
            if word in {"de", "du", "des", "d'"} and previous in {"auprès", "encontre"}:
                return "auprès" if previous == "auprès" else "contre"
            return word
        if word in determiners:
            continue
        skipped += 1
        if skipped > 2:
            return ""
    return ""


@cache
def _prepositions() -> frozenset[str]:
    cues = load("events")["role_cues"]
    return frozenset(cues["blocking_prepositions"]) | {"par", "de", "du", "des", "d'"}


@cache
def _all_determiners() -> frozenset[str]:
    groups = load("events")["determiners"]
    kinds = ("definite", "demonstrative", "possessive", "indefinite")
    return frozenset(word for kind in kinds for word in groups[kind])


@cache
def _blocking() -> frozenset[str]:
    return frozenset(load("events")["role_cues"]["blocking_prepositions"])


def _agents(context: _Context, sentence: Span, clauses: list[Span], group: _Group, groups: list[_Group],
            passive: bool) -> list[str]:
    """Who acts: ``par X`` for a passive verb or a noun, ``de X`` right after a noun, else the subject."""
    trigger = group.trigger
    reach = _reach(clauses, group)
    if passive or trigger.kind != "verb":
        others = [g.trigger.span.start for g in groups
                  if g is not group and g.trigger.span.start > trigger.span.end]
        until = min(others, default=reach[-1].end)
        after = [m.key for c in reach for m, cue in _cued(context, c.start, c.end)
                 if cue == "par" and trigger.span.end <= m.span.start < until]
        if after:
            return _unique(after)
    if trigger.kind == "noun":
        of = [m.key for m, cue in _cued(context, trigger.span.end, reach[-1].end)
              if cue in {"de", "du", "des", "d'"} and m.span.start - trigger.span.end <= 12]
        if of:
            return _unique(of[:1])
        active_supports = [s for s in group.supports if not s.passive]
        if active_supports:
            return _subject(context, sentence, clauses, active_supports[0].span.start, groups)
        owner = _owner_verb(clauses, group, groups)
        if owner is not None and owner.draft is not None:
            return list(owner.draft.agents)
        if _vehicle(context.norm, clauses, trigger):
            return (_subject(context, sentence, clauses, trigger.span.start, groups, after=True)
                    or _subject(context, sentence, clauses, trigger.span.start, groups))
        return []
    if passive:
        return []
    if trigger.type == "Statement":
        inverted = _inverted_subject(context, clauses, trigger)
        if inverted:
            return inverted
    return _subject(context, sentence, clauses, trigger.span.start, groups)


def _inverted_subject(context: _Context, clauses: list[Span], trigger: Trigger) -> list[str]:
    """``..., a confirmé jeudi Cédric O``: a verb of saying opening its clause has its subject after it."""
    clause = clauses[_clause_of(clauses, trigger.span.start)]
    if context.actors.within(clause.start, trigger.span.start):
        return []
    return [m.key for m, cue in _cued(context, trigger.span.end, clause.end)
            if not cue and m.span.start - trigger.span.end <= 25][:1]


def _owner_verb(clauses: list[Span], group: _Group, groups: list[_Group]) -> _Group | None:
    """``la CNIL a rendu public son avis``: a possessive noun made public or announced by a verb
    of its clause belongs to that verb's subject."""
    if group.trigger.determiner != "possessive":
        return None
    here = _clause_of(clauses, group.trigger.span.start)
    verbs = [g for g in groups if g.trigger.kind == "verb" and g.trigger.type in ("Publication", "Statement")
             and _clause_of(clauses, g.trigger.span.start) == here
             and g.trigger.span.end <= group.trigger.span.start]
    return verbs[-1] if verbs else None


def _vehicle(norm: str, clauses: list[Span], trigger: Trigger) -> bool:
    """``Dans sa décision``, ``Par une ordonnance``: the noun frames the main clause's act."""
    clause = clauses[_clause_of(clauses, trigger.span.start)] if clauses else trigger.span
    words = [w for w in TOKEN.findall(norm[clause.start:trigger.span.start].lower())
             if w not in _all_determiners()][-2:]
    return any(word in set(load("events")["vehicle"]) for word in words)


def _subject(context: _Context, sentence: Span, clauses: list[Span], position: int, groups: list[_Group],
             after: bool = False) -> list[str]:
    """The actors naming the subject of the verb at ``position``: non-prepositional mentions
    before it in its clause, else in the nearest earlier clauses that hold no other verb; a
    pronoun subject refers to the previous sentence's subject.  ``after``: a framing noun
    (``Dans sa décision, le Conseil ...``) takes the subject of the clauses that follow."""
    here = _clause_of(clauses, position)
    clause = clauses[here]
    own = [m.key for m, cue in _cued(context, clause.start, position) if cue not in _blocking()]
    if own:
        return _unique(own)
    verbs = {_clause_of(clauses, g.trigger.span.start) for g in groups
             if g.trigger.kind == "verb" and g.trigger.span.start != position}
    order = range(here + 1, len(clauses)) if after else range(here - 1, -1, -1)
    found: list[str] = []
    for number in order:
        if number in verbs and not after:
            continue
        keys = [m.key for m, cue in _cued(context, clauses[number].start, clauses[number].end)
                if cue not in _blocking()]
        if after:
            stop = _verb_start(groups, clauses[number])
            keys = [m.key for m, cue in _cued(context, clauses[number].start, stop) if cue not in _blocking()]
            if keys or number in verbs:
                return _unique(keys[:1])
            continue
        if keys:
            found = keys + found
        elif found:
            break
    if found:
        return _unique(found)
    first = TOKEN.findall(context.norm[sentence.start:sentence.end].lower())[:1]
    opening = [w for w in TOKEN.findall(context.norm[clause.start:position].lower())
               if w not in _CONJUNCTIONS][:1]
    if (first and first[0] in _PRONOUNS) or (opening and opening[0] in _PRONOUNS):
        return list(context.last_subject)
    return []


def _verb_start(groups: list[_Group], clause: Span) -> int:
    starts = [g.trigger.span.start for g in groups
              if g.trigger.kind == "verb" and clause.start <= g.trigger.span.start < clause.end]
    return min(starts, default=clause.end)


def _names_appellants(norm: str, sentence: Span, group: _Group) -> bool:
    """``Les requérants ont salué``: the agent is whoever filed the appeal (resolved in relations)."""
    words = "|".join(load("events")["appellant_words"])
    before = norm[sentence.start:group.trigger.span.start]
    return bool(re.search(rf"(?<!\w)(?:{words})(?!\w)", before, re.I))


def _addressees(context: _Context, sentence: Span, clauses: list[Span], group: _Group) -> list[str]:
    """To whom: role cues of the lexicon after the trigger, up to the first infinitive
    complement (``ordonne à X de transmettre à Y``: X only); ``Devant X, ...`` anywhere before."""
    cues = load("events")["role_cues"]["addressee_types"]
    trigger = group.trigger
    kind = group.draft.type if group.draft else trigger.type
    allowed = {cue for cue, types in cues.items() if kind in types}
    end = _bracketed_end(context.norm, clauses, _clause_of(clauses, max(s.end for s in group.spans)))
    limit = _INFINITIVE_COMPLEMENT.search(context.norm, trigger.span.end, end)
    stop = limit.end() if limit and limit.start() > trigger.span.end + 2 else end
    found = []
    for mention, cue in _cued(context, trigger.span.end, stop):
        role = {"à": "à", "au": "à", "aux": "à", "auprès": "auprès", "devant": "devant", "contre": "contre",
                "": "object"}.get(cue)
        if role in allowed and (role != "object" or (trigger.kind == "verb" and not trigger.passive)):
            found.append(mention.key)
    for mention, cue in _cued(context, sentence.start, trigger.span.start):
        if cue == "devant" and "devant" in allowed:
            found.append(mention.key)
    if trigger.passive and kind in ("Sanction", "Request"):
        clause = clauses[_clause_of(clauses, trigger.span.start)]
        found += [m.key for m, cue in _cued(context, clause.start, trigger.span.start)
                  if cue not in _blocking()]
    return _unique(found)


def _bracketed_end(norm: str, clauses: list[Span], number: int) -> int:
    """The end of a clause, read through brackets: ``le tribunal administratif (TA) de Paris``."""
    while number + 1 < len(clauses) and set("()") & set(norm[clauses[number].end:clauses[number + 1].start]):
        number += 1
    return clauses[number].end


def _evidence(context: _Context, clauses: list[Span], group: _Group) -> Span:
    """A tight span: the triggers (with their determiner) and the arguments in their clauses."""
    spans = group.spans
    numbers = {_clause_of(clauses, s.start) for s in spans}
    draft = group.draft
    extra: list[Span] = []
    if draft is not None and draft.date is not None and _clause_of(clauses, draft.date.span.start) in numbers:
        extra.append(draft.date.span)
    names = set(draft.agents + draft.addressees) if draft else set()
    for number in numbers:
        clause = clauses[number]
        extra += [m.span for m in context.actors.within(clause.start, clause.end) if m.key in names
                  and m.span.start >= min(s.start for s in spans)]
    start = _with_determiner(context.norm, clauses, min(s.start for s in spans))
    end = max(s.end for s in spans + extra)
    return Span(start, end, context.article.text[start:end])


def _with_determiner(norm: str, clauses: list[Span], start: int) -> int:
    """Extend a trigger leftwards over its determiner and preposition (``dans un courrier``)."""
    clause = clauses[_clause_of(clauses, start)] if clauses else None
    floor = clause.start if clause else 0
    words = list(TOKEN.finditer(norm, max(floor, start - 20), start))
    small = _all_determiners() | {"dans", "par", "de", "d'", "à", "en", "lors", "du"}
    for word in reversed(words):
        if word.group().lower() not in small:
            break
        start = word.start()
    return start


def _unique(keys: list[str]) -> list[str]:
    return list(dict.fromkeys(keys))


# --------------------------------------------------------------------------- merging


def _compatible(a: Draft, b: Draft) -> bool:
    if a.type != b.type or a.sense != b.sense:
        return False
    anaphoric = "demonstrative" in (a.triggers[0].determiner, b.triggers[0].determiner)
    if a.date is not None and b.date is not None and a.date.value != b.date.value and not anaphoric:
        return False
    return not a.agents or not b.agents or bool(set(a.agents) & set(b.agents))


def _absorb(into: Draft, other: Draft) -> None:
    """Fold a second mention of the same act into ``into``: keep the first known value of each field."""
    into.triggers += other.triggers
    into.evidence += [span for span in other.evidence if span not in into.evidence]
    into.date = into.date or other.date
    into.deadline = into.deadline or other.deadline
    into.agents = _unique(into.agents + other.agents)
    into.addressees = _unique([a for a in into.addressees + other.addressees if a not in into.agents])
    into.legal_acts = _unique(into.legal_acts + other.legal_acts)
    into.outcome = into.outcome or other.outcome
    into.expected = into.expected and other.expected
    into.appellants = into.appellants or other.appellants
    into.bare = into.bare and other.bare
    into.related += other.related


def _merge_within(groups: list[_Group], text: str) -> list[_Group]:
    """Mentions of one type in one sentence are one act (``Dans sa décision ... a rejeté``), unless
    both are indefinite nouns or their dates or agents differ."""
    kept: list[_Group] = []
    for group in groups:
        draft = group.draft
        assert draft is not None
        host = next((k for k in kept if k.draft is not None and _compatible(k.draft, draft)
                     and not (k.trigger.determiner == group.trigger.determiner == "indefinite")
                     and k.trigger.appeal_of_ruling == group.trigger.appeal_of_ruling
                     and not group.trigger.distinct), None)
        if host is not None and host.draft is not None:
            start = min(host.draft.evidence[0].start, draft.evidence[0].start)
            end = max(host.draft.evidence[0].end, draft.evidence[0].end)
            _absorb(host.draft, draft)
            host.draft.evidence = [Span(start, end, text[start:end])]
            host.supports += [group.trigger, *group.supports]
        else:
            kept.append(group)
    return kept


def _add(reading: Reading, group: _Group, index: int) -> None:
    """Add a sentence's mention to the article's drafts: a new act, or one already met."""
    draft = group.draft
    assert draft is not None
    trigger = group.trigger
    if trigger.determiner == "demonstrative" and trigger.kind == "noun":
        referent = _antecedent(reading, draft, trigger) or _last_event(reading, index)
        if referent is not None:
            reading.occurrences.append(Occurrence(referent, index, trigger.span, anaphor=True))
        return
    previous = _antecedent(reading, draft, trigger)
    if previous is not None:
        _absorb(previous, draft)
        reading.occurrences.append(Occurrence(previous, index, trigger.span))
        return
    if draft.bare and trigger.kind == "noun" and draft.type in _VAGUE_WHEN_BARE:
        return
    if draft.continuation:
        last = _last_event(reading, index)
        if last is not None:
            reading.occurrences.append(Occurrence(last, index, trigger.span, anaphor=True))
        return
    reading.drafts.append(draft)
    reading.occurrences.append(Occurrence(draft, index, trigger.span))


def _antecedent(reading: Reading, draft: Draft, trigger: Trigger) -> Draft | None:
    """An earlier draft this mention refers to: same act, compatible facts, and the mention
    (or the earlier one) adds nothing that would make it another act."""
    if trigger.distinct:
        return None
    # "une décision qu'elle qualifie d'historique": an indefinite bare mention is the article's main act
    order = reading.drafts if draft.bare and trigger.determiner == "indefinite" else reversed(reading.drafts)
    for previous in order:
        if not _compatible(previous, draft) or previous.sentence == draft.sentence \
                or any(t.appeal_of_ruling for t in previous.triggers) != trigger.appeal_of_ruling:
            continue
        if trigger.determiner == "demonstrative":
            return previous
        same_date = draft.date is not None and previous.date is not None
        same_agents = bool(draft.agents) and set(draft.agents) == set(previous.agents) and draft.date is None
        referring = trigger.kind == "noun" and trigger.determiner in ("definite", "possessive")
        first = previous.triggers[0]
        presupposed = first.kind == "noun" and first.determiner == "definite" and previous.date is None
        if draft.bare or previous.bare or same_date or same_agents or referring or presupposed \
                or draft.continuation:
            return previous
    return None


def _last_event(reading: Reading, index: int) -> Draft | None:
    earlier = [o for o in reading.occurrences if o.sentence < index and not o.anaphor]
    return earlier[-1].draft if earlier else None
