"""Request bodies read with a size cap, so a client cannot make the server buffer without bound.

The cap is checked while the body arrives (a false ``Content-Length`` does not get past
it); the SPARQL doors take ``KG_MAX_QUERY_BYTES``, Graph Store uploads ``KG_MAX_UPLOAD_BYTES``.
"""

from __future__ import annotations

from starlette.requests import Request

from kg.web.responses import HTTPProblem


async def read_body(request: Request, limit: int, setting: str) -> bytes:
    """The whole body, or a 413 naming ``setting`` once it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit, setting)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _too_large(limit, setting)
    return bytes(body)


def decode_utf8(body: bytes) -> str:
    """The body as text; SPARQL requests are UTF-8 by definition."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise HTTPProblem(400, f"request body is not UTF-8 (byte {error.start})") from None


def media_type(request: Request) -> str:
    """The request's Content-Type without parameters, lower-cased ('' when absent)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _too_large(limit: int, setting: str) -> HTTPProblem:
    return HTTPProblem(413, f"request body larger than {limit} bytes, the server's limit ({setting})")
