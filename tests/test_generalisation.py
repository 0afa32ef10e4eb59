"""Phenomena found missing on articles the extractor was not written on, checked on invented sentences.

Each test names a general cause of error (an act told twice, a body acting through
its judge, a contestation that is no appeal, a hedge, a court-less hearing, a press
periphrasis), not a sentence of any article.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kg.extract import extract
from kg.models import Article, Event, Extraction, Section

PUBLISHED = datetime(2023, 3, 15, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
ADLC = "Autorité de la concurrence"
ARCEP = ("Autorité de régulation des communications électroniques, des postes et de la distribution "
         "de la presse")


def _extract(text: str) -> Extraction:
    article = Article(id="invented", title="t", published=PUBLISHED, text=text,
                      sections=(Section("body", 0, len(text)),))
    return extract(article)


def _of(extraction: Extraction, kind: str) -> list[Event]:
    return [e for e in extraction.events if e.type == kind]


def _one(extraction: Extraction, kind: str) -> Event:
    found = _of(extraction, kind)
    assert len(found) == 1, [(e.type, e.label, [s.text for s in e.evidence]) for e in extraction.events]
    return found[0]


def test_an_act_told_without_author_then_without_date_is_one_act() -> None:
    text = ("La sanction est tombée le 3 février 2023. Le collège de l’Arcep a infligé une amende de "
            "2 millions d’euros à la société Zeta.")
    sanction = _one(_extract(text), "Sanction")
    assert sanction.date is not None and sanction.date.iso() == "2023-02-03"
    assert sanction.agents == (ARCEP,)
    assert len(sanction.evidence) == 2


def test_two_acts_of_distinct_authors_in_adjacent_sentences_stay_apart() -> None:
    text = ("La CNIL a infligé le 3 février 2023 une amende à la société Zeta. "
            "L’Arcep a infligé le 9 février 2023 une amende à la société Omega.")
    assert len(_of(_extract(text), "Sanction")) == 2


def test_a_body_acting_through_its_judge_or_officer_is_the_party() -> None:
    text = ("L’association Alpha Liberté a saisi le juge des référés du tribunal administratif de Lyon "
            "le 3 février 2023.")
    appeal = _one(_extract(text), "Appeal")
    assert appeal.addressees == ("Tribunal administratif de Lyon",)
    assert appeal.agents == ("Alpha Liberté",)


def test_contesting_a_point_is_not_an_appeal_but_contesting_a_decision_is() -> None:
    contestation = _extract("La société Zeta conteste la méthode de calcul retenue par l’autorité.")
    assert _of(contestation, "Appeal") == []
    appeal = _one(_extract("Le 3 février 2023, la société Zeta a contesté la sanction devant le "
                           "Conseil d’État."), "Appeal")
    assert appeal.agents == ("Zeta",)


def test_an_appeal_under_study_or_a_penalty_that_cannot_be_imposed_is_no_event() -> None:
    text = ("La société Zeta dit étudier un recours devant le Conseil d’État. "
            "L’État ne peut de toute façon pas se voir infliger d’amende par la CNIL.")
    extraction = _extract(text)
    assert _of(extraction, "Appeal") == [] and _of(extraction, "Sanction") == []


def test_a_hearing_without_appeal_before_it_is_held_by_the_author_of_the_decision() -> None:
    text = ("Lors de l’audience du 2 février 2023, le rapporteur a présenté ses conclusions. "
            "L’Autorité de la concurrence a infligé le 20 février 2023 une amende à la société Zeta. "
            "La société Zeta a saisi le Conseil d’État le 1er mars 2023.")
    extraction = _extract(text)
    hearing = _one(extraction, "Hearing")
    assert hearing.agents == (ADLC,)
    assert hearing.related == ()


def test_press_periphrases_of_real_institutions_name_them() -> None:
    text = ("L’institution de la rue de l’Échelle a infligé le 3 février 2023 une amende à la société Zeta. "
            "La Rue de Grenelle a adressé le 5 février 2023 un courrier à la CNIL.")
    extraction = _extract(text)
    assert _one(extraction, "Sanction").agents == (ADLC,)
    assert _one(extraction, "Letter").agents == ("Ministère de l’Éducation nationale",)


def test_a_bare_decision_names_the_notice_or_fine_already_told() -> None:
    text = ("La CNIL a mis en demeure la société Zeta le 3 février 2023. "
            "D’après la décision, l’application conservait les données sans limite de durée.")
    extraction = _extract(text)
    assert _of(extraction, "Ruling") == []
    assert _one(extraction, "Request").agents == ("Commission nationale de l’informatique et des libertés",)


def test_that_day_takes_the_day_told_just_before_even_without_an_act() -> None:
    text = ("Le rapport est resté secret jusqu’au 6 février 2023. Ce jour-là, Le Monde a révélé que la CNIL "
            "avait mis en demeure la société Zeta.")
    disclosure = _one(_extract(text), "Disclosure")
    assert disclosure.date is not None and disclosure.date.iso() == "2023-02-06"


def test_a_date_in_an_opening_clause_without_act_dates_the_next_clause() -> None:
    text = "Interrogée le 7 février 2023, l’Arcep a confirmé l’ouverture d’une enquête."
    statement = _one(_extract(text), "Statement")
    assert statement.date is not None and statement.date.iso() == "2023-02-07"
    assert statement.agents == (ARCEP,)


def test_reactions_with_an_incise_or_a_verb_of_blame_are_statements() -> None:
    text = ("Le Conseil d’État a rejeté le 2 février 2023 la requête de la société Zeta. "
            "Le gouvernement s’est pour sa part félicité le 3 février 2023 de cette décision. "
            "La société Zeta a dénoncé le 4 février 2023 une décision injuste.")
    statements = _of(_extract(text), "Statement")
    assert [s.date.iso() if s.date else None for s in statements] == ["2023-02-03", "2023-02-04"]


def test_audience_measurement_is_no_hearing() -> None:
    text = "La société Zeta transmettait le 3 février 2023 les données à un prestataire de mesure d’audience."
    assert _of(_extract(text), "Hearing") == []


def test_an_undated_appeal_and_the_dated_one_of_the_same_party_are_one() -> None:
    text = ("Saisi par le ministère de l’Intérieur d’un appel contre l’ordonnance, le Conseil d’État "
            "a tenu une audience. C’est le ministère de l’Intérieur qui a saisi le Conseil d’État le "
            "3 février 2023.")
    appeal = _one(_extract(text), "Appeal")
    assert appeal.date is not None and appeal.date.iso() == "2023-02-03"
    assert appeal.agents == ("Ministère de l’Intérieur",)


def _target(extraction: Extraction, event: Event, relation: str) -> Event:
    ids = [r.event for r in event.related if r.relation == relation]
    assert len(ids) == 1, event.related
    return next(e for e in extraction.events if e.id == ids[0])


def test_a_reaction_naming_no_act_responds_to_the_decision_told_before() -> None:
    text = ("L’Arcep a infligé le 2 février 2023 une amende à la société Zeta. "
            "Le ministère de la Culture s’est félicité le 3 février 2023 de « la fermeté du régulateur ».")
    extraction = _extract(text)
    statement = _one(extraction, "Statement")
    assert _target(extraction, statement, "responds_to").type == "Sanction"


def test_an_injunction_and_the_publication_of_a_fine_follow_the_fine() -> None:
    text = ("L’Arcep a infligé le 2 février 2023 une amende à la société Zeta. "
            "La décision a été publiée le 4 février 2023 au Journal officiel. "
            "Outre l’amende, l’Arcep a enjoint le 2 février 2023 à la société Zeta de publier ses tarifs.")
    extraction = _extract(text)
    assert _of(extraction, "Ruling") == []
    assert _target(extraction, _one(extraction, "Publication"), "follows").type == "Sanction"
    assert _target(extraction, _one(extraction, "Request"), "follows").type == "Sanction"
