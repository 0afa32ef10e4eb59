"""The HTTP doors onto the knowledge graph: SPARQL, GraphQL, exports and a health check.

``create_app`` (in ``kg.web.app``) builds the Starlette application; nothing is
imported here so ``import kg.web.sparql`` does not pull in strawberry.
"""
