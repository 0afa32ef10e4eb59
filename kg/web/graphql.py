"""``/graphql``: strawberry's ASGI app over the schema, with fresh DataLoaders for every request.

DataLoaders cache what they load, so one shared set would serve stale rows after an
ingest and grow without bound; one set per request keeps batching (within a query)
without caching across queries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from kg.web.graphql_data import GraphContext, GraphData, Loaders
from kg.web.graphql_schema import schema

if TYPE_CHECKING:
    from kg.store import GraphStore


class TimelineGraphQL(GraphQL[GraphContext, None]):
    """strawberry's ASGI GraphQL app, bound to one store's ``GraphData``."""

    def __init__(self, data: GraphData) -> None:
        super().__init__(schema, allow_queries_via_get=True)
        self.data = data

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> GraphContext:
        return GraphContext(self.data, Loaders.for_request(self.data), request=request, response=response)


def graphql_app(store: GraphStore) -> TimelineGraphQL:
    """The ``/graphql`` ASGI app for ``store`` (GraphiQL on a browser GET, queries on POST and GET)."""
    return TimelineGraphQL(GraphData(store))
