"""Scale bench: convert, load, validate and query corpora of N questions, side by side with what users
would use instead.

For each size N (corpora built by bench/corpus.py from the real files), median of --runs runs
(--heavy-runs for the slow baselines), each command in its own process with its peak memory (the
process and its children):

- convert: `kg convert --no-entities` against a naive rdflib converter (bench/naive_rdflib.py) and
  against the floor, pyoxigraph parsing the N-Triples kg wrote; `kg convert` with entities (default);
- load: `kg load` of the N-Quads against pyoxigraph's `bulk_load` of the same file and against
  Virtuoso's bulk loader (`ld_dir` + `rdf_loader_run`); `kg load` from the JSON files too;
- validate: `kg validate` against pyshacl on the whole graph (time, memory, same results);
- queries: every named query on the embedded store against rdflib's SPARQL engine (a timeout per
  query) and against Virtuoso.

pySHACL and rdflib hold the whole graph as Python objects (4.6 GB for 10,000 questions): past
--baselines-up-to questions they are not run, and the other figures are.

It prints a table with the ratios and writes the figures as JSON after each section.

    python bench/scale.py [--sizes 1000,10000,100000] [--runs 3] [--heavy-runs 1] [--work DIR]
        [--baselines-up-to 10000] [--kinds QE,QG,QOSD]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the Virtuoso launcher of the tests
sys.path.insert(0, str(ROOT / "bench"))

from corpus import DEFAULT_DATA, KINDS, build, kinds_option  # noqa: E402

PYTHON = sys.executable
KG = [PYTHON, "-m", "kg"]
SECTIONS = ("convert", "load", "validate", "queries")


# -- measuring -------------------------------------------------------------------------------

def run(command: list[str], output: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of a command, its child processes included."""
    with tempfile.TemporaryFile() as errors, open(output or os.devnull, "wb") as out:
        start = time.perf_counter()
        process = psutil.Popen(command, stdout=out, stderr=errors)
        peak = 0
        while process.poll() is None:
            try:
                family = [process, *process.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in family))
            except psutil.Error:
                pass  # a child ended between the listing and the reading
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
        if process.returncode not in (0, 1, 3):  # 1: validation found violations; 3: some rejected
            errors.seek(0)
            raise RuntimeError(f"{' '.join(command)} failed:\n{errors.read().decode()[-2000:]}")
    return elapsed, peak / 1e6


def median_run(
    command: list[str], runs: int, before: Callable[[], None] | None = None, output: Path | None = None
) -> dict[str, float]:
    """Median seconds and peak MB over `runs` runs; `before` resets what a run leaves behind."""
    return medians_in_turn([(command, before)], runs, output)[0]


def medians_in_turn(
    commands: list[tuple[list[str], Callable[[], None] | None]], runs: int, output: Path | None = None
) -> list[dict[str, float]]:
    """`median_run` of each command, their runs taken in turn: a machine slowed meanwhile slows all alike."""
    measured: list[list[tuple[float, float]]] = [[] for _ in commands]
    for _ in range(runs):
        for (command, before), runs_of_command in zip(commands, measured, strict=True):
            if before:
                before()
            runs_of_command.append(run(command, output))
    return [
        {"seconds": round(statistics.median(t for t, _ in pairs), 3),
         "peak_mb": round(max(p for _, p in pairs), 1)}
        for pairs in measured
    ]


