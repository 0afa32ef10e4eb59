"""Cross-article merging in a real store on disk: one IRI per real event, each article its own graph."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, QuerySolutions

from kg.corpus import ingest_corpus
from kg.extract import extract
from kg.models import Actor, Article, Event, EventType, Extraction, LegalAct, Section, Span, TimeValue
from kg.named_queries import load_named_queries
from kg.namespaces import LT, RDFS
from kg.rdf import actor_iri, document_iri, graph_hash, legal_act_iri
from kg.reader import read_article
from kg.reconcile import own_graph
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


# -- merges the keys cannot make: decided in the store (kg.reconcile) -------------------------------


OWL_SAME_AS = NamedNode("http://www.w3.org/2002/07/owl#sameAs")


def event_rows(store: GraphStore) -> list[tuple[str, tuple[str, ...]]]:
    """(type, sorted source documents) of every body event on the timeline."""
    return sorted((r["eventType"] or "", tuple(sorted(sources(r)))) for r in rows(store, "timeline")
                  if r["section"] == "body")


def no_dangling_merge(store: GraphStore) -> bool:
    """Every owl:sameAs record points at a node its own graph describes (no orphan after a change)."""
    return all(any(True for _ in store.raw.quads_for_pattern(q.object, None, None, q.graph_name))
               for q in store.raw.quads_for_pattern(None, OWL_SAME_AS, None))


def vague_appeal(article_id: str) -> Extraction:
    """An appeal whose article does not say what it targets: no key of its own."""
    return report(article_id, "L'association a saisi le Conseil d'État.\n", "Appeal",
                  agents=("Association Exemple",), addressees=("Conseil d'État",))


@pytest.mark.parametrize("order", [("g-act", "g-vague"), ("g-vague", "g-act")])
def test_a_report_missing_an_argument_merges_with_the_one_that_has_it(
    store: GraphStore, order: tuple[str, str]
) -> None:
    made = {"g-act": appeal("g-act", None), "g-vague": vague_appeal("g-vague")}
    for name in order:
        store.ingest(made[name])
    assert event_rows(store) == [("Appeal", (document_iri("g-act"), document_iri("g-vague")))]
    assert validate_store(store).conforms
    store.delete_document(document_iri("g-act"))  # the specific report gone: the vague one is its own again
    (row,) = rows(store, "timeline")
    assert (row["event"] or "").startswith("https://w3id.org/legal-timeline/id/event/g-vague/")
    assert list(store.raw.quads_for_pattern(None, OWL_SAME_AS, None)) == []


def test_two_candidates_keep_the_vague_report_apart_until_one_goes(store: GraphStore) -> None:
    store.ingest(vague_appeal("h-vague"))
    store.ingest(appeal("h-2020", TimeValue(2020, 5, 4)))
    other = LegalAct("décret du 9 mars 2022", "Decree", date=TimeValue(2022, 3, 9))
    second = report("h-other", "L'association a attaqué un autre décret.\n", "Appeal",
                    date=TimeValue(2022, 4, 1), agents=("Association Exemple",),
                    addressees=("Conseil d'État",), acts=(other.label,))
    store.ingest(with_act(second, other))
    assert [len(docs) for _, docs in event_rows(store)] == [1, 1, 1]  # ambiguous: nobody guesses
    store.delete_document(document_iri("h-other"))
    assert event_rows(store) == [("Appeal", (document_iri("h-2020"), document_iri("h-vague")))]
    assert no_dangling_merge(store)


def test_a_ruling_known_to_the_year_joins_the_dated_one_unless_outcomes_differ(store: GraphStore) -> None:
    store.ingest(ruling("i-day", "Le Conseil d’État a rejeté le recours le 2 mars 2021.\n"))
    year = report("i-year", "En 2021, le Conseil d'État a rejeté la requête.\n", "Ruling",
                  date=TimeValue(2021), agents=("Conseil d’État",), outcome="rejected")
    store.ingest(year)
    (row,) = rows(store, "timeline")
    assert (row["date"], row["sources"], row["dateConflict"]) == ("2021-03-02", "2", "false")
    granted = report("i-year", "En 2021, le Conseil d'État a donné raison à l'association.\n", "Ruling",
                     date=TimeValue(2021), agents=("Conseil d’État",), outcome="granted")
    store.ingest(granted)  # the article changed: its ruling is another one, the merge is undone
    assert [r["sources"] for r in rows(store, "timeline")] == ["1", "1"]
    assert no_dangling_merge(store) and list(store.raw.quads_for_pattern(None, OWL_SAME_AS, None)) == []


def test_one_actor_alone_is_too_little_to_merge(store: GraphStore) -> None:
    store.ingest(report("j-full", "La CNIL a demandé au ministre.\n", "Request", date=TimeValue(2021, 3, 2),
                        agents=("CNIL",), addressees=("Ministre Exemple",)))
    store.ingest(report("j-vague", "La CNIL a demandé des garanties.\n", "Request", agents=("CNIL",)))
    assert len(rows(store, "timeline")) == 2


def test_one_actor_and_a_period_are_too_little_an_outcome_is_enough(store: GraphStore) -> None:
    """The date is what a vague report is vague about: it must say two things besides it."""
    store.ingest(ruling("o-day", "Le Conseil d’État a rejeté le recours le 2 mars 2021.\n"))
    store.ingest(report("o-month", "En mars 2021, le Conseil d'État a statué.\n", "Ruling",
                        date=TimeValue(2021, 3), agents=("Conseil d’État",)))
    assert [len(documents) for _, documents in event_rows(store)] == [1, 1]
    store.ingest(report("o-month", "En mars 2021, le Conseil d'État a rejeté la demande.\n", "Ruling",
                        date=TimeValue(2021, 3), agents=("Conseil d’État",), outcome="rejected"))
    assert event_rows(store) == [("Ruling", (document_iri("o-day"), document_iri("o-month")))]
    store.ingest(report("o-day", "Le 2 mars 2021, le Conseil d’État a statué.\n", "Ruling",
                        date=TimeValue(2021, 3, 2), agents=("Conseil d’État",)))
    assert [len(documents) for _, documents in event_rows(store)] == [1, 1]  # silent on the outcome: apart
    assert no_dangling_merge(store) and list(store.raw.quads_for_pattern(None, OWL_SAME_AS, None)) == []


def dated_appeal(article_id: str, act: LegalAct, date: TimeValue) -> Extraction:
    return with_act(report(article_id, f"L'association a attaqué le texte : {act.label}.\n", "Appeal",
                           date=date, agents=("Association Exemple",), addressees=("Conseil d'État",),
                           acts=(act.label,)), act)


def other_decree(day: int) -> LegalAct:
    return LegalAct(f"décret du {day} mai 2022", "Decree", date=TimeValue(2022, 5, day))


@pytest.mark.parametrize("vague_first", [True, False])
def test_a_crowded_bucket_keeps_its_vague_reports_apart_until_one_candidate_is_left(
    store: GraphStore, vague_first: bool
) -> None:
    """Two candidates or more: ambiguous whichever arrives last; a third changes nothing; deleting down to
    one candidate merges, whichever ones are deleted."""
    if vague_first:
        store.ingest(vague_appeal("p-vague"))
    for day in (1, 2, 3):
        store.ingest(dated_appeal(f"p-{day}", other_decree(day), TimeValue(2022, 5, day)))
    if not vague_first:
        store.ingest(vague_appeal("p-vague"))
    assert [len(documents) for _, documents in event_rows(store)] == [1, 1, 1, 1]
    store.delete_document(document_iri("p-1"))
    assert [len(documents) for _, documents in event_rows(store)] == [1, 1, 1]
    store.delete_document(document_iri("p-3"))
    assert event_rows(store) == [("Appeal", (document_iri("p-2"), document_iri("p-vague")))]
    store.ingest(dated_appeal("p-1", other_decree(1), TimeValue(2022, 5, 1)))
    assert [len(documents) for _, documents in event_rows(store)] == [1, 1, 1]
    assert no_dangling_merge(store) and list(store.raw.quads_for_pattern(None, OWL_SAME_AS, None)) == []


def test_two_vague_reports_of_one_article_or_its_own_full_report_stay_apart(store: GraphStore) -> None:
    store.ingest(appeal("q-full", None))
    twice = vague_appeal("q-twice")
    (first,) = twice.events
    text = twice.article.text
    second = Event("e-again", "Appeal", "Un second recours", "body", (Span(0, 14, text[:14]),),
                   agents=first.agents, addressees=first.addressees)
    store.ingest(Extraction(twice.article, (first, second), twice.actors, extractor_version="t"))
    assert [len(documents) for _, documents in event_rows(store)] == [1, 1, 1]
    full = appeal("q-own", None)
    (reported,) = full.events
    vague = Event("e-vague", "Appeal", "Un recours", "body", (Span(0, 14, full.article.text[:14]),),
                  agents=reported.agents, addressees=reported.addressees)
    store.delete_document(document_iri("q-twice"))
    store.delete_document(document_iri("q-full"))
    store.ingest(Extraction(full.article, (reported, vague), full.actors, full.legal_acts,
                            extractor_version="t"))
    assert [len(documents) for _, documents in event_rows(store)] == [1, 1]  # its own report: another event
    assert list(store.raw.quads_for_pattern(None, OWL_SAME_AS, None)) == []


def test_an_article_reporting_the_target_itself_even_in_fewer_words_keeps_its_vague_report(
    store: GraphStore,
) -> None:
    store.ingest(ruling("r-other", "Le Conseil d’État a rejeté le recours le 2 mars 2021.\n"))
    text = "Le 2 mars 2021, le Conseil d'État a statué. En 2021, il a rejeté une demande.\n"
    base = report("r-both", text, "Ruling", date=TimeValue(2021, 3, 2), agents=("Conseil d’État",))
    (dated,) = base.events  # keyed, silent on the outcome: it stands in no bucket of its own
    vague = Event("e-vague", "Ruling", "Un rejet en 2021", "body", (Span(45, 78, text[45:78]),),
                  date=TimeValue(2021), agents=dated.agents, outcome="rejected")
    store.ingest(Extraction(base.article, (dated, vague), base.actors, extractor_version="t"))
    assert sorted(documents for _, documents in event_rows(store)) == [
        (document_iri("r-both"),), (document_iri("r-both"), document_iri("r-other"))]
    assert list(store.raw.quads_for_pattern(None, OWL_SAME_AS, None)) == []


def act_report(article_id: str, act: LegalAct, *, agent: str = "Association Exemple") -> Extraction:
    text = f"L'association a attaqué le texte : {act.label}.\n"
    return with_act(report(article_id, text, "Appeal", agents=(agent,), addressees=("Conseil d'État",),
                           acts=(act.label,)), act)


ORDER = LegalAct("arrêté du 3 février 2021", "Order", date=TimeValue(2021, 2, 3))


def test_a_decree_and_an_order_of_one_day_in_one_story_are_one_act(store: GraphStore) -> None:
    store.ingest(act_report("k-order", ORDER))
    store.ingest(act_report("k-decree", DECREE))
    ((act, (_, documents)),) = {r["act"]: (r["events"], r["documents"])
                                     for r in rows(store, "legal-acts")}.items()
    assert (act, documents) == (legal_act_iri(DECREE), "2")
    assert event_rows(store) == [("Appeal", (document_iri("k-decree"), document_iri("k-order")))]
    labels = {q.object.value for q in store.raw.quads_for_pattern(NamedNode(act), RDFS("label"), None)}
    assert labels == {DECREE.label, ORDER.label}  # each article keeps its words
    assert validate_store(store).conforms
    store.delete_document(document_iri("k-decree"))
    assert {r["act"] for r in rows(store, "legal-acts")} == {legal_act_iri(ORDER)}
    assert validate_store(store).conforms


def test_a_third_act_of_that_day_or_an_article_naming_both_keeps_them_apart(store: GraphStore) -> None:
    store.ingest(act_report("l-order", ORDER))
    store.ingest(act_report("l-decree", DECREE))
    other = LegalAct("décret n° 2021-99 du 3 février 2021", "Decree", date=TimeValue(2021, 2, 3),
                     identifiers=("n° 2021-99",))
    store.ingest(act_report("l-third", other))
    assert len(rows(store, "legal-acts")) == 3
    store.delete_document(document_iri("l-third"))
    assert len(rows(store, "legal-acts")) == 1
    both = act_report("l-both", DECREE)
    store.ingest(Extraction(both.article, both.events, both.actors, (DECREE, ORDER), extractor_version="t"))
    assert len(rows(store, "legal-acts")) == 2  # an article that names both tells them apart


def test_acts_of_unrelated_stories_are_not_merged(store: GraphStore) -> None:
    for article_id, actor, act in (("m-order", ACTORS[2], ORDER), ("m-decree", ACTORS[3], DECREE)):
        article = act_report(article_id, act).article  # no actor in common: two stories
        store.ingest(Extraction(article, (), (actor,), (act,), extractor_version="t"))
    acts = {q.subject for q in store.raw.quads_for_pattern(None, NamedNode(RDF_TYPE), LT("LegalAct"))}
    assert acts == {NamedNode(legal_act_iri(ORDER)), NamedNode(legal_act_iri(DECREE))}


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


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


def compatible_dates(one: str | None, two: str | None) -> bool:
    return not one or not two or one.startswith(two) or two.startswith(one)


def test_no_two_rows_of_the_affair_are_reports_of_one_real_event(
    corpus: tuple[GraphStore, list[Extraction]],
) -> None:
    """Two rows from different articles, same type, a shared agent, the same addressees (or one article
    silent on them) and dates that contain one another would be one real event shown twice."""
    store, _ = corpus
    affair = [r for r in rows(store, "affair", actor=actor_iri("Health Data Hub")) if r["section"] == "body"]
    duplicates = [
        (one["event"], two["event"]) for i, one in enumerate(affair) for two in affair[i + 1:]
        if one["eventType"] == two["eventType"] and not sources(one) & sources(two)
        and set((one["agents"] or "").split(" | ")) & set((two["agents"] or "").split(" | ")) - {""}
        and (one["addressees"] == two["addressees"] or not one["addressees"] or not two["addressees"])
        and all(compatible_dates(a, b) for a in (one["dates"] or "").split(" | ")
                for b in (two["dates"] or "").split(" | "))
    ]
    assert duplicates == []
    merged = {(r["eventType"], r["date"]): r["sources"] for r in affair if r["sources"] != "1"}
    assert merged == {  # the three the keys alone left apart, and the letter and commitment they merge
        ("Publication", "2020-04-21"): "2",  # "décret" in one article, "arrêté" in the other
        ("Ruling", "2020-10-14"): "2",  # known to the year in one article
        ("Appeal", None): "2",  # one article names the act appealed against, the other does not
        ("Letter", "2020-11-19"): "2", ("Commitment", "2020-11-19"): "2",
    }
    appeal = next(r for r in affair if r["eventType"] == "Appeal" and r["date"] is None)
    assert "SantéNathon" in (appeal["agents"] or "")


def stored_quads(store: GraphStore) -> set[Quad]:
    """Every quad but the extraction's clock time."""
    return {q for q in store.raw.quads_for_pattern(None, None, None, None)
            if q.predicate != NamedNode("http://www.w3.org/ns/prov#endedAtTime")}


