"""GraphQL writes: ingest an article, delete one; only with the bearer token of the update endpoint.

The HTTP layer checks the token (``kg.web.auth.write_refusal``, the one rule for every
write path) and refuses a mutation without it before it runs; the resolvers check the
context's ``may_write`` again, so a schema executed some other way cannot write either.
An article goes through the same path as ``kg ingest``: the reader, the extractor, then
the store's one-transaction replace of the article's graph.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Annotated

import strawberry
from starlette.concurrency import run_in_threadpool

from kg.extract import extract
from kg.reader import ArticleError, parse_json_article
from kg.store import IngestResult, StoreError
from kg.web.graphql_errors import UserError
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
        article_id = input.id or _article_id(input)
        raw = json.dumps({"title": input.title, "published": input.published.isoformat(), "text": input.text,
                          **({"url": input.url} if input.url else {})})

        def ingest() -> tuple[IngestResult, int]:
            extraction = extract(parse_json_article(raw, source="ingestArticle input", article_id=article_id))
            return store.ingest(extraction), len(extraction.events)

        try:
            result, events = await run_in_threadpool(ingest)
        except (ArticleError, StoreError) as error:
            raise UserError(str(error)) from None
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
        store = info.context.data.store
        try:
            deleted = await run_in_threadpool(store.delete_document, str(id))
        except StoreError as error:
            raise UserError(str(error)) from None
        return DeletePayload(id=id, deleted=deleted)


def _check_writer(info: Context) -> None:
    if not info.context.may_write:
        raise UserError("writes need 'Authorization: Bearer <token>' with the server's KG_UPDATE_TOKEN")


def _article_id(article: ArticleInput) -> str:
    """A stable id: the same URL (or title and publication time) names the same article."""
    origin = article.url or f"{article.title}\n{article.published.isoformat()}"
    return "graphql-" + hashlib.sha256(origin.encode("utf-8")).hexdigest()[:16]

