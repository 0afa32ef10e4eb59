"""Merge, after each write, the reports that identity keys alone cannot tie to one real thing.

``kg.identity`` gives one IRI to what two articles describe alike.  Some reports
of one real event cannot compute the same key from their own text:

- a report that lacks an argument: one article names the act an appeal
  targets, another does not; one knows the day of a ruling, another only its
  year (too little for a key of its own);
- a legal act whose kind the press confuses: the same text of one day called a
  ``décret`` by one outlet and an ``arrêté`` by another.

Deciding those needs the other articles, so the store does it after a write (or
a deletion), for the reports whose decision the change may alter.

Acts.  Two acts of kinds in ``_CONFUSED_KINDS`` and of the same day are one act
when they are the only two such acts of that day in the store, no article
names both (an article that tells them apart is evidence they differ), at most
one carries an official identifier, and the articles reporting them share an
actor (same story).  The act with the identifier, else the smaller IRI, is
canonical; the other article's act node takes its IRI and its kind, keeping
its own label, and its keyed events take the key the canonical act gives them.

Events.  A *keyless* body report N joins a *keyed* report M when M is the only
keyed report, across the store, that has every fact N gives (the same
agents, the same addressees, the same acts, the same outcome: each one N
states) with a date that contains N's or lies within it, and N's article does
not report M itself.  N must give two facts besides its date, and, undated,
acts or both agents and addressees.  Why this rule:

- the date is what a vague report is vague about: ``a ruling of the Conseil
  d'État in October 2020`` names one actor and a period, which in a large
  store means many rulings; such reports were most of the keyless ones and
  the whole cost of the first design, which counted the date as a fact.
  ``A rejection by the Conseil d'État in 2020`` and ``an appeal by X to the
  Conseil d'État`` say two things: the real cases (an association's appeal told
  without its target act, a ruling known to the year) stay merged;
- an outcome is a fact like the others: N's must be M's (a fuller report
  silent on it is not known to be the same ruling);
- two candidates never merge (ambiguity is never resolved by guessing), so a
  decision reads at most two distinct candidates, however crowded the bucket;
- keyed reports never merge with each other (their keys differ: so do the
  events, or the articles disagree on a participant), except through the acts
  above; keyless ones never either: no chain to follow, a decision reads N's
  few buckets and nothing else;
- two keyless reports of one article with one target both stay apart, and a
  target the article reports itself is a different event in its eyes: two
  events of one article never end up with one IRI.

Each rewritten node keeps its own statements in its own article's graph, plus
``<own IRI> owl:sameAs <canonical IRI>`` there, so a later change can undo the
merge (the fuller report deleted, a second candidate arriving).  Dates are
never merged: two sources with different dates for one event both stay, and
the named queries flag them.

The result is a function of the set of stored documents, not of the order they
came in: every report whose candidates may have changed is decided again from
the store as it is.  A batch of the corpus writer is reconciled before its
journal is cleared; one cut short is dropped on recovery, and what it changed
elsewhere decided again.

Index.  The mapper writes, in the article's graph, short hashes
(``kg.identity``): a keyed report stands, as ``lt:mergeKey``, in one bucket per
set of its facts a keyless report may give, at its date and in each coarser
period; a keyless report that may merge names, as ``lt:mergeSeek``, the few
buckets it looks in.  Two reports that may merge share a bucket, whichever came
last, and a keyed report of one actor and no outcome (most of them) stands in
none.

Cost.  A write touches the buckets its keyed reports stand in that some keyless
report seeks (one join inside the store).  A touched bucket holding two keyed
reports of other articles is *crowded*: its seekers were ambiguous before and
stay so, and are not read (one bounded read per bucket).  The seekers of the
other touched buckets, and the keyless reports of the written articles, are
decided with one read of at most two candidates each.  Nothing of a write is
read back into Python but those few reports: every query is bounded by the
batch, not by the store.  Measured with ``bench/bench_merge.py`` on a 2-core
machine shared with other jobs (fastest of two runs, 1,000 articles written):
inside ``kg.reconcile``, 0.17-0.30 ms an article into an empty store (8-11% of
the writer's other time) and 0.38-0.57 ms into one of 4,000 articles (13-17%);
the index is 3.6% of the triples.  The first design, which read every written
event back and decided every keyless one-actor report, cost 7.6 ms an article
(170%) and 24.7 ms (290%), with an index of 18% of the triples.  What still
grows with the store is the price of an index seek (the writer's own time
grows alike, and more so on a store left uncompacted by bulk loads), and the
share of a batch's buckets that some report seeks, at most all of them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from pyoxigraph import NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples

from kg.identity import event_key, slug
from kg.models import LEGAL_ACT_KINDS, Event, EventType, TimeValue
from kg.namespaces import ID, LT, OWL, RDF, XSD
from kg.rdf import shared_event_iri
from kg.solutions import bound_rows

Select = Callable[[str], QuerySolutions | QueryTriples | QueryBoolean]
Update = Callable[[str], object]

_CONFUSED_KINDS = ("Decree", "Order")  # décret / arrêté: the kinds news outlets swap for one text
_SAME_AS = OWL.iri_of("sameAs")
_MERGE_KEY = LT.iri_of("mergeKey")
_MERGE_SEEK = LT.iri_of("mergeSeek")
_LEGAL_EVENT = LT.iri_of("LegalEvent")
_DATED_ACT = re.compile(r"^(?P<kind>[a-z]+)-\d{4}-\d{2}-\d{2}$")
_KINDS = ", ".join(f"<{LT.iri_of(kind)}>" for kind in _CONFUSED_KINDS)
_DATE_DOCUMENT = "http://data.europa.eu/eli/ontology#date_document"  # an act's day (never an event's)
_TEMPORARY = "urn:kg:reconcile:renaming:"  # a node's IRI between two renamings, inside one update
_CHUNK = 500  # reports or buckets per query: a few hundred subqueries parse and plan in milliseconds


@dataclass(frozen=True)
class Anchors:
    """What a change to some documents may alter elsewhere: the sought buckets their keyed reports stand
    in (with the document standing there), and the days of their confusable acts."""

    keys: frozenset[tuple[str, str]] = frozenset()  # (bucket, document)
    days: frozenset[str] = frozenset()

    def __or__(self, other: Anchors) -> Anchors:
        return Anchors(self.keys | other.keys, self.days | other.days)


def anchors(select: Select, documents: Sequence[str]) -> Anchors:
    """The anchors of ``documents`` as stored now: call before replacing or deleting them."""
    values = _values(documents)
    if not values:
        return Anchors()
    keys = _rows(select, f"""SELECT DISTINCT ?k ?g WHERE {{ VALUES ?g {{ {values} }}
      GRAPH ?g {{ ?m <{_MERGE_KEY}> ?k }} GRAPH ?h {{ ?n <{_MERGE_SEEK}> ?k }} }}""")
    days = _rows(select, f"""SELECT DISTINCT ?day WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{
      ?act <{_DATE_DOCUMENT}> ?day ; a ?kind FILTER (?kind IN ({_KINDS})) }} }}""")
    return Anchors(frozenset((row["k"], row["g"]) for row in keys), frozenset(row["day"] for row in days))


def reconcile(
    select: Select, update: Update, documents: Sequence[str], before: Anchors | None = None
) -> None:
    """Reconcile the store after ``documents`` were written (or deleted): acts first, then events.

    ``before`` holds the anchors of what the writes replaced or deleted
    (``anchors`` called before them): merges that relied on it are undone.
    """
    reach = anchors(select, documents) | (before or Anchors())
    renamed = _reconcile_acts(select, update, reach.days)
    touched = {key for key, _ in reach.keys}
    quiet = _crowded(select, {(key, graph) for key, graph in reach.keys if key not in renamed})
    seekers = _seeking(select, (touched | renamed) - quiet) | set(documents)
    changes = _decide(select, seekers)
    if changes:
        update(_rewrite(changes, {}))


def _rows(select: Select, sparql: str) -> list[dict[str, str]]:
    """The rows of a SELECT, each bound variable as its IRI or lexical value."""
    result = select(sparql)
    assert isinstance(result, QuerySolutions)
    return bound_rows(result)


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in sorted(set(iris)))


def _literals(keys: Iterable[str]) -> str:
    return " ".join(f'"{key}"' for key in sorted(set(keys)))


def _chunks(items: Iterable[str]) -> list[list[str]]:
    ordered = sorted(set(items))
    return [ordered[start:start + _CHUNK] for start in range(0, len(ordered), _CHUNK)]


# -- events ----------------------------------------------------------------------------------------


def _crowded(select: Select, changed: Iterable[tuple[str, str]]) -> set[str]:
    """The buckets that hold, besides the changed documents' reports, two keyed reports: their seekers
    were ambiguous before the change and stay so."""
    outside: dict[str, set[str]] = defaultdict(set)
    for key, graph in changed:
        outside[key].add(graph)
    crowded: set[str] = set()
    for chunk in _chunks(outside):
        branches = " UNION ".join(
            f'{{ {{ SELECT DISTINCT ?m WHERE {{ GRAPH ?h {{ ?m <{_MERGE_KEY}> "{key}" }} '
            f'FILTER (?h NOT IN ({", ".join(f"<{graph}>" for graph in sorted(outside[key]))})) }} '
            f'LIMIT 2 }} BIND ("{key}" AS ?k) }}' for key in chunk)
        found = Counter(row["k"] for row in _rows(select, f"SELECT ?k ?m WHERE {{ {branches} }}"))
        crowded |= {key for key, count in found.items() if count > 1}
    return crowded


def _seeking(select: Select, keys: Iterable[str]) -> set[str]:
    """The graphs holding a keyless report that looks in one of the buckets ``keys``."""
    graphs: set[str] = set()
    for chunk in _chunks(keys):
        rows = _rows(select, f"SELECT DISTINCT ?g WHERE {{ VALUES ?k {{ {_literals(chunk)} }} "
                             f"GRAPH ?g {{ ?n <{_MERGE_SEEK}> ?k }} }}")
        graphs |= {row["g"] for row in rows}
    return graphs


@dataclass
class _Vague:
    """A keyless report: where it is, its own IRI, the buckets it looks in, the keyed reports found."""

    graph: str
    current: str
    own: str = ""
    keys: set[str] = field(default_factory=set)
    found: list[tuple[str, bool]] = field(default_factory=list)  # (IRI, reported by its own article)


_Place = tuple[str, str]  # (graph, current node IRI)


def _decide(select: Select, graphs: Iterable[str]) -> dict[str, dict[str, tuple[str, str]]]:
    """Graph -> current IRI -> (own IRI, IRI it should have), for the keyless reports of ``graphs``
    whose IRI changes."""
    vague: dict[_Place, _Vague] = {}
    for chunk in _chunks(graphs):
        for row in _rows(select, f"""SELECT ?g ?n ?own ?k WHERE {{ VALUES ?g {{ {_values(chunk)} }}
          GRAPH ?g {{ ?n <{_MERGE_SEEK}> ?k OPTIONAL {{ ?own <{_SAME_AS}> ?n }} }} }}"""):
            report = vague.setdefault((row["g"], row["n"]), _Vague(row["g"], row["n"]))
            report.own = row.get("own", row["n"])
            report.keys.add(row["k"])
    _candidates(select, vague)
    wanted = {place: _target(report) for place, report in vague.items()}
    shared = Counter((graph, iri) for (graph, _), iri in wanted.items() if iri)
    changes: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for (graph, current), iri in wanted.items():
        own = vague[(graph, current)].own
        new = iri if iri and shared[(graph, iri)] == 1 else own  # two of one article, one target: apart
        if new != current:
            changes[graph][current] = (own, new)
    return changes


def _candidates(select: Select, vague: dict[_Place, _Vague]) -> None:
    """Fill each report's ``found``: at most two keyed reports in its buckets, whichever article has them."""
    places = sorted(vague)
    for start in range(0, len(places), _CHUNK):
        branches = " UNION ".join(
            f"{{ {{ SELECT DISTINCT ?m WHERE {{ VALUES ?k {{ {_literals(vague[place].keys)} }} "
            f"GRAPH ?h {{ ?m <{_MERGE_KEY}> ?k }} }} LIMIT 2 }} BIND ({index} AS ?i) "
            f"BIND (<{place[0]}> AS ?g) }}"
            for index, place in enumerate(places[start:start + _CHUNK], start))
        mine = f"?m a <{_LEGAL_EVENT}> FILTER NOT EXISTS {{ ?m <{_MERGE_SEEK}> ?s }}"  # not a merged seeker
        rows = _rows(select, f"SELECT ?i ?m ?mine WHERE {{ {{ {branches} }} "
                             f"BIND (EXISTS {{ GRAPH ?g {{ {mine} }} }} AS ?mine) }}")
        for row in rows:
            vague[places[int(row["i"])]].found.append((row["m"], row["mine"] == "true"))


