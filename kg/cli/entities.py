"""`kg entities`: what one text yields."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from ..errors import KGError
from ..mentions import Extractor, Mention
from ..store import read_referential
from ..text import html_to_text
from .base import main, ner_option, store_option


@main.command(name="entities")
@click.argument("text_or_file")
@ner_option
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@store_option
def entities_command(text_or_file: str, ner: bool, fmt: str, store: Path) -> None:
    """The organisations, legal instruments and people that one text mentions.

    TEXT_OR_FILE is the text itself, a file holding it (plain text or HTML), or - for stdin. The
    deputies and ministers of the store's referential (earlier `kg load`s) are recognised by name.

    \b
    Example:
        kg entities "La CNIL a saisi le parquet national financier au titre du RGPD."
        kg entities answer.html -f json
    """
    text = _read(text_or_file)
    try:
        mentions = Extractor(read_referential(store), ner=ner).extract(text)
    except KGError as error:
        raise click.ClickException(str(error)) from error
    if fmt == "json":
        click.echo(json.dumps([_as_json(m) for m in mentions], ensure_ascii=False, indent=1, default=str))
        return
    for m in mentions:
        link = m.eli or (f"wd:{m.qid}" if m.qid else "") or (f"acteur:{m.acteur}" if m.acteur else "")
        where = f"{m.start:>6}-{m.end:<6} {m.type:<6}"
        click.echo(f"{where} {m.surface!r} -> {m.label} [{m.method}] {link}".rstrip())
    click.echo(f"({len(mentions)} mention{'s' if len(mentions) != 1 else ''})")


def _read(text_or_file: str) -> str:
    if text_or_file == "-":
        text = sys.stdin.read()
    elif Path(text_or_file).is_file():
        try:
            text = Path(text_or_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise click.ClickException(f"{text_or_file}: cannot read it as UTF-8 text ({error})") from error
    else:
        text = text_or_file
    return html_to_text(text) if "<" in text else text


def _as_json(mention: Mention) -> dict[str, object]:
    return {key: value for key, value in asdict(mention).items() if value not in (None, "")}
