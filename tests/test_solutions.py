"""kg.solutions reads rows by position: each value lands under its own variable, unbound ones as None."""

from pathlib import Path

import pyoxigraph as ox

from kg.solutions import bound_rows, plain_rows

QUERY = """SELECT ?iri ?text ?missing ?number WHERE {
  VALUES (?iri ?text ?number) { (<https://example.org/a> "un" 1) (<https://example.org/b> "deux" UNDEF) }
}"""


def test_rows_keep_each_value_under_its_variable(tmp_path: Path) -> None:
    store = ox.Store(str(tmp_path / "store"))
    assert plain_rows(store.query(QUERY)) == [
        {"iri": "https://example.org/a", "text": "un", "missing": None, "number": "1"},
        {"iri": "https://example.org/b", "text": "deux", "missing": None, "number": None},
    ]
    assert bound_rows(store.query(QUERY)) == [
        {"iri": "https://example.org/a", "text": "un", "number": "1"},
        {"iri": "https://example.org/b", "text": "deux"},
    ]
