"""Refuse SPARQL queries holding a ``SERVICE`` clause before pyoxigraph sees them.

pyoxigraph runs ``SERVICE <iri> { ... }`` by POSTing to that IRI, any host and port,
loopback included, and repeats the answer in its error messages: a public endpoint that
ran such queries would let any caller probe and read internal services.  pyoxigraph offers
no switch to turn federation off, so the query is parsed here (rdflib's SPARQL grammar)
and refused when its syntax tree holds a ``ServiceGraphPattern``.

Parsing costs about 13 ms, so it only happens when the keyword can be there at all: with
``\\u`` escapes expanded (SPARQL allows them anywhere), a query in which the letters
``service`` appear nowhere cannot hold the keyword.  That pre-check only lets queries skip
the parse; it never accepts one the parse would refuse.
"""

from __future__ import annotations

import re
from typing import Any

from pyparsing import ParseException, ParseResults

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_KEYWORD = re.compile("service", re.IGNORECASE)


class ServiceRefused(ValueError):
    """The query uses (or may use) federation, which this endpoint does not run."""


def refuse_service(sparql: str) -> None:
    """Raise ServiceRefused if ``sparql`` holds a SERVICE clause (or cannot be checked)."""
    if not _KEYWORD.search(_expand_escapes(sparql)):
        return
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(sparql)
    except ParseException as error:
        raise ServiceRefused(
            "query refused: it mentions SERVICE and could not be checked "
            f"(line {error.lineno}, column {error.column}: {error.msg})"
        ) from None
    except ValueError as error:
        raise ServiceRefused(
            f"query refused: it mentions SERVICE and could not be checked ({error})"
        ) from None
    if _has_service(tree):
        raise ServiceRefused("SERVICE clauses are not allowed: this endpoint does not query remote endpoints")


def _expand_escapes(sparql: str) -> str:
    def expand(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else ""

    return _ESCAPE.sub(expand, sparql)


def _has_service(node: Any) -> bool:
    """Walk rdflib's parse tree (CompValue dicts inside ParseResults lists) for a SERVICE pattern."""
    if isinstance(node, str):  # terms (URIRef, Literal, Variable) are str subclasses
        return False
    if getattr(node, "name", None) == "ServiceGraphPattern":
        return True
    if isinstance(node, dict):
        return any(_has_service(value) for value in node.values())
    if isinstance(node, list | tuple | ParseResults):
        return any(_has_service(child) for child in node)
    return False
