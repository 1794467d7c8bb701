"""Mention extraction: precision, recall and F1 per type on the gold set, and its cost on a corpus.

    python bench/entities.py [--ner] [--corpus ../shared/data/an]

The scores are those the tests hold to floors (tests/test_mentions.py); the corpus timing converts
the same files with and without extraction, side by side, median of --runs runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the gold set's scoring, as the tests compute it

from test_mentions import referential, scores  # noqa: E402

from kg.convert import convert  # noqa: E402
from kg.mentions import Extractor  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ner", action="store_true", help="with spaCy's statistical model")
    parser.add_argument("--corpus", type=Path, help="also time the conversion of this folder")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    print(f"gold set, {'rules + NER' if args.ner else 'rules'}:")
    print(f"{'type':<8} {'precision':>9} {'recall':>7} {'F1':>6}")
    for kind, (precision, recall, f1) in scores(Extractor(referential(), ner=args.ner)).items():
        print(f"{kind:<8} {precision:>9.3f} {recall:>7.3f} {f1:>6.3f}")

    if args.corpus:
        times: dict[str, list[float]] = {"without": [], "with": []}
        for _ in range(args.runs):
            for label, entities in (("without", False), ("with", True)):
                start = time.perf_counter()
                conversion = convert([args.corpus], entities=entities, ner=args.ner)
                times[label].append(time.perf_counter() - start)
        without, with_ = (statistics.median(times[k]) for k in ("without", "with"))
        print(f"convert {args.corpus.name}: {sum(conversion.summary.questions.values())} questions, "
              f"{dict(conversion.summary.mentions)} mentions")
        print(f"  without entities {without:.1f} s, with {with_:.1f} s: {with_ / without:.1f}x")


if __name__ == "__main__":
    main()
