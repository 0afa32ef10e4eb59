"""The arguments of an event mention: agents, addressees, legal acts, deadline and evidence.

A mention takes its agents from ``par`` after a passive verb or a noun, from
``de`` right after a noun, else from the subject before a verb (a pronoun
subject refers to the previous sentence's); its addressees from role cues
(``auprès de``, ``à``, ``devant``) and, for some types, the direct object.
Every actor mention carries the preposition it hangs on (``_cued``), which is
what most of these rules read.
"""

from __future__ import annotations

import re
from functools import cache

from kg.extract.drafts import Context, Draft, Group, clause_of, unique
from kg.extract.penalties import AMOUNT, penalty_shares
from kg.extract.triggers import TOKEN, Trigger
from kg.lexicons import load
from kg.models import Mention, Span

# "X et Y", "X, de Y", "X à 100 millions d'euros et Y": the second name hangs on the first one's cue
_COORDINATION = re.compile(rf"^\s*(?:(?:à|de)\s+{AMOUNT}\s*)?(?:,|et|ou)?\s*"
                           r"(?:(?P<prep>de|du|des|d'|à|au|aux)\s*)?(?:la |le |l'|les )?$")
# ("à l'encontre de X" is no infinitive: the addressee of a penalty follows it)
_INFINITIVE_COMPLEMENT = re.compile(r"(?<!\w)(?:de|d'|à)\s*(?:\w+'|\w+\s+)?(?!encontre)\w+(?:er|ir|re)(?!\w)")
_CONJUNCTIONS = frozenset({"et", "mais", "puis", "or", "donc"})
_RELATIVE = re.compile(r"(?<!\w)(?:(?:par|pour|dans|selon|sur|avec)\s+(?:laquelle|lequel|lesquels|lesquelles)"
                       r"|dont|que|qu')(?!\w)", re.IGNORECASE)
_PRONOUNS = frozenset({"il", "elle", "ils", "elles", "on", "qui"})
# "l'avis de X", "un avis favorable de X", "la décision n° 2024-052 de X": the author after the noun,
# past at most one adjective or number
_OF_NOUN = re.compile(r"\s*(?:(?:n°\s*)?[\w-]+\s+)?(?:de\s+la\s+|de\s+l'|de\s+|du\s+|des\s+|d')(?:\w+\s+)?$",
                      re.IGNORECASE)


def fill(context: Context, sentence: Span, clauses: list[Span], group: Group, groups: list[Group]
          ) -> None:
    draft = group.draft
    assert draft is not None
    trigger = group.trigger
    passive = trigger.passive or (trigger.kind == "noun" and all(s.passive for s in group.supports))
    draft.agents = _agents(context, sentence, clauses, group, groups, passive)
    if _court_sentence(context, draft, trigger):
        draft.type = draft.sense = "Ruling"
    elif _court_confirms(context, draft, trigger):
        draft.type = draft.sense = "Ruling"
        draft.outcome = "upheld" if trigger.span.text.lower().startswith("confirm") else None
    draft.appellants = not draft.agents and _names_appellants(context.norm, sentence, group)
    addressees = _addressees(context, sentence, clauses, group, groups)
    if _party_asks_court(context, draft, trigger, addressees):
        draft.type = draft.sense = "Appeal"
    if draft.type == "Appeal":  # the court appealed to is never the appellant
        draft.agents = [a for a in draft.agents
                        if a not in addressees and not _court_filing(context, draft, a)]
    draft.addressees = [a for a in addressees if a not in draft.agents]
    draft.bare = draft.date is None and not draft.agents
    reach = _reach(clauses, group)
    draft.legal_acts = list(dict.fromkeys(m.key for c in reach for m in context.acts.within(c.start, c.end)))
    if draft.type in ("Commitment", "Request"):
        # from the trigger on: "disposent de trois mois pour" holds its own deadline
        draft.deadline = next((d for d in context.dates_within(trigger.span.start, sentence.end)
                               if d.role == "deadline"), None)
    draft.evidence = [_evidence(context, clauses, group)]
    if draft.type == "Sanction":
        draft.shares = penalty_shares(context, sentence, groups, draft.addressees, draft.evidence[0])


