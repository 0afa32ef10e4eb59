"""``/update``: the SPARQL 1.1 Protocol update operation, for holders of the write token.

POST ``application/sparql-update`` (the update is the body) or POST form (``update=``).
The bearer token is checked before the body is read (``auth.write_refusal``: no token
configured, no writes).  ``LOAD`` is refused, and ``SERVICE`` unless allow-listed, because
both would make the server fetch from the network (``service_guard``).  The update runs as
one transaction on the store (which counts it: a query sent after the answer sees the change,
see ``query_pool``).  Updates are not under the query time limit: they
come from token holders, and a write cannot be killed halfway.

pyoxigraph cannot take ``using-graph-uri``/``using-named-graph-uri`` apart from the text,
so those are refused with a 400 (write ``USING``/``WITH`` in the update instead).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from kg.config import Settings
from kg.web.auth import write_refusal
from kg.web.bodies import decode_utf8, media_type, read_body
from kg.web.consistency import store_lock
from kg.web.responses import HTTPProblem, problem_response
from kg.web.service_guard import ServiceRefused, needs_check, refuse_unsafe_update

if TYPE_CHECKING:
    from kg.store import GraphStore

_FORM = "application/x-www-form-urlencoded"
_SPARQL_UPDATE = "application/sparql-update"
_UNSUPPORTED = ("using-graph-uri", "using-named-graph-uri")


def update_endpoint(store: GraphStore, settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    """The ``/update`` handler: 204 once the update is applied."""

    async def endpoint(request: Request) -> Response:
        refusal = write_refusal(request, settings.update_token)
        if refusal is not None:
            return refusal
        try:
            update = await _read_update(request, settings.max_query_bytes)
            await _check(update, settings)
            await _apply(store, update)
        except HTTPProblem as problem:
            return problem_response(problem.status, problem.message)
        return Response(status_code=204)

    return endpoint


async def _read_update(request: Request, max_bytes: int) -> str:
    content_type = media_type(request)
    if content_type not in (_FORM, _SPARQL_UPDATE):
        raise HTTPProblem(400, f"unsupported Content-Type {content_type or '(none)'!r}: "
                               f"send {_SPARQL_UPDATE} or {_FORM}")
    body = decode_utf8(await read_body(request, max_bytes, "KG_MAX_QUERY_BYTES"))
    params = list(request.query_params.multi_items())
    updates = [body] if content_type == _SPARQL_UPDATE else []
    if content_type == _FORM:
        params += parse_qsl(body, keep_blank_values=True)
    names = {name for name, _ in params}
    updates += [value for name, value in params if name == "update"]
    if "query" in names:
        raise HTTPProblem(400, "a query is not an update: send queries to /sparql")
    for name in _UNSUPPORTED:
        if name in names:
            raise HTTPProblem(400, f"{name} is not supported: name the graphs with USING or WITH "
                                   "in the update")
    if len(updates) > 1:
        raise HTTPProblem(400, "the update was given more than once: send exactly one 'update'")
    if not updates or not updates[0].strip():
        raise HTTPProblem(400, "missing SPARQL update: send it as the body or as the 'update' parameter")
    return updates[0]


async def _check(update: str, settings: Settings) -> None:
    if not needs_check(update, update=True):
        return
    try:
        await run_in_threadpool(refuse_unsafe_update, update, settings.service_allow)
    except ServiceRefused as refused:
        raise HTTPProblem(400, str(refused)) from None


async def _apply(store: GraphStore, update: str) -> None:
    from kg.store import StoreError

    try:
        async with store_lock(store).writing():
            await run_in_threadpool(store.update, update)
    except StoreError as error:
        raise HTTPProblem(400, str(error)) from None
