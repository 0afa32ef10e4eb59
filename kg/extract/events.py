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

from collections.abc import Sequence

from kg.extract.arguments import fill, remember_subject
from kg.extract.drafts import Context, Draft, Group, MentionIndex, Occurrence, Reading, clause_of
from kg.extract.event_dates import assign_dates
from kg.extract.merging import add, merge_within
from kg.extract.sentences import split_clauses
from kg.extract.triggers import Trigger, find_triggers, normalise
from kg.models import Article, DateMention, SectionKind, Span

__all__ = ["Draft", "MentionIndex", "Occurrence", "Reading", "find_events"]


def find_events(article: Article, sentences: Sequence[Span], dates: Sequence[DateMention],
                actors: MentionIndex, acts: MentionIndex, kinds: dict[str, str] | None = None) -> Reading:
    """Every event mention of ``sentences``, merged into drafts (one per real-world act);
    ``kinds`` gives each actor's kind (a court is never the author of an appeal)."""
    context = Context(article, normalise(article.text), dates, actors, acts, dict(kinds or {}))
    reading = Reading([], [], list(sentences))
    for index, sentence in enumerate(sentences):
        for group in _read_sentence(context, index, sentence):
            add(reading, group, index)
    return reading


def _read_sentence(context: Context, index: int, sentence: Span) -> list[Group]:
    clauses = split_clauses(context.norm, sentence)
    triggers = find_triggers(context.norm, sentence, clauses)
    groups = [Group(t) for t in triggers if t.kind != "support"]
    for support in (t for t in triggers if t.kind == "support"):
        host = _host(groups, support, clauses)
        if host is not None:
            host.supports.append(support)
        elif _opens_sentence(context.norm, sentence, support):
            groups.append(Group(support))
    groups.sort(key=lambda g: g.trigger.span.start)
    section = context.article.section_at(sentence.start).kind
    for group in groups:
        group.draft = _draft(group, section, index)
        if group.trigger.kind == "support":
            group.draft.continuation = True
    _retype_decided_requests(groups, clauses)
    _retype_penalty_decisions(groups)
    groups = [g for g in groups if not _told_within(g, groups)]
    assign_dates(context, sentence, clauses, groups)
    for group in groups:
        fill(context, sentence, clauses, group, groups)
    remember_subject(context, sentence, clauses, groups)
    return merge_within(groups, context.article.text)


_SUPPORT_REACH = 60  # characters between a support verb and the event noun it governs


def _draft(group: Group, section: SectionKind, index: int) -> Draft:
    trigger = group.trigger
    expected = trigger.expected or any(s.expected for s in group.supports)
    return Draft(type=trigger.type, sense=trigger.sense, section=section, triggers=[trigger],
                 evidence=[], sentence=index, outcome=trigger.outcome, expected=expected)


def _host(groups: list[Group], support: Trigger, clauses: list[Span]) -> Group | None:
    """The event noun a support verb governs: just after it in its clause (``a rendu hier son
    ordonnance``, ``a prononcé fin novembre à l'encontre de la société X une amende``: a date and
    the addressee may stand between), else just before it in the same or the previous clause
    (``sa décision, rendue``)."""
    nouns = [g for g in groups if g.trigger.kind == "noun" and g.trigger.type in support.types]
    here = clause_of(clauses, support.span.start)
    # "a adressé à la société, le 3 mai, un courrier": an incise may stand between them
    after = [g for g in nouns if here <= clause_of(clauses, g.trigger.span.start) <= here + 2
             and 0 <= g.trigger.span.start - support.span.end <= _SUPPORT_REACH]
    if after and not support.passive:
        return after[0]
    before = [g for g in nouns if here - 1 <= clause_of(clauses, g.trigger.span.start) <= here
              and g.trigger.span.end <= support.span.start]
    if before:
        return before[-1]
    return after[0] if after else None


def _opens_sentence(norm: str, sentence: Span, support: Trigger) -> bool:
    """``Prononcées par le régulateur le ...``: a participle opening the sentence
    continues the last event of its type."""
    return support.passive and not norm[sentence.start:support.span.start].strip()


def _retype_penalty_decisions(groups: list[Group]) -> None:
    """``la délibération du 3 mars par laquelle la CNIL sanctionne X``, ``la décision de la Commission
    qui lui a infligé une amende``: a decision noun whose sentence tells a penalty, and no ruling
    verb, names that penalty (one act, merged with it like ``Dans sa décision, ... a rejeté``)."""
    verbs = [g.trigger for g in groups if g.trigger.kind == "verb"]
    if not any(t.type == "Sanction" for t in verbs) or any(t.type == "Ruling" for t in verbs):
        return
    for group in groups:
        draft = group.draft
        if draft is not None and draft.type == "Ruling" and group.trigger.kind == "noun" \
                and draft.outcome is None and draft.sense == "Ruling":
            draft.type = draft.sense = "Sanction"


# what an act told in a sentence may contain without being an act of its own (by type or sense): a
# hearing's pleas, an opinion's recommendations, the assessment an opinion or a decision makes
_CONTENTS = {"Hearing": frozenset({"Statement"}), "Opinion": frozenset({"Request", "assess"}),
             "Ruling": frozenset({"assess"})}


def _told_within(group: Group, groups: list[Group]) -> bool:
    """``Lors de l'audience, le ministère a défendu ...``, ``Dans son avis, le Conseil a recommandé
    ...``, ``son avis ... : l'autorité y juge que``: a verb after the noun of a hearing, an opinion or
    a decision in its sentence tells what was said in that act, not another act."""
    trigger = group.trigger
    return trigger.kind == "verb" and any(
        g.trigger.kind == "noun" and {trigger.type, trigger.sense} & _CONTENTS.get(g.trigger.type, set())
        and g.trigger.span.end <= trigger.span.start for g in groups)


def _retype_decided_requests(groups: list[Group], clauses: list[Span]) -> None:
    """A ``demande`` a court rejects or grants is an appeal to that court, not a request."""
    rulings = [clause_of(clauses, g.trigger.span.start) for g in groups
               if g.trigger.type == "Ruling" and g.trigger.kind == "verb"]
    for group in groups:
        if group.draft and group.draft.type == "Request" and group.trigger.kind == "noun" \
                and clause_of(clauses, group.trigger.span.start) in rulings:
            group.draft.type = "Appeal"
            group.draft.sense = "Appeal"
