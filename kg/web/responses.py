"""The shape every HTTP door uses for a refused request: one readable line of plain text.

SPARQL clients (SPARQLWrapper, rdflib's SPARQLStore, curl users) show the body of a 4xx
as is, so a single line that names the fault beats a JSON envelope or an HTML page.
"""

from __future__ import annotations

from starlette.responses import PlainTextResponse


class HTTPProblem(Exception):
    """A request the server refuses, with the status code and the line to send back."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def problem_response(status: int, message: str) -> PlainTextResponse:
    """``message`` flattened to one line, as ``text/plain; charset=utf-8``."""
    line = " ".join(message.split())
    return PlainTextResponse(line + "\n", status_code=status)
