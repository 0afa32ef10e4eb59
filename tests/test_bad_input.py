"""Bad input through the three doors that write: the ``kg ingest`` command, the Python API
(``kg.ingest.ingest_paths``) and GraphQL's ``ingestArticle`` on a real uvicorn server.

Every refused input must give one line naming the input and the problem (a non-zero exit,
an ``ArticleError``, or a 4xx), never a traceback, and leave the store exactly as it was
(every quad compared, not only the count).  The inputs a French archive really holds
(Windows-1252 and Latin-1 files, control characters, a very long article, an undated one
given ``--published``) must go in, correctly decoded.

The size cap is set to 1,000,000 bytes for all three doors through ``KG_MAX_ARTICLE_BYTES``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_fixture import fill
from http_server import TOKEN, running_server

from kg.ingest import ingest_paths
from kg.reader import PARIS, ArticleError
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path(__file__).parent / "corpus" / "hdh-quitte-microsoft-2020-11-23.txt"
CAP = 1_000_000
HEADER = "Le Conseil d’État saisi\nLe 2 mars 2021 à 14h05\n"
BODY = "L’association a déposé un recours devant le Conseil d’État, qui l’a rejeté le 1er mars 2021.\n"
GRAPHQL_RESPONSE = "application/graphql-response+json"
INGEST = "mutation($input: ArticleInput!) { ingestArticle(input: $input) { document { id title } events } }"


def ten_thousand_sentences() -> str:
    """A long article: ordinary sentences, one in a hundred telling a legal event."""
    sentences = []
    for number in range(10_000):
        if number % 100 == 0:
            sentences.append(f"Le Conseil d’État a rejeté le {number}e recours de l’association "
                             "le 3 mars 2021.")
        else:
            sentences.append(f"La séance {number} a repris dans le calme.")
    return " ".join(sentences) + "\n"


@dataclass(frozen=True)
class Refused:
    """An article file refused by every door: its name, its bytes, words its message must hold."""

    name: str
    content: bytes
    fragment: str


REFUSED = [
    Refused("empty.txt", b"", "empty article"),
    Refused("binary.txt", bytes(range(256)) * 8, "binary file"),
    Refused("cyrillic.txt", ("Заголовок\nЭто не французский текст, а русский.\n" * 3).encode("cp1251"),
            "not UTF-8, and not recognisably Windows-1252 or Latin-1"),
    Refused("huge.txt", (HEADER + BODY * (CAP // len(BODY) + 10)).encode(), "over the 1000000-byte limit"),
    Refused("undated.txt", ("Titre\n" + BODY).encode(), "no publication line"),
    Refused("no-published.json", json.dumps({"title": "T", "text": BODY}).encode(), "field 'published'"),
    Refused("numeric-title.json", json.dumps({"title": 3, "published": "2021-03-02T14:05:00+01:00",
                                              "text": BODY}).encode(), "field 'title'"),
    Refused("bad-date.json", json.dumps({"title": "T", "published": "hier", "text": BODY}).encode(),
            "field 'published' is not an ISO 8601 date-time"),
    Refused("list.json", b"[1, 2]", "expected a JSON object"),
    Refused("broken.json", b'{"title": "T",', "invalid JSON"),
]


@dataclass(frozen=True)
class Accepted:
    """An article file every door must take: its name, its bytes, and a text the stored title holds."""

    name: str
    content: bytes
    title: str


ACCEPTED = [
    Accepted("cp1252.txt", ("Décision du Conseil d’État – « enfin »\nLe 2 mars 2021 à 14h05\n" + BODY)
             .encode("cp1252"), "Décision du Conseil d’État – « enfin »"),
    Accepted("latin1.txt", ("Décision à Paris\nLe 2 mars 2021 à 14h05\n" + BODY.replace("’", "'"))
             .encode("latin-1"), "Décision à Paris"),
    Accepted("control.txt", "Titre\x07 sonné\nLe 2 mars 2021 à 14h05\nL’association\x1b a déposé un recours "
             "devant le Conseil d’État\x85.\x0c\n".encode(), "Titre  sonné"),
    Accepted("ten-thousand.txt", (HEADER + ten_thousand_sentences()).encode(), "Le Conseil d’État saisi"),
]


def store_state(path: Path) -> tuple[int, str]:
    """How many quads the store holds and a hash of all of them (their order does not matter)."""
    with GraphStore(path) as store:
        lines = sorted(str(quad) for quad in store.raw)
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def titles(path: Path) -> set[str]:
    with GraphStore(path) as store:
        return {document.title for document in store.documents()}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed store holding the sample article: each test writes to its own copy."""
    path = tmp_path_factory.mktemp("template") / "store"
    with GraphStore(path) as store:
        ingest_paths(store, [SAMPLE])
    return path


