"""Round 9 of generalisation: dates told by the story, orders given in a ruling, courts that convict.

A day written without a year after a dated day of an earlier year in its sentence keeps that
year; ``dans la foulée`` follows the act the story is about, not one recalled in the pluperfect; an
order given ``également``/``en outre`` is an order of its own, dated by the ruling that gives it;
``enjoint à X`` is an active present; a court that ``condamne`` rules.
"""

from __future__ import annotations

from kg.models import Event, TimeValue
from tests.invented import extract_text


def _events(text: str) -> list[Event]:
    return list(extract_text(text).events)


def _of(events: list[Event], kind: str) -> list[Event]:
    found = [e for e in events if e.type == kind]
    assert found, f"no {kind} in {[(e.type, e.date, e.agents) for e in events]}"
    return found


def test_day_without_year_keeps_the_year_of_the_story() -> None:
    text = ("Votée par le Parlement le 12 octobre 2019, la loi est promulguée le 3 novembre "
            "et publiée au Journal officiel le lendemain.")
    dates = {e.date for e in _of(_events(text), "Publication")}
    assert TimeValue(2019, 11, 3) in dates
    assert TimeValue(2019, 11, 4) in dates


def test_day_without_year_alone_still_counts_from_publication() -> None:
    text = "La loi a été promulguée le 3 mars."
    assert _of(_events(text), "Publication")[0].date == TimeValue(2023, 3, 3)


def test_same_time_follows_the_main_act_not_a_recalled_one() -> None:
    text = ("Le Conseil constitutionnel a censuré le 10 mars 2023 l’article 4 de la loi. "
            "La décision rejoint un arrêt de la Cour de cassation qui, en juin 2021, avait déjà limité "
            "ces fouilles. Dans la foulée, le ministère de la Justice s’est engagé à présenter un "
            "nouveau texte.")
    commitment = _of(_events(text), "Commitment")[0]
    assert commitment.date == TimeValue(2023, 3, 10)


def test_additional_order_is_its_own_request_dated_by_the_ruling() -> None:
    text = ("Le tribunal administratif de Nîmes a annulé le 2 mars 2023 le refus du préfet du Gard. "
            "Il a enjoint au préfet de réexaminer le dossier. "
            "Le tribunal enjoint également au préfet du Gard de verser une indemnité dans un délai "
            "de deux mois.")
    requests = _of(_events(text), "Request")
    assert len(requests) == 2
    for request in requests:
        assert request.date == TimeValue(2023, 3, 2)
        assert request.agents == ("Tribunal administratif de Nîmes",)
        assert request.addressees == ("Préfet du Gard",)


def test_enjoint_followed_by_its_addressee_is_active() -> None:
    text = "Le tribunal administratif de Nîmes enjoint au préfet du Gard de délivrer un titre de séjour."
    request = _of(_events(text), "Request")[0]
    assert request.agents == ("Tribunal administratif de Nîmes",)
    assert request.addressees == ("Préfet du Gard",)


def test_court_that_convicts_rules_and_authority_that_convicts_fines() -> None:
    text = ("Le tribunal correctionnel de Brest a condamné mardi l’ancien adjoint au maire à six mois "
            "de prison avec sursis. En 2021, la CNIL avait condamné la société Pixalo à deux millions "
            "d’euros d’amende.")
    events = _events(text)
    ruling = _of(events, "Ruling")[0]
    assert ruling.agents == ("Tribunal correctionnel de Brest",)
    sanction = _of(events, "Sanction")[0]
    assert sanction.addressees == ("Pixalo",)
    assert sanction.date == TimeValue(2021)
