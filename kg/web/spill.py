"""Where a query result is written while it is produced: memory, then a spill file, never past a cap.

Shared by the embedded store's query workers and the remote store's query runner: both
serialise a result with pyoxigraph into this file object and then send the bytes, or
the spilled file, without holding a large result in memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

SPILL_BYTES = 1024 * 1024


class ResultTooLarge(OSError):
    """Raised from ``SpillingOutput.write`` once the result passes the size cap."""


class SpillingOutput:
    """The file object a result is serialised into: memory, then the spill file, never past ``limit`` bytes.

    pyoxigraph turns an exception raised by ``write`` into its own, so ``too_large``
    remembers why writing stopped.
    """

    def __init__(self, spill: Path, limit: int) -> None:
        self.spill, self.limit = spill, limit
        self.size = 0
        self.buffer = bytearray()
        self.file: IO[bytes] | None = None
        self.too_large = False

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            self.too_large = True
            raise ResultTooLarge("result too large")
        if self.file is None and self.size > SPILL_BYTES:
            self.file = self.spill.open("wb")
            self.file.write(self.buffer)
            self.buffer.clear()
        if self.file is not None:
            self.file.write(data)
        else:
            self.buffer += data
        return len(data)

    def flush(self) -> None:
        """pyoxigraph flushes at the end; the spill file is closed by ``close``."""

    def close(self) -> None:
        if self.file is not None:
            self.file.close()

    def discard(self) -> None:
        """Drop what was written, spill file included (the query failed or was stopped)."""
        self.close()
        self.spill.unlink(missing_ok=True)
