"""Mentions of one act merged into one event, within a sentence and across the article.

``Dans sa décision, ... a rejeté`` is one ruling; ``un recours formé par X``
and, later, ``le recours de X`` are one appeal with two pieces of evidence; a
demonstrative (``cette sanction``) refers back without adding an event.
Mentions whose facts differ (another date, other agents, an ordinal such as
``le deuxième recours``) stay apart.
"""

from __future__ import annotations

from dataclasses import replace

from kg.extract.drafts import Draft, Group, Occurrence, Reading, unique
from kg.extract.triggers import Trigger
from kg.models import DateMention, Outcome, Span, TimeValue

# "aux demandes des services", "leurs engagements": with no actor, no date and no earlier act to
# refer to, these nouns name no event of their own.
_VAGUE_WHEN_BARE = frozenset({"Request", "Sanction", "Statement", "Commitment"})
_PLURAL_PARTICIPLE = ("es", "és")  # décidées, rendus: several acts at once
ANTECEDENT_WINDOW = 40  # sentences looked back for the act a mention refers to (see _recent)


def _compatible(a: Draft, b: Draft) -> bool:
    if a.type != b.type or a.sense != b.sense:
        return False
    anaphoric = "demonstrative" in (a.triggers[0].determiner, b.triggers[0].determiner)
    if a.date is not None and b.date is not None and not _same_time(a.date.value, b.date.value) \
            and not anaphoric:
        return False
    if a.type == "Sanction" and a.addressees and b.addressees and not set(a.addressees) & set(b.addressees):
        return False  # a penalty against another company is another penalty
    return not a.agents or not b.agents or bool(set(a.agents) & set(b.agents))


def _same_time(a: TimeValue | None, b: TimeValue | None) -> bool:
    """``fin mars`` and ``le 28 mars``: a month and a day within it may be one act told twice; a
    year alone is too vague to tell (two rulings of 2019 are often two)."""
    if a == b:
        return True
    if a is None or b is None or a.year != b.year or a.month is None or b.month is None:
        return False
    return a.month == b.month and (a.day is None or b.day is None)


# what a ruling does for the one who asked: "valide l'essentiel ... mais en censure deux articles"
_FOR_APPLICANT = frozenset({"granted", "annulled", "suspended"})
_AGAINST_APPLICANT = frozenset({"rejected", "upheld"})


def combined_outcome(first: Outcome | None, second: Outcome | None) -> Outcome | None:
    """One ruling told with two verbs: the first outcome, unless one goes for the applicant and
    the other against (``valide ... mais censure``, ``rejette ... mais annule``): partly granted."""
    if first is None or second is None:
        return first or second
    if {first, second} & _FOR_APPLICANT and {first, second} & _AGAINST_APPLICANT:
        return "partially_granted"
    return first


def _finer(first: DateMention | None, second: DateMention | None) -> DateMention | None:
    """The first date told, unless the second names the day of the first's month (``fin mars``,
    then ``le 28 mars``)."""
    if first is None or second is None:
        return first or second
    coarse, fine = first.value, second.value
    if coarse is not None and fine is not None and coarse != fine and coarse.day is None \
            and fine.day is not None and _same_time(coarse, fine):
        return second
    return first


def _absorb(into: Draft, other: Draft) -> None:
    """Fold a second mention of the same act into ``into``: keep the first known value of each field."""
    into.add_triggers(other.triggers)
    into.add_evidence(other.evidence)
    into.date = _finer(into.date, other.date)
    into.deadline = into.deadline or other.deadline
    into.agents = unique(into.agents + other.agents)
    into.addressees = unique([a for a in into.addressees + other.addressees if a not in into.agents])
    into.legal_acts = unique(into.legal_acts + other.legal_acts)
    into.outcome = combined_outcome(into.outcome, other.outcome)
    into.expected = into.expected and other.expected
    into.appellants = into.appellants or other.appellants
    into.bare = into.bare and other.bare
    into.related += other.related


def merge_within(groups: list[Group], text: str) -> list[Group]:
    """Mentions of one type in one sentence are one act (``Dans sa décision ... a rejeté``), unless
    both are indefinite nouns or their dates or agents differ."""
    kept: list[Group] = []
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


def add(reading: Reading, group: Group, index: int) -> None:
    """Add a sentence's mention to the article's drafts: a new act, or one already met; a
    mention of several separate penalties adds one act per addressee."""
    assert group.draft is not None
    for draft in _separate_penalties(group.draft):
        _add_one(reading, group.trigger, draft, index)


def _separate_penalties(draft: Draft) -> list[Draft]:
    """``a condamné X à 100 M€ et Y à 35 M€``, ``X et Y se voient infliger des amendes``: one
    Sanction per addressee, each with the words that tell its own share as evidence."""
    if not draft.shares:
        return [draft]
    parts = []
    for number, (name, span) in enumerate(draft.shares):
        evidence = list(draft.evidence) if number == 0 else [span]
        parts.append(replace(draft, addressees=[name], evidence=evidence, shares=[],
                             triggers=list(draft.triggers), agents=list(draft.agents),
                             legal_acts=list(draft.legal_acts), related=list(draft.related)))
    return parts


def _add_one(reading: Reading, trigger: Trigger, draft: Draft, index: int) -> None:
    if draft.continuation:
        _continue(reading, trigger, draft, index)
        return
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
    decided = _decided_act(reading, draft, trigger)
    if decided is not None:
        _date_of_decision(reading, decided, draft, index)
        reading.occurrences.append(Occurrence(decided, index, trigger.span, anaphor=True))
        return
    if draft.expected:  # "l'arrêt est attendu le 3 juin": announced, not (yet) an event
        return
    reading.drafts.append(draft)
    reading.occurrences.append(Occurrence(draft, index, trigger.span))


