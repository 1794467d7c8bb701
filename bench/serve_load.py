"""Load test of `kg serve`: N concurrent clients for a while against 127.0.0.1, errors and latencies.

Each client loops over a mix of what people ask of the server (the named queries at the SPARQL
endpoint, question, deputy and ministry pages in HTML and Turtle, the home page) until the time is
up, one request at a time; every answer that is not 200 is an error.

    python bench/serve_load.py [--store DIR] [--clients 50] [--seconds 60] [-o bench/results/serve-load.json]

Without --store it loads the bundled sample into a temporary store first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from kg_server import load_store, start_server  # noqa: E402

from kg.named_queries import library  # noqa: E402

PAGES = [
    ("/id/question/QANR5L16QE12432", "text/html"),
    ("/id/question/QANR5L15QG2060", "text/turtle"),
    ("/id/acteur/PA346782", "text/html"),
    ("/id/organe/PO791601", "application/ld+json"),
    ("/", "text/html"),
]


def requests() -> list[tuple[str, str, dict[str, str] | None, str]]:
    """The mix: (method, path, form, Accept)."""
    mix = [("GET", path, None, accept) for path, accept in PAGES]
    mix += [("POST", "/sparql", {"query": q.bound()}, "application/sparql-results+json, text/turtle;q=0.9")
            for q in library().values()]
    return mix


async def client(url: str, deadline: float, offset: int, latencies: list[float], errors: list[str]) -> None:
    mix = requests()
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:
        index = offset
        while time.monotonic() < deadline:
            method, path, form, accept = mix[index % len(mix)]
            index += 1
            start = time.perf_counter()
            try:
                answer = await http.request(method, path, data=form, headers={"Accept": accept})
                if answer.status_code != 200:
                    errors.append(f"{method} {path}: {answer.status_code} {answer.text[:200]}")
            except httpx.HTTPError as error:
                errors.append(f"{method} {path}: {error!r}")
            latencies.append(time.perf_counter() - start)


async def hammer(url: str, clients: int, seconds: float) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(client(url, deadline, i, latencies, errors) for i in range(clients)))
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "bench" / "results" / "serve-load.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        store = args.store
        if store is None:
            store = Path(scratch) / "store"
            load_store([ROOT / "tests" / "data"], store)
        server = start_server(store)
        try:
            started = time.perf_counter()
            latencies, errors = asyncio.run(hammer(server.url, args.clients, args.seconds))
            elapsed = time.perf_counter() - started
        finally:
            server.stop()
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    figures = {
        "clients": args.clients, "seconds": round(elapsed, 1), "requests": len(latencies),
        "errors": len(errors), "requests_per_s": round(len(latencies) / elapsed, 1),
        "latency_ms": {"p50": round(cuts[49] * 1000), "p90": round(cuts[89] * 1000),
                       "p99": round(cuts[98] * 1000), "max": round(max(latencies) * 1000)},
        "first_errors": errors[:5],
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    latency = figures["latency_ms"]
    print(f"{args.clients} clients, {figures['seconds']} s: {figures['requests']} requests "
          f"({figures['requests_per_s']}/s), {figures['errors']} errors; latency ms p50 {latency['p50']}, "
          f"p90 {latency['p90']}, p99 {latency['p99']}, max {latency['max']}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
