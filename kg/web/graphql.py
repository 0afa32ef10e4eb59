"""``/graphql``: the schema with one deployment's limits, behind the GraphQL-over-HTTP door.

The parts: types (``graphql_types``), filters (``graphql_where``), cursors
(``graphql_pagination``), limits (``graphql_limits``), writes (``graphql_mutations``),
errors (``graphql_errors``), data access (``graphql_data``), HTTP (``graphql_http``).
DataLoaders are created for every request by the HTTP layer: they cache what they load,
so one shared set would serve stale rows after an ingest and grow without bound.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.config import Settings
from kg.web.graphql_data import GraphData
from kg.web.graphql_http import GraphQLHTTP
from kg.web.graphql_limits import GraphQLLimits
from kg.web.graphql_schema import build_schema

if TYPE_CHECKING:
    from kg.store import GraphStore


def graphql_app(
    store: GraphStore, settings: Settings | None = None, limits: GraphQLLimits | None = None
) -> GraphQLHTTP:
    """The ``/graphql`` ASGI app for ``store``; writes need ``settings.update_token``.

    ``limits`` default to the environment's (``KG_GRAPHQL_*``, see ``GraphQLLimits``).
    """
    limits = limits or GraphQLLimits.from_env()
    settings = settings or Settings()
    return GraphQLHTTP(build_schema(limits), GraphData(store), limits=limits,
                       update_token=settings.update_token, max_query_bytes=settings.max_query_bytes,
                       max_article_bytes=settings.max_article_bytes)
