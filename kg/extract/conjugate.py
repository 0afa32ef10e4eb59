"""French verb forms generated from a lemma, so the trigger lexicon names a verb once.

Listing surface forms (``rejet(?:é|ée|és|ées|te|...)``) let every round of
fixes miss the next inflection an unseen article used: a feminine plural
participle, a present-tense ``rejette``, ``s'était alors engagée`` with an
adverb inside the pronominal form.  ``verb_pattern("rejeter")`` yields all the
asserting forms of a regular verb (participles, present, imperfect, simple
past, present participle, infinitive) with the spelling changes of the first
group (``jugeait``, ``annonçait``, ``rejette``, ``révèle``).  Future and
conditional forms are left out on purpose: they announce or hedge an act,
which other rules read (``sera rendue``, ``pourrait saisir``).  Irregular verbs
keep hand-written patterns in ``events.json``.
"""

from __future__ import annotations

import re

# what may stand between a reflexive pronoun and its verb: an auxiliary, then up to two adverbs
# ("s'était alors engagée", "s'est par ailleurs engagé", "se sont déjà pourvus")
_REFLEXIVE = (r"(?:s'|se\s+)(?:(?:est|était|sont|étaient|étant|être)\s+)?"
              r"(?:(?!(?:pas|plus|jamais)\b)\w+\s+){0,2}?")


def verb_pattern(lemma: str) -> str:
    """A regular expression matching the asserting forms of ``lemma`` (``saisir``, ``s'engager``,
    ``rendre``); a reflexive lemma also matches its forms with the pronoun and an auxiliary."""
    reflexive = re.match(r"(?:s'|se\s+)(.+)", lemma)
    bare = reflexive.group(1) if reflexive else lemma
    forms = "|".join(_forms(bare))
    return f"{_REFLEXIVE}(?:{forms})" if reflexive else f"(?:{forms})"


def _forms(verb: str) -> list[str]:
    if verb.endswith("er"):
        return _first_group(verb[:-2])
    if verb.endswith("ir"):
        stem = verb[:-2]
        return [stem + ending for ending in ("i", "ie", "is", "ies", "it", "ir", "issent", "issait",
                                             "issaient", "issant")]
    if verb.endswith("re"):
        stem = verb[:-2]
        return [stem + ending for ending in ("", "u", "ue", "us", "ues", "re", "ent", "ait", "aient", "ant")]
    raise ValueError(f"events.json: {verb!r} is no French infinitive; list a noun's forms as patterns")


def _first_group(stem: str) -> list[str]:
    """``-er`` verbs: ``g``/``c`` stems keep their sound before ``a`` (``jugeait``, ``annonçait``);
    ``-eter``/``-eler`` double the consonant and ``é``+consonant becomes ``è`` in the present
    (``rejette``, ``révèle``)."""
    before_a = stem + "e" if stem.endswith("g") else stem[:-1] + "ç" if stem.endswith("c") else stem
    present = _present_stem(stem)
    return [
        *(stem + e for e in ("é", "ée", "és", "ées", "er")),
        *(present + e for e in ("e", "ent")),
        *(before_a + e for e in ("ait", "aient", "ant", "a")),
        stem + "èrent",
    ]


def _present_stem(stem: str) -> str:
    last = re.search(r"([eé])([^aeiouyéèêàâîôû]+)$", stem)
    if last is None:
        return stem
    vowel, consonants = last.groups()
    head = stem[:last.start()]
    if vowel == "é":  # céder, révéler, protéger
        return head + "è" + consonants
    if len(consonants) > 1:  # contester, présenter: no change
        return stem
    if consonants in ("t", "l") and not head.endswith(("ach", "g")):  # rejeter, appeler
        return head + "e" + consonants * 2
    return head + "è" + consonants  # lever, mener