def _court_sentence(context: Context, draft: Draft, trigger: Trigger) -> bool:
    """``Le tribunal correctionnel a condamné X``: a court that convicts rules (the judgment is the
    event; the penalties it sets are its content), whereas an authority that ``condamne`` fines."""
    return draft.type == "Sanction" and trigger.kind == "verb" \
        and trigger.span.text.lower().startswith("condamn") and bool(draft.agents) \
        and all(context.kinds.get(a) == "Court" for a in draft.agents)


def _court_confirms(context: Context, draft: Draft, trigger: Trigger) -> bool:
    """``la cour d'appel a confirmé ce refus``, ``le conseil l'a déclaré nul``: a court does not
    announce, it rules; confirming or declaring is its judgment (an authority's ``confirme`` stays
    a statement)."""
    return draft.type == "Statement" and trigger.kind == "verb" \
        and trigger.span.text.lower().startswith(("confirm", "déclar")) and bool(draft.agents) \
        and all(context.kinds.get(a) == "Court" for a in draft.agents)


# who may act before a court on its own account, as a party (not a prosecutor, an authority or a court)
_PARTY_KINDS = frozenset({"Company", "Association", "Person", "Other"})


def _party_asks_court(context: Context, draft: Draft, trigger: Trigger, addressees: list[str]) -> bool:
    """``La société a demandé au juge de suspendre la sanction``: a party asking a court for
    something files an application, an appeal to that court, not a request of an authority."""
    return draft.type == "Request" and trigger.kind == "verb" and bool(addressees) and bool(draft.agents) \
        and all(context.kinds.get(a) == "Court" for a in addressees) \
        and all(context.kinds.get(a) in _PARTY_KINDS for a in draft.agents)


def _court_filing(context: Context, draft: Draft, name: str) -> bool:
    """``le tribunal, saisi par X``, ``la cour d'appel a été saisie``: a court is the addressee of
    an appeal, never its author, unless it refers a question to a higher court (``renvoyer``)."""
    return draft.sense != "referral" and context.kinds.get(name) == "Court"


def remember_subject(context: Context, sentence: Span, clauses: list[Span], groups: list[Group]) -> None:
    """The subject a pronoun in the next sentence (``Elle ordonne``) refers to: the agent of this
    sentence's first verb, else its first actor named outside a prepositional phrase."""
    verbs = [_grammatical_subject(context.norm, g) for g in groups if g.draft and g.trigger.kind == "verb"]
    verbs = [names for names in verbs if names]
    if verbs:
        context.last_subject = list(verbs[0])
        return
    for clause in clauses:
        named = [m.key for m, cue in _cued(context, clause.start, clause.end) if cue not in _blocking()]
        if named:
            context.last_subject = named[:1]
            return


# "a été sanctionnée", "sont frappés": a form of "être" right before a participle makes it passive
_BEING = re.compile(r"(?<!\w)(?:été|est|sont|était|étaient|fut|furent)\s+(?:\w+ment\s+)?$", re.IGNORECASE)


def _grammatical_subject(norm: str, group: Group) -> list[str]:
    """``X a été sanctionnée par Y. Elle a fait appel``: the subject of a passive verb is the party
    that undergoes the act, its addressee; of an active verb, its agent."""
    draft = group.draft
    assert draft is not None
    start = group.trigger.span.start
    if group.trigger.passive and _BEING.search(norm, max(0, start - 25), start):
        return list(draft.addressees)
    return list(draft.agents)


def _reach(clauses: list[Span], group: Group) -> list[Span]:
    # a trigger may itself span a comma: "reçu, il y a deux ans, un blâme"
    numbers = sorted({clause_of(clauses, at) for span in group.spans for at in (span.start, span.end - 1)})
    return [clauses[n] for n in range(numbers[0], numbers[-1] + 1)] if clauses else []


def _cued(context: Context, start: int, end: int) -> list[tuple[Mention, str]]:
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


_SIGNED_ACTS = frozenset({"arrêté", "arrêtés", "décret", "décrets"})


