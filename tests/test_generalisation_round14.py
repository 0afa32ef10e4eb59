"""Round 14 of generalisation: names cut short or mistaken, and the party that receives an act.

A surname opening with a capitalised article (``Le Goff``) belongs to the name; a place after
``installé à`` is no actor; a court named ``tribunal de`` its seat, a prosecutor's office named
after ``procureur de la République de`` its seat, and territorial services written after an
elided article (``l'Urssaf d'Alsace``) are actors; whoever ``a reçu un blâme de Y`` is its
addressee and Y its author, the date set inside that phrase dating it.
"""

from __future__ import annotations

from kg.models import TimeValue
from tests.invented import PUBLISHED, extract_text, one_event


def _names(text: str) -> set[str]:
    return {a.name for a in extract_text(text).actors}


def test_a_surname_opening_with_an_article_is_kept_whole() -> None:
    text = "Marie Le Bihan a déposé plainte le 3 mars contre la société Orvalis."
    plaint = one_event(extract_text(text), "Appeal")
    assert plaint.agents == ("Marie Le Bihan",)


def test_a_place_after_a_location_word_is_no_actor() -> None:
    text = ("La CNIL a infligé le 4 mars une amende de 2 millions d'euros à Datora, "
            "une société installée à Tamberg qui revend des fichiers.")
    names = _names(text)
    assert "Tamberg" not in names
    sanction = one_event(extract_text(text), "Sanction")
    assert sanction.addressees == ("Datora",)


def test_a_place_set_off_by_a_comma_at_the_end_of_a_clause_is_no_actor() -> None:
    text = ("La société Velora a saisi le tribunal administratif de Lyon le 2 mars, explique sa "
            "présidente, rencontrée dans ses bureaux, à Vaulmont.")
    assert "Vaulmont" not in _names(text)


def test_a_court_named_tribunal_of_its_seat_is_an_actor() -> None:
    text = "La société Brokanet dispose de six semaines pour saisir le tribunal de Haarvik."
    actors = {a.name: a.kind for a in extract_text(text).actors}
    assert actors.get("Tribunal de Haarvik") == "Court"


def test_the_prosecutor_of_a_city_is_its_prosecutor_office() -> None:
    text = ("L'association Eaux Claires a déposé plainte le 19 septembre auprès du procureur de la "
            "République de Morlaix.")
    plaint = one_event(extract_text(text), "Appeal")
    assert plaint.addressees == ("Parquet de Morlaix",)
    actors = {a.name: a.kind for a in extract_text(text).actors}
    assert actors["Parquet de Morlaix"] == "Court"


def test_territorial_services_after_an_elided_article() -> None:
    text = ("Le 3 mars, l’Urssaf d’Alsace a adressé une mise en demeure à la société Orlix. "
            "Le 5 mars, l’inspection du travail de Haute-Loire a saisi le parquet de Brest.")
    extraction = extract_text(text)
    request = one_event(extraction, "Request")
    assert (request.agents, request.addressees) == (("Urssaf d’Alsace",), ("Orlix",))
    appeal = one_event(extraction, "Appeal")
    assert appeal.agents == ("Inspection du travail de Haute-Loire",)


def test_the_health_directorate_is_a_known_institution() -> None:
    assert "Direction générale de la santé" in _names("Saisie par la direction générale de la santé, "
                                                      "l'agence a rendu son avis le 26 septembre.")


def test_who_receives_a_sanction_is_its_addressee_and_the_giver_its_agent() -> None:
    text = "Le 3 mars, la société Orlix a reçu une mise en demeure de la CNIL."
    request = one_event(extract_text(text), "Request")
    assert request.agents == ("Commission nationale de l’informatique et des libertés",)
    assert request.addressees == ("Orlix",)


def test_a_date_inside_the_receiving_phrase_dates_the_sanction() -> None:
    text = "La société Vernéa avait elle-même reçu, il y a deux ans, un blâme de l’ACPR."
    sanction = one_event(extract_text(text), "Sanction")
    assert sanction.agents == ("Autorité de contrôle prudentiel et de résolution",)
    assert sanction.addressees == ("Vernéa",)
    assert sanction.date is not None and sanction.date.year == PUBLISHED.year - 2
    assert sanction.date != TimeValue(PUBLISHED.year, PUBLISHED.month)
