"""What the benchmarks share: a result row (figure, limit, ratio), the machine line, corpora, memory."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.make_corpus import write_corpus  # noqa: E402

SEED = 7


@dataclass(frozen=True)
class Row:
    """One benchmark figure next to the limit it is measured against; ratio = figure / limit."""

    bench: str
    what: str
    figure: float
    unit: str
    limit_what: str
    limit: float
    higher_is_better: bool = True
    note: str = ""

    @property
    def ratio(self) -> float:
        if self.limit == 0 or self.figure == 0:
            return 0.0
        return self.figure / self.limit if self.higher_is_better else self.limit / self.figure

    def line(self) -> str:
        note = f" ({self.note})" if self.note else ""
        return (f"{self.bench:<8} {self.what}: {self.figure:,.2f} {self.unit} | {self.limit_what}: "
                f"{self.limit:,.2f} {self.unit} | ratio {self.ratio:.2f}{note}")


def machine() -> str:
    """CPU model, cores, memory, OS, Python and pyoxigraph versions: the line under every table."""
    import pyoxigraph

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except OSError:
        memory = 0.0
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}")


def corpus(workdir: Path, count: int) -> Path:
    """The generated corpus of ``count`` articles (seed SEED) under ``workdir``, written once."""
    target = workdir / f"corpus-{count}"
    marker = target / ".complete"
    if not marker.exists():
        write_corpus(count, SEED, target)
        marker.write_text("ok")
    return target


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(share * 100) - 1]


def run_measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run ``command``; its wall time (s), the peak resident memory of its process tree (MB), stdout."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={**os.environ, **(env or {})})
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.2)
    out = process.stdout.read() if process.stdout else ""
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed with status {process.returncode}")
    return time.perf_counter() - started, peak, out


def _tree_rss(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants, MB (Linux /proc)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total / 1024
