"""``/queries``: every shipped named query is documented, listed as JSON, and runnable by name with
typed parameters; a bad parameter is a 400 that names it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from asgi_fixture import extraction_a, extraction_b, fill
from http_server import assert_one_line_error, serving

from kg.config import Settings
from kg.named_queries import load_named_queries
from kg.store import GraphStore
from kg.web.app import create_app

COURT = "https://w3id.org/legal-timeline/id/actor/conseil-d-etat"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    path = tmp_path_factory.mktemp("store") / "kg"
    with GraphStore(path) as store, serving(create_app(store, settings=Settings(store=path))) as http:
        fill(store)
        yield http


def test_the_list_documents_every_query_file(client: httpx.Client) -> None:
    response = client.get("/queries")
    assert response.status_code == 200
    listed = {query["name"]: query for query in response.json()}
    shipped = load_named_queries()
    assert set(listed) == set(shipped) and "timeline" in listed
    for name, query in listed.items():
        assert query["title"] and query["description"], f"{name}.rq lacks a title or description header"
        assert query["url"] == f"{str(client.base_url).rstrip('/')}/queries/{name}"
        for param in query["parameters"]:
            assert param["description"], f"parameter {param['name']} of {name}.rq is undocumented"
            assert param["type"] in ("xsd:date", "xsd:gYearMonth", "iri", "string")
    timeline = {p["name"]: p for p in listed["timeline"]["parameters"]}
    assert timeline["from"] == {"name": "from", "type": "xsd:date", "required": False,
                                "description": timeline["from"]["description"]}


def test_every_named_query_runs_over_http(client: httpx.Client) -> None:
    needed = {"iri": COURT, "xsd:gYearMonth": "2031-06", "xsd:date": "2031-06-30", "string": "Ruling"}
    for name, query in load_named_queries().items():
        params = {p.name: needed[p.type] for p in query.parameters if p.required}
        response = client.get(f"/queries/{name}", params=params)
        assert response.status_code == 200, f"{name}: {response.text}"
        assert response.headers["content-type"] == "application/sparql-results+json"


def test_timeline_as_csv_with_a_date_range(client: httpx.Client) -> None:
    params = {"from": "2031-01-01", "to": "2031-03-31", "format": "csv"}
    response = client.get("/queries/timeline", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    expected = [e.label for x in (extraction_a(), extraction_b()) for e in x.events
                if e.date and "2031-01" <= e.date.iso()[:7] <= "2031-03"]
    assert sorted(row["label"] for row in rows) == sorted(expected)
    assert all("2031-01" <= row["date"][:7] <= "2031-03" for row in rows)


def test_accept_header_and_an_iri_parameter(client: httpx.Client) -> None:
    response = client.get("/queries/events-by-actor", params={"actor": COURT},
                          headers={"accept": "text/tab-separated-values"})
    assert response.headers["content-type"] == "text/tab-separated-values; charset=utf-8"
    lines = response.text.splitlines()
    assert len(lines) > 1 and all(f"<{COURT}>" in line for line in lines[1:])


@pytest.mark.parametrize(
    ("name", "params", "status", "fragments"),
    [
        ("timeline", {"from": "2031-13-01"}, 400, ("parameter 'from' of query 'timeline'", "YYYY-MM-DD")),
        ("timeline", {"actor": "not an iri"}, 400, ("parameter 'actor'", "absolute IRI")),
        ("timeline", {"colour": "red"}, 400, ("no parameter 'colour'", "from, to")),
        ("timeline", [("from", "2031-01-01"), ("from", "2031-02-01")], 400, ("'from'", "more than once")),
        ("events-by-actor", {}, 400, ("needs parameter 'actor'",)),
        ("timeline-month", {"month": "2031-6"}, 400, ("parameter 'month'", "YYYY-MM")),
        ("nope", {}, 404, ("no named query 'nope'", "timeline")),
        ("timeline", {"format": "turtle"}, 406, ("SELECT/ASK",)),
    ],
)
def test_bad_requests_name_what_is_wrong(
    client: httpx.Client, name: str, params: object, status: int, fragments: tuple[str, ...]
) -> None:
    assert_one_line_error(client.get(f"/queries/{name}", params=params), status, *fragments)  # type: ignore[arg-type]


def test_settings_are_read_from_the_environment(tmp_path: Path) -> None:
    env = {"KG_QUERY_TIMEOUT": "2.5", "KG_MAX_RESULT_BYTES": "1000", "KG_QUERY_WORKERS": "3",
           "KG_CORS_ORIGINS": "https://a.example, https://b.example", "KG_SERVICE_ALLOW": "https://q.example/sparql",
           "KG_MAX_QUERY_BYTES": "10", "KG_MAX_UPLOAD_BYTES": "20", "KG_UPDATE_TOKEN": "t"}
    settings = Settings.from_env(tmp_path, env)
    assert (settings.query_timeout, settings.max_result_bytes, settings.query_workers) == (2.5, 1000, 3)
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.service_allow == frozenset({"https://q.example/sparql"})
    assert (settings.max_query_bytes, settings.max_upload_bytes, settings.update_token) == (10, 20, "t")
    assert Settings.from_env(tmp_path, {}) == Settings(store=tmp_path)


@pytest.mark.parametrize(("name", "value"), [("KG_QUERY_TIMEOUT", "soon"), ("KG_QUERY_WORKERS", "0"),
                                             ("KG_MAX_RESULT_BYTES", "1.5"), ("KG_QUERY_TIMEOUT", "nan")])
def test_bad_settings_name_the_variable(tmp_path: Path, name: str, value: str) -> None:
    from kg.config import SettingsError

    with pytest.raises(SettingsError, match=f"{name} must be a positive"):
        Settings.from_env(tmp_path, {name: value})
