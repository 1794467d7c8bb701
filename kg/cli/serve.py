"""`kg serve`: the store's SPARQL endpoint, pages and dashboard over HTTP."""

from __future__ import annotations

from pathlib import Path

import click

from .base import base_option, main, store_option
from .store import open_store


@main.command(name="serve")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (all: 0.0.0.0).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@base_option
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60, show_default=True,
              help="Seconds a SPARQL query may run before it is stopped (503).")
@click.option("--max-answer-mb", type=click.FloatRange(min=0.001), default=64, show_default=True,
              help="Size of the largest answer the endpoint sends (larger: 503).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Processes running SPARQL queries; more queries wait their turn.")
def serve_command(
    store: Path, host: str, port: int, base: str, timeout: float, max_answer_mb: float, workers: int
) -> None:
    """Serve the store: SPARQL endpoint at /sparql, query page, a page for every /id/… URI, dashboard.

    The store is opened read-only: `kg load` can update it meanwhile, and the server shows the
    change once restarted. --base is the data's base URI (as given to `kg convert`): its id/… URIs
    are served at /id/… here.

    \b
    Example:
        kg serve --port 8000
        curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' \\
            http://127.0.0.1:8000/sparql
    """
    import uvicorn

    from ..server import create_app
    from ..server.runner import Limits

    limits = Limits(timeout=timeout, max_bytes=int(max_answer_mb * 2**20))
    app = create_app(open_store(store), base=base, workers=workers, limits=limits)
    click.echo(f"serving {store} at http://{host}:{port}/ (SPARQL endpoint: /sparql); Ctrl+C stops", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
