"""The web application as it is served: the store opened once, the sample loaded when it is empty.

``server.py`` (``uvicorn server:app``) and ``kg serve`` both call ``build_app``,
so the two ways of starting the server cannot drift apart.
"""

from __future__ import annotations

import logging

from starlette.applications import Starlette

from kg.config import Settings
from kg.ingest import load_sample_if_empty
from kg.store import GraphStore
from kg.web.app import create_app

log = logging.getLogger("kg.serve")


def build_app(settings: Settings, *, load_sample: bool = True) -> Starlette:
    """Open the store (one per process) and build the app; the sample is ingested before serving."""
    store = GraphStore(settings.store)

    def on_startup() -> None:
        if load_sample and (result := load_sample_if_empty(store)) is not None:
            log.info("empty store %s: loaded the sample article as %s", settings.store, result.document)

    return create_app(store, settings=settings, on_startup=on_startup)
