"""The worker processes that run SPARQL queries under a time limit and a result-size cap.

pyoxigraph cannot stop a running query (no timeout in its Python API, and a sort or an
aggregate runs inside one call), so the only way to stop a runaway query is to kill the
process running it.  Queries therefore run in ``kg.web.query_worker`` processes:

* each worker reads a snapshot of the store opened read-only.  A query that finds the store
  written since the last snapshot (``GraphStore.generation``: whoever wrote, SPARQL Update,
  Graph Store, GraphQL mutation or ingest) first takes a new one (a RocksDB checkpoint: hard
  links, milliseconds), so it sees every write answered before it started; workers move
  to the new snapshot at their next query;
* a query waits for an idle worker, sends it the job and reads the answer, all within the
  query's deadline (``KG_QUERY_TIMEOUT``, waiting included); past it the worker is
  killed, a new one is started, and the client gets a 503 naming the limit;
* the event loop only writes and reads pipes, so other requests go on being served
  while queries run, and a killed worker takes nobody else's query with it.

Old snapshots are deleted once no worker reads them; the snapshot directory (next to the
store, so checkpoints can be hard links) is removed when the pool closes.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool

import kg

if TYPE_CHECKING:
    from kg.config import Settings
    from kg.store import GraphStore

_SHUTDOWN_SECONDS = 5.0
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


class _Worker:
    """One worker process and the snapshot it last read."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.snapshot: Path | None = None

    async def ask(self, job: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(job).encode() + b"\n")
        await self.process.stdin.drain()
        return await self.read_header()

    async def read_header(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = await self.process.stdout.readline()
        if not line:
            raise QueryWorkerError(f"query worker {self.process.pid} exited "
                                   f"(status {self.process.returncode})")
        header: dict[str, Any] = json.loads(line)
        return header

    async def read_body(self, length: int) -> bytes:
        assert self.process.stdout is not None
        return await self.process.stdout.readexactly(length)

    async def stop(self, *, kill: bool) -> None:
        """Kill the process (its query is abandoned) or let it finish by closing its input."""
        if self.process.returncode is None:
            if kill:
                self.process.kill()
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                await asyncio.wait_for(self.process.wait(), _SHUTDOWN_SECONDS)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        else:
            await self.process.wait()


class QueryPool:
    """``settings.query_workers`` worker processes over snapshots of ``store``."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self._store = store
        self._settings = settings
        self._workers: set[_Worker] = set()
        self._idle: asyncio.Queue[_Worker] | None = None
        self._root: Path | None = None
        self._snapshot: Path | None = None
        self._generation = -1  # the store's generation the snapshot holds; -1: none taken yet
        self._stale: set[Path] = set()
        self._refreshing: asyncio.Lock | None = None
        self._starting: set[asyncio.Task[None]] = set()
        self._numbers = itertools.count()

    async def start(self) -> None:
        """Take the first snapshot and start the workers (each says it is ready before it gets a query)."""
        self._idle = asyncio.Queue()
        self._refreshing = asyncio.Lock()
        parent = self._store.path.parent if self._store.path is not None else None
        self._root = Path(tempfile.mkdtemp(prefix="kg-query-snapshots-", dir=parent))
        await self._current_snapshot()
        await asyncio.gather(*(self._start_worker() for _ in range(self._settings.query_workers)))

    async def close(self) -> None:
        """Stop every worker and delete the snapshots."""
        for task in self._starting:
            task.cancel()
        await asyncio.gather(*self._starting, return_exceptions=True)
        await asyncio.gather(*(worker.stop(kill=True) for worker in self._workers))
        self._workers.clear()
        if self._root is not None:
            await run_in_threadpool(shutil.rmtree, self._root, True)

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
        assert self._idle is not None and self._root is not None
        snapshot = await self._current_snapshot()
        limit = self._settings.query_timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        try:
            async with asyncio.timeout_at(deadline):
                worker = await self._idle.get()
        except TimeoutError:
            return QueryAnswer(503, f"query not started: all {self._settings.query_workers} query workers "
                                    f"stayed busy for {limit:g} s (KG_QUERY_TIMEOUT); try again later")
        spill = self._root / f"result-{next(self._numbers)}"
        payload = {**asdict(job), "snapshot": str(snapshot), "spill": str(spill),
                   "max_bytes": self._settings.max_result_bytes}
        worker.snapshot = snapshot
        try:
            async with asyncio.timeout_at(deadline):
                answer = await self._exchange(worker, payload)
        except TimeoutError:
            await self._replace(worker, spill)
            return QueryAnswer(503, f"query stopped after {limit:g} s, the server's time limit "
                                    "(KG_QUERY_TIMEOUT): narrow it or add a LIMIT")
        except BaseException:
            await self._replace(worker, spill)
            raise
        self._idle.put_nowait(worker)
        if self._stale:
            await self._prune()
        return answer

    @staticmethod
    async def _exchange(worker: _Worker, payload: dict[str, Any]) -> QueryAnswer:
        header = await worker.ask(payload)
        if header["status"] != 200:
            return QueryAnswer(header["status"], header["message"])
        if "file" in header:
            return QueryAnswer(200, content_type=header["content_type"], file=Path(header["file"]))
        body = await worker.read_body(header["length"])
        return QueryAnswer(200, content_type=header["content_type"], body=body)

    async def _replace(self, worker: _Worker, spill: Path) -> None:
        """Kill ``worker`` (its query overran or its answer was lost) and start another in the background."""
        self._workers.discard(worker)
        await worker.stop(kill=True)
        spill.unlink(missing_ok=True)
        task = asyncio.create_task(self._start_worker())
        self._starting.add(task)
        task.add_done_callback(self._started)

    def _started(self, task: asyncio.Task[None]) -> None:
        self._starting.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("a replacement query worker failed to start: %s", task.exception())

    async def _start_worker(self) -> None:
        assert self._idle is not None
        package_parent = str(Path(kg.__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (package_parent, os.environ.get("PYTHONPATH", "")) if p)}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "kg.web.query_worker",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=env,
        )
        worker = _Worker(process)
        self._workers.add(worker)
        try:
            ready = await worker.read_header()
        except BaseException:
            self._workers.discard(worker)
            await worker.stop(kill=True)
            raise
        if "ready" not in ready:
            raise QueryWorkerError(f"query worker {process.pid} did not start: {ready}")
        self._idle.put_nowait(worker)

    async def _prune(self) -> None:
        """Delete the snapshots that neither the pool nor any worker still reads."""
        in_use = {worker.snapshot for worker in self._workers}
        done = {snapshot for snapshot in self._stale if snapshot not in in_use}
        self._stale -= done
        for snapshot in done:
            await run_in_threadpool(shutil.rmtree, snapshot, True)
