"""The extraction scorer: every figure must move when, and only when, its own rule is broken."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from kg.evaluate import FIELDS, EvaluationError, Report, evaluate, fold, score_document

CORPUS = Path(__file__).parent / "corpus"
SAMPLE = "hdh-quitte-microsoft-2020-11-23"  # 7 required events, 7 required actors
REFERE = "hdh-emc2-refere-rejete-2024-03-25"
COOKIES = "cnil-cookies-google-facebook-2022-01-06"


def gold(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / f"{name}.gold.json").read_text(encoding="utf-8"))
    return data


def event(doc: dict[str, Any], event_id: str) -> dict[str, Any]:
    return next(e for e in doc["events"] if e["id"] == event_id)


def required(doc: dict[str, Any]) -> int:
    return sum(1 for e in doc["events"] if not e.get("optional"))


def without(doc: dict[str, Any], *event_ids: str) -> dict[str, Any]:
    changed = copy.deepcopy(doc)
    changed["events"] = [e for e in changed["events"] if e["id"] not in event_ids]
    return changed


def assert_only_field_wrong(score: Any, wrong_field: str | None, pairs: int) -> None:
    for name in FIELDS:
        expected = (pairs - 1, pairs) if name == wrong_field else (pairs, pairs)
        assert score.field_hits[name] == expected, name


def test_fold_makes_spellings_of_one_name_equal() -> None:
    assert fold("Conseil d’État") == fold("conseil  d'ETAT") == "conseil d'etat"
    assert fold("Cédric O") != fold("Cedric 0")


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.gold.json")), ids=lambda p: p.name)
def test_gold_scored_against_itself_is_perfect(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    score = score_document(doc, doc, path.name)
    n = required(doc)
    assert (score.tp, score.fp, score.fn) == (n, 0, 0)
    assert score.precision() == score.recall() == score.f1() == 1.0
    assert_only_field_wrong(score, None, n)
    required_actors = sum(1 for a in doc["actors"] if not a.get("optional"))
    assert score.actor_hits == (required_actors, required_actors)
    assert score.actor_claims == (required_actors, required_actors)
    assert score.actor_kind_hits == (required_actors, required_actors)
    assert all(m.gold_id == m.predicted_id and not m.wrong for m in score.matches)
    report = Report([score])
    assert report.f1() == 1.0
    assert all(report.field_accuracy(f) == 1.0 for f in FIELDS)


def test_dropped_event_lowers_recall_only() -> None:
    doc = gold(SAMPLE)
    score = score_document(without(doc, "e-letter"), doc)
    assert (score.tp, score.fp, score.fn) == (6, 0, 1)
    assert score.precision() == 1.0
    assert score.recall() == pytest.approx(6 / 7)
    assert score.missed == ("e-letter",)
    assert_only_field_wrong(score, None, 6)


def test_extra_event_lowers_precision_only() -> None:
    doc = gold(SAMPLE)
    predicted = copy.deepcopy(doc)
    extra = {"id": "p-extra", "type": "Statement", "date": "2020-11-23", "agents": ["Microsoft"]}
    predicted["events"].append(extra)
    score = score_document(predicted, doc)
    assert (score.tp, score.fp, score.fn) == (7, 1, 0)
    assert score.precision() == pytest.approx(7 / 8)
    assert score.recall() == 1.0
    assert score.spurious == ("p-extra",)


def test_incompatible_date_unmatches_the_event() -> None:
    doc = gold(SAMPLE)
    predicted = copy.deepcopy(doc)
    event(predicted, "e-letter")["date"] = "2020-11-20"
    score = score_document(predicted, doc)
    assert (score.tp, score.fp, score.fn) == (6, 1, 1)
    assert score.missed == ("e-letter",) and score.spurious == ("e-letter",)


def test_coarser_date_than_gold_does_not_match() -> None:
    doc = gold(SAMPLE)
    predicted = copy.deepcopy(doc)
    event(predicted, "e-decree").update(date="2020-04", precision="month")
    score = score_document(predicted, doc)
    assert score.missed == ("e-decree",)


def test_finer_date_than_gold_matches_but_counts_the_date_wrong() -> None:
    doc = gold(REFERE)
    predicted = copy.deepcopy(doc)
    event(predicted, "e-engagement-veran").update(date="2020-11-19", precision="day")
    score = score_document(predicted, doc)
    n = required(doc)
    assert (score.tp, score.fp, score.fn) == (n, 0, 0)
    assert_only_field_wrong(score, "date", n)
    match = next(m for m in score.matches if m.gold_id == "e-engagement-veran")
    assert match.wrong == ("date",)


def test_any_date_matches_a_gold_event_without_date() -> None:
    doc = gold(SAMPLE)
    predicted = copy.deepcopy(doc)
    event(predicted, "e-appeal").update(date="2020-06-01", precision="day")
    score = score_document(predicted, doc)
    assert (score.tp, score.fp, score.fn) == (7, 0, 0)
    assert_only_field_wrong(score, "date", 7)


def test_wrong_agent_unmatches_the_event() -> None:
    doc = gold(SAMPLE)
    predicted = copy.deepcopy(doc)
    event(predicted, "e-ruling")["agents"] = ["Cour de cassation"]
    score = score_document(predicted, doc)
    assert (score.tp, score.fp, score.fn) == (6, 1, 1)
    assert score.missed == ("e-ruling",)


def test_one_agent_in_common_matches_but_counts_agents_wrong() -> None:
    doc = gold(REFERE)
    predicted = copy.deepcopy(doc)
    agents = event(predicted, "e-refere")["agents"]
    agents[agents.index("Nexedi")] = "Cour de cassation"
    score = score_document(predicted, doc)
    n = required(doc)
    assert (score.tp, score.fp, score.fn) == (n, 0, 0)
    assert_only_field_wrong(score, "agents", n)


@pytest.mark.parametrize(("event_id", "change", "wrong_field"), [
    ("e-ruling", {"outcome": "granted"}, "outcome"),
    ("e-commitment", {"deadline": "2022-12"}, "deadline"),
    ("e-cnil-request", {"section": "comment"}, "section"),
    ("e-ruling", {"flags": []}, "flags"),
    ("e-ruling", {"related": [{"relation": "decides", "event": "e-decree"}]}, "relations"),
    ("e-ruling", {"related": [{"relation": "follows", "event": "e-appeal"}]}, "relations"),
    ("e-letter", {"addressees": []}, "addressees"),
    ("e-disclosure-request", {"date": "2020-10-08", "precision": "month"}, "date"),
])
def test_a_wrong_field_lowers_exactly_its_accuracy(
    event_id: str, change: dict[str, Any], wrong_field: str,
) -> None:
    doc = gold(SAMPLE)
    predicted = copy.deepcopy(doc)
    event(predicted, event_id).update(change)
    score = score_document(predicted, doc)
    assert (score.tp, score.fp, score.fn) == (7, 0, 0)
    assert_only_field_wrong(score, wrong_field, 7)


def test_relations_are_mapped_through_the_matching() -> None:
    doc = gold(SAMPLE)
    predicted = copy.deepcopy(doc)
    for e in predicted["events"]:
        e["id"] = "p-" + e["id"]
        for r in e["related"]:
            r["event"] = "p-" + r["event"]
    assert_only_field_wrong(score_document(predicted, doc), None, 7)
    predicted["events"].append({"id": "p-other", "type": "Appeal", "date": None, "agents": ["Microsoft"]})
    event(predicted, "p-e-ruling")["related"] = [{"relation": "decides", "event": "p-other"}]
    score = score_document(predicted, doc)
    assert (score.tp, score.fp, score.fn) == (7, 1, 0)
    assert_only_field_wrong(score, "relations", 7)


def test_prediction_of_an_optional_event_changes_nothing() -> None:
    doc = gold(SAMPLE)
    optional = [e["id"] for e in doc["events"] if e.get("optional")]
    bare = without(doc, *optional)
    baseline = score_document(bare, doc)
    extra = {"id": "p-cjue", "type": "Ruling", "date": "2020-07-16", "agents": ["CJUE"]}
    with_optional = score_document({**bare, "events": [*bare["events"], extra]}, doc)
    assert (with_optional.tp, with_optional.fp, with_optional.fn) == (baseline.tp, baseline.fp, baseline.fn)
    assert with_optional.field_hits == baseline.field_hits
    assert any(m.gold_id == "e-schrems2" and m.optional for m in with_optional.matches)
    unrelated = {**extra, "agents": ["Cour de cassation"]}
    assert score_document({**bare, "events": [*bare["events"], unrelated]}, doc).fp == 1


def test_names_match_through_folding_and_gold_aliases() -> None:
    doc = gold(SAMPLE)
    predicted = copy.deepcopy(doc)
    event(predicted, "e-ruling")["agents"] = ["Conseil d'Etat"]
    event(predicted, "e-appeal")["addressees"] = ["conseil d'état"]
    event(predicted, "e-cnil-request")["agents"] = ["Commission nationale de l'informatique et des libertés"]
    for actor in predicted["actors"]:
        if actor["name"] == "Conseil d’État":
            actor.update(name="Conseil d'Etat", short=None, aliases=[])
    score = score_document(predicted, doc)
    assert (score.tp, score.fp, score.fn) == (7, 0, 0)
    assert_only_field_wrong(score, None, 7)
    assert score.actor_hits == (7, 7)


def test_predicted_actor_aliases_resolve_its_names() -> None:
    doc = gold(SAMPLE)
    predicted = copy.deepcopy(doc)
    event(predicted, "e-ruling")["agents"] = ["la haute juridiction"]
    assert score_document(predicted, doc).missed == ("e-ruling",)
    alias_carrier = {"name": "la haute juridiction", "kind": "Court", "aliases": ["Conseil d'Etat"]}
    predicted["actors"].append(alias_carrier)
    score = score_document(predicted, doc)
    assert (score.tp, score.fp, score.fn) == (7, 0, 0)
    assert_only_field_wrong(score, None, 7)


def test_evidence_overlap_breaks_ties_between_candidates() -> None:
    doc = gold(COOKIES)
    google, facebook = event(doc, "e-sanction-google"), event(doc, "e-sanction-facebook")

    def sanction(event_id: str, span: dict[str, Any]) -> dict[str, Any]:
        return {"id": event_id, "type": "Sanction", "date": "2021-12-31", "precision": "day",
                "agents": ["CNIL"], "section": "body", "flags": ["weekday_mismatch"], "evidence": [span]}

    events = [sanction("p-a", facebook["evidence"][1]), sanction("p-b", google["evidence"][1])]
    predicted = {**doc, "events": events}
    pairs = {m.gold_id: m.predicted_id for m in score_document(predicted, doc).matches}
    assert pairs == {"e-sanction-google": "p-b", "e-sanction-facebook": "p-a"}


def test_actor_recall_and_kind_accuracy() -> None:
    doc = gold(SAMPLE)
    predicted = copy.deepcopy(doc)
    predicted["actors"] = [a for a in predicted["actors"] if a["name"] != "Mediapart"]
    assert score_document(predicted, doc).actor_hits == (6, 7)
    predicted = copy.deepcopy(doc)
    for actor in predicted["actors"]:
        if actor["name"] == "Mediapart":
            actor["kind"] = "Company"
        if actor["short"] == "CNIL":
            actor.update(name="CNIL", short=None, aliases=[])
    score = score_document(predicted, doc)
    assert score.actor_hits == (7, 7)
    assert score.actor_kind_hits == (6, 7)


def test_actor_precision_counts_spurious_and_duplicate_actors_but_not_optional_ones() -> None:
    doc = gold(SAMPLE)
    predicted = copy.deepcopy(doc)
    predicted["actors"].append({"name": "Zorglub SA", "kind": "Company", "aliases": []})
    assert score_document(predicted, doc).actor_claims == (7, 8)
    predicted = copy.deepcopy(doc)
    predicted["actors"].append({"name": "la CNIL", "kind": "RegulatoryAuthority", "aliases": ["CNIL"]})
    assert score_document(predicted, doc).actor_claims == (7, 8)
    optional_gold = copy.deepcopy(doc)
    for actor in optional_gold["actors"]:
        if actor["name"] == "Mediapart":
            actor["optional"] = True
    score = score_document(doc, optional_gold)
    assert score.actor_claims == (6, 6)
    assert score.actor_hits == (6, 6)


def test_report_gives_actor_precision_recall_and_f1() -> None:
    doc = gold(SAMPLE)
    predicted = copy.deepcopy(doc)
    predicted["actors"] = [a for a in predicted["actors"] if a["name"] != "Mediapart"]
    predicted["actors"] += [{"name": f"Zorglub {n}", "kind": "Company", "aliases": []} for n in range(2)]
    report = Report([score_document(predicted, doc)])
    assert report.actor_claims() == (6, 8)
    assert report.actor_precision() == pytest.approx(6 / 8)
    assert report.actor_recall() == pytest.approx(6 / 7)
    assert report.actor_f1() == pytest.approx(2 * (6 / 8) * (6 / 7) / (6 / 8 + 6 / 7))
    actors = report.to_json()["actors"]
    assert (actors["right"], actors["predicted"], actors["found"], actors["required"]) == (6, 8, 6, 7)
    assert actors["f1"] == pytest.approx(report.actor_f1())
    assert "0.750  0.857  0.800" in report.format_table()
    empty = Report([score_document({"events": [], "actors": []}, doc)])
    assert (empty.actor_precision(), empty.actor_f1()) == (1.0, 0.0)


def copy_article(name: str, directory: Path) -> None:
    for suffix in (".txt", ".gold.json"):
        shutil.copy(CORPUS / f"{name}{suffix}", directory / f"{name}{suffix}")


def gold_beside(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_name(path.stem + ".gold.json").read_text(encoding="utf-8"))
    return data


def imperfect_extractor(path: Path) -> dict[str, Any]:
    """A real stand-in extractor: the gold itself, minus one event, or a crash for `broken`."""
    if path.stem.startswith("broken"):
        raise RuntimeError("tagger exploded")
    if path.stem == COOKIES:
        return without(gold_beside(path), "e-recommandation")
    return gold_beside(path)


def test_evaluate_scores_a_directory_and_survives_a_failing_extraction(tmp_path: Path) -> None:
    copy_article(SAMPLE, tmp_path)
    copy_article(COOKIES, tmp_path)
    shutil.copy(CORPUS / f"{SAMPLE}.txt", tmp_path / "broken.txt")
    shutil.copy(CORPUS / f"{SAMPLE}.gold.json", tmp_path / "broken.gold.json")
    (tmp_path / "no-gold.txt").write_text("Un article sans fichier gold.", encoding="utf-8")

    report = evaluate([tmp_path], imperfect_extractor)

    assert [d.name for d in report.documents] == ["broken", COOKIES, SAMPLE]
    broken, cookies, sample = report.documents
    assert broken.error == "RuntimeError: tagger exploded"
    assert (broken.tp, broken.fp, broken.fn) == (0, 0, 7)
    assert broken.actor_hits == (0, 7)
    assert (cookies.tp, cookies.fp, cookies.fn) == (6, 0, 1)
    assert (sample.tp, sample.fp, sample.fn) == (7, 0, 0)
    assert report.precision() == 1.0
    assert report.recall() == pytest.approx(13 / 21)
    assert report.field_accuracy("date") == 1.0
    assert report.actor_recall() == pytest.approx(12 / 19)

    table = report.format_table()
    total = next(line for line in table.splitlines() if line.startswith("total"))
    assert total.split() == ["total", "13", "0", "8", "1.000", "0.619", "0.765"]
    assert "error: RuntimeError: tagger exploded" in table
    assert "actors" in table and "12" in table

    data = json.loads(json.dumps(report.to_json()))
    assert data["events"] == {"tp": 13, "fp": 0, "fn": 8, "precision": 1.0,
                              "recall": pytest.approx(13 / 21), "f1": pytest.approx(report.f1())}
    assert data["documents"][1]["missed"] == ["e-recommandation"]
    assert data["fields"]["date"] == {"correct": 13, "compared": 13, "accuracy": 1.0}


def test_extraction_outside_the_schema_is_a_scored_error(tmp_path: Path) -> None:
    copy_article(SAMPLE, tmp_path)

    def wrong_type(path: Path) -> dict[str, Any]:
        data = gold_beside(path)
        data["events"][0]["type"] = "Lawsuit"
        return data

    (doc,) = evaluate([tmp_path], wrong_type).documents
    assert doc.error is not None and doc.error.startswith("extraction outside the schema: events/0/type")
    assert doc.fn == 7


def test_bad_inputs_raise_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match=r"missing: not a directory"):
        evaluate([tmp_path / "missing"], imperfect_extractor)
    with pytest.raises(EvaluationError, match=r"no NAME\.txt with a NAME\.gold\.json"):
        evaluate([tmp_path], imperfect_extractor)
    (tmp_path / "a.txt").write_text("texte", encoding="utf-8")
    (tmp_path / "a.gold.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"a\.gold\.json: invalid JSON at line 1"):
        evaluate([tmp_path], imperfect_extractor)
    (tmp_path / "a.gold.json").write_text('{"document": {}, "actors": []}', encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"a\.gold\.json: not a valid gold file"):
        evaluate([tmp_path], imperfect_extractor)


def test_accuracy_over_nothing_is_unknown_not_perfect() -> None:
    doc = gold(SAMPLE)
    report = Report([score_document({"events": [], "actors": []}, doc)])
    assert report.field_accuracy("outcome") is None
    assert report.actor_kind_accuracy() is None
    assert report.recall() == 0.0 and report.f1() == 0.0
    with pytest.raises(KeyError, match="unknown field"):
        report.field_accuracy("colour")


def test_a_tie_goes_to_the_required_gold_event() -> None:
    doc = gold("hdh-refere-conseil-etat-2020-06-22")
    doc["events"].reverse()  # the optional injunction now comes first in document order
    guess = {"id": "p-injunction", "type": "Request", "date": "2020-06-19", "precision": "day",
             "deadline": "2020-07-01", "agents": ["Conseil d'Etat"], "addressees": ["HDH"], "section": "body",
             "related": [{"relation": "follows", "event": "e-ruling"}]}
    predicted = without(doc, "e-injunction-cnil", "e-injunction-info")
    predicted["events"].append(guess)
    score = score_document(predicted, doc)
    n = required(doc)
    assert (score.tp, score.fp, score.fn) == (n, 0, 0)
    assert_only_field_wrong(score, "deadline", n)


def test_actor_kind_is_judged_on_the_predicted_actor_of_the_same_name() -> None:
    doc = gold(SAMPLE)
    predicted = copy.deepcopy(doc)
    predicted["actors"].insert(0, {"name": "le Conseil", "kind": "Government", "aliases": ["CE"]})
    assert score_document(predicted, doc).actor_kind_hits == (7, 7)
