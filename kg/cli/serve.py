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
def serve_command(store: Path, host: str, port: int, base: str) -> None:
    """Serve the store: SPARQL endpoint at /sparql, query page, a page for every /id/… URI, dashboard.

    The store is opened read-only: `kg load` can update it meanwhile, and the server shows the
    change once restarted. --base is the data's base URI (as given to `kg convert`): its id/… URIs
    are served at /id/… here.
    """
    import uvicorn

    from ..server import create_app

    app = create_app(open_store(store), base=base)
    click.echo(f"serving {store} at http://{host}:{port}/ (SPARQL endpoint: /sparql); Ctrl+C stops", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
