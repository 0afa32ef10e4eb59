"""Round 10 of generalisation: who acts, when the text names the actor only by a role or an organ.

A regulator's organ (``la formation restreinte``) stands for the regulator already in the story; a
description of a party (``la brasserie``, ``l'étudiante``, ``l'agence``) for the latest actor of its
kind; a speaker named in apposition to a role after the verb of saying is its subject; a text
published without ``par`` is published by whoever issued it (``un arrêté du ministère``); national
regulators and agencies are known by their acronyms.
"""

from __future__ import annotations

from kg.models import Event
from tests.invented import extract_text

ARCEP = ("Autorité de régulation des communications électroniques, des postes "
         "et de la distribution de la presse")


def _of(text: str, kind: str) -> list[Event]:
    found = [e for e in extract_text(text).events if e.type == kind]
    assert found, f"no {kind} in {text!r}"
    return found


def test_a_regulator_organ_stands_for_the_regulator_of_the_story() -> None:
    text = ("Le cabinet Lexora a saisi l'Arcep d'un différend. L'Arcep a rendu sa décision le 3 mai. "
            "La formation restreinte a ensuite infligé le 9 juin une amende de 2 millions d'euros "
            "à l'opérateur Fibrenet.")
    sanction = _of(text, "Sanction")[0]
    assert sanction.agents == (ARCEP,)
    assert sanction.addressees == ("Fibrenet",)


def test_possessive_organ_of_the_data_regulator_without_other_regulator() -> None:
    text = ("Décidées par sa formation restreinte le 2 mai, les amendes visent la société Datalis. "
            "La CNIL les a annoncées le 5 mai.")
    names = {a.name for a in extract_text(text).actors}
    assert "Commission nationale de l’informatique et des libertés" in names


def test_a_business_noun_takes_up_the_company_named_before() -> None:
    text = ("La société Brasseries du Ventoux conteste un redressement fiscal. Deux mois plus tard, "
            "la brasserie a fait appel devant la cour administrative d'appel de Marseille.")
    appeal = _of(text, "Appeal")[0]
    assert appeal.agents == ("Brasseries du Ventoux",)
    assert appeal.addressees == ("Cour administrative d'appel de Marseille",)


def test_the_agency_and_its_sanctions_committee_stand_for_the_agency() -> None:
    text = ("Suspendu par l'Agence française de lutte contre le dopage (AFLD), le cycliste Marc Dorel "
            "a été sanctionné le 3 mai par la commission des sanctions de l'agence.")
    sanction = _of(text, "Sanction")[0]
    assert sanction.agents == ("Agence française de lutte contre le dopage",)
    assert sanction.addressees == ("Marc Dorel",)


def test_the_agency_is_not_the_press_agency_named_last() -> None:
    text = ("L'Agence nationale de sécurité du médicament et des produits de santé (ANSM) a suspendu "
            "le 4 mars l'autorisation du Tramadex, selon l'Agence France-Presse. "
            "L'agence a aussi publié le 5 mars un avis.")
    publication = _of(text, "Publication")[0]
    assert publication.agents == ("Agence nationale de sécurité du médicament et des produits de santé",)


def test_a_speaker_in_apposition_after_the_verb_of_saying() -> None:
    text = "« C'est une victoire », s'est félicitée mercredi la présidente de Terre Vive, Claire Dumas."
    assert _of(text, "Statement")[0].agents == ("Claire Dumas",)


def test_an_act_published_without_par_is_published_by_its_author() -> None:
    text = ("Un arrêté du ministère de l'Agriculture interdisant la pêche a été publié "
            "au Journal officiel le 6 mars.")
    assert _of(text, "Publication")[0].agents == ("Ministère de l'Agriculture",)
    assert _of("Le décret a été publié au Journal officiel le 6 mars.", "Publication")[0].agents == ()