def _target(report: _Vague) -> str | None:
    """The one keyed report the keyless one joins; None when there is none, or two, or its article's own."""
    if len(report.found) != 1:
        return None
    iri, mine = report.found[0]
    return None if mine else iri


# -- acts ------------------------------------------------------------------------------------------


@dataclass
class _ActRecord:
    graph: str
    current: str
    own: str
    kind: str
    day: str
    identified: bool


def _reconcile_acts(select: Select, update: Update, days: Iterable[str]) -> set[str]:
    """Merge or part the confusable acts of ``days`` and rename the keyed events that concern them;
    the buckets of the renamed events, whose seekers must be decided again."""
    acts = _act_records(select, days)
    canon = _resolve_acts(select, acts)
    moved = {(act.graph, act.current): canon[act.own] for act in acts if canon[act.own] != act.current}
    if not moved:
        return set()
    changes: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    kinds: dict[str, dict[str, str]] = defaultdict(dict)  # graph -> new act IRI -> the kind it gets
    kind_of = {act.own: act.kind for act in acts}
    for act in acts:
        if (act.graph, act.current) in moved:
            changes[act.graph][act.current] = (act.own, canon[act.own])
            kinds[act.graph][canon[act.own]] = kind_of[canon[act.own]]
    events = _keyed_events(select, {(graph, current) for graph, current in moved}, canon)
    for (graph, current), (own, new) in events.items():
        changes[graph][current] = (own, new)
    update(_rewrite(changes, kinds))
    renamed = " ".join(f"(<{graph}> <{new}>)" for (graph, _), (_, new) in sorted(events.items()))
    if not renamed:
        return set()
    rows = _rows(select, f"SELECT DISTINCT ?k WHERE {{ VALUES (?g ?e) {{ {renamed} }} "
                         f"GRAPH ?g {{ ?e <{_MERGE_KEY}> ?k }} }}")
    return {row["k"] for row in rows}