def _cue_before(norm: str, start: int, end: int) -> str:
    """The preposition a mention hangs on, skipping determiners, quantities (``par une quinzaine
    d'associations`` -> ``par``), the member a body acts through (``le juge des référés du tribunal``)
    and up to two words (``auprès de la X`` -> ``auprès``).  A comma closes the phrase before it:
    in ``À l'été 2019, l'Autorité a rejeté`` the subject hangs on no preposition."""
    start = max(start, norm.rfind(",", start, end) + 1, norm.rfind(";", start, end) + 1)
    words = [w.lower() for w in TOKEN.findall(norm[start:end])]
    prepositions = _prepositions()
    determiners = _all_determiners()
    quantities = frozenset(load("events")["role_cues"]["quantities"])
    members = frozenset(load("events")["role_cues"]["members"])
    skipped = 0
    for position in range(len(words) - 1, -1, -1):
        word = words[position]
        previous = words[position - 1] if position else ""
        if word in {"de", "d'"} and previous in quantities:
            continue
        # "saisi le juge des référés du tribunal X", "le secrétaire général du ministère": a member
        # of a body acts for it, so the body takes the member's place in the clause
        if word in members or (word in {"de", "du", "des", "d'"} and previous in members):
            continue
        # "autorisé par un arrêté du préfet": whoever signs the act is the one acting through it
        if word in {"de", "du", "d'"} and previous in _SIGNED_ACTS and position >= 3 \
                and words[position - 3] == "par":
            continue
        if word in prepositions:
            # "à l'encontre de X", "à l'égard de X": whom a penalty or an order is aimed at
            if word in {"de", "du", "des", "d'"} and previous in {"auprès", "encontre", "égard"}:
                return "auprès" if previous == "auprès" else "contre"
            return word
        if word in determiners or word in quantities:
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


def _agents(context: Context, sentence: Span, clauses: list[Span], group: Group, groups: list[Group],
            passive: bool) -> list[str]:
    """Who acts: ``par X`` for a passive verb or a noun, ``de X`` right after a noun, else the subject."""
    trigger = group.trigger
    reach = _reach(clauses, group)
    if passive or trigger.kind != "verb":
        others = [g.trigger.span.start for g in groups
                  if g is not group and g.trigger.span.start > trigger.span.end]
        reach = reach + _more_agents(context.norm, clauses, reach)
        until = min(others, default=reach[-1].end)
        after = [m.key for c in reach for m, cue in _cued(context, c.start, c.end)
                 if cue == "par" and trigger.span.end <= m.span.start < until]
        if after:
            return unique(after)
    if trigger.undergone and _of_noun(context, trigger, reach):  # "X a reçu un blâme de l'ACPR"
        return _of_noun(context, trigger, reach)
    if trigger.kind == "noun":
        of = _of_noun(context, trigger, reach)
        if of:
            return of
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
        # "X avait notifié ... et déposé plainte": no auxiliary of its own, yet active
        return (_coordinated_agents(context, group, groups) or _chamber(context, group, reach)
                or _act_author(context, clauses, group)
                or _coordinated_subject(context, groups, clauses[clause_of(clauses, trigger.span.start)],
                                        trigger.span.start))
    if trigger.type == "Statement":
        inverted = _inverted_subject(context, clauses, trigger)
        if inverted:
            return inverted
    return _subject(context, sentence, clauses, trigger.span.start, groups)


# ", ainsi que par l'association X", ", et par X": a clause adding agents to the passive before it
_MORE_AGENTS = re.compile(r"\s*(?:ainsi\s+que|et|mais\s+aussi|comme)\s+par\s", re.IGNORECASE)


def _more_agents(norm: str, clauses: list[Span], reach: list[Span]) -> list[Span]:
    """``saisie par des députés, ainsi que par l'association X``: the clauses after the reach that
    name more agents of the same passive act."""
    more: list[Span] = []
    number = clauses.index(reach[-1]) + 1 if reach and reach[-1] in clauses else len(clauses)
    while number < len(clauses) and _MORE_AGENTS.match(norm, clauses[number].start):
        more.append(clauses[number])
        number += 1
    return more


def _of_noun(context: Context, trigger: Trigger, reach: list[Span]) -> list[str]:
    """``la sanction de la CNIL``: the actor named by ``de`` right after an event noun does the act."""
    of = [m.key for m, cue in _cued(context, trigger.span.end, reach[-1].end)
          if cue in {"de", "du", "des", "d'"}
          and _OF_NOUN.match(context.norm, trigger.span.end, m.span.start)]
    return unique(of[:1])


