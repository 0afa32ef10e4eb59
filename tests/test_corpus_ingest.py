"""Corpus ingest: parallel extraction, one writer, resumable, failures isolated, documents whole or absent."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from bench.make_corpus import write_corpus
from kg.corpus import ingest_corpus
from kg.namespaces import LT, PROV
from kg.progress import Progress
from kg.rdf import graph_hash
from kg.reconcile import own_graph
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "corpus"


def kg(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KG_STORE": str(store), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, env=env,
                          timeout=600)


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(30, seed=11, out=tmp_path_factory.mktemp("generated"))


def whole_graphs(store: GraphStore) -> dict[str, bool]:
    """Each stored article graph -> whether its quads still hash to the lt:graphHash it was written with."""
    raw, result = store.raw, {}
    for info in store.documents():
        graph = pyoxigraph.NamedNode(info.iri)
        quads = own_graph(raw.quads_for_pattern(None, None, None, graph))  # as mapped, before merges
        stated = [q.object.value for q in quads if q.predicate == LT("graphHash")]
        content = [q for q in quads if q.predicate not in (LT("graphHash"), PROV("endedAtTime"))]
        result[info.iri] = stated == [graph_hash(content)]
    return result


def test_directory_with_a_corrupt_file_in_the_middle(tmp_path: Path, articles: list[Path]) -> None:
    corpus = tmp_path / "corpus"
    for path in articles:
        target = corpus / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    corrupt = sorted((corpus / "0000").iterdir())[15]
    corrupt.write_bytes(b"\x00" * 10)
    store = tmp_path / "store"
    result = kg("ingest", str(corpus), "--jobs", "2", store=store)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert corrupt.name in result.stderr
    assert "30 documents: 29 added, 0 replaced, 0 unchanged, 1 failed" in result.stdout
    with GraphStore(store) as opened:
        graphs = whole_graphs(opened)
    assert len(graphs) == 29 and all(graphs.values())


def test_rerun_skips_unchanged_without_extracting_and_replaces_a_changed_article(
    tmp_path: Path, articles: list[Path]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in articles[:8]:
        (corpus / path.name).write_bytes(path.read_bytes())
    with GraphStore(tmp_path / "store") as store:
        first = ingest_corpus(store, sorted(corpus.iterdir()), jobs=2)
        assert (first.added, first.extracted) == (8, 8)
        changed = sorted(corpus.iterdir())[3]
        changed.write_text(changed.read_text(encoding="utf-8") + "Le 1er mars 2021 à 10h00\nUn ajout.\n",
                           encoding="utf-8")
        again = ingest_corpus(store, sorted(corpus.iterdir()), jobs=2)
        assert (again.added, again.replaced, again.unchanged, again.extracted) == (0, 1, 7, 1)
        assert len(store.documents()) == 8
        forced = ingest_corpus(store, sorted(corpus.iterdir()), jobs=2, force=True)
        assert (forced.extracted, forced.unchanged, forced.replaced) == (8, 8, 0)


class _StopAfter(Progress):
    """A progress display that presses Ctrl-C once ``limit`` documents are done."""

    def __init__(self, total: int, limit: int) -> None:
        super().__init__(total, stream=io.StringIO(), tty=False, interval=0)
        self.limit = limit

    def update(self, done: int, events: int, *, force: bool = False) -> None:
        if done >= self.limit:
            raise KeyboardInterrupt


def test_interrupted_run_resumes_where_it_stopped(tmp_path: Path, articles: list[Path]) -> None:
    paths = articles[:16]
    with GraphStore(tmp_path / "store") as store:
        stopped = ingest_corpus(store, paths, jobs=1, progress=_StopAfter(len(paths), 6), batch_triples=1)
        assert stopped.interrupted
        written = stopped.added
        assert 6 <= written < len(paths)
        resumed = ingest_corpus(store, paths, jobs=2)
        assert resumed.unchanged == written
        assert resumed.extracted == resumed.added == len(paths) - written
        assert len(store.documents()) == len(paths)


def test_process_killed_while_writing_leaves_every_document_whole_or_absent(
    tmp_path: Path, articles: list[Path]
) -> None:
    store_path = tmp_path / "store"
    script = (
        "import sys; from pathlib import Path; from kg.corpus import ingest_corpus; "
        "from kg.progress import Progress; from kg.store import GraphStore; "
        "paths = [Path(p) for p in sys.argv[2:]]; "
        "ingest_corpus(GraphStore(Path(sys.argv[1])), paths, jobs=2, batch_triples=300, "
        "progress=Progress(len(paths), tty=False, interval=0))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", script, str(store_path), *map(str, articles)],
                             stderr=subprocess.PIPE, text=True, env=env)
    assert child.stderr is not None
    deadline = time.monotonic() + 300
    lines = 0
    while lines < 12 and time.monotonic() < deadline and child.stderr.readline():
        lines += 1
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stderr.close()
    assert lines == 12, "the child finished or stalled before it could be killed mid-run"
    with GraphStore(store_path) as store:
        store.recover_interrupted_writes()
        graphs = whole_graphs(store)
        assert 0 < len(graphs) < len(articles) and all(graphs.values())
        resumed = ingest_corpus(store, articles, jobs=2)
        assert resumed.unchanged == len(graphs) and not resumed.failed
        assert all(whole_graphs(store).values()) and len(store.documents()) == len(articles)


def _processes_with(marker: str) -> list[int]:
    """The live processes whose environment holds ``marker`` (a run's parent and its workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads the process table in /proc")
def test_kill_stops_the_run_like_ctrl_c_and_leaves_no_worker(tmp_path: Path) -> None:
    """SIGTERM (what ``kill`` and service managers send) writes what is finished and ends every worker."""
    corpus = write_corpus(150, seed=5, out=tmp_path / "corpus")
    marker = f"KG_TEST_RUN={tmp_path.name}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KG_TEST_RUN": tmp_path.name}
    store = tmp_path / "store"
    child = subprocess.Popen([sys.executable, "-m", "kg", "ingest", str(tmp_path / "corpus"), "--jobs", "2",
                              "--store", str(store)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env)
    deadline = time.monotonic() + 120
    while len(_processes_with(marker)) < 3 and time.monotonic() < deadline:  # the parent and two workers
        time.sleep(0.1)
    time.sleep(1)
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 130, out + err
    assert "interrupted" in out + err
    settle = time.monotonic() + 10
    while _processes_with(marker) and time.monotonic() < settle:
        time.sleep(0.2)
    assert _processes_with(marker) == []
    resumed = kg("ingest", str(tmp_path / "corpus"), store=store)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(corpus)} documents" in resumed.stdout and "0 failed" in resumed.stdout


