"""Round 16 of generalisation: relations between the events of one article.

A reaction told paragraphs after the decision reacts to the article's decision, the one dated
last, not to a ruling recalled from years before nor to one the reacting party was not
concerned by; a statement made before that decision reacts to none of the acts told.  A bare
``la décision`` in an article about a fine names the fine, not the order given with it.  ``Saisi
par X, le tribunal ...`` and ``X avait déféré l'arrêté au tribunal`` are one appeal.  A party's
appeal that names no act contests the sanction or formal notice addressed to it, one ``contre
l'arrêté`` the publication of the text told before; ``l'appel`` and
``le pourvoi`` attack a ruling; a ruling decides the appeal lodged with its own court before one
whose court the text does not name.
"""

from __future__ import annotations

from kg.models import Event, Extraction, TimeValue
from tests.invented import events_of, extract_text, one_event


def _targets(extraction: Extraction, event: Event, relation: str) -> list[Event]:
    """The events ``event`` is linked to by ``relation``."""
    by_id = {e.id: e for e in extraction.events}
    return [by_id[r.event] for r in event.related if r.relation == relation]


def test_a_late_reaction_responds_to_the_decision_dated_last_not_to_a_background_ruling() -> None:
    text = ("Le tribunal administratif de Lille a annulé le 9 mars l’arrêté du maire de Wimereux. "
            "Le maire avait déjà pris un arrêté semblable en 2019. "
            "Par un jugement du 4 février 2020, le tribunal administratif de Lille avait rejeté "
            "la demande de l’association Littoral Vivant. "
            "L’association Littoral Vivant a salué le 10 mars une victoire pour les promeneurs.")
    extraction = extract_text(text)
    statement = one_event(extraction, "Statement")
    (decision,) = _targets(extraction, statement, "responds_to")
    assert decision.date == TimeValue(2023, 3, 9)


def test_among_two_fines_of_one_day_a_reaction_answers_the_one_its_author_received() -> None:
    text = ("Le 2 mars, l’Autorité de la concurrence a infligé une amende de 2 millions d’euros à "
            "Granulats Occitans. Le même jour, l’Autorité de la concurrence a infligé une amende de "
            "3 millions d’euros à Bétons Garonne. "
            "Granulats Occitans a réagi le 6 mars en dénonçant un acharnement.")
    extraction = extract_text(text)
    statement = one_event(extraction, "Statement")
    (fine,) = _targets(extraction, statement, "responds_to")
    assert fine.type == "Sanction" and fine.addressees == ("Granulats Occitans",)


def test_an_announcement_answers_the_decision_and_one_made_before_it_answers_nothing() -> None:
    text = ("La Commission nationale de l’informatique et des libertés a infligé le 2 mars une amende "
            "de 500 000 euros à la société Optivente. "
            "La société Optivente a annoncé le 6 mars qu’elle saisirait le Conseil d’État. "
            "Le ministère de l’Économie avait annoncé en 2021 un renforcement des contrôles. "
            "En 2020, la Commission nationale de l’informatique et des libertés avait déjà sanctionné "
            "la société Promodeal d’une amende de 80 000 euros.")
    extraction = extract_text(text)
    answer, background = events_of(extraction, "Statement")
    (fine,) = _targets(extraction, answer, "responds_to")
    assert fine.addressees == ("Optivente",)
    assert background.agents == ("Ministère de l’Économie",) and background.related == ()


def test_the_decision_of_a_fine_names_the_fine_not_the_order_given_with_it() -> None:
    text = ("Le 2 mars, la Commission nationale de l’informatique et des libertés a infligé une amende "
            "de 400 000 euros à la clinique Saint-Roch. "
            "Elle lui enjoint de chiffrer ses sauvegardes sous trois mois. "
            "Dans un communiqué, la clinique Saint-Roch a indiqué mardi qu’elle prenait acte de la "
            "décision.")
    extraction = extract_text(text)
    statement = one_event(extraction, "Statement")
    assert [e.type for e in _targets(extraction, statement, "responds_to")] == ["Sanction"]


