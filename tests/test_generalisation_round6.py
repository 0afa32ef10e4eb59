"""Round 6: general causes of error found on a third set of unseen articles, checked on invented sentences.

Each test names a class, not a sentence: verbs matched in all their inflections from one lemma
(pronominal forms with adverbs inside, present tense with spelling changes), the procedural
vocabulary a lexicon of surface forms kept missing (referral, hearing, judging, reacting),
verb forms used as nouns or adjectives, any verb in the conditional mood, and unknown company
names as subject across a relative clause, as direct object, or ending in an auxiliary's letters.
"""

from __future__ import annotations

import re

import pytest
from invented import events_of, extract_text, one_event

from kg.extract.conjugate import verb_pattern


@pytest.mark.parametrize(("lemma", "forms"), [
    ("rejeter", ["rejette", "rejettent", "rejetée", "rejetaient", "rejeta"]),
    ("révéler", ["révèle", "révélées", "révélait"]),
    ("juger", ["jugeait", "jugeant", "jugées", "juge"]),
    ("prononcer", ["prononçait", "prononcent", "prononcées"]),
    ("saisir", ["saisit", "saisissent", "saisie", "saisissait"]),
    ("suspendre", ["suspend", "suspendue", "suspendent"]),
    ("s'engager", ["s'est engagée", "s'était alors engagée", "s'est par ailleurs engagé", "se sont engagés",
                   "s'engage"]),
])
def test_one_lemma_covers_every_asserting_form(lemma: str, forms: list[str]) -> None:
    pattern = re.compile(rf"(?:{verb_pattern(lemma)})$")
    assert all(pattern.match(form) for form in forms), [f for f in forms if not pattern.match(f)]


@pytest.mark.parametrize(("lemma", "form"), [
    ("rejeter", "rejettera"), ("rejeter", "rejetterait"), ("s'engager", "s'est pas engagée"),
])
def test_future_conditional_and_negated_forms_are_not_asserting(lemma: str, form: str) -> None:
    assert not re.match(rf"(?:{verb_pattern(lemma)})$", form)


def test_a_lexicon_lemma_that_is_no_infinitive_is_refused() -> None:
    with pytest.raises(ValueError, match="recours"):
        verb_pattern("recours")


@pytest.mark.parametrize(("text", "kind", "outcome"), [
    ("La société Zorbelo s’était finalement engagée le 4 mai 2022 à fermer le service.", "Commitment", None),
    ("La société Zorbelo s’est par ailleurs engagée le 4 mai 2022 à fermer le service.", "Commitment", None),
    ("La société Zorbelo a réagi le 4 mai 2022 dans la soirée.", "Statement", None),
    ("Le tribunal administratif de Lille a jugé le 4 mai 2022 que l’arrêté était illégal.", "Ruling", None),
    ("Le Conseil constitutionnel a déclaré contraires à la Constitution les articles 3 et 4 le 4 mai 2022.",
     "Ruling", "annulled"),
    ("Le Conseil constitutionnel a déclaré conformes à la Constitution les articles 3 et 4 le 4 mai 2022.",
     "Ruling", "upheld"),
    ("La cour d’appel de Lille a homologué le 4 mai 2022 l’accord des parties.", "Ruling", "upheld"),
    ("La chambre sociale avait renvoyé la question au Conseil constitutionnel le 4 mai 2022.",
     "Appeal", None),
    ("Le préfet du Nord a déféré l’arrêté au tribunal administratif de Lille le 4 mai 2022.", "Appeal", None),
    ("Le dossier a été plaidé le 4 mai 2022 devant la cour d’appel de Lille.", "Hearing", None),
    ("Le dossier a été examiné en séance le 4 mai 2022 par le collège de la CNIL.", "Hearing", None),
    ("Lors de la séance du 4 mai 2022, le collège a entendu la société Zorbelo.", "Hearing", None),
    ("Le rapporteur public a conclu le 4 mai 2022 au rejet de la requête.", "Opinion", None),
    ("Interrogée le 4 mai 2022, la ministre a rappelé « la nécessité d’agir vite ».", "Statement", None),
])
def test_procedural_vocabulary_in_any_inflection(text: str, kind: str, outcome: str | None) -> None:
    assert one_event(extract_text(text), kind).outcome == outcome


def test_an_opinion_s_assessment_is_its_content_not_a_ruling() -> None:
    text = "Le 4 mai 2022, la CNIL a rendu son avis : elle y juge que le fichier est proportionné."
    extraction = extract_text(text)
    assert events_of(extraction, "Opinion") and not events_of(extraction, "Ruling")


@pytest.mark.parametrize("text", [
    "Le fisc croise les annonces avec les revenus non déclarés par les contribuables depuis le 4 mai 2022.",
    "Le 4 mai 2022, le juge a reporté au 1er octobre l’abrogation des articles annulés.",
    "Des opérations de visite et une saisie ont eu lieu le 4 mai 2022 dans les locaux.",
])
def test_a_verb_form_used_as_noun_or_adjective_names_no_act(text: str) -> None:
    assert not extract_text(text).events, [(e.type, [s.text for s in e.evidence])
                                          for e in extract_text(text).events]


def test_a_participle_after_a_legal_act_still_tells_the_act() -> None:
    one_event(extract_text("Le décret publié le 4 mai 2022 au Journal officiel crée un fichier."),
              "Publication")


@pytest.mark.parametrize("text", [
    "La société Zorbelo a fait savoir le 4 mai 2022 qu’elle formerait un recours devant le Conseil d’État.",
    "Selon son avocat, M. Paul Vernet saisirait le tribunal administratif de Lille dès le 4 mai 2022.",
])
def test_any_verb_in_the_conditional_makes_the_act_hypothetical(text: str) -> None:
    assert not events_of(extract_text(text), "Appeal")


@pytest.mark.parametrize(("text", "kind", "role", "name"), [
    ("Brimova, qui conteste les faits, a saisi le Conseil d’État le 4 mai 2022.", "Appeal", "agents",
     "Brimova"),
    ("Le 4 mai 2022, l’Autorité de la concurrence a condamné Brimova à une amende.", "Sanction", "addressees",
     "Brimova"),
    ("Lucia a réagi le 4 mai 2022 dans un communiqué.", "Statement", "agents", "Lucia"),
    ("Le 4 mai 2022, la néobanque Zelkia s’est engagée à revoir ses contrôles.", "Commitment", "agents",
     "Zelkia"),
])
def test_unknown_company_names_in_argument_slots(text: str, kind: str, role: str, name: str) -> None:
    extraction = extract_text(text)
    assert getattr(one_event(extraction, kind), role) == (name,)
    assert name in {a.name for a in extraction.actors}
