"""Who may write: a bearer token from ``KG_UPDATE_TOKEN``, compared in constant time.

Every write path (SPARQL Update, Graph Store writes, GraphQL mutations) asks
``write_refusal`` first, so the rule lives in one place: with no token
configured, nobody writes; without a token, 401; with a wrong one, 403.
"""

from __future__ import annotations

import hmac

from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse, Response


def write_refusal(request: HTTPConnection, token: str | None) -> Response | None:
    """None when ``request`` carries the configured token; otherwise the response refusing it."""
    if not token:
        return PlainTextResponse("writes are disabled: the server has no KG_UPDATE_TOKEN\n", status_code=403)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        return PlainTextResponse(
            "write refused: send 'Authorization: Bearer <token>'\n",
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="kg"'},
        )
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        return PlainTextResponse("write refused: wrong token\n", status_code=403)
    return None
