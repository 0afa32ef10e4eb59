"""Round 15 of generalisation: who acts when the article names the actor indirectly.

A minister named by office alone speaks for the ministry; a company taken up by a role noun
(``l'opérateur``, ``le gestionnaire du réseau``) may be one whose kind the finder could not
tell; a pronoun after a framing noun (``Dans une décision ..., elle enjoint``) takes up the
previous subject; a participle-shaped present followed by a that-clause (``X dit avoir``) is
active; a light verb set apart from its noun by an incise still governs it; a passive's agents
may go on in a clause of their own (``, ainsi que par X``).  Dates in a law's name that runs on
past the date (``la loi du 12 mars 2019 relative à ...``) belong to the law, not the ruling.
"""

from __future__ import annotations

from kg.models import TimeValue
from tests.invented import extract_text, one_event


def _actors(text: str) -> dict[str, tuple[str, ...]]:
    return {a.name: a.aliases for a in extract_text(text).actors}


def test_a_minister_named_by_office_alone_speaks_for_the_ministry() -> None:
    text = "Le ministre de l’Agriculture s’est engagé le 4 mars à réviser le calendrier des contrôles."
    commitment = one_event(extract_text(text), "Commitment")
    assert commitment.agents == ("Ministère de l’Agriculture",)
    assert "ministre de l’Agriculture" in _actors(text)["Ministère de l’Agriculture"]


def test_a_delegate_minister_in_charge_of_a_portfolio_speaks_for_its_ministry() -> None:
    text = "La ministre déléguée chargée des Transports a déclaré jeudi qu’elle saisirait le Conseil d’État."
    statement = one_event(extract_text(text), "Statement")
    assert statement.agents == ("Ministère des Transports",)
    assert "ministre déléguée chargée des Transports" in _actors(text)["Ministère des Transports"]


def test_a_named_minister_stays_a_person_and_a_lowercase_complement_is_no_portfolio() -> None:
    text = ("Le ministre de l’Intérieur, Paul Verdier, a annoncé le 2 mai un recours. "
            "Le préfet a demandé au ministre de prendre un arrêté.")
    names = _actors(text)
    assert "Paul Verdier" in names
    assert not any(name.startswith("Ministère") for name in names)


def test_a_role_noun_takes_up_a_company_of_unknown_kind() -> None:
    text = ("L’Arcep a sanctionné Orvane d’une amende de trois millions d’euros le 3 mars. Les retards "
            "de déploiement portent sur deux cents communes rurales de l’Aisne et de la Marne, selon "
            "le régulateur. "
            "L’opérateur s’était engagé en 2020 à raccorder toutes les communes.")
    extraction = extract_text(text)
    assert {a.name: a.kind for a in extraction.actors}["Orvane"] == "Other"
    commitment = one_event(extraction, "Commitment")
    assert commitment.agents == ("Orvane",)


def test_a_network_manager_and_a_journalist_are_role_nouns() -> None:
    text = ("Le 4 juillet, la CRE a rejeté la demande de l’association Énergie Libre contre la société "
            "Resonet. "
            "Le gestionnaire du réseau a salué cette décision le 2 août.")
    statement = one_event(extract_text(text), "Statement")
    assert statement.agents == ("Resonet",)
    text = ("Claire Vannier, journaliste à La Gazette du Lot, a été condamnée en mars 2023. "
            "La journaliste a déposé plainte le 2 février 2024.")
    appeal = one_event(extract_text(text), "Appeal")
    assert appeal.agents == ("Claire Vannier",)


def test_a_pronoun_after_a_framing_decision_takes_up_the_previous_subject() -> None:
    text = ("L’Autorité de la concurrence a prononcé des mesures conservatoires contre Orlix. "
            "Dans une décision datée du 4 juillet, elle enjoint à la société de rétablir l’accès de Veltra.")
    ruling = one_event(extract_text(text), "Ruling")
    assert ruling.agents == ("Autorité de la concurrence",)
    assert ruling.date == TimeValue(2022, 7, 4)


def test_a_verb_of_saying_before_a_that_clause_is_active() -> None:
    text = ("La DGCCRF a infligé le 19 février une amende à la société Bricor. "
            "Contacté, Bricor dit avoir « pris acte » de la sanction.")
    statement = one_event(extract_text(text), "Statement")
    assert statement.agents == ("Bricor",)


def test_a_request_filed_with_a_light_verb_has_its_subject_as_agent() -> None:
    text = ("L’ASN a mis en demeure la société Voltanor le 3 mars 2022. "
            "L’exploitant a déposé sa demande de redémarrage fin septembre 2022.")
    requests = {e.date: e.agents for e in extract_text(text).events if e.type == "Request"}
    assert requests[TimeValue(2022, 9)] == ("Voltanor",)


def test_a_lone_letter_after_contre_is_no_actor() -> None:
    text = "L’association Patients Unis a déposé le 3 mars une plainte contre X auprès du parquet de Lyon."
    assert "X" not in _actors(text)


def test_taking_a_case_before_a_court_is_an_appeal() -> None:
    text = "Le 3 février, la société Vermor a porté l’affaire devant le tribunal administratif de Lille."
    appeal = one_event(extract_text(text), "Appeal")
    assert appeal.agents == ("Vermor",)
    assert appeal.addressees == ("Tribunal administratif de Lille",)


def test_a_light_verb_governs_its_noun_across_an_incise() -> None:
    text = ("L’Arcom a été saisie en juillet 2022. Elle a ensuite adressé à la chaîne Telenova, "
            "le 28 juillet, un courrier lui demandant de s’expliquer.")
    letter = one_event(extract_text(text), "Letter")
    assert letter.agents == ("Autorité de régulation de la communication audiovisuelle et numérique",)
    assert letter.date == TimeValue(2022, 7, 28)


def test_a_passive_agent_may_follow_in_a_clause_of_its_own() -> None:
    text = ("L’Arcom avait été saisie en juillet 2022 par le syndicat Presse Libre, "
            "ainsi que par l’association Pluralis Médias.")
    appeal = one_event(extract_text(text), "Appeal")
    assert set(appeal.agents) == {"Presse Libre", "Pluralis Médias"}


def test_a_date_inside_a_law_name_running_on_does_not_date_the_ruling() -> None:
    text = ("Vendredi 14 octobre 2022, le Conseil constitutionnel a déclaré contraires à la Constitution "
            "deux alinéas de la loi du 12 mars 2019 relative à la protection des haies.")
    ruling = one_event(extract_text(text), "Ruling")
    assert ruling.date == TimeValue(2022, 10, 14)
