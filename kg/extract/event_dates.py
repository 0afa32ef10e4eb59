"""Which event mention of a sentence each date expression belongs to.

A date goes to the nearest trigger before it in its clause (``rejetée le 5
mai``), else after it; a date standing alone at the head of the sentence
(``Le 5 mars, ...``) dates the sentence's main verb; a date told relative to
another act (``trois jours après la signature``) is kept for relations.py to
compute once that act's own date is known.
"""

from __future__ import annotations

import re

from kg.extract.drafts import Context, Group, clause_of
from kg.extract.triggers import TOKEN
from kg.models import DateMention, Offset, Span

# nothing, or the noun's own "de X" complement, between the noun and the date
_GENITIVE_GAP = re.compile(r"\s*(?:(?:de|du|des|d')\s*[^,;:()]{1,40}?\s*)?$")
# "contre cette décision", "contestant sa sanction": the noun is the target of the act before it
_AGAINST = re.compile(r"(?<!\w)(?:contre|contestant|attaquant|visant)\s+\w+\s*$", re.IGNORECASE)
_OBJECT_REACH = 12  # characters between a verb and the head noun of its object ("à la requête")
_SAME_TIME = Offset()
_DATE_ONLY_WORDS = frozenset({"en", "dès", "depuis", "à", "au", "le", "la", "l'", "et", "début", "fin", "mi"})


def assign_dates(context: Context, sentence: Span, clauses: list[Span], groups: list[Group]) -> None:
    """Each date expression goes to one mention: the nearest trigger before it in its clause,
    else after it; a date standing alone opening the sentence goes to the sentence's main verb
    and the verbs coordinated with it in its clause.  ``le même jour``, ``dans la foulée``, ``le
    jour même`` (no time away from the act told before) are read only in a sentence that gives no
    other time of its own: ``Dans la foulée, X a promis, en novembre 2020, ...`` is dated by the
    month written."""
    points = [d for d in context.dates_within(sentence.start, sentence.end)
              if d.role == "point" and d.value is not None]
    points = [d for d in points if d.offset != _SAME_TIME] or points
    opening: DateMention | None = None
    leading: list[DateMention] = []
    for mention in points:
        here = clause_of(clauses, mention.span.start)
        if _date_only(context.norm, clauses[here], mention) and not _triggers_before(groups, clauses[here]):
            if opening is None or (opening.offset is not None and mention.offset is None):
                opening = mention
            continue
        if _relational(context.norm, mention):
            group = _nearest_free(context.norm, groups, mention, clauses, here, forward=False) \
                or _free_before_incise(context.norm, groups, mention, clauses[here])
            if group is not None and group.draft is not None:
                group.draft.date, group.draft.relative_to = mention, mention.span.end
            else:
                _mark_relative_source(groups, mention)
            continue
        group = _nearest_free(context.norm, _datable(context, groups, mention), mention, clauses, here)
        if group is not None and group.draft is not None:
            group.draft.date = mention
        elif here == 0 and not _act_date(context, mention):
            leading.append(mention)
    _date_from_leading_clause(groups, clauses, leading)
    if opening is not None:
        # "Le 3 mars, saisi par X, le Conseil a rejeté ...": a participle in apposition is not the main verb
        verbs = [g for g in groups if g.trigger.kind == "verb"]
        main = [g for g in verbs if not g.trigger.passive] or verbs or groups
        free = [g for g in main if g.draft is not None and g.draft.date is None]
        # "Le 4 février, X a mis en demeure Y et Z a rejeté ...": the frame covers coordinated verbs
        first = clause_of(clauses, free[0].trigger.span.start) if free else -1
        for group in free:
            if group.draft is not None and (group is free[0] or (
                    group.trigger.kind == "verb" and clause_of(clauses, group.trigger.span.start) == first)):
                group.draft.date = opening


_VEHICLE_ACT = re.compile(r"(?<!\w)(?:par|dans|via)\s+(?:(?:un|une|le|la|son|sa|leur|cet|cette)\s+|l')?$",
                          re.IGNORECASE)
_GENITIVE_DATE = re.compile(r"(?:du|en date du)\s", re.IGNORECASE)
_ACT_TAIL = 300  # characters an act's name may run on after its date


def _act_date(context: Context, mention: DateMention) -> Span | None:
    """The legal act whose name holds ``mention`` as its genitive (``l'arrêté du 2 septembre 2024``),
    if any: ``a confirmé le jugement en 2022`` dates the confirmation, not the judgment."""
    if not _GENITIVE_DATE.match(mention.span.text):
        return None
    # the act's name may run on past its date ("la loi du 12 mars 2019 relative à ...")
    near = context.acts.within(max(0, mention.span.start - 80), mention.span.end + _ACT_TAIL)
    act = next((m.span for m in near
                if m.span.start <= mention.span.start and mention.span.end <= m.span.end), None)
    # "Par un arrêté du 14 septembre, le préfet a mis en demeure": the act is the vehicle of the event
    if act is None or _VEHICLE_ACT.search(context.norm, max(0, act.start - 20), act.start):
        return None
    return act


