"""Round 8 of generalisation: who acts and when, read on invented sentences.

Role nouns and definite descriptions refer back to the actor named earlier (``la salariée``,
``l'édile``, ``la préfecture``, ``le tribunal``, ``la haute juridiction``); persons are found by a
given name or a civility alone; a fronted passive participle (``Saisi par X, Y a ...``) has Y as
its addressee; a court is never the author of an appeal; ``qui`` takes up the actor before it;
``à l'égard de X`` names an addressee; an undated penalty takes the date of the decision told
right after it.
"""

from __future__ import annotations

from kg.models import Event
from tests.invented import extract_text


def _events(text: str) -> list[Event]:
    return list(extract_text(text).events)


def _one(events: list[Event], kind: str) -> Event:
    found = [e for e in events if e.type == kind]
    assert found, f"no {kind} in {[(e.type, e.agents) for e in events]}"
    return found[0]


def test_given_name_makes_a_person_and_role_noun_refers_back() -> None:
    text = ("Claire Fournac, caissière dans une supérette de Dinard, a été licenciée en 2022. "
            "La salariée a saisi le conseil de prud’hommes de Rennes en mars 2023.")
    appeal = _one(_events(text), "Appeal")
    assert appeal.agents == ("Claire Fournac",)
    assert "Conseil de prud’hommes de Rennes" in appeal.addressees


def test_civility_with_initial_is_a_person() -> None:
    text = ("Mme K. travaillait depuis dix ans pour la société Trivalor. "
            "La salariée s’est pourvue en cassation le 4 mai 2024.")
    appeal = _one(_events(text), "Appeal")
    assert appeal.agents == ("Mme K.",)


def test_fronted_passive_participle_gives_the_court_as_addressee() -> None:
    text = ("Saisi par le préfet du Var, le tribunal administratif de Toulon a suspendu "
            "hier l’arrêté municipal.")
    events = _events(text)
    appeal = _one(events, "Appeal")
    assert appeal.agents == ("Préfet du Var",)
    assert appeal.addressees == ("Tribunal administratif de Toulon",)
    assert _one(events, "Ruling").agents == ("Tribunal administratif de Toulon",)


def test_court_is_never_the_author_of_an_appeal() -> None:
    text = ("Le tribunal administratif de Caen a été saisi le 2 février 2024 d’un recours "
            "contre la délibération.")
    appeal = _one(_events(text), "Appeal")
    assert "Tribunal administratif de Caen" not in appeal.agents


def test_relative_qui_takes_up_the_actor_before_it() -> None:
    text = ("Le tribunal avait été saisi par le préfet de la Drôme, qui avait déféré la "
            "délibération en novembre 2023.")
    appeals = [e for e in _events(text) if e.type == "Appeal"]
    assert any(a.agents == ("Préfet de la Drôme",) for a in appeals), [(a.agents, a.date) for a in appeals]


def test_prefecture_refers_to_the_prefect_named_before() -> None:
    text = ("La préfète de la Manche conteste l’arrêté du maire. Le 15 mai 2024, la préfecture "
            "a adressé au maire un courrier demandant son retrait.")
    letter = _one(_events(text), "Letter")
    assert letter.agents == ("Préfet de la Manche",)


def test_present_tense_support_verb_gives_its_subject() -> None:
    text = ("La société Brevalis conteste la décision. L’entreprise forme un pourvoi en décembre 2023.")
    appeal = _one(_events(text), "Appeal")
    assert appeal.agents == ("Brevalis",)


def test_notice_sent_by_a_named_body_has_it_as_agent() -> None:
    text = ("Mercredi 12 mars, l’Autorité de régulation des transports (ART) a adressé une mise en "
            "demeure à la société Ferolia.")
    request = _one(_events(text), "Request")
    assert request.agents == ("Autorité de régulation des transports",)
    assert "Ferolia" in request.addressees


def test_undated_penalty_takes_the_date_of_the_decision_told_next() -> None:
    text = ("L’Autorité de régulation des transports (ART) a prononcé une amende de 3 millions "
            "d’euros à l’encontre de la société Norvanne. La décision, datée du 11 mars, a été publiée hier.")
    sanction = _one(_events(text), "Sanction")
    assert sanction.date is not None
    assert (sanction.date.year, sanction.date.month, sanction.date.day) == (2023, 3, 11)
    assert "Norvanne" in sanction.addressees


def test_supreme_court_description_prefers_a_supreme_court() -> None:
    text = ("La Cour de cassation a été saisie après l’arrêt de la cour d’appel de Nîmes, rendu le "
            "3 mai 2023. La haute juridiction a rejeté le pourvoi le 9 janvier 2025.")
    rulings = [e for e in _events(text) if e.type == "Ruling" and e.outcome == "rejected"]
    assert rulings and rulings[0].agents == ("Cour de cassation",)
