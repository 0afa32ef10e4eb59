"""Which GraphQL errors the client reads as written, which it sees masked, and which the log keeps.

Two kinds of error reach a GraphQL response.  The client's own mistakes (a bad cursor, a
page too large, a malformed document, an unknown field) carry a message written for the
client: they are shown as is and are not worth a traceback in the server's log.  Anything
else raised while resolving (a store failure, a bug) may carry internal paths or SPARQL:
the client gets "Unexpected error." at the field's path, the log gets the traceback.
"""

from __future__ import annotations

import logging

from graphql import GraphQLError
from strawberry import Schema
from strawberry.types import ExecutionContext

MASKED_MESSAGE = "Unexpected error."

logger = logging.getLogger("kg.web.graphql")


class UserError(GraphQLError):
    """A mistake of the client's, told in one line; never masked, never logged with a traceback."""


class RefusedInput(UserError):
    """A write refused for its input (an unreadable article, one over the size cap).

    Nothing was written and the whole operation failed, so the HTTP layer answers 422
    rather than the 200 of a partial result: a client that only reads status codes (a
    script, a proxy's log) sees the refusal too.
    """


def is_unexpected(error: GraphQLError) -> bool:
    """True for an error raised while resolving a field by something other than a GraphQL error.

    Errors without a path come from reading the request (parsing, validation, variable
    coercion, the limits): their messages describe the client's document, so they stay.
    """
    original = error.original_error
    return error.path is not None and original is not None and not isinstance(original, GraphQLError)


class TimelineSchema(Schema):
    """strawberry's Schema, logging tracebacks for unexpected errors only (see the module docstring)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if is_unexpected(error):
                path = ".".join(str(step) for step in error.path or ())
                logger.error("GraphQL field %s failed", path, exc_info=error.original_error)