def timed(action: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median seconds of an in-process action, and its last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def fresh(folder: Path) -> Callable[[], None]:
    return lambda: shutil.rmtree(folder, ignore_errors=True)


def count_lines(path: Path) -> int:
    with path.open("rb") as lines:
        return sum(1 for _ in lines)


# -- sections --------------------------------------------------------------------------------

_READ_ONLY = ("import sys; from pathlib import Path; from kg.readers import read_paths; "
              "sum(1 for _ in read_paths([Path(sys.argv[1])]))")


def convert_section(corpus: Path, work: Path, n: int, args: argparse.Namespace) -> dict[str, Any]:
    from pyoxigraph import RdfFormat, parse

    plain, rich = work / "plain.nt", work / "entities.nq"
    kg = median_run([*KG, "convert", str(corpus), "--no-entities", "-f", "nt", "-o", str(plain), "-q"],
                    args.runs)
    triples = count_lines(plain)
    floor, _ = timed(lambda: sum(1 for _ in parse(path=plain, format=RdfFormat.N_TRIPLES)), args.runs)
    # What any converter of these files pays before writing a triple: kg's readers alone (JSON parsed,
    # HTML texts stripped, records built), in one process.
    reading = median_run([PYTHON, "-c", _READ_ONLY, str(corpus / "questions")], args.runs)
    naive = median_run([PYTHON, str(ROOT / "bench" / "naive_rdflib.py"), str(corpus), "-o",
                        str(work / "naive.ttl")], args.heavy_runs)
    entities = median_run([*KG, "convert", str(corpus), "-f", "nquads", "-o", str(rich), "-q"],
                          args.heavy_runs)
    # The merged graph with entities, for pyshacl, and the same quads for the stores.
    run([*KG, "convert", str(corpus), "-f", "nt", "-o", str(work / "entities.nt"), "-q"])
    return {
        "triples": triples,
        "kg_no_entities": {**kg, "questions_per_s": round(n / kg["seconds"]),
                           "triples_per_s": round(triples / kg["seconds"])},
        "naive_rdflib": naive,
        "reading_only": reading,
        "pyoxigraph_parse": {"seconds": round(floor, 3), "triples_per_s": round(triples / floor)},
        "kg_entities": {**entities, "triples": count_lines(rich)},
        "ratios": {
            "naive_over_kg": round(naive["seconds"] / kg["seconds"], 2),
            "naive_over_reading": round(naive["seconds"] / reading["seconds"], 2),
            "kg_rate_over_parse_rate": round(floor / kg["seconds"], 3),
            "entities_over_no_entities": round(entities["seconds"] / kg["seconds"], 2),
        },
    }


def load_section(corpus: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:

    dataset, store = work / "entities.nq", work / "store"
    bulk_code = ("import sys, pyoxigraph as ox; "
                 "ox.Store(sys.argv[1]).bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS)")
    kg, bulk = medians_in_turn([
        ([*KG, "load", str(dataset), "--store", str(store), "-q"], fresh(store)),
        ([PYTHON, "-c", bulk_code, str(work / "bulk"), str(dataset)], fresh(work / "bulk")),
    ], args.runs)
    shutil.rmtree(work / "bulk", ignore_errors=True)
    again = median_run([*KG, "load", str(dataset), "--store", str(store), "-q"], args.runs)  # a reload
    end_to_end = virtuoso = None
    if args.heavy_runs:
        scratch = work / "from-json"
        end_to_end = median_run([*KG, "load", str(corpus), "--store", str(scratch), "-q"], args.heavy_runs,
                                fresh(scratch))
        shutil.rmtree(scratch, ignore_errors=True)
        virtuoso = _virtuoso_bulk(dataset, work / "virtuoso", args.heavy_runs)
    return {
        "kg_load_nquads": kg, "pyoxigraph_bulk_load": bulk, "kg_reload_nquads": again,
        "kg_load_json": end_to_end, "virtuoso_bulk_loader": virtuoso,
        "ratios": {"kg_over_bulk_load": round(kg["seconds"] / bulk["seconds"], 2),
                   "virtuoso_over_kg": virtuoso and round(virtuoso["seconds"] / kg["seconds"], 2)},
    }


def _virtuoso_bulk(dataset: Path, folder: Path, runs: int) -> dict[str, float]:
    from virtuoso import start_virtuoso

    times = []
    for _ in range(runs):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        os.link(dataset, folder / dataset.name)  # the bulk loader reads only under DirsAllowed
        server = start_virtuoso(folder, buffers=170_000)
        try:
            start = time.perf_counter()
            server.isql(f"ld_dir('{folder}', '{dataset.name}', 'urn:default');", "rdf_loader_run();",
                        "checkpoint;", timeout=7200)
            times.append(time.perf_counter() - start)
        finally:
            server.stop()
    return {"seconds": round(statistics.median(times), 3)}


def validate_section(work: Path, n: int, args: argparse.Namespace) -> dict[str, Any]:
    kg = median_run([*KG, "validate", str(work / "entities.nq"), "-f", "turtle"], args.runs,
                    output=work / "kg-report.ttl")
    ours = _results(work / "kg-report.ttl", "turtle")
    if n > args.baselines_up_to:
        return {"kg_validate": kg, "pyshacl_whole_graph": None, "results": len(ours), "same_results": None}
    report_code = (
        "import sys, json, pyshacl; from rdflib import Graph; from kg.validate import load_shapes; "
        "g = Graph(); g.parse(sys.argv[1], format='nt'); "
        "_, report, _ = pyshacl.validate(g, shacl_graph=load_shapes(), inference='none', advanced=True); "
        "report.serialize(sys.argv[2], format='nt')"
    )
    whole = median_run([PYTHON, "-c", report_code, str(work / "entities.nt"), str(work / "pyshacl.nt")],
                       args.heavy_runs)
    theirs = _results(work / "pyshacl.nt", "nt")
    ratio = round(whole["seconds"] / kg["seconds"], 2)
    return {"kg_validate": kg, "pyshacl_whole_graph": whole, "results": len(theirs),
            "same_results": ours == theirs, "ratios": {"pyshacl_over_kg": ratio}}


def _results(path: Path, fmt: str) -> set[tuple[str, ...]]:
    """The validation results of a report, as comparable tuples (a blank node shape by its path)."""
    from rdflib import BNode, Graph, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    report = Graph().parse(path, format=fmt)
    fields = (sh.focusNode, sh.resultPath, sh.value, sh.sourceShape, sh.sourceConstraintComponent,
              sh.resultSeverity)
    return {
        tuple("_" if isinstance(value, BNode) else str(value) for value in values)
        for values in ([report.value(result, field) for field in fields]
                       for result in report.subjects(sh.resultSeverity, None))
    }


class _Timeout(Exception):
    pass


def queries_section(work: Path, n: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    from rdflib import Dataset
    from virtuoso import start_virtuoso

    from kg.errors import KGError
    from kg.named_queries import library
    from kg.remote import RemoteEndpoint, with_prefixes
    from kg.results import Solutions, comparable
    from kg.store import EmbeddedStore
    from kg.text_search import run_named

    store = EmbeddedStore(work / "store", read_only=True)
    folder = work / "virtuoso"
    server = start_virtuoso(folder, buffers=170_000)  # the database the load section filled
    remote = RemoteEndpoint(server.sparql)
    figures, timed_queries = [], []  # each figure with its query's text and embedded seconds
    try:
        for name, query in library().items():
            print(f"  {name} ...", file=sys.stderr, flush=True)
            # As `kg query` runs it: search-text from the text index.
            embedded, answer = timed(lambda query=query: run_named(store, query, {}), args.runs + 1)
            rows = len(answer.rows) if isinstance(answer, Solutions) else len(answer.triples)
            text = query.bound()
            try:
                virtuoso, remote_answer = timed(lambda text=text: remote.query(text), args.runs + 1)
            except KGError as error:  # on 100,000 questions, Virtuoso ran past the client's time limit
                print(f"    Virtuoso: {error}", file=sys.stderr, flush=True)
                virtuoso, remote_answer = None, None
            figure = {
                "query": name, "rows": rows, "embedded_ms": round(embedded * 1000, 1),
                "virtuoso_ms": round(virtuoso * 1000, 1) if virtuoso is not None else None,
                "virtuoso_same_answer": None if remote_answer is None
                else comparable(answer) == comparable(remote_answer),
            }
            figures.append(figure)
            timed_queries.append((figure, text, embedded))
    finally:
        server.stop()
    if n > args.baselines_up_to:
        for figure in figures:
            figure.update({"rdflib_ms": None, "rdflib_rows": None, "rdflib_over_embedded": "not run"})
        return figures
    # rdflib's graph is parsed only now: beside its millions of Python objects, the embedded store's
    # queries took up to a fifth longer than in a `kg query` process.
    dataset = Dataset(default_union=True)
    dataset.parse(work / "entities.nq", format="nquads")

    def rdflib_query(text: str) -> int:
        def expire(*_: object) -> None:
            raise _Timeout

        signal.signal(signal.SIGALRM, expire)
        signal.alarm(args.rdflib_timeout)
        try:
            return len(list(dataset.query(with_prefixes(text))))
        finally:
            signal.alarm(0)

    for figure, text, embedded in timed_queries:
        print(f"  {figure['query']} (rdflib) ...", file=sys.stderr, flush=True)
        try:
            rdflib_seconds, rdflib_rows = timed(lambda text=text: rdflib_query(text), args.heavy_runs)
        except _Timeout:
            rdflib_seconds, rdflib_rows = None, None
        figure.update({
            "rdflib_ms": round(rdflib_seconds * 1000, 1) if rdflib_seconds is not None else None,
            "rdflib_rows": rdflib_rows,
            "rdflib_over_embedded": round(rdflib_seconds / embedded, 1) if rdflib_seconds else
            f">{round(args.rdflib_timeout / embedded)}",
        })
    return figures


# -- report ----------------------------------------------------------------------------------

def print_tables(results: dict[str, Any]) -> None:
    kinds = "" if tuple(results["kinds"]) == KINDS else f" ({', '.join(results['kinds'])} alone)"
    for size, figures in results["sizes"].items():
        print(f"\n== {int(size):,} questions{kinds} ==")
        if c := figures.get("convert"):
            kg, ratios = c["kg_no_entities"], c["ratios"]
            print(f"convert --no-entities: {kg['seconds']} s, {kg['questions_per_s']:,} questions/s, "
                  f"{kg['triples_per_s']:,} triples/s, peak {kg['peak_mb']} MB ({c['triples']:,} triples)")
            print(f"  naive rdflib: {c['naive_rdflib']['seconds']} s, peak {c['naive_rdflib']['peak_mb']} MB "
                  f"-> kg is {ratios['naive_over_kg']}x faster")
            print(f"  kg's readers alone, one process (no RDF): {c['reading_only']['seconds']} s "
                  f"-> the naive converter takes {ratios['naive_over_reading']}x that")
            print(f"  pyoxigraph parse of kg's output: {c['pyoxigraph_parse']['seconds']} s "
                  f"-> kg runs at {ratios['kg_rate_over_parse_rate']} of the parse rate")
            rich = c["kg_entities"]
            print(f"convert with entities: {rich['seconds']} s, peak {rich['peak_mb']} MB "
                  f"-> {ratios['entities_over_no_entities']}x --no-entities")
        if lo := figures.get("load"):
            print(f"load N-Quads: kg {lo['kg_load_nquads']['seconds']} s, pyoxigraph bulk_load "
                  f"{lo['pyoxigraph_bulk_load']['seconds']} s ({lo['ratios']['kg_over_bulk_load']}x), "
                  f"Virtuoso bulk loader {_seconds(lo['virtuoso_bulk_loader'])}; reload "
                  f"{lo['kg_reload_nquads']['seconds']} s; "
                  f"kg load from JSON {_seconds(lo['kg_load_json'])}")
        if v := figures.get("validate"):
            kg, whole = v["kg_validate"], v["pyshacl_whole_graph"]
            if whole is None:
                print(f"validate ({v['results']} results): kg {kg['seconds']} s / {kg['peak_mb']} MB; "
                      "pyshacl not run (past --baselines-up-to)")
            else:
                same = "same" if v["same_results"] else "DIFFERENT"
                print(f"validate ({same} {v['results']} results): kg {kg['seconds']} s / {kg['peak_mb']} MB, "
                      f"pyshacl whole graph {whole['seconds']} s / {whole['peak_mb']} MB "
                      f"({v['ratios']['pyshacl_over_kg']}x)")
        if q := figures.get("queries"):
            print(f"{'query':<40} {'rows':>7} {'embedded ms':>12} {'rdflib ms':>10} {'ratio':>7} "
                  f"{'virtuoso ms':>12}  (* rdflib counts other rows, ! Virtuoso answers otherwise)")
            for row in q:
                rdflib_ms = row["rdflib_ms"] if row["rdflib_ms"] is not None else (
                    "not run" if row["rdflib_over_embedded"] == "not run" else "timeout")
                other = "*" if row["rdflib_rows"] not in (None, row["rows"]) else ""
                other += "!" if row["virtuoso_same_answer"] is False else ""
                virtuoso_ms = "failed" if row["virtuoso_ms"] is None else row["virtuoso_ms"]
                print(f"{row['query']:<40} {row['rows']:>7} {row['embedded_ms']:>12} {rdflib_ms:>10} "
                      f"{row['rdflib_over_embedded']!s:>7} {virtuoso_ms:>12}  {other}")


def _seconds(figures: dict[str, float] | None) -> str:
    return f"{figures['seconds']} s" if figures else "not run"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--heavy-runs", type=int, default=1,
                        help="Runs of the slow baselines; 0 (with --sections load): none.")
    parser.add_argument("--rdflib-timeout", type=int, default=120, help="Seconds per rdflib query.")
    parser.add_argument("--baselines-up-to", type=int, default=10_000,
                        help="Largest N at which pySHACL and rdflib are run (they hold the whole graph).")
    parser.add_argument("--sections", default=",".join(SECTIONS))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--kinds", type=kinds_option, default=KINDS,
                        help="Question kinds the corpora replicate: QE for written questions alone.")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "bench" / "results" / "scale.json")
    args = parser.parse_args()
    sections = args.sections.split(",")
    if args.heavy_runs < 1 and set(sections) != {"load"}:
        parser.error("--heavy-runs 0 is for the load section alone (--sections load)")

    results: dict[str, Any] = {"runs": args.runs, "heavy_runs": args.heavy_runs, "cores": os.cpu_count(),
                               "kinds": list(args.kinds), "sizes": {}}
    named = "" if args.kinds == KINDS else "-" + "-".join(args.kinds).lower()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    for n in (int(size) for size in args.sizes.split(",")):
        corpus = build(n, args.work / f"corpus-{n}{named}", args.data, args.kinds)
        work = args.work / f"run-{n}{named}"
        work.mkdir(parents=True, exist_ok=True)
        figures = results["sizes"][str(n)] = {}
        for section in sections:
            print(f"{n:,} questions: {section} ...", file=sys.stderr, flush=True)
            if section == "convert":
                figures["convert"] = convert_section(corpus, work, n, args)
            elif section == "load":
                figures["load"] = load_section(corpus, work, args)
            elif section == "validate":
                figures["validate"] = validate_section(work, n, args)
            elif section == "queries":
                figures["queries"] = queries_section(work, n, args)
            args.output.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print_tables(results)
    print(f"\nfigures written to {args.output}")


if __name__ == "__main__":
    main()
