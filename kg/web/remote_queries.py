"""The SPARQL doors' queries (``/sparql``, ``/queries/{name}``) over a remote store: one request each.

Over the embedded store, a query runs in a worker process of ``kg.web.query_pool`` that is
killed at the time limit, because pyoxigraph cannot stop a running query.  Over a SPARQL
server nothing runs here to kill: a query is one HTTP request to the server, and closing its
connection at the deadline is how it is stopped (the server stops sending; whether it stops
computing is up to the server).  So ``RemoteQueries`` has the pool's interface and limits,
and nothing of its machinery:

* at most ``KG_QUERY_WORKERS`` queries are sent side by side, the wait counted in the
  query's ``KG_QUERY_TIMEOUT``, past which the client gets the pool's 503;
* the server is asked for SPARQL JSON results or N-Triples (what any SPARQL 1.1 server
  writes); the answer is converted by pyoxigraph, as it streams in, into the format the
  client negotiated, kept in memory up to ``spill.SPILL_BYTES`` and in a file past that, and
  never past ``KG_MAX_RESULT_BYTES`` (a 500 asking for a LIMIT, as for the embedded store);
* the query goes with our prefixes predeclared and the union of the graphs as the default
  graph unless the request names graphs (``RemoteStore.query_request``), so it answers as
  it would over the embedded store.  The server's own errors (a syntax error) are a 400
  with its one-line message; an unreachable or failing server a 502.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import itertools
import shutil
import socket
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast
from urllib.parse import urlsplit

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool

from kg.remote_store import RemoteStore, server_message
from kg.web.formats import FormatRefused, query_result_format
from kg.web.query_pool import QueryAnswer, QueryJob, QueryPool
from kg.web.spill import SpillingOutput

if TYPE_CHECKING:
    from kg.config import Settings
    from kg.remote_store import QueryRequest
    from kg.store import GraphStore

_RESULTS = "application/sparql-results+json"
_TRIPLES = "application/n-triples"


def query_runner(store: GraphStore, settings: Settings) -> QueryPool:
    """What runs the SPARQL doors' queries over ``store``: requests to a server, or the worker pool."""
    if isinstance(store, RemoteStore):
        return RemoteQueries(store, settings)
    return QueryPool(store, settings)


class RemoteQueries(QueryPool):
    """``QueryPool``'s interface (``start``, ``run``, ``close``) over a SPARQL server."""

    def __init__(self, store: RemoteStore, settings: Settings) -> None:
        super().__init__(store, settings)
        self._remote = store
        self._slots: asyncio.Semaphore | None = None
        self._results: Path | None = None
        self._running: set[_Exchange] = set()
        self._spills = itertools.count()

    async def start(self) -> None:
        self._slots = asyncio.Semaphore(self._settings.query_workers)
        self._results = Path(tempfile.mkdtemp(prefix="kg-remote-results-"))

    async def close(self) -> None:
        """Abort the queries still being answered and delete their spilled results."""
        for exchange in list(self._running):
            exchange.abort()
        if self._results is not None:
            await run_in_threadpool(shutil.rmtree, self._results, True)

    async def run(self, job: QueryJob) -> QueryAnswer:
        """The server's answer to ``job`` in the negotiated format, or a 503 at the time limit."""
        assert self._slots is not None and self._results is not None
        limit = self._settings.query_timeout
        deadline = asyncio.get_running_loop().time() + limit
        try:
            async with asyncio.timeout_at(deadline):
                await self._slots.acquire()
        except TimeoutError:
            return QueryAnswer(503, f"query not started: {self._settings.query_workers} queries stayed "
                                    f"running for {limit:g} s (KG_QUERY_WORKERS, KG_QUERY_TIMEOUT); "
                                    "try again later")
        request = self._remote.query_request(job.query, job.default_graphs, job.named_graphs)
        exchange = _Exchange(request, job, limit, self._settings.max_result_bytes,
                             self._results / f"result-{next(self._spills)}")
        self._running.add(exchange)
        try:
            async with asyncio.timeout_at(deadline):
                # Not run_in_threadpool: its await cannot be cancelled before the thread returns.
                return await asyncio.to_thread(exchange.run)
        except TimeoutError:
            exchange.abort()
            return QueryAnswer(503, f"query stopped after {limit:g} s, the server's time limit "
                                    "(KG_QUERY_TIMEOUT): narrow it or add a LIMIT")
        finally:
            self._running.discard(exchange)
            self._slots.release()


