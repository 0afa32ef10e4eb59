"""The worker processes that run SPARQL queries under a time limit and a result-size cap.

pyoxigraph cannot stop a running query (no timeout in its Python API, and a sort or an
aggregate runs inside one call), so the only way to stop a runaway query is to kill the
process running it.  Queries therefore run in ``kg.web.query_worker`` processes:

* each worker reads a snapshot of the store opened read-only.  A query that finds the store
  written since the last snapshot (``GraphStore.generation``: whoever wrote, SPARQL Update,
  Graph Store, GraphQL mutation or ingest) first takes a new one (a RocksDB checkpoint: hard
  links, milliseconds), so it sees every write answered before it started; workers move
  to the new snapshot at their next query;
* a query waits for an idle worker, is sent to it and answered, all within the query's
  deadline (``KG_QUERY_TIMEOUT``, waiting included); past it the worker is killed, a new
  one is started, and the client gets a 503 naming the limit;
* the event loop only writes and reads pipes, so other requests go on being served
  while queries run, and a killed worker takes nobody else's query with it.

The parent's side of a query is on the hot path of every ``/sparql`` request, so it is
kept to the minimum the event loop allows: the worker's pipes are read by a protocol
callback (no stream reader, no task per worker), a worker that finishes takes the next
waiting query at once in that callback, and each query costs one future and one timer.

Old snapshots are deleted once no worker reads them; the snapshot directory (next to the
store, so checkpoints can be hard links) is removed when the pool closes.  A server killed
without closing (SIGKILL, a power cut) leaves its directory behind: each pool holds a lock
on its own for as long as it lives, and the next pool started beside it deletes every
directory whose lock nobody holds.
"""

from __future__ import annotations

import asyncio
import fcntl
import itertools
import json
import logging
import os
import shutil
import sys
import tempfile
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from starlette.concurrency import run_in_threadpool

import kg

if TYPE_CHECKING:
    from kg.config import Settings
    from kg.store import GraphStore

_SHUTDOWN_SECONDS = 5.0
_ROOT_PREFIX = "kg-query-snapshots-"
_ROOT_LOCK = "owner.lock"
log = logging.getLogger("kg.web.query_pool")


@dataclass(frozen=True)
class QueryJob:
    """A query as the protocol received it: text, dataset (None: the union of the graphs), format asked."""

    query: str
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    formats: tuple[str, ...] = ()
    accept: str | None = None


@dataclass(frozen=True)
class QueryAnswer:
    """What a worker answered: a status and either a message, the result bytes, or a file holding them."""

    status: int
    message: str = ""
    content_type: str = ""
    body: bytes = b""
    file: Path | None = None


class QueryWorkerError(RuntimeError):
    """A worker process could not be started or stopped answering."""


class _Call:
    """One query between ``QueryPool.run`` and the worker answering it."""

    __slots__ = ("answer", "payload", "snapshot", "spill", "timer", "worker")

    def __init__(
        self, payload: bytes, snapshot: str, spill: str, answer: asyncio.Future[QueryAnswer]
    ) -> None:
        self.payload, self.snapshot, self.spill, self.answer = payload, snapshot, spill, answer
        self.timer: asyncio.TimerHandle | None = None
        self.worker: _Worker | None = None  # set while a worker runs it


class _Worker(asyncio.SubprocessProtocol):
    """One worker process: its pipes, the query it runs, the snapshot it last read.

    Frames from the worker are a JSON header line then ``length`` bytes of body; they are
    parsed as the bytes arrive and handed to ``on_frame``.
    """

    def __init__(self, on_frame: Callable[[_Worker, dict[str, Any], bytes], None],
                 on_exit: Callable[[_Worker], None]) -> None:
        self.on_frame, self.on_exit = on_frame, on_exit
        self.transport: asyncio.SubprocessTransport | None = None
        self.snapshot: str | None = None
        self.call: _Call | None = None
        self.ready: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.gone: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._buffer = bytearray()
        self._header: dict[str, Any] | None = None

    @property
    def pid(self) -> int:
        assert self.transport is not None
        return self.transport.get_pid()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.SubprocessTransport, transport)  # uvloop's is not a subclass

    def pipe_data_received(self, fd: int, data: bytes | bytearray) -> None:
        self._buffer += data
        while self._buffer:
            if self._header is None:
                end = self._buffer.find(b"\n")
                if end < 0:
                    return
                self._header = json.loads(self._buffer[:end])
                del self._buffer[:end + 1]
            length = self._header.get("length", 0)
            if len(self._buffer) < length:
                return
            header, body = self._header, bytes(self._buffer[:length])
            del self._buffer[:length]
            self._header = None
            if not self.ready.done():
                self.ready.set_result(header)
            else:
                self.on_frame(self, header, body)

    def connection_lost(self, exc: Exception | None) -> None:
        """The process exited and its pipes closed: every byte it wrote has been handed over."""
        if not self.ready.done():
            self.ready.set_exception(QueryWorkerError(f"query worker exited before it was ready "
                                                      f"(status {self.returncode})"))
        if not self.gone.done():
            self.gone.set_result(None)
        self.on_exit(self)

    @property
    def returncode(self) -> int | None:
        return None if self.transport is None else self.transport.get_returncode()

    def send(self, call: _Call) -> None:
        assert self.transport is not None
        self.call, call.worker, self.snapshot = call, self, call.snapshot
        cast(asyncio.WriteTransport, self.transport.get_pipe_transport(0)).write(call.payload)

    async def stop(self) -> None:
        """Kill the process (its query, if any, is abandoned) and wait until it is gone."""
        if self.transport is None:
            return
        if self.transport.get_returncode() is None:
            self.transport.kill()
        try:
            await asyncio.wait_for(asyncio.shield(self.gone), _SHUTDOWN_SECONDS)
        except TimeoutError:
            log.error("query worker %s did not exit after SIGKILL", self.pid)
        self.transport.close()


