"""The web application as it is served: the store opened once, the sample loaded when it is empty.

``server.py`` (``uvicorn server:app``) and ``kg serve`` both call ``build_app``,
so the two ways of starting the server cannot drift apart.  The store is a directory (an
embedded Oxigraph) or the http(s) URL of a SPARQL 1.1 server (``kg.remote_store``), from
``--store`` or ``KG_STORE``: every door works over either.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

from starlette.applications import Starlette

from kg.config import Settings
from kg.ingest import load_sample_if_empty
from kg.store import open_store
from kg.web.app import create_app

log = logging.getLogger("kg.serve")


def build_app(
    settings: Settings, *, location: str | Path | None = None, load_sample: bool = True
) -> Starlette:
    """Open the store (one per process) and build the app; the sample is ingested before serving.

    ``location`` (a directory or a server URL) overrides ``settings.store``.
    """
    chosen = location if location is not None else store_location(settings)
    store = open_store(chosen)

    def on_startup() -> None:
        if load_sample and (result := load_sample_if_empty(store)) is not None:
            log.info("empty store %s: loaded the sample article as %s", chosen, result.document)

    return create_app(store, settings=settings, on_startup=on_startup)


def store_location(settings: Settings, env: Mapping[str, str] | None = None) -> str | Path:
    """``settings.store``, or the server URL that ``KG_STORE`` names.

    ``Settings.store`` is a ``Path``, which turns ``http://host`` into ``http:/host``: when
    that path came from a URL in ``KG_STORE``, the URL itself is the store.
    """
    url = (os.environ if env is None else env).get("KG_STORE", "")
    if url.startswith(("http://", "https://")) and settings.store == Path(url).expanduser():
        return url
    return settings.store
