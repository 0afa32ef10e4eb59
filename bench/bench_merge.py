"""Cross-article merging's cost: the writer of ``kg ingest`` with merging against the same writes without it.

    python bench/bench_merge.py [--sizes 1000 5000] [--batch 1000] [--repeat 2] [--compact]
                                [--workdir /tmp/kg-bench]

The generated articles are extracted and mapped once (not timed), as the corpus
ingest's workers do.  For each size S, a store holding S - batch articles (built with
merging, not timed; one article for the smallest size when S == batch) is copied, and
the last articles are written by ``GraphStore.write_documents`` in its usual batches
into each copy: once as ``kg ingest`` writes them, once without merging (the
``lt:mergeKey``/``lt:mergeSeek`` index left out of the N-Quads, ``kg.reconcile`` not
run); each way ``repeat`` times, alternately, the fastest kept (the machine may be
shared).  Printed per size: the writer's time both ways, merging's share of the
writer's time (the time inside ``kg.reconcile``, and the end-to-end difference, which
also counts writing the index), and merging's cost per article.  A per-article cost
that does not grow with S is what the design promises (see ``kg.reconcile``'s Cost); on
a store left as bulk loads leave it, every index seek slows as its uncompacted files
pile up, the writer's own and merging's alike: ``--compact`` compacts each store first.
"""

from __future__ import annotations

import argparse
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from bench.bench_ingest import prepared, write_in_batches
from bench.common import Row, corpus, machine

if TYPE_CHECKING:
    from kg.store import PreparedDocument

_INDEX = re.compile(rb"^[^\n]*<https://w3id\.org/legal-timeline/ontology#merge(?:Key|Seek)>[^\n]*\n", re.M)


def without_index(document: PreparedDocument) -> PreparedDocument:
    """The document as the mapper would write it with no merge index."""
    nquads = _INDEX.sub(b"", document.nquads)
    return replace(document, nquads=nquads, triples=nquads.count(b"\n"))


@contextmanager
def timed_reconcile(merging: bool) -> Iterator[list[float]]:
    """Time spent inside ``kg.reconcile`` by the writer; with ``merging`` False, the writer skips it."""
    import kg.store

    saved = kg.store.anchors, kg.store.reconcile
    spent = [0.0]

    def timing(function: Callable[..., object]) -> Callable[..., object]:
        def timed(*args: object) -> object:
            started = time.perf_counter()
            try:
                return function(*args)
            finally:
                spent[0] += time.perf_counter() - started
        return timed

    if merging:
        kg.store.anchors, kg.store.reconcile = timing(saved[0]), timing(saved[1])  # type: ignore[assignment]
    else:
        kg.store.anchors = lambda select, documents: kg.store.Anchors()
        kg.store.reconcile = lambda select, update, documents, before=None: None
    try:
        yield spent
    finally:
        kg.store.anchors, kg.store.reconcile = saved


def write(target: Path, documents: list[PreparedDocument], merging: bool) -> tuple[float, float]:
    """Write ``documents`` into the store at ``target`` in the corpus writer's batches: (seconds, of which
    inside kg.reconcile)."""
    from kg.store import GraphStore

    with GraphStore(target) as store, timed_reconcile(merging) as spent:
        started = time.perf_counter()
        write_in_batches(store, documents)
        return time.perf_counter() - started, spent[0]


def size_rows(
    workdir: Path, documents: list[PreparedDocument], size: int, batch: int, repeat: int, compact: bool
) -> list[Row]:
    """The rows of one store size: each way timed ``repeat`` times, alternately, the fastest kept."""
    from kg.store import GraphStore

    base, measured = documents[:size - batch], documents[size - batch:size]
    start = workdir / f"merge-base-{size}"
    shutil.rmtree(start, ignore_errors=True)
    write(start, base, merging=True)  # the ontology and the store already there, not timed
    if compact:
        with GraphStore(start) as store:
            store.raw.optimize()
    timings: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for _ in range(repeat):
        for merging in (True, False):
            target = workdir / f"merge-{size}-{merging}"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(start, target)
            writes = measured if merging else [without_index(document) for document in measured]
            timings[merging].append(write(target, writes, merging))
            shutil.rmtree(target, ignore_errors=True)
    shutil.rmtree(start, ignore_errors=True)
    with_merging = min(seconds for seconds, _ in timings[True])
    without = min(seconds for seconds, _ in timings[False])
    inside = min(spent for _, spent in timings[True])
    note = (f"store of {size - batch:,} articles{', compacted' if compact else ''}, then {batch:,} written; "
            f"fastest of {repeat}")
    return [
        Row("merge", f"{size:,}: writer with merging, s", with_merging, "s", "without merging", without,
            higher_is_better=False, note=note),
        Row("merge", f"{size:,}: time in kg.reconcile / writer's other time",
            inside / (with_merging - inside), "", "target", 0.35, higher_is_better=False),
        Row("merge", f"{size:,}: merging's end-to-end share (index included)",
            (with_merging - without) / without, "", "target", 0.35, higher_is_better=False),
        Row("merge", f"{size:,}: time in kg.reconcile per article, ms", inside / batch * 1000, "ms",
            "end-to-end difference per article", (with_merging - without) / batch * 1000,
            higher_is_better=False),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--batch", type=int, default=1000, help="articles written and timed at each size")
    parser.add_argument("--repeat", type=int, default=2, help="timings of each way, the fastest kept")
    parser.add_argument("--compact", action="store_true",
                        help="compact each store (Store.optimize) before the timed writes")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kg-bench"))
    args = parser.parse_args()
    documents: list[PreparedDocument] = prepared(  # type: ignore[assignment]
        sorted(corpus(args.workdir, max(args.sizes)).rglob("*.txt")))
    print(machine())
    for size in sorted(args.sizes):
        batch = min(args.batch, size - 1)
        for row in size_rows(args.workdir, documents, size, batch, args.repeat, args.compact):
            print(row.line())


if __name__ == "__main__":
    main()
