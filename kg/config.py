"""Settings read from the environment and the command line, in one place.

Everything that a deployment changes (where the store lives, the write token, the limits
of the HTTP doors) comes through ``Settings`` so the CLI, ``server.py`` and the tests agree.

Environment variables:

``KG_STORE``
    the store directory (``--store`` wins over it).
``KG_UPDATE_TOKEN``
    the bearer token that ``/update``, ``/store`` writes and GraphQL mutations require;
    unset, the server is read-only.
``KG_QUERY_TIMEOUT``
    seconds a SPARQL query (``/sparql``, ``/queries/…``) may run before its worker process
    is killed and the client gets a 503 (default 30).
``KG_MAX_RESULT_BYTES``
    the largest serialised query result sent (default 64 MiB); a larger one is a 500
    asking for a LIMIT.
``KG_QUERY_WORKERS``
    how many worker processes run queries side by side (default 2).
``KG_MAX_QUERY_BYTES``
    the largest query or update request body (default 1 MiB), else 413.
``KG_MAX_UPLOAD_BYTES``
    the largest Graph Store upload (default 64 MiB), else 413.
``KG_MAX_ARTICLE_BYTES``
    the largest article file (or GraphQL ``ingestArticle`` text) read, in bytes (default
    5,000,000); a larger one is refused with a message naming the file and the limit, by
    ``kg extract``/``kg ingest``, ``kg.reader.read_article`` and the GraphQL mutation alike.
``KG_CORS_ORIGINS``
    origins allowed to call the server from a browser, comma-separated, ``*`` for any;
    unset, no CORS headers are sent.
``KG_SERVICE_ALLOW``
    SPARQL endpoints that ``SERVICE`` clauses may call, comma-separated IRIs; unset,
    every ``SERVICE`` is refused.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import platformdirs

MiB = 1024 * 1024
DEFAULT_MAX_ARTICLE_BYTES = 5_000_000  # far above any news article; a guard against feeding it a dump
T = TypeVar("T", int, float)


class SettingsError(ValueError):
    """An environment variable holds a value the server cannot use; the message names it."""


def default_store_path() -> Path:
    """The on-disk store when neither ``--store`` nor ``KG_STORE`` names one: the user's data directory."""
    return platformdirs.user_data_path("kg", appauthor=False) / "store"


@dataclass(frozen=True)
class Settings:
    store: Path = field(default_factory=default_store_path)
    update_token: str | None = None  # None: the server is read-only
    query_timeout: float = 30.0
    max_result_bytes: int = 64 * MiB
    query_workers: int = 2
    max_query_bytes: int = 1 * MiB
    max_upload_bytes: int = 64 * MiB
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES
    cors_origins: tuple[str, ...] = ()
    service_allow: frozenset[str] = frozenset()

    @classmethod
    def from_env(cls, store: Path | str | None = None, env: Mapping[str, str] | None = None) -> Settings:
        """``store`` (from ``--store``) wins over ``KG_STORE``, which wins over the default.

        A malformed limit raises SettingsError naming the variable.
        """
        env = os.environ if env is None else env
        chosen = store or env.get("KG_STORE") or default_store_path()
        defaults = cls()
        return cls(
            store=Path(chosen).expanduser(),
            update_token=env.get("KG_UPDATE_TOKEN") or None,
            query_timeout=_positive(env, "KG_QUERY_TIMEOUT", float, defaults.query_timeout),
            max_result_bytes=_positive(env, "KG_MAX_RESULT_BYTES", int, defaults.max_result_bytes),
            query_workers=_positive(env, "KG_QUERY_WORKERS", int, defaults.query_workers),
            max_query_bytes=_positive(env, "KG_MAX_QUERY_BYTES", int, defaults.max_query_bytes),
            max_upload_bytes=_positive(env, "KG_MAX_UPLOAD_BYTES", int, defaults.max_upload_bytes),
            max_article_bytes=max_article_bytes(env),
            cors_origins=tuple(_items(env.get("KG_CORS_ORIGINS", ""))),
            service_allow=frozenset(_items(env.get("KG_SERVICE_ALLOW", ""))),
        )


def max_article_bytes(env: Mapping[str, str] | None = None) -> int:
    """``KG_MAX_ARTICLE_BYTES`` or the default: read on its own so the reader (also in the ingest's
    worker processes) need not build a whole ``Settings`` to know its one limit."""
    return _positive(os.environ if env is None else env, "KG_MAX_ARTICLE_BYTES", int,
                     DEFAULT_MAX_ARTICLE_BYTES)


def _positive(env: Mapping[str, str], name: str, kind: type[T], default: T) -> T:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value: T | None = kind(text)
    except ValueError:
        value = None
    if value is None or value <= 0 or value != value:  # NaN is not a limit
        raise SettingsError(f"{name} must be a positive {kind.__name__}, got {text!r}")
    return value


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]
