"""Event triggers: the words of ``kg/lexicons/events.json`` found in a sentence.

A trigger is a noun that names a legal event (``un recours``), a verb that
asserts one (``a rejeté``) or a support verb that only joins the noun it
governs (``rendue``, ``formé``).  This module finds them and says how each is
used (determiner, voice, hedging) so events.py can decide which make events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

from kg.extract.conjugate import verb_pattern
from kg.lexicons import load
from kg.models import EventType, Outcome, Span

APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "′": "'"})
TOKEN = re.compile(r"\w+'|\w+")
# "X se voit / s'est vu infliger une amende": X undergoes the act, its agent follows "par"
_SE_VOIR = re.compile(r"(?<!\w)(?:se|s')\s*(?:voi\w*|voy\w*|verr\w*|(?:est|sont|était|étaient)\s+vu\w*)\s+$",
                      re.IGNORECASE)
# "autorisé par un arrêté du préfet": a regulatory act is signed and published, never ruled
_ENACTED = re.compile(r"\s+par\s+(?:un|l'|le|cet?|son)\s*(?:arrêtés?|décrets?)(?!\w)", re.IGNORECASE)
# "des engagements rendus opposables par un arrêté": the act told is the decree, not the promise
_MADE_BINDING = re.compile(r"\s*,?\s+(?:(?:ont|a|avaient|avait) été\s+)?rendue?s?\s+\w+" + _ENACTED.pattern,
                           re.IGNORECASE)
# "l'arrêté du 3 mars qui autorisait", "le décret par lequel le préfet avait autorisé": a relative
# clause on a regulatory act tells what the act does (its author signed it), not a court's ruling
_ACT_RELATIVE = re.compile(r"(?<!\w)(?:arrêtés?|décrets?|circulaires?|délibérations?|règlements?|textes?)"
                           r"(?!\w)[^,.;()«»]{0,60}?\s"
                           r"(?P<pronoun>qui|par\s+lequel|par\s+laquelle|par\s+lesquels)"
                           r"\s+(?:[\w'-]+\s+){0,5}$", re.IGNORECASE)
# "a annoncé qu'il ne ferait pas appel": what follows the complementiser is the content said, not
# the saying; its negation or mood does not reach the verb of saying before it
_COMPLEMENTISER = re.compile(r"(?<!\w)qu(?:e(?!\w)|')", re.IGNORECASE)
_MODAL_REACH = 40  # characters between a noun and the conditional verb it is the subject of


def normalise(text: str) -> str:
    """Apostrophes read as ``'``, same length, so offsets stay valid."""
    return text.translate(APOSTROPHES)


@dataclass(frozen=True)
class Rule:
    """One lexicon entry: a trigger pattern and what it means."""

    type: EventType
    kind: str  # noun | verb | support
    sense: str
    outcome: Outcome | None
    appeal_of_ruling: bool
    regex: re.Pattern[str]
    undergone: bool = False  # "X a écopé d'une amende": the subject undergoes the act, as in a passive


@dataclass(frozen=True)
class Trigger:
    """One trigger occurrence in a sentence.

    ``types`` has one element except for support verbs, which may serve
    several event nouns (``rendu`` for a decision or an opinion).
    """

    span: Span
    kind: str
    types: tuple[EventType, ...]
    sense: str
    outcome: Outcome | None = None
    appeal_of_ruling: bool = False
    determiner: str = ""  # definite | demonstrative | possessive | indefinite | ""
    distinct: bool = False  # "le deuxième recours": another event than the one before
    passive: bool = False  # a participle without "avoir": its agent follows "par"
    undergone: bool = False  # "X a reçu un blâme de Y": the subject undergoes the act, Y does it
    expected: bool = False  # "attendu le 3 juin"

    @property
    def type(self) -> EventType:
        return self.types[0]


@cache
def rules() -> tuple[Rule, ...]:
    """The lexicon's triggers, compiled once."""
    compiled = []
    for entry in load("events")["triggers"]:
        pattern = "|".join(f"(?:{p})" for p in _patterns(entry))
        compiled.append(Rule(
            type=entry["type"], kind=entry["kind"], sense=entry.get("sense", entry["type"]),
            outcome=entry.get("outcome"), appeal_of_ruling=bool(entry.get("appeal_of_ruling")),
            regex=re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE),
            undergone=bool(entry.get("undergone")),
        ))
    return tuple(compiled)