@pytest.fixture
def store_copy(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(template, target)
    return target


@pytest.fixture
def capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_MAX_ARTICLE_BYTES", str(CAP))


def write(directory: Path, name: str, content: bytes) -> Path:
    path = directory / name
    path.write_bytes(content)
    return path


# -- the command line -------------------------------------------------------------------------------


def kg_ingest(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KG_STORE": str(store), "KG_MAX_ARTICLE_BYTES": str(CAP), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kg", "ingest", *args], capture_output=True, text=True,
                          env=env, timeout=300)


@dataclass(frozen=True)
class Run:
    """One ``kg ingest`` of several files (one process for all the cases: each starts in a second)."""

    paths: dict[str, Path]
    result: subprocess.CompletedProcess[str]
    store: Path
    before: tuple[int, str]


def ingest_all(cases: list[Refused] | list[Accepted], template: Path, directory: Path) -> Run:
    store = directory / "store"
    shutil.copytree(template, store)
    before = store_state(store)
    paths = {case.name: write(directory, case.name, case.content) for case in cases}
    return Run(paths, kg_ingest(*map(str, paths.values()), store=store), store, before)


@pytest.fixture(scope="module")
def refused_run(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    return ingest_all(REFUSED, template, tmp_path_factory.mktemp("refused"))


@pytest.fixture(scope="module")
def accepted_run(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    return ingest_all(ACCEPTED, template, tmp_path_factory.mktemp("accepted"))


def test_cli_exits_1_and_writes_nothing(refused_run: Run) -> None:
    result = refused_run.result
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    summary = f"{len(REFUSED)} documents: 0 added, 0 replaced, 0 unchanged, {len(REFUSED)} failed"
    assert summary in result.stdout
    assert store_state(refused_run.store) == refused_run.before


@pytest.mark.parametrize("case", REFUSED, ids=lambda case: case.name)
def test_cli_names_each_refused_file_in_one_line(case: Refused, refused_run: Run) -> None:
    path = refused_run.paths[case.name]
    [line] = [line for line in refused_run.result.stderr.splitlines() if f"{path}:" in line]
    assert line.startswith(f"kg: error: {path}: ") and case.fragment in line, line


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda case: case.name)
def test_cli_takes_what_french_archives_hold(case: Accepted, accepted_run: Run) -> None:
    result = accepted_run.result
    assert result.returncode == 0, result.stderr
    assert f"{len(ACCEPTED)} documents: {len(ACCEPTED)} added" in result.stdout
    assert case.title in titles(accepted_run.store)


def test_cli_stores_no_control_character(accepted_run: Run) -> None:
    assert_no_control_characters(accepted_run.store)


def test_cli_undated_article_with_published(store_copy: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "undated.txt", ("Titre sans date\n" + BODY).encode())
    result = kg_ingest(str(path), "--published", "2021-03-05T10:00:00+01:00", store=store_copy)
    assert result.returncode == 0, result.stderr
    with GraphStore(store_copy) as store:
        [document] = [d for d in store.documents() if d.title == "Titre sans date"]
    assert document.published.startswith("2021-03-05T10:00:00")


def assert_no_control_characters(path: Path) -> None:
    with GraphStore(path) as store:
        for quad in store.raw:
            value = getattr(quad.object, "value", "")
            assert not any((ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F for c in value), quad


# -- the Python API ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", REFUSED, ids=lambda case: case.name)
def test_python_api_raises_one_line_article_error_and_writes_nothing(
    case: Refused, store_copy: Path, tmp_path: Path, capped: None
) -> None:
    before = store_state(store_copy)
    path = write(tmp_path, case.name, case.content)
    with GraphStore(store_copy) as store, pytest.raises(ArticleError) as raised:
        ingest_paths(store, [SAMPLE, path])  # the good article first: nothing is written all the same
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and case.fragment in message and "\n" not in message
    assert store_state(store_copy) == before


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda case: case.name)
def test_python_api_takes_what_french_archives_hold(
    case: Accepted, store_copy: Path, tmp_path: Path, capped: None
) -> None:
    with GraphStore(store_copy) as store:
        [result] = ingest_paths(store, [write(tmp_path, case.name, case.content)])
        assert not result.unchanged and result.triples > 0
    assert case.title in titles(store_copy)
    assert_no_control_characters(store_copy)


def test_python_api_published_override(store_copy: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "undated.txt", ("Titre sans date\n" + BODY).encode())
    when = datetime(2021, 3, 5, 10, 0, tzinfo=PARIS)
    with GraphStore(store_copy) as store:
        ingest_paths(store, [path], published=when)
        assert "Titre sans date" in {d.title for d in store.documents()}


# -- GraphQL ingestArticle over HTTP ----------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("served") / "store"
    with GraphStore(path) as store:
        fill(store)
    with running_server(path, KG_UPDATE_TOKEN=TOKEN, KG_MAX_ARTICLE_BYTES=str(CAP)) as base:
        yield base


def served_state(base: str) -> tuple[int, str]:
    dump = httpx.get(f"{base}/export", params={"format": "nquads"}, timeout=30)
    assert dump.status_code == 200
    lines = sorted(line for line in dump.text.splitlines() if line.strip())
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def post_article(base: str, article: dict[str, Any] | None = None, *, content: bytes | None = None,
                 charset: str = "utf-8") -> httpx.Response:
    body = content if content is not None else json.dumps(
        {"query": INGEST, "variables": {"input": article}}, ensure_ascii=False).encode()
    return httpx.post(f"{base}/graphql", content=body, timeout=120, headers={
        "authorization": f"Bearer {TOKEN}", "accept": GRAPHQL_RESPONSE,
        "content-type": f"application/json; charset={charset}"})


def article(**fields: Any) -> dict[str, Any]:
    return {"title": "Titre", "published": "2021-03-02T14:05:00+01:00", "text": BODY, **fields}


def without(field: str) -> dict[str, Any]:
    return {name: value for name, value in article().items() if name != field}


LATIN_1_BODY = json.dumps({"query": INGEST, "variables": {"input": article(
    title="Décision", text="Décidé à Paris.")}}, ensure_ascii=False).encode("latin-1")
HTTP_REFUSED: list[tuple[str, Callable[[str], httpx.Response], int, str]] = [
    ("empty", lambda base: post_article(base, article(text="")), 422, "field 'text' is not a non-empty"),
    ("blank", lambda base: post_article(base, article(text=" \n\t ")), 422, "field 'text'"),
    ("binary", lambda base: post_article(base, article(text=bytes(range(256)).decode("latin-1"))), 422,
     "field 'text' holds NUL characters"),
    ("latin-1 body", lambda base: post_article(base, content=LATIN_1_BODY), 400, "not UTF-8"),
    ("latin-1 declared", lambda base: post_article(base, article(), charset="latin-1"), 415,
     "unsupported Content-Type"),
    ("over the article cap", lambda base: post_article(base, article(text="é" * (CAP // 2 + 1))), 422,
     "over the 1000000-byte limit for one article (KG_MAX_ARTICLE_BYTES)"),
    ("over the body cap", lambda base: post_article(base, article(text="a" * (3 * CAP))), 413,
     "KG_MAX_ARTICLE_BYTES"),
    ("no publication", lambda base: post_article(base, without("published")), 400, "'published'"),
    ("mistyped publication", lambda base: post_article(base, article(published="hier")), 400, "published"),
    ("missing text", lambda base: post_article(base, without("text")), 400, "'text'"),
    ("mistyped title", lambda base: post_article(base, article(title=3)), 400, "title"),
    ("not an object", lambda base: post_article(base, content=b"[1, 2]"), 400, "batches are not accepted"),
    ("broken JSON", lambda base: post_article(base, content=b'{"query": '), 400, "not valid JSON"),
]


@pytest.mark.parametrize(("send", "status", "fragment"), [case[1:] for case in HTTP_REFUSED],
                         ids=[case[0] for case in HTTP_REFUSED])
def test_graphql_refuses_with_a_4xx_and_one_message(
    server: str, send: Callable[[str], httpx.Response], status: int, fragment: str
) -> None:
    before = served_state(server)
    response = send(server)
    assert response.status_code == status, response.text
    [error] = response.json()["errors"]
    assert fragment in error["message"] and "\n" not in error["message"], error
    assert "Traceback" not in response.text and "/tmp" not in response.text and ".py" not in response.text
    assert served_state(server) == before


@pytest.mark.parametrize(
    ("fields", "title"),
    [
        ({"title": "Décision du Conseil d’État – « enfin »"}, "Décision du Conseil d’État – « enfin »"),
        ({"title": "Titre\x07 sonné", "text": "L’association\x1b a déposé un recours.\x0c"}, "Titre  sonné"),
        ({"title": "Dix mille phrases", "text": ten_thousand_sentences()}, "Dix mille phrases"),
    ],
    ids=["accents", "control characters", "ten thousand sentences"],
)
def test_graphql_takes_what_french_archives_hold(server: str, fields: dict[str, str], title: str) -> None:
    response = post_article(server, article(**fields))
    assert response.status_code == 200, response.text
    assert response.json()["data"]["ingestArticle"]["document"]["title"] == title
