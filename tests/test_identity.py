"""The identity keys: which legal acts and which event reports name the same real thing."""

from __future__ import annotations

import pytest

from kg.identity import event_key, legal_act_key
from kg.models import Event, EventType, LegalAct, Span, TimeValue

CE, CNIL, ASSO = "urn:actor:ce", "urn:actor:cnil", "urn:actor:asso"
DECREE = "urn:act:decree"


def act(label: str, kind: str = "Decree", **fields: object) -> LegalAct:
    return LegalAct(label, kind, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(("written", "key"), [
    (act("décret n° 2020-650 du 29 mai 2020", identifiers=("n° 2020-650",)), "decree-2020-650"),
    (act("décret du 29 mai 2020", aliases=("décret n° 2020-650",)), "decree-2020-650"),  # number in an alias
    (act("décret n°2020-650"), "decree-2020-650"),
    (act("délibération n° 2023-146", "Deliberation"), "deliberation-2023-146"),  # another series
    (act("décision n° 444937", "CourtDecision", identifiers=("n° 444937",)), "courtdecision-444937"),
    (act("règlement", "Regulation", identifiers=("(UE) 2016/679",)), "regulation-ue-2016-679"),
    (act("arrêt Schrems II", "CourtDecision", identifiers=("C-311/18", "ECLI:EU:C:2020:559")),
     "ecli-eu-c-2020-559"),
    (act("arrêt", "CourtDecision", identifiers=("ECLI:EU:C:2020:559", "C-311/18")), "ecli-eu-c-2020-559"),
    (act("décret", identifiers=("ECOI2013418D",)), "nor-ecoi2013418d"),
    (act("décret", identifiers=("ECOI2013418D", "https://www.legifrance.gouv.fr/eli/decret/2020/5/29/"
                                                "ECOI2013418D/jo/texte")),
     "eli-decret-2020-5-29-ecoi2013418d"),
    (act("décret du 21 avril 2020", date=TimeValue(2020, 4, 21)), "decree-2020-04-21"),
    (act("le décret publié le 21 avril", date=TimeValue(2020, 4, 21)), "decree-2020-04-21"),
    (act("arrêté du 21 avril 2020", "Order", date=TimeValue(2020, 4, 21)), "order-2020-04-21"),
    (act("décret d'avril 2020", date=TimeValue(2020, 4)), "decree-decret-d-avril-2020"),  # no day: label
    (act("ordonnance de référé du 14 octobre 2020", "CourtDecision", date=TimeValue(2020, 10, 14)),
     "courtdecision-ordonnance-de-refere-du-14-octobre-2020"),  # a court gives many decisions a day
    (act("Loi Avia", "Law"), "law-loi-avia"),
    (act("décret modifiant le décret n° 2019-1", date=TimeValue(2021, 3, 2)), "decree-2021-03-02"),
])
def test_legal_act_keys(written: LegalAct, key: str) -> None:
    assert legal_act_key(written) == key


def test_legal_act_key_folds_accents_and_apostrophes() -> None:
    assert legal_act_key(act("Loi « Avia »", "Law")) == legal_act_key(act("loi avia", "Law"))


def event(event_type: EventType = "Ruling", date: TimeValue | None = None, section: str = "body") -> Event:
    return Event("e", event_type, "x", section, (Span(0, 1, "x"),), date=date)  # type: ignore[arg-type]


def test_pinned_events_are_keyed_by_month_so_precisions_meet() -> None:
    day = event_key(event("Commitment", TimeValue(2020, 11, 19)), ["urn:actor:minister"], [CNIL], [])
    month = event_key(event("Commitment", TimeValue(2020, 11)), ["urn:actor:minister"], [CNIL], [])
    assert day is not None and day == month and day.when == "2020-11"
    other_day = event_key(event("Commitment", TimeValue(2020, 11, 20)), ["urn:actor:minister"], [CNIL], [])
    assert other_day == day  # the same month: one event, its two days a conflict to report
    assert event_key(event("Commitment", TimeValue(2020, 12, 1)), ["urn:actor:minister"], [CNIL], []) != day


def test_an_event_with_agents_only_needs_its_day() -> None:
    ruling = event_key(event("Ruling", TimeValue(2020, 10, 14)), [CE], [], [])
    assert ruling is not None and ruling.when == "2020-10-14"
    assert event_key(event("Ruling", TimeValue(2020, 10, 15)), [CE], [], []) != ruling
    assert event_key(event("Ruling", TimeValue(2020, 10)), [CE], [], []) is None
    assert event_key(event("Ruling", TimeValue(2020)), [CE], [], []) is None
    assert event_key(event("Ruling", None), [CE], [], []) is None


def test_undated_events_need_agents_and_legal_acts() -> None:
    appeal = event_key(event("Appeal"), [ASSO], [CE], [DECREE])
    assert appeal is not None and appeal.when == "undated"
    assert event_key(event("Appeal", TimeValue(2020)), [ASSO], [CE], [DECREE]) == appeal  # a year: conflicts
    assert event_key(event("Appeal"), [ASSO], [CE], []) is None  # who and where, but against what?
    assert event_key(event("Appeal"), [], [CE], [DECREE]) is None  # against what, but by whom?


def test_the_type_and_every_participant_are_in_the_key() -> None:
    base = event_key(event("Sanction", TimeValue(2020, 12, 10)), [CNIL], ["urn:actor:google"], [])
    assert base != event_key(event("Sanction", TimeValue(2020, 12, 10)), [CNIL], ["urn:actor:amazon"], [])
    assert base != event_key(event("Request", TimeValue(2020, 12, 10)), [CNIL], ["urn:actor:google"], [])
    twice = event_key(event("Sanction", TimeValue(2020, 12, 10)), [CNIL, CNIL], ["urn:actor:google"], [])
    assert base == twice
    assert event_key(event("Ruling", TimeValue(2020, 6, 19)), [CE], [], [DECREE]) != event_key(
        event("Ruling", TimeValue(2020, 6, 19)), [CE], [], [])


def test_a_publication_is_its_legal_acts() -> None:
    signed = event_key(event("Publication", TimeValue(2020, 4, 21)), ["urn:actor:minister"], [], [DECREE])
    published = event_key(event("Publication", TimeValue(2020, 4, 22)), [], [], [DECREE])
    assert signed is not None and signed == published
    assert event_key(event("Publication"), [], [], [DECREE]) is not None
    assert event_key(event("Publication", TimeValue(2020, 4, 21)), [], [], []) is None


def test_key_order_does_not_matter() -> None:
    one = event_key(event("Appeal", TimeValue(2024, 3, 5)), [ASSO, CNIL], [CE], [DECREE, "urn:act:b"])
    two = event_key(event("Appeal", TimeValue(2024, 3, 5)), [CNIL, ASSO], [CE], ["urn:act:b", DECREE])
    assert one is not None and one == two and one.digest() == two.digest()
