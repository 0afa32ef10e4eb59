"""Atomicity: whatever stops an ingest, every document is wholly in the store or wholly absent.

The acceptance test: a real ``kg ingest`` of 200 articles, SIGKILLed at a random moment,
ten times over the same store.  After each kill the store is opened as any process would
open it (nothing repaired by hand first), and every named graph is checked: it is the
ontology, or an article's graph holding exactly the triples a clean ingest of that
article gives (and hashing to the ``lt:graphHash`` written with it).  A last run without a
kill must skip every document already written and finish the rest.

``BATCH_DOCUMENTS`` is lowered to 5 in the killed process so that it writes many small
batches, and the kills fall inside writes as well as between them; otherwise the whole
corpus is one batch written at the end.
"""

from __future__ import annotations

import dataclasses
import os
import random
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph
import pytest

from kg.extract import extract
from kg.namespaces import LT, ONTOLOGY_GRAPH, PROV
from kg.rdf import extraction_to_quads, graph_hash
from kg.reader import read_article
from kg.reconcile import own_graph
from kg.store import GraphStore, PreparedDocument, StoreError, graph_hash_of

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "corpus"
ARTICLES = 200
KILLS = 10
STARTUP = 1.0  # seconds a run takes to start its workers and read the store's state
JOBS = 2
SEED = int(os.environ.get("KG_KILL_SEED", "0")) or random.randrange(1, 1 << 30)
JOURNAL = "https://w3id.org/legal-timeline/id/ingest-journal"
INGEST = ("import sys, kg.corpus; kg.corpus.BATCH_DOCUMENTS = 5; from kg.cli import main; "
          f"sys.exit(main(['ingest', '--jobs', '{JOBS}', *sys.argv[1:]]))")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 article files: the dev corpus's articles under 200 names (so 200 documents)."""
    directory = tmp_path_factory.mktemp("corpus")
    originals = sorted(CORPUS.glob("*.txt"))
    for number in range(ARTICLES):
        original = originals[number % len(originals)]
        (directory / f"a{number:03d}-{original.name}").write_bytes(original.read_bytes())
    return directory


@dataclasses.dataclass(frozen=True)
class Reference:
    """Each document's triple count in a clean ingest, and about how long ``kg ingest`` takes here."""

    counts: dict[str, int]
    seconds: float


@pytest.fixture(scope="module")
def reference(corpus: Path) -> Reference:
    """Every article ingested alone into a fresh store (each distinct text extracted once, then renamed)."""
    started = time.monotonic()
    extractions = {path.name: extract(read_article(path)) for path in CORPUS.glob("*.txt")}
    per_article = (time.monotonic() - started) / len(extractions)
    counts = {}
    for path in corpus.iterdir():
        extraction = extractions[path.name.split("-", 1)[1]]
        article = dataclasses.replace(extraction.article, id=read_article(path).id, source=str(path))
        with GraphStore() as alone:
            result = alone.ingest(dataclasses.replace(extraction, article=article))
        counts[result.document] = result.triples
    assert len(counts) == ARTICLES
    return Reference(counts, STARTUP + per_article * ARTICLES / JOBS)


def check_graphs(store: GraphStore, expected: dict[str, int]) -> set[str]:
    """Every named graph is the ontology or a whole article graph (no other, no partial one); their IRIs."""
    whole = set()
    for graph in store.raw.named_graphs():
        if graph.value in (ONTOLOGY_GRAPH, JOURNAL):  # the journal names graphs a run was writing
            continue
        assert graph.value in expected, f"unexpected graph {graph.value} (a journal of an unfinished write?)"
        quads = own_graph(store.raw.quads_for_pattern(None, None, None, graph))
        assert len(quads) == expected[graph.value], f"{graph.value}: {len(quads)} of {expected[graph.value]}"
        stated = [q.object.value for q in quads if q.predicate == LT("graphHash")]
        content = [q for q in quads if q.predicate not in (LT("graphHash"), PROV("endedAtTime"))]
        assert stated == [graph_hash(content)], f"{graph.value}: content does not match its graph hash"
        whole.add(graph.value)
    return whole


def run_ingest(corpus: Path, store: Path) -> subprocess.Popen[str]:
    """``kg ingest`` in its own process group, so a kill takes its extraction workers too."""
    env = {**os.environ, "KG_STORE": str(store), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", INGEST, str(corpus)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)


def test_sigkill_at_random_points_never_leaves_a_partial_document(
    corpus: Path, reference: Reference, tmp_path: Path
) -> None:
    print(f"KG_KILL_SEED={SEED}")
    chooser = random.Random(SEED)
    store_path = tmp_path / "store"
    expected, full = reference.counts, reference.seconds
    present: set[str] = set()
    for kill in range(KILLS):
        remaining = full * (ARTICLES - len(present)) / ARTICLES
        delay = STARTUP + chooser.uniform(0, remaining)  # a kill before the work starts proves nothing
        child = run_ingest(corpus, store_path)
        try:
            child.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
        child.communicate(timeout=60)
        with GraphStore(store_path) as store:
            now = check_graphs(store, expected)
            writing = store.raw.contains_named_graph(pyoxigraph.NamedNode(JOURNAL))
        print(f"kill {kill + 1}: after {delay:.2f} s (exit {child.returncode}), {len(now)} documents whole"
              f"{', killed while writing a batch' if writing else ''}")
        assert present <= now  # a document written once is skipped by later runs, never dropped
        present = now
    finished = run_ingest(corpus, store_path)
    out, err = finished.communicate(timeout=600)
    assert finished.returncode == 0, err
    match = re.search(r"200 documents: (\d+) added, 0 replaced, (\d+) unchanged, 0 failed "
                      r"\((\d+) extracted\)", out)
    assert match, out
    added, unchanged, extracted = map(int, match.groups())
    assert unchanged == len(present) and added == extracted == ARTICLES - len(present), out
    with GraphStore(store_path) as store:
        assert check_graphs(store, expected) == set(expected)


def test_a_write_failing_in_the_middle_of_a_batch_leaves_no_partial_document(
    corpus: Path, reference: Reference, tmp_path: Path
) -> None:
    """A batch whose last document cannot be loaded (corrupt N-Quads): no document of it is half there."""
    documents = []
    for path in sorted(corpus.iterdir())[:4]:
        quads = extraction_to_quads(extract(read_article(path)), extracted_at=datetime.now(UTC))
        nquads = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS) or b""
        documents.append(PreparedDocument(str(quads[0].graph_name.value), nquads, len(quads),
                                          graph_hash_of(quads)))
    expected = reference.counts
    with GraphStore(tmp_path / "store") as store:
        store.write_documents(documents[:2])
        assert check_graphs(store, expected) == {documents[0].iri, documents[1].iri}
        last = documents[3]
        corrupt = dataclasses.replace(last, nquads=last.nquads[: len(last.nquads) // 2] + b"<broken")
        with pytest.raises(StoreError, match="cannot write 3 document"):
            store.write_documents([documents[1], documents[2], corrupt])
        check_graphs(store, expected)
        assert documents[0].iri in check_graphs(store, expected)  # outside the batch: untouched
