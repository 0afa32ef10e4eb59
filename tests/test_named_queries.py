"""The named queries: headers, safe typed parameters, and real answers on a store on disk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import QuerySolutions
from rdf_sample import TEXT, echo_extraction, extraction, other_extraction

from kg.named_queries import NamedQuery, _load, load_named_queries
from kg.rdf import actor_iri, document_iri
from kg.store import GraphStore

DOC = document_iri("exemplia-mise-en-demeure-2021-05-01")
OTHER = document_iri("ce-avis-2021-05-06")
ECHO = document_iri("presse-exemplia-2021-05-03")
QUERIES = load_named_queries()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    graph_store = GraphStore(tmp_path_factory.mktemp("queries") / "store")
    graph_store.ingest(extraction())
    graph_store.ingest(other_extraction())
    graph_store.ingest(echo_extraction())  # the same formal notice, a day earlier
    yield graph_store
    graph_store.close()


def rows(store: GraphStore, name: str, **values: str) -> list[dict[str, str | None]]:
    result = store.query(QUERIES[name].bind(values))
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def event_of(store: GraphStore, event_type: str) -> str:
    (row,) = rows(store, "timeline", type=event_type)
    assert row["event"] is not None
    return row["event"]


def test_the_required_queries_are_there_with_headers() -> None:
    assert {"timeline", "events-by-actor", "actors", "legal-acts", "documents", "evidence",
            "pending-commitments"} <= set(QUERIES)
    for query in QUERIES.values():
        assert query.title and query.description, query.name
        for param in query.parameters:
            assert param.description, (query.name, param.name)
    timeline = QUERIES["timeline"]
    assert [(p.name, p.type, p.required) for p in timeline.parameters] == [
        ("from", "xsd:date", False), ("to", "xsd:date", False),
        ("type", "string", False), ("actor", "iri", False),
    ]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_file_runs_as_is_and_bound(store: GraphStore, name: str) -> None:
    query = QUERIES[name]
    unbound = store.query(query.text)
    assert isinstance(unbound, QuerySolutions)
    assert len(list(unbound)) > 0
    if not any(p.required for p in query.parameters):
        assert store.query(query.bind({})) is not None


def test_timeline_order_and_columns(store: GraphStore) -> None:
    timeline = rows(store, "timeline")
    dates = [r["date"] for r in timeline]
    assert dates == ["2021", "2021-02-02", "2021-03-03", "2021-04", "2021-05-05", None]
    request = timeline[2]
    assert request["eventType"] == "Request"
    assert (request["precision"], request["deadline"], request["dateText"]) == ("day", "2021-06",
                                                                                 "le lundi 3 mars 2021")
    assert request["section"] == "body" and timeline[0]["section"] == "comment"
    assert request["agents"] == "Commission nationale de l’informatique et des libertés"
    assert request["document"] == DOC


def test_an_event_two_articles_report_is_one_row_with_its_sources_and_conflict(store: GraphStore) -> None:
    (request,) = rows(store, "timeline", type="Request")
    assert (request["sources"], request["dateConflict"]) == ("2", "true")
    assert set((request["documents"] or "").split(" | ")) == {DOC, ECHO}
    assert set((request["dates"] or "").split(" | ")) == {"2021-03-02", "2021-03-03"}
    conflicts = rows(store, "conflicts")
    assert {(c["event"], c["date"], c["document"]) for c in conflicts} == {
        (request["event"], "2021-03-03", DOC), (request["event"], "2021-03-02", ECHO)}
    (month,) = rows(store, "timeline-month", month="2021-03")
    assert (month["event"], month["sources"], month["dateConflict"]) == (request["event"], "2", "true")
    by_actor = rows(store, "events-by-actor", actor=actor_iri("Exemplia"))
    assert [r["eventType"] for r in by_actor].count("Request") == 1


def test_the_affair_of_an_actor(store: GraphStore) -> None:
    affair = rows(store, "affair", actor=actor_iri("Exemplia"))
    direct = {r["eventType"]: r["direct"] for r in affair}
    # named by the article, not a participant: the ruling and the reader's statement
    assert direct == {"Request": "true", "Commitment": "true", "Appeal": "true", "Ruling": "false",
                      "Statement": "false"}
    assert [r["date"] for r in affair] == ["2021", "2021-02-02", "2021-03-03", "2021-04", None]
    court = rows(store, "affair", actor=actor_iri("Conseil d'Etat"))
    assert len(court) == 6  # the Conseil d'État is named by both articles about it


def test_timeline_filters(store: GraphStore) -> None:
    in_march = rows(store, "timeline", **{"from": "2021-03-01", "to": "2021-03-31"})
    assert [r["eventType"] for r in in_march] == ["Statement", "Request"]  # the year 2021 overlaps March
    april = rows(store, "timeline", **{"from": "2021-04-20", "to": "2021-04-20"})
    assert [r["eventType"] for r in april] == ["Statement", "Commitment"]
    assert [r["eventType"] for r in rows(store, "timeline", type="Ruling")] == ["Ruling"]
    court = rows(store, "timeline", actor=actor_iri("Conseil d’État"))
    assert [r["eventType"] for r in court] == ["Ruling", "Opinion", "Appeal"]


def test_timeline_month_reads_the_bucket(store: GraphStore) -> None:
    march = rows(store, "timeline-month", month="2021-03")
    assert [(r["eventType"], r["date"]) for r in march] == [("Request", "2021-03-03")]
    assert rows(store, "timeline-month", month="2020-03") == []


def test_events_by_actor_spans_documents(store: GraphStore) -> None:
    court = rows(store, "events-by-actor", actor=actor_iri("Conseil d'Etat"))
    assert {(r["eventType"], r["role"], r["document"]) for r in court} == {
        ("Ruling", "agent", DOC), ("Appeal", "addressee", DOC), ("Opinion", "agent", OTHER)}


def test_actors_and_legal_acts(store: GraphStore) -> None:
    actors = {r["actor"]: r for r in rows(store, "actors")}
    court = actors[actor_iri("Conseil d’État")]
    assert (court["actorKind"], court["events"], court["documents"]) == ("Court", "3", "2")
    assert actors[actor_iri("Jean Dupont")]["office"] == "juriste"
    assert [r["actorKind"] for r in rows(store, "actors", kind="Person")] == ["Person"]
    (act,) = rows(store, "legal-acts")
    assert (act["actKind"], act["label"], act["date"], act["identifiers"], act["events"]) == (
        "Deliberation", "délibération n° 2021-001", "2021-01", "2021-001", "1")
    assert rows(store, "legal-acts", kind="Law") == []


def test_documents(store: GraphStore) -> None:
    documents = rows(store, "documents")
    counts = [(d["document"], d["events"], d["comments"]) for d in documents]
    assert counts == [(DOC, "5", "1"), (ECHO, "1", "0"), (OTHER, "1", "0")]
    assert documents[0]["source"] == "https://example.org/articles/exemplia"


def test_evidence_gives_text_and_offsets(store: GraphStore) -> None:
    spans = rows(store, "evidence", event=event_of(store, "Statement"))
    (span,) = spans
    assert span["begin"] is not None and span["end"] is not None
    assert TEXT[int(span["begin"]):int(span["end"])] == span["text"]
    assert span["section"] == "comment" and span["comment"] is not None
    assert len(rows(store, "evidence")) == 7  # the formal notice has a span in two articles


def test_event_relations(store: GraphStore) -> None:
    ruling = event_of(store, "Ruling")
    answer = rows(store, "event-relations", event=ruling)
    relations = {(r["source"], r["relation"], r["target"]) for r in answer}
    assert relations == {(ruling, "decides", event_of(store, "Appeal")),
                         (event_of(store, "Statement"), "follows", ruling)}


def test_pending_commitments_status(store: GraphStore) -> None:
    def status(as_of: str) -> dict[str | None, str | None]:
        return {r["eventType"]: r["status"] for r in rows(store, "pending-commitments", asOf=as_of)}

    assert status("2021-05-31") == {"Request": "pending", "Commitment": "pending"}
    assert status("2021-06-30") == {"Request": "due", "Commitment": "pending"}
    assert status("2022-03-01") == {"Request": "overdue", "Commitment": "due"}
    assert status("2023-01-01") == {"Request": "overdue", "Commitment": "overdue"}
    assert set(status("").values()) <= {"pending", "due", "overdue"}  # today


@pytest.mark.parametrize(("name", "values", "message"), [
    ("timeline", {"since": "2021-01-01"}, "has no parameter 'since'"),
    ("timeline", {"from": "2021-02-30"}, "parameter 'from' of query 'timeline': expected a date"),
    ("timeline", {"from": "20210201"}, "expected a date YYYY-MM-DD"),
    ("timeline", {"actor": "not an iri"}, "parameter 'actor' of query 'timeline': expected an absolute IRI"),
    ("timeline", {"actor": "http://x/> } DROP ALL { <http://y"}, "expected an absolute IRI"),
    ("timeline-month", {"month": "2021-13"}, "expected a month YYYY-MM"),
    ("events-by-actor", {}, "needs parameter 'actor'"),
    ("timeline-page", {"month": "2021-03"}, "has no parameter 'month'"),
    ("timeline-positions", {}, "needs parameter 'bucket'"),
    ("timeline-events", {"event": "not an iri"}, "parameter 'event' of query 'timeline-events': expected an"),
    ("documents", {"x": "1"}, "parameters: none"),
])
def test_bad_values_name_the_parameter(name: str, values: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        QUERIES[name].bind(values)


def test_strings_are_escaped_not_injected(store: GraphStore) -> None:
    sneaky = 'Ruling" ) } } SELECT * WHERE { ?s ?p ?o } #'
    text = QUERIES["timeline"].bind({"type": sneaky})
    assert rows(store, "timeline", type=sneaky) == []
    assert ' "Ruling\\" ) } } SELECT * WHERE { ?s ?p ?o } #"' in text  # one escaped literal


def test_a_malformed_query_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("# title: Broken\n# param: who iri optional — someone\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(ValueError, match=r"broken\.rq"):
        _load(path)
    path.write_text("# title: Broken\n# param: who date optional — someone\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(ValueError, match="bad parameter declaration"):
        _load(path)
    path.write_text("SELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(ValueError, match="missing '# title:'"):
        _load(path)


def test_several_rows_of_values_bind_at_once() -> None:
    text = QUERIES["timeline-positions"].bind_rows([{"bucket": "2021-03-03", "afterEvent": "x"},
                                                    {"bucket": "2021-04 5"}])
    rows = '("2021-03-03" "x" UNDEF) ("2021-04 5" UNDEF UNDEF )'
    assert f"VALUES (?bucket ?afterEvent ?type) {{ {rows} }}" in text
    with pytest.raises(ValueError, match="no row of values"):
        QUERIES["timeline-positions"].bind_rows([])


def test_a_query_without_parameters_binds_to_itself() -> None:
    query = NamedQuery("q", "Q", "", (), "SELECT * WHERE { ?s ?p ?o }")
    assert query.bind({}) == query.text
