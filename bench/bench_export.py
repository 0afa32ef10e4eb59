"""Export speed and memory: ``kg export`` against pyoxigraph's own ``Store.dump`` on the same store.

    python bench/bench_export.py STORE_DIR

Each export runs in its own process, so its wall time includes opening the store and its
peak resident memory is its own.  ``kg export --format turtle`` writes the union of the
graphs (graph after graph); ``--format trig`` the dataset as it is, which is what
``Store.dump`` writes too.  The reference dump uses the same prefixes as ``kg export``: MB/s
only compares like with like (without prefixes the same dump writes 1.7 times the bytes, so
its MB/s is 1.7 times higher for the same work).  Compare the memory of two stores of
different sizes to see it stay flat (streaming, no copy of the graph in Python).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.common import ROOT, Row, run_measured

DUMP = ("import sys, pyoxigraph; from kg.namespaces import PREFIXES; out = open(sys.argv[2], 'wb'); "
        "pyoxigraph.Store.read_only(sys.argv[1]).dump(out, pyoxigraph.RdfFormat.TRIG, prefixes=PREFIXES); "
        "out.close()")


def run(store: Path, label: str) -> list[Row]:
    target = store.parent / f"{store.name}.export"
    env = {"PYTHONPATH": str(ROOT)}
    seconds, dump_peak = _best([sys.executable, "-c", DUMP, str(store), str(target)], env)
    dump_rate = target.stat().st_size / seconds / 1e6
    rows = []
    for fmt in ("turtle", "trig"):
        command = [sys.executable, "-m", "kg", "export", "--format", fmt, "-o", str(target),
                   "--store", str(store)]
        seconds, peak = _best(command, env)
        size = target.stat().st_size
        rows.append(Row("export", f"kg export --format {fmt}, {label}", size / seconds / 1e6, "MB/s",
                        "Store.dump TriG", dump_rate, note=f"{size / 1e6:,.1f} MB written"))
        rows.append(Row("export", f"kg export --format {fmt}, {label}, peak memory", peak, "MB",
                        "Store.dump TriG peak memory", dump_peak, higher_is_better=False))
    target.unlink(missing_ok=True)
    return rows


def _best(command: list[str], env: dict[str, str], runs: int = 2) -> tuple[float, float]:
    """The shortest wall time of ``runs`` runs (the least disturbed by other work) and the highest peak."""
    measured = [run_measured(command, env=env)[:2] for _ in range(runs)]
    return min(seconds for seconds, _ in measured), max(peak for _, peak in measured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    args = parser.parse_args()
    for row in run(args.store, args.store.name):
        print(row.line())


if __name__ == "__main__":
    main()
