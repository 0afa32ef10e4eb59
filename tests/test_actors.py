"""The actor recogniser on invented sentences (one phenomenon each) and on the dev corpus."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kg.evaluate import fold
from kg.extract.actors import ActorIndex, find_actors
from kg.models import Article, Section
from kg.reader import read_article

CORPUS = Path(__file__).parent / "corpus"


def actors_of(text: str) -> ActorIndex:
    body = (Section("body", 0, len(text)),)
    return find_actors(Article("t", "t", datetime(2021, 3, 1, tzinfo=UTC), text, body))


def keys_at(index: ActorIndex, text: str, phrase: str) -> list[str]:
    start = text.index(phrase)
    return [m.key for m in index.within(start, start + len(phrase))]


def test_acronym_defined_in_parentheses_names_later_mentions() -> None:
    text = "L’Observatoire national des plateformes numériques (ONPN) a publié. L’ONPN regrette le retard."
    index = actors_of(text)
    actor = index.get("ONPN")
    assert actor.name == "Observatoire national des plateformes numériques"
    assert actor.short == "ONPN" and actor.kind == "PublicBody"
    assert keys_at(index, text, "L’ONPN regrette") == [actor.name]


def test_english_long_form_is_extended_to_its_capitalised_head() -> None:
    text = "Un contrat lie l’Agence européenne des matériaux (AEM) au groupe."
    actor = actors_of(text).get("AEM")
    assert actor.name == "Agence européenne des matériaux" and actor.kind == "EUInstitution"


def test_lexicon_institutions_keep_typographic_names_and_fold_spellings() -> None:
    text = "Le conseil d'Etat a tranché, puis la CJUE. La Cnil a réagi."
    index = actors_of(text)
    names = {a.name for a in index.actors}
    assert {"Conseil d’État", "Cour de justice de l’Union européenne",
            "Commission nationale de l’informatique et des libertés"} <= names
    assert "Conseil d'État" in index.get("Conseil d’État").aliases


def test_periphrases_name_institutions() -> None:
    text = ("Les Sages de la rue de Montpensier ont statué. La haute juridiction administrative aussi, et la "
            "Place Beauvau a répondu au gendarme de la vie privée.")
    index = actors_of(text)
    assert keys_at(index, text, "Les Sages de la rue de Montpensier") == ["Conseil constitutionnel"]
    assert keys_at(index, text, "La haute juridiction administrative") == ["Conseil d’État"]
    assert keys_at(index, text, "Place Beauvau") == ["Ministère de l’Intérieur"]
    assert keys_at(index, text, "gendarme de la vie privée") == [
        "Commission nationale de l’informatique et des libertés"]


def test_foreign_government_and_state_of_emergency_are_not_actors() -> None:
    text = "Le gouvernement américain insiste ; l’état d’urgence est prolongé et le coup d’État échoue."
    assert actors_of(text).actors == ()


def test_person_after_office_with_role_and_office_aliases() -> None:
    text = ("La ministre de la Culture Rima Dupuis-Leclerc a signé. Plus tard, la ministre de la Culture "
            "a précisé sa position, et la ministre a conclu.")
    index = actors_of(text)
    person = index.get("Rima Dupuis-Leclerc")
    assert person.kind == "Person" and person.role == "ministre de la Culture"
    assert "la ministre de la Culture" in person.aliases and "la ministre" in person.aliases
    assert keys_at(index, text, "la ministre de la Culture a précisé") == [person.name]
    assert keys_at(index, text, "la ministre a conclu") == [person.name]


def test_person_after_office_with_comma_particles_and_party() -> None:
    text = ("Le secrétaire d’État chargé des Transports, Jean de La Fontaine, et le député LR Paul Le Gall "
            "ont parlé. Le Gall a insisté.")
    index = actors_of(text)
    assert index.get("Jean de La Fontaine").role == "secrétaire d’État chargé des Transports"
    assert index.get("Paul Le Gall").role == "député LR"
    assert keys_at(index, text, "Le Gall a insisté") == ["Paul Le Gall"]


def test_possessive_office_takes_the_latest_organisation() -> None:
    text = "La CNIL s’inquiète. Sa présidente, Anne Martin, a écrit au ministère."
    person = actors_of(text).get("Anne Martin")
    assert person.role == "présidente de la CNIL" and "la présidente de la CNIL" in person.aliases


def test_appositive_office_after_the_name() -> None:
    text = "Selon Paul Durand, directeur général de l’ANSSI, le risque est réel."
    assert actors_of(text).get("Paul Durand").role == "directeur général de l’ANSSI"


def test_descriptor_cues_give_organisations_their_kind() -> None:
    text = ("Le collectif DataLibre et l’association Les Amis du code, avec l’hébergeur breton NuageVert "
            "et la société Bleu Ciel, ont saisi le juge. DataLibre se félicite.")
    index = actors_of(text)
    assert index.get("DataLibre").kind == "Association"
    assert "collectif DataLibre" in index.get("DataLibre").aliases
    assert index.get("Les Amis du code").kind == "Association"
    assert index.get("NuageVert").kind == "Company"
    assert index.get("Bleu Ciel").kind == "Company"
    assert keys_at(index, text, "DataLibre se") == ["DataLibre"]


def test_list_items_next_to_a_company_are_companies() -> None:
    text = "Le recours est porté par l’éditeur Alphacode, aux côtés de Betasoft, de Gammanet et de la CNIL."
    index = actors_of(text)
    assert index.get("Betasoft").kind == "Company" and index.get("Gammanet").kind == "Company"


def test_press_outlets_from_lexicon_and_cues() -> None:
    text = "Mediapart s’est procuré le courrier, révélé ensuite par nos confrères de La Gazette Numérique."
    index = actors_of(text)
    assert index.get("Mediapart").kind == "PressOutlet"
    assert index.get("La Gazette Numérique").kind == "PressOutlet"


def test_legal_forms_absorb_the_brand() -> None:
    text = "L’amende vise Google LLC et Google Ireland Limited. Google n’a pas réagi."
    index = actors_of(text)
    assert {a.name for a in index.actors} == {"Google LLC", "Google Ireland Limited"}
    assert keys_at(index, text, "Google n’a") == ["Google LLC"]


def test_court_by_seat_with_acronym() -> None:
    text = "Ils ont saisi le tribunal administratif (TA) de Lyon. Le TA a rejeté la demande."
    index = actors_of(text)
    court = index.get("Tribunal administratif de Lyon")
    assert court.kind == "Court" and court.short == "TA de Lyon"
    assert keys_at(index, text, "Le TA a") == [court.name]


def test_ministries_and_parliamentary_groups() -> None:
    text = ("Les ministères de la Défense et de l’Éducation ont signé. Soixante députés LFI ont saisi "
            "le Conseil. Les députés requérants attendent.")
    index = actors_of(text)
    assert {"Ministère de la Défense", "Ministère de l’Éducation", "Députés La France insoumise"} <= {
        a.name for a in index.actors}
    assert keys_at(index, text, "Les députés requérants") == ["Députés La France insoumise"]


def test_anaphors_resolve_to_the_latest_actor_of_their_kind() -> None:
    text = "L’Arcep a ouvert une enquête. Le Conseil d’État est saisi. Le juge tranche ; l’autorité réagit."
    index = actors_of(text)
    assert keys_at(index, text, "Le juge") == ["Conseil d’État"]
    assert keys_at(index, text, "l’autorité") == [index.get("Arcep").name]


def test_eponymous_law_is_not_its_author() -> None:
    text = "La députée Claire Morel défend son texte. La loi Morel sera examinée."
    index = actors_of(text)
    assert keys_at(index, text, "loi Morel") == []


def test_mentions_are_sorted_and_spans_match_the_text() -> None:
    text = (CORPUS / "hdh-quitte-microsoft-2020-11-23.txt").read_text(encoding="utf-8")
    index = actors_of(text)
    starts = [m.span.start for m in index.mentions]
    assert starts == sorted(starts)
    assert all(text[m.span.start:m.span.end] == m.span.text for m in index.mentions)
    assert {m.key for m in index.mentions} == {a.name for a in index.actors}


def _forms(actor: Mapping[str, Any]) -> set[str]:
    names = [actor.get("name"), actor.get("short"), *(actor.get("aliases") or [])]
    return {fold(str(n)) for n in names if n}


def test_corpus_recall_of_required_gold_actors() -> None:
    """Gold actors found by name-or-alias with the right kind, over the seven dev articles."""
    found = total = 0
    missed = []
    for path in sorted(CORPUS.glob("*.txt")):
        gold = json.loads(path.with_suffix("").with_suffix(".gold.json").read_text(encoding="utf-8"))
        predicted = [{"name": a.name, "short": a.short, "kind": a.kind, "aliases": list(a.aliases)}
                     for a in find_actors(read_article(path)).actors]
        for actor in (a for a in gold["actors"] if not a.get("optional")):
            total += 1
            forms = _forms(actor)
            hits = [p for p in predicted if fold(str(p["name"])) in forms] or [
                p for p in predicted if forms & _forms(p)]
            if hits and hits[0]["kind"] == actor["kind"]:
                found += 1
            else:
                missed.append(f"{path.stem}: {actor['name']}")
    recall = found / total
    print(f"actor recall (name-or-alias, right kind): {found}/{total} = {recall:.2f}; missed: {missed}")
    assert recall >= 0.95


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_corpus_articles_are_fast(path: Path) -> None:
    import time

    article = read_article(path)
    find_actors(article)
    began = time.perf_counter()
    find_actors(article)
    assert time.perf_counter() - began < 0.2
