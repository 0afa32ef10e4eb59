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
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import cache

from kg.extract.drafts import Draft, Occurrence, Reading
from kg.extract.triggers import normalise
from kg.lexicons import load
from kg.models import DateMention, Offset, Relation, TimeValue

Anchor = Callable[[DateMention, TimeValue], TimeValue | None]
# Sentences between two acts a relation may link: a long news article's whole body.  Prose further
# apart has moved on to other affairs, and the bound keeps linking linear in the length of the text.
RELATION_WINDOW = 40


def link(reading: Reading, text: str, anchor: Anchor) -> None:
    """Add relations to the drafts of ``reading`` and fill the arguments they imply."""
    norm = normalise(text)
    _resolve_appellants(reading)
    _anchor_relative_dates(reading, norm, anchor)
    _share_within_sentence(reading)
    _date_injunctions(reading)
    _decides(reading)
    _targets(reading, norm)
    _discloses(reading)
    _responds(reading, norm)
    _follows(reading)
    _hearings(reading)
    _after_notices(reading)
    _law_steps(reading)
    _answers(reading)
    _made_binding(reading)
    _complaints_handled(reading)


def _relate(source: Draft, relation: Relation, target: Draft) -> None:
    if source is not target and (relation, target) not in source.related:
        source.related.append((relation, target))


def _in_sentence(reading: Reading, index: int) -> list[Occurrence]:
    return reading.in_sentence(index)


def _sentences_of(reading: Reading, draft: Draft) -> set[int]:
    return reading.sentences_of(draft)


def _near(reading: Reading, draft: Draft, *types: str, after: bool = True) -> list[Draft]:
    """Drafts of ``types`` first told within ``RELATION_WINDOW`` sentences of ``draft`` (before it
    only, unless ``after``), in reading order."""
    last = draft.sentence + RELATION_WINDOW if after else draft.sentence
    return reading.of_type(*types, first=draft.sentence - RELATION_WINDOW, last=last)


def _told_from(reading: Reading, offset: int) -> Iterator[Occurrence]:
    """Occurrences in the order they were read, from the sentence holding ``offset`` on, for
    ``RELATION_WINDOW`` sentences."""
    first = reading.sentence_at(offset)
    for index in range(first, min(first + RELATION_WINDOW + 1, len(reading.sentences))):
        yield from reading.in_sentence(index, by_position=False)


def _told_back_from(reading: Reading, offset: int) -> Iterator[Occurrence]:
    """Occurrences in reverse reading order, from the sentence holding ``offset`` back, for
    ``RELATION_WINDOW`` sentences."""
    first = reading.sentence_at(offset)
    for index in range(first, max(first - RELATION_WINDOW, 0) - 1, -1):
        yield from reversed(reading.in_sentence(index, by_position=False))


def _relation_targets(draft: Draft, relation: Relation) -> list[Draft]:
    return [target for kind, target in draft.related if kind == relation]


# --------------------------------------------------------------------------- arguments


def _resolve_appellants(reading: Reading) -> None:
    """``les requérants`` are the agents of the nearest earlier appeal (else of a later one)."""
    for draft in reading.drafts:
        if draft.appellants and not draft.agents:
            appeals = [d for d in _near(reading, draft, "Appeal") if d.agents]
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
            named = next((o.draft for o in _told_from(reading, draft.relative_to)
                          if o.span.start >= draft.relative_to and o.draft is not draft
                          and o.draft.date is not None and o.draft.date.offset is None), None)
            if named is not None and named.date is not None and named.date.value is not None:
                draft.date = _moved(mention, anchor(mention, named.date.value))
                continue
        if mention is None or mention.offset is None or not pattern.search(norm, mention.span.start,
                                                                            mention.span.end):
            continue
        same_time = mention.offset == Offset()
        reference = next((d.date.value for d in _before(ordered, position)
                          if d.date is not None and d.date.value is not None and d.date.offset is None
                          and not (same_time and _background(norm, d))), None)
        if reference is not None:
            draft.date = _moved(mention, anchor(mention, reference))


# "qui, en novembre 2022, avait déjà encadré", "l'arrêté avait été pris le 3 mars": a pluperfect
_PLUPERFECT = re.compile(r"(?<!\w)(?:avait|avaient|était|étaient)(?!\w)", re.IGNORECASE)


