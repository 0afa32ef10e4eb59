"""Links between the events of one article, and the facts that travel along them.

A ruling ``decides`` the appeal it is about; an appeal ``targets`` the act it
attacks; a press disclosure ``discloses`` what it revealed; a statement or a
commitment ``responds_to`` what prompted it; a court's injunction ``follows``
its ruling.  Linking also completes arguments the text gives only once: the
court an appeal was filed with is the court that rules on it, an injunction is
dated by its ruling, a commitment made in a letter shares the letter's date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from kg.extract.drafts import Draft, Occurrence, Reading
from kg.extract.triggers import normalise
from kg.lexicons import load
from kg.models import DateMention, Offset, Relation, TimeValue

Anchor = Callable[[DateMention, TimeValue], TimeValue | None]


def link(reading: Reading, text: str, anchor: Anchor) -> None:
    """Add relations to the drafts of ``reading`` and fill the arguments they imply."""
    norm = normalise(text)
    _resolve_appellants(reading)
    _anchor_relative_dates(reading, norm, anchor)
    _share_within_sentence(reading)
    _decides(reading)
    _targets(reading, norm)
    _discloses(reading)
    _responds(reading, norm)
    _follows(reading)
    _hearings(reading)


def _relate(source: Draft, relation: Relation, target: Draft) -> None:
    if source is not target and (relation, target) not in source.related:
        source.related.append((relation, target))


def _in_sentence(reading: Reading, index: int) -> list[Occurrence]:
    return sorted((o for o in reading.occurrences if o.sentence == index), key=lambda o: o.span.start)


def _sentences_of(reading: Reading, draft: Draft) -> set[int]:
    return {o.sentence for o in reading.occurrences if o.draft is draft and not o.anaphor}


def _relation_targets(draft: Draft, relation: Relation) -> list[Draft]:
    return [target for kind, target in draft.related if kind == relation]


# --------------------------------------------------------------------------- arguments


def _resolve_appellants(reading: Reading) -> None:
    """``les requérants`` are the agents of the article's nearest earlier appeal."""
    for draft in reading.drafts:
        if draft.appellants and not draft.agents:
            appeals = [d for d in reading.drafts if d.type == "Appeal" and d.agents]
            earlier = [d for d in appeals if d.start < draft.start] or appeals
            if earlier:
                draft.agents = list(earlier[-1].agents)


def _anchor_relative_dates(reading: Reading, norm: str, anchor: Anchor) -> None:
    """``la veille``, ``dès le lendemain`` count from the event told just before, not from
    the publication date."""
    words = "|".join(load("events")["anaphoric_dates"])
    pattern = re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)
    ordered = sorted(reading.drafts, key=lambda d: d.start)
    _date_backwards(reading, anchor)
    for position, draft in enumerate(ordered):
        mention = draft.date
        if draft.relative_to is not None and mention is not None:
            named = [o.draft for o in reading.occurrences if o.span.start >= draft.relative_to
                     and o.draft is not draft and o.draft.date is not None and o.draft.date.offset is None]
            if named and named[0].date is not None and named[0].date.value is not None:
                draft.date = _moved(mention, anchor(mention, named[0].date.value))
                continue
        if mention is None or mention.offset is None or not pattern.search(norm, mention.span.start,
                                                                            mention.span.end):
            continue
        reference = next((d.date.value for d in reversed(ordered[:position])
                          if d.date is not None and d.date.value is not None and d.date.offset is None), None)
        if reference is not None:
            draft.date = _moved(mention, anchor(mention, reference))


def _moved(mention: DateMention, value: TimeValue | None) -> DateMention:
    return DateMention(mention.span, mention.role, value, mention.offset, mention.future, mention.flags)


def _date_backwards(reading: Reading, anchor: Anchor) -> None:
    """``publié ce samedi, au lendemain de sa signature``: the signature is a day before."""
    for draft in reading.drafts:
        mention = draft.dated_before
        if mention is None or mention.offset is None or draft.date is not None:
            continue
        told = [o.draft for o in reading.occurrences if o.span.end <= mention.span.start
                and o.draft.date is not None and o.draft.date.value is not None]
        if told and told[-1].date is not None and told[-1].date.value is not None:
            offset = mention.offset
            back = DateMention(mention.span, mention.role, None,
                               Offset(-offset.years, -offset.months, -offset.days))
            draft.date = _moved(told[-1].date, anchor(back, told[-1].date.value))


def _share_within_sentence(reading: Reading) -> None:
    """Acts told together by one actor share a date (``dans une lettre du 2 mars, X s'est
    engagé``); a letter's addressee is that of the commitment or request it carries."""
    for index in range(len(reading.sentences)):
        drafts = list(dict.fromkeys(o.draft for o in _in_sentence(reading, index) if not o.anaphor))
        for draft in drafts:
            partners = [d for d in drafts
                        if d is not draft and d.agents and set(d.agents) & set(draft.agents)]
            if draft.date is None:
                dated = [d for d in partners if d.date is not None]
                if dated:
                    draft.date = dated[0].date
            if draft.type == "Letter" and not draft.addressees:
                carried = [d for d in partners if d.type in ("Commitment", "Request") and d.addressees]
                if carried:
                    draft.addressees = list(carried[0].addressees)