def test_a_half_written_batch_is_dropped_then_ingested_again(tmp_path: Path, articles: list[Path]) -> None:
    """The state a crash inside the bulk load would leave: journal entry present, graph partly loaded."""
    paths = articles[:3]
    with GraphStore(tmp_path / "store") as store:
        ingest_corpus(store, paths[:2], jobs=1)
        victim = store.documents()[0].iri
        journal = "https://w3id.org/legal-timeline/id/ingest-journal"
        quads = list(store.raw.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(victim)))
        kept = [q for q in quads if q.subject.value == victim] + quads[: len(quads) // 3]
        store.update(f"DROP GRAPH <{victim}> ; INSERT DATA {{ GRAPH <{journal}> {{ <{journal}> "
                     f"<{journal}#pending> <{victim}> }} }}")
        store.raw.extend(q for q in kept if q.predicate != LT("graphHash"))
        assert not all(whole_graphs(store).values())
        summary = ingest_corpus(store, paths, jobs=1)
        assert summary.recovered == [victim]
        assert (summary.added, summary.unchanged) == (2, 1)
        graphs = whole_graphs(store)
        assert len(graphs) == 3 and all(graphs.values())


def test_inputs_files_directories_globs_and_missing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    sample = CORPUS / "hdh-quitte-microsoft-2020-11-23.txt"
    result = kg("ingest", str(sample), f"{CORPUS}/drones-*.txt", str(tmp_path / "nowhere.txt"), store=store)
    assert result.returncode == 1
    assert "nowhere.txt: no such file or directory" in result.stderr
    assert "3 documents: 2 added" in result.stdout
    everything = kg("ingest", str(CORPUS), store=store)  # the .gold.json answer keys are not articles
    assert everything.returncode == 0, everything.stderr
    assert "7 documents: 5 added, 0 replaced, 2 unchanged, 0 failed" in everything.stdout


def test_two_files_with_the_same_document_id(tmp_path: Path) -> None:
    sample = CORPUS / "hdh-quitte-microsoft-2020-11-23.txt"
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / sample.name).write_bytes(sample.read_bytes())
    result = kg("ingest", str(tmp_path / "a"), str(tmp_path / "b"), store=tmp_path / "store")
    assert result.returncode == 1
    assert "same document id as" in result.stderr
    assert "1 added" in result.stdout


def test_progress_bar_on_a_terminal_and_log_lines_elsewhere() -> None:
    terminal = io.StringIO()
    bar = Progress(200, stream=terminal, tty=True)
    bar.update(50, 120, force=True)
    bar.close(200, 480)
    assert "\r[######" in terminal.getvalue() and "50/200 documents" in terminal.getvalue()
    assert "ETA" in terminal.getvalue() and "480 events" in terminal.getvalue()
    log = io.StringIO()
    lines = Progress(200, stream=log, tty=False, interval=0)
    lines.update(50, 120)
    lines.close(200, 480)
    assert "\r" not in log.getvalue()
    assert log.getvalue().startswith("kg ingest: 50/200 documents (25.0%)")
    assert log.getvalue().count("\n") == 1
