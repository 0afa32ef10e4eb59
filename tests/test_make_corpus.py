"""The synthetic corpus generator: reproducible, in the corpus's format, varied enough to benchmark with."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bench.make_corpus import article, main, write_corpus
from kg.extract import extract
from kg.reader import read_article


def test_same_seed_same_articles_whatever_the_count(tmp_path: Path) -> None:
    small = write_corpus(5, seed=4, out=tmp_path / "small")
    large = write_corpus(12, seed=4, out=tmp_path / "large")
    for path in small:
        twin = tmp_path / "large" / path.relative_to(tmp_path / "small")
        assert twin in large and twin.read_bytes() == path.read_bytes()
    assert article(4, 3) != article(5, 3)


def test_articles_read_as_the_corpus_does(tmp_path: Path) -> None:
    paths = write_corpus(20, seed=9, out=tmp_path)
    words = []
    for path in paths:
        parsed = read_article(path)
        assert parsed.title and parsed.published.year >= 2018
        words.append(len(parsed.text.split()))
        assert path.parent.name == "0000"
    assert 400 < sum(words) / len(words) < 900  # the corpus's articles are about 600 words
    assert any(s.kind == "comment" for p in paths for s in read_article(p).sections)


def test_the_extractor_finds_varied_events_actors_and_precisions(tmp_path: Path) -> None:
    extractions = [extract(read_article(p)) for p in write_corpus(15, seed=2, out=tmp_path)]
    types = Counter(e.type for x in extractions for e in x.events)
    precisions = Counter(e.date.precision for x in extractions for e in x.events if e.date)
    kinds = Counter(a.kind for x in extractions for a in x.actors)
    assert len(types) >= 7, types
    assert {"day", "month"} <= set(precisions), precisions
    assert len(kinds) >= 4, kinds
    assert sum(len(x.legal_acts) for x in extractions) >= 10


def test_command_line(tmp_path: Path) -> None:
    assert main(["3", "--seed", "1", "--out", str(tmp_path)]) == 0
    assert len(list(tmp_path.rglob("*.txt"))) == 3
