"""The ``kg`` command end to end, as a user runs it: a real process, a real store on disk."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pyoxigraph
import pytest
import rdflib

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path(__file__).parent / "corpus" / "hdh-quitte-microsoft-2020-11-23.txt"
SCHEMA = json.loads((ROOT / "kg" / "schemas" / "extraction.schema.json").read_text(encoding="utf-8"))


def kg(*args: str, store: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KG_STORE": str(store) if store else "/nonexistent/kg-store"}
    result = subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=env, timeout=120
    )
    if check and result.returncode != 0:
        raise AssertionError(f"kg {' '.join(args)} failed ({result.returncode}): {result.stderr}")
    return result


def assert_clean_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    result = kg("ingest", str(SAMPLE), store=path)
    assert "added" in result.stdout
    return path


def test_extract_json_is_valid_against_the_schema() -> None:
    data = json.loads(kg("extract", str(SAMPLE), "--format", "json").stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["document"]["published"] == "2020-11-23T09:49:00+01:00"
    assert {e["type"] for e in data["events"]} >= {"Publication", "Appeal", "Ruling", "Letter", "Commitment"}


def test_extract_turtle_parses() -> None:
    turtle = kg("extract", str(SAMPLE), "--format", "turtle").stdout
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert len(graph) > 50


def test_reingest_changes_nothing(store: Path) -> None:
    before = kg("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "json",
                store=store)
    again = kg("ingest", str(SAMPLE), store=store)
    assert "unchanged" in again.stdout
    after = kg("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "json",
               store=store)
    assert json.loads(before.stdout) == json.loads(after.stdout)


def test_named_query_timeline_is_chronological(store: Path) -> None:
    rows = json.loads(kg("query", "timeline", "--format", "json", store=store).stdout)
    dates = [r["date"] for r in rows if r.get("date")]
    assert "2020-04-21" in dates and "2020-11-19" in dates
    assert dates == sorted(dates)
    listed = kg("query", "--list", store=store).stdout
    assert "timeline" in listed


def test_timeline_command(store: Path) -> None:
    lines = kg("timeline", store=store).stdout.splitlines()
    dated = [line.split()[0] for line in lines if not line.startswith("undated")]
    assert dated == sorted(dated) and "2020-04-21" in dated
    assert any("deadline 2022-11" in line for line in lines)
    rulings = kg("timeline", "--type", "Ruling", "--from", "2020-10-01", store=store).stdout.splitlines()
    assert rulings and all("Ruling" in line and line.startswith("2020-1") for line in rulings)
    assert_clean_error(kg("timeline", "--from", "2020-13-01", store=store, check=False), "from")


def test_timeline_pages_through_the_timeline_keys(store: Path) -> None:
    """--limit/--after page the dated events; together the pages are the whole timeline's dated lines."""
    whole = [re.sub(r"  \(deadline [^)]*\)", "", line)
             for line in kg("timeline", store=store).stdout.splitlines() if not line.startswith("undated")]
    paged: list[str] = []
    after: list[str] = []
    while True:
        lines = kg("timeline", "--limit", "2", *after, store=store).stdout.splitlines()
        if not lines[-1].startswith("next page: --after "):
            paged += lines
            last = lines
            break
        paged += lines[:-1]
        assert len(lines) == 3
        after = ["--after", lines[-1].split()[-1]]
    # Events known only to a month come by bucket (a sixteenth of the month) then IRI, not by IRI alone.
    assert sorted(paged) == sorted(whole) and len(paged) > 4
    assert [line.split()[0] for line in paged] == sorted(line.split()[0] for line in paged)
    assert kg("timeline", *after, store=store).stdout.splitlines() == last  # 50 a page by default
    rulings = kg("timeline", "--type", "Ruling", "--from", "2020-10-01", "--limit", "50", store=store)
    assert rulings.stdout.splitlines() == kg("timeline", "--type", "Ruling", "--from", "2020-10-01",
                                             store=store).stdout.splitlines()
    assert_clean_error(kg("timeline", "--after", "nonsense", store=store, check=False), "--after")
    assert_clean_error(kg("timeline", "--limit", "0", store=store, check=False), "--limit")
    assert_clean_error(kg("timeline", "--limit", "3", "--to", "2020-02-30", store=store, check=False), "--to")


