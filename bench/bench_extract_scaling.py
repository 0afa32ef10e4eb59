"""How extraction time grows with the length of an article.

An article of N copies of one sentence naming a ruling on an appeal is
extracted at N = 500, 2000 and 8000; the script prints the time per sentence
at each size and the ratio of the last to the first.  A ratio near 1 means
extraction is linear in the length of the text; quadratic work would make it
about 16 (8000 / 500).  No threshold is asserted: machines are noisy.

    PYTHONPATH=. python bench/bench_extract_scaling.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime

from kg.extract import extract
from kg.models import Article, Section
from kg.reader import PARIS

SENTENCE = "Le Conseil d’État a rejeté le recours le 3 mars 2021. "
SIZES = (500, 2000, 8000)


def seconds_per_sentence(count: int, repeat: int) -> float:
    """The best of ``repeat`` runs over an article of ``count`` sentences, divided by ``count``."""
    body = SENTENCE * count
    article = Article("bench", "Bench", datetime(2021, 3, 5, tzinfo=PARIS), body,
                      (Section("body", 0, len(body)),))
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        extract(article)
        best = min(best, time.perf_counter() - started)
    return best / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the fastest counts")
    args = parser.parse_args()
    extract(Article("warm", "W", datetime(2021, 3, 5, tzinfo=PARIS), SENTENCE,
                    (Section("body", 0, len(SENTENCE)),)))  # lexicons and regexes compiled once
    per_sentence = []
    for count in SIZES:
        cost = seconds_per_sentence(count, args.repeat)
        per_sentence.append(cost)
        print(f"N={count:>5}  {cost * 1000:.3f} ms per sentence  ({cost * count:.2f} s)", flush=True)
    print(f"ratio N={SIZES[-1]} / N={SIZES[0]}: {per_sentence[-1] / per_sentence[0]:.2f}")


if __name__ == "__main__":
    main()
