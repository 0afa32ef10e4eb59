"""GraphQL over HTTP (the GraphQL-over-HTTP specification), for ``/graphql``.

strawberry's own view answers ``application/json`` whatever the client asks for and
sends 200 with ``"data": null`` when a document does not parse or validate.  Clients of
the specification ask for ``application/graphql-response+json`` and read the status
code: 400 for a request that could not run (no ``data`` entry), 200 once execution
started.  Older clients ask for ``application/json`` and get 200 with the errors.  So the
HTTP side is written here, around ``Schema.execute``:

- GET runs queries only (a mutation is 405, so a link or a prefetch cannot write); POST
  takes ``application/json`` bodies;
- a mutation without the update endpoint's bearer token is refused with its 401 or 403
  (``kg.web.auth.write_refusal``) before anything runs;
- the body is read with a cap checked while it arrives (``kg.web.bodies``): ``KG_MAX_QUERY_BYTES``
  for everyone, plus ``KG_MAX_ARTICLE_BYTES`` for holders of the token (``ingestArticle``
  carries a whole article); a mutation refused for its input is a 422 (``RefusedInput``);
- a browser's GET without a query gets GraphiQL (unless introspection is off: GraphiQL
  cannot work without it).
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError, get_operation_ast, parse
from graphql import OperationType as OperationKind
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.exceptions import MissingQueryError
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from kg.config import DEFAULT_MAX_ARTICLE_BYTES, MiB
from kg.web.auth import write_refusal
from kg.web.bodies import read_body
from kg.web.consistency import store_lock
from kg.web.graphql_data import GraphContext, GraphData, Loaders
from kg.web.graphql_errors import RefusedInput, TimelineSchema
from kg.web.graphql_limits import GraphQLLimits
from kg.web.negotiation import choose
from kg.web.responses import HTTPProblem

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
OFFERED = (JSON, GRAPHQL_RESPONSE)  # a tie (*/*, or both at q=1) goes to JSON, which every client reads
_PARAMETERS = ("query", "operationName", "variables", "extensions")


@dataclass
class RequestError(Exception):
    """A request that cannot run: its status, its one-line message, extra headers."""

    status: int
    message: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GraphQLParams:
    query: str
    operation_name: str | None
    variables: dict[str, Any] | None


class GraphQLHTTP:
    """The ASGI app of ``/graphql`` over one store's ``GraphData`` and one schema."""

    def __init__(self, schema: TimelineSchema, data: GraphData, *, limits: GraphQLLimits,
                 update_token: str | None, max_query_bytes: int = MiB,
                 max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES) -> None:
        self.schema, self.data, self.limits, self.update_token = schema, data, limits, update_token
        self.max_query_bytes, self.max_article_bytes = max_query_bytes, max_article_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.respond(Request(scope, receive))
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        if request.method not in ("GET", "POST"):
            return PlainTextResponse("GraphQL takes GET (queries) and POST\n", 405,
                                     headers={"Allow": "GET, POST"})
        accept = request.headers.get("accept")
        browser = request.method == "GET" and "text/html" in (accept or "")
        if browser and "query" not in request.query_params and self.limits.introspection:
            return HTMLResponse(get_graphql_ide_html("graphiql"))
        media = JSON if accept is None else choose(accept, OFFERED)
        if media is None:
            return PlainTextResponse(f"not acceptable: /graphql answers {' or '.join(OFFERED)}\n", 406)
        try:
            params = await read_params(request, self.body_limit(request))
            result = await self.execute(request, params)
        except RequestError as error:
            return _json(media, error.status, {"errors": [{"message": error.message}]}, error.headers)
        return graphql_response(media, result)

    async def execute(self, request: Request, params: GraphQLParams) -> ExecutionResult:
        """Run the operation; a RequestError for one this request may not run."""
        may_write = request.method == "POST" and write_refusal(request, self.update_token) is None
        allowed = {OperationType.QUERY, OperationType.MUTATION} if may_write else {OperationType.QUERY}
        loaders = Loaders.for_request(self.data)
        context = GraphContext(self.data, loaders, self.limits, may_write, request=request,
                               max_article_bytes=self.max_article_bytes)
        reads = not may_write or not _is_mutation(params, self.limits.max_tokens)
        try:
            async with store_lock(self.data.store).reading() if reads else nullcontext():
                return await self.schema.execute(
                    params.query, variable_values=params.variables, context_value=context,
                    operation_name=params.operation_name, allowed_operation_types=allowed,
                )
        except InvalidOperationTypeError as error:
            raise self.refusal(request, error.operation_type) from None
        except CannotGetOperationTypeError as error:
            raise RequestError(400, error.as_http_error_reason()) from None
        except MissingQueryError:
            raise RequestError(400, "missing GraphQL query") from None

    def body_limit(self, request: Request) -> tuple[int, str]:
        """The largest body this request may send, and the setting to name when it is larger."""
        if write_refusal(request, self.update_token) is None:
            return self.max_query_bytes + self.max_article_bytes, "KG_MAX_QUERY_BYTES + KG_MAX_ARTICLE_BYTES"
        return self.max_query_bytes, "KG_MAX_QUERY_BYTES"

    def refusal(self, request: Request, operation: OperationType) -> RequestError:
        if operation is not OperationType.MUTATION:
            return RequestError(400, f"{operation.value} operations are not offered")
        if request.method == "GET":
            return RequestError(405, "mutations are sent with POST", {"Allow": "POST"})
        refused = write_refusal(request, self.update_token)
        assert refused is not None, "a writer's mutation is allowed"
        headers = {key: value for key, value in refused.headers.items() if key == "www-authenticate"}
        return RequestError(refused.status_code, bytes(refused.body).decode().strip(), headers)


