"""Round 11 of generalisation: typing conventions, procedural vocabulary, relative dates, split penalties.

A court that confirms or declares rules; ``pour mémoire`` names no brief; a stance quoted in the
speaker's own words (« prend acte ») is a statement; ``mettre X en demeure`` holds its object;
notified grievances are a request; a ``rappel à l'ordre`` is a sanction; ``l'année suivante`` and
``le mois suivant`` count from the year or month told before; a date after ``contre cette
décision`` dates the appeal; amounts written before each addressee make one sanction each.
"""

from __future__ import annotations

from tests.invented import CNIL, extract_text, one_event

ARCEP = ("Autorité de régulation des communications électroniques, des postes "
         "et de la distribution de la presse")


def test_a_court_that_confirms_rules() -> None:
    text = "La cour d'appel de Douai a confirmé ce refus le 12 janvier 2022."
    ruling = one_event(extract_text(text), "Ruling")
    assert ruling.agents == ("Cour d'appel de Douai",)
    assert ruling.outcome == "upheld"
    assert ruling.date is not None and ruling.date.iso() == "2022-01-12"


def test_an_authority_that_confirms_makes_a_statement() -> None:
    x = extract_text("La CNIL a confirmé le 3 mai 2022 l'ouverture d'une enquête.")
    assert [e.type for e in x.events] == ["Statement"]


def test_pour_memoire_names_no_brief() -> None:
    x = extract_text("Pour mémoire, la CNIL avait infligé 20 millions d'euros à la société Brivex en 2021.")
    assert [e.type for e in x.events] == ["Sanction"]


def test_a_quoted_stance_is_a_statement() -> None:
    text = ("Le tribunal administratif de Nantes a annulé l'arrêté le 3 mars 2022. "
            "La société Brivex « prend acte » de la décision.")
    statement = one_event(extract_text(text), "Statement")
    assert statement.agents == ("Brivex",)


def test_a_long_quote_tells_no_act() -> None:
    x = extract_text("Le maire estime que « la commune prend acte de la décision et fera appel demain ».")
    assert [e.type for e in x.events] == []


def test_mise_en_demeure_with_its_object_inside() -> None:
    request = one_event(extract_text("Le 14 septembre 2021, la CNIL met la société Brivex en demeure "
                                     "de se mettre en conformité."), "Request")
    assert request.agents == (CNIL,)
    assert request.addressees == ("Brivex",)
    assert request.date is not None and request.date.iso() == "2021-09-14"


def test_notified_grievances_are_a_request() -> None:
    x = extract_text("L'Arcep a notifié les griefs à la société Brivex en juillet 2021.")
    assert [e.type for e in x.events] == ["Request"]
    assert x.events[0].agents == (ARCEP,)


def test_a_reminder_of_the_law_is_a_sanction() -> None:
    sanction = one_event(extract_text("La CNIL avait prononcé un rappel à l'ordre contre la société Brivex "
                                      "en 2020."), "Sanction")
    assert sanction.addressees == ("Brivex",)


def test_the_following_year_counts_from_the_year_told() -> None:
    text = ("La société Brivex a été condamnée par le tribunal correctionnel de Lille en 2019, "
            "un jugement confirmé par la cour d'appel de Douai l'année suivante.")
    rulings = {e.agents[0]: e.date.iso() if e.date else None
               for e in extract_text(text).events if e.type == "Ruling"}
    assert rulings["Cour d'appel de Douai"] == "2020"


def test_the_following_month_counts_from_the_month_told() -> None:
    text = ("La fuite a été révélée en mars 2022 par Le Monde. L'association Datacit avait déposé une "
            "plainte auprès de la CNIL le mois suivant.")
    appeal = one_event(extract_text(text), "Appeal")
    assert appeal.date is not None and appeal.date.iso() == "2022-04"


def test_the_month_following_a_named_fact_is_not_the_next_month() -> None:
    text = ("La CNIL a ouvert une enquête en mars 2022. L'association Datacit avait déposé une plainte "
            "le mois suivant la fuite.")
    appeal = one_event(extract_text(text), "Appeal")
    assert appeal.date is None or appeal.date.iso() != "2022-04"


def test_a_date_after_the_target_of_an_appeal_dates_the_appeal() -> None:
    text = ("La CNIL a infligé une amende à la société Brivex en 2021. Brivex avait formé un recours "
            "contre cette décision la même année.")
    appeal = one_event(extract_text(text), "Appeal")
    assert appeal.date is not None and appeal.date.iso() == "2021"


def test_amounts_before_each_addressee_make_one_sanction_each() -> None:
    x = extract_text("La CNIL a infligé 2 millions d'euros à la société Brivex et 500 000 euros à "
                     "la société Datacit le 3 mars 2022.")
    sanctions = sorted(e.addressees for e in x.events if e.type == "Sanction")
    assert sanctions == [("Brivex",), ("Datacit",)]


def test_a_complaint_against_persons_unknown_is_an_appeal() -> None:
    appeal = one_event(extract_text("L'association Vigilance Rhône a déposé plainte contre X le 3 mars 2022 "
                                    "auprès du parquet de Lyon."), "Appeal")
    assert appeal.agents == ("Vigilance Rhône",)
