"""The Starlette application: the HTTP doors onto one store, embedded or a SPARQL server.

``create_app`` takes an open store rather than a path so the process opens the store once
(pyoxigraph locks an on-disk store, and a store per request contends for that lock) and
so tests can hand in a store they filled themselves.  The store is a ``GraphStore`` (an
embedded Oxigraph) or a ``RemoteStore`` (any SPARQL 1.1 server); the doors only use what
both offer (``kg.web.served_store.ServedStore``), so every one of them works over either.

SPARQL queries (``/sparql``, ``/queries/{name}``) run in the query runner started with the
app and stopped with it: the worker processes of a ``QueryPool`` over the embedded store,
requests to the server over a remote one (``kg.web.remote_queries``), with the same limits.
CORS headers are only sent when ``KG_CORS_ORIGINS`` names origins.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kg.config import Settings
from kg.web.export import export_endpoint
from kg.web.graph_store import graph_store_endpoint
from kg.web.graphql import graphql_app
from kg.web.named import list_endpoint, run_endpoint
from kg.web.page import page_routes
from kg.web.remote_queries import query_runner
from kg.web.sparql import sparql_endpoint
from kg.web.update import update_endpoint

if TYPE_CHECKING:
    from kg.store import GraphStore


def create_app(
    store: GraphStore, *, settings: Settings | None = None, on_startup: Callable[[], None] | None = None
) -> Starlette:
    """The app serving ``/sparql``, ``/update``, ``/store``, ``/queries``, ``/graphql``, ``/export``
    and ``/health`` over ``store``.

    ``on_startup`` runs (in a worker thread) before the first request is accepted: the
    server uses it to load the sample article into an empty store.  ``settings`` carries
    what a deployment changes (the write token, the query limits, CORS); without it, the
    server is read-only with the default limits.
    """
    settings = settings or Settings()
    pool = query_runner(store, settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if on_startup is not None:
            await run_in_threadpool(on_startup)
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    async def health(request: Request) -> JSONResponse:
        documents = await run_in_threadpool(store.documents)
        return JSONResponse(
            {"status": "ok", "documents": len(documents), "triples": sum(d.triples for d in documents)}
        )

    routes = [
        Route("/sparql", sparql_endpoint(pool, settings), methods=["GET", "POST"], name="sparql"),
        Route("/update", update_endpoint(store, settings), methods=["POST"], name="update"),
        Route("/store", graph_store_endpoint(store, settings), methods=["GET", "PUT", "POST", "DELETE"],
              name="store"),
        Route("/queries", list_endpoint(), methods=["GET"], name="named-queries"),
        Route("/queries/{name}", run_endpoint(pool), methods=["GET"], name="named-query"),
        Route("/graphql", graphql_app(store, settings), name="graphql"),
        Route("/export", export_endpoint(store), methods=["GET"], name="export"),
        Route("/health", health, methods=["GET"], name="health"),
        *page_routes(),
    ]
    return Starlette(routes=routes, lifespan=lifespan, middleware=_cors(settings))


def _cors(settings: Settings) -> list[Middleware]:
    """CORS for the origins ``KG_CORS_ORIGINS`` names (none by default: browsers then allow no other site)."""
    if not settings.cors_origins:
        return []
    return [Middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE"],
        allow_headers=["Accept", "Authorization", "Content-Type"],
        expose_headers=["Location", "Content-Disposition"],
        max_age=600,
    )]
