"""Actors named with no cue, pronoun addressees and mixed rulings, on invented sentences.

Each test names a general cause: a bare company or person in an event's slot, a
collective whose name holds lower-case words, a territorial authority, a title-case
acronym, a dative pronoun, a relative clause's own subject, a ruling told with
two verbs of opposite sense.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kg.extract import extract
from kg.extract.slot_names import slot_names
from kg.models import Article, Event, Extraction, Section

PUBLISHED = datetime(2023, 3, 15, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
ADLC = "Autorité de la concurrence"


def _extract(text: str) -> Extraction:
    article = Article(id="invented", title="t", published=PUBLISHED, text=text,
                      sections=(Section("body", 0, len(text)),))
    return extract(article)


def _one(extraction: Extraction, kind: str) -> Event:
    found = [e for e in extraction.events if e.type == kind]
    assert len(found) == 1, [(e.type, e.label) for e in extraction.events]
    return found[0]


def _kinds(extraction: Extraction) -> dict[str, str]:
    return {a.name: a.kind for a in extraction.actors}


def test_a_bare_company_subject_of_an_act_is_an_actor() -> None:
    text = ("En septembre 2022, Zorbelo avait proposé des engagements. La plateforme de location a formé "
            "le 4 mars un recours devant la cour d’appel de Paris.")
    extraction = _extract(text)
    assert _kinds(extraction)["Zorbelo"] == "Company"
    assert _one(extraction, "Appeal").agents == ("Zorbelo",)


def test_a_bare_name_after_a_sanction_is_its_addressee() -> None:
    text = ("Le 2 mars 2023, l’Autorité de la concurrence a infligé une amende de 3 millions d’euros "
            "à Pelgrav Énergie.")
    sanction = _one(_extract(text), "Sanction")
    assert sanction.agents == (ADLC,) and sanction.addressees == ("Pelgrav Énergie",)


def test_a_person_named_after_par_is_the_agent_and_a_person() -> None:
    text = "La loi a été promulguée le 4 mars 2023 par Sylvain Quesnoy."
    extraction = _extract(text)
    assert _kinds(extraction)["Sylvain Quesnoy"] == "Person"
    assert _one(extraction, "Publication").agents == ("Sylvain Quesnoy",)


def test_a_place_after_a_is_no_actor() -> None:
    text = "Le 2 mars 2023, la CNIL a adressé un avertissement à Vannes (Morbihan) et à Nantes."
    assert not [s.name for s in slot_names(text, lambda start, end: False)]


def test_a_sentence_word_or_a_month_opening_a_clause_is_no_actor() -> None:
    text = "Mardi, le tribunal a rejeté la requête. En mars, la cour a annulé la décision."
    assert slot_names(text, lambda start, end: False) == []


def test_a_collective_named_with_lower_case_words() -> None:
    text = ("La procédure fait suite à une plainte déposée le 3 février 2023 par le collectif de "
            "parents Cahiers en ligne, puis à des contrôles.")
    extraction = _extract(text)
    assert _kinds(extraction)["Cahiers en ligne"] == "Association"
    assert _one(extraction, "Appeal").agents == ("Cahiers en ligne",)


def test_an_adjective_agreeing_with_a_plural_name_belongs_to_it() -> None:
    text = "Le 3 février 2023, l’association Vigilance Droits numériques a saisi le Conseil d’État."
    assert _one(_extract(text), "Appeal").agents == ("Vigilance Droits numériques",)


def test_a_verb_after_a_collective_is_not_part_of_its_name() -> None:
    text = "Le 3 février 2023, le collectif Brumaire dénonce une décision."
    assert "Brumaire" in _kinds(_extract(text))


def test_a_prefect_and_a_town_hall_are_named_after_their_territory() -> None:
    text = ("Le 3 avril 2023, la mairie de Lorvel-sur-Mer a saisi le tribunal administratif de Rennes. "
            "Le préfet du Finistère a déclaré le 4 avril 2023 qu’il soutenait la commune.")
    extraction = _extract(text)
    assert _kinds(extraction)["Commune de Lorvel-sur-Mer"] == "PublicBody"
    assert _kinds(extraction)["Préfet du Finistère"] == "Government"
    assert _one(extraction, "Appeal").agents == ("Commune de Lorvel-sur-Mer",)


def test_a_title_case_acronym_names_its_long_form() -> None:
    text = ("La saisine de l’Autorité de la concurrence par la Fédération des loueurs indépendants (Felin) "
            "date du 3 mars 2019. La Felin a salué le 4 mars 2019 la décision.")
    extraction = _extract(text)
    federation = "Fédération des loueurs indépendants"
    assert _kinds(extraction)[federation] == "Association"
    assert _one(extraction, "Appeal").agents == (federation,)


def test_a_dative_pronoun_is_the_company_just_named_and_a_relative_has_its_own_subject() -> None:
    text = ("Orbalis a formé un recours devant la cour d’appel de Paris contre la décision par laquelle "
            "l’Autorité de la concurrence lui a infligé, le 3 mai 2021, une amende de 5 millions d’euros.")
    sanction = _one(_extract(text), "Sanction")
    assert sanction.agents == (ADLC,) and sanction.addressees == ("Orbalis",)


def test_a_ruling_told_with_opposite_verbs_is_partly_granted() -> None:
    text = ("Dans sa décision rendue le 3 mars 2023, le Conseil constitutionnel valide l’essentiel de la "
            "loi relative à la sécurité des ponts, mais en censure deux articles.")
    assert _one(_extract(text), "Ruling").outcome == "partially_granted"


def test_partial_censure_and_reservations_are_partly_granted() -> None:
    for verb in ("a censuré partiellement", "a validé sous réserves", "a partiellement annulé"):
        text = f"Le 3 mars 2023, le Conseil constitutionnel {verb} la loi relative aux ponts."
        assert _one(_extract(text), "Ruling").outcome == "partially_granted", verb


def test_a_court_that_quashes_annuls() -> None:
    text = "Le 3 mars 2023, la Cour de cassation a cassé et annulé l’arrêt de la cour d’appel de Lyon."
    rulings = {e.agents: e.outcome for e in _extract(text).events if e.type == "Ruling"}
    assert rulings[("Cour de cassation",)] == "annulled"


def test_deputies_of_two_groups_are_one_party_and_their_later_description_too() -> None:
    text = ("Le Conseil constitutionnel avait été saisi le 7 février 2023 par plus de soixante députés "
            "des groupes Les Républicains et Horizons, après l’adoption du texte par l’Assemblée nationale. "
            "Les députés requérants ont salué le 9 mars 2023 "
            "la décision.")
    extraction = _extract(text)
    deputies = "Députés Les Républicains et Horizons"
    assert _kinds(extraction)[deputies] == "Parliament"
    assert _one(extraction, "Appeal").agents == (deputies,)
    assert _one(extraction, "Statement").agents == (deputies,)


def test_the_judge_of_a_named_court_is_that_court() -> None:
    text = ("Le 2 mai 2022, le Conseil d’État a rejeté un appel. Le 19 avril 2022, l’association Vigie "
            "Libre a saisi le juge des référés du tribunal administratif de Rennes d’un référé-liberté.")
    appeal = _one(_extract(text), "Appeal")
    assert appeal.agents == ("Vigie Libre",) and appeal.addressees == ("Tribunal administratif de Rennes",)


def test_subjects_coordinated_across_an_acronym_all_act() -> None:
    text = ("Le 19 avril 2023, le Syndicat des juristes de France (SJF) et l’association Vigie Libre ont "
            "saisi le tribunal administratif de Rennes.")
    appeal = _one(_extract(text), "Appeal")
    assert appeal.agents == ("Syndicat des juristes de France", "Vigie Libre")


def test_a_passive_formal_notice_is_addressed_to_its_subject() -> None:
    text = ("Le 3 mars 2021, l’Arcep a infligé une amende à Brimo Télécom et à sa filiale Brimo Réseaux. "
            "Faute de progrès, les deux sociétés avaient été mises en demeure par le régulateur le "
            "15 juillet 2020 de respecter cette échéance.")
    notice = _one(_extract(text), "Request")
    assert notice.addressees == ("Brimo Télécom", "Brimo Réseaux")
