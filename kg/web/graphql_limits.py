"""What a GraphQL request may ask for: depth, tokens, aliases, page size and cost, refused before it runs.

A GraphQL query is written by the client, so one request can ask for a thousand events,
each with its actors, each with their thousand events...  Every limit here is checked
while the document is parsed or validated, before any SPARQL runs, and each refusal says
which limit was hit.  The numbers come from the environment (``KG_GRAPHQL_*``) so a
deployment can loosen or tighten them without code.

The cost model: every field selected costs one per item it may be resolved for.  A
connection multiplies what is under it by its page size (``first``/``last``, or the
default page), a plain list (an event's agents) by ``list_fanout``, a single object by one.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
)
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from kg.web.graphql_documents import CheckedDocuments, DocumentCache

_ENV_PREFIX = "KG_GRAPHQL_"


@dataclass(frozen=True)
class GraphQLLimits:
    """The limits of one server; every field can be set by ``KG_GRAPHQL_<FIELD NAME IN CAPITALS>``."""

    max_depth: int = 10
    max_tokens: int = 2000
    max_aliases: int = 15
    max_cost: int = 100_000
    max_page_size: int = 1000
    default_page_size: int = 100
    list_fanout: int = 5
    introspection: bool = True

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if item.type == "int" and value < 1:
                raise ValueError(f"GraphQL limit {item.name} must be at least 1, got {value}")
        if self.default_page_size > self.max_page_size:
            raise ValueError(f"GraphQL default_page_size ({self.default_page_size}) is over "
                             f"max_page_size ({self.max_page_size})")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> GraphQLLimits:
        """The defaults, overridden by ``KG_GRAPHQL_MAX_DEPTH=12``, ``KG_GRAPHQL_INTROSPECTION=0``..."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for item in fields(cls):
            name = _ENV_PREFIX + item.name.upper()
            if (text := env.get(name)) is None:
                continue
            values[item.name] = _flag(name, text) if item.type == "bool" else _integer(name, text)
        return cls(**values)

    def check_page_size(self, argument: str, value: int) -> None:
        """A page of 0 to ``max_page_size`` items, or ValueError naming the argument."""
        if not 0 <= value <= self.max_page_size:
            raise ValueError(f"'{argument}' must be between 0 and {self.max_page_size}, got {value}")


def schema_extensions(limits: GraphQLLimits) -> list[Callable[[], SchemaExtension]]:
    """The strawberry extensions enforcing ``limits``, as factories (one instance per request).

    ``CheckedDocuments`` comes last: it validates with the rules the others add, once per
    query text (``graphql_documents``), then checks the cost with this request's variables.
    """
    extensions: list[Callable[[], SchemaExtension]] = [
        functools.partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
        functools.partial(MaxAliasesLimiter, max_alias_count=limits.max_aliases),
        functools.partial(QueryDepthLimiter, max_depth=limits.max_depth),
    ]
    if not limits.introspection:
        extensions.append(DisableIntrospection)
    cost = functools.partial(operation_errors, limits)
    extensions.append(functools.partial(CheckedDocuments, DocumentCache(), cost))
    return extensions


def operation_errors(
    limits: GraphQLLimits, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any],
    operation_name: str | None,
) -> list[GraphQLError]:
    """The page-size and cost errors of the operation that would run (none when it is within limits).

    Page sizes are usually variables (``first: $n``), so this runs for every request, after
    the document's own validation (which does not depend on variables and is cached).
    """
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)
                  and (operation_name is None or (d.name is not None and d.name.value == operation_name))]
    walker = _CostWalker(schema, fragments, limits, variables)
    errors: list[GraphQLError] = []
    for operation in operations:
        root = _root_type(schema, operation.operation)
        if root is None:
            continue
        cost = walker.cost(operation.selection_set, root, 1, frozenset())
        errors.extend(walker.errors)
        walker.errors = []
        if cost > limits.max_cost:
            errors.append(GraphQLError(
                f"query cost {cost:,} is over the limit of {limits.max_cost:,} (every field counts once per "
                f"item it may be resolved for; a page of N multiplies the fields under it by N, a list by "
                f"{limits.list_fanout}): ask for smaller pages or fewer nested fields", operation))
    return errors


class _CostWalker:
    def __init__(self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode],
                 limits: GraphQLLimits, variables: Mapping[str, Any]) -> None:
        self.schema, self.fragments, self.limits, self.variables = schema, fragments, limits, variables
        self.errors: list[GraphQLError] = []

    def cost(self, selections: SelectionSetNode, parent: GraphQLNamedType, multiplier: int,
             seen: frozenset[str]) -> int:
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self.field_cost(selection, parent, multiplier, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.cost(selection.selection_set, target or parent, multiplier, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:  # unknown or cyclic: other rules report it
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value) or parent
                total += self.cost(fragment.selection_set, target, multiplier, seen | {name})
        return total

    def field_cost(self, node: FieldNode, parent: GraphQLNamedType, multiplier: int,
                   seen: frozenset[str]) -> int:
        name = node.name.value
        if name.startswith("__") or not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0  # introspection has its own switch; unknown fields are reported by validation
        definition = parent.fields.get(name)
        if definition is None:
            return 0
        own = multiplier
        if node.selection_set is None:
            return own
        returned = get_named_type(definition.type)
        factor = self.factor(node, returned, isinstance(get_nullable_type(definition.type), GraphQLList))
        return own + self.cost(node.selection_set, returned, multiplier * factor, seen)

    def factor(self, node: FieldNode, returned: GraphQLNamedType, is_list: bool) -> int:
        if returned.name.endswith("Connection"):
            sizes = [self.page_argument(node, name) for name in ("first", "last")]
            given = [size for size in sizes if size is not None]
            return max(given) if given else self.limits.default_page_size
        return self.limits.list_fanout if is_list else 1

    def page_argument(self, node: FieldNode, name: str) -> int | None:
        argument = next((a for a in node.arguments or () if a.name.value == name), None)
        if argument is None:
            return None
        value: Any = None
        if isinstance(argument.value, IntValueNode):
            value = int(argument.value.value)
        elif isinstance(argument.value, VariableNode):
            value = self.variables.get(argument.value.name.value)
        if not isinstance(value, int) or isinstance(value, bool):
            return None  # a wrong type is reported by validation or by variable coercion
        try:
            self.limits.check_page_size(name, value)
        except ValueError as error:
            self.errors.append(GraphQLError(str(error), argument))
            return 0
        return value


def _root_type(schema: GraphQLSchema, operation: OperationType) -> GraphQLObjectType | None:
    return {OperationType.QUERY: schema.query_type, OperationType.MUTATION: schema.mutation_type,
            OperationType.SUBSCRIPTION: schema.subscription_type}[operation]


def _integer(name: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {text!r}") from None


def _flag(name: str, text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1 or 0 (true or false), got {text!r}")
