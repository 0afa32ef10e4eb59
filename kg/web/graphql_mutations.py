"""GraphQL writes: ingest an article, delete one; only with the bearer token of the update endpoint.

The HTTP layer checks the token (``kg.web.auth.write_refusal``, the one rule for every
write path) and refuses a mutation without it before it runs; the resolvers check the
context's ``may_write`` again, so a schema executed some other way cannot write either.
An article goes through the same path as ``kg ingest``: the reader (its checks, and the
``KG_MAX_ARTICLE_BYTES`` cap), the extractor, then the store's one-transaction replace of
the article's graph.  An article refused is a ``RefusedInput`` (the HTTP answer is a 422);
a store failure is left unexpected, so the client sees it masked: its message may hold
the store's path on disk.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Annotated

import strawberry
from pyoxigraph import NamedNode
from starlette.concurrency import run_in_threadpool

from kg.extract import extract
from kg.reader import ArticleError, parse_json_article
from kg.web.consistency import store_lock
from kg.web.graphql_errors import RefusedInput, UserError
from kg.web.graphql_types import Context, Document


@strawberry.input(description="A news article to read, extract and store.")
class ArticleInput:
    title: str = strawberry.field(description="The article's title.")
    published: datetime = strawberry.field(
        description="When it was published, with its time zone (ISO 8601: 2031-06-20T09:30:00+02:00).")
    text: str = strawberry.field(description="The article's body text (plain text, paragraphs by newline).")
    url: str | None = strawberry.field(default=None, description="Where it was read from.")
    id: str | None = strawberry.field(
        default=None, description="A stable name for the article; by default one derived from the URL (or "
        "from the title and publication time), so sending the same article again replaces it.")


@strawberry.type(description="What ingesting an article did.")
class IngestPayload:
    document: Document = strawberry.field(description="The stored article.")
    events: int = strawberry.field(description="How many events were read from it.")
    triples: int = strawberry.field(description="How many triples its graph holds.")
    replaced: bool = strawberry.field(description="True when an earlier version of the article was replaced.")
    unchanged: bool = strawberry.field(description="True when the same content was stored (no write).")


@strawberry.type(description="What deleting an article did.")
class DeletePayload:
    id: strawberry.ID = strawberry.field(description="The article's IRI.")
    deleted: bool = strawberry.field(description="False when no such article was stored.")


@strawberry.type(description="Writes; each needs 'Authorization: Bearer <token>' (KG_UPDATE_TOKEN).")
class Mutation:
    @strawberry.mutation(description="Read, extract and store an article (replacing an earlier version).")
    async def ingest_article(
        self, info: Context,
        input: Annotated[ArticleInput, strawberry.argument(description="The article.")],
    ) -> IngestPayload:
        _check_writer(info)
        store = info.context.data.store
        size, limit = len(input.text.encode("utf-8", "surrogatepass")), info.context.max_article_bytes
        if size > limit:
            raise RefusedInput(f"{_SOURCE}: text of {size} bytes, over the {limit}-byte limit for one "
                               "article (KG_MAX_ARTICLE_BYTES)")
        article_id = input.id or _article_id(input)
        raw = json.dumps({"title": input.title, "published": input.published.isoformat(), "text": input.text,
                          **({"url": input.url} if input.url else {})})

        try:
            extraction = await run_in_threadpool(
                lambda: extract(parse_json_article(raw, source=_SOURCE, article_id=article_id)))
        except ArticleError as error:
            raise RefusedInput(str(error)) from None
        async with store_lock(store).writing():
            result = await run_in_threadpool(store.ingest, extraction)
        events = len(extraction.events)
        row = await info.context.loaders.documents.load(result.document)
        assert row is not None, "an article just stored is readable"
        return IngestPayload(document=Document.from_row(row), events=events, triples=result.triples,
                             replaced=result.replaced, unchanged=result.unchanged)

    @strawberry.mutation(description="Delete an article's graph: its events, its view of actors and acts.")
    async def delete_document(
        self, info: Context,
        id: Annotated[strawberry.ID, strawberry.argument(description="The article's IRI.")],
    ) -> DeletePayload:
        _check_writer(info)
        try:
            iri = NamedNode(str(id)).value
        except ValueError:
            raise UserError(f"id {str(id)!r} is not an absolute IRI") from None
        store = info.context.data.store
        async with store_lock(store).writing():
            deleted = await run_in_threadpool(store.delete_document, iri)
        return DeletePayload(id=id, deleted=deleted)


_SOURCE = "ingestArticle input"


def _check_writer(info: Context) -> None:
    if not info.context.may_write:
        raise UserError("writes need 'Authorization: Bearer <token>' with the server's KG_UPDATE_TOKEN")


def _article_id(article: ArticleInput) -> str:
    """A stable id: the same URL (or title and publication time) names the same article."""
    origin = article.url or f"{article.title}\n{article.published.isoformat()}"
    return "graphql-" + hashlib.sha256(origin.encode("utf-8")).hexdigest()[:16]