def _claim_root(parent: Path) -> tuple[Path, IO[bytes]]:
    """A new snapshot directory in ``parent``, locked for this process's life, after deleting abandoned ones.

    The lock is released by the kernel when the process dies however it dies, so a free lock
    means a dead owner; a directory without a lock file yet belongs to a pool being started.
    """
    for folder in parent.glob(f"{_ROOT_PREFIX}*"):
        try:
            with open(folder / _ROOT_LOCK, "rb") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                log.warning("deleting %s, left by a server that did not shut down", folder)
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # no lock file yet, or held: its server is alive
            continue
    root = Path(tempfile.mkdtemp(prefix=_ROOT_PREFIX, dir=parent))
    held = open(root / _ROOT_LOCK, "wb")  # noqa: SIM115 (held for the pool's life: QueryPool.close closes it)
    fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return root, held


class QueryPool:
    """``settings.query_workers`` worker processes over snapshots of ``store``."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self._store = store
        self._settings = settings
        self._workers: set[_Worker] = set()
        self._idle: deque[_Worker] = deque()  # first in, first out: every worker takes turns
        self._waiting: deque[_Call] = deque()
        self._root: Path | None = None
        self._root_lock: IO[bytes] | None = None
        self._snapshot: Path | None = None
        self._generation = -1  # the store's generation the snapshot holds; -1: none taken yet
        self._stale: set[Path] = set()
        self._refreshing: asyncio.Lock | None = None
        self._starting: set[asyncio.Task[None]] = set()
        self._numbers = itertools.count()
        self._closing = False

    async def start(self) -> None:
        """Take the first snapshot and start the workers (each says it is ready before it gets a query)."""
        self._refreshing = asyncio.Lock()
        parent = self._store.path.parent if self._store.path is not None else Path(tempfile.gettempdir())
        self._root, self._root_lock = await run_in_threadpool(_claim_root, parent)
        await self._current_snapshot()
        await asyncio.gather(*(self._start_worker() for _ in range(self._settings.query_workers)))

    async def close(self) -> None:
        """Stop every worker and delete the snapshots."""
        self._closing = True
        for task in self._starting:
            task.cancel()
        await asyncio.gather(*self._starting, return_exceptions=True)
        await asyncio.gather(*(worker.stop() for worker in list(self._workers)))
        self._workers.clear()
        self._idle.clear()
        if self._root is not None:
            await run_in_threadpool(shutil.rmtree, self._root, True)
        if self._root_lock is not None:
            self._root_lock.close()

    async def _current_snapshot(self) -> Path:
        """The snapshot to query: the last one, or a new one if the store was written since."""
        assert self._refreshing is not None and self._root is not None
        if self._store.generation != self._generation:
            async with self._refreshing:
                if self._store.generation != self._generation:  # no other query took it meanwhile
                    # Read first: a write made during the copy is then seen by the next query.
                    generation = self._store.generation
                    target = self._root / f"snapshot-{next(self._numbers)}"
                    await run_in_threadpool(self._store.snapshot, target)
                    if self._snapshot is not None:
                        self._stale.add(self._snapshot)
                    self._snapshot, self._generation = target, generation
            await self._prune()
        assert self._snapshot is not None
        return self._snapshot

    async def run(self, job: QueryJob) -> QueryAnswer:
        """The answer to ``job``, or a 503 once the time limit is reached (the worker is then killed)."""
        assert self._root is not None
        snapshot = await self._current_snapshot()
        loop = asyncio.get_running_loop()
        spill = f"{self._root}{os.sep}result-{next(self._numbers)}"
        payload = json.dumps({
            "query": job.query, "default_graphs": job.default_graphs, "named_graphs": job.named_graphs,
            "formats": job.formats, "accept": job.accept, "snapshot": str(snapshot), "spill": spill,
            "max_bytes": self._settings.max_result_bytes,
        }).encode() + b"\n"
        call = _Call(payload, str(snapshot), spill, loop.create_future())
        call.timer = loop.call_at(loop.time() + self._settings.query_timeout, self._expire, call)
        if self._idle:
            self._idle.popleft().send(call)
        else:
            self._waiting.append(call)
        try:
            answer = await call.answer
        except BaseException:  # cancelled: the client or the server went away
            self._abandon(call)
            raise
        finally:
            call.timer.cancel()
        if self._stale:
            await self._prune()
        return answer

    def _on_frame(self, worker: _Worker, header: dict[str, Any], body: bytes) -> None:
        """A worker answered: hand the answer to its caller and give the worker the next query."""
        if worker not in self._workers:  # killed: whatever it still wrote is not an answer
            return
        call, worker.call = worker.call, None
        if call is not None:
            call.worker = None
            answer = _answer(header, body)
            if call.answer.done():  # the caller went away meanwhile
                if answer.file is not None:
                    answer.file.unlink(missing_ok=True)
            else:
                call.answer.set_result(answer)
        self._next(worker)

    def _next(self, worker: _Worker) -> None:
        """Give ``worker`` the oldest query still waiting, or mark it idle."""
        while self._waiting:
            call = self._waiting.popleft()
            if not call.answer.done():
                worker.send(call)
                return
        self._idle.append(worker)

    def _expire(self, call: _Call) -> None:
        """The query's deadline: a 503, and the worker running it (if one does) is killed."""
        limit = self._settings.query_timeout
        if call.worker is None:
            if call in self._waiting:
                self._waiting.remove(call)
            message = (f"query not started: all {self._settings.query_workers} query workers "
                       f"stayed busy for {limit:g} s (KG_QUERY_TIMEOUT); try again later")
        else:
            self._kill(call.worker)
            message = (f"query stopped after {limit:g} s, the server's time limit "
                       "(KG_QUERY_TIMEOUT): narrow it or add a LIMIT")
        if not call.answer.done():
            call.answer.set_result(QueryAnswer(503, message))

    def _abandon(self, call: _Call) -> None:
        """The caller stopped waiting: a query not started is dropped, one running is killed."""
        if call.worker is not None:
            self._kill(call.worker)
        elif call in self._waiting:
            self._waiting.remove(call)
        elif call.answer.done() and not call.answer.cancelled() and call.answer.result().file is not None:
            Path(call.spill).unlink(missing_ok=True)  # answered just before the caller went away

    def _kill(self, worker: _Worker) -> None:
        """Stop ``worker`` now (its query overran or nobody waits for it) and start another."""
        call, worker.call = worker.call, None
        if call is not None:
            call.worker = None
            Path(call.spill).unlink(missing_ok=True)
        self._forget(worker)
        self._in_background(worker.stop())
        self._in_background(self._start_worker())

    def _on_exit(self, worker: _Worker) -> None:
        """A worker exited on its own (a crash): its query gets a 500 and another worker is started."""
        if worker not in self._workers or self._closing:
            return
        log.error("query worker %s exited on its own (status %s)", worker.pid, worker.returncode)
        call, worker.call = worker.call, None
        self._forget(worker)
        if call is not None:
            call.worker = None
            Path(call.spill).unlink(missing_ok=True)
            if not call.answer.done():
                call.answer.set_result(QueryAnswer(500, "the query worker stopped while answering "
                                                        "(the server's log has the details)"))
        self._in_background(self._start_worker())

    def _forget(self, worker: _Worker) -> None:
        self._workers.discard(worker)
        if worker in self._idle:
            self._idle.remove(worker)

    def _in_background(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._starting.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._starting.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a query worker failed to start or stop: %s", task.exception())

    async def _start_worker(self) -> None:
        if self._closing:
            return
        package_parent = str(Path(kg.__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (package_parent, os.environ.get("PYTHONPATH", "")) if p)}
        loop = asyncio.get_running_loop()
        _, worker = await loop.subprocess_exec(
            lambda: _Worker(self._on_frame, self._on_exit),
            sys.executable, "-m", "kg.web.query_worker",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=None, env=env,
        )
        try:
            ready = await worker.ready
        except BaseException:
            await worker.stop()
            raise
        if "ready" not in ready:
            await worker.stop()
            raise QueryWorkerError(f"query worker {worker.pid} did not start: {ready}")
        if self._closing:
            await worker.stop()
            return
        self._workers.add(worker)
        self._next(worker)

    async def _prune(self) -> None:
        """Delete the snapshots that neither the pool nor any worker or waiting query still reads."""
        in_use = {worker.snapshot for worker in self._workers} | {call.snapshot for call in self._waiting}
        done = {snapshot for snapshot in self._stale if str(snapshot) not in in_use}
        self._stale -= done
        for snapshot in done:
            await run_in_threadpool(shutil.rmtree, snapshot, True)


def _answer(header: dict[str, Any], body: bytes) -> QueryAnswer:
    """The ``QueryAnswer`` a worker's frame carries."""
    if header["status"] != 200:
        return QueryAnswer(header["status"], header["message"])
    if "file" in header:
        return QueryAnswer(200, content_type=header["content_type"], file=Path(header["file"]))
    return QueryAnswer(200, content_type=header["content_type"], body=body)