# "un arrêté du ministère de la Santé ... a été publié": the act's author right after its noun
_ACT_OF = re.compile(r"(?<!\w)(?:arrêtés?|décrets?|circulaires?|ordonnances?|délibérations?)"
                     r"(?:\s+[\w-]+)?\s+(?:du|de\s+la|de\s+l'|des|de)\s*$", re.IGNORECASE)


def _act_author(context: Context, clauses: list[Span], group: Group) -> list[str]:
    """``un arrêté du ministère ... a été publié``: a text published without ``par`` is published
    by whoever issued it, named right after the act's noun that is the passive subject."""
    if group.trigger.sense != "publish":
        return []
    clause = clauses[clause_of(clauses, group.trigger.span.start)]
    for mention, cue in _cued(context, clause.start, group.trigger.span.start):
        if cue in {"de", "du", "des", "d'"} and _ACT_OF.search(
                context.norm, max(clause.start, mention.span.start - 40), mention.span.start):
            return [mention.key]
    return []


def _chamber(context: Context, group: Group, reach: list[Span]) -> list[str]:
    """``le texte a été adopté le 2 mai au Sénat``: a chamber of Parliament where a text is adopted
    is the one adopting it."""
    if group.trigger.sense != "adopt":
        return []
    at = [m.key for c in reach for m, cue in _cued(context, c.start, c.end)
          if cue in {"à", "au"} and m.key in _chambers() and m.span.start >= group.trigger.span.end]
    return unique(at[:1])


@cache
def _chambers() -> frozenset[str]:
    return frozenset(e["name"] for e in load("institutions")["entries"] if e.get("kind") == "Parliament")


def _coordinated_agents(context: Context, group: Group, groups: list[Group]) -> list[str]:
    """``Adoptée par le Sénat le 3 mai et promulguée le 10``: a participle coordinated with
    the passive one before it shares its agent."""
    start = group.trigger.span.start
    before = [g for g in groups if g.trigger.span.end <= start and g.draft is not None and g.draft.agents
              and all(t.passive for t in (g.trigger, *g.supports) if t.kind != "noun")
              and g.trigger.kind != "noun"]
    if not before or not re.search(r"(?<!\w)et\s+$", context.norm[before[-1].trigger.span.end:start]):
        return []
    between = [g for g in groups if before[-1].trigger.span.end <= g.trigger.span.start < start]
    if between or before[-1].draft is None:
        return []
    # "promulguée par X et publiée au Journal officiel": the signatory does not print the gazette
    if group.trigger.sense == "publish" and before[-1].draft.sense != "publish":
        return []
    return list(before[-1].draft.agents)


def _inverted_subject(context: Context, clauses: list[Span], trigger: Trigger) -> list[str]:
    """``..., a confirmé lundi Paul Martin``: a verb of saying opening its clause has its subject after it;
    ``a réagi lundi le gérant de la société, Paul Martin``: a person in apposition to the role that
    follows the verb is that subject (the role's own complement is no speaker)."""
    here = clause_of(clauses, trigger.span.start)
    clause = clauses[here]
    if context.actors.within(clause.start, trigger.span.start):
        return []
    near = [m.key for m, cue in _cued(context, trigger.span.end, clause.end)
            if not cue and m.span.start - trigger.span.end <= 25][:1]
    if near or here + 1 >= len(clauses):
        return near
    following = clauses[here + 1]
    role = _ROLE_AFTER_VERB.match(context.norm, trigger.span.end, clause.end)
    return [m.key for m in context.actors.within(following.start, following.end)
            if role and m.span.start - following.start <= 3 and context.kinds.get(m.key) == "Person"][:1]


# "a réagi (lundi) le gérant de ..., ": an inverted subject named by its role, the name after a comma
_ROLE_AFTER_VERB = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:le|la|l'|son|sa)\s*[\w-]+(?:\s+[^,]{0,60})?\s*$",
                              re.IGNORECASE)


def _owner_verb(clauses: list[Span], group: Group, groups: list[Group]) -> Group | None:
    """``la CNIL a rendu public son avis``: a possessive noun made public or announced by a verb
    of its clause belongs to that verb's subject."""
    if group.trigger.determiner != "possessive":
        return None
    here = clause_of(clauses, group.trigger.span.start)
    verbs = [g for g in groups if g.trigger.kind == "verb" and g.trigger.type in ("Publication", "Statement")
             and clause_of(clauses, g.trigger.span.start) == here
             and g.trigger.span.end <= group.trigger.span.start]
    return verbs[-1] if verbs else None


