"""/graphql end to end: schema file, pages and cursors, filters, limits, errors, writes, HTTP, audits.

The store holds the hand-built articles of ``asgi_fixture`` plus one written here (a
formal notice with a deadline, answered, and another left unanswered), served by uvicorn
from a thread so a test can count the SPARQL queries a GraphQL request runs.  The
GraphQL-over-HTTP audits of the npm package graphql-http run against a uvicorn process.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_fixture import PARIS, STORE_ENV, extraction_a, extraction_b, fill, span
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, GraphQLScalarType, parse
from http_server import running_server
from test_web import CountingStore, serving

from kg.config import Settings
from kg.models import Actor, Article, Event, Extraction, RelatedEvent, Section, TimeValue
from kg.named_queries import load_named_queries
from kg.rdf import document_iri
from kg.store import GraphStore
from kg.web.app import create_app
from kg.web.graphql_documents import DocumentCache
from kg.web.graphql_limits import GraphQLLimits
from kg.web.graphql_schema import build_schema

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "s3cret-token"
GRAPHQL_RESPONSE = "application/graphql-response+json"
CNIL = "https://w3id.org/legal-timeline/id/actor/commission-nationale-de-l-informatique-et-des-libertes"
COURT = "https://w3id.org/legal-timeline/id/actor/conseil-d-etat"
NIMBUS = "https://w3id.org/legal-timeline/id/actor/nimbus-cloud"
GRAPHQL_HTTP_VERSIONS = ("graphql-http@1.23.1", "graphql@16.15.0")  # as .ci/run installs them
TEXT_C = (
    "La CNIL a mis en demeure la société Nimbus Cloud le 5 mars 2031 de se conformer d'ici juin 2031. "
    "Nimbus Cloud a répondu le 20 mai 2031 en publiant une nouvelle politique. "
    "La CNIL a aussi demandé à la société Stratus de répondre avant avril 2031."
)


def extraction_c() -> Extraction:
    """A request answered before its deadline, and one left unanswered."""
    article = Article(
        id="nimbus-mise-en-demeure-2031-05-21", title="Nimbus Cloud répond à la mise en demeure",
        published=datetime(2031, 5, 21, 10, 0, tzinfo=PARIS), text=TEXT_C,
        sections=(Section("body", 0, len(TEXT_C)),),
    )
    cnil = "Commission nationale de l'informatique et des libertés"
    actors = (Actor(cnil, "RegulatoryAuthority", short="CNIL"), Actor("Nimbus Cloud", "Company"),
              Actor("Stratus", "Company"))
    events = (
        Event("e-notice", "Request", "Mise en demeure de Nimbus Cloud", "body",
              (span(TEXT_C, "a mis en demeure la société Nimbus Cloud"),), date=TimeValue(2031, 3, 5),
              date_text="le 5 mars 2031", deadline=TimeValue(2031, 6), agents=(cnil,),
              addressees=("Nimbus Cloud",)),
        Event("e-answer", "Publication", "Nimbus Cloud publie une nouvelle politique", "body",
              (span(TEXT_C, "a répondu le 20 mai 2031"),), date=TimeValue(2031, 5, 20),
              date_text="le 20 mai 2031", agents=("Nimbus Cloud",),
              related=(RelatedEvent("responds_to", "e-notice"),)),
        Event("e-unanswered", "Request", "Demande de la CNIL à Stratus", "body",
              (span(TEXT_C, "a aussi demandé à la société Stratus"),), deadline=TimeValue(2031, 4),
              agents=(cnil,), addressees=("Stratus",)),
    )
    return Extraction(article, events, actors, (), extractor_version="test")


EXTRACTIONS = (extraction_a(), extraction_b(), extraction_c())
EVENT_LABELS = {event.label for extraction in EXTRACTIONS for event in extraction.events}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CountingStore]:
    opened = CountingStore(tmp_path_factory.mktemp("graphql-store"))
    with opened:
        fill(opened)
        opened.ingest(extraction_c())
        yield opened


@pytest.fixture(scope="module")
def client(store: CountingStore) -> Iterator[httpx.Client]:
    with serving(create_app(store, settings=Settings(update_token=TOKEN))) as http:
        yield http


def post(
    client: httpx.Client, query: str, accept: str = GRAPHQL_RESPONSE, **variables: Any
) -> httpx.Response:
    return client.post("/graphql", json={"query": query, "variables": variables}, headers={"accept": accept})


def data(client: httpx.Client, query: str, **variables: Any) -> dict[str, Any]:
    response = post(client, query, **variables)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]
    return result


def field_error(client: httpx.Client, query: str, **variables: Any) -> str:
    """The message of an error raised while resolving (the request ran: 200, with a data entry)."""
    response = post(client, query, **variables)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "data" in body and body["errors"][0]["path"], body
    message: str = body["errors"][0]["message"]
    return message


def request_error(client: httpx.Client, query: str, **variables: Any) -> str:
    """The message of a refusal before execution (400, no data entry)."""
    response = post(client, query, **variables)
    assert response.status_code == 400, response.text
    body = response.json()
    assert "data" not in body, body
    message: str = body["errors"][0]["message"]
    return message


def sparql_events(client: httpx.Client, **values: str) -> list[str]:
    """The event IRIs of the named query ``timeline``, run over HTTP on /sparql."""
    query = load_named_queries()["timeline"].bind(values)
    response = client.post("/sparql", data={"query": query},
                           headers={"accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [row["event"]["value"] for row in response.json()["results"]["bindings"]]


def page_through(client: httpx.Client, size: int, where: dict[str, Any] | None = None,
                 backward: bool = False) -> list[str]:
    """Every event IRI, read page by page with first/after (or last/before) and the cursors given."""
    query = """query($n: Int, $c: String, $w: EventWhere, $back: Boolean!) {
      forward: events(where: $w, first: $n, after: $c) @skip(if: $back) {
        pageInfo { hasNextPage endCursor } edges { cursor node { id } } }
      backward: events(where: $w, last: $n, before: $c) @include(if: $back) {
        pageInfo { hasPreviousPage startCursor } edges { cursor node { id } } } }"""
    seen: list[str] = []
    cursor = None
    while True:
        answer = data(client, query, n=size, c=cursor, w=where, back=backward)
        page = answer["backward" if backward else "forward"]
        iris = [edge["node"]["id"] for edge in page["edges"]]
        assert len(iris) <= size
        seen = iris + seen if backward else seen + iris
        info = page["pageInfo"]
        if not (info["hasPreviousPage"] if backward else info["hasNextPage"]):
            return seen
        cursor = info["startCursor"] if backward else info["endCursor"]
        assert cursor == page["edges"][0 if backward else -1]["cursor"]


# -- the schema -------------------------------------------------------------------------------------


def test_committed_sdl_is_the_code_s() -> None:
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed.strip() == build_schema().as_str().strip(), (
        "schema.graphql is stale: run `python -m kg.web.graphql_schema > schema.graphql`")


def test_sdl_is_printed_by_the_module() -> None:
    printed = subprocess.run([sys.executable, "-m", "kg.web.graphql_schema"], capture_output=True, text=True,
                             check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert printed.stdout.strip() == build_schema().as_str().strip()


def test_every_type_field_argument_and_value_is_described() -> None:
    missing = []
    for name, kind in build_schema()._schema.type_map.items():
        if name.startswith("__") or name in ("String", "Int", "Float", "Boolean", "ID"):
            continue
        if not kind.description:
            missing.append(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInputObjectType):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(kind, GraphQLEnumType):
            missing.extend(f"{name}.{value}" for value, spec in kind.values.items() if not spec.description)
        known = GraphQLObjectType | GraphQLInputObjectType | GraphQLEnumType | GraphQLScalarType
        assert isinstance(kind, known) or kind.name == "Node"
    assert missing == []


# -- pages and cursors ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 2, 5, 100])
def test_paging_forward_gives_the_sparql_timeline(client: httpx.Client, size: int) -> None:
    assert page_through(client, size) == sparql_events(client)


@pytest.mark.parametrize("size", [1, 3])
def test_paging_backward_gives_the_same_events(client: httpx.Client, size: int) -> None:
    assert page_through(client, size, backward=True) == sparql_events(client)


def test_date_range_and_actor_filters_match_the_sparql_timeline(client: httpx.Client) -> None:
    where = {"date": {"_gte": "2031-02-01", "_lte": "2031-05-20"}, "actor": {"id": {"_eq": NIMBUS}}}
    expected = sparql_events(client, **{"from": "2031-02-01", "to": "2031-05-20", "actor": NIMBUS})
    assert len(expected) == 3
    assert page_through(client, 1, where) == expected
    month = page_through(client, 2, {"date": {"_gte": "2031-05-20", "_lte": "2031-12-31"}})
    assert month == sparql_events(client, **{"from": "2031-05-20", "to": "2031-12-31"})


def test_order_by_date_descending_is_the_exact_reverse(client: httpx.Client) -> None:
    ascending = [e["id"] for e in data(client, "{ events { nodes { id } } }")["events"]["nodes"]]
    descending = data(client, "{ events(orderBy: {date: DESC}) { nodes { id date } } }")["events"]["nodes"]
    assert [e["id"] for e in descending] == ascending[::-1]
    assert descending[0]["date"] is None  # undated first when descending, as SQL's DESC NULLS FIRST
    last_two = data(client, "{ events(orderBy: {date: DESC}, last: 2) { nodes { id } } }")["events"]["nodes"]
    assert [e["id"] for e in last_two] == ascending[:2][::-1]


def test_total_count_and_page_info(client: httpx.Client) -> None:
    total = len(sparql_events(client))
    first = data(client, "{ events(first: 2) { totalCount pageInfo { hasNextPage hasPreviousPage "
                         "startCursor endCursor } edges { cursor } } }")["events"]
    info = first["pageInfo"]
    assert first["totalCount"] == total
    assert (info["hasNextPage"], info["hasPreviousPage"]) == (True, False)
    cursors = [edge["cursor"] for edge in first["edges"]]
    assert [info["startCursor"], info["endCursor"]] == cursors
    rest = data(client, "query($c: String) { events(first: 100, after: $c) { totalCount pageInfo { "
                        "hasNextPage hasPreviousPage } nodes { id } } }", c=info["endCursor"])["events"]
    assert rest["totalCount"] == total and len(rest["nodes"]) == total - 2
    assert (rest["pageInfo"]["hasNextPage"], rest["pageInfo"]["hasPreviousPage"]) == (False, True)
    empty = data(client, "{ events(first: 0) { totalCount pageInfo { hasNextPage endCursor } "
                         "nodes { id } } }")
    assert empty["events"] == {"totalCount": total, "pageInfo": {"hasNextPage": True, "endCursor": None},
                               "nodes": []}


def test_a_cursor_survives_the_deletion_of_its_event(tmp_path: Path) -> None:
    """Keyset cursors hold a position, not an offset: the next page starts after it, event or no event."""
    with GraphStore(tmp_path / "store") as own, serving(create_app(own)) as http:
        fill(own)
        page = data(http, "{ events(first: 1) { pageInfo { endCursor } nodes { id } } }")["events"]
        everything = [e["id"] for e in data(http, "{ events { nodes { id } } }")["events"]["nodes"]]
        own.delete_document(document_iri(extraction_b().article.id))  # the first event's only article
        after = data(http, "query($c: String) { events(after: $c) { nodes { id } } }",
                     c=page["pageInfo"]["endCursor"])["events"]["nodes"]
        assert page["nodes"][0]["id"] == everything[0]
        assert [e["id"] for e in after] == everything[1:]


def test_nested_connections_page_too(client: httpx.Client) -> None:
    query = """query($id: ID!, $c: String) { actor(id: $id) { events(first: 2, after: $c) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id date } } } }"""
    first = data(client, query, id=CNIL)["actor"]["events"]
    second = data(client, query, id=CNIL, c=first["pageInfo"]["endCursor"])["actor"]["events"]
    seen = [e["id"] for e in first["nodes"] + second["nodes"]]
    assert seen == sparql_events(client, actor=CNIL)[: len(seen)]
    assert first["totalCount"] == len(sparql_events(client, actor=CNIL)) and first["pageInfo"]["hasNextPage"]
    document = document_iri(extraction_a().article.id)
    docs = data(client, "query($id: ID!) { node(id: $id) { ... on Document { events(last: 1) { totalCount "
                        "nodes { label } } } } }", id=document)["node"]["events"]
    assert docs["totalCount"] == len(extraction_a().events) and len(docs["nodes"]) == 1


def test_actors_connection_with_where(client: httpx.Client) -> None:
    everyone = data(client, "{ actors(first: 100) { totalCount nodes { name } } }")["actors"]
    names = [a["name"] for a in everyone["nodes"]]
    assert names == sorted(names) and everyone["totalCount"] == len(names)
    companies = data(client, '{ actors(where: {kind: {_eq: COMPANY}}) { nodes { name kind } } }')
    assert companies["actors"]["nodes"] == [{"name": "Nimbus Cloud", "kind": "COMPANY"},
                                            {"name": "Stratus", "kind": "COMPANY"}]
    liked = data(client, '{ actors(where: {_or: [{name: {_ilike: "cnil"}}, {name: {_ilike: "%ÉTAT"}}], '
                         '_not: {kind: {_in: [COMPANY]}}}, first: 1) { pageInfo { hasNextPage endCursor } '
                         'nodes { shortName name } } }')["actors"]
    assert liked["nodes"] == [{"shortName": "CNIL", "name": "Commission nationale de l'informatique et des "
                               "libertés"}]
    after = data(client, 'query($c: String) { actors(where: {name: {_ilike: "%ÉTAT"}}, after: $c) { '
                         'nodes { name } } }', c=liked["pageInfo"]["endCursor"])["actors"]["nodes"]
    assert after == [{"name": "Conseil d'État"}]


# -- filters ----------------------------------------------------------------------------------------


def labels(client: httpx.Client, where: dict[str, Any]) -> list[str]:
    nodes = data(client, "query($w: EventWhere) { events(where: $w) { nodes { label } } }", w=where)
    return [node["label"] for node in nodes["events"]["nodes"]]


def test_where_leaves(client: httpx.Client) -> None:
    assert labels(client, {"type": {"_in": ["RULING", "SANCTION"]}}) == [
        "La CNIL inflige une amende à Nimbus Cloud", "Le Conseil d'État rejette le recours"]
    assert labels(client, {"type": {"_in": []}}) == []
    nodes = data(client, "{ events(where: {type: {_nin: [LETTER, REQUEST]}}) { nodes { type } } }")
    kinds = {e["type"] for e in nodes["events"]["nodes"]}
    assert "LETTER" not in kinds and "REQUEST" not in kinds and "RULING" in kinds
    comment = ["Lettre de la CNIL au ministère (selon un lecteur)"]
    assert labels(client, {"section": {"_eq": "COMMENT"}}) == comment
    assert labels(client, {"agent": {"id": {"_eq": COURT}}}) == ["Le Conseil d'État rejette le recours"]
    assert labels(client, {"addressee": {"id": {"_eq": COURT}}}) == ["Recours des Vigies contre le décret"]
    assert set(labels(client, {"agent": {"kind": {"_in": ["PRESS_OUTLET", "COURT"]}}})) == {
        "Le Conseil d'État rejette le recours", "L'Écho numérique révèle une lettre de la CNIL"}
    assert labels(client, {"document": {"id": {"_eq": document_iri(extraction_b().article.id)}}}) == [
        "La CNIL inflige une amende à Nimbus Cloud"]
    decree = data(client, "{ legalActs { id label } }")["legalActs"]
    decree_iri = next(act["id"] for act in decree if act["label"].startswith("décret"))
    assert set(labels(client, {"legalAct": {"id": {"_in": [decree_iri]}}})) == {
        "Publication du décret du 3 mars 2031", "Recours des Vigies contre le décret"}
    in_may = ["L'Écho numérique révèle une lettre de la CNIL"]
    assert labels(client, {"date": {"_eq": "2031-05-31"}}) == in_may
    undated = labels(client, {"date": {"_is_null": True}})
    assert "Recours des Vigies contre le décret" in undated and "Lettre de la CNIL" in undated


def test_where_combinations(client: httpx.Client) -> None:
    assert set(labels(client, {"_or": [{"type": {"_eq": "RULING"}}, {"type": {"_eq": "SANCTION"}}]})) == {
        "La CNIL inflige une amende à Nimbus Cloud", "Le Conseil d'État rejette le recours"}
    both = {"_and": [{"type": {"_eq": "REQUEST"}}, {"date": {"_is_null": False}}]}
    assert labels(client, both) == ["Mise en demeure de Nimbus Cloud"]
    everything = labels(client, {})
    assert labels(client, {"_and": []}) == everything and labels(client, {"_or": []}) == []
    assert set(labels(client, {"_not": {"date": {"_is_null": True}}})) == set(labels(
        client, {"date": {"_is_null": False}}))
    # As in SQL, negating a date comparison keeps no undated event.
    assert set(labels(client, {"_not": {"date": {"_gte": "2031-06-01"}}})) == {
        "La CNIL inflige une amende à Nimbus Cloud", "Publication du décret du 3 mars 2031",
        "Mise en demeure de Nimbus Cloud", "Nimbus Cloud publie une nouvelle politique",
        "L'Écho numérique révèle une lettre de la CNIL"}
    assert set(everything) == EVENT_LABELS


def test_a_where_value_cannot_inject_sparql(client: httpx.Client) -> None:
    sneaky = '"https://x.org/a> ) } } ; DROP ALL ; SELECT * { <x'
    assert "not an absolute IRI" in field_error(
        client, "query($w: EventWhere) { events(where: $w) { totalCount } }", w={"id": {"_eq": sneaky}})
    text = 'x") || true || ("'
    actors = data(client, "query($w: ActorWhere) { actors(where: $w) { totalCount } }",
                  w={"name": {"_eq": text}})
    assert actors["actors"]["totalCount"] == 0


def test_timeline_field(client: httpx.Client) -> None:
    query = """query($a: ID, $l: ID, $f: Date, $t: Date) {
        timeline(actor: $a, legalAct: $l, from: $f, to: $t) {
        dated { id date } undated { id } complete } }"""
    everything = data(client, query)["timeline"]
    dated_iris = [e["id"] for e in everything["dated"]]
    undated_iris = [e["id"] for e in everything["undated"]]
    assert everything["complete"] and dated_iris + undated_iris == sparql_events(client)
    ranged = data(client, query, a=CNIL, f="2031-03-01", t="2031-05-31")["timeline"]
    expected = sparql_events(client, **{"actor": CNIL, "from": "2031-03-01", "to": "2031-05-31"})
    assert [e["id"] for e in ranged["dated"]] == expected
    assert ranged["undated"], "the CNIL's undated events are listed apart, whatever the range"
    assert all(e["id"] in sparql_events(client, actor=CNIL) for e in ranged["undated"])
    assert "is after" in field_error(client, query, f="2031-05-01", t="2031-01-01")


def test_status_of_commitments_and_requests(client: httpx.Client) -> None:
    query = """query($on: Date) { events(where: {type: {_in: [REQUEST, COMMITMENT]}}) {
        nodes { label deadline status(asOf: $on) } } }"""

    def statuses(on: str) -> dict[str, str | None]:
        return {e["label"]: e["status"] for e in data(client, query, on=on)["events"]["nodes"]}

    assert statuses("2031-03-10") == {"Mise en demeure de Nimbus Cloud": "OPEN",
                                      "Demande de la CNIL à Stratus": "OPEN",
                                      "Engagement de la ministre à publier un nouveau texte": "OPEN"}
    assert statuses("2031-05-25") == {"Mise en demeure de Nimbus Cloud": "MET",
                                      "Demande de la CNIL à Stratus": "OVERDUE",
                                      "Engagement de la ministre à publier un nouveau texte": "OPEN"}
    assert statuses("2031-04-30")["Demande de la CNIL à Stratus"] == "OPEN"  # April is not over yet
    assert statuses("2033-01-01")["Engagement de la ministre à publier un nouveau texte"] == "OVERDUE"
    other = data(client, '{ events(where: {type: {_eq: RULING}}) { nodes { status } } }')
    assert other["events"]["nodes"] == [{"status": None}]


def test_event_fields(client: httpx.Client) -> None:
    query = """{ events(where: {type: {_eq: RULING}}) { nodes { type label date precision dateText deadline
        section outcome flags expected agents { name kind office } addressees { name } legalActs { label }
        related { relation event { type label } } evidence { text start end document { id } }
        document { id title published source } sources { id } } } }"""
    [ruling] = data(client, query)["events"]["nodes"]
    assert ruling["outcome"] == "REJECTED" and ruling["flags"] == ["weekday_mismatch"]
    assert ruling["agents"] == [{"name": "Conseil d'État", "kind": "COURT", "office": None}]
    assert ruling["related"] == [{"relation": "DECIDES", "event": {
        "type": "APPEAL", "label": "Recours des Vigies contre le décret"}}]
    [evidence] = ruling["evidence"]
    assert extraction_a().article.text[evidence["start"]:evidence["end"]] == evidence["text"]
    doc_a = document_iri(extraction_a().article.id)
    assert evidence["document"] == {"id": doc_a} and ruling["sources"] == [{"id": doc_a}]
    assert ruling["document"] == {"id": doc_a, "title": extraction_a().article.title,
                                  "published": "2031-06-20T09:30:00+02:00",
                                  "source": "https://example.org/articles/vigies-recours"}
    assert (ruling["precision"], ruling["dateText"], ruling["section"]) == ("DAY", "le 12 juin 2031", "BODY")
    answer = data(client, '{ events(where: {type: {_eq: PUBLICATION}, date: {_gte: "2031-05-01"}}) { nodes { '
                          'label related(relation: [RESPONDS_TO]) { event { label } } } } }')
    answer = answer["events"]["nodes"]
    assert {"label": "Nimbus Cloud publie une nouvelle politique",
            "related": [{"event": {"label": "Mise en demeure de Nimbus Cloud"}}]} in answer


def test_node_and_single_lookups(client: httpx.Client) -> None:
    query = """query($id: ID!) { node(id: $id) { __typename id ... on Event { label } ... on Actor { name }
        ... on LegalAct { label } ... on Document { title } } }"""
    event = data(client, "{ events(first: 1) { nodes { id label } } }")["events"]["nodes"][0]
    assert data(client, query, id=event["id"])["node"] == {"__typename": "Event", **event}
    court = {"__typename": "Actor", "id": COURT, "name": "Conseil d'État"}
    assert data(client, query, id=COURT)["node"] == court
    document = document_iri(extraction_b().article.id)
    assert data(client, query, id=document)["node"]["title"] == extraction_b().article.title
    act = data(client, "{ legalActs { id } }")["legalActs"][0]["id"]
    assert data(client, query, id=act)["node"]["__typename"] == "LegalAct"
    assert data(client, query, id="https://example.org/nothing") == {"node": None}
    assert data(client, "query($id: ID!) { event(id: $id) { label } }", id=event["id"]) == {
        "event": {"label": event["label"]}}
    assert data(client, "query($id: ID!) { actor(id: $id) { name aliases } }", id=COURT) == {
        "actor": {"name": "Conseil d'État", "aliases": ["la haute juridiction"]}}
    acts = data(client, "{ legalActs { label kind date identifiers events { totalCount } } }")["legalActs"]
    assert {"label": "décret du 3 mars 2031", "kind": "DECREE", "date": "2031-03-03",
            "identifiers": ["CULX3100001D"], "events": {"totalCount": 2}} in acts
    documents = data(client, "{ documents { id } }")["documents"]
    assert [d["id"] for d in documents] == [document_iri(x.article.id) for x in
                                            sorted(EXTRACTIONS, key=lambda x: x.article.published)]


def test_fields_read_outside_a_page_are_loaded_too(client: httpx.Client) -> None:
    """An event reached by node(id:) or by a relation was not prefetched: its fields load on demand."""
    fields = "agents { name } addressees { name } evidence { text } outcome flags"
    page = data(client, f"{{ events(where: {{type: {{_eq: APPEAL}}}}) {{ nodes {{ id {fields} }} }} }}")
    [appeal] = page["events"]["nodes"]
    by_id = f"query($id: ID!) {{ node(id: $id) {{ ... on Event {{ id {fields} }} }} }}"
    alone = data(client, by_id, id=appeal["id"])
    assert alone["node"] == appeal and appeal["addressees"] == [{"name": "Conseil d'État"}]
    related = data(client, "{ events(where: {type: {_eq: RULING}}) { nodes { related { event { id "
                           f"{fields} }} }} }} }} }}")
    assert related["events"]["nodes"][0]["related"][0]["event"] == appeal


# -- batching ---------------------------------------------------------------------------------------


def test_sparql_query_count_does_not_grow_with_events(client: httpx.Client) -> None:
    nested = """query($n: Int!) { events(first: $n) { totalCount nodes { status outcome flags
        agents { name aliases events(first: 3) { nodes { id } } } addressees { name } legalActs { label }
        related { event { label } } evidence { text document { title } } document { title }
        sources { events { totalCount } } } } }"""
    total = len(sparql_events(client))
    counts = []
    for first in (1, 4, total):
        CountingStore.queries = 0
        assert len(data(client, nested, n=first)["events"]["nodes"]) == first
        counts.append(CountingStore.queries)
    # The page, one query for the count, then one per DataLoader batch.  A loader reached
    # by several paths (events: by related, by actor, by document) may batch them together or not,
    # depending on which event-loop turn each path reaches it in, so the count varies a little with
    # timing; it is bounded by the query's shape.  The page itself is read through the timeline
    # buckets: a few index queries (years, then periods and days a few at a time, twice as many each
    # round), one more round when a page spans more months, never one per event.  Loading per event
    # would run at least one query per event and nested field: over a hundred here for the largest page.
    assert max(counts) <= 28, counts


# -- limits, errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("{ events { nodes { agents { events { nodes { agents { events { nodes { agents { events { nodes "
         "{ id } } } } } } } } } } } }", "exceeds maximum operation depth"),
        ("{ " + " ".join(f"a{i}: documents {{ id }}" for i in range(20)) + " }", "aliases"),
        ("{ events(first: 1000) { nodes { agents { events(first: 1000) { nodes { id } } } } } }",
         "query cost"),
        ("{ events(first: 1001) { totalCount } }", "'first' must be between 0 and 1000"),
        ("{ events(last: -1) { totalCount } }", "'last' must be between 0 and 1000"),
        ("{ " + "documents { id } " * 700 + "}", "token"),
    ],
)
def test_expensive_queries_are_refused_before_they_run(
    client: httpx.Client, query: str, fragment: str
) -> None:
    CountingStore.queries = 0
    assert fragment in request_error(client, query)
    assert CountingStore.queries == 0


def test_page_size_given_by_a_variable_is_checked_too(client: httpx.Client) -> None:
    CountingStore.queries = 0
    message = request_error(client, "query($n: Int) { events(first: $n) { totalCount } }", n=5000)
    assert "'first' must be between 0 and 1000, got 5000" in message and CountingStore.queries == 0


def test_a_known_query_text_is_still_checked_with_each_requests_variables(client: httpx.Client) -> None:
    """Parsing and validation are kept per query text; the page size and cost depend on the variables."""
    query = "query($n: Int) { events(first: $n) { nodes { id agents { name } } } }"
    costly = ("query($n: Int) { events(first: $n) { nodes { agents { events(first: $n) "
              "{ nodes { id } } } } } }")
    assert len(data(client, query, n=2)["events"]["nodes"]) == 2
    assert "data" in post(client, costly, n=2).json()
    deep = "{ events { nodes { agents { events { nodes { agents { events { nodes { agents { events { nodes " \
        "{ id } } } } } } } } } } } }"
    for _ in range(2):  # the second time, the document and its validation come from the cache
        CountingStore.queries = 0
        assert "'first' must be between 0 and 1000, got 1001" in request_error(client, query, n=1001)
        assert "query cost" in request_error(client, costly, n=1000)
        assert "exceeds maximum operation depth" in request_error(client, deep)
        assert CountingStore.queries == 0


def test_the_document_cache_is_bounded() -> None:
    cache = DocumentCache(size=2)
    for text in ("{ a }", "{ b }", "{ a }", "{ c }"):
        if cache.get(text) is None:
            cache.put(text, parse(text))
    assert cache.get("{ b }") is None  # the least recently used went first
    assert cache.get("{ a }") is not None and cache.get("{ c }") is not None
    padded = "{ a }" + " " * 100
    small = DocumentCache(longest=100)
    small.put(padded, parse(padded))
    assert small.get(padded) is None  # checked, not kept: spaces cost no tokens but memory


def test_client_mistakes_are_told_and_not_logged(
    client: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        bad_cursor = '{ events(after: "bm9wZQ") { totalCount } }'
        assert "not a cursor this API gave" in field_error(client, bad_cursor)
        assert "not both" in field_error(client, "{ events(first: 1, last: 1) { totalCount } }")
        mixed = '{ events(first: 1, before: "x") { totalCount } }'
        assert "forward with 'first'" in field_error(client, mixed)
        assert "not an absolute IRI" in field_error(client, '{ event(id: "x") { id } }')
        bad_day = "query($d: Date) { timeline(from: $d) { complete } }"
        assert "Invalid" in request_error(client, bad_day, d="2031-13")
        assert "Cannot query field" in request_error(client, "{ events { nope } }")
    assert [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()] == []


def test_internal_errors_are_masked_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    broken = GraphStore()
    with serving(create_app(broken)) as http, caplog.at_level(logging.ERROR, logger="kg.web.graphql"):
        broken.close()
        response = post(http, "{ documents { id } }")
    body = response.json()
    assert response.status_code == 200 and body["data"] is None
    assert body["errors"][0]["message"] == "Unexpected error." and body["errors"][0]["path"] == ["documents"]
    assert "closed" not in response.text and "Traceback" not in response.text and ".py" not in response.text
    [record] = caplog.records
    assert record.exc_info is not None and "store is closed" in str(record.exc_info[1])


def test_introspection_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_GRAPHQL_INTROSPECTION", "0")
    with GraphStore() as own, serving(create_app(own)) as http:
        assert "introspection" in request_error(http, "{ __schema { types { name } } }").lower()
        assert data(http, "{ documents { id } }") == {"documents": []}
        browser = http.get("/graphql", headers={"accept": "text/html"})
        assert browser.status_code == 406 and "graphiql" not in browser.text.lower()


def test_limits_from_the_environment() -> None:
    limits = GraphQLLimits.from_env({"KG_GRAPHQL_MAX_DEPTH": "3", "KG_GRAPHQL_MAX_PAGE_SIZE": "50",
                                     "KG_GRAPHQL_DEFAULT_PAGE_SIZE": "20", "KG_GRAPHQL_INTROSPECTION": "no"})
    assert (limits.max_depth, limits.max_page_size, limits.default_page_size, limits.introspection) == (
        3, 50, 20, False)
    with pytest.raises(ValueError, match="KG_GRAPHQL_MAX_COST must be a whole number"):
        GraphQLLimits.from_env({"KG_GRAPHQL_MAX_COST": "lots"})
    with pytest.raises(ValueError, match="default_page_size"):
        GraphQLLimits.from_env({"KG_GRAPHQL_MAX_PAGE_SIZE": "10"})
    with pytest.raises(ValueError, match="KG_GRAPHQL_INTROSPECTION must be 1 or 0"):
        GraphQLLimits.from_env({"KG_GRAPHQL_INTROSPECTION": "maybe"})


def test_small_limits_apply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_GRAPHQL_MAX_PAGE_SIZE", "2")
    monkeypatch.setenv("KG_GRAPHQL_DEFAULT_PAGE_SIZE", "2")
    monkeypatch.setenv("KG_GRAPHQL_MAX_DEPTH", "2")
    with GraphStore() as own, serving(create_app(own)) as http:
        fill(own)
        assert len(data(http, "{ events { nodes { id } } }")["events"]["nodes"]) == 2
        assert "'first' must be between 0 and 2" in request_error(http, "{ events(first: 3) { totalCount } }")
        assert "depth" in request_error(http, "{ events { nodes { agents { name } } } }")


# -- GraphQL over HTTP ------------------------------------------------------------------------------


def test_get_runs_queries(client: httpx.Client) -> None:
    query = "query($n: Int) { events(first: $n) { nodes { id } } }"
    response = client.get("/graphql", params={"query": query, "variables": json.dumps({"n": 2})})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert len(response.json()["data"]["events"]["nodes"]) == 2


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [(None, "application/json"), ("application/json", "application/json"), ("*/*", "application/json"),
     (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE), (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE)],
)
def test_media_type_follows_accept(client: httpx.Client, accept: str | None, media_type: str) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.post("/graphql", json={"query": "{ documents { id } }"}, headers=headers)
    assert response.status_code == 200 and response.headers["content-type"] == f"{media_type}; charset=utf-8"


def test_request_errors_status_by_media_type(client: httpx.Client) -> None:
    for query in ("{ events {", "{ nope }"):
        spec = post(client, query)
        legacy = post(client, query, accept="application/json")
        assert spec.status_code == 400 and legacy.status_code == 200
        assert "data" not in spec.json() and "data" not in legacy.json()
        assert spec.json()["errors"] == legacy.json()["errors"]


@pytest.mark.parametrize(
    ("request_args", "status", "fragment"),
    [
        ({"content": b'{"query": "{ documents { id } }"'}, 400, "not valid JSON"),
        ({"json": {"qeury": "{ documents { id } }"}}, 400, "missing GraphQL query"),
        ({"json": {"query": 7}}, 400, "'query' must be a string"),
        ({"json": {"query": "{ documents { id } }", "variables": "[]"}}, 400, "'variables' must be"),
        ({"json": [{"query": "{ documents { id } }"}]}, 400, "batches are not accepted"),
        ({"content": b"{ documents { id } }", "headers": {"content-type": "application/graphql"}}, 415,
         "unsupported Content-Type"),
        ({"json": {"query": "query A { documents { id } }", "operationName": "B"}}, 400, "Unknown operation"),
    ],
)
def test_bad_requests(client: httpx.Client, request_args: dict[str, Any], status: int, fragment: str) -> None:
    headers = {"content-type": "application/json", **request_args.pop("headers", {})}
    response = client.post("/graphql", headers={**headers, "accept": GRAPHQL_RESPONSE}, **request_args)
    assert response.status_code == status, response.text
    assert fragment in response.json()["errors"][0]["message"]


def test_other_methods_and_media_types_are_refused(client: httpx.Client) -> None:
    response = client.put("/graphql", json={"query": "{ documents { id } }"})
    assert response.status_code == 405 and response.headers["allow"] == "GET, POST"
    assert client.post("/graphql", json={"query": "{ documents { id } }"},
                       headers={"accept": "text/csv"}).status_code == 406


def test_graphiql_for_browsers(client: httpx.Client) -> None:
    page = client.get("/graphql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert page.headers["content-type"].startswith("text/html")


# -- mutations --------------------------------------------------------------------------------------

INGEST = """mutation($input: ArticleInput!) { ingestArticle(input: $input) {
    document { id title source events { totalCount } } events triples replaced unchanged } }"""
DELETE = "mutation($id: ID!) { deleteDocument(id: $id) { id deleted } }"


def corpus_article() -> dict[str, str]:
    path = next((ROOT / "tests" / "corpus").glob("cnil-cookies-*.txt"))
    title, _, rest = path.read_text(encoding="utf-8").partition("\n")
    # The body starts after the publication, reading-time and two category lines.
    body = rest.split("\n", 4)[4].split("Commentaires (")[0]
    return {"title": title, "published": "2022-01-06T16:40:00+01:00", "text": body,
            "url": "https://example.org/cnil-cookies"}


def test_mutations_need_the_token(client: httpx.Client) -> None:
    article = corpus_article()
    without = post(client, INGEST, input=article)
    assert without.status_code == 401 and without.headers["www-authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in without.json()["errors"][0]["message"]
    wrong = client.post("/graphql", json={"query": DELETE, "variables": {"id": "https://x.org/d"}},
                        headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 403 and "wrong token" in wrong.json()["errors"][0]["message"]
    mutation = 'mutation { deleteDocument(id: "https://x.org/d") { id } }'
    on_get = client.get("/graphql", params={"query": mutation},
                        headers={"authorization": f"Bearer {TOKEN}", "accept": GRAPHQL_RESPONSE})
    assert on_get.status_code == 405 and on_get.headers["allow"] == "POST"


def test_read_only_server_refuses_writes(tmp_path: Path) -> None:
    with GraphStore() as own, serving(create_app(own)) as http:
        response = http.post("/graphql", json={"query": DELETE, "variables": {"id": "https://x.org/d"}},
                             headers={"authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 403 and "no KG_UPDATE_TOKEN" in response.json()["errors"][0]["message"]


def test_ingest_then_delete(tmp_path: Path) -> None:
    authorised = {"authorization": f"Bearer {TOKEN}"}
    settings = Settings(update_token=TOKEN)
    with GraphStore(tmp_path / "store") as own, serving(create_app(own, settings=settings)) as http:
        article = corpus_article()

        def mutate(query: str, **variables: Any) -> dict[str, Any]:
            response = http.post("/graphql", json={"query": query, "variables": variables},
                                 headers=authorised)
            assert response.status_code == 200 and "errors" not in response.json(), response.text
            result: dict[str, Any] = response.json()["data"]
            return result

        stored = mutate(INGEST, input=article)["ingestArticle"]
        document = stored["document"]
        assert document["title"] == article["title"] and document["source"] == article["url"]
        assert stored["events"] >= 2 and document["events"]["totalCount"] == stored["events"]
        assert (stored["replaced"], stored["unchanged"]) == (False, False)
        assert mutate(INGEST, input=article)["ingestArticle"]["unchanged"] is True
        assert data(http, "{ events { totalCount } }")["events"]["totalCount"] == stored["events"]
        assert mutate(DELETE, id=document["id"])["deleteDocument"] == {"id": document["id"], "deleted": True}
        assert mutate(DELETE, id=document["id"])["deleteDocument"]["deleted"] is False
        assert data(http, "{ events { totalCount } }")["events"]["totalCount"] == 0
        bad = http.post("/graphql", headers=authorised, json={"query": INGEST, "variables": {
            "input": {**article, "text": "   "}}})
        assert "field 'text'" in bad.json()["errors"][0]["message"] and "Traceback" not in bad.text


# -- the GraphQL-over-HTTP audits (npm graphql-http) on a uvicorn process ---------------------------


def graphql_http_modules(node: str) -> Path:
    """Where graphql-http is installed: KG_GRAPHQL_HTTP_MODULES (CI), else a cache it is installed in."""
    if given := os.environ.get("KG_GRAPHQL_HTTP_MODULES"):
        return Path(given)
    prefix = Path.home() / ".cache" / "kg-tests" / "-".join(GRAPHQL_HTTP_VERSIONS).replace("@", "")
    if not (prefix / "node_modules" / "graphql-http").is_dir():
        npm = shutil.which("npm")
        assert npm, f"node is at {node} but npm is not: install graphql-http as .ci/run does"
        subprocess.run([npm, "install", "--no-save", "--silent", "--prefix", str(prefix),
                        *GRAPHQL_HTTP_VERSIONS], check=True, timeout=300)
    return prefix / "node_modules"


@pytest.fixture(scope="module")
def uvicorn_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("audited"), factory="asgi_fixture:create",
                        store_env=STORE_ENV) as base:
        yield base


def test_graphql_http_audits(uvicorn_server: str) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the graphql-http audits need Node.js (.ci/run installs them)")
    modules = graphql_http_modules(node)
    run = subprocess.run([node, str(ROOT / "tests" / "graphql_audit.mjs"), f"{uvicorn_server}/graphql"],
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, "KG_GRAPHQL_HTTP_MODULES": str(modules)})
    print(run.stdout)  # every result, SHOULDs and MAYs included (pytest -s or -rP shows them)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[-1] == "every MUST audit passed"
    assert not [line for line in lines if line.startswith("FAIL") and " MUST " in line]
    assert sum(line.startswith("ok ") for line in lines) > 40
