"""Refuse SPARQL that would make the server fetch from the network, before pyoxigraph sees it.

pyoxigraph runs ``SERVICE <iri> { ... }`` by POSTing to that IRI, any host and port,
loopback included, and repeats the answer in its error messages; an update's
``LOAD <iri>`` fetches the IRI the same way.  A public endpoint that ran them would let any
caller probe and read internal services.  pyoxigraph offers no switch to turn either off,
so the request is parsed here (rdflib's SPARQL grammar) and refused when its syntax tree
holds a ``ServiceGraphPattern`` whose endpoint is not allow-listed (``KG_SERVICE_ALLOW``),
or, in an update, a ``Load``.

Parsing costs about 13 ms, so it only happens when the keyword can be there at all: with
``\\u`` escapes expanded (SPARQL allows them anywhere), a request in which the letters
``service`` (and ``load``) appear nowhere cannot hold the keyword.  ``needs_check`` is that
pre-check; it only lets requests skip the parse, it never accepts one the parse would refuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pyparsing import ParseException, ParseResults

from kg.namespaces import PREFIXES

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE = re.compile("service", re.IGNORECASE)
_SERVICE_OR_LOAD = re.compile("service|load", re.IGNORECASE)


class ServiceRefused(ValueError):
    """The request uses (or may use) federation or LOAD, which this endpoint does not run."""


def needs_check(sparql: str, *, update: bool = False) -> bool:
    """False when ``sparql`` cannot hold SERVICE (nor, for an update, LOAD): no parse needed."""
    keyword = _SERVICE_OR_LOAD if update else _SERVICE
    return keyword.search(_expand_escapes(sparql)) is not None


def refuse_service(sparql: str, allowed: frozenset[str] = frozenset()) -> None:
    """Raise ServiceRefused if ``sparql`` calls an endpoint outside ``allowed``, or cannot be checked."""
    if not needs_check(sparql):
        return
    from rdflib.plugins.sparql.parser import parseQuery

    _check(_parsed(parseQuery, sparql, "query"), allowed)


def refuse_unsafe_update(sparql: str, allowed: frozenset[str] = frozenset()) -> None:
    """Raise ServiceRefused if the update ``sparql`` holds a LOAD or a SERVICE call not in ``allowed``."""
    if not needs_check(sparql, update=True):
        return
    from rdflib.plugins.sparql.parser import parseUpdate

    tree = _parsed(parseUpdate, sparql, "update")
    if any(_name(node) == "Load" for node in _nodes(tree)):
        raise ServiceRefused("LOAD is not allowed: this server does not fetch remote documents; "
                             "send the data with INSERT DATA or PUT/POST it to /store")
    _check(tree, allowed)


def _parsed(parse: Any, sparql: str, kind: str) -> Any:
    try:
        return parse(sparql)
    except ParseException as error:
        raise ServiceRefused(
            f"{kind} refused: it mentions SERVICE or LOAD and could not be checked "
            f"(line {error.lineno}, column {error.column}: {error.msg})"
        ) from None
    except ValueError as error:
        raise ServiceRefused(
            f"{kind} refused: it mentions SERVICE or LOAD and could not be checked ({error})"
        ) from None


def _check(tree: Any, allowed: frozenset[str]) -> None:
    prefixes = _prefixes(tree)
    for node in _nodes(tree):
        if _name(node) != "ServiceGraphPattern":
            continue
        endpoint = _endpoint(node["term"], prefixes)
        if not allowed:
            raise ServiceRefused(
                "SERVICE clauses are not allowed: this endpoint does not query remote endpoints")
        if endpoint not in allowed:
            shown = f"<{endpoint}>" if endpoint else "with a variable or unresolvable endpoint"
            raise ServiceRefused(f"SERVICE {shown} is not allowed: this endpoint only calls "
                                 f"{', '.join(f'<{iri}>' for iri in sorted(allowed))} (KG_SERVICE_ALLOW)")


def _prefixes(tree: Any) -> dict[str, str | None]:
    """The prefixes a pname may use: ours, then the request's; one declared twice differently is unusable."""
    declared: dict[str, str | None] = {}
    for node in _nodes(tree):
        if _name(node) == "PrefixDecl":
            prefix, iri = node.get("prefix") or "", str(node["iri"])
            declared[prefix] = iri if declared.get(prefix, iri) == iri else None
    return {**PREFIXES, **declared}


def _endpoint(term: Any, prefixes: dict[str, str | None]) -> str | None:
    """The endpoint IRI of a SERVICE clause, or None for a variable or a pname that cannot be resolved."""
    if _name(term) == "pname":
        namespace = prefixes.get(term.get("prefix") or "")
        return None if namespace is None else namespace + (term.get("localname") or "")
    from rdflib.term import URIRef

    return str(term) if isinstance(term, URIRef) else None


def _nodes(node: Any) -> Iterator[Any]:
    """Every node of rdflib's parse tree (CompValue dicts inside ParseResults lists), depth first."""
    if isinstance(node, str):  # terms (URIRef, Literal, Variable) are str subclasses
        return
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list | tuple | ParseResults):
        for child in node:
            yield from _nodes(child)


def _name(node: Any) -> str | None:
    return getattr(node, "name", None) if isinstance(node, dict) else None


def _expand_escapes(sparql: str) -> str:
    def expand(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else ""

    return _ESCAPE.sub(expand, sparql)