class _Aborted(Exception):
    """The exchange was aborted (time limit, shutdown) while its thread still ran."""


class _Exchange:
    """One query sent to the server and its answer converted, in a thread; ``abort`` from any other."""

    def __init__(self, request: QueryRequest, job: QueryJob, timeout: float, max_bytes: int, spill: Path):
        self.request, self.job, self.timeout = request, job, timeout
        self.output = SpillingOutput(spill, max_bytes)
        self.connection: http.client.HTTPConnection | None = None
        self.aborted = False

    def abort(self) -> None:
        """Close the connection under the reading thread: the server's answer stops, the thread returns."""
        self.aborted = True
        connection = self.connection
        if connection is not None and connection.sock is not None:
            with contextlib.suppress(OSError):  # already closed by the thread itself
                connection.sock.shutdown(socket.SHUT_RDWR)

    def run(self) -> QueryAnswer:
        url = urlsplit(self.request.url)
        kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        self.connection = connection = kind(url.netloc, timeout=self.timeout)
        try:
            if self.aborted:
                raise _Aborted()
            target = url.path + (f"?{url.query}" if url.query else "")
            connection.request("POST", target, body=self.request.body, headers=self.request.headers)
            answer = self._answer(connection.getresponse())
            if self.aborted:  # answered just too late: nobody will send the spilled file
                raise _Aborted()
            return answer
        except (OSError, http.client.HTTPException, _Aborted) as error:
            self.output.discard()
            if self.aborted:
                return QueryAnswer(503, "query stopped: the server is shutting down or the time limit passed")
            return QueryAnswer(502, f"cannot reach the SPARQL server: {_one_line(error)}")
        finally:
            connection.close()

    def _answer(self, response: http.client.HTTPResponse) -> QueryAnswer:
        if response.status != 200:
            detail = server_message(response.read(4000)) or response.reason
            if 400 <= response.status < 500:  # worded as the embedded store words its syntax errors
                return QueryAnswer(400, f"SPARQL {detail}" if detail.startswith("syntax error")
                                   else f"SPARQL query failed: {detail}")
            return QueryAnswer(502, f"the SPARQL server failed (HTTP {response.status}): {detail}")
        kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if kind not in (_RESULTS, _TRIPLES):
            return QueryAnswer(502, f"the SPARQL server answered with {kind or 'no type'}, "
                                    "not SPARQL results or N-Triples")
        try:
            chosen = query_result_format(kind == _TRIPLES, self.job.formats, self.job.accept)
        except FormatRefused as refused:
            return QueryAnswer(406, str(refused))
        out = cast(BinaryIO, self.output)
        try:
            if kind == _TRIPLES:
                ox.serialize(ox.parse(response, format=ox.RdfFormat.N_TRIPLES), out, _rdf(chosen.serializer))
            else:
                ox.parse_query_results(response, format=ox.QueryResultsFormat.JSON).serialize(
                    out, _results(chosen.serializer))
        except Exception as error:  # pyoxigraph re-raises what the writer or the stream raised as its own
            self.output.discard()
            if self.output.too_large:
                return QueryAnswer(500, f"query result larger than {self.output.limit} bytes, the server's "
                                        "limit (KG_MAX_RESULT_BYTES): add a LIMIT or narrow the query")
            if self.aborted:
                raise _Aborted() from None
            return QueryAnswer(502, f"reading the SPARQL server's answer failed: {_one_line(error)}")
        return _answer_from(self.output, chosen.content_type)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


def _rdf(serializer: ox.QueryResultsFormat | ox.RdfFormat) -> ox.RdfFormat:
    assert isinstance(serializer, ox.RdfFormat)
    return serializer


def _results(serializer: ox.QueryResultsFormat | ox.RdfFormat) -> ox.QueryResultsFormat:
    assert isinstance(serializer, ox.QueryResultsFormat)
    return serializer


def _answer_from(output: SpillingOutput, content_type: str) -> QueryAnswer:
    """The 200 answer of a result written into ``output``: its bytes, or the spilled file."""
    if output.file is None:
        return QueryAnswer(200, content_type=content_type, body=bytes(output.buffer))
    output.close()
    return QueryAnswer(200, content_type=content_type, file=output.spill)
