"""Event labels read as French: the article an institution takes, contracted with de and à."""

from __future__ import annotations

import pytest

from kg.extract.labels import definite, event_label, governed


@pytest.mark.parametrize(("preposition", "name", "expected"), [
    ("de", "Conseil d’État", "du Conseil d’État"),
    ("à", "Conseil d’État", "au Conseil d’État"),
    ("de", "Cour de cassation", "de la Cour de cassation"),
    ("à", "Commission nationale de l’informatique et des libertés",
     "à la Commission nationale de l’informatique et des libertés"),
    ("de", "Autorité de la concurrence", "de l’Autorité de la concurrence"),
    ("à", "Assemblée nationale", "à l’Assemblée nationale"),
    ("de", "Députés Les Verts", "des Députés Les Verts"),
    ("à", "Députés Les Verts", "aux Députés Les Verts"),
    ("de", "Le Monde", "du Monde"),
    ("de", "Gouvernement", "du Gouvernement"),
    ("de", "Haute Autorité de santé", "de la Haute Autorité de santé"),
    ("de", "CNIL", "de la CNIL"),
    ("de", "Arcep", "de l’Arcep"),
    ("de", "Zorbelo", "de Zorbelo"),
    ("de", "Orbalis", "d’Orbalis"),
    ("à", "Orbalis", "à Orbalis"),
    ("de", "Émilie Durand", "d’Émilie Durand"),
])
def test_governed_contracts_the_article_of_institutions_only(preposition: str, name: str,
                                                            expected: str) -> None:
    assert governed(preposition, name) == expected


def test_legal_acts_take_their_article() -> None:
    assert definite("loi relative aux ponts") == "la loi relative aux ponts"
    assert definite("arrêté du 3 mai 2023") == "l’arrêté du 3 mai 2023"
    assert definite("décret n° 2023-12") == "le décret n° 2023-12"
    assert definite("RGPD") == "RGPD"


def test_event_label_lists_agents_and_addressees() -> None:
    label = event_label("Sanction", ["Autorité de la concurrence"],
                        ["Orbalis", "Tribunal de commerce de Lyon"], "loi relative aux ponts")
    assert label == ("Sanction de l’Autorité de la concurrence à Orbalis et au Tribunal de commerce de Lyon "
                     "sur la loi relative aux ponts")
    assert event_label("Décision", [], [], None) == "Décision"
