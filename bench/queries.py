"""Named-query latencies on a real corpus: the embedded store next to Virtuoso, side by side.

Loads the corpus into a fresh embedded store and into a throw-away Virtuoso (the tests' launcher,
Debian package virtuoso-opensource), then runs every named query with its defaults, alternating
the engines, and reports the median of the timed runs after one warm-up run each. Answers are
compared too: a query whose answers differ is flagged.

    python bench/queries.py [--data ../shared/data/an] [--runs 5] [-o bench/results/queries.json]

With `--store DIR`, times the named queries on a store already loaded (`kg load --store DIR`, e.g.
a corpus of `bench/corpus.py`), on the embedded engine alone, as `kg query` runs them; `--also
NAME:KEY=VALUE` times a query with other parameters too (an empty value: the parameter unbound).

    python bench/queries.py --store DIR --also search-text:text=santé --also search-text:text=glyphosate
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the Virtuoso launcher of the tests

from virtuoso import start_virtuoso  # noqa: E402

from kg.load import load  # noqa: E402
from kg.named_queries import library  # noqa: E402
from kg.remote import RemoteEndpoint  # noqa: E402
from kg.results import Solutions, comparable  # noqa: E402
from kg.store import EmbeddedStore  # noqa: E402
from kg.text_search import run_named  # noqa: E402


def timed(action, *args):
    """Seconds taken by action(*args), and its result."""
    start = time.perf_counter()
    result = action(*args)
    return time.perf_counter() - start, result


def size(answer) -> int:
    return len(answer.rows) if isinstance(answer, Solutions) else len(getattr(answer, "triples", [1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "an")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "bench" / "results" / "queries.json")
    parser.add_argument("--store", type=Path, help="A loaded store: time the embedded engine alone on it.")
    parser.add_argument("--also", action="append", default=[], metavar="NAME:KEY=VALUE")
    args = parser.parse_args()
    if args.store:
        embedded_alone(EmbeddedStore(args.store, read_only=True), args.also, args.runs)
        return

    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedStore(Path(folder) / "store")
        load_embedded, loaded = timed(load, [args.data], store)
        questions = sum(loaded.summary.questions.values())
        print(f"corpus: {questions} questions, {loaded.summary.triples:,} triples")
        server = start_virtuoso(Path(folder) / "virtuoso")
        try:
            remote = RemoteEndpoint(server.sparql, server.update, user=server.user,
                                    password=server.password, auth="digest")
            scratch = EmbeddedStore(None)  # a fresh referential, so that the server gets everything
            load_virtuoso, _ = timed(lambda: load([args.data], scratch, target=remote))
            queries = measure(store, remote, args.runs)
        finally:
            server.stop()

    report = {
        "corpus": str(args.data.name),
        "questions": questions,
        "triples": loaded.summary.triples,
        "runs": args.runs,
        "load_seconds": {"embedded": round(load_embedded, 2), "virtuoso_update": round(load_virtuoso, 2)},
        "queries": queries,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print_table(report)
    print(f"figures written to {args.output}")


def measure(store: EmbeddedStore, remote: RemoteEndpoint, runs: int) -> list[dict[str, object]]:
    figures = []
    for name, query in library().items():
        text = query.bound()
        print(f"  {name} ...", file=sys.stderr, flush=True)
        # The embedded store as `kg query` runs it: search-text from the text index.
        engines = {"embedded": lambda _, query=query: run_named(store, query, {}), "virtuoso": remote.query}
        answers = {engine: run(text) for engine, run in engines.items()}  # warm-up
        times: dict[str, list[float]] = {engine: [] for engine in engines}
        for _ in range(runs):
            for engine, run in engines.items():
                times[engine].append(timed(run, text)[0])
        print(f"  {name}: {statistics.median(times['embedded']):.3f} s embedded, "
              f"{statistics.median(times['virtuoso']):.3f} s Virtuoso", file=sys.stderr, flush=True)
        figures.append({
            "query": name,
            "rows": size(answers["embedded"]),
            "virtuoso_rows": size(answers["virtuoso"]),
            "same_answer": comparable(answers["embedded"]) == comparable(answers["virtuoso"]),
            **{f"{engine}_ms": round(statistics.median(t) * 1000, 1) for engine, t in times.items()},
        })
    return figures


def embedded_alone(store: EmbeddedStore, also: list[str], runs: int) -> None:
    """Every named query with its defaults, then the `also` ones, timed on one store; a row each."""
    queries = library()
    jobs = [(name, {}) for name in queries]
    for job in also:
        name, _, pair = job.partition(":")
        key, _, value = pair.partition("=")
        jobs.append((name, {key: value}))
    print(f"{'query':<40} {'parameters':<32} {'rows':>7} {'median s':>9}")
    for name, given in jobs:
        query = queries[name]
        run_named(store, query, given)  # warm-up
        times = [timed(run_named, store, query, given) for _ in range(runs)]
        shown = " ".join(f"{key}={value}" for key, value in given.items())
        print(f"{name:<40} {shown:<32} {size(times[0][1]):>7} {statistics.median(t for t, _ in times):>9.2f}",
              flush=True)


def print_table(report: dict[str, object]) -> None:
    loads = report["load_seconds"]
    print(f"load: embedded {loads['embedded']} s, Virtuoso by SPARQL Update {loads['virtuoso_update']} s")
    print(f"{'query':<40} {'rows':>6} {'embedded ms':>12} {'virtuoso ms':>12} {'ratio':>6}  same")
    for row in report["queries"]:
        ratio = row["virtuoso_ms"] / row["embedded_ms"] if row["embedded_ms"] else float("inf")
        print(f"{row['query']:<40} {row['rows']:>6} {row['embedded_ms']:>12} {row['virtuoso_ms']:>12} "
              f"{ratio:>6.2f}  {'yes' if row['same_answer'] else 'NO'}")


if __name__ == "__main__":
    main()