def _patterns(entry: dict[str, Any]) -> list[str]:
    """An entry's hand-written patterns, and every asserting form of its ``lemmas`` (a verb named
    once covers all its inflections), each followed by the entry's ``then`` context when given."""
    then = f"(?={entry['then']})" if "then" in entry else ""
    return [*entry.get("patterns", ()), *(verb_pattern(lemma) + then for lemma in entry.get("lemmas", ()))]


@cache
def _words(group: str, key: str) -> frozenset[str]:
    return frozenset(load("events")[group][key])


@cache
def _cue_regex(key: str) -> re.Pattern[str]:
    cues = load("events")["modality"][key]
    return re.compile(r"(?<!\w)(?:" + "|".join(cues) + r")(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class TriggerSpan:
    """Where a trigger word stands, read before the sentences are parsed (to find actors in its slots)."""

    start: int
    end: int
    types: frozenset[str]
    verb: bool


def trigger_spans(text: str) -> list[TriggerSpan]:
    """Every trigger word of ``text``, longest match first, without the assertion checks."""
    norm = normalise(text)
    # sentence by sentence: overlaps are resolved among a sentence's matches, not the article's
    return [TriggerSpan(span.start, span.end, frozenset(r.type for r in rule_list),
                        any(r.kind in ("verb", "support") for r in rule_list))
            for chunk in _ROUGH_SENTENCE.finditer(norm)
            for rule_list, span in _longest_matches(norm, Span(chunk.start(), chunk.end(), ""))]


_ROUGH_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def find_triggers(norm: str, sentence: Span, clauses: list[Span]) -> list[Trigger]:
    """The triggers of one sentence that assert something: none inside « », in a question,
    in a negated or hedged clause, or as an infinitive of purpose (``visant à annuler``)."""
    if sentence.text.rstrip().endswith("?"):
        return []
    found = _longest_matches(norm, sentence)
    quotes = _quoted(norm, sentence)
    triggers = []
    for rule_list, span in found:
        if any(q_start <= span.start < q_end for q_start, q_end in quotes):
            continue
        clause = next((c for c in clauses if c.start <= span.start < c.end), sentence)
        if _negated(norm, clause, span) or _hedged(norm, sentence, clause, span):
            continue
        if rule_list[0].kind == "noun" and (_modal_predicate(norm, clause, span, found)
                                            or _turned_down(norm, span)):
            continue
        first = rule_list[0]
        if first.kind == "verb" and (_purpose_infinitive(norm, span) or _speech_incise(norm, span)
                                     or _noun_use(norm, clause, span)):
            continue
        if _conditional_before(norm, clause, span):
            continue
        trigger = _trigger(norm, rule_list, span, clause)
        relative = _ACT_RELATIVE.search(norm, max(sentence.start, span.start - 120), span.start) \
            if "Ruling" in trigger.types and trigger.kind == "verb" else None
        if relative is not None and relative.group("pronoun").lower() == "qui":
            continue
        if relative is not None:
            trigger = replace(trigger, types=("Publication",), sense="sign", outcome=None)
        elif "Ruling" in trigger.types and _ENACTED.match(norm, span.end):
            trigger = replace(trigger, types=("Publication",), sense="sign", outcome=None, passive=True)
        elif trigger.kind == "noun" and _MADE_BINDING.match(norm, span.end):
            trigger = replace(trigger, types=("Publication",), sense="bind", outcome=None, passive=True)
        if not trigger.expected and _announced(norm, clause, span, found):
            trigger = replace(trigger, expected=True)
        triggers.append(trigger)
    return triggers


def _longest_matches(norm: str, sentence: Span) -> list[tuple[list[Rule], Span]]:
    """All rule matches, overlaps resolved for the longest; equal spans keep every rule."""
    every, not_triggers = _text_matches(norm)
    matches = {se: rule_list for se, rule_list in every.items()
               if sentence.start <= se[0] and se[1] <= sentence.end}
    chosen = [se for se in not_triggers if sentence.start <= se[0] and se[1] <= sentence.end]
    blocked = list(chosen)
    for start, end in sorted(matches, key=lambda se: (se[0] - se[1], se[0])):
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
    return [(matches[se], Span(se[0], se[1], norm[se[0]:se[1]])) for se in sorted(chosen)
            if se not in blocked]


@lru_cache(maxsize=2)
def _text_matches(norm: str) -> tuple[dict[tuple[int, int], list[Rule]], list[tuple[int, int]]]:
    """Every rule's matches in the whole text, and the fixed phrases that name no event, read once.

    Triggers are looked for sentence by sentence, twice (their spans before the parse, then
    the asserted ones); scanning the text once with each of the lexicon's patterns and
    keeping each sentence's share instead saves a quarter of the extraction time.  A match
    across a sentence end belongs to no sentence, as before; the same extraction came out
    of 421 articles (the test sets and 300 generated ones) either way.
    """
    matches: dict[tuple[int, int], list[Rule]] = {}
    for rule in rules():
        for match in rule.regex.finditer(norm):
            matches.setdefault((match.start(), match.end()), []).append(rule)
    return matches, [(m.start(), m.end()) for m in _not_triggers().finditer(norm)]


@cache
def _not_triggers() -> re.Pattern[str]:
    """Fixed phrases holding a trigger word that name no event (``le juge des référés``)."""
    phrases = "|".join(load("events")["not_triggers"])
    return re.compile(rf"(?<!\w)(?:{phrases})(?!\w)", re.IGNORECASE)


def _trigger(norm: str, rule_list: list[Rule], span: Span, clause: Span) -> Trigger:
    before = [t.lower() for t in TOKEN.findall(norm[clause.start:span.start])][-3:]
    rule_list = _verb_first(rule_list, before)
    first = rule_list[0]
    determiner, distinct = _determiner(before)
    after = norm[span.end:clause.end]
    distinct = distinct or _additive(first, before, after)
    return Trigger(
        span=Span(span.start, span.end, span.text), kind=first.kind,
        types=tuple(dict.fromkeys(r.type for r in rule_list)), sense=first.sense,
        outcome=first.outcome, appeal_of_ruling=first.appeal_of_ruling,
        determiner=determiner, distinct=distinct,
        passive=first.kind != "noun" and ((_participle(span.text) and not _has_auxiliary(before)
                                            and not _present_form(first, span.text)
                                            and not _dative_present(span.text, after)
                                            and not _REPORTING.match(after))
                                           or bool(_SE_VOIR.search(norm, clause.start, span.start))
                                           or first.undergone),
        undergone=first.undergone,
        expected=bool(_cue_regex("future").match(after.strip().removeprefix("est ").removeprefix("sont ")))
        or _after_future_auxiliary(before, first.kind),
    )


def _additive(rule: Rule, before: list[str], after: str) -> bool:
    """``a également enjoint à X``, ``devra en outre publier``, ``a par ailleurs infligé``: a verb of
    ordering or penalising with an additive adverb tells one more order or penalty, not the one before."""
    if rule.kind == "noun" or rule.type not in ("Request", "Sanction"):
        return False
    following = [t.lower() for t in TOKEN.findall(after)][:1]
    return bool(_words("determiners", "additive") & set(before[-2:] + following))


def _verb_first(rule_list: list[Rule], before: list[str]) -> list[Rule]:
    """``ont été mises en demeure``: a form both noun and verb is the verb after an auxiliary."""
    auxiliaries = frozenset(load("events")["auxiliaries"]) | {"été"}
    if before and before[-1] in auxiliaries and any(r.kind == "verb" for r in rule_list):
        return sorted(rule_list, key=lambda r: r.kind != "verb")
    return rule_list


def _after_future_auxiliary(before: list[str], kind: str) -> bool:
    """``sera rendue``, ``doit présenter son avis``: an act announced for later, not yet done."""
    return bool(_words("modality", "future_auxiliaries") & set(before if kind == "noun" else before[-2:]))


def _determiner(before: list[str]) -> tuple[str, bool]:
    """The determiner among the (up to three) words before a noun, and whether an ordinal marks
    the noun as a new, distinct event."""
    distinct = any(word in _words("determiners", "distinct") for word in before)
    for word in reversed(before):
        for kind in ("demonstrative", "possessive", "indefinite", "definite"):
            if word in _words("determiners", kind):
                return kind, distinct
    return "", distinct


def _participle(text: str) -> bool:
    """A bare past participle (``rendue``, ``formé``): neither reflexive nor conjugated with its auxiliary."""
    lowered = text.lower()
    if lowered.startswith(("s'", "a ", "ont ", "avait ", "avaient ")):
        return False
    head = lowered.split()[0] if lowered.split() else lowered  # "mises en demeure": the participle leads
    if re.search(r"\w\went$", head):  # "enjoignent", "contestent": a present plural, never a participle
        return False
    return bool(re.search(r"(?:é|ée|és|ées|i|ie|is|ies|ise|ises|u|ue|us|ues|t|te|ts|tes)$", head))


def _present_form(rule: Rule, text: str) -> bool:
    """``salue``, ``homologue``, ``saisit``, ``conclut``: a present tense that ends like a participle
    (``rendue``, ``écrit``) but is active, told by the verb's own participle matching the rule too
    (``salué``, ``saisi``, ``conclu``), or a ``-mettre`` verb's ``met``."""
    head = text.split()[0] if text.split() else text
    if re.search(r"met$", head, re.IGNORECASE):  # met, remet, soumet: -mettre's participle is -mis
        return True
    ending = re.search(r"ue(s?)$", head, re.IGNORECASE)
    if ending is not None:
        return bool(rule.regex.fullmatch(head[:ending.start()] + "ué" + ending.group(1)))
    return bool(re.search(r"[iu]t$", head, re.IGNORECASE)) and bool(rule.regex.fullmatch(head[:-1]))


# "la société dit avoir pris acte", "X écrit que": a that-clause or an infinitive follows an active verb,
# never a passive participle
_REPORTING = re.compile(r"\s*(?:(?:avoir|être|que)(?!\w)|qu')", re.IGNORECASE)


# "enjoint également au préfet", "contraint la société": after the verb, an optional adverb then a dative
_DATIVE = re.compile(r"\s*(?:(?:également|aussi|en outre|par ailleurs|notamment|donc|enfin),?\s+)?"
                     r"(?:à|au|aux)\s", re.IGNORECASE)


def _dative_present(text: str, after: str) -> bool:
    """``Le tribunal enjoint au préfet``: a verb in ``-int`` is its own present tense and participle;
    followed by the one it orders (``à X``), it is the active present, not a passive participle."""
    return text.lower().endswith("int") and bool(_DATIVE.match(after))


def _has_auxiliary(before: list[str]) -> bool:
    """A verb after ``a``/``avait`` is active; after ``été`` or alone it is passive or adjectival."""
    auxiliaries = frozenset(load("events")["auxiliaries"])
    for word in reversed(before):
        if word == "été":
            return False
        if word in auxiliaries:
            return True
        if word in {"s'", "se", "est", "sont", "était", "étaient"}:
            return True  # reflexive or être-conjugated active verb (s'est engagé, est paru)
    return False


def _quoted(norm: str, sentence: Span) -> list[tuple[int, int]]:
    """Reported speech: « ... » stretches produce no events of their own, except a stance quoted
    in the speaker's own words (``la société « prend acte » de la décision``): a short quote
    holding a verb of reaction is the narrator's verb, only in quotation marks."""
    spans = []
    for match in re.finditer(r"«[^»]*(?:»|$)", norm[sentence.start:sentence.end]):
        inner = match.group().strip("«» ")
        if len(TOKEN.findall(inner)) <= _STANCE_WORDS and _reaction().search(inner):
            continue
        spans.append((sentence.start + match.start(), sentence.start + match.end()))
    return spans


_STANCE_WORDS = 3


def _negated(norm: str, clause: Span, span: Span) -> bool:
    """A negation in the trigger's clause, short of a complement clause after the trigger: in
    ``a fait savoir qu'elle ne ferait pas appel`` the saying is asserted, the appeal is not."""
    complement = _COMPLEMENTISER.search(norm, span.end, clause.end)
    return bool(_cue_regex("negation").search(norm, clause.start, complement.start() if complement
                                              else clause.end))


def _hedged(norm: str, sentence: Span, clause: Span, span: Span) -> bool:
    """Hypothetical: a conditional or ``si`` earlier in the sentence, or ``reste possible`` in the clause."""
    if _cue_regex("before").search(norm, sentence.start, span.start):
        return True
    return bool(_cue_regex("clause").search(norm, clause.start, clause.end))


def _announced(norm: str, clause: Span, span: Span, found: list[tuple[list[Rule], Span]]) -> bool:
    """``L'arrêt de la cour est attendu le 3 juin``: the predicate of the trigger's clause,
    past its complements and before any other trigger, announces it for later."""
    cue = _cue_regex("announced").search(norm, span.end, clause.end)
    if cue is None or cue.start() - span.end > _MODAL_REACH:
        return False
    return not any(span.end <= other.start < cue.start() for _, other in found)


def _modal_predicate(norm: str, clause: Span, span: Span, found: list[tuple[list[Rule], Span]]) -> bool:
    """``Un recours pourrait être déposé``: a noun whose own predicate is conditional names a
    possibility, unless a trigger between them (``le recours déposé par X pourrait ...``) shows
    the noun's act was asserted first."""
    modal = _cue_regex("conditional").search(norm, span.end, clause.end)
    if modal is None or modal.start() - span.end > _MODAL_REACH:
        return False
    return not any(span.end <= other.start < modal.start() for _, other in found)


def _turned_down(norm: str, span: Span) -> bool:
    """``X avait proposé des engagements, jugés insuffisants``: a proposal rejected at once was never
    an act of its own (no commitment was made)."""
    gap = re.match(r"[ ,]*", norm[span.end:span.end + 4])
    return _cue_regex("rejected").match(norm, span.end + (gap.end() if gap else 0)) is not None


def _purpose_infinitive(norm: str, span: Span) -> bool:
    """``visant à annuler``, ``pour saisir``: an aim, not an act (``commencé par saisir`` is one)."""
    if not re.search(r"(?:er|ir|re)$", span.text, re.IGNORECASE):
        return False
    before = TOKEN.findall(norm[max(0, span.start - 30):span.start])
    return bool(before) and before[-1].lower() in {"à", "pour", "de", "d'", "afin"}


# a verb ending in the conditional mood (ferait, saisirait, formeraient); nouns with that ending excluded
_CONDITIONAL_VERB = re.compile(
    r"(?<!\w)(?!(?:re|por|ex|at|abs|dis|sous)?traits?\b)\w{2,}(?:rait|raient)(?!\w)", re.IGNORECASE)


def _conditional_before(norm: str, clause: Span, span: Span) -> bool:
    """``qu'il ferait appel``, ``la société saisirait le juge``: any verb in the conditional mood
    before the trigger in its clause makes the act hypothetical (not only the listed modals)."""
    return bool(_CONDITIONAL_VERB.search(norm, clause.start, span.start))


def _noun_use(norm: str, clause: Span, span: Span) -> bool:
    """A verb form used as a noun or an adjective names no act: after a determiner (``une saisie``,
    ``cette publication``), or a bare participle qualifying the noun of a noun phrase just before it
    when that noun names no legal act or event (``les revenus non déclarés``, ``des dispositions
    censurées``): the act, if any, was told elsewhere."""
    before = [t.lower() for t in TOKEN.findall(norm[clause.start:span.start])]
    if not before:
        return False
    head = span.text.split()[0]
    if before[-1] in _words("determiners", "before_nouns") or (
            before[-1] in _words("determiners", "definite") and _participle(head)):
        return True
    if before[-1] in ("non", "pas"):
        before = before[:-1]
    if len(before) < 2 or not re.search(r"(?:é|ée|és|ées|u|ue|us|ues)$", head.lower()):
        return False
    noun, determiner = before[-1], before[-2]
    verbs = frozenset(load("events")["auxiliaries"]) | {"été", "est", "sont", "était", "étaient"}
    return (noun.isalpha() and noun not in _act_nouns() and noun not in verbs
            and any(determiner in _words("determiners", kind)
                    for kind in ("definite", "demonstrative", "possessive", "indefinite")))


@cache
def _act_nouns() -> frozenset[str]:
    """Nouns a participle may qualify as an act just told (``le décret publié``, ``l'arrêté signé``)."""
    words = {w for t in load("legal_acts")["triggers"] for w in t["word"].split()}
    return frozenset(words | {w + "s" for w in words} | set(_words("determiners", "act_nouns")))


def _speech_incise(norm: str, span: Span) -> bool:
    """``», écrit le ministre``: the verb only attributes the quote before it; a verb of reaction
    (``», s'est félicitée la présidente``, ``», a réagi le maire``) reports a stance taken, an act."""
    if not re.search(r"»\s*,?\s*$", norm[max(0, span.start - 5):span.start]):
        return False
    return not _reaction().search(span.text)


@cache
def _reaction() -> re.Pattern[str]:
    stems = "|".join(load("events")["reaction_verbs"])
    return re.compile(rf"(?<!\w)(?:{stems})", re.IGNORECASE)
