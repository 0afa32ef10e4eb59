"""Cross-article merging in a real store on disk: one IRI per real event, each article its own graph."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, QuerySolutions

from kg.extract import extract
from kg.models import Actor, Article, Event, EventType, Extraction, LegalAct, Section, Span, TimeValue
from kg.named_queries import load_named_queries
from kg.namespaces import LT, RDFS
from kg.rdf import actor_iri, document_iri, legal_act_iri
from kg.reader import read_article
from kg.shacl import validate_store
from kg.store import GraphStore

QUERIES = load_named_queries()
CORPUS = Path(__file__).parent / "corpus"
PARIS = timezone(timedelta(hours=1))
ACTORS = (
    Actor("Conseil d’État", "Court", aliases=("la haute juridiction",)),
    Actor("Association Exemple", "Association"),
    Actor("Ministre Exemple", "Person", role="ministre"),
    Actor("Commission nationale de l’informatique et des libertés", "RegulatoryAuthority", short="CNIL"),
)
DECREE = LegalAct("décret du 3 février 2021", "Decree", date=TimeValue(2021, 2, 3))


def report(
    article_id: str, body: str, event_type: EventType, *, date: TimeValue | None = None,
    agents: tuple[str, ...] = (), addressees: tuple[str, ...] = (), acts: tuple[str, ...] = (),
    comment: str = "", outcome: str | None = None,
) -> Extraction:
    """An article whose body (or, with ``comment``, whose reader comment) reports one event."""
    text = body + comment
    sections = [Section("body", 0, len(body))]
    if comment:
        sections.append(Section("comment", len(body), len(text)))
    article = Article(article_id, f"Article {article_id}", datetime(2021, 6, 1, 9, 0, tzinfo=PARIS), text,
                      tuple(sections))
    evidence = comment.strip() or body.strip()
    start = text.index(evidence)
    event = Event(f"e-{article_id}", event_type, f"{event_type} read in {article_id}",
                  "comment" if comment else "body", (Span(start, start + len(evidence), evidence),),
                  date=date, agents=agents, addressees=addressees, legal_acts=acts,
                  outcome=outcome)  # type: ignore[arg-type]
    return Extraction(article, (event,), ACTORS, (DECREE,), extractor_version="test")


def ruling(article_id: str, sentence: str) -> Extraction:
    return report(article_id, sentence, "Ruling", date=TimeValue(2021, 3, 2), agents=("Conseil d’État",),
                  outcome="rejected")


def appeal(article_id: str, date: TimeValue | None) -> Extraction:
    return report(article_id, "L'association a attaqué le décret devant le Conseil d'État.\n", "Appeal",
                  date=date, agents=("Association Exemple",), addressees=("Conseil d'État",),
                  acts=("décret du 3 février 2021",))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    graph_store = GraphStore(tmp_path / "store")
    yield graph_store
    graph_store.close()


def rows(store: GraphStore, name: str, **values: str) -> list[dict[str, str | None]]:
    result = store.query(QUERIES[name].bind(values))
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def sources(row: dict[str, str | None]) -> set[str]:
    return set((row["documents"] or "").split(" | "))


def graph(store: GraphStore, document: str) -> set[Quad]:
    return set(store.raw.quads_for_pattern(None, None, None, NamedNode(document)))


def test_one_ruling_in_two_articles_is_one_event_with_two_evidence_spans(store: GraphStore) -> None:
    one, two = document_iri("a-one"), document_iri("a-two")
    store.ingest(ruling("a-one", "Le Conseil d’État a rejeté le recours le 2 mars 2021.\n"))
    store.ingest(ruling("a-two", "Mardi 2 mars, la haute juridiction a rejeté la requête.\n"))
    (row,) = rows(store, "timeline")
    assert (row["eventType"], row["date"], row["sources"], row["dateConflict"]) == ("Ruling", "2021-03-02",
                                                                                  "2", "false")
    assert sources(row) == {one, two}
    spans = rows(store, "evidence", event=row["event"] or "")
    assert {(s["document"], s["text"]) for s in spans} == {
        (one, "Le Conseil d’État a rejeté le recours le 2 mars 2021."),
        (two, "Mardi 2 mars, la haute juridiction a rejeté la requête."),
    }
    event = NamedNode(row["event"] or "")
    labels = {(q.object.value, q.graph_name) for q in store.raw.quads_for_pattern(event, RDFS("label"), None)}
    assert labels == {("Ruling read in a-one", NamedNode(one)), ("Ruling read in a-two", NamedNode(two))}
    assert validate_store(store).conforms
    assert validate_store(store, one).conforms and validate_store(store, two).conforms


def test_deleting_one_article_keeps_the_others_view(store: GraphStore) -> None:
    store.ingest(ruling("a-one", "Le Conseil d’État a rejeté le recours le 2 mars 2021.\n"))
    store.ingest(ruling("a-two", "Mardi 2 mars, la haute juridiction a rejeté la requête.\n"))
    two_alone = graph(store, document_iri("a-two"))
    assert store.delete_document(document_iri("a-one"))
    (row,) = rows(store, "timeline")
    assert (row["sources"], row["document"]) == ("1", document_iri("a-two"))
    assert row["label"] == "Ruling read in a-two"
    assert [s["document"] for s in rows(store, "evidence")] == [document_iri("a-two")]
    assert graph(store, document_iri("a-two")) == two_alone
    assert validate_store(store).conforms


def test_ingesting_an_article_never_touches_another_and_reingest_is_unchanged(store: GraphStore) -> None:
    first = ruling("a-one", "Le Conseil d’État a rejeté le recours le 2 mars 2021.\n")
    store.ingest(first)
    before = graph(store, document_iri("a-one"))
    store.ingest(ruling("a-two", "Mardi 2 mars, la haute juridiction a rejeté la requête.\n"))
    assert graph(store, document_iri("a-one")) == before
    again = store.ingest(first)
    assert again.unchanged and graph(store, document_iri("a-one")) == before


def test_two_dates_for_one_event_are_both_kept_and_the_conflict_listed(store: GraphStore) -> None:
    store.ingest(appeal("b-one", TimeValue(2020)))
    store.ingest(appeal("b-two", TimeValue(2021)))
    store.ingest(appeal("b-three", None))
    (row,) = rows(store, "timeline")
    assert (row["eventType"], row["sources"], row["dateConflict"]) == ("Appeal", "3", "true")
    assert set((row["dates"] or "").split(" | ")) == {"2020", "2021"}
    conflicts = rows(store, "conflicts")
    assert {(c["document"], c["date"]) for c in conflicts} == {
        (document_iri("b-one"), "2020"), (document_iri("b-two"), "2021")}
    assert {c["flag"] for c in conflicts} == {LT.iri_of("DateConflict")}
    assert rows(store, "conflicts", event=row["event"] or "") == conflicts
    assert validate_store(store).conforms  # two dates, one per source, each with its precision


def test_dates_that_contain_one_another_do_not_conflict(store: GraphStore) -> None:
    letter = "Le ministre a écrit à la CNIL.\n"
    store.ingest(report("c-day", letter, "Letter", date=TimeValue(2020, 11, 19), agents=("Ministre Exemple",),
                        addressees=("CNIL",)))
    store.ingest(report("c-month", letter, "Letter", date=TimeValue(2020, 11), agents=("Ministre Exemple",),
                        addressees=("CNIL",)))
    (row,) = rows(store, "timeline")
    assert (row["date"], row["precision"], row["sources"], row["dateConflict"]) == ("2020-11-19", "day", "2",
                                                                                  "false")
    assert rows(store, "conflicts") == []
    store.ingest(report("c-other-day", letter, "Letter", date=TimeValue(2020, 11, 20),
                        agents=("Ministre Exemple",), addressees=("CNIL",)))
    (row,) = rows(store, "timeline")
    assert (row["sources"], row["dateConflict"]) == ("3", "true")
    assert {c["date"] for c in rows(store, "conflicts")} == {"2020-11", "2020-11-19", "2020-11-20"}


def test_an_event_read_in_a_reader_comment_is_not_merged(store: GraphStore) -> None:
    store.ingest(ruling("d-article", "Le Conseil d’État a rejeté le recours le 2 mars 2021.\n"))
    store.ingest(report("d-comment", "Un article sur autre chose.\n", "Ruling", date=TimeValue(2021, 3, 2),
                        agents=("Conseil d’État",), comment="Le Conseil d'État a eu tort le 2 mars !\n"))
    timeline = rows(store, "timeline")
    assert sorted((r["section"], r["sources"]) for r in timeline) == [("body", "1"), ("comment", "1")]
    body = next(r for r in timeline if r["section"] == "body")
    comment = next(r for r in timeline if r["section"] == "comment")
    assert (comment["event"] or "").startswith("https://w3id.org/legal-timeline/id/event/d-comment/")
    affair = rows(store, "affair", actor=actor_iri("Conseil d’État"))
    assert {(r["section"], r["sameEventAs"]) for r in affair} == {("body", None), ("comment", body["event"])}
    assert validate_store(store).conforms


def test_two_events_of_one_article_with_one_key_stay_apart(store: GraphStore) -> None:
    text = "Le Conseil d’État enjoint au ministre de publier, et lui enjoint aussi de répondre.\n"
    base = report("e-twice", text, "Request", date=TimeValue(2021, 3, 2), agents=("Conseil d’État",),
                  addressees=("Ministre Exemple",))
    (first,) = base.events
    second = Event("e-second", "Request", "Seconde injonction", "body", (Span(44, 83, text[44:83]),),
                   date=first.date, agents=first.agents, addressees=first.addressees)
    store.ingest(Extraction(base.article, (first, second), base.actors, extractor_version="t"))
    timeline = rows(store, "timeline")
    assert len(timeline) == 2
    scoped = "https://w3id.org/legal-timeline/id/event/e-twice/"
    assert all((r["event"] or "").startswith(scoped) for r in timeline)


def with_act(extraction: Extraction, act: LegalAct) -> Extraction:
    return Extraction(extraction.article, extraction.events, extraction.actors, (act,), extractor_version="t")


def test_legal_acts_share_one_iri_across_articles(store: GraphStore) -> None:
    store.ingest(appeal("f-dated", None))  # "décret du 3 février 2021"
    dated = LegalAct("le décret du 3 février dernier", "Decree", date=TimeValue(2021, 2, 3))
    store.ingest(with_act(report("f-dated-too", "Le décret du 3 février dernier est paru.\n", "Publication",
                                 acts=(dated.label,)), dated))
    numbered = LegalAct("décret relatif aux exemples", "Decree", aliases=("décret n° 2021-123",))
    store.ingest(with_act(report("f-alias", "Le décret relatif aux exemples.\n", "Statement",
                                 acts=(numbered.label,)), numbered))
    identified = LegalAct("décret sur les exemples", "Decree", identifiers=("n° 2021-123",))
    store.ingest(with_act(report("f-identifier", "Le décret n° 2021-123.\n", "Statement",
                                 acts=(identified.label,)), identified))
    acts = {r["act"]: (r["events"], r["documents"]) for r in rows(store, "legal-acts")}
    assert legal_act_iri(dated) == legal_act_iri(DECREE)
    assert legal_act_iri(numbered) == legal_act_iri(identified)
    assert acts == {legal_act_iri(DECREE): ("2", "2"), legal_act_iri(numbered): ("2", "2")}
    affair = rows(store, "affair", act=legal_act_iri(DECREE))
    assert sorted((r["eventType"], r["direct"]) for r in affair) == [("Appeal", "true"),
                                                                      ("Publication", "true")]
    assert validate_store(store).conforms


# -- the dev corpus ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphStore, list[Extraction]]]:
    graph_store = GraphStore(tmp_path_factory.mktemp("corpus") / "store")
    extractions = [extract(read_article(path)) for path in sorted(CORPUS.glob("*.txt"))]
    for extraction in extractions:
        graph_store.ingest(extraction)
    yield graph_store, extractions
    graph_store.close()


def reports_of(extractions: list[Extraction], event_type: str, agent: str, month: str) -> dict[str, set[str]]:
    """Document -> the participants its body events of this type, agent and month name (as IRIs)."""
    found: dict[str, set[str]] = {}
    for extraction in extractions:
        for event in extraction.events:
            if (event.section == "body" and event.type == event_type and agent in event.agents
                    and event.date is not None and event.date.iso().startswith(month)):
                people = " ".join(sorted(actor_iri(a) for a in (*event.agents, "|", *event.addressees)))
                found.setdefault(document_iri(extraction.article.id), set()).add(people)
    return found


def test_the_health_data_hub_affair_shows_each_real_event_once(
    corpus: tuple[GraphStore, list[Extraction]],
) -> None:
    store, extractions = corpus
    affair = rows(store, "affair", actor=actor_iri("Health Data Hub"))
    events = [r["event"] for r in affair]
    assert len(events) == len(set(events)) > 10
    days = [r["date"] for r in affair if r["date"] is not None]
    assert days == sorted(days)
    assert any(r["direct"] == "true" for r in affair) and any(r["direct"] == "false" for r in affair)
    examples = [("Commitment", "Olivier Véran", "2020-11"), ("Letter", "Olivier Véran", "2020-11"),
                ("Ruling", "Conseil d’État", "2020-10-14")]
    merged = 0
    for event_type, agent, month in examples:
        reported = reports_of(extractions, event_type, agent, month)
        shown = [r for r in affair if r["eventType"] == event_type and agent in (r["agents"] or "")
                 and (r["date"] or "").startswith(month[:7])]
        if len({p for people in reported.values() for p in people}) == 1:  # the extractions agree
            (row,) = [r for r in shown if r["section"] == "body"]
            assert sources(row) >= set(reported), (event_type, row)
            merged += len(reported) >= 2
    assert merged >= 1  # Olivier Véran's letter and commitment are read in two articles today


def test_the_corpus_conforms_and_reingest_is_unchanged(corpus: tuple[GraphStore, list[Extraction]]) -> None:
    store, extractions = corpus
    assert validate_store(store).conforms
    before = set(store.raw.quads_for_pattern(None, None, None, None))
    assert all(store.ingest(extraction).unchanged for extraction in extractions)
    assert set(store.raw.quads_for_pattern(None, None, None, None)) == before
