"""Stream bytes that a blocking writer (pyoxigraph's serialisers, ``GraphStore.export``) produces.

pyoxigraph writes into a file object from the calling thread and releases the GIL, so the
writer runs in its own thread and hands chunks to the event loop through a bounded queue:
memory stays flat on a large export, a slow client slows the writer down (back-pressure),
and a client that disconnects stops it.  The first chunk is awaited before the response
starts, so an error raised at once (unknown document, bad query) can still become a 4xx.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import AsyncIterator, Callable
from typing import BinaryIO, cast

from starlette.concurrency import run_in_threadpool

CHUNK_SIZE = 64 * 1024
_QUEUE_SLOTS = 8
_POLL_SECONDS = 0.1


class _Abandoned(Exception):
    """Raised inside the writer thread once nobody reads the stream any more."""


class _Done:
    """Queue marker: the writer finished without error."""


_DONE = _Done()
_Item = bytes | BaseException | _Done


class _QueueWriter:
    """The file object handed to the writer: buffers small writes into chunks for the queue."""

    def __init__(self, chunks: queue.Queue[_Item], abandoned: threading.Event) -> None:
        self._chunks = chunks
        self._abandoned = abandoned
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= CHUNK_SIZE:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            self.put(bytes(self._buffer))
            self._buffer.clear()

    def put(self, item: _Item) -> None:
        while True:
            if self._abandoned.is_set():
                raise _Abandoned()
            try:
                self._chunks.put(item, timeout=_POLL_SECONDS)
                return
            except queue.Full:
                continue


def detached(error: BaseException) -> BaseException:
    """``error`` without its tracebacks, so it can be raised in another thread.

    A traceback keeps the failing frames alive, and with them any pyoxigraph result they
    held; pyoxigraph results must be freed in the thread that made them (dropping one
    elsewhere is a RuntimeError inside the garbage collector).
    """
    link: BaseException | None = error
    while link is not None:
        link.__traceback__ = None
        link = link.__cause__ or link.__context__
    return error


class ThreadedStream:
    """Runs ``write(out)`` in a thread; ``first()`` then ``rest()`` yield what it wrote."""

    def __init__(self, write: Callable[[BinaryIO], None]) -> None:
        self._chunks: queue.Queue[_Item] = queue.Queue(maxsize=_QUEUE_SLOTS)
        self._abandoned = threading.Event()
        self._writer = _QueueWriter(self._chunks, self._abandoned)
        self._thread = threading.Thread(target=self._run, args=(write,), daemon=True)
        self._thread.start()

    def _run(self, write: Callable[[BinaryIO], None]) -> None:
        try:
            write(cast(BinaryIO, self._writer))
            self._writer.flush()
            self._writer.put(_DONE)
        except _Abandoned:
            return
        except Exception as error:  # handed to the reader, which raises it on the event loop side
            try:
                self._writer.put(detached(error))
            except _Abandoned:
                return

    async def first(self) -> bytes | None:
        """The first chunk (None if the writer wrote nothing); raises what the writer raised."""
        try:
            item = await run_in_threadpool(self._chunks.get)
        except BaseException:
            self._abandoned.set()
            raise
        return self._unwrap(item)

    async def rest(self, first: bytes | None) -> AsyncIterator[bytes]:
        """``first`` then every later chunk; stops the writer if the consumer goes away."""
        try:
            if first is None:
                return
            yield first
            while (chunk := self._unwrap(await run_in_threadpool(self._chunks.get))) is not None:
                yield chunk
        finally:
            self._abandoned.set()

    def _unwrap(self, item: _Item) -> bytes | None:
        if isinstance(item, BaseException):
            self._abandoned.set()
            raise item
        if isinstance(item, _Done):
            return None
        return item
