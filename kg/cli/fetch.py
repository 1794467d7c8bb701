"""`kg fetch`: download the official open-data dumps of a legislature."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import KGError
from ..fetch import BASE_URL, DEFAULT_KINDS, KINDS, LEGISLATURES, Fetched, default_folder, fetch_dumps
from .base import main, quiet_option


@main.command(name="fetch")
@click.argument("legislature", type=int)
@click.option(
    "-k", "--kind", "kinds", multiple=True, type=click.Choice(list(KINDS)),
    help=f"A dump to fetch (repeat the option for several). Default: {', '.join(DEFAULT_KINDS)}.",
)
@click.option(
    "--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
    show_default="the user's cache folder, dumps/LEGISLATURE", help="Where to put the files.",
)
@click.option(
    "--base-url", default=BASE_URL, show_default=True, metavar="URL", help="The repository, or a mirror."
)
@quiet_option
def fetch_command(
    legislature: int, kinds: tuple[str, ...], folder: Path | None, base_url: str, quiet: bool
) -> None:
    """Download the Assemblée nationale's open-data dumps of a legislature, for `kg load`.

    Kinds: qe (written questions), qg (questions au Gouvernement), qosd (oral questions without
    debate), amo (AMO10: deputies in office, mandates, organes), amo-history (AMO30: every acteur
    since 1997). A stopped download (Ctrl-C, lost connection) leaves FILE.part, which the next run
    resumes; a file the server reports unchanged is not downloaded again; a file is kept only if it
    is a readable zip and matches any checksum the server gives. FILE.meta records its SHA-256.
    The paths go to stdout, one a line; messages to stderr.

    \b
    Example:
        kg fetch 16
        kg fetch 17 --kind qe --kind amo --dir dumps/17
        kg load $(kg fetch 16 --quiet)
    """
    if legislature not in LEGISLATURES:
        known = ", ".join(map(str, LEGISLATURES))
        message = f"no dumps known for legislature {legislature} (known: {known})"
        raise click.BadParameter(message, param_hint="LEGISLATURE")
    folder = folder or default_folder(legislature)
    fetched: list[Fetched] = []
    try:
        for dump in fetch_dumps(
            legislature, dict.fromkeys(kinds or DEFAULT_KINDS), folder, base_url=base_url, progress=not quiet
        ):
            fetched.append(dump)
            if not quiet:
                click.echo(_describe(dump), err=True)
    except KGError as error:
        raise click.ClickException(str(error)) from error
    # Only once every file is in place, so that `kg load $(kg fetch …)` never loads half a set.
    for dump in fetched:
        click.echo(dump.path)


def _describe(dump: Fetched) -> str:
    name = dump.path.name
    if not dump.downloaded:
        return f"{name}: unchanged on the server since the last fetch, not downloaded"
    resumed = f", resumed at {dump.resumed_from:,} bytes" if dump.resumed_from else ""
    return f"{name}: downloaded {dump.size:,} bytes{resumed}, SHA-256 {dump.sha256}"
