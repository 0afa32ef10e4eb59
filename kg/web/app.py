"""The Starlette application: the HTTP doors onto one ``GraphStore``.

``create_app`` takes an open store rather than a path so the process opens the store once
(pyoxigraph locks an on-disk store, and a store per request contends for that lock) and
so tests can hand in a store they filled themselves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kg.config import Settings
from kg.web.export import export_endpoint
from kg.web.graphql import graphql_app
from kg.web.sparql import sparql_endpoint

if TYPE_CHECKING:
    from kg.store import GraphStore


def create_app(
    store: GraphStore, *, settings: Settings | None = None, on_startup: Callable[[], None] | None = None
) -> Starlette:
    """The app serving ``/sparql``, ``/graphql``, ``/export`` and ``/health`` over ``store``.

    ``on_startup`` runs (in a worker thread) before the first request is accepted: the
    server uses it to load the sample article into an empty store.  ``settings`` carries
    what a deployment changes (the write token); without it, the server is read-only.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if on_startup is not None:
            await run_in_threadpool(on_startup)
        yield

    async def health(request: Request) -> JSONResponse:
        documents = await run_in_threadpool(store.documents)
        return JSONResponse(
            {"status": "ok", "documents": len(documents), "triples": sum(d.triples for d in documents)}
        )

    routes = [
        Route("/sparql", sparql_endpoint(store), methods=["GET", "POST"], name="sparql"),
        Route("/graphql", graphql_app(store), name="graphql"),
        Route("/export", export_endpoint(store), methods=["GET"], name="export"),
        Route("/health", health, methods=["GET"], name="health"),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