def test_seized_by_a_prefect_and_the_prefect_s_referral_are_one_appeal_decided_by_the_ruling() -> None:
    text = ("Saisi par le préfet du Gard, le juge des référés du tribunal administratif de Nîmes a "
            "suspendu hier l’arrêté du maire de Vauvert. "
            "L’arrêté avait été signé le 2 février par le maire. "
            "Le préfet du Gard a déféré l’arrêté au tribunal le 1er mars.")
    extraction = extract_text(text)
    appeal = one_event(extraction, "Appeal")
    ruling = one_event(extraction, "Ruling")
    assert appeal.date == TimeValue(2023, 3, 1)
    assert _targets(extraction, ruling, "decides") == [appeal]


def test_an_appeal_naming_no_act_contests_the_fine_its_author_received() -> None:
    text = ("Le 12 janvier, l’Autorité des marchés financiers a infligé une amende de 2 millions "
            "d’euros à la société Valbourse. "
            "Les marchés ont peu réagi à l’annonce. "
            "Valbourse a déposé le 3 mars un recours devant le Conseil d’État.")
    extraction = extract_text(text)
    appeal = one_event(extraction, "Appeal")
    assert [e.type for e in _targets(extraction, appeal, "targets")] == ["Sanction"]


def test_a_formal_notice_is_contested_but_not_an_order_given_with_a_fine() -> None:
    notice = ("Le 12 janvier, l’Arcom a mis en demeure la chaîne Canal Horizon de respecter ses "
              "obligations. Canal Horizon a déposé le 3 mars un recours devant le Conseil d’État.")
    extraction = extract_text(notice)
    appeal = one_event(extraction, "Appeal")
    assert [e.type for e in _targets(extraction, appeal, "targets")] == ["Request"]
    order = ("Le 12 janvier, l’Autorité des marchés financiers a infligé une amende de 2 millions "
             "d’euros à la société Valbourse et lui a ordonné de revoir ses procédures. "
             "Valbourse a déposé le 3 mars un recours devant le Conseil d’État.")
    extraction = extract_text(order)
    appeal = one_event(extraction, "Appeal")
    assert [e.type for e in _targets(extraction, appeal, "targets")] == ["Sanction"]


def test_the_appeal_of_a_party_targets_the_ruling_before_it() -> None:
    text = ("Le conseil de prud’hommes de Lyon a donné raison à M. Bernard Caron le 4 mai 2021. "
            "Le 2 juin 2021, l’appel de la société Transrhône a été enregistré par la cour d’appel "
            "de Lyon.")
    extraction = extract_text(text)
    appeal = one_event(extraction, "Appeal")
    (ruling,) = _targets(extraction, appeal, "targets")
    assert ruling.type == "Ruling" and ruling.date == TimeValue(2021, 5, 4)


def test_a_ruling_decides_the_appeal_lodged_with_its_own_court() -> None:
    text = ("L’association Ciel Clair a saisi le 1er août le tribunal administratif de Melun d’un "
            "référé-liberté. L’association Ciel Clair avait auparavant adressé au maire de Bry un "
            "recours gracieux le 8 juillet. "
            "Le juge des référés du tribunal administratif de Melun a suspendu mardi l’arrêté du maire.")
    extraction = extract_text(text)
    ruling = one_event(extraction, "Ruling")
    (appeal,) = _targets(extraction, ruling, "decides")
    assert appeal.date == TimeValue(2022, 8, 1)
    assert len(events_of(extraction, "Appeal")) == 2


def test_an_appeal_against_the_decree_targets_its_publication_told_before() -> None:
    text = ("Le maire de Vauvert a signé le 2 février un arrêté interdisant les feux de camp. "
            "Les habitants ont été prévenus par affichage. "
            "Le 20 février, l’association Garrigue Vivante a déposé un référé-suspension contre "
            "l’arrêté devant le tribunal administratif de Nîmes.")
    extraction = extract_text(text)
    appeal = one_event(extraction, "Appeal")
    assert _targets(extraction, appeal, "targets") == [one_event(extraction, "Publication")]
