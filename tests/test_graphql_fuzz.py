"""A schema-driven fuzz of the GraphQL API: schemathesis builds queries and mutations from the
schema (every root field, argument and input type, with generated values) and sends them to a
real uvicorn server; no answer may be a 5xx, hold a traceback, or be a masked resolver failure.

The schema is the committed SDL (``schema.graphql``; test_graphql checks it is the code's), read
at collection time: schemathesis's ``from_fixture`` (a schema introspected from the running
server) does not work with pytest 9.

Mutations are sent with the write token, so ``ingestArticle`` and ``deleteDocument`` are fuzzed
too (against a throwaway store).  ``KG_GRAPHQL_FUZZ_EXAMPLES`` sets how many examples each
root field gets (default 40: bounded, so the suite stays quick; raise it for a long run).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from asgi_fixture import fill
from http_server import TOKEN, running_server
from hypothesis import HealthCheck, settings

from kg.store import GraphStore

EXAMPLES = int(os.environ.get("KG_GRAPHQL_FUZZ_EXAMPLES", "40"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    path = tmp_path_factory.mktemp("fuzzed") / "store"
    with GraphStore(path) as store:
        fill(store)
    with running_server(path, KG_UPDATE_TOKEN=TOKEN, KG_QUERY_TIMEOUT="10") as base:
        yield base, path


schema = schemathesis.graphql.from_path(Path(__file__).resolve().parent.parent / "schema.graphql")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_no_server_error(case: schemathesis.Case, server: tuple[str, Path]) -> None:
    response = case.call(base_url=f"{server[0]}/graphql", headers={"authorization": f"Bearer {TOKEN}"},
                         timeout=60)
    assert response.status_code < 500, f"{response.status_code} for {case.body!r}: {response.text[:500]}"
    assert "Traceback" not in response.text and str(server[1].parent) not in response.text
    assert "Unexpected error." not in response.text, f"a resolver failed on {case.body!r}"
