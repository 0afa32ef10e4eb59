"""Ingest a corpus: articles extracted in parallel worker processes, written by one writer.

Extraction is CPU-bound Python, so it runs in a ``ProcessPoolExecutor``: each worker reads
an article, skips it when the store already holds a graph made from the same input (same
text, title, publication date and extractor version: ``kg.store.source_fingerprint``),
else extracts it and maps it to N-Quads.  The main process is the only writer (an on-disk
Oxigraph store has one writer): it gathers finished documents into batches and writes each
batch with ``GraphStore.write_documents`` (a bulk load bracketed by a journal: every
document is wholly in the store or wholly absent, see there).

Resumable: after an interruption the next run skips every document already written,
without extracting it again, and re-extracts only those that were not.  A changed article
(its text, title or date) replaces its graph.  Failures are isolated: an unreadable file,
an extractor crash on one article, or a write error is reported with its reason and the
other documents go in.  Only a bounded window of documents is in flight, so memory stays
flat however big the corpus.
"""

from __future__ import annotations

import glob
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Literal

from pyoxigraph import RdfFormat, serialize

from kg.extract import extract
from kg.progress import Progress
from kg.rdf import document_iri, extraction_to_quads
from kg.reader import ArticleError, read_article
from kg.store import (
    GraphStore,
    PreparedDocument,
    StoredDocument,
    StoreError,
    graph_hash_of,
    source_fingerprint,
)

ARTICLE_SUFFIXES = (".txt", ".json")
BATCH_TRIPLES = 100_000  # far below the bulk loader's own batch (1M quads): one batch, one SST ingest
BATCH_DOCUMENTS = 1_000
WINDOW_PER_JOB = 4  # documents in flight per worker: enough to keep it busy, few enough to bound memory

Status = Literal["prepared", "skipped", "unchanged", "failed"]


@dataclass(frozen=True)
class FileOutcome:
    """What a worker made of one file."""

    path: str
    status: Status
    document: str = ""
    events: int = 0
    prepared: PreparedDocument | None = None
    reason: str = ""


@dataclass
class CorpusSummary:
    """The end of a run: what went in, what was skipped, what failed and why."""

    documents: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    extracted: int = 0  # files the extractor ran on: the others were skipped on their fingerprint
    events: int = 0
    triples: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def done(self) -> int:
        return self.added + self.replaced + self.unchanged + len(self.failed)

    def text(self) -> str:
        rate = self.done / self.seconds if self.seconds > 0 else 0.0
        stopped = f" (interrupted after {self.done:,})" if self.interrupted else ""
        plural = "s" if self.documents != 1 else ""
        return (f"{self.documents:,} document{plural}{stopped}: {self.added:,} added, "
                f"{self.replaced:,} replaced, {self.unchanged:,} unchanged, {len(self.failed):,} failed "
                f"({self.extracted:,} extracted); "
                f"{self.events:,} events and {self.triples:,} triples written in {self.seconds:.1f} s "
                f"({rate:,.1f} documents/s)")


