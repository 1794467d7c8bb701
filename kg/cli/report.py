"""`kg report`: charts of the store and an HTML page showing them."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import KGError
from .base import main, quiet_option, store_option
from .store import open_store


@main.command(name="report")
@store_option
@click.option(
    "-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("report"),
    show_default=True, help="Folder to write index.html and the charts (NAME.svg, NAME.png) into.",
)
@click.option(
    "--legislature", type=click.IntRange(min=1), metavar="N",
    help="Only the questions of this legislature (e.g. 16); all when omitted.",
)
@quiet_option
def report_command(store: Path, out_dir: Path, legislature: int | None, quiet: bool) -> None:
    """Draw charts of the store and write them with an HTML page that shows them.

    Questions per month by type, answer delays and answer rates by ministry, the top rubriques,
    the most active deputies and groups, the most mentioned organisations and legal instruments:
    each chart as NAME.svg and NAME.png, and index.html with the store's figures and a caption per
    chart. Says where it wrote the page on stderr.

    \b
    Example:
        kg report
        kg report -o report-16 --legislature 16
    """
    # Imported here: matplotlib takes a while to import, and the other commands do not need it.
    from ..report import write_report

    db = open_store(store)
    try:
        index = write_report(db, out_dir, legislature)
    except KGError as error:
        raise click.ClickException(str(error)) from error
    if not quiet:
        click.echo(f"report written to {index}", err=True)