def _datable(context: Context, groups: list[Group], mention: DateMention) -> list[Group]:
    """``a annulé l'arrêté du 2 septembre 2024``: the date in a legal act's name is that act's; it
    dates the act's own making (its signature, its publication) or the event named by the act's
    noun itself (``la délibération du 5 février``), never the ruling or the appeal about it."""
    act = _act_date(context, mention)
    if act is None:
        return groups
    return [g for g in groups if g.trigger.type == "Publication"
            or any(act.start <= span.start < act.end for span in g.spans)]


def _date_from_leading_clause(groups: list[Group], clauses: list[Span], leading: list[DateMention]) -> None:
    """``Interrogée mardi, l'autorité a confirmé ...``: a date in an opening clause that tells no act
    dates the act of the next clause, unless a date of its own was found for it."""
    for mention in leading:
        following = [g for g in groups if g.draft is not None and g.draft.date is None
                     and clause_of(clauses, g.trigger.span.start) == 1]
        if following and following[0].draft is not None:
            following[0].draft.date = mention


def _relational(norm: str, mention: DateMention) -> bool:
    """``au lendemain de sa signature``, ``trois jours après la signature``: a date told relative to
    the act named right after it."""
    after = norm[mention.span.end:mention.span.end + 5]
    return bool(re.match(r"\s*(?:(?:de|du|la|le|les)(?!\w)|d'|l')", after)) and mention.offset is not None


def _free_before_incise(norm: str, groups: list[Group], mention: DateMention, clause: Span) -> Group | None:
    """``X a salué, le lendemain de la décision, ...``: a relative date set off by commas right
    after an undated act dates that act."""
    if not re.match(r"\s*,?\s*$", norm[clause.start:mention.span.start]):
        return None
    before = [g for g in groups if g.draft is not None and g.draft.date is None
              and g.trigger.span.end <= clause.start and clause.start - g.trigger.span.end <= 40]
    return max(before, key=lambda g: g.trigger.span.end) if before else None


def _mark_relative_source(groups: list[Group], mention: DateMention) -> None:
    """``publié ce samedi, au lendemain de sa signature``: the act named after the expression is
    the one dated relative to the act before it (relations.py computes it backwards)."""
    following = [g for g in groups if g.trigger.span.start >= mention.span.end and g.draft is not None
                 and g.draft.date is None]
    if following and following[0].draft is not None:
        following[0].draft.dated_before = mention


def _date_only(norm: str, clause: Span, mention: DateMention) -> bool:
    rest = norm[clause.start:mention.span.start] + " " + norm[mention.span.end:clause.end]
    return all(word.lower() in _DATE_ONLY_WORDS for word in TOKEN.findall(rest))


def _triggers_before(groups: list[Group], clause: Span) -> bool:
    return any(span.start < clause.start for g in groups for span in g.spans)


def _governing_verb(norm: str, noun: Group, mention: DateMention, in_clause: list[tuple[Span, Group]]
                    ) -> Group | None:
    """``a fait droit à la requête (de X) le 2 juillet``: a date right after a bare noun (and its
    ``de X``) that is the object of a verb trigger dates the verb's act; ``la requête du 2
    juillet`` dates the noun's."""
    if noun.trigger.kind != "noun" or noun.supports or not _GENITIVE_GAP.match(
            norm, noun.trigger.span.end, mention.span.start) \
            or re.match(r"(?:du|de|d')(?!\w)", mention.span.text, re.IGNORECASE):
        return None
    verbs = [g for span, g in in_clause if g.trigger.kind == "verb" and span.end <= noun.trigger.span.start
             and noun.trigger.span.start - span.end <= _OBJECT_REACH]
    return verbs[-1] if verbs else None


def _recalled_target(norm: str, group: Group, span: Span) -> bool:
    """``a formé un recours contre cette décision la même année``: an act pointed back to as the
    target of another (``contre cette décision``) was dated where it was told; a date after it
    dates the act that targets it."""
    return group.trigger.kind == "noun" and group.trigger.determiner in ("demonstrative", "possessive") \
        and bool(_AGAINST.search(norm, max(0, span.start - 30), span.start))


def _nearest_free(norm: str, groups: list[Group], mention: DateMention, clauses: list[Span], here: int,
                  forward: bool = True) -> Group | None:
    free = [g for g in groups if g.draft is not None and g.draft.date is None]
    # "reçu, il y a deux ans, un blâme": a date inside a trigger's own words dates it
    around = [g for g in free for span in g.spans if span.start <= mention.span.start < span.end]
    if around:
        return around[0]
    in_clause = [(span, g) for g in free for span in g.spans if clause_of(clauses, span.start) == here]
    before = [(span.end, g) for span, g in in_clause if span.end <= mention.span.start
              and not _recalled_target(norm, g, span)]
    if before:
        nearest = max(before, key=lambda item: item[0])[1]
        return _governing_verb(norm, nearest, mention, in_clause) or nearest
    if not forward:
        return None
    after = [(span.start, g) for span, g in in_clause if span.start >= mention.span.end]
    if after:
        return min(after, key=lambda item: item[0])[1]
    earlier = [(span.end, g) for g in free for span in g.spans if span.end <= mention.span.start]
    return max(earlier, key=lambda item: item[0])[1] if earlier else None
