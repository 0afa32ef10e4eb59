"""The French temporal tagger: what it finds, how it normalises it, and what it leaves alone."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kg.extract import extract
from kg.extract.dates import anchor, find_dates
from kg.models import Article, DateMention, Event, Offset, Section, TimeValue

CORPUS = Path(__file__).parent / "corpus"
PARIS = ZoneInfo("Europe/Paris")


def pub(day: str) -> datetime:
    return datetime.fromisoformat(day + "T10:00").replace(tzinfo=PARIS)


def only(text: str, published: str) -> DateMention:
    mentions = find_dates(text, pub(published))
    assert len(mentions) == 1, mentions
    return mentions[0]


def iso(text: str, published: str) -> str:
    value = only(text, published).value
    assert value is not None
    return value.iso()


# --- absolute dates -------------------------------------------------------------------------------------

def test_full_date_with_year_keeps_the_article_in_the_span() -> None:
    text = "Elle visait l’arrêté signé le 21 avril 2020 par le ministre."
    mention = only(text, "2020-06-22")
    assert mention.span.text == "le 21 avril 2020"
    assert text[mention.span.start:mention.span.end] == mention.span.text
    assert (mention.role, mention.value, mention.future) == ("point", TimeValue(2020, 4, 21), False)


def test_numeric_and_iso_dates() -> None:
    assert iso("Décision du 13/10/2020.", "2020-11-23") == "2020-10-13"
    assert iso("Mis à jour le 2021-03-04.", "2021-03-05") == "2021-03-04"
    assert iso("Le 19/06/20 à 08h12", "2020-06-19") == "2020-06-19"


def test_first_of_the_month_with_and_without_year() -> None:
    assert iso("Le texte entre en vigueur le 1er septembre 2025.", "2025-03-01") == "2025-09-01"
    soon = only("Le texte entre en vigueur le 1er décembre.", "2020-11-23")
    assert (soon.value, soon.future) == (TimeValue(2020, 12, 1), True)
    assert iso("La CNIL a été saisie le 1er décembre.", "2021-01-10") == "2020-12-01"


def test_dernier_points_to_the_latest_such_day_before_publication() -> None:
    assert iso("un décret publié le 21 avril dernier", "2020-11-23") == "2020-04-21"
    assert iso("révélée par Mediapart le 8 octobre dernier", "2020-11-23") == "2020-10-08"
    assert iso("publiée le 30 novembre dernier", "2020-11-23") == "2019-11-30"


def test_a_date_later_in_the_year_than_publication_in_a_past_clause_is_last_year() -> None:
    assert iso("La CNIL a sanctionné la société le 15 décembre.", "2021-01-10") == "2020-12-15"
    assert iso("Le décret a été publié le 15 décembre.", "2020-11-23") == "2019-12-15"
    assert iso("Les contrôles ont été menés peu après le 31 mars.", "2022-01-06") == "2021-03-31"


def test_prochain_and_future_clauses_point_forward() -> None:
    mention = only("L’audience aura lieu le 3 mars prochain.", "2020-11-23")
    assert (mention.value, mention.future) == (TimeValue(2021, 3, 3), True)
    awaited = only("L’arrêt de Luxembourg est attendu le 16 juillet.", "2020-06-22")
    assert (awaited.value, awaited.future) == (TimeValue(2020, 7, 16), True)
    assert iso("La décision est prévue le 15 janvier.", "2020-12-10") == "2021-01-15"


def test_without_any_cue_a_date_soon_after_publication_is_ahead_otherwise_behind() -> None:
    assert iso("Rendez-vous le 3 décembre.", "2020-11-23") == "2020-12-03"
    assert iso("Décidées le 31 décembre par la formation restreinte.", "2022-01-06") == "2021-12-31"


# --- weekdays -------------------------------------------------------------------------------------------

def test_weekday_with_date() -> None:
    mention = only("dans un courrier en date du jeudi 19 novembre", "2020-11-23")
    assert (mention.value, mention.flags) == (TimeValue(2020, 11, 19), ())
    assert "jeudi 19 novembre" in mention.span.text


def test_weekday_contradicting_the_date_keeps_the_day_and_is_flagged() -> None:
    mention = only("Dans sa décision, rendue le vendredi 14 octobre, le juge", "2020-11-23")
    assert mention.span.text == "le vendredi 14 octobre"
    assert mention.value == TimeValue(2020, 10, 14)
    assert mention.flags == ("weekday_mismatch",)


def test_weekday_dernier_and_prochain_exclude_the_publication_day() -> None:
    assert iso("Le juge a rendu vendredi dernier son ordonnance.", "2020-06-22") == "2020-06-19"
    assert iso("Vendredi dernier, le juge a rejeté la demande.", "2024-03-25") == "2024-03-22"
    assert iso("Le texte a été adopté mardi dernier.", "2020-05-26") == "2020-05-19"
    ahead = only("Le juge statuera jeudi prochain.", "2022-01-06")
    assert (ahead.value, ahead.future) == (TimeValue(2022, 1, 13), True)


def test_ce_weekday_is_in_the_publication_week() -> None:
    assert iso("Le décret a été publié ce samedi au Journal officiel.", "2020-05-30") == "2020-05-30"
    assert iso("Les amendes ont été annoncées ce jeudi.", "2022-01-06") == "2022-01-06"
    assert iso("La CNIL publiera son avis ce vendredi.", "2022-01-03") == "2022-01-07"


def test_bare_weekday_follows_the_tense_of_its_clause() -> None:
    assert iso("Mardi, la CNIL a rendu public son second avis.", "2020-05-30") == "2020-05-26"
    assert iso("Le gouvernement a fait savoir jeudi soir qu’il prenait acte.", "2020-06-19") == "2020-06-18"
    awaited = only("StopCovid : l’application attendue mardi", "2020-05-30")
    assert (awaited.value, awaited.future) == (TimeValue(2020, 6, 2), True)
    assert find_dates("Ce jeudi-là, rien n’était décidé.", pub("2020-05-30")) == []


# --- days counted from publication or from another event ----------------------------------------------

@pytest.mark.parametrize(("text", "expected", "future"), [
    ("Le Conseil a rendu hier sa décision.", "2020-06-18", False),
    ("Il l’a annoncé avant-hier.", "2020-06-17", False),
    ("Le texte sera publié demain.", "2020-06-20", True),
    ("La décision rendue publique aujourd’hui.", "2020-06-19", False),
    ("La décision rendue publique aujourd'hui.", "2020-06-19", False),
    ("Aucune requête n’a été enregistrée à ce jour.", "2020-06-19", False),
    ("L’association s’est félicitée hier soir de la décision.", "2020-06-18", False),
])
def test_days_counted_from_publication(text: str, expected: str, future: bool) -> None:
    mention = only(text, "2020-06-19")
    assert mention.value is not None
    assert (mention.value.iso(), mention.offset, mention.future) == (expected, None, future)


def test_veille_and_lendemain_count_from_another_event() -> None:
    text = "Leur demande a été rejetée le 5 mai, et elles ont fait appel dès le lendemain."
    rejected, appeal = find_dates(text, pub("2020-05-19"))
    assert appeal.span.text == "dès le lendemain"
    assert appeal.offset == Offset(days=1)
    assert appeal.value == TimeValue(2020, 5, 20)  # the fallback, on publication
    assert rejected.value is not None
    assert anchor(appeal, rejected.value) == TimeValue(2020, 5, 6)
    eve = only("son second avis, daté de la veille", "2020-05-30")
    assert (eve.offset, anchor(eve, TimeValue(2020, 5, 26))) == (Offset(days=-1), TimeValue(2020, 5, 25))


def test_veille_as_monitoring_is_not_a_date() -> None:
    assert find_dates("La veille juridique de la CNIL est précieuse.", pub("2020-05-30")) == []


@pytest.mark.parametrize(("text", "offset", "expected"), [
    ("La plainte a été déposée il y a trois jours.", Offset(days=-3), "2020-11-20"),
    ("Le projet a été lancé il y a deux semaines.", Offset(days=-14), "2020-11-09"),
    ("Le décret a été publié il y a six mois.", Offset(months=-6), "2020-05"),
    ("La loi a été votée il y a quinze ans.", Offset(years=-15), "2005"),
    ("Un mois plus tôt, le gendarme avait donné son accord.", Offset(months=-1), "2020-10"),
    ("La saisine a été déposée cinq jours après l’adoption.", Offset(days=5), "2020-11-28"),
])
def test_amounts_counted_from_a_reference(text: str, offset: Offset, expected: str) -> None:
    mention = next(m for m in find_dates(text, pub("2020-11-23")) if m.offset is not None)
    assert mention.value is not None
    assert (mention.role, mention.offset, mention.value.iso()) == ("point", offset, expected)


def test_dans_n_ans_is_a_future_point_not_a_false_positive() -> None:
    mention = only("le ministre a 90% de chances de changer dans 2 ans", "2020-11-23")
    assert (mention.span.text, mention.role, mention.offset) == ("dans 2 ans", "point", Offset(years=2))
    assert (mention.value, mention.future) == (TimeValue(2022, 11), True)


# --- calendar units relative to publication ------------------------------------------------------------

@pytest.mark.parametrize(("text", "published", "expected"), [
    ("La CNIL l’a sanctionné l’an dernier.", "2020-06-19", "2019"),
    ("La CNIL l’a sanctionné l’année dernière.", "2020-06-19", "2019"),
    ("Le texte a été adopté le mois dernier.", "2020-01-10", "2019-12"),
    ("Le texte a été adopté la semaine dernière.", "2020-06-19", "2020-06"),
    # the week of 29 June 2020 has its Thursday in July, the week of 22 June lies in June
    ("Le texte a été adopté la semaine dernière.", "2020-07-06", "2020-07"),
    ("Le texte a été adopté la semaine dernière.", "2020-07-03", "2020-06"),
    ("La Commission doit présenter un texte d’ici la fin de l’année.", "2020-06-19", "2020-12"),
])
def test_calendar_units(text: str, published: str, expected: str) -> None:
    assert iso(text, published) == expected


def test_debut_mi_fin_keep_the_precision_of_what_follows() -> None:
    assert iso("Les associations ont saisi le tribunal début mai.", "2020-05-19") == "2020-05"
    assert iso("Le décret est attendu mi-juillet.", "2020-05-19") == "2020-07"
    assert iso("Le décret est attendu mi juillet.", "2020-05-19") == "2020-07"
    end = only("La migration sera achevée fin 2021.", "2020-05-19")
    assert (end.value, end.value.precision if end.value else None) == (TimeValue(2021), "year")
    assert iso("La loi a été votée fin mai 2019.", "2020-05-19") == "2019-05"


@pytest.mark.parametrize(("text", "published", "expected", "span"), [
    ("Les contrôles ont été menés en avril 2021.", "2022-01-06", "2021-04", "en avril 2021"),
    ("la recommandation adoptée en septembre 2020", "2022-01-06", "2020-09", "en septembre 2020"),
    ("Dans son avis de mai 2019 sur la proposition", "2020-06-19", "2019-05", "mai 2019"),
    ("Le Parlement a voté le texte en juin.", "2020-11-23", "2020-06", "en juin"),
    ("On verra bien en avril.", "2022-01-06", "2022-04", "en avril"),
    ("Bruxelles avait envoyé ses observations en novembre dernier.", "2020-06-19", "2019-11",
     "en novembre dernier"),
    ("des contrôles au cours du mois de mai", "2020-05-19", "2020-05", "au cours du mois de mai"),
    ("Une saga ouverte en 2020.", "2024-03-25", "2020", "en 2020"),
    ("À l’automne 2020, le Conseil d’État a refusé.", "2024-03-25", "2020", "À l’automne 2020"),
    ("Depuis le 18 mars, les forces de l’ordre faisaient voler des drones.", "2020-05-19", "2020-03-18",
     "Depuis le 18 mars"),
])
def test_months_years_and_seasons(text: str, published: str, expected: str, span: str) -> None:
    mention = only(text, published)
    assert mention.value is not None
    assert (mention.value.iso(), mention.span.text, mention.role) == (expected, span, "point")


def test_the_first_day_of_a_range_takes_the_month_written_after_the_second() -> None:
    mentions = find_dates("Les audiences se tiendront du 5 au 8 mai 2019.", pub("2020-01-10"))
    assert [(m.span.text, m.value) for m in mentions] == [
        ("du 5", TimeValue(2019, 5, 5)), ("au 8 mai 2019", TimeValue(2019, 5, 8))]
    both = find_dates("La CNIL a siégé les 5 et 6 mai.", pub("2020-06-10"))
    assert [m.value for m in both] == [TimeValue(2020, 5, 5), TimeValue(2020, 5, 6)]


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("L’été dernier, la CNIL a contrôlé.", "2020-11-23", "2020"),
    ("L’été dernier, la CNIL a contrôlé.", "2020-07-23", "2019"),  # this summer is not over
    ("L’hiver dernier, la CNIL a contrôlé.", "2021-01-10", "2019"),  # the winter begun in December 2019
    ("La loi changera au printemps prochain.", "2020-11-23", "2021"),
])
def test_seasons_are_years(text: str, published: str, expected: str) -> None:
    assert iso(text, published) == expected


def test_a_month_name_alone_needs_a_preposition_a_year_or_a_marker() -> None:
    assert find_dates("La sonde Mars Express tourne toujours.", pub("2020-05-19")) == []


# --- the year of an earlier sentence, the time of the act told before -----------------------------------

def test_that_year_is_the_year_last_written_before_it() -> None:
    text = ("En 2016, l’association a saisi la CNIL. En 2019, elle a déposé un recours. "
            "À l’automne de cette année-là, le Conseil d’État l’a rejeté.")
    mention = find_dates(text, pub("2021-05-04"))[-1]
    assert (mention.span.text, mention.role, mention.value, mention.offset) == (
        "À l’automne de cette année-là", "point", TimeValue(2019), None)


@pytest.mark.parametrize("phrase", ["La même année", "Cette même année", "Cette année-là", "Cette année là"])
def test_the_same_year_skips_dates_that_write_no_year(phrase: str) -> None:
    text = f"Le décret est paru le 3 mars 2018. La veille, le 2 mai, rien. {phrase}, la loi a été votée."
    mention = find_dates(text, pub("2021-05-04"))[-1]
    assert (mention.span.text, mention.value) == (phrase, TimeValue(2018))


def test_that_year_with_no_year_written_before_it_in_its_section_is_no_date() -> None:
    assert find_dates("Cette année-là, la CNIL a rendu un avis.", pub("2021-05-04")) == []
    later = find_dates("La même année, la CNIL a rendu un avis. En 2019, elle a sanctionné.",
                       pub("2021-05-04"))
    assert [m.span.text for m in later] == ["En 2019"]
    text = "En 2019, la CNIL a été saisie.\nLa même année, elle a rendu un avis."
    comment = text.index("La même")
    assert find_dates(text, pub("2021-05-04"), comment, len(text)) == []


@pytest.mark.parametrize("phrase", ["Le même jour", "Ce même jour", "Dans la foulée", "Au même moment"])
def test_the_same_time_is_no_time_away_from_the_act_told_before(phrase: str) -> None:
    mention = only(f"{phrase}, le ministre a réagi.", "2021-05-04")
    assert (mention.span.text, mention.role, mention.offset) == (phrase, "point", Offset())
    assert mention.value == TimeValue(2021, 5, 4)  # read on publication until anchored on that act
    assert anchor(mention, TimeValue(2021, 3, 2)) == TimeValue(2021, 3, 2)
    assert anchor(mention, TimeValue(2021, 3)) == TimeValue(2021, 3)


def events(body: str, published: str = "2023-02-20") -> tuple[Event, ...]:
    article = Article("t", "Titre", pub(published), body, (Section("body", 0, len(body)),))
    return extract(article).events


def test_the_same_time_takes_the_date_of_the_act_told_before() -> None:
    told = events("Le 7 avril 2022, le tribunal administratif de Nice a rejeté la requête du syndicat Beta. "
                  "Le même jour, le syndicat a fait appel devant la cour administrative d’appel "
                  "de Marseille.")
    appeal = next(e for e in told if e.type == "Appeal" and e.addressees[0].startswith("Cour"))
    assert (appeal.date, appeal.date_text) == (TimeValue(2022, 4, 7), "Le même jour")


def test_a_date_written_in_the_sentence_wins_over_the_same_time() -> None:
    told = events("Le 7 avril 2022, le tribunal administratif de Nice a rejeté la requête du syndicat Beta. "
                  "Dans la foulée, le syndicat a fait appel le 12 avril 2022 devant la cour administrative "
                  "d’appel de Marseille.")
    appeal = next(e for e in told if e.type == "Appeal" and e.addressees[0].startswith("Cour"))
    assert appeal.date == TimeValue(2022, 4, 12)


def test_the_same_time_with_no_act_told_before_falls_back_on_publication() -> None:
    told = events("Dans la foulée, le syndicat Beta a fait appel devant la cour administrative d’appel "
                  "de Marseille.")
    assert [(e.type, e.date) for e in told] == [("Appeal", TimeValue(2023, 2, 20))]


# --- deadlines ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "span", "offset", "expected"), [
    ("Le HDH quittera Microsoft d’ici deux ans.", "d’ici deux ans", Offset(years=2), "2022-11"),
    ("Le HDH quittera Microsoft d'ici deux ans.", "d'ici deux ans", Offset(years=2), "2022-11"),
    ("La CNIL rendra son avis d’ici 6 mois.", "d’ici 6 mois", Offset(months=6), "2021-05"),
    ("Un recours reste possible dans un délai de trois mois.", "dans un délai de trois mois",
     Offset(months=3), "2021-02"),
    ("Elle ordonne de transmettre, sous cinq jours, les documents.", "sous cinq jours", Offset(days=5),
     "2020-11-28"),
    ("Les deux groupes disposent de trois mois pour se conformer.", "disposent de trois mois",
     Offset(months=3), "2021-02"),
    ("Ils vont disposer de 45 jours pour payer.", "disposer de 45 jours", Offset(days=45), "2021-01-07"),
    ("Le traitement devra cesser au plus tard six mois après la fin de l’état d’urgence.",
     "au plus tard six mois après", Offset(months=6), "2021-05"),
])
def test_relative_deadlines(text: str, span: str, offset: Offset, expected: str) -> None:
    mention = only(text, "2020-11-23")
    assert mention.value is not None
    assert (mention.span.text, mention.role, mention.offset, mention.value.iso(), mention.future) == (
        span, "deadline", offset, expected, True)


@pytest.mark.parametrize(("sentence", "deadline"), [
    ("L’opérateur dispose de deux mois pour se mettre en conformité.", TimeValue(2023, 3)),
    ("Les deux sociétés disposent de trois mois pour se mettre en conformité.", TimeValue(2023, 4)),
    ("Chacune dispose d’un délai de six mois pour se mettre en conformité.", TimeValue(2023, 7)),
])
def test_a_time_limit_imposed_by_a_decision_counts_from_the_decision(sentence: str, deadline: TimeValue
                                                                      ) -> None:
    """Months from a decision known to the day give a month: the decision's, not the publication's."""
    told = events("Le 9 janvier 2023, l’Arcep a infligé une amende aux sociétés Lambda et Kappa. " + sentence)
    request = next(e for e in told if e.type == "Request")
    assert (request.date, request.deadline) == (TimeValue(2023, 1, 9), deadline)


def test_a_time_limit_in_days_counts_days_from_the_decision() -> None:
    told = events("Le 2 février 2023, le Conseil d’État a rejeté la requête de l’association Sigma. "
                  "Il ordonne néanmoins à la société Lambda de publier son rapport sous quinze jours.")
    request = next(e for e in told if e.type == "Request")
    assert (request.date, request.deadline) == (TimeValue(2023, 2, 2), TimeValue(2023, 2, 17))


def test_a_deadline_without_cue_lies_ahead_but_a_past_clause_wins() -> None:
    assert iso("Les éditeurs avaient jusqu’au 31 mars pour se conformer.", "2020-11-23") == "2020-03-31"
    assert iso("Le dossier doit être complété avant juin.", "2020-11-23") == "2021-06"


def test_a_deadline_is_re_anchored_on_the_letter_it_belongs_to() -> None:
    deadline = only("s’est engagé, d’ici deux ans, à mettre un terme", "2020-11-23")
    assert anchor(deadline, TimeValue(2020, 11, 19)) == TimeValue(2022, 11)
    assert anchor(deadline, TimeValue(2020, 11)) == TimeValue(2022, 11)
    assert anchor(deadline, TimeValue(2020)) == TimeValue(2022)
    days = only("Elle doit répondre sous vingt et un jours.", "2020-11-23")
    assert days.offset == Offset(days=21)
    assert anchor(days, TimeValue(2020, 12, 20)) == TimeValue(2021, 1, 10)
    assert anchor(days, TimeValue(2020, 12)) == TimeValue(2021, 1)  # from the 15th, never a made-up day


@pytest.mark.parametrize(("text", "span", "expected"), [
    ("La plateforme doit migrer d’ici fin 2025.", "d’ici fin 2025", "2025-12"),
    ("Les éditeurs ont jusqu’au 31 mars pour se conformer.", "jusqu’au 31 mars", "2021-03-31"),
    ("Les éditeurs doivent se conformer avant le 31 mars.", "avant le 31 mars", "2021-03-31"),
    ("Le rapport sera remis au plus tard le 1er septembre 2025.", "au plus tard le 1er septembre 2025",
     "2025-09-01"),
    ("Le régime transitoire court jusqu’en 2025.", "jusqu’en 2025", "2025"),
])
def test_absolute_deadlines(text: str, span: str, expected: str) -> None:
    mention = only(text, "2020-11-23")
    assert mention.value is not None
    assert (mention.span.text, mention.role, mention.offset, mention.value.iso()) == (
        span, "deadline", None, expected)
    assert anchor(mention, TimeValue(1999)) == mention.value


# --- durations ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "span"), [
    ("Pendant une audience de plus de trois heures, le ministère a défendu le dispositif.", "trois heures"),
    ("La procédure a duré pendant trois heures.", "pendant trois heures"),
    ("Les identifiants ne seront gardés que 45 jours.", "45 jours"),
    ("autorisé pour une durée de trois ans", "pour une durée de trois ans"),
    ("retirer en vingt-quatre heures les contenus haineux", "en vingt-quatre heures"),
    ("effacer en une heure les contenus terroristes", "en une heure"),
    ("Les données sont conservées quatre-vingt-dix jours.", "quatre-vingt-dix jours"),
    ("La décision est tombée il y a deux heures.", "deux heures"),
])
def test_durations_are_never_dates(text: str, span: str) -> None:
    mention = only(text, "2020-06-19")
    assert (mention.span.text, mention.role, mention.value, mention.offset) == (span, "duration", None, None)
    assert anchor(mention, TimeValue(2020, 6, 19)) is None


# --- what is not a date ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "En lisant la brève, je n’arrive toujours pas à croire ce que je lis.",
    "Vous voulez me faire déprimer ? Dans sa décision, le juge tranche.",
    "quand on sait que le ministre a 90% de chances de partir",
    "Commentaires (10)",
    "2 min",
    "Cookies : la CNIL inflige 150 millions d’euros à Google et 60 millions à Facebook",
    "approuvée par 338 voix ; le Sénat a suivi par 186 voix contre 127",
    "l’article 12 de la loi et l’article 1er du décret",
    "les données issues de l’épidémie de Covid-19",
    "Il s’agit du décret n° 2020-650 pris en application.",
    "la récente décision de la CJUE (SCHREMS II)",
    "Un budget de 2000 euros, soit 2 000 € par an.",
])
def test_no_false_positives(text: str) -> None:
    assert find_dates(text, pub("2020-11-23")) == []


# --- what dateparser is handed --------------------------------------------------------------------------

def test_ordinal_day_words_and_a_leap_day_in_a_common_year() -> None:
    assert iso("La CNIL a statué le premier décembre.", "2021-01-10") == "2020-12-01"
    assert iso("Le 29 février, la CNIL a statué.", "2021-03-10") == "2020-02-29"


@pytest.mark.parametrize("text", ["Décision du 31/02/2020.", "La CNIL a statué le 31 avril."])
def test_impossible_calendar_dates_are_not_dates(text: str) -> None:
    assert find_dates(text, pub("2020-06-19")) == []


def test_phrases_dateparser_does_not_read_are_given_in_words_it_reads() -> None:
    morning = only("La CNIL a tranché ce matin.", "2020-06-19")
    assert (morning.value, morning.future) == (TimeValue(2020, 6, 19), False)
    year = only("Le texte entrera en vigueur l’an prochain.", "2020-06-19")
    assert (year.value, year.future) == (TimeValue(2021), True)
    quarter = only("Un recours est possible sous un trimestre.", "2020-11-23")
    assert (quarter.offset, quarter.value) == (Offset(months=3), TimeValue(2021, 2))


def test_next_week_in_the_publication_month_is_still_ahead() -> None:
    mention = only("La CNIL rendra son avis la semaine prochaine.", "2020-06-10")
    assert (mention.value, mention.future) == (TimeValue(2020, 6), True)


def test_a_bare_weekday_on_publication_day_is_that_day_in_either_tense() -> None:
    ahead = only("La CNIL publiera son avis mercredi.", "2022-01-05")
    assert (ahead.value, ahead.future) == (TimeValue(2022, 1, 5), True)
    done = only("La CNIL a publié son avis mercredi.", "2022-01-05")
    assert (done.value, done.future) == (TimeValue(2022, 1, 5), False)


def test_an_amount_beyond_the_calendar_stays_a_duration() -> None:
    mention = only("Le site a été habité il y a trois mille ans.", "2020-06-19")
    assert (mention.span.text, mention.role, mention.value) == ("trois mille ans", "duration", None)


# --- interface ------------------------------------------------------------------------------------------

def test_start_and_end_restrict_the_search_but_offsets_stay_global() -> None:
    text = "Le 5 mai, recours. Hier, décision. Le 8 mai, appel."
    start = text.index("Hier")
    mentions = find_dates(text, pub("2020-05-19"), start, text.index("Le 8"))
    assert [(m.span.start, m.span.text) for m in mentions] == [(start, "Hier")]
    assert [m.span.text for m in find_dates(text, pub("2020-05-19"))] == ["Le 5 mai", "Hier", "Le 8 mai"]


def test_results_are_sorted_and_never_overlap() -> None:
    text = "Le 21 avril 2020, puis le jeudi 19 novembre, d’ici deux ans, et hier."
    mentions = find_dates(text, pub("2020-11-23"))
    assert [m.span.text for m in mentions] == ["Le 21 avril 2020", "le jeudi 19 novembre", "d’ici deux ans",
                                               "hier"]


# --- the corpus ------------------------------------------------------------------------------------------

def corpus() -> list[tuple[str, dict]]:
    return [(path.read_text(encoding="utf-8"), json.loads(path.with_suffix("").with_suffix(".gold.json")
                                                         .read_text(encoding="utf-8")))
            for path in sorted(CORPUS.glob("*.txt"))]


@pytest.mark.parametrize(("text", "gold"), corpus())
def test_every_corpus_article_tags_cleanly(text: str, gold: dict) -> None:
    published = datetime.fromisoformat(gold["document"]["published"])
    mentions = find_dates(text, published)
    assert mentions
    for mention in mentions:
        assert text[mention.span.start:mention.span.end] == mention.span.text
        if mention.value is not None:
            assert TimeValue.parse(mention.value.iso()) == mention.value
        assert (mention.value is None) == (mention.role == "duration")
    starts = [m.span.start for m in mentions]
    assert starts == sorted(starts)


def gold_date_found(text: str, published: datetime, date_text: str, expected: str) -> bool:
    """Some mention overlapping an occurrence of ``date_text`` reads ``expected``; a mention
    counted from another event is anchored on the dated mention before it, as the event
    extractor does."""
    mentions = find_dates(text, published)
    occurrences = [i for i in range(len(text)) if text.startswith(date_text, i)]
    for index, mention in enumerate(mentions):
        value = mention.value
        if mention.offset is not None and mention.role == "point" and index:
            previous = mentions[index - 1].value
            value = anchor(mention, previous) if previous else value
        overlaps = any(mention.span.start < i + len(date_text) and i < mention.span.end for i in occurrences)
        if overlaps and value is not None and value.iso() == expected:
            return True
    return False


def test_most_gold_dates_of_the_corpus_are_found_with_their_value() -> None:
    found, missed = 0, []
    for text, gold in corpus():
        published = datetime.fromisoformat(gold["document"]["published"])
        pairs = {(e["date_text"], e["date"]) for e in gold["events"] if e.get("date_text") and e.get("date")}
        for date_text, expected in sorted(pairs):
            if gold_date_found(text, published, date_text, expected):
                found += 1
            else:
                missed.append((gold["document"]["id"], date_text, expected))
    # Known misses: 'dans la soirée' (no day in it), 'au lendemain de la publication de la délibération'
    # (anchored on an event the tagger cannot see).
    assert len(missed) <= 2, missed
    assert found >= 39, (found, missed)


def test_gold_deadlines_are_found_and_anchor_on_their_event() -> None:
    """Every gold deadline is some deadline mention of the article re-anchored on the event's date."""
    checked = 0
    for text, gold in corpus():
        published = datetime.fromisoformat(gold["document"]["published"])
        deadlines = [m for m in find_dates(text, published) if m.role == "deadline"]
        for event in gold["events"]:
            if event.get("deadline") and event.get("date"):
                on = TimeValue.parse(event["date"])
                readings = {value.iso() for m in deadlines if (value := anchor(m, on)) is not None}
                assert event["deadline"] in readings, (gold["document"]["id"], event["id"], readings)
                checked += 1
    assert checked >= 4
