"""`kg docs`: the HTML documentation of the ontology and of the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import click

from ..docs import write_docs
from ..errors import KGError
from .base import main


@main.command(name="docs")
@click.option(
    "-o", "--output", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("docs"),
    show_default=True, help="Folder to write ontology.html and shapes.html in (made if need be).",
)
def docs_command(folder: Path) -> None:
    """Write the HTML documentation of the ontology and of the SHACL shapes, made by pyLODE.

    The pages are made from the ontology/ and shapes/ files of the installed package; each term's
    entry has its local name as fragment (ontology.html#Question). The paths go to stdout.

    \b
    Example:
        kg docs
        kg docs -o site/
    """
    try:
        written = write_docs(folder)
    except OSError as error:
        raise click.ClickException(f"cannot write into {folder}: {error.strerror or error}") from error
    except KGError as error:
        raise click.ClickException(str(error)) from error
    for path in written:
        click.echo(path)
