"""Map one article's extraction to RDF quads in the legal-timeline ontology.

Everything read from an article goes into one named graph whose IRI is the
article's IRI, actors, legal acts and events included: deleting or replacing
an article removes exactly its view of the world, and leaves every other
article's statements, even about the same event, untouched.

Every IRI is derived from content, never from a counter, a clock or the
store, and no blank node is ever written: re-reading the same article yields
the same quads, which is what makes re-ingest idempotent (see
``lt:graphHash``).  The same thing read in two articles gets one IRI:

- an actor: the slug of its folded canonical name;
- a legal act: its official identifier (ELI, ECLI, NOR, number), else kind +
  day (``décret du 21 avril 2020``), else kind + folded label
  (``kg.identity.legal_act_key``);
- a real event: its identity key (``kg.identity.event_key``: type, agents,
  addressees, legal acts, and the month or the day, or no date when legal acts
  pin it down).  Each article keeps its own label, date, evidence and
  provenance for it in its own graph, so two articles giving two dates both
  stay, with their sources: the named queries compute the date conflict
  (``lt:DateConflict``) when they read them, nothing stored goes stale.

An event without a key (too little known), two events of one article with
the same key (the extractor saw two), and every event read in a reader comment
keep an article-scoped IRI (article + type + first evidence offsets).  A
comment's event is never merged into the articles' assertions: when it has a
key it points at the shared IRI with ``lt:sameEventAs`` instead.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, serialize

import kg
from kg.identity import EventKey, event_key, fold, fuller_buckets, legal_act_key, slug, vaguer_buckets
from kg.models import Actor, Article, Event, Extraction, LegalAct, Span, TimeValue
from kg.namespaces import DCTERMS, ELI, FOAF, ID, LT, NIF, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from kg.timeline_index import event_keys, markers

_NOR = re.compile(r"^[A-Z]{4}\d{7}[A-Z]$")
_RELATIONS = {
    "decides": "decides",
    "responds_to": "respondsTo",
    "targets": "targets",
    "discloses": "discloses",
    "follows": "follows",
}
_OUTCOMES = {
    "rejected": "Rejected",
    "annulled": "Annulled",
    "suspended": "Suspended",
    "upheld": "Upheld",
    "partially_granted": "PartiallyGranted",
    "granted": "Granted",
}
_PRECISIONS = {"day": ("DayPrecision", "date"), "month": ("MonthPrecision", "gYearMonth"),
               "year": ("YearPrecision", "gYear")}


def document_iri(article_id: str) -> str:
    """The article's IRI, also the name of the graph holding its extraction."""
    return f"{ID.iri}doc/{quote(article_id, safe='')}"


def actor_iri(name: str) -> str:
    """One IRI per folded canonical name, whatever article names the actor."""
    return f"{ID.iri}actor/{slug(name)}"


def legal_act_iri(act: LegalAct) -> str:
    """One IRI per act across articles: see ``kg.identity.legal_act_key``."""
    return f"{ID.iri}act/{legal_act_key(act)}"


def shared_event_iri(key: EventKey) -> str:
    """The IRI of a real event in every article that reports it: type, month or day, key digest."""
    return f"{ID.iri}event/{key.type.lower()}/{key.when}/{key.digest()}"


def event_iri(article_id: str, event_type: str, first_evidence: Span | None, event_id: str) -> str:
    """Article-scoped: document + type + first evidence offsets, stable while the text and the reading are.

    Two path segments after ``event/`` (the article id is percent-encoded)
    where a shared IRI has three: the two kinds never collide.
    """
    where = f"{first_evidence.start}-{first_evidence.end}" if first_evidence else slug(event_id)
    return f"{ID.iri}event/{quote(article_id, safe='')}/{event_type.lower()}-{where}"


def span_iri(article_id: str, start: int, end: int) -> str:
    """RFC 5147 fragment (``#char=s,e``), the NIF 2.0 convention for offset-based strings."""
    return f"{ID.iri}evidence/{quote(article_id, safe='')}#char={start},{end}"


