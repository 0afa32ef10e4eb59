"""``/queries``: the shipped named queries (``queries/*.rq``), listed and runnable over HTTP.

``GET /queries`` lists them as JSON, with their titles, descriptions and typed parameters;
``GET /queries/{name}?param=value&format=csv`` binds the parameters (``NamedQuery.bind``
checks each value against its type, so a bad one is a 400 naming it) and runs the query
like ``/sparql`` does: in the query pool, under its limits, result format by ``format=``
or ``Accept``.  ``format`` is therefore never a parameter name of a named query.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kg.named_queries import NamedQuery, load_named_queries
from kg.web.query_pool import QueryJob, QueryPool
from kg.web.responses import problem_response
from kg.web.sparql import query_response


def list_endpoint() -> Callable[[Request], Awaitable[Response]]:
    """``GET /queries``: every named query with its parameters and the URL that runs it."""
    queries = load_named_queries()

    async def endpoint(request: Request) -> Response:
        return JSONResponse([_describe(request, query) for query in queries.values()])

    return endpoint


def run_endpoint(pool: QueryPool) -> Callable[[Request], Awaitable[Response]]:
    """``GET /queries/{name}``: the named query with the request's parameters bound."""
    queries = load_named_queries()

    async def endpoint(request: Request) -> Response:
        name = request.path_params["name"]
        query = queries.get(name)
        if query is None:
            return problem_response(404, f"no named query {name!r}; GET /queries lists them "
                                         f"({', '.join(queries)})")
        values: dict[str, str] = {}
        for key, value in request.query_params.multi_items():
            if key == "format":
                continue
            if key in values:
                return problem_response(400, f"parameter {key!r} of query {name!r} was given more than once")
            values[key] = value
        try:
            sparql = query.bind(values)
        except ValueError as error:
            return problem_response(400, str(error))
        job = QueryJob(sparql, formats=tuple(request.query_params.getlist("format")),
                       accept=request.headers.get("accept"))
        return query_response(await pool.run(job))

    return endpoint


def _describe(request: Request, query: NamedQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "parameters": [
            {"name": p.name, "type": p.type, "required": p.required, "description": p.description}
            for p in query.parameters
        ],
        "url": str(request.url_for("named-query", name=query.name)),
    }
