"""`kg link`: refresh the Wikidata links from a Wikidata-compatible SPARQL endpoint."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import KGError
from ..links import refresh_deputies
from .base import main, wikidata_cache_option
from .store import endpoint_options, remote_endpoint

WIKIDATA = "https://query.wikidata.org/sparql"


@main.command(name="link")
@endpoint_options
@wikidata_cache_option
def link_command(
    endpoint: str | None, user: str | None, password: str | None, auth: str, cache: Path
) -> None:
    """Refresh the Wikidata QIDs of the deputies (property P4123) from a SPARQL endpoint.

    The answer is cached and used by later `kg convert` and `kg load` instead of the table
    shipped with the package. Without --endpoint, Wikidata's own endpoint is asked.

    \b
    Example:
        kg link
        kg link --endpoint http://127.0.0.1:8890/sparql
    """
    try:
        count = refresh_deputies(remote_endpoint(endpoint or WIKIDATA, user, password, auth), cache)
    except KGError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{count} deputies linked to Wikidata; cached in {cache}", err=True)
