"""The `kg` command group and the options its commands share."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import click
from tqdm import tqdm

from ..links import DEFAULT_CACHE
from ..progress import Progress
from ..question_graphs import default_jobs
from ..store import DEFAULT_STORE
from ..vocab import BASE

__all__ = [
    "base_option", "entities_option", "jobs_option", "main", "ner_option", "paths_argument", "progress_bars",
    "quiet_option", "store_option", "wikidata_cache_option",
]

paths_argument = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)
)
base_option = click.option("--base", default=BASE, show_default=True, help="Base of the minted URIs.")
quiet_option = click.option(
    "-q", "--quiet", is_flag=True,
    help="No progress bar or summary on stderr (errors and rejected records are still reported).",
)
_entities = click.option(
    "--entities/--no-entities",
    default=True,
    show_default=True,
    help="Extract the organisations, legal instruments and people the texts mention.",
)
jobs_option = click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=default_jobs, show_default="the cores available",
    help="Processes converting (or validating) questions.",
)
ner_option = click.option("--ner", is_flag=True, help="Also ask spaCy's statistical model (slower).")


def entities_option(command: click.Command) -> click.Command:
    """--entities/--no-entities and --ner."""
    return _entities(ner_option(command))


def progress_bars(quiet: bool) -> Progress | None:
    """What makes the progress bars of a command (see `kg.progress`): tqdm bars on stderr.

    None with --quiet; and tqdm's `disable=None` draws nothing unless stderr is a terminal, so that
    logs and pipes get no bar.
    """
    return None if quiet else partial(tqdm, disable=None, dynamic_ncols=True)


wikidata_cache_option = click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="KG_WIKIDATA_CACHE",
    default=DEFAULT_CACHE,
    show_default="$KG_WIKIDATA_CACHE, else the user's cache folder",
    help="Where `kg link` keeps the Wikidata links it refreshed.",
)
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