def _vehicle(norm: str, clauses: list[Span], trigger: Trigger) -> bool:
    """``Dans sa décision``, ``Par une longue ordonnance``: the noun frames the main clause's act
    (``par l'Arcep des amendes`` does not: a name stands between)."""
    clause = clauses[clause_of(clauses, trigger.span.start)] if clauses else trigger.span
    words = [w for w in TOKEN.findall(norm[clause.start:trigger.span.start])
             if w.lower() not in _all_determiners()][-2:]
    vehicles = set(load("events")["vehicle"])
    if words and words[-1].lower() in vehicles:
        return True
    return len(words) == 2 and words[0].lower() in vehicles and words[1].islower()


def _subject(context: Context, sentence: Span, clauses: list[Span], position: int, groups: list[Group],
             after: bool = False) -> list[str]:
    """The actors naming the subject of the verb at ``position``: non-prepositional mentions
    before it in its clause, else in the nearest earlier clauses that hold no other verb; a
    pronoun subject refers to the previous sentence's subject.  ``after``: a framing noun
    (``Dans sa décision, le Conseil ...``) takes the subject of the clauses that follow."""
    antecedent = _antecedent(context, sentence, position)
    if antecedent:
        return antecedent
    here = clause_of(clauses, position)
    clause = clauses[here]
    # "X a mis en demeure Y et Z a rejeté ...": the subject follows the previous verb's object
    previous_verb = max((g.trigger.span.end for g in groups if g.trigger.kind == "verb"
                         and clause.start <= g.trigger.span.start and g.trigger.span.end <= position),
                        default=clause.start)
    start = _after_conjunction(context.norm, previous_verb, position) if previous_verb > clause.start \
        else clause.start
    # "la décision par laquelle l'autorité lui a infligé": a relative clause has its own subject
    start = max([start, *(m.end() for m in _RELATIVE.finditer(context.norm, start, position))])
    own = [m.key for m, cue in _cued(context, start, position) if cue not in _blocking()]
    if own:
        return unique(_coordinated_before(context, clauses, here, start, groups) + own)
    shared = _coordinated_subject(context, groups, clause, position)
    if shared:
        return shared
    verbs = {clause_of(clauses, g.trigger.span.start) for g in groups
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
            # "Dans sa décision du 3 mai, elle ordonne ...": the pronoun takes up the last subject
            if not keys and number in verbs and _pronoun_opens(context.norm, clauses[number].start, stop):
                keys = list(context.last_subject)
            if keys or number in verbs:
                return unique(keys[:1])
            continue
        if keys:
            found = keys + found
        elif found:
            break
    if found:
        return unique(found)
    first = TOKEN.findall(context.norm[sentence.start:sentence.end].lower())[:1]
    opening = [w for w in TOKEN.findall(context.norm[clause.start:position].lower())
               if w not in _CONJUNCTIONS][:1]
    if (first and first[0] in _PRONOUNS) or (opening and opening[0] in _PRONOUNS):
        return list(context.last_subject)
    return []


def _pronoun_opens(norm: str, start: int, end: int) -> bool:
    """Whether the words before a verb, conjunctions aside, open with a subject pronoun."""
    words = [w for w in TOKEN.findall(norm[start:end].lower()) if w not in _CONJUNCTIONS][:1]
    return bool(words) and words[0] in _PRONOUNS


# "..., qui avait déféré": a subject relative pronoun, auxiliaries and adverbs between it and the verb
_QUI = re.compile(r"(?<!\w)qui\s+(?:(?:ne\s+|n'|s'|l'|lui\s+|leur\s+|y\s+)?[\w-]+\s+){0,3}$", re.IGNORECASE)
# between an actor's name and the "qui" that takes it up: an acronym in brackets, a comma
_TO_QUI = re.compile(r"\s*(?:\([^()]{1,40}\))?\s*,?\s*$")


def _antecedent(context: Context, sentence: Span, position: int) -> list[str]:
    """``saisi par le préfet, qui avait déféré la délibération``: the subject of a verb in a relative
    clause opened by ``qui`` is the actor named right before the pronoun, whatever its preposition."""
    qui = _QUI.search(context.norm, max(sentence.start, position - 60), position)
    if qui is None:
        return []
    before = context.actors.within(sentence.start, qui.start())
    if not before or not _TO_QUI.fullmatch(context.norm, before[-1].span.end, qui.start()):
        return []
    last = before[-1].span
    return [m.key for m in before if m.span == last]


def _coordinated_before(context: Context, clauses: list[Span], here: int, start: int, groups: list[Group]
                        ) -> list[str]:
    """``X (ACRO) et Y ont saisi``: a subject opening with ``et`` continues the verbless clauses
    before it (cut by a bracket or a comma), whose plain mentions are subjects too."""
    if start != clauses[here].start or not re.match(r"\s*(?:et|ainsi que)\s", context.norm[start:start + 12]):
        return []
    verbs = {clause_of(clauses, g.trigger.span.start) for g in groups if g.trigger.kind == "verb"}
    found: list[str] = []
    for number in range(here - 1, -1, -1):  # up to the next clause: a name may run over "(ACRO)"
        keys = [m.key for m, cue in _cued(context, clauses[number].start, clauses[number + 1].start)
                if cue not in _blocking()]
        if number in verbs or (found and not keys):
            break
        found = keys + found
    return found


# "X avait notifié ... et déposé plainte", "X a saisi ... puis a fait appel": a conjunction, an
# auxiliary and an adverb at most between the two verbs
_COORDINATED_VERB = re.compile(r"(?:et|puis)\s+(?:(?:a|ont|avait|avaient|aurait)\s+)?(?:\w+ment\s+)?$",
                               re.IGNORECASE)


def _coordinated_subject(context: Context, groups: list[Group], clause: Span, position: int) -> list[str]:
    """``L'hôpital avait notifié la violation à la CNIL et déposé plainte``: a verb coordinated with
    the active verb before it in its clause, with no subject of its own, shares that verb's subject."""
    before = [g for g in groups if g.trigger.kind == "verb" and not g.trigger.passive
              and clause.start <= g.trigger.span.start and g.trigger.span.end <= position]
    if not before or before[-1].draft is None:
        return []
    conjunction = _COORDINATED_VERB.search(context.norm, before[-1].trigger.span.end, position)
    if conjunction is None or conjunction.end() != position:
        return []
    return list(before[-1].draft.agents)


def _after_conjunction(norm: str, start: int, end: int) -> int:
    """Where a new subject may begin after a verb: past the last ``et``/``mais``/``puis`` before
    ``end`` (``start`` itself when there is none, leaving the previous verb's object out)."""
    found = [m.end() for m in re.finditer(r"(?<!\w)(?:et|mais|puis)(?!\w)", norm[start:end], re.IGNORECASE)]
    return start + found[-1] if found else end


def _verb_start(groups: list[Group], clause: Span) -> int:
    starts = [g.trigger.span.start for g in groups
              if g.trigger.kind == "verb" and clause.start <= g.trigger.span.start < clause.end]
    return min(starts, default=clause.end)


def _names_appellants(norm: str, sentence: Span, group: Group) -> bool:
    """``Les requérants ont salué``: the agent is whoever filed the appeal (resolved in relations)."""
    words = "|".join(load("events")["appellant_words"])
    before = norm[sentence.start:group.trigger.span.start]
    return bool(re.search(rf"(?<!\w)(?:{words})(?!\w)", before, re.I))


def _addressees(context: Context, sentence: Span, clauses: list[Span], group: Group, groups: list[Group]
                ) -> list[str]:
    """To whom: role cues of the lexicon after the trigger, up to the first infinitive
    complement (``ordonne à X de transmettre à Y``: X only) or the subject of a next verb
    (``met en demeure X et le tribunal a rejeté``: X only); ``Devant X, ...`` anywhere before."""
    cues = load("events")["role_cues"]["addressee_types"]
    trigger = group.trigger
    kind = group.draft.type if group.draft else trigger.type
    allowed = {cue for cue, types in cues.items() if kind in types}
    end = _bracketed_end(context.norm, clauses, clause_of(clauses, max(s.end for s in group.spans)))
    limit = _INFINITIVE_COMPLEMENT.search(context.norm, trigger.span.end, end)
    stop = limit.end() if limit and limit.start() > trigger.span.end + 2 else end
    next_verb = min((g.trigger.span.start for g in groups if g.trigger.kind == "verb"
                     and trigger.span.end < g.trigger.span.start < stop), default=None)
    if next_verb is not None:
        subject = _after_conjunction(context.norm, trigger.span.end, next_verb)
        stop = subject if subject < next_verb else stop
    found = []
    for mention, cue in _cued(context, trigger.span.end, stop):
        role = {"à": "à", "au": "à", "aux": "à", "auprès": "auprès", "devant": "devant", "contre": "contre",
                "": "object"}.get(cue)
        if role in allowed and (role != "object" or (trigger.kind == "verb" and not trigger.passive)):
            found.append(mention.key)
    for mention, cue in _cued(context, sentence.start, trigger.span.start):
        if cue == "devant" and "devant" in allowed:
            found.append(mention.key)
    if trigger.passive and (kind in ("Sanction", "Request") or (kind == "Appeal" and _BEEN.search(
            context.norm, max(sentence.start, trigger.span.start - 30), trigger.span.start))):
        # "X a été mis en demeure", "le tribunal avait été saisi par Y": the passive subject
        clause = clauses[clause_of(clauses, trigger.span.start)]
        found += [m.key for m, cue in _cued(context, clause.start, trigger.span.start)
                  if cue not in _blocking()]
    if trigger.passive and kind == "Appeal" and not context.norm[sentence.start:trigger.span.start].strip():
        # "Saisi par la salariée, le conseil de prud'hommes a ...": the participle opening the
        # sentence is said of the main clause's subject
        found += _subject(context, sentence, clauses, trigger.span.start, groups, after=True)
    if not found and ("à" in allowed or "object" in allowed) and _CLITIC.search(
            context.norm, max(0, trigger.span.start - 30), trigger.span.start):
        found = _clitic_referents(context, sentence, trigger, group.draft.agents if group.draft else [])
    return unique(found)


# "le tribunal a été saisi", "la cour, qui avait été saisie": a passive auxiliary before the participle
_BEEN = re.compile(r"(?<!\w)(?:été|est|sont|fut|furent|être|étant)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
# "l'autorité lui a infligé", "leur avait enjoint": a dative pronoun just before the verb
_CLITIC = re.compile(r"(?<!\w)(?:lui|leur)\s+(?:(?:a|ont|avait|avaient|aura|auront|avoir|ayant)\s+)?$",
                     re.IGNORECASE)
_CLITIC_REACH = 400  # characters before the sentence where the pronoun's referent may be named


def _clitic_referents(context: Context, sentence: Span, trigger: Trigger, agents: list[str]) -> list[str]:
    """Who ``lui``/``leur`` stands for: the latest actor named before the verb that is neither its
    agent nor a court addressed (``devant la cour``); a plural description (``les deux sociétés``)
    gives every actor it stands for (they share its span)."""
    start = max(0, sentence.start - _CLITIC_REACH)
    candidates = [m for m, cue in _cued(context, start, trigger.span.start)
                  if m.key not in agents and cue not in ("devant", "contre", "par")]
    if not candidates:
        return []
    last = candidates[-1].span
    return [m.key for m in candidates if m.span == last]


def _bracketed_end(norm: str, clauses: list[Span], number: int) -> int:
    """The end of a clause, read through brackets: ``le tribunal administratif (TA) de Paris``."""
    while number + 1 < len(clauses) and set("()") & set(norm[clauses[number].end:clauses[number + 1].start]):
        number += 1
    return clauses[number].end


def _evidence(context: Context, clauses: list[Span], group: Group) -> Span:
    """A tight span: the triggers (with their determiner) and the arguments in their clauses."""
    spans = group.spans
    numbers = {clause_of(clauses, s.start) for s in spans}
    draft = group.draft
    extra: list[Span] = []
    if draft is not None and draft.date is not None and clause_of(clauses, draft.date.span.start) in numbers:
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
    clause = clauses[clause_of(clauses, start)] if clauses else None
    floor = clause.start if clause else 0
    words = list(TOKEN.finditer(norm, max(floor, start - 20), start))
    small = _all_determiners() | {"dans", "par", "de", "d'", "à", "en", "lors", "du"}
    for word in reversed(words):
        if word.group().lower() not in small:
            break
        start = word.start()
    return start
