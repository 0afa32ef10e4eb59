"""Parse and validate each distinct GraphQL document once per schema, then check each request's variables.

A frontend sends the same few query texts over and over with different variables.
Parsing and validating a timeline query (the specification's rules, the depth, alias and
introspection limits) cost as much as resolving a hundred events' fields, and their
result depends only on the text and the schema, whose limits are fixed when it is built.
So the parsed document and its validation errors are kept by query text in a bounded LRU,
one per schema (a schema with other limits validates differently).  What depends on the
request, the page sizes and the cost (``first: $n``), is checked on every request by
``per_request``.  Nothing here caches an answer: every request still runs its operation.

A document that does not parse is not kept: its error is cheap to find again, and keeping
it would let junk texts push out the useful entries.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

PerRequestCheck = Callable[[GraphQLSchema, DocumentNode, Mapping[str, Any], str | None], list[GraphQLError]]


@dataclass
class CheckedDocument:
    """A parsed document and, once validated, the errors of the schema's rules (empty when valid)."""

    document: DocumentNode
    errors: list[GraphQLError] | None = None


class DocumentCache:
    """The documents of one schema by query text, least recently used out first beyond ``size``.

    Texts longer than ``longest`` characters are checked but not kept: comments and spaces
    cost no tokens, so without it 256 padded texts of a megabyte each could be held.
    """

    def __init__(self, size: int = 256, longest: int = 64 * 1024) -> None:
        self.size, self.longest = size, longest
        self._entries: OrderedDict[str, CheckedDocument] = OrderedDict()

    def get(self, query: str) -> CheckedDocument | None:
        entry = self._entries.get(query)
        if entry is not None:
            self._entries.move_to_end(query)
        return entry

    def put(self, query: str, document: DocumentNode) -> CheckedDocument:
        entry = CheckedDocument(document)
        if len(query) > self.longest:
            return entry
        self._entries[query] = entry
        self._entries.move_to_end(query)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return entry


class CheckedDocuments(SchemaExtension):
    """Takes parsing and validation from ``cache`` when it can, and always runs ``per_request``.

    It must come after the extensions that add validation rules (they add them when the
    operation starts, so they are in place by the time a document is first validated).
    """

    def __init__(self, cache: DocumentCache, per_request: PerRequestCheck) -> None:
        self.cache, self.per_request = cache, per_request

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        known = self.cache.get(context.query) if context.query else None
        if known is not None:
            context.graphql_document = known.document
        yield
        if known is None and context.query and context.graphql_document is not None:
            self.cache.put(context.query, context.graphql_document)

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None and context.query, "validation runs on a parsed query"
        entry = self.cache.get(context.query) or self.cache.put(context.query, document)
        if entry.errors is None:
            entry.errors = validate_document(context.schema._schema, document, context.validation_rules)
        own = self.per_request(context.schema._schema, document, context.variables or {},
                               context.operation_name)
        context.pre_execution_errors = [*entry.errors, *own]
        yield