def _act_records(select: Select, days: Iterable[str]) -> list[_ActRecord]:
    """Every stored act of a confusable kind dated one of ``days``, as each article has it."""
    values = " ".join(f'"{day}"^^<{XSD.iri_of("date")}>' for day in sorted(days))
    if not values:
        return []
    rows = _rows(select, f"""SELECT ?g ?act ?kind ?day (COUNT(?id) AS ?ids) WHERE {{
      VALUES ?day {{ {values} }}
      GRAPH ?g {{ ?act <{_DATE_DOCUMENT}> ?day ; a ?kind FILTER (?kind IN ({_KINDS}))
                 OPTIONAL {{ ?act <http://data.europa.eu/eli/ontology#id_local> ?id }} }}
    }} GROUP BY ?g ?act ?kind ?day""")
    owns = _owns(select, (row["g"] for row in rows))
    records = []
    for row in rows:
        own = owns.get((row["g"], row["act"]), row["act"])
        kind = _own_kind(own) or row["kind"].rsplit("#", 1)[1]
        records.append(_ActRecord(row["g"], row["act"], own, kind, row["day"], int(row["ids"]) > 0))
    return records


def _owns(select: Select, graphs: Iterable[str]) -> dict[_Place, str]:
    """(graph, current IRI) -> the IRI the graph's article gave that node itself, for rewritten nodes."""
    values = _values(graphs)
    if not values:
        return {}
    rows = _rows(select, f"SELECT ?g ?own ?now WHERE {{ VALUES ?g {{ {values} }} "
                         f"GRAPH ?g {{ ?own <{_SAME_AS}> ?now }} }}")
    return {(row["g"], row["now"]): row["own"] for row in rows}


