"""The vocabularies the graph speaks, in one place.

The RDF mapping, the store, the exports and the named queries must agree on
every namespace IRI and prefix: a typo in one of them silently splits the
graph in two.  So they are all spelled here, once.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode


@dataclass(frozen=True)
class Namespace:
    """An IRI prefix that builds terms: ``LT("Ruling")`` is the NamedNode, ``LT.iri`` the string."""

    iri: str

    def __call__(self, local: str) -> NamedNode:
        return NamedNode(self.iri + local)

    def iri_of(self, local: str) -> str:
        """The full IRI of ``local`` as a string (for SPARQL text and rdflib)."""
        return self.iri + local


LT = Namespace("https://w3id.org/legal-timeline/ontology#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
PROV = Namespace("http://www.w3.org/ns/prov#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SCHEMA = Namespace("https://schema.org/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
TIME = Namespace("http://www.w3.org/2006/time#")

#: Where the instance data lives: ``ID.iri + "event/..."``, ``"actor/..."``, ``"act/..."``, ``"doc/..."``.
ID = Namespace("https://w3id.org/legal-timeline/id/")

#: The ontology's own IRI, also the name of the store graph that holds it.
ONTOLOGY_GRAPH = "https://w3id.org/legal-timeline/ontology"

PREFIXES: dict[str, str] = {
    "lt": LT.iri,
    "sem": SEM.iri,
    "prov": PROV.iri,
    "nif": NIF.iri,
    "eli": ELI.iri,
    "foaf": FOAF.iri,
    "org": ORG.iri,
    "skos": SKOS.iri,
    "dcterms": DCTERMS.iri,
    "schema": SCHEMA.iri,
    "xsd": XSD.iri,
    "rdf": RDF.iri,
    "rdfs": RDFS.iri,
    "owl": OWL.iri,
    "time": TIME.iri,
}


def sparql_prefixes() -> str:
    """``PREFIX`` lines for every namespace, to put in front of hand-written SPARQL."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
