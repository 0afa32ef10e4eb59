"""Extraction speed on one core (articles per CPU second), and where the time goes.

    python bench/bench_extract.py [--articles 300] [--workdir /tmp/kg-bench]

Reads and extracts generated articles (about 600 words, the corpus's size) in this one
process, then again under cProfile for a summary by module and the hottest functions.
Measured against the issue's target of 20 articles/s per core (spaCy's small French
pipeline alone would manage about 13 such articles/s here).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections import defaultdict
from pathlib import Path

from bench.common import Row, corpus

TARGET = 20.0  # articles/s per core, from the issue


def run(workdir: Path, articles: int) -> tuple[list[Row], str]:
    from kg.extract import extract
    from kg.reader import read_article

    paths = sorted(corpus(workdir, articles).rglob("*.txt"))
    extract(read_article(paths[0]))  # imports, lexicons and caches loaded before timing
    # CPU time of this one-threaded process: one core's work, whatever else the shared machine runs.
    started, wall_started = time.process_time(), time.perf_counter()
    words = 0
    for path in paths:
        article = read_article(path)
        words += len(article.text.split())
        extract(article)
    seconds, wall = time.process_time() - started, time.perf_counter() - wall_started
    rate = len(paths) / seconds
    profile = cProfile.Profile()
    profile.enable()
    for path in paths[:100]:
        extract(read_article(path))
    profile.disable()
    note = (f"{words / len(paths):.0f} words per article, {words / seconds:,.0f} words per CPU second; "
            f"wall clock {len(paths) / wall:.1f} articles/s on this shared machine")
    return [Row("extract", "articles/s on one core", rate, "articles/s", "target per core", TARGET,
                note=note)], _summary(profile)


def _summary(profile: cProfile.Profile, top: int = 12) -> str:
    """Share of own time by module, then the functions with the most own time."""
    stats = pstats.Stats(profile)
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in entries.values()) or 1.0
    by_module: dict[str, float] = defaultdict(float)
    for (filename, _, _), entry in entries.items():
        by_module[_module(filename)] += entry[2]
    lines = ["own time by module:"]
    for module, seconds in sorted(by_module.items(), key=lambda item: -item[1])[:top]:
        lines.append(f"  {100 * seconds / total:5.1f}%  {module}")
    lines.append("hottest functions (own time, cumulative):")
    ranked = sorted(entries.items(), key=lambda item: -item[1][2])[:top]
    for (filename, line, name), entry in ranked:
        share = 100 * entry[2] / total
        lines.append(f"  {share:5.1f}%  {entry[3]:6.2f}s cum  {_module(filename)}:{line} {name}")
    return "\n".join(lines)


def _module(filename: str) -> str:
    path = Path(filename)
    parts = path.parts
    for anchor in ("kg", "dateparser", "regex", "re"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor):])
    if filename.startswith("<") or filename == "~":
        return "builtins (re, str, dict...)"
    return path.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kg-bench"))
    args = parser.parse_args()
    rows, profile = run(args.workdir, args.articles)
    for row in rows:
        print(row.line())
    print(profile)


if __name__ == "__main__":
    main()
