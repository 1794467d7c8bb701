"""`kg link`: refresh the Wikidata links from a Wikidata-compatible SPARQL endpoint."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import KGError
from ..links import refresh_deputies
from ..progress import progress_bar
from .base import main, progress_bars, quiet_option, wikidata_cache_option
from .store import endpoint_options, remote_endpoint

WIKIDATA = "https://query.wikidata.org/sparql"


@main.command(name="link")
@endpoint_options
@wikidata_cache_option
@quiet_option
def link_command(
    endpoint: str | None, user: str | None, password: str | None, auth: str, cache: Path, quiet: bool
) -> None:
    """Refresh the Wikidata QIDs of the deputies (property P4123) from a SPARQL endpoint.

    The answer is cached and used by later `kg convert` and `kg load` instead of the table
    shipped with the package. Without --endpoint, Wikidata's own endpoint is asked. While it
    answers, a progress bar shows on stderr when it is a terminal.

    \b
    Example:
        kg link
        kg link --endpoint http://127.0.0.1:8890/sparql
    """
    try:
        # One query, which may take a while on Wikidata: the bar shows the time it has taken.
        with progress_bar(progress_bars(quiet), total=1, desc="querying", unit="query") as bar:
            count = refresh_deputies(remote_endpoint(endpoint or WIKIDATA, user, password, auth), cache)
            bar.update(1)
    except KGError as error:
        raise click.ClickException(str(error)) from error
    if not quiet:
        click.echo(f"{count} deputies linked to Wikidata; cached in {cache}", err=True)
