"""The SPARQL queries shipped in ``queries/*.rq`` and their typed parameters.

Each file is a runnable SPARQL query on its own.  A header of comments
names it and declares its parameters::

    # title: Timeline of events
    # description: what it answers
    # param: from xsd:date optional — first day

and one placeholder row inside the WHERE clause carries them, all unbound::

    VALUES (?from ?to) { (UNDEF UNDEF) }

Binding replaces that row with typed RDF terms (a date checked by
``date.fromisoformat``, an IRI checked by Oxigraph, a string escaped as a
literal).  The values never touch the query text as raw text, so a value
cannot inject SPARQL; a bad value raises ValueError naming the parameter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from kg.namespaces import XSD
from kg.resources import resource_path

TYPES = ("xsd:date", "xsd:gYearMonth", "iri", "string")

_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*?)\s*$")
_PARAM = re.compile(r"^(\w+)\s+(\S+)\s+(optional|required)\s*(?:(?:—|--|-)\s*(.*))?$")
_PLACEHOLDER = re.compile(r"VALUES\s*\(([?$\w\s]+)\)\s*\{\s*\(\s*((?:UNDEF\s*)+)\)\s*\}")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # one of TYPES
    required: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str

    def bind(self, values: Mapping[str, str]) -> str:
        """The query with ``values`` in its placeholder row; an empty string counts as absent."""
        return self.bind_rows([values])

    def bind_rows(self, rows: Sequence[Mapping[str, str]]) -> str:
        """The query with one placeholder row per mapping: several values asked at once (one query, one plan).

        Every row is checked as ``bind`` checks its values.
        """
        if not rows:
            raise ValueError(f"query {self.name!r}: no row of values to bind")
        known = {p.name: p for p in self.parameters}
        cells: list[dict[str, str]] = []
        for values in rows:
            for name in values:
                if name not in known:
                    raise ValueError(f"query {self.name!r} has no parameter {name!r} "
                                     f"(parameters: {', '.join(known) or 'none'})")
            terms: dict[str, str] = {}
            for param in self.parameters:
                value = values.get(param.name, "")
                if value:
                    terms[param.name] = _term(self.name, param, value)
                elif param.required:
                    raise ValueError(f"query {self.name!r} needs parameter {param.name!r} ({param.type})")
            cells.append(terms)
        if not self.parameters:
            return self.text
        match = _PLACEHOLDER.search(self.text)
        assert match is not None  # checked when the file was loaded
        order = _variables(match.group(1))
        body = ") (".join(" ".join(cell.get(name, "UNDEF") for name in order) for cell in cells)
        return f"{self.text[:match.start(2)]}{body} {self.text[match.end(2):]}"


def load_named_queries() -> dict[str, NamedQuery]:
    """Every ``queries/*.rq``, by file stem; a malformed file raises ValueError naming it."""
    return {path.stem: _load(path) for path in sorted(resource_path("queries").glob("*.rq"))}


def _load(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: list[Parameter] = []
    for line in text.splitlines():
        header = _HEADER.match(line)
        if header is None:
            if line.strip() and not line.lstrip().startswith("#"):
                break
            continue
        key, value = header.groups()
        if key == "param":
            params.append(_parameter(path, value))
        else:
            fields[key] = value
    if "title" not in fields:
        raise ValueError(f"{path}: missing '# title:' header")
    _check_placeholder(path, text, params)
    return NamedQuery(path.stem, fields["title"], fields.get("description", ""), tuple(params), text)


def _parameter(path: Path, spec: str) -> Parameter:
    match = _PARAM.match(spec)
    if match is None or match.group(2) not in TYPES:
        raise ValueError(f"{path}: bad parameter declaration {spec!r} "
                         f"(expected: NAME TYPE optional|required — description; TYPE in {', '.join(TYPES)})")
    name, kind, need, description = match.groups()
    return Parameter(name, kind, need == "required", description or "")


def _check_placeholder(path: Path, text: str, params: list[Parameter]) -> None:
    if not params:
        return
    match = _PLACEHOLDER.search(text)
    if match is None:
        raise ValueError(f"{path}: declares parameters but has no 'VALUES (?p ...) {{ (UNDEF ...) }}' row")
    variables = _variables(match.group(1))
    if sorted(variables) != sorted(p.name for p in params) or len(match.group(2).split()) != len(variables):
        raise ValueError(f"{path}: the VALUES placeholder ({' '.join(variables)}) does not match "
                         f"the declared parameters ({' '.join(p.name for p in params)})")


def _variables(text: str) -> list[str]:
    return [v.lstrip("?$") for v in text.split()]


def _term(query: str, param: Parameter, value: str) -> str:
    """The SPARQL term for ``value``, or ValueError naming the query and parameter."""
    where = f"parameter {param.name!r} of query {query!r}"
    if param.type == "xsd:date":
        try:
            day = date.fromisoformat(value) if _DAY.match(value) else None
        except ValueError:
            day = None
        if day is None:
            raise ValueError(f"{where}: expected a date YYYY-MM-DD, got {value!r}")
        return str(Literal(day.isoformat(), datatype=XSD("date")))
    if param.type == "xsd:gYearMonth":
        if not _MONTH.match(value):
            raise ValueError(f"{where}: expected a month YYYY-MM, got {value!r}")
        return str(Literal(value, datatype=XSD("gYearMonth")))
    if param.type == "iri":
        try:
            return str(NamedNode(value))
        except ValueError:
            raise ValueError(f"{where}: expected an absolute IRI, got {value!r}") from None
    return str(Literal(value))