def test_query_formats(store: Path) -> None:
    sparql = "SELECT ?name WHERE { ?a <http://xmlns.com/foaf/0.1/name> ?name } ORDER BY ?name"
    table = kg("query", sparql, store=store).stdout
    assert "name" in table.splitlines()[0] and "rows)" in table
    csv_out = kg("query", sparql, "--format", "csv", store=store).stdout
    assert csv_out.splitlines()[0] == "name"
    assert any("CNIL" in line or "informatique" in line for line in csv_out.splitlines())


def test_query_from_rq_file(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "ask.rq"
    path.write_text("ASK { ?e a ?t }", encoding="utf-8")
    assert kg("query", str(path), store=store).stdout.strip() == "true"


def test_export_turtle_reimports(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    kg("export", "-o", str(out), store=store)
    graph = rdflib.Graph().parse(out, format="turtle")
    assert len(graph) > 50
    nquads = kg("export", "--format", "nquads", store=store).stdout
    quads = list(pyoxigraph.parse(nquads.encode(), format=pyoxigraph.RdfFormat.N_QUADS))
    assert len(quads) >= len(graph)
    assert all(q.graph_name != pyoxigraph.DefaultGraph() for q in quads)


def test_validate_conforms(store: Path) -> None:
    result = kg("validate", store=store)
    assert "conforms" in result.stdout


def test_malformed_sparql_is_one_line(store: Path) -> None:
    assert_clean_error(kg("query", "SELECT ?x WHERE { ?x ?y }", store=store, check=False), "line")


def test_unknown_named_query_parameter(store: Path) -> None:
    result = kg("query", "timeline", "--param", "from=not-a-date", store=store, check=False)
    assert_clean_error(result, "timeline", "from")


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    assert_clean_error(kg("extract", str(tmp_path / "absent.txt"), check=False), "absent.txt", "no such file")


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "cyrillic.txt"
    path.write_bytes("Заголовок\nЭто не французский текст.".encode("cp1251"))
    assert_clean_error(kg("extract", str(path), check=False), "cyrillic.txt", "not UTF-8")


def test_no_publication_line_then_published_option(tmp_path: Path) -> None:
    path = tmp_path / "undated.txt"
    path.write_text("Titre\nLe Conseil d’État a rejeté le recours le 3 mars.\n", encoding="utf-8")
    assert_clean_error(kg("extract", str(path), check=False), "undated.txt", "publication")
    data = json.loads(kg("extract", str(path), "--published", "2021-03-05T10:00:00+01:00").stdout)
    assert data["document"]["published"] == "2021-03-05T10:00:00+01:00"


def test_a_bad_file_in_ingest_is_reported_and_the_rest_goes_in(tmp_path: Path) -> None:
    """Failures are isolated (one bad article must not cost the others) and the exit status says so."""
    store = tmp_path / "store"
    bad = tmp_path / "bad.txt"
    bad.write_text("", encoding="utf-8")
    result = kg("ingest", str(SAMPLE), str(bad), store=store, check=False)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "bad.txt" in result.stdout + result.stderr
    rows = json.loads(kg("query", "documents", "--format", "json", store=store).stdout)
    assert [row["document"].rsplit("/", 1)[-1] for row in rows] == ["hdh-quitte-microsoft-2020-11-23"]


def test_reindex_restores_the_timeline_keys_of_an_older_store(tmp_path: Path) -> None:
    """A store written before the timeline keys existed gets them from ``kg reindex``; no re-extraction."""
    path = tmp_path / "store"
    kg("ingest", str(SAMPLE), store=path)
    key = "<https://w3id.org/legal-timeline/ontology#timelineKey>"
    keys = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s {key} ?k }} }}"
    written = int(kg("query", keys, "--format", "csv", store=path).stdout.split()[-1])
    assert written > 0
    store = pyoxigraph.Store(str(path))
    store.update(f"DELETE WHERE {{ GRAPH ?g {{ ?s {key} ?k }} }}")
    del store
    assert kg("query", keys, "--format", "csv", store=path).stdout.split()[-1] == "0"
    first = kg("reindex", store=path)
    assert "timeline keys written" in first.stdout
    assert int(kg("query", keys, "--format", "csv", store=path).stdout.split()[-1]) == written
    kg("reindex", store=path)  # a second run changes nothing
    assert int(kg("query", keys, "--format", "csv", store=path).stdout.split()[-1]) == written
