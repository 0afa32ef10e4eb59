"""The timeline page: ``/`` and its assets under ``/static``, shipped inside the package.

The page is plain HTML, CSS and JavaScript that reads the public GraphQL API and
nothing else, so it works offline and proves the API is enough for a front end. The
Content-Security-Policy says so to the browser too: any script, style, font or request
that is not from this server is refused (and shows up as a console error in the
browser tests).
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


async def index(request: Request) -> Response:
    """The page itself; every view of it (filters, selected event) lives in its query string."""
    return FileResponse(
        STATIC / "index.html",
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-cache"},
    )


def page_routes() -> list[BaseRoute]:
    """The routes to add to the app: the page at ``/`` and its assets at ``/static``."""
    return [
        Route("/", index, methods=["GET", "HEAD"], name="page"),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
