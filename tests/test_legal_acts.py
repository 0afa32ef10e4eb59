"""The legal-act recogniser on invented sentences (hand-built date mentions) and on the dev corpus."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from kg.evaluate import fold
from kg.extract.legal_acts import LegalActIndex, find_legal_acts
from kg.models import Article, DateMention, Section, Span, TimeValue
from kg.reader import read_article

CORPUS = Path(__file__).parent / "corpus"


def article(text: str) -> Article:
    return Article("t", "t", datetime(2021, 6, 1, tzinfo=UTC), text, (Section("body", 0, len(text)),))


def date(text: str, phrase: str, value: str) -> DateMention:
    start = text.index(phrase)
    return DateMention(Span(start, start + len(phrase), phrase), "point", TimeValue.parse(value))


def acts_of(text: str, *dates: tuple[str, str]) -> LegalActIndex:
    return find_legal_acts(article(text), [date(text, phrase, value) for phrase, value in dates])


def keys_at(index: LegalActIndex, text: str, phrase: str) -> list[str]:
    start = text.index(phrase)
    return [m.key for m in index.within(start, start + len(phrase))]


def test_decree_dated_by_the_participle_that_follows_it() -> None:
    text = "Le collectif attaque un décret publié le 21 avril dernier, qui élargit le fichier."
    index = acts_of(text, ("le 21 avril dernier", "2021-04-21"))
    (act,) = index.acts
    assert (act.label, act.kind, act.date) == ("décret du 21 avril 2021", "Decree", TimeValue(2021, 4, 21))
    assert keys_at(index, text, "un décret publié le 21 avril dernier") == [act.label]


def test_numbered_decree_keeps_its_number_as_alias_and_identifier() -> None:
    text = "Il s’agit du décret n° 2021-77 du 3 février 2021 (NOR : PRMX2101234D)."
    (act,) = acts_of(text, ("du 3 février 2021", "2021-02-03")).acts
    assert act.label == "décret du 3 février 2021"
    assert "décret n° 2021-77" in act.aliases and "décret n° 2021-77 du 3 février 2021" in act.aliases
    assert act.identifiers == ("n° 2021-77", "PRMX2101234D")


def test_number_alone_labels_an_undated_act() -> None:
    (act,) = acts_of("La délibération n° 2021-045 autorise le traitement.").acts
    assert (act.label, act.kind, act.date) == ("délibération n° 2021-045", "Deliberation", None)


def test_order_needs_a_determiner_and_a_later_mention_refers_to_it() -> None:
    text = ("La police a arrêté deux suspects. L’arrêté signé le 2 mars 2021 par le préfet interdit "
            "les drones. Le juge suspend l’arrêté.")
    index = acts_of(text, ("le 2 mars 2021", "2021-03-02"))
    (act,) = index.acts
    assert (act.label, act.kind) == ("arrêté du 2 mars 2021", "Order")
    assert keys_at(index, text, "La police a arrêté deux suspects.") == []
    assert keys_at(index, text, "suspend l’arrêté") == [act.label]


def test_qualified_law_gets_the_qualifier_as_alias() -> None:
    text = "C’est la loi climat du 22 août 2021 qui a tout changé."
    (act,) = acts_of(text, ("du 22 août 2021", "2021-08-22")).acts
    assert act.label == "loi du 22 août 2021" and "loi climat" in act.aliases


def test_titled_law_with_eponym_and_coreferences() -> None:
    text = ("Loi Durand : le texte est censuré. Les Sages ont jugé la loi visant à protéger les lanceurs "
            "d’alerte, dite loi Durand, adoptée en mai. La proposition de loi avait divisé. "
            "Ce texte reviendra.")
    index = acts_of(text)
    (act,) = index.acts
    assert (act.label, act.kind, act.date) == ("loi visant à protéger les lanceurs d’alerte", "Law", None)
    assert "loi Durand" in act.aliases
    for phrase in ("Loi Durand", "proposition de loi", "Ce texte"):
        assert keys_at(index, text, phrase) == [act.label], phrase


def test_regulation_known_by_its_short_name() -> None:
    text = "Ces sanctions reposent sur le RGPD et non sur le futur règlement sur les services numériques."
    index = acts_of(text)
    assert [(a.label, a.kind, a.date) for a in index.acts] == [("RGPD", "Regulation", TimeValue(2016, 4, 27))]


def test_judges_ordinance_is_a_court_decision_and_the_governments_an_ordinance() -> None:
    text = ("Par une ordonnance rendue le 3 mars 2021, le juge des référés rejette la demande. "
            "Le gouvernement avait pris l’ordonnance n° 2020-306 du 25 mars 2020 relative à la prorogation "
            "des délais.")
    index = acts_of(text, ("le 3 mars 2021", "2021-03-03"), ("du 25 mars 2020", "2020-03-25"))
    (act,) = index.acts
    assert (act.label, act.kind) == ("ordonnance du 25 mars 2020", "Ordinance")
    assert "ordonnance relative à la prorogation des délais" in act.aliases


def test_court_decision_needs_a_number_or_a_date_right_after_it() -> None:
    text = "Dans sa décision n° 2020-801 DC du 18 juin 2020, le Conseil censure. Cette décision surprend."
    index = acts_of(text, ("du 18 juin 2020", "2020-06-18"))
    (act,) = index.acts
    assert (act.label, act.kind) == ("décision du 18 juin 2020", "CourtDecision")
    assert act.identifiers == ("n° 2020-801 DC",)
    assert keys_at(index, text, "Cette décision") == [act.label]
    unnumbered = "Dans sa décision, rendue le 2 mars 2021, le juge tranche."
    assert acts_of(unnumbered, ("le 2 mars 2021", "2021-03-02")).acts == ()


def test_hypothetical_unanchored_acts_are_not_acts() -> None:
    assert acts_of("Le ministère devra faire adopter un arrêté ou un décret, ou renoncer.").acts == ()


def test_definite_mention_before_the_act_refers_forward() -> None:
    text = "Le décret est paru. Il s’agit du décret n° 2021-12 du 5 janvier 2021."
    index = acts_of(text, ("du 5 janvier 2021", "2021-01-05"))
    assert keys_at(index, text, "Le décret est paru") == ["décret du 5 janvier 2021"]


def test_two_dated_acts_of_one_kind_stay_apart_and_mentions_are_sorted() -> None:
    text = "L’arrêté du 21 avril 2020 complète un premier arrêté du 23 mars 2020."
    index = acts_of(text, ("du 21 avril 2020", "2020-04-21"), ("du 23 mars 2020", "2020-03-23"))
    assert [a.label for a in index.acts] == ["arrêté du 21 avril 2020", "arrêté du 23 mars 2020"]
    starts = [m.span.start for m in index.mentions]
    assert starts == sorted(starts)
    assert all(text[m.span.start:m.span.end] == m.span.text for m in index.mentions)


def test_corpus_recall_of_gold_legal_acts() -> None:
    """Gold acts found by label-or-alias with the right kind, dates from the real temporal tagger."""
    from kg.extract import find_article_dates

    found = total = 0
    missed = []
    for path in sorted(CORPUS.glob("*.txt")):
        gold = json.loads(path.with_suffix("").with_suffix(".gold.json").read_text(encoding="utf-8"))
        read = read_article(path)
        predicted = find_legal_acts(read, find_article_dates(read)).acts
        for act in gold.get("legal_acts", []):
            total += 1
            forms = {fold(n) for n in (act["label"], *act.get("aliases", []))}
            hits = [p for p in predicted if forms & {fold(n) for n in (p.label, *p.aliases)}]
            when = hits[0].date.iso() if hits and hits[0].date else None
            if hits and hits[0].kind == act["kind"] and when == act["date"]:
                found += 1
            else:
                missed.append(f"{path.stem}: {act['label']}")
    print(f"legal-act recall (label-or-alias, kind, date): {found}/{total}; missed: {missed}")
    assert found / total >= 0.85
