"""The SPARQL 1.1 Service Description that ``/sparql`` answers to a GET without a query.

Clients (YASGUI, federating stores) read it to learn the result formats, that the default
graph is the union of the graphs, and whether federation is possible.  It is built from the
same tables the endpoint negotiates with, so it cannot promise a format the endpoint lacks.
Every node has an IRI (fragments of the endpoint's URL): rdflib's SPARQLStore and other
clients mishandle blank nodes.
"""

from __future__ import annotations

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from kg.config import Settings
from kg.namespaces import DCTERMS, RDF
from kg.web.formats import GRAPH_FORMATS, SOLUTION_FORMATS, FormatRefused, pick
from kg.web.responses import HTTPProblem

SD = "http://www.w3.org/ns/sparql-service-description#"
_W3C_FORMATS = "http://www.w3.org/ns/formats/"
_FORMAT_NAMES = {  # our format name -> its IRI in the W3C's formats namespace
    "json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples", "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
}
_DESCRIPTION = (
    "SPARQL endpoint of the legal-timeline knowledge graph: one named graph per article, plus the "
    "ontology graph. The default graph is the union of all graphs unless default-graph-uri names some."
)


def service_description(request: Request, settings: Settings) -> Response:
    """The description of the endpoint at ``request``'s URL, in Turtle unless Accept asks for other RDF."""
    try:
        chosen = pick(GRAPH_FORMATS, [], request.headers.get("accept"), "the service description")
    except FormatRefused as refused:
        raise HTTPProblem(406, str(refused)) from None
    assert isinstance(chosen.serializer, ox.RdfFormat)
    endpoint = str(request.url.replace(query="", fragment=""))
    body = ox.serialize(description_triples(endpoint, settings), format=chosen.serializer,
                        prefixes={"sd": SD, "formats": _W3C_FORMATS, "dcterms": DCTERMS.iri})
    return Response(body, media_type=chosen.content_type, headers={"Vary": "Accept"})


def description_triples(endpoint: str, settings: Settings) -> list[ox.Triple]:
    """The service, its features and result formats, and its default dataset."""
    service, dataset, default = (ox.NamedNode(endpoint + end) for end in ("", "#dataset", "#default-graph"))

    def sd(local: str) -> ox.NamedNode:
        return ox.NamedNode(SD + local)

    features = [sd("UnionDefaultGraph"), *([sd("BasicFederatedQuery")] if settings.service_allow else [])]
    return [
        ox.Triple(service, RDF("type"), sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, DCTERMS("description"), ox.Literal(_DESCRIPTION, language="en")),
        *(ox.Triple(service, sd("feature"), feature) for feature in features),
        *(ox.Triple(service, sd("resultFormat"), ox.NamedNode(_W3C_FORMATS + _FORMAT_NAMES[f.name]))
          for f in (*SOLUTION_FORMATS, *GRAPH_FORMATS)),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF("type"), sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, RDF("type"), sd("Graph")),
    ]