def _is_mutation(params: GraphQLParams, max_tokens: int) -> bool:
    """Whether the operation to run is a mutation: its resolvers take the store's write lock, so the
    request must not hold the read side (``kg.web.consistency``)."""
    try:
        document = parse(params.query, max_tokens=max_tokens)
    except GraphQLError:
        return False  # it will not run
    operation = get_operation_ast(document, params.operation_name)
    return operation is not None and operation.operation is OperationKind.MUTATION


async def read_params(request: Request, body_limit: tuple[int, str] = (MiB, "KG_MAX_QUERY_BYTES")
                      ) -> GraphQLParams:
    """The request's query, operation name and variables, checked; RequestError otherwise."""
    if request.method == "GET":
        raw = _query_string_params(request)
    else:
        raw = await _body_params(request, body_limit)
    query = raw.get("query")
    if query is None or (isinstance(query, str) and not query.strip()):
        raise RequestError(400, "missing GraphQL query (the 'query' parameter)")
    if not isinstance(query, str):
        raise RequestError(400, "'query' must be a string")
    operation_name = raw.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(400, "'operationName' must be a string or null")
    for name in ("variables", "extensions"):
        if raw.get(name) is not None and not isinstance(raw[name], dict):
            raise RequestError(400, f"'{name}' must be a JSON object or null")
    return GraphQLParams(query, operation_name, raw.get("variables"))


def _query_string_params(request: Request) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for name in _PARAMETERS:
        values = request.query_params.getlist(name)
        if len(values) > 1:
            raise RequestError(400, f"parameter '{name}' given more than once")
        if values:
            raw[name] = _decode_json(values[0], name) if name in ("variables", "extensions") else values[0]
    return raw


async def _body_params(request: Request, body_limit: tuple[int, str]) -> dict[str, Any]:
    content_type = request.headers.get("content-type")
    if content_type is None:
        raise RequestError(415, "POST a JSON body with 'Content-Type: application/json'")
    media, *options = (part.strip().lower() for part in content_type.split(";"))
    charset = next((o.partition("=")[2].strip('"') for o in options if o.startswith("charset=")), "utf-8")
    if media != JSON or charset != "utf-8":
        raise RequestError(415, f"unsupported Content-Type {content_type!r}: POST application/json (UTF-8)")
    try:
        body = await read_body(request, *body_limit)
    except HTTPProblem as problem:
        raise RequestError(problem.status, problem.message) from None
    if not body:
        raise RequestError(400, "the POST body is empty: send {\"query\": ...}")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestError(400, "the POST body is not UTF-8") from None
    params = _decode_json(text, "body")
    if not isinstance(params, dict):
        raise RequestError(400, "the POST body must be a JSON object (batches are not accepted)")
    return params


def _decode_json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise RequestError(400, f"{name} is not valid JSON: {error.msg} at character {error.pos}") from None


def graphql_response(media: str, result: ExecutionResult) -> Response:
    """The response to an operation that was run (or refused while parsing or validating it).

    An operation refused before execution (every error without a path) has no ``data``
    entry: 400 for clients of the specification's media type, 200 for ``application/json``.
    """
    errors = result.errors or []
    not_run = result.data is None and bool(errors) and all(error.path is None for error in errors)
    body: dict[str, Any] = {} if not_run else {"data": result.data}
    if errors:
        body["errors"] = [error.formatted for error in errors]
    if result.extensions:
        body["extensions"] = result.extensions
    refused = result.data is None and bool(errors) and all(
        isinstance(error.original_error, RefusedInput) for error in errors)
    status = 422 if refused else 400 if not_run and media == GRAPHQL_RESPONSE else 200
    return _json(media, status, body)


def _json(media: str, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(content, status, headers={**(headers or {}), "Vary": "Accept"},
                    media_type=f"{media}; charset=utf-8")
