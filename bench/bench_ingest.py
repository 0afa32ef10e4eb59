"""Ingest speed: the writer of ``kg ingest`` against pyoxigraph's raw bulk loader, and ``kg ingest`` itself.

    python bench/bench_ingest.py [--articles 2000] [--workdir /tmp/kg-bench]

1. The articles are extracted and mapped once (not timed), as the corpus ingest's workers
   do.  Then the same N-Quads are written twice into fresh on-disk stores: by the writer of
   ``kg ingest`` (``GraphStore.write_documents`` in its batches: journal, drops, bulk load)
   and by one raw ``Store.bulk_load`` call.  Triples/s of both, and their ratio.
2. ``kg ingest DIR`` end to end in a subprocess (all cores), with the peak resident memory
   of its process tree against the issue's 2 GB ceiling.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import ROOT, Row, corpus, run_measured

if TYPE_CHECKING:
    from kg.store import GraphStore, PreparedDocument

MEMORY_CEILING_MB = 2048.0


def prepared(paths: list[Path]) -> list[object]:
    from kg.corpus import _init_worker, prepare_file

    pool = ProcessPoolExecutor(os.cpu_count(), mp_context=get_context("spawn"), initializer=_init_worker,
                               initargs=({}, None, False))
    with pool:
        outcomes = list(pool.map(prepare_file, map(str, paths), chunksize=16))
    return [outcome.prepared for outcome in outcomes if outcome.prepared is not None]


def write_in_batches(store: GraphStore, documents: list[PreparedDocument]) -> None:
    """Write ``documents`` as ``kg ingest``'s writer does: batches of ``BATCH_TRIPLES`` triples, a flush."""
    from kg.corpus import BATCH_TRIPLES

    batch: list[PreparedDocument] = []
    for document in documents:
        batch.append(document)
        if sum(d.triples for d in batch) >= BATCH_TRIPLES:
            store.write_documents(batch)
            batch = []
    store.write_documents(batch)
    store.flush()


def writer_rows(workdir: Path, articles: int) -> list[Row]:
    from pyoxigraph import RdfFormat, Store

    from kg.corpus import BATCH_TRIPLES
    from kg.store import GraphStore

    documents: list[PreparedDocument] = prepared(sorted(corpus(workdir, articles).rglob("*.txt")))  # type: ignore[assignment]
    triples = sum(document.triples for document in documents)
    target = workdir / "ingest-writer"
    shutil.rmtree(target, ignore_errors=True)
    with GraphStore(target) as store:
        store.write_documents(documents[:1])  # the ontology graph, written once per store, not timed
        started = time.perf_counter()
        write_in_batches(store, documents[1:])
        ours = (triples - documents[0].triples) / (time.perf_counter() - started)
    shutil.rmtree(target, ignore_errors=True)
    data = b"".join(document.nquads for document in documents[1:])
    raw = Store(str(target))
    started = time.perf_counter()
    raw.bulk_load(data, RdfFormat.N_QUADS)
    raw.flush()
    limit = (triples - documents[0].triples) / (time.perf_counter() - started)
    del raw
    shutil.rmtree(target, ignore_errors=True)
    note = f"{len(documents):,} articles, {triples:,} triples, batches of {BATCH_TRIPLES:,}"
    return [Row("ingest", "kg ingest writer, triples/s", ours, "triples/s", "Store.bulk_load, one call",
                limit, note=note)]


def kg_ingest(workdir: Path, articles: int, store: Path) -> tuple[list[Row], float]:
    """``kg ingest`` of the generated corpus into ``store`` (created fresh): its rows and wall time."""
    from bench.bench_extract import TARGET

    shutil.rmtree(store, ignore_errors=True)
    source = corpus(workdir, articles)
    command = [sys.executable, "-m", "kg", "ingest", str(source), "--store", str(store)]
    seconds, peak, out = run_measured(command, env={"PYTHONPATH": str(ROOT)})
    cores = os.cpu_count() or 1
    note = out.strip().splitlines()[-1] if out.strip() else ""
    return [
        Row("ingest", f"kg ingest {articles:,} articles end to end, articles/s", articles / seconds,
            "articles/s", f"extraction target x {cores} cores", TARGET * cores, note=note),
        Row("ingest", f"kg ingest {articles:,} articles, peak memory of the process tree", peak, "MB",
            "ceiling", MEMORY_CEILING_MB, higher_is_better=False),
    ], seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kg-bench"))
    args = parser.parse_args()
    rows = writer_rows(args.workdir, args.articles)
    rows += kg_ingest(args.workdir, args.articles, args.workdir / f"store-{args.articles}")[0]
    for row in rows:
        print(row.line())


if __name__ == "__main__":
    main()