def _date_of_decision(reading: Reading, act: Draft, decision: Draft, index: int) -> None:
    """``X a infligé une amende à Y. La décision, datée du 13 janvier, ...``: the decision told right
    after an undated penalty or notice is that act's text, so its date is the act's."""
    if act.date is not None or decision.date is None or decision.date.offset is not None:
        return
    last = next((o.sentence for o in reversed(reading.occurrences) if o.draft is act), act.sentence)
    if index - last <= 1:
        act.date = decision.date
        act.add_evidence(decision.evidence)


def _continue(reading: Reading, trigger: Trigger, draft: Draft, index: int) -> None:
    """``Prononcées par le régulateur le 3 mars, ...``: a participle opening the sentence
    completes the acts of its type told last (all of them when it is plural), else refers to the
    last event told."""
    targets = _continued(reading, draft, trigger)
    for target in targets:
        _absorb(target, draft)
        reading.occurrences.append(Occurrence(target, index, trigger.span))
    last = _last_event(reading, index)
    if not targets and last is not None:
        reading.occurrences.append(Occurrence(last, index, trigger.span, anaphor=True))


def _continued(reading: Reading, draft: Draft, trigger: Trigger) -> list[Draft]:
    """The compatible acts first told in the latest sentence that told any, within the
    antecedent window."""
    told: list[Draft] = []
    for previous in reversed(_recent(reading, draft)):
        if told and previous.sentence < told[0].sentence:
            break
        if _compatible(previous, draft):
            told.insert(0, previous)
    return told if trigger.span.text.lower().endswith(_PLURAL_PARTICIPLE) else told[-1:]


def _recent(reading: Reading, draft: Draft) -> list[Draft]:
    """The drafts of ``draft``'s type told in the ``ANTECEDENT_WINDOW`` sentences before its own,
    in reading order: a definite or demonstrative mention (``le recours``, ``cette décision``) and
    a continuing participle refer to an act the reader still has in mind, one told or referred to
    lately, not one last heard of pages earlier; the bound also keeps merging linear in the length
    of the text."""
    return reading.recent(draft.type, draft.sentence - ANTECEDENT_WINDOW)


def _antecedent(reading: Reading, draft: Draft, trigger: Trigger) -> Draft | None:
    """An earlier draft this mention refers to: same act, compatible facts, and the mention
    (or the earlier one) adds nothing that would make it another act."""
    if trigger.distinct:
        return None
    # "une décision qu'elle qualifie d'historique": an indefinite bare mention is the article's main act,
    # the first act of its type, however far back
    main = draft.bare and trigger.determiner == "indefinite"
    order = reading.iter_type(draft.type) if main else reversed(_recent(reading, draft))
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
                or _complementary(previous, draft) or _same_appeal(previous, draft):
            return previous
    return None


def _decided_act(reading: Reading, draft: Draft, trigger: Trigger) -> Draft | None:
    """``D'après la décision, ...`` in an article about a fine or a formal notice, with no ruling told
    before, or a decision dated the very day of such an act: a bare ``décision`` names the decision
    already told, the sanction or the request.  A decision whose author is named names such an act of
    the same author (``Dans sa décision, la Commission reproche ...`` after its fine); so does a bare
    ``une décision`` (``X a dénoncé une décision injuste``) when no ruling was told."""
    if draft.type != "Ruling" or trigger.kind != "noun" or draft.outcome \
            or (trigger.determiner == "indefinite" and not draft.bare):
        return None
    since = draft.sentence - ANTECEDENT_WINDOW
    acts = [d for kind in ("Sanction", "Request") for d in reading.recent(kind, since)
            if not draft.agents or set(draft.agents) & set(d.agents)]
    # "la décision est datée du 3 mars": a decision dated as the fine told before is that fine's
    value = draft.date.value if draft.date is not None else None
    day = value if value is not None and value.day is not None else None
    same_day = [d for d in acts if day is not None and d.date is not None and d.date.value == day]
    if same_day:
        return min(same_day, key=lambda d: d.start)
    # a sanction's decision also carries the injunctions told with it: the decision is the sanction
    acts = [d for d in acts if d.section == draft.section]
    return max(acts, key=lambda d: (d.type == "Sanction", d.start)) if acts and not _recent(reading, draft) \
        else None


def _same_appeal(previous: Draft, draft: Draft) -> bool:
    """``Saisi par X d'un appel ...`` then ``X a saisi le Conseil le 3 mai``: a party lodges one appeal
    with a court, so an undated appeal of the same parties before no other court is this one."""
    return draft.type == "Appeal" and bool(draft.agents) and set(draft.agents) == set(previous.agents) \
        and previous.date is None and (not previous.addressees or not draft.addressees
                                       or bool(set(previous.addressees) & set(draft.addressees)))


def _complementary(previous: Draft, draft: Draft) -> bool:
    """``La sanction est tombée mardi. Le régulateur a infligé une amende à X``: an act told without
    its author and told again in the next sentence without its date is one act, each mention
    bringing the fact the other lacks."""
    if draft.sentence - previous.sentence != 1:
        return False
    return (not previous.agents or not draft.agents) and (previous.date is None or draft.date is None)


def _last_event(reading: Reading, index: int) -> Draft | None:
    """The act named last before sentence ``index`` (read backwards: usually a step or two)."""
    return next((o.draft for o in reversed(reading.occurrences) if o.sentence < index and not o.anaphor),
                None)