def flag_concept(flag: str) -> NamedNode:
    """``weekday_mismatch`` -> ``lt:WeekdayMismatch`` (the lt:Flags scheme)."""
    return LT("".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", flag) if part))


def time_literal(value: TimeValue) -> Literal:
    """The xsd type carries the precision: xsd:date, xsd:gYearMonth or xsd:gYear."""
    return Literal(value.iso(), datatype=XSD(_PRECISIONS[value.precision][1]))


def graph_hash(quads: Iterable[Quad]) -> str:
    """SHA-256 of the sorted N-Quads lines: equal quads, equal hash, whatever their order."""
    lines = sorted(f"{q.subject} {q.predicate} {q.object} {q.graph_name}" for q in quads)
    return "sha256:" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def extraction_to_quads(extraction: Extraction, *, extracted_at: datetime | None = None) -> list[Quad]:
    """All quads of one article's graph, without duplicates and without blank nodes.

    ``lt:graphHash`` on the extraction activity fingerprints every other quad;
    ``prov:endedAtTime`` (written only when ``extracted_at`` is given) is left
    out of it, so the store can tell identical content from a mere re-run.
    """
    mapper = _Mapper(extraction)
    triples = list(dict.fromkeys(mapper.triples()))
    graph = NamedNode(mapper.doc)
    quads = [Quad(s, p, o, graph) for s, p, o in triples]
    activity = NamedNode(mapper.activity)
    quads.append(Quad(activity, LT("graphHash"), Literal(graph_hash(quads)), graph))
    if extracted_at is not None:
        quads.append(Quad(activity, PROV("endedAtTime"),
                          _datetime(extracted_at.replace(microsecond=0)), graph))
    return quads


def extraction_turtle(extraction: Extraction) -> bytes:
    """The article's graph as Turtle with our prefixes (``kg extract --format turtle``), no store needed."""
    triples = (Triple(q.subject, q.predicate, q.object) for q in extraction_to_quads(extraction))
    return serialize(triples, format=RdfFormat.TURTLE, prefixes=PREFIXES) or b""


_Triple = tuple[NamedNode, NamedNode, NamedNode | Literal]


class _Mapper:
    """Holds the name/label indexes of one extraction while its triples are produced."""

    def __init__(self, extraction: Extraction) -> None:
        self.extraction = extraction
        self.article: Article = extraction.article
        self.doc = document_iri(self.article.id)
        self.activity = f"{self.doc}/extraction"
        self.context = span_iri(self.article.id, 0, len(self.article.text))
        self.actors = _index_actors(extraction.actors)
        self.acts = _index_acts(extraction.legal_acts)
        self.keys = {event.id: self.key(event) for event in extraction.events}
        self.events = _event_iris(self.article.id, extraction.events, self.keys)

    def actor(self, name: str) -> Actor:
        """The described actor ``name`` refers to; one of kind Other when the extraction names it only."""
        return self.actors.get(fold(name)) or Actor(name=name, kind="Other")

    def act(self, label: str) -> LegalAct:
        return self.acts.get(fold(label)) or LegalAct(label=label, kind="Other")

    def key(self, event: Event) -> EventKey | None:
        agents = [actor_iri(self.actor(name).name) for name in event.agents]
        addressees = [actor_iri(self.actor(name).name) for name in event.addressees]
        return event_key(event, agents, addressees, [legal_act_iri(self.act(a)) for a in event.legal_acts])

    def triples(self) -> Iterable[_Triple]:
        yield from self.document()
        for actor in self.extraction.actors:
            yield from _actor_triples(actor)
        for act in self.extraction.legal_acts:
            yield from _act_triples(act)
        for event in self.extraction.events:
            yield from self.event(event)
        keys = [key for event in self.extraction.events for key in self.timeline_keys(event)]
        yield from markers(NamedNode(self.doc), keys)

    def timeline_keys(self, event: Event) -> list[str]:
        """The event's ``lt:timelineKey`` values (``kg.timeline_index``): none when it is undated."""
        if event.date is None:
            return []
        actors = [actor_iri(self.actor(name).name) for name in (*event.agents, *event.addressees)]
        return event_keys(self.events[event.id], event.type, event.date.iso(), actors)

    def merge_index(self, node: NamedNode, event: Event) -> Iterable[_Triple]:
        """Where ``kg.reconcile`` finds the body event's other reports: the buckets a keyed report stands
        in (``lt:mergeKey``), or those a keyless one looks in (``lt:mergeSeek``)."""
        key = self.keys[event.id]
        if event.section != "body" or (key is not None and node.value != shared_event_iri(key)):
            return
        agents = [actor_iri(self.actor(name).name) for name in event.agents]
        addressees = [actor_iri(self.actor(name).name) for name in event.addressees]
        acts = [legal_act_iri(self.act(label)) for label in event.legal_acts]
        buckets, predicate = (fuller_buckets, "mergeKey") if key else (vaguer_buckets, "mergeSeek")
        for bucket in sorted(buckets(event.type, agents, addressees, acts, event.outcome, event.date)):
            yield node, LT(predicate), Literal(bucket)

    def document(self) -> Iterable[_Triple]:
        article, doc = self.article, NamedNode(self.doc)
        yield doc, RDF("type"), LT("Article")
        yield doc, DCTERMS("title"), Literal(article.title, language="fr")
        yield doc, DCTERMS("issued"), _datetime(article.published)
        yield doc, LT("contentHash"), Literal(
            "sha256:" + hashlib.sha256(article.text.encode("utf-8")).hexdigest())
        source = _published_url(article.source)
        if source is not None:
            yield doc, DCTERMS("source"), source
        for section in article.sections:
            if section.kind == "comment":
                comment = NamedNode(f"{self.doc}/comment/{section.start}")
                yield comment, RDF("type"), LT("ReaderComment")
                yield comment, DCTERMS("isPartOf"), doc
                if section.published is not None:
                    yield comment, DCTERMS("issued"), _datetime(section.published)
        yield from self.provenance()

    def provenance(self) -> Iterable[_Triple]:
        version = self.extraction.extractor_version or kg.__version__
        software = NamedNode(f"{ID.iri}software/kg/{quote(version, safe='')}")
        activity, context = NamedNode(self.activity), NamedNode(self.context)
        yield software, RDF("type"), PROV("SoftwareAgent")
        yield software, RDFS("label"), Literal(f"kg {version}")
        yield activity, RDF("type"), LT("Extraction")
        yield activity, PROV("used"), NamedNode(self.doc)
        yield activity, PROV("wasAssociatedWith"), software
        yield context, RDF("type"), NIF("Context")
        yield context, NIF("beginIndex"), Literal(0)
        yield context, NIF("endIndex"), Literal(len(self.article.text))
        yield context, PROV("wasDerivedFrom"), NamedNode(self.doc)

    def event(self, event: Event) -> Iterable[_Triple]:
        node = NamedNode(self.events[event.id])
        yield node, RDF("type"), LT(event.type)
        yield node, RDF("type"), LT("LegalEvent")
        yield node, RDFS("label"), Literal(event.label, language="fr")
        yield node, LT("section"), LT("CommentSection" if event.section == "comment" else "BodySection")
        yield node, LT("expected"), Literal(event.expected)
        yield node, PROV("wasDerivedFrom"), NamedNode(self.doc)
        yield node, PROV("wasGeneratedBy"), NamedNode(self.activity)
        yield from _dates(node, event)
        for timeline_key in self.timeline_keys(event):
            yield node, LT("timelineKey"), Literal(timeline_key)
        yield from self.merge_index(node, event)
        yield from self.participants(node, event)
        for related in event.related:
            if related.event not in self.events:
                raise ValueError(f"article {self.article.id!r}: event {event.id!r} relates to "
                                 f"unknown event {related.event!r}")
            yield node, LT(_RELATIONS[related.relation]), NamedNode(self.events[related.event])
        for flag in event.flags:
            yield node, LT("flag"), flag_concept(flag)
        key = self.keys[event.id]
        if event.section == "comment" and key is not None:
            yield node, LT("sameEventAs"), NamedNode(shared_event_iri(key))
        yield from self.evidence(node, event)

    def participants(self, node: NamedNode, event: Event) -> Iterable[_Triple]:
        for prop, names in (("agent", event.agents), ("addressee", event.addressees)):
            for name in names:
                actor = self.actor(name)
                if fold(name) not in self.actors:  # named by the event but not described: kind unknown
                    yield from _actor_triples(actor)
                yield node, LT(prop), NamedNode(actor_iri(actor.name))
        for label in event.legal_acts:
            act = self.act(label)
            if fold(label) not in self.acts:
                yield from _act_triples(act)
            yield node, LT("concernsLegalAct"), NamedNode(legal_act_iri(act))
        if event.outcome is not None:
            yield node, LT("outcome"), LT(_OUTCOMES[event.outcome])

    def evidence(self, node: NamedNode, event: Event) -> Iterable[_Triple]:
        if event.section == "comment" and event.evidence:
            section = self.article.section_at(event.evidence[0].start)
            if section.kind == "comment":
                yield node, LT("comment"), NamedNode(f"{self.doc}/comment/{section.start}")
        for span in event.evidence:
            span_node = NamedNode(span_iri(self.article.id, span.start, span.end))
            yield node, LT("evidence"), span_node
            yield span_node, RDF("type"), NIF("OffsetBasedString")
            yield span_node, NIF("beginIndex"), Literal(span.start)
            yield span_node, NIF("endIndex"), Literal(span.end)
            yield span_node, NIF("anchorOf"), Literal(span.text)
            yield span_node, NIF("referenceContext"), NamedNode(self.context)


def _dates(node: NamedNode, event: Event) -> Iterable[_Triple]:
    if event.date is not None:
        yield from _dated(node, event.date)
        if event.date.month is not None:
            bucket = f"{event.date.year:04d}-{event.date.month:02d}"
            yield node, LT("monthBucket"), Literal(bucket, datatype=XSD("gYearMonth"))
    if event.date_text:
        yield node, LT("dateText"), Literal(event.date_text)
    if event.deadline is not None:
        yield node, LT("deadline"), time_literal(event.deadline)


def _dated(node: NamedNode, value: TimeValue) -> Iterable[_Triple]:
    yield node, LT("date"), time_literal(value)
    yield node, LT("datePrecision"), LT(_PRECISIONS[value.precision][0])


def _actor_triples(actor: Actor) -> Iterable[_Triple]:
    node = NamedNode(actor_iri(actor.name))
    yield node, RDF("type"), LT("OtherActor" if actor.kind == "Other" else actor.kind)
    yield node, RDF("type"), LT("Actor")
    yield node, FOAF("name"), Literal(actor.name)
    if actor.short:
        yield node, LT("shortName"), Literal(actor.short)
    for alias in actor.aliases:
        yield node, SKOS("altLabel"), Literal(alias)
    if actor.role:
        yield node, LT("office"), Literal(actor.role)


def _act_triples(act: LegalAct) -> Iterable[_Triple]:
    node = NamedNode(legal_act_iri(act))
    yield node, RDF("type"), LT("OtherLegalAct" if act.kind == "Other" else act.kind)
    yield node, RDF("type"), LT("LegalAct")
    yield node, RDFS("label"), Literal(act.label, language="fr")
    for alias in act.aliases:
        yield node, SKOS("altLabel"), Literal(alias, language="fr")
    for identifier in act.identifiers:
        yield node, ELI("id_local"), Literal(identifier)
        if _NOR.match(identifier) or identifier.startswith(("http://", "https://", "ECLI:")):
            yield node, SCHEMA("legislationIdentifier"), Literal(identifier)
    if act.date is not None:
        yield from _dated(node, act.date)
        if act.date.precision == "day":
            yield node, ELI("date_document"), time_literal(act.date)


def _index_actors(actors: Sequence[Actor]) -> dict[str, Actor]:
    """Folded name, short name and aliases -> actor; a canonical name wins over another's alias."""
    index: dict[str, Actor] = {}
    for actor in actors:
        for key in (actor.short, *actor.aliases):
            if key:
                index.setdefault(fold(key), actor)
    index.update({fold(actor.name): actor for actor in actors})
    return index


def _index_acts(acts: Sequence[LegalAct]) -> dict[str, LegalAct]:
    index: dict[str, LegalAct] = {}
    for act in acts:
        for key in (*act.aliases, *act.identifiers):
            index.setdefault(fold(key), act)
    index.update({fold(act.label): act for act in acts})
    return index


def _event_iris(
    article_id: str, events: Sequence[Event], keys: dict[str, EventKey | None]
) -> dict[str, str]:
    """Event id -> IRI: the shared IRI of its key, else article-scoped (see the module docstring).

    Article-scoped IRIs of two events reading the same span as the same type
    keep apart by the events' ids.
    """
    body_keys = Counter(key for event in events if event.section == "body" and (key := keys[event.id]))
    iris: dict[str, str] = {}
    taken: set[str] = set()
    for event in events:
        key = keys[event.id]
        if event.section == "body" and key is not None and body_keys[key] == 1:
            iris[event.id] = shared_event_iri(key)
            continue
        iri = event_iri(article_id, event.type, event.evidence[0] if event.evidence else None, event.id)
        if iri in taken:
            iri = f"{iri}-{slug(event.id)}"
        taken.add(iri)
        iris[event.id] = iri
    return iris


def _datetime(value: datetime) -> Literal:
    return Literal(value.isoformat(), datatype=XSD("dateTime"))


def _published_url(source: str | None) -> NamedNode | None:
    """An http(s) URL where the article is published; a file path the reader was given is left out.

    A local path says where this machine read the text, not where it was
    published: it would leak server paths through the SPARQL endpoint and make
    the same article's graph differ from one checkout to another.
    """
    if source is None or not source.startswith(("http://", "https://")):
        return None
    try:
        return NamedNode(source)
    except ValueError:
        return None
