"""The `kg` command group and the options its commands share."""

from __future__ import annotations

from pathlib import Path

import click

from ..store import DEFAULT_STORE
from ..vocab import BASE

__all__ = ["base_option", "main", "paths_argument", "quiet_option", "store_option"]

paths_argument = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
base_option = click.option("--base", default=BASE, show_default=True, help="Base of the minted URIs.")
quiet_option = click.option("-q", "--quiet", is_flag=True, help="No summary or progress bar on stderr.")
store_option = click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="KG_STORE",
    default=DEFAULT_STORE,
    show_default="$KG_STORE, else the user's data folder",
    help="Folder of the embedded store.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="questions-kg")
def main() -> None:
    """questions-kg: French parliamentary questions as a knowledge graph."""