def expand_inputs(inputs: Sequence[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files named by ``inputs`` (files, directories searched recursively, globs), in order, each once.

    A directory contributes its ``.txt`` and ``.json`` articles (``*.gold.json`` answer keys
    excluded); an input that names nothing comes back as a failure with its reason.
    """
    files: dict[Path, None] = {}
    missing: list[tuple[str, str]] = []
    for text in inputs:
        path = Path(text)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if _is_article(p))
        elif path.exists():
            found = [path]
        elif glob.has_magic(text):
            found = sorted(p for p in map(Path, glob.glob(text, recursive=True)) if p.is_file())
        else:
            found = []
        if not found:
            reason = "matches no file" if glob.has_magic(text) else "no such file or directory"
            missing.append((text, f"{text}: {reason}"))
        files.update(dict.fromkeys(found))
    return list(files), missing


def ingest_corpus(
    store: GraphStore,
    paths: Sequence[Path],
    *,
    jobs: int = 1,
    published: datetime | None = None,
    force: bool = False,
    progress: Progress | None = None,
    batch_triples: int = BATCH_TRIPLES,
) -> CorpusSummary:
    """Extract ``paths`` in ``jobs`` processes and write them to ``store``; never raises for one document.

    ``force`` re-extracts documents whose input is unchanged (after an extractor change);
    one whose graph comes out identical is still not written.
    """
    started = time.monotonic()
    summary = CorpusSummary(documents=len(paths))
    store.recover_interrupted_writes()
    summary.recovered = list(store.recovered)
    known = store.document_states()
    writer = _Writer(store, known, summary, batch_triples)
    with _sigterm_interrupts():
        try:
            for outcome in _outcomes(paths, jobs, known, published, force):
                writer.take(outcome)
                if progress is not None:
                    progress.update(summary.done + writer.pending, summary.events + writer.pending_events)
        except KeyboardInterrupt:  # Ctrl-C or kill: what is finished is written below, the rest is left
            summary.interrupted = True
        finally:  # an interrupted run still writes the documents it finished: less to redo
            writer.flush()
            if summary.added + summary.replaced and not summary.interrupted:
                store.optimize()  # compacted once, after the last batch: reads after an ingest stay fast
            summary.seconds = time.monotonic() - started
            if progress is not None:
                progress.close(summary.done, summary.events)
    return summary


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Make ``kill`` (SIGTERM) stop the run as Ctrl-C does: finished documents written, workers shut down.

    Without it a terminated run leaves its worker processes blocked forever on a result
    queue nobody reads.  Python installs handlers only on the main thread; elsewhere the
    default stays.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def prepare_file(path: str) -> FileOutcome:
    """Read, fingerprint, extract and map one file (in a worker); every failure becomes an outcome."""
    try:
        article = read_article(Path(path), published=_WORKER.published)
        document = document_iri(article.id)
        stored = _WORKER.known.get(document)
        if stored is not None and not _WORKER.force and stored.source == source_fingerprint(article):
            return FileOutcome(path, "skipped", document)
        extraction = extract(article)
        quads = extraction_to_quads(extraction, extracted_at=datetime.now(UTC))
        graph_hash = graph_hash_of(quads)
        events = len(extraction.events)
        if stored is not None and stored.graph_hash == graph_hash:
            return FileOutcome(path, "unchanged", document, events)
        nquads = serialize(quads, format=RdfFormat.N_QUADS) or b""
        return FileOutcome(path, "prepared", document, events,
                           PreparedDocument(document, nquads, len(quads), graph_hash))
    except ArticleError as error:
        return FileOutcome(path, "failed", reason=str(error))
    except Exception as error:  # an extractor bug on one article must not stop the corpus
        return FileOutcome(path, "failed", reason=f"{path}: extraction failed: {type(error).__name__}: "
                                                  f"{' '.join(str(error).split())}")


@dataclass
class _WorkerState:
    known: dict[str, StoredDocument] = field(default_factory=dict)
    published: datetime | None = None
    force: bool = False


_WORKER = _WorkerState()


def _init_worker(known: dict[str, StoredDocument], published: datetime | None, force: bool) -> None:
    """Runs once in each worker process: Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    _init_state(known, published, force)


def _exit_when_orphaned(parent: int) -> None:
    """End this worker once its parent is gone (killed with SIGKILL, say): nobody would read its results."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _init_state(known: dict[str, StoredDocument], published: datetime | None, force: bool) -> None:
    """The stored states to skip against and the run's options, for ``prepare_file``."""
    _WORKER.known, _WORKER.published, _WORKER.force = known, published, force


def _outcomes(
    paths: Sequence[Path], jobs: int, known: dict[str, StoredDocument], published: datetime | None,
    force: bool,
) -> Iterator[FileOutcome]:
    """Every file's outcome, in completion order; one job runs in this process (no pool to start)."""
    if jobs <= 1 or len(paths) <= 1:
        _init_state(known, published, force)
        yield from (prepare_file(str(path)) for path in paths)
        return
    queue = [str(path) for path in reversed(paths)]
    while queue:
        yield from _run_pool(queue, jobs, known, published, force)


def _run_pool(
    queue: list[str], jobs: int, known: dict[str, StoredDocument], published: datetime | None, force: bool
) -> Iterator[FileOutcome]:
    """Run ``queue`` (popped from the end) through a pool; if a worker dies, its files fail and we return.

    A worker killed by the system (out of memory, a crash in native code) breaks the whole
    pool: the files in flight are reported failed, and ``_outcomes`` starts a new pool for
    the rest of the queue.
    """
    context = get_context("spawn")  # no fork of a process that holds an open store and its threads
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                               initargs=(known, published, force))
    running: dict[Future[FileOutcome], str] = {}
    broken = False
    try:
        while running or (queue and not broken):
            while not broken and queue and len(running) < jobs * WINDOW_PER_JOB:
                path = queue.pop()
                try:
                    running[pool.submit(prepare_file, path)] = path
                except BrokenProcessPool:
                    queue.append(path)
                    broken = True
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                path = running.pop(future)
                if isinstance(future.exception(), BrokenProcessPool):
                    broken = True
                    yield FileOutcome(path, "failed", reason=f"{path}: a worker process died while this "
                                                             "file (or another in flight) was extracted")
                else:
                    yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _Writer:
    """The one writer: batches prepared documents and writes each batch with ``write_documents``."""

    def __init__(
        self, store: GraphStore, known: dict[str, StoredDocument], summary: CorpusSummary, batch_triples: int
    ) -> None:
        self.store, self.known, self.summary = store, known, summary
        self.batch_triples = batch_triples
        self.batch: list[FileOutcome] = []
        self.batch_size = 0
        self.seen: dict[str, str] = {}  # document IRI -> the file that gave it, this run

    @property
    def pending(self) -> int:
        return len(self.batch)

    @property
    def pending_events(self) -> int:
        return sum(outcome.events for outcome in self.batch)

    def take(self, outcome: FileOutcome) -> None:
        if outcome.status in ("prepared", "unchanged"):
            self.summary.extracted += 1
        if outcome.status == "failed":
            self.summary.failed.append((outcome.path, outcome.reason))
            return
        first = self.seen.setdefault(outcome.document, outcome.path)
        if first != outcome.path:
            self.summary.failed.append((outcome.path, f"{outcome.path}: same document id as {first} "
                                                      f"({outcome.document}); rename one of them"))
            return
        if outcome.status != "prepared":
            self.summary.unchanged += 1
            return
        assert outcome.prepared is not None
        self.batch.append(outcome)
        self.batch_size += outcome.prepared.triples
        if self.batch_size >= self.batch_triples or len(self.batch) >= BATCH_DOCUMENTS:
            self.flush()

    def flush(self) -> None:
        batch, self.batch, self.batch_size = self.batch, [], 0
        if not batch:
            return
        try:
            self._write(batch)
        except StoreError:  # find the document at fault: each one alone, the others still go in
            for outcome in batch:
                try:
                    self._write([outcome])
                except StoreError as error:
                    self.summary.failed.append((outcome.path, f"{outcome.path}: {error}"))

    def _write(self, batch: list[FileOutcome]) -> None:
        documents = [outcome.prepared for outcome in batch if outcome.prepared is not None]
        self.store.write_documents(documents)
        for outcome, document in zip(batch, documents, strict=True):
            if document.iri in self.known:
                self.summary.replaced += 1
            else:
                self.summary.added += 1
            self.summary.events += outcome.events
            self.summary.triples += document.triples


def _is_article(path: Path) -> bool:
    name = path.name.lower()
    return path.is_file() and name.endswith(ARTICLE_SUFFIXES) and not name.endswith(".gold.json")


def default_jobs() -> int:
    """One worker per core this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