def _background(norm: str, draft: Draft) -> bool:
    """An act told in the pluperfect is background: ``dans la foulée``, ``le même jour`` follow the
    act the story is about, not one recalled in passing."""
    trigger = draft.triggers[0].span
    date = draft.date.span if draft.date is not None else trigger
    return bool(_PLUPERFECT.search(norm, max(0, trigger.start - 30), trigger.start)
                or _PLUPERFECT.search(norm, date.end, date.end + 25))


def _before(ordered: list[Draft], position: int) -> Iterator[Draft]:
    """The drafts told before ``ordered[position]``, nearest first, within ``RELATION_WINDOW`` sentences."""
    for index in range(position - 1, -1, -1):
        if ordered[index].sentence < ordered[position].sentence - RELATION_WINDOW:
            return
        yield ordered[index]


def _moved(mention: DateMention, value: TimeValue | None) -> DateMention:
    return DateMention(mention.span, mention.role, value, mention.offset, mention.future, mention.flags)


def _date_backwards(reading: Reading, anchor: Anchor) -> None:
    """``publié ce samedi, au lendemain de sa signature``: the signature is a day before."""
    for draft in reading.drafts:
        mention = draft.dated_before
        if mention is None or mention.offset is None or draft.date is not None:
            continue
        told = next((o.draft for o in _told_back_from(reading, mention.span.start)
                     if o.span.end <= mention.span.start
                     and o.draft.date is not None and o.draft.date.value is not None), None)
        if told is not None and told.date is not None and told.date.value is not None:
            offset = mention.offset
            back = DateMention(mention.span, mention.role, None,
                               Offset(-offset.years, -offset.months, -offset.days))
            draft.date = _moved(told.date, anchor(back, told.date.value))


def _date_injunctions(reading: Reading) -> None:
    """``Le tribunal a annulé l'arrêté le 3 mai. Il enjoint également au maire de ...``: an undated
    order told after a dated ruling or penalty of the same author is given in that decision, so it
    bears its date."""
    for draft in reading.drafts:
        if draft.type != "Request" or draft.date is not None or not draft.agents or draft.expected:
            continue
        decisions = [d for d in _near(reading, draft, "Ruling", "Sanction", after=False)
                     if d.start < draft.start and d.date is not None and d.date.offset is None
                     and set(d.agents) & set(draft.agents)]
        if decisions:
            draft.date = decisions[-1].date


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
    rulings = reading.of_type("Ruling")
    latest = _LatestRuling(rulings)
    for ruling in rulings:
        asserted = any(t.kind != "noun" for t in ruling.triggers)
        sentences = sorted(_sentences_of(reading, ruling)) if asserted else []
        together = next((o.draft for index in sentences for o in reading.in_sentence(index, by_position=False)
                         if not o.anaphor and o.draft.type == "Appeal" and id(o.draft) not in decided
                         and not latest.appealed_by(o.draft, ruling) and not _later(o.draft, ruling)), None)
        if together is not None:
            _decide(ruling, together, decided)
    for ruling in rulings:
        if not _relation_targets(ruling, "decides"):
            appeal = _filed_with(reading, ruling, decided, latest)
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


class _LatestRuling:
    """The ruling told last before a point of the text, by binary search over the rulings' starts."""

    def __init__(self, rulings: list[Draft]) -> None:
        self.rulings = sorted(rulings, key=lambda d: d.start)  # stable: reading order among equals
        self.starts = [d.start for d in self.rulings]

    def appealed_by(self, appeal: Draft, ruling: Draft) -> bool:
        """``elles ont fait appel``: an appeal against a ruling (the last one told before it) is
        never decided by that ruling."""
        if not _of_ruling(appeal):
            return False
        before = bisect_left(self.starts, appeal.start)
        if not before:
            return False
        return self.rulings[bisect_left(self.starts, self.starts[before - 1])] is ruling


def _later(draft: Draft, than: Draft) -> bool:
    """Whether ``draft`` surely happened after ``than``: a ruling never decides an appeal filed
    after it, an appeal or an opinion never targets an act that came later."""
    if draft.date is None or than.date is None or draft.date.value is None or than.date.value is None:
        return False
    return draft.date.value.first_day() > than.date.value.last_day()