# --------------------------------------------------------------------------- relations


def _decides(reading: Reading) -> None:
    """A ruling decides the appeal named in its sentence, else the nearest undecided appeal filed
    with its court (or with no court named) in the same section."""
    decided: set[int] = set()
    rulings = [d for d in reading.drafts if d.type == "Ruling"]
    for ruling in rulings:
        asserted = any(t.kind != "noun" for t in ruling.triggers)
        sentences = _sentences_of(reading, ruling) if asserted else set()
        together = [o.draft for o in reading.occurrences if o.sentence in sentences and not o.anaphor
                    and o.draft.type == "Appeal" and id(o.draft) not in decided
                    and not _appeals_against(o.draft, ruling, reading) and not _later(o.draft, ruling)]
        if together:
            _decide(ruling, together[0], decided)
    for ruling in rulings:
        if not _relation_targets(ruling, "decides"):
            appeal = _filed_with(reading, ruling, decided)
            if appeal is not None:
                _decide(ruling, appeal, decided)


def _decide(ruling: Draft, appeal: Draft, decided: set[int]) -> None:
    """Link, and let the court and the appeal complete each other."""
    decided.add(id(appeal))
    _relate(ruling, "decides", appeal)
    if not appeal.addressees:
        appeal.addressees = list(ruling.agents)
    if not ruling.agents:
        ruling.agents = list(appeal.addressees)


def _appeals_against(appeal: Draft, ruling: Draft, reading: Reading) -> bool:
    """``elles ont fait appel``: an appeal against a ruling (the last one told before it) is
    never decided by that ruling."""
    if not any(t.appeal_of_ruling for t in appeal.triggers):
        return False
    earlier = [d for d in reading.drafts if d.type == "Ruling" and d.start < appeal.start]
    return bool(earlier) and max(earlier, key=lambda d: d.start) is ruling


def _later(draft: Draft, than: Draft) -> bool:
    """Whether ``draft`` surely happened after ``than``: a ruling never decides an appeal filed
    after it, an appeal or an opinion never targets an act that came later."""
    if draft.date is None or than.date is None or draft.date.value is None or than.date.value is None:
        return False
    return draft.date.value.first_day() > than.date.value.last_day()


def _filed_with(reading: Reading, ruling: Draft, decided: set[int]) -> Draft | None:
    if not ruling.agents or ruling.section != "body" or all(t.kind == "noun" for t in ruling.triggers):
        return None
    candidates = [d for d in reading.drafts if d.type == "Appeal" and id(d) not in decided
                  and d.section == ruling.section and not _appeals_against(d, ruling, reading)
                  and not _later(d, ruling)
                  and (set(d.addressees) & set(ruling.agents) or not d.addressees)]
    return min(candidates, key=lambda d: abs(d.start - ruling.start), default=None)


def _targets(reading: Reading, norm: str) -> None:
    """An appeal targets the act it attacks: the decision appealed, else an act sharing a legal
    text with it, else the publication or decision named after it in its sentence; an opinion
    targets the draft act it is about."""
    for draft in reading.drafts:
        if draft.type not in ("Appeal", "Opinion"):
            continue
        target = _attacked(reading, draft, norm)
        if target is not None:
            _relate(draft, "targets", target)
            draft.legal_acts = list(dict.fromkeys(draft.legal_acts + target.legal_acts))


def _attacked(reading: Reading, draft: Draft, norm: str) -> Draft | None:
    deciders = [d for d in reading.drafts if (("decides", draft) in d.related)]
    acts = [d for d in reading.drafts if d.type in ("Publication", "Ruling") and d is not draft
            and d not in deciders and not _later(d, draft)]
    if any(t.appeal_of_ruling for t in draft.triggers):
        earlier = [d for d in acts if d.type == "Ruling" and d.start < draft.start]
        return earlier[-1] if earlier else None
    sharing = [d for d in acts if set(d.legal_acts) & set(draft.legal_acts)]
    if sharing:
        return sharing[0]
    if draft.type != "Appeal":
        return None
    for index in sorted(_sentences_of(reading, draft)):
        mine = [o for o in _in_sentence(reading, index) if o.draft is draft]
        later = [o.draft for o in _in_sentence(reading, index) if o.draft in acts
                 and o.span.start > mine[0].span.start]
        if not later and _continues(reading, norm, index + 1):
            later = [o.draft for o in _in_sentence(reading, index + 1) if o.draft in acts]
        if later:
            return later[0]
    return None


def _continues(reading: Reading, norm: str, index: int) -> bool:
    """Whether sentence ``index`` goes on about the previous one's subject (``Elle visait ...``)."""
    if index >= len(reading.sentences):
        return False
    sentence = reading.sentences[index]
    first = norm[sentence.start:sentence.end].split(maxsplit=1)[:1]
    return bool(first) and first[0].lower() in {"il", "elle", "ils", "elles", "celui-ci", "celle-ci"}


