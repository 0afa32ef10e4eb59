"""Progress of a long run on stderr: a redrawn bar on a terminal, a plain line now and then in a log.

A corpus ingest runs for minutes to hours.  On a terminal the user wants to see it move
(documents/s, events found, time left); in a log file or a CI job a carriage-return bar
is noise, so there a line is written every ``interval`` seconds instead.  No dependency:
this is all a bar needs.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

_BAR_WIDTH = 24
_REDRAW_SECONDS = 0.1


class Progress:
    """Counts ``done`` of ``total`` documents; ``update`` redraws at most ten times a second."""

    def __init__(
        self, total: int, *, stream: TextIO | None = None, tty: bool | None = None, interval: float = 10.0
    ) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.interval = interval if not self.tty else _REDRAW_SECONDS
        self.started = time.monotonic()
        self._last = self.started
        self._width = 0

    def update(self, done: int, events: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        elapsed = max(now - self.started, 1e-9)
        rate = done / elapsed
        eta = _duration((self.total - done) / rate) if rate > 0 and done < self.total else "--"
        if self.tty:
            filled = _BAR_WIDTH * done // max(self.total, 1)
            text = (f"[{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {done:,}/{self.total:,} documents  "
                    f"{rate:,.1f}/s  {events:,} events  ETA {eta}")
            self.stream.write("\r" + text.ljust(self._width))
            self._width = len(text)
        else:
            share = 100 * done / max(self.total, 1)
            self.stream.write(f"kg ingest: {done:,}/{self.total:,} documents ({share:.1f}%), {rate:,.1f}/s, "
                              f"{events:,} events, ETA {eta}\n")
        self.stream.flush()

    def close(self, done: int, events: int) -> None:
        """Draw the final state (on a terminal) and end the bar's line."""
        if self.tty:
            self.update(done, events, force=True)
            self.stream.write("\n")
            self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"
