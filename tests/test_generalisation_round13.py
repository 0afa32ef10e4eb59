"""Round 13 of generalisation: written days, coordinated verbs, passive subjects, acts' own dates.

``le même jour`` is the day last written, whichever act it was told with; a participle coordinated
with an active verb shares its subject; a pronoun after a passive sentence stands for the party that
underwent the act; a party asking a court is appealing to it; the date in a legal act's name (``l'arrêté
du 2 septembre``) is the act's, not the ruling's about it, unless the act is the vehicle of the event; a
relative clause on a regulatory act tells what the act does, not a ruling; and some vocabulary: tax
reassessments, requalification, prosecutors' requisitions and summonses, verbs of saying.
"""

from __future__ import annotations

from kg.models import TimeValue
from tests.invented import CNIL, events_of, extract_text, one_event


def test_the_same_day_is_the_day_last_written_even_with_a_recalled_act() -> None:
    text = ("Le Centre hospitalier de Valmont (CHV) a été victime d'une cyberattaque. L'hôpital avait "
            "notifié la violation à la CNIL le 3 mai 2024 et déposé plainte le même jour auprès du "
            "parquet de Lyon. Une semaine plus tard, la presse s'en est fait l'écho.")
    complaint = one_event(extract_text(text), "Appeal")
    assert complaint.date == TimeValue(2024, 5, 3)


def test_a_participle_coordinated_with_an_active_verb_shares_its_subject() -> None:
    text = ("Le Centre hospitalier de Valmont (CHV) a été victime d'une cyberattaque. L'hôpital avait "
            "notifié la violation à la CNIL le 3 mai 2024 et déposé plainte le même jour auprès du "
            "parquet de Lyon.")
    x = extract_text(text)
    letter, complaint = one_event(x, "Letter"), one_event(x, "Appeal")
    assert letter.agents == complaint.agents == ("Centre hospitalier de Valmont",)
    assert complaint.addressees == ("Parquet de Lyon",)


def test_a_pronoun_after_a_passive_sentence_is_the_party_that_underwent_the_act() -> None:
    text = ("La coopérative Terres du Sud a été sanctionnée le 3 mars 2024 par l'Autorité de la "
            "concurrence. Elle a déposé un recours.")
    appeal = one_event(extract_text(text), "Appeal")
    assert appeal.agents == ("Terres du Sud",)


def test_a_party_asking_a_court_appeals_to_it() -> None:
    text = ("La coopérative Terres du Sud a été sanctionnée le 3 mars 2024 par l'Autorité de la "
            "concurrence. La coopérative a aussi demandé à la cour d'appel de Paris de surseoir à "
            "l'exécution de l'amende.")
    x = extract_text(text)
    assert not events_of(x, "Request")
    appeal = one_event(x, "Appeal")
    assert (appeal.agents, appeal.addressees) == (("Terres du Sud",), ("Cour d'appel de Paris",))


def test_an_authority_asking_a_court_still_requests() -> None:
    x = extract_text("Le 4 mai 2023, la CNIL a demandé au tribunal administratif de Lyon de se prononcer.")
    assert one_event(x, "Request").agents == (CNIL,)


def test_the_date_in_a_legal_acts_name_is_not_the_rulings() -> None:
    text = ("Le 3 avril 2025, le Conseil d’État a annulé l’arrêté ministériel du 2 septembre 2024 qui "
            "autorisait la capture des alouettes.")
    ruling = one_event(extract_text(text), "Ruling")
    assert (ruling.date, ruling.outcome) == (TimeValue(2025, 4, 3), "annulled")


def test_a_ruling_about_a_dated_act_with_no_date_of_its_own_stays_undated() -> None:
    ruling = one_event(extract_text("Le tribunal administratif de Lyon a annulé le décret du 3 mars 2021."),
                       "Ruling")
    assert ruling.date is None


def test_an_act_that_is_the_vehicle_of_an_event_dates_it() -> None:
    text = ("Par un arrêté du 14 septembre 2023, le préfet de la Somme a mis en demeure la société "
            "Ventalis d'interrompre les travaux.")
    assert one_event(extract_text(text), "Request").date == TimeValue(2023, 9, 14)


def test_an_authorisation_told_in_a_relative_clause_on_an_act_is_its_signature() -> None:
    text = ("Le 5 mai 2023, le tribunal administratif de Lyon a annulé l’arrêté du 3 mars 2023 par lequel "
            "le préfet avait autorisé la construction.")
    x = extract_text(text)
    ruling = one_event(x, "Ruling")
    assert (ruling.date, ruling.outcome) == (TimeValue(2023, 5, 5), "annulled")
    assert one_event(x, "Publication").date == TimeValue(2023, 3, 3)


def test_a_tax_reassessment_is_a_penalty_and_contesting_it_an_appeal() -> None:
    x = extract_text("L'Urssaf a notifié fin 2024 à la société Beta un redressement de 9,4 millions "
                     "d'euros. La société Beta a contesté ce redressement devant le tribunal judiciaire "
                     "de Lyon.")
    assert one_event(x, "Sanction").date == TimeValue(2024)
    appeal = one_event(x, "Appeal")
    assert (appeal.agents, appeal.addressees) == (("Beta",), ("Tribunal judiciaire de Lyon",))


def test_an_insolvency_procedure_is_no_penalty() -> None:
    x = extract_text("Le 3 mars 2024, la société Beta a été placée en redressement judiciaire.")
    assert not events_of(x, "Sanction")


def test_a_labour_court_requalifying_contracts_grants_the_claim() -> None:
    x = extract_text("Le conseil de prud'hommes de Paris a requalifié le 3 mars 2025 les contrats en "
                     "contrats de travail.")
    ruling = one_event(x, "Ruling")
    assert (ruling.agents, ruling.outcome) == (("Conseil de prud'hommes de Paris",), "granted")


def test_a_prosecutors_requisitions_and_summons() -> None:
    x = extract_text("Le parquet national financier a requis le 3 mars 2025 deux ans de prison contre "
                     "M. Paul Durand.")
    assert one_event(x, "Request").agents == ("Parquet national financier",)
    summons = one_event(extract_text("Le parquet national financier avait fait citer les deux hommes devant "
                                     "le tribunal correctionnel de Paris en octobre 2024."), "Appeal")
    assert summons.addressees == ("Tribunal correctionnel de Paris",)
    assert summons.date == TimeValue(2024, 10)


def test_verbs_of_saying_with_a_phrase_between_auxiliary_and_participle() -> None:
    text = ("Le 3 mars 2025, le Conseil d'État a annulé le décret. La ministre de la Culture, Jeanne "
            "Morel, a pour sa part fait savoir qu'elle prenait acte de la décision.")
    assert one_event(extract_text(text), "Statement").agents == ("Jeanne Morel",)
    said = extract_text("Le 3 mars 2025, l'association Vigie a indiqué que la décision serait contestée.")
    assert one_event(said, "Statement").agents == ("Vigie",)