def _discloses(reading: Reading) -> None:
    """A disclosure reveals the act named just before it (``une demande ..., révélée par``)."""
    for draft in (d for d in reading.drafts if d.type == "Disclosure"):
        for index in sorted(_sentences_of(reading, draft)):
            occurrences = _in_sentence(reading, index)
            mine = next(o for o in occurrences if o.draft is draft)
            before = [o.draft for o in occurrences if o.span.start < mine.span.start and o.draft is not draft]
            after = [o.draft for o in occurrences if o.span.start > mine.span.start and o.draft is not draft]
            revealed = before[-1] if before else (after[0] if after else None)
            if revealed is not None:
                _relate(draft, "discloses", revealed)
                break


@cache
def _response_cue() -> re.Pattern[str]:
    cues = "|".join(load("events")["response_cues"])
    return re.compile(rf"(?<!\w)(?:{cues})(?!\w)", re.IGNORECASE)


def _responds(reading: Reading, norm: str) -> None:
    """``X est une réponse à Y``: the act before the cue responds to the one after; a statement
    responds to the act it comments on in its sentence (``s'est félicitée d'une décision``)."""
    for index, sentence in enumerate(reading.sentences):
        occurrences = _in_sentence(reading, index)
        for cue in _response_cue().finditer(norm, sentence.start, sentence.end):
            before = [o.draft for o in occurrences if o.span.start < cue.start()]
            after = [o.draft for o in occurrences if o.span.start >= cue.end()]
            if before and after:
                _relate(before[-1], "responds_to", after[0])
        for occurrence in occurrences:
            if occurrence.draft.type != "Statement" or occurrence.anaphor:
                continue
            commented = [o.draft for o in occurrences if o.span.start > occurrence.span.start
                         and o.draft.type != "Statement"]
            if commented:
                _relate(occurrence.draft, "responds_to", commented[0])


def _follows(reading: Reading) -> None:
    """A court's request follows its ruling (and is dated by it); a ruling that rejects but
    orders something is partly granted; a decision's publication follows the decision."""
    rulings = [d for d in reading.drafts if d.type == "Ruling"]
    for draft in reading.drafts:
        if draft.type == "Request" and not draft.agents:
            _imposed_by(reading, draft)
        if draft.type == "Request" and draft.agents:
            by_same = [r for r in rulings if set(r.agents) & set(draft.agents) and r.section == draft.section]
            if by_same:
                ruling = min(by_same, key=lambda r: abs(r.start - draft.start))
                _relate(draft, "follows", ruling)
                draft.date = draft.date or ruling.date
                if ruling.outcome == "rejected":
                    ruling.outcome = "partially_granted"
        verbs = [t for t in draft.triggers if t.kind != "noun"]
        if draft.type == "Publication" and verbs and all(t.passive for t in verbs):
            host = _decision_just_before(reading, draft)
            if host is not None:
                _relate(draft, "follows", host)


def _imposed_by(reading: Reading, request: Draft) -> None:
    """``L'opérateur dispose de deux mois pour ...``: an obligation whose author is not
    named was imposed by the decisions told just before it (rulings or sanctions of one author on
    one date), which it follows and whose author and date it takes."""
    if not all(t.passive for t in request.triggers if t.kind != "noun"):
        return
    decisions = [d for d in reading.drafts if d.type in ("Ruling", "Sanction") and d.agents
                 and d.section == request.section and d.start < request.start]
    if not decisions:
        return
    last = max(decisions, key=lambda d: d.start)
    same = [d for d in decisions if d.agents == last.agents and d.date == last.date]
    request.agents = list(last.agents)
    request.date = request.date or last.date
    for decision in sorted(same, key=lambda d: d.start):
        _relate(request, "follows", decision)


def _decision_just_before(reading: Reading, draft: Draft) -> Draft | None:
    """``une délibération du 21 décembre 2023, publiée au Journal officiel``: the decision the
    publication participle hangs on."""
    for index in sorted(_sentences_of(reading, draft)):
        occurrences = _in_sentence(reading, index)
        mine = next(o for o in occurrences if o.draft is draft)
        before = [o for o in occurrences if o.span.end <= mine.span.start and o.draft is not draft]
        if before and before[-1].draft.type in ("Ruling", "Opinion") \
                and mine.span.start - before[-1].span.end <= 60:
            return before[-1].draft
    return None


def _hearings(reading: Reading) -> None:
    """A hearing follows the appeal it examines and is held by the court it was filed with."""
    appeals = [d for d in reading.drafts if d.type == "Appeal" and d.addressees]
    for hearing in (d for d in reading.drafts if d.type == "Hearing"):
        same = [a for a in appeals if a.section == hearing.section]
        if not same:
            continue
        appeal = min(same, key=lambda a: abs(a.start - hearing.start))
        _relate(hearing, "follows", appeal)
        if not hearing.agents:
            hearing.agents = list(appeal.addressees)