def _filed_with(reading: Reading, ruling: Draft, decided: set[int], latest: _LatestRuling) -> Draft | None:
    if not ruling.agents or ruling.section != "body" or all(t.kind == "noun" for t in ruling.triggers):
        return None
    candidates = [d for d in _near(reading, ruling, "Appeal") if id(d) not in decided
                  and d.section == ruling.section and not latest.appealed_by(d, ruling)
                  and not _later(d, ruling)
                  and (set(d.addressees) & set(ruling.agents) or not d.addressees)]
    # an appeal lodged with the ruling's own court before one whose court the text does not name
    return min(candidates, default=None,
               key=lambda d: (not set(d.addressees) & set(ruling.agents), abs(d.start - ruling.start)))


def _targets(reading: Reading, norm: str) -> None:
    """An appeal targets the act it attacks: the decision appealed, else an act sharing a legal
    text with it, else the publication or decision named after it in its sentence; an opinion
    targets the draft act it is about."""
    acts = _Acts(reading)
    for draft in reading.drafts:
        if draft.type not in ("Appeal", "Opinion"):
            continue
        target = _attacked(reading, draft, norm, acts)
        if target is not None:
            _relate(draft, "targets", target)
            draft.legal_acts = list(dict.fromkeys(draft.legal_acts + target.legal_acts))


class _Acts:
    """The publications and rulings an appeal or an opinion may target, looked up by legal text."""

    def __init__(self, reading: Reading) -> None:
        self.deciders: dict[int, set[int]] = {}  # id(appeal) -> ids of the rulings deciding it
        for draft in reading.drafts:
            for relation, target in draft.related:
                if relation == "decides":
                    self.deciders.setdefault(id(target), set()).add(id(draft))
        self.position = {id(d): n for n, d in enumerate(reading.drafts)}
        self.by_text: dict[str, list[Draft]] = {}
        for draft in reading.of_type("Publication", "Ruling"):
            for label in dict.fromkeys(draft.legal_acts):
                self.by_text.setdefault(label, []).append(draft)

    def targetable(self, act: Draft, by: Draft) -> bool:
        """Whether ``act`` may be what ``by`` attacks: not its own decision, not a later act."""
        return act.type in ("Publication", "Ruling") and act is not by \
            and id(act) not in self.deciders.get(id(by), ()) and not _later(act, by)

    def sharing(self, draft: Draft) -> Draft | None:
        """The first act told (anywhere in the article) that names a legal text ``draft`` names."""
        found = [next((act for act in self.by_text.get(label, []) if self.targetable(act, draft)), None)
                 for label in draft.legal_acts]
        return min((act for act in found if act is not None), key=lambda act: self.position[id(act)],
                   default=None)


# "l'appel de X", "son pourvoi": nouns that name an appeal against a ruling, whatever verb carries them
_APPEAL_OF_RULING = re.compile(r"(?:appels?|pourvois?)(?: en cassation)?", re.IGNORECASE)


def _of_ruling(appeal: Draft) -> bool:
    return any(t.appeal_of_ruling or (t.kind == "noun" and _APPEAL_OF_RULING.fullmatch(t.span.text))
               for t in appeal.triggers)


def _attacked(reading: Reading, draft: Draft, norm: str, acts: _Acts) -> Draft | None:
    if _of_ruling(draft):
        earlier = [d for d in _near(reading, draft, "Ruling", after=False)
                   if acts.targetable(d, draft) and d.start < draft.start]
        return earlier[-1] if earlier else None
    sharing = acts.sharing(draft)
    if sharing is not None:
        return sharing
    if draft.type != "Appeal":
        return None
    for index in sorted(_sentences_of(reading, draft)):
        mine = [o for o in _in_sentence(reading, index) if o.draft is draft]
        later = [o.draft for o in _in_sentence(reading, index) if acts.targetable(o.draft, draft)
                 and o.span.start > mine[0].span.start]
        if not later and _continues(reading, norm, index + 1):
            later = [o.draft for o in _in_sentence(reading, index + 1) if acts.targetable(o.draft, draft)]
        if later:
            return later[0]
    return _contested(reading, draft, acts) or _named_text(reading, draft, norm)