def test_the_corpus_gives_the_same_graphs_in_any_order_and_by_either_write_path(
    corpus: tuple[GraphStore, list[Extraction]], tmp_path: Path,
) -> None:
    store, _ = corpus
    with GraphStore(tmp_path / "reversed") as other:  # the corpus writer, one document per batch
        summary = ingest_corpus(other, sorted(CORPUS.glob("*.txt"), reverse=True), batch_triples=1)
        assert summary.added == len(list(CORPUS.glob("*.txt"))) and not summary.failed
        assert stored_quads(other) == stored_quads(store)
        assert rows(other, "affair", actor=actor_iri("Health Data Hub")) == rows(
            store, "affair", actor=actor_iri("Health Data Hub"))


def test_reingesting_a_changed_article_leaves_no_orphan(tmp_path: Path) -> None:
    paths = sorted(CORPUS.glob("hdh-*.txt"))
    with GraphStore(tmp_path / "store") as store:
        for path in paths:
            store.ingest(extract(read_article(path)))
        before = stored_quads(store)
        sample = next(p for p in paths if "quitte" in p.name)
        article = read_article(sample)
        cut = article.text.index("SantéNathon")  # the article loses its end: the specific reports go
        short = Article(article.id, article.title, article.published, article.text[:cut],
                        (Section("body", 0, cut),))
        merges = len(list(store.raw.quads_for_pattern(None, OWL_SAME_AS, None)))
        store.ingest(extract(short))
        assert len(list(store.raw.quads_for_pattern(None, OWL_SAME_AS, None))) < merges
        assert no_dangling_merge(store) and validate_store(store).conforms
        store.ingest(extract(article))
        assert stored_quads(store) == before


def test_each_merged_graph_still_holds_its_own_reading(corpus: tuple[GraphStore, list[Extraction]]) -> None:
    """Undoing the merges gives back exactly what the article's own mapping wrote (its lt:graphHash)."""
    store, extractions = corpus
    assert any(True for _ in store.raw.quads_for_pattern(None, OWL_SAME_AS, None))
    for extraction in extractions:
        graph = NamedNode(document_iri(extraction.article.id))
        quads = own_graph(store.raw.quads_for_pattern(None, None, None, graph))
        stated = [q.object.value for q in quads if q.predicate == LT("graphHash")]
        content = [q for q in quads if q.predicate not in (LT("graphHash"), NamedNode(
            "http://www.w3.org/ns/prov#endedAtTime"))]
        assert stated == [graph_hash(content)], extraction.article.id