def _own_kind(own: str) -> str | None:
    """The kind a date-keyed act IRI (``…/act/order-2020-04-21``) was given by its article."""
    match = _DATED_ACT.match(own.removeprefix(f"{ID.iri}act/"))
    if match is None:
        return None
    return next((kind for kind in LEGAL_ACT_KINDS if slug(kind) == match.group("kind")), None)


def _resolve_acts(select: Select, records: Sequence[_ActRecord]) -> dict[str, str]:
    """Own act IRI -> canonical act IRI, for every act of the days read (itself when not merged)."""
    canon = {record.own: record.own for record in records}
    by_day: dict[str, dict[str, list[_ActRecord]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        by_day[record.day][record.own].append(record)
    for acts in by_day.values():
        if len(acts) != 2:
            continue  # one act, or three and more: nothing to merge, or no telling which
        (one, first), (other, second) = sorted(acts.items())
        kinds = ({r.kind for r in first}, {r.kind for r in second})
        graphs = ({r.graph for r in first}, {r.graph for r in second})
        identified = (any(r.identified for r in first), any(r.identified for r in second))
        if (len(kinds[0] | kinds[1]) != 2 or len(kinds[0]) != 1 or len(kinds[1]) != 1 or graphs[0] & graphs[1]
                or all(identified) or not _share_an_actor(select, graphs[0], graphs[1])):
            continue
        target = other if identified[1] else one
        canon[one] = canon[other] = target
    return canon


def _share_an_actor(select: Select, first: set[str], second: set[str]) -> bool:
    """True when an article of each set names one same actor: the two reports tell one story."""
    result = select(f"""ASK {{ VALUES ?one {{ {_values(first)} }} VALUES ?two {{ {_values(second)} }}
      GRAPH ?one {{ ?actor a <{LT.iri_of('Actor')}> }} GRAPH ?two {{ ?actor a <{LT.iri_of('Actor')}> }} }}""")
    assert isinstance(result, QueryBoolean)
    return bool(result)


_FACTS = ", ".join(f"<{iri}>" for iri in (RDF.iri_of("type"), LT.iri_of("date"), LT.iri_of("agent"),
                                         LT.iri_of("addressee"), LT.iri_of("concernsLegalAct")))


def _keyed_events(select: Select, moved: set[_Place], canon: dict[str, str]) -> dict[_Place, tuple[str, str]]:
    """(graph, current IRI) -> (own IRI, IRI its key gives it with the canonical acts), for the keyed
    reports that concern an act moved in their graph and whose IRI changes."""
    pairs = " ".join(f"(<{graph}> <{act}>)" for graph, act in sorted(moved))
    facts: dict[_Place, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in _rows(select, f"""SELECT ?g ?e ?p ?o WHERE {{ VALUES (?g ?act) {{ {pairs} }}
      GRAPH ?g {{ ?e <{LT.iri_of('concernsLegalAct')}> ?act ; ?p ?o FILTER (?p IN ({_FACTS})) }} }}"""):
        facts[(row["g"], row["e"])][row["p"]].add(row["o"])
    owns = _owns(select, {graph for graph, _ in facts})
    renamed = {}
    for (graph, current), values in facts.items():
        own_acts = sorted(owns.get((graph, act), act) for act in values[LT.iri_of("concernsLegalAct")])
        own = owns.get((graph, current), current)
        if _key_iri(values, own_acts) != own:
            continue  # keyless: its article gave it an IRI of its own
        new = _key_iri(values, [canon.get(act, act) for act in own_acts])
        if new is not None and new != current:
            renamed[(graph, current)] = (own, new)
    return renamed


def _key_iri(values: dict[str, set[str]], acts: Sequence[str]) -> str | None:
    """The shared IRI the event's key gives it with these acts; None when it has no key."""
    event_type = next(v.rsplit("#", 1)[1] for v in values[RDF.iri_of("type")] if not v.endswith("LegalEvent"))
    dates = values[LT.iri_of("date")]
    date = TimeValue.parse(min(dates)) if dates else None
    event = Event("", _event_type(event_type), "", "body", (), date=date)
    key = event_key(event, sorted(values[LT.iri_of("agent")]), sorted(values[LT.iri_of("addressee")]), acts)
    return shared_event_iri(key) if key is not None else None


def _event_type(name: str) -> EventType:
    return name  # type: ignore[return-value]  # read from lt:<Type>, one of the model's event types


# -- writing ---------------------------------------------------------------------------------------


def _rewrite(changes: dict[str, dict[str, tuple[str, str]]], kinds: dict[str, dict[str, str]]) -> str:
    """One update: in each graph, rename the changed nodes (current -> (own, new))."""
    return " ;\n".join(_graph_update(graph, changed, kinds.get(graph, {}))
                       for graph, changed in sorted(changes.items()))


def _graph_update(graph: str, changed: dict[str, tuple[str, str]], kinds: dict[str, str]) -> str:
    """Rename the changed nodes inside the graph, where they are subjects and objects, set a merged act's
    kind, and keep ``<own> owl:sameAs <new>`` records: the store does it, nothing of the graph is read.

    The renaming goes through temporary IRIs, so two nodes of one graph may trade IRIs.
    """
    g = f"<{graph}>"
    steps = [[(current, f"{_TEMPORARY}{index}") for index, current in enumerate(sorted(changed))],
             [(f"{_TEMPORARY}{index}", changed[current][1]) for index, current in enumerate(sorted(changed))]]
    updates = []
    for pairs in steps:
        values = " ".join(f"(<{old}> <{new}>)" for old, new in pairs)
        updates += [f"DELETE {{ GRAPH {g} {{ ?x ?p ?o }} }} INSERT {{ GRAPH {g} {{ ?y ?p ?o }} }} "
                    f"WHERE {{ VALUES (?x ?y) {{ {values} }} GRAPH {g} {{ ?x ?p ?o }} }}",
                    f"DELETE {{ GRAPH {g} {{ ?s ?p ?x }} }} INSERT {{ GRAPH {g} {{ ?s ?p ?y }} }} "
                    f"WHERE {{ VALUES (?x ?y) {{ {values} }} GRAPH {g} {{ ?s ?p ?x }} }}"]
    undone = " ".join(f"<{own}>" for own, new in changed.values() if own == new)
    if undone:
        updates.append(f"DELETE {{ GRAPH {g} {{ ?x <{_SAME_AS}> ?x }} }} "
                       f"WHERE {{ VALUES ?x {{ {undone} }} GRAPH {g} {{ ?x <{_SAME_AS}> ?x }} }}")
    records = " ".join(f"<{own}> <{_SAME_AS}> <{new}> ." for own, new in changed.values() if own != new)
    if records:
        updates.append(f"INSERT DATA {{ GRAPH {g} {{ {records} }} }}")
    acts = " ".join(f"(<{new}> <{LT.iri_of(kinds[new])}>)" for _, new in changed.values() if new in kinds)
    if acts:
        updates.append(f"DELETE {{ GRAPH {g} {{ ?act a ?old }} }} INSERT {{ GRAPH {g} {{ ?act a ?kind }} }} "
                       f"WHERE {{ VALUES (?act ?kind) {{ {acts} }} GRAPH {g} {{ ?act a ?old "
                       f"FILTER (?old IN ({_KINDS})) }} }}")
    return " ;\n".join(updates)


def own_graph(quads: Iterable[Quad]) -> list[Quad]:
    """An article's graph as its own mapping wrote it, before any merge: the quads ``lt:graphHash`` covers.

    Undoes ``_graph_update``: each ``<own> owl:sameAs <canonical>`` record renames the
    node back, a merged act takes back the kind its own IRI names.
    """
    quads = list(quads)
    own = {q.object.value: q.subject.value for q in quads if q.predicate.value == _SAME_AS
           and isinstance(q.subject, NamedNode) and isinstance(q.object, NamedNode)}
    confusable = {LT.iri_of(kind) for kind in _CONFUSED_KINDS}
    result = []
    for quad in quads:
        if quad.predicate.value == _SAME_AS:
            continue
        subject, value = quad.subject, quad.object
        if isinstance(subject, NamedNode):
            subject = NamedNode(own.get(subject.value, subject.value))
        if isinstance(value, NamedNode):
            kind = _own_kind(subject.value) if isinstance(subject, NamedNode) else None
            if quad.predicate.value == RDF.iri_of("type") and value.value in confusable and kind:
                value = NamedNode(LT.iri_of(kind))
            else:
                value = NamedNode(own.get(value.value, value.value))
        result.append(Quad(subject, quad.predicate, value, quad.graph_name))
    return result