def _contested(reading: Reading, appeal: Draft, acts: _Acts) -> Draft | None:
    """``X a déposé un recours`` naming no act: a party contests the decision taken against it,
    the sanction, formal notice or ruling addressed to it dated last not after its appeal (an
    order given with a sanction is part of it, not a decision of its own)."""
    if not appeal.agents:
        return None
    against = [d for d in _near(reading, appeal, "Sanction", "Request", "Ruling")
               if d.section == appeal.section and set(d.addressees) & set(appeal.agents)
               and (d.type != "Request" or _notice(d)) and not set(d.agents) & set(appeal.agents)
               and id(d) not in acts.deciders.get(id(appeal), ()) and not _later(d, appeal)]
    return max(against, key=_day_told, default=None)


@cache
def _text_attacked() -> re.Pattern[str]:
    """``contre l'arrêté``, ``déféré la délibération``: an appeal cue before a definite regulatory
    text (not a court decision: an appeal against a ruling is read elsewhere)."""
    cues = "|".join(sorted(load("events")["target_cues"], key=len, reverse=True))
    words = {t["word"] for t in load("legal_acts")["triggers"]
             if t["kind"] not in ("CourtDecision", "Contract", "Ordinance")}
    texts = "|".join(sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{cues}) (?:le |la |l'|ce |cet |cette )(?:{texts})(?!\w)", re.IGNORECASE)


def _named_text(reading: Reading, appeal: Draft, norm: str) -> Draft | None:
    """``X a déposé un recours contre l'arrêté``: the definite text is the one whose publication
    (signature, adoption) was told before, the latest not after the appeal."""
    if not any(_text_attacked().search(norm, reading.sentences[index].start, reading.sentences[index].end)
               for index in _sentences_of(reading, appeal)):
        return None
    published = [d for d in _near(reading, appeal, "Publication", after=False)
                 if d.start < appeal.start and d.section == appeal.section
                 and not set(d.agents) & set(appeal.agents) and not _later(d, appeal)]
    return max(published, key=lambda d: d.start, default=None)


def _notice(request: Draft) -> bool:
    """Whether a request is a formal notice (``mise en demeure``), a decision of its own."""
    return any("demeure" in t.span.text.lower() for t in request.triggers)


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
    _reactions(reading)


def _reactions(reading: Reading) -> None:
    """``Bercy s'est félicité de la fermeté du régulateur``: a statement that names no act in its
    sentence reacts to the article's decision, the ruling or sanction dated last (one recalled from
    years before is background); among decisions of one day, the one its author was the addressee
    of, else the one told first.  A statement made before that decision is background too: it
    reacts to none of the acts told."""
    for statement in reading.of_type("Statement"):
        if statement.related:
            continue
        decision = _main_decision(reading, statement)
        if decision is not None and not _later(decision, statement):
            _relate(statement, "responds_to", decision)


def _main_decision(reading: Reading, statement: Draft) -> Draft | None:
    decisions = [d for d in _near(reading, statement, "Ruling", "Sanction") if d.section == statement.section]
    dated = [d for d in decisions if d.date is not None and d.date.value is not None]
    if not dated:
        earlier = [d for d in decisions if d.start < statement.start]
        return max(earlier, key=lambda d: d.start) if earlier else None
    return max(dated, key=lambda d: (_day_told(d)[0], bool(set(d.addressees) & set(statement.agents)),
                                     -d.start))


def _follows(reading: Reading) -> None:
    """A court's request follows its ruling (and is dated by it); a ruling that rejects but
    orders something is partly granted; a decision's publication follows the decision."""
    for draft in reading.drafts:
        if draft.type == "Request" and not draft.agents:
            _imposed_by(reading, draft)
        if draft.type == "Request" and draft.agents:
            by_same = [r for r in _near(reading, draft, "Ruling", "Sanction")
                       if set(r.agents) & set(draft.agents) and r.section == draft.section
                       and not _later(r, draft) and not _later(draft, r)]
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


def _after_notices(reading: Reading) -> None:
    """A regulator's sanction, or the hearing of its procedure, follows the formal notice
    (``mise en demeure``) its author gave before: the procedure opens when the notice is not
    complied with.  Run last, once hearings know who holds them."""
    for draft in reading.of_type("Sanction", "Hearing"):
        if draft.related:
            continue
        notices = [r for r in _near(reading, draft, "Request") if set(r.agents) & set(draft.agents)
                   and r.section == draft.section and _later(draft, r)
                   and _notice(r)]
        if notices:
            _relate(draft, "follows", max(notices, key=lambda r: r.start))


def _law_steps(reading: Reading) -> None:
    """A law is ruled on, promulgated, then printed in the gazette: a promulgation follows the
    last ruling dated before it, a gazette publication the promulgation before it."""
    for draft in reading.of_type("Publication"):
        if draft.related or draft.sense not in ("promulgate", "publish"):
            continue
        step = "promulgate" if draft.sense == "publish" else ""
        before = [d for d in _near(reading, draft, "Publication", "Ruling") if d is not draft
                  and _later(draft, d) and d.section == draft.section
                  and (d.sense == step if d.type == "Publication" else draft.sense == "promulgate")]
        if before:
            _relate(draft, "follows", max(before, key=_day_told))


def _day_told(draft: Draft) -> tuple[int, int]:
    """Sort key: the last day an act may have happened on (dated acts only), then where it is told."""
    value = draft.date.value if draft.date is not None else None
    return (value.last_day().toordinal() if value is not None else 0, draft.start)


def _answers(reading: Reading) -> None:
    """``Dans un courrier du 20 février, le ministère s'engage à ...``: a letter or a commitment from
    the addressee of a formal request made before it answers that request."""
    for draft in reading.of_type("Letter", "Commitment"):
        if draft.related or not draft.agents:
            continue
        asked = [r for r in _near(reading, draft, "Request") if set(r.addressees) & set(draft.agents)
                 and r.section == draft.section and _later(draft, r)]
        if asked:
            _relate(draft, "responds_to", max(asked, key=_day_told))


def _made_binding(reading: Reading) -> None:
    """``des engagements rendus opposables par un arrêté``: the decree follows the commitments it
    makes binding, the latest told before it."""
    for draft in reading.of_type("Publication"):
        if draft.sense != "bind" or draft.related:
            continue
        promised = [c for c in _near(reading, draft, "Commitment", after=False)
                    if c.start < draft.start and c.section == draft.section and not _later(c, draft)]
        if promised:
            _relate(draft, "follows", max(promised, key=lambda c: c.start))


def _complaints_handled(reading: Reading) -> None:
    """``Saisie d'une plainte en 2019, la CNIL a mis en demeure ...``: a regulator's formal notice
    follows the complaint lodged with it before, and its fine decides that complaint."""
    for draft in reading.of_type("Request", "Sanction"):
        relation: Relation = "follows" if draft.type == "Request" else "decides"
        if not draft.agents or _relation_targets(draft, relation):
            continue
        lodged = [a for a in _near(reading, draft, "Appeal") if set(a.addressees) & set(draft.agents)
                  and a.section == draft.section and _later(draft, a)
                  and not _of_ruling(a)]
        if lodged:
            _relate(draft, relation, max(lodged, key=_day_told))


def _imposed_by(reading: Reading, request: Draft) -> None:
    """``L'opérateur dispose de deux mois pour ...``: an obligation whose author is not
    named was imposed by the decisions told just before it (rulings or sanctions of one author on
    one date), which it follows and whose author and date it takes."""
    if not all(t.passive for t in request.triggers if t.kind != "noun"):
        return
    decisions = [d for d in _near(reading, request, "Ruling", "Sanction", after=False) if d.agents
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
        if before and before[-1].draft.type in ("Ruling", "Opinion", "Sanction") \
                and mine.span.start - before[-1].span.end <= 60:
            return before[-1].draft
    return None


def _hearings(reading: Reading) -> None:
    """A hearing follows the appeal it examines, one lodged before it, and is held by the court it
    was filed with; with no appeal before it (a regulator's sanction procedure), by the author of
    the first decision told that is not dated before it: the one that closes the procedure."""
    for hearing in reading.of_type("Hearing"):
        same = [a for a in _near(reading, hearing, "Appeal") if a.addressees and a.section == hearing.section
                and not _later(a, hearing)]
        if same:
            appeal = min(same, key=lambda a: abs(a.start - hearing.start))
            _relate(hearing, "follows", appeal)
            if not hearing.agents:
                hearing.agents = list(appeal.addressees)
        if not hearing.agents:
            closing = [d for d in _near(reading, hearing, "Ruling", "Sanction")
                       if d.agents and d.section == hearing.section and not _later(hearing, d)]
            if closing:
                hearing.agents = list(min(closing, key=lambda d: d.start).agents)
