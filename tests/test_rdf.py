"""The RDF mapping: deterministic IRIs, one graph per article, typed dates, NIF evidence, no blank node."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse
from rdf_sample import ACTS, TEXT, extraction, other_extraction

from kg.models import Event, RelatedEvent, Span
from kg.namespaces import DCTERMS, FOAF, LT, NIF, PROV, RDF, XSD
from kg.rdf import (
    actor_iri,
    document_iri,
    event_iri,
    extraction_to_quads,
    extraction_turtle,
    fold,
    legal_act_iri,
)

DOC = document_iri("exemplia-mise-en-demeure-2021-05-01")


def objects(quads: list[Quad], subject: str, predicate: NamedNode) -> list[NamedNode | Literal]:
    found = [q.object for q in quads if q.subject == NamedNode(subject) and q.predicate == predicate]
    return [o for o in found if isinstance(o, NamedNode | Literal)]


def value(term: object) -> str:
    assert isinstance(term, NamedNode | Literal)
    return term.value


def event_node(quads: list[Quad], event_type: str) -> str:
    (node,) = {value(q.subject) for q in quads if q.predicate == RDF("type") and q.object == LT(event_type)}
    return node


def test_same_extraction_same_quads_and_time_outside_the_hash() -> None:
    first = extraction_to_quads(extraction())
    assert first == extraction_to_quads(extraction())
    timed = extraction_to_quads(extraction(), extracted_at=datetime(2024, 1, 2, 3, 4, 5, 678, tzinfo=UTC))
    assert set(timed) - set(first) == {
        Quad(NamedNode(f"{DOC}/extraction"), PROV("endedAtTime"),
             Literal("2024-01-02T03:04:05+00:00", datatype=XSD("dateTime")), NamedNode(DOC))
    }
    changed = extraction_to_quads(extraction(label_suffix=" (bis)"))
    hashes = {str(q.object) for quads in (first, changed) for q in quads if q.predicate == LT("graphHash")}
    assert len(hashes) == 2


def test_one_graph_per_document_no_blank_nodes_no_duplicates() -> None:
    quads = extraction_to_quads(extraction())
    assert {q.graph_name for q in quads} == {NamedNode(DOC)}
    assert len(quads) == len(set(quads))
    for quad in quads:
        assert not any(isinstance(term, BlankNode) for term in (quad.subject, quad.predicate, quad.object))


def test_actor_iri_folds_case_accents_and_apostrophes() -> None:
    assert actor_iri("Conseil d’État") == actor_iri("conseil d'Etat") == actor_iri("CONSEIL D'ÉTAT")
    assert actor_iri("Conseil d’État") != actor_iri("Conseil constitutionnel")
    assert fold("  Conseil   d’État ") == "conseil d'etat"
    assert actor_iri("???") != actor_iri("!!!")  # nothing readable left: a hash, still distinct


def test_references_by_short_name_or_alias_reach_the_canonical_actor() -> None:
    quads = extraction_to_quads(extraction())
    request = event_node(quads, "Request")
    cnil = actor_iri("Commission nationale de l’informatique et des libertés")
    assert objects(quads, request, LT("agent")) == [NamedNode(cnil)]
    assert objects(quads, cnil, LT("shortName")) == [Literal("CNIL")]
    appeal = event_node(quads, "Appeal")  # the appeal names the court as "Conseil d'Etat", an alias
    assert objects(quads, appeal, LT("addressee")) == [NamedNode(actor_iri("Conseil d’État"))]
    assert objects(quads, appeal, LT("concernsLegalAct")) == [
        NamedNode(legal_act_iri(ACTS[0]))
    ]


def test_an_unknown_agent_becomes_an_actor_of_kind_other() -> None:
    base = extraction()
    event = dataclasses.replace(base.events[0], agents=("Inconnu SA",))
    quads = extraction_to_quads(dataclasses.replace(base, events=(event, *base.events[1:])))
    node = actor_iri("Inconnu SA")
    assert set(objects(quads, node, RDF("type"))) == {LT("OtherActor"), LT("Actor")}
    assert objects(quads, node, FOAF("name")) == [Literal("Inconnu SA")]


def test_dates_are_typed_by_precision_with_month_bucket() -> None:
    quads = extraction_to_quads(extraction())
    request, commitment, statement = (event_node(quads, t) for t in ("Request", "Commitment", "Statement"))
    assert objects(quads, request, LT("date")) == [Literal("2021-03-03", datatype=XSD("date"))]
    assert objects(quads, request, LT("datePrecision")) == [LT("DayPrecision")]
    assert objects(quads, request, LT("deadline")) == [Literal("2021-06", datatype=XSD("gYearMonth"))]
    assert objects(quads, request, LT("monthBucket")) == [Literal("2021-03", datatype=XSD("gYearMonth"))]
    assert objects(quads, commitment, LT("date")) == [Literal("2021-04", datatype=XSD("gYearMonth"))]
    assert objects(quads, commitment, LT("deadline")) == [Literal("2022", datatype=XSD("gYear"))]
    assert objects(quads, commitment, LT("expected")) == [Literal(True)]
    assert objects(quads, statement, LT("date")) == [Literal("2021", datatype=XSD("gYear"))]
    assert objects(quads, statement, LT("datePrecision")) == [LT("YearPrecision")]
    assert objects(quads, statement, LT("monthBucket")) == []


def test_events_relations_flags_outcome_and_provenance() -> None:
    quads = extraction_to_quads(extraction())
    request, commitment = event_node(quads, "Request"), event_node(quads, "Commitment")
    ruling, appeal = event_node(quads, "Ruling"), event_node(quads, "Appeal")
    assert objects(quads, commitment, LT("respondsTo")) == [NamedNode(request)]
    assert objects(quads, ruling, LT("decides")) == [NamedNode(appeal)]
    assert objects(quads, ruling, LT("outcome")) == [LT("Rejected")]
    assert objects(quads, request, LT("flag")) == [LT("WeekdayMismatch")]
    assert objects(quads, request, PROV("wasDerivedFrom")) == [NamedNode(DOC)]
    assert objects(quads, request, PROV("wasGeneratedBy")) == [NamedNode(f"{DOC}/extraction")]
    assert objects(quads, f"{DOC}/extraction", PROV("used")) == [NamedNode(DOC)]
    (software,) = objects(quads, f"{DOC}/extraction", PROV("wasAssociatedWith"))
    assert objects(quads, software.value, RDF("type")) == [PROV("SoftwareAgent")]
    assert objects(quads, DOC, DCTERMS("issued")) == [
        Literal("2021-05-01T09:15:00+01:00", datatype=XSD("dateTime"))
    ]


def test_an_event_without_identity_key_is_scoped_by_document_type_and_first_evidence() -> None:
    quads = extraction_to_quads(extraction())
    comment = extraction().events[4]  # a reader's statement known to the year only: no key
    first = comment.evidence[0]
    expected = event_iri("exemplia-mise-en-demeure-2021-05-01", "Statement", first, "e-comment")
    assert event_node(quads, "Statement") == expected
    assert expected.endswith(f"/exemplia-mise-en-demeure-2021-05-01/statement-{first.start}-{first.end}")


def test_keyed_events_get_shared_iris_by_type_and_month_or_day() -> None:
    quads = extraction_to_quads(extraction())
    base = "https://w3id.org/legal-timeline/id/event/"
    assert event_node(quads, "Request").startswith(base + "request/2021-03/")  # pinned: by month
    assert event_node(quads, "Ruling").startswith(base + "ruling/2021-02-02/")  # agent only: by day
    assert event_node(quads, "Appeal").startswith(base + "appeal/undated/")  # by appellant and act


def test_two_events_on_one_span_keep_apart() -> None:
    base = extraction()
    twin = dataclasses.replace(base.events[0], id="e-twin", label="Autre lecture")
    quads = extraction_to_quads(dataclasses.replace(base, events=(*base.events, twin)))
    requests = {q.subject for q in quads if q.predicate == RDF("type") and q.object == LT("Request")}
    assert len(requests) == 2


def test_evidence_is_nif_with_offsets_into_the_text() -> None:
    quads = extraction_to_quads(extraction())
    spans = {value(q.object) for q in quads if q.predicate == LT("evidence")}
    assert len(spans) == 5
    for span in spans:
        (begin,) = objects(quads, span, NIF("beginIndex"))
        (end,) = objects(quads, span, NIF("endIndex"))
        (anchor,) = objects(quads, span, NIF("anchorOf"))
        assert TEXT[int(begin.value):int(end.value)] == anchor.value
        assert objects(quads, span, RDF("type")) == [NIF("OffsetBasedString")]
        (context,) = objects(quads, span, NIF("referenceContext"))
        assert objects(quads, context.value, NIF("endIndex")) == [Literal(len(TEXT))]


def test_comment_section_events_point_at_their_reader_comment() -> None:
    quads = extraction_to_quads(extraction())
    statement = event_node(quads, "Statement")
    assert objects(quads, statement, LT("section")) == [LT("CommentSection")]
    (comment,) = objects(quads, statement, LT("comment"))
    assert objects(quads, comment.value, RDF("type")) == [LT("ReaderComment")]
    assert objects(quads, comment.value, DCTERMS("isPartOf")) == [NamedNode(DOC)]
    assert objects(quads, comment.value, DCTERMS("issued")) == [
        Literal("2021-05-02T08:30:00+01:00", datatype=XSD("dateTime"))
    ]
    assert objects(quads, event_node(quads, "Ruling"), LT("comment")) == []


def test_a_relation_to_an_unknown_event_is_an_error() -> None:
    base = extraction()
    broken = Event("e-x", "Statement", "x", "body", (Span(0, 2, TEXT[:2]),),
                   related=(RelatedEvent("follows", "e-nowhere"),))
    with pytest.raises(ValueError, match="e-nowhere"):
        extraction_to_quads(dataclasses.replace(base, events=(broken,)))


def test_the_shared_actor_has_one_iri_in_both_documents() -> None:
    court = NamedNode(actor_iri("Conseil d’État"))
    for quads in (extraction_to_quads(extraction()), extraction_to_quads(other_extraction())):
        assert any(q.subject == court and q.predicate == FOAF("name") for q in quads)


def test_extraction_turtle_is_the_graph_without_its_name() -> None:
    turtle = extraction_turtle(extraction())
    assert turtle.startswith(b"@prefix ")
    parsed = {(q.subject, q.predicate, q.object) for q in parse(turtle, format=RdfFormat.TURTLE)}
    assert parsed == {(q.subject, q.predicate, q.object) for q in extraction_to_quads(extraction())}


@pytest.mark.parametrize(("source", "written"), [
    ("https://example.org/a?b=1", True),
    ("/srv/articles/a.txt", False),
    ("https://bad url", False),
])
def test_only_a_published_url_becomes_the_source(source: str, written: bool) -> None:
    base = extraction()
    article = dataclasses.replace(base.article, source=source)
    quads = extraction_to_quads(dataclasses.replace(base, article=article))
    assert objects(quads, DOC, DCTERMS("source")) == ([NamedNode(source)] if written else [])
