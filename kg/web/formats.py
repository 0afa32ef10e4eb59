"""The serialisations the HTTP doors offer, and how a request picks one.

Kept apart from the endpoints (and free of Starlette) because the SPARQL query workers,
separate processes, pick the format of a result once they know its kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from kg.web.negotiation import choose


class FormatRefused(ValueError):
    """No offered format suits the request (an HTTP 406); the message lists what is offered."""


@dataclass(frozen=True)
class ResultFormat:
    """One serialisation offered: what to call it, what to send, who writes it."""

    name: str
    media_type: str
    serializer: ox.QueryResultsFormat | ox.RdfFormat
    aliases: tuple[str, ...] = ()  # other media types and ``format=`` values that mean this one
    charset: bool = False

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type

    def names(self) -> tuple[str, ...]:
        return (self.name, self.media_type, *self.aliases)


# In order of preference: the first is the default, and wins ties in the Accept header.
SOLUTION_FORMATS = (
    ResultFormat("json", "application/sparql-results+json", ox.QueryResultsFormat.JSON,
                 ("application/json", "srj")),
    ResultFormat("xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML,
                 ("application/xml", "srx")),
    ResultFormat("csv", "text/csv", ox.QueryResultsFormat.CSV, charset=True),
    ResultFormat("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV, charset=True),
)
GRAPH_FORMATS = (
    ResultFormat("turtle", "text/turtle", ox.RdfFormat.TURTLE,
                 ("application/x-turtle", "application/turtle", "ttl", "n3"), charset=True),
    ResultFormat("ntriples", "application/n-triples", ox.RdfFormat.N_TRIPLES, ("nt", "n-triples")),
    ResultFormat("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD,
                 ("json-ld", "json", "application/json")),
    ResultFormat("rdfxml", "application/rdf+xml", ox.RdfFormat.RDF_XML,
                 ("rdf+xml", "xml", "application/xml")),
)
DATASET_FORMATS = (
    ResultFormat("trig", "application/trig", ox.RdfFormat.TRIG, ("application/x-trig",), charset=True),
    ResultFormat("nquads", "application/n-quads", ox.RdfFormat.N_QUADS, ("nq", "n-quads")),
    ResultFormat("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD,
                 ("json-ld", "json", "application/json")),
)


def pick(
    offered: Sequence[ResultFormat], formats: Sequence[str], accept: str | None, kind: str
) -> ResultFormat:
    """A ``format=`` value if given (the first one that names an offered format), else the Accept header.

    Raises FormatRefused naming ``kind`` (what is being sent) and the offered media types.
    """
    available = ", ".join(f.media_type for f in offered)
    if formats:
        for value in (value.strip().lower() for value in formats):
            for candidate in offered:
                if value in candidate.names():
                    return candidate
        raise FormatRefused(f"format={formats[0]!r} cannot carry {kind}; use one of {available}")
    by_media_type = {media: f for f in offered for media in (f.media_type, *f.aliases) if "/" in media}
    media = choose(accept, list(by_media_type))
    if media is None:
        raise FormatRefused(f"no acceptable media type for {kind} (Accept: {accept}); offered: {available}")
    return by_media_type[media]


def query_result_format(graph: bool, formats: Sequence[str], accept: str | None) -> ResultFormat:
    """The format of a query result: RDF for CONSTRUCT/DESCRIBE, SPARQL results for SELECT/ASK.

    Remembered per (kind, ``format=``, Accept): a client sends the same Accept with every
    query, and parsing it again would be a measurable part of a small query's cost.
    """
    return _query_result_format(graph, tuple(formats), accept)


@lru_cache(maxsize=256)
def _query_result_format(graph: bool, formats: tuple[str, ...], accept: str | None) -> ResultFormat:
    if graph:
        return pick(GRAPH_FORMATS, formats, accept, "a CONSTRUCT/DESCRIBE result")
    return pick(SOLUTION_FORMATS, formats, accept, "a SELECT/ASK result")
