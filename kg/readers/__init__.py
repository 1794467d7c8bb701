"""Readers: detect each document's kind from its content and yield typed records."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from ..errors import RecordError
from ..model import Acteur, Organe, Question
from .amo import read_acteur, read_organe
from .an_json import read_question
from .contract import checked
from .files import Document, Rejected, Skipped, Source, iter_sources, public_name
from .page import looks_like_page, read_page
from .safe_xml import parse_xml

__all__ = ["Record", "Rejected", "Skipped", "read_document", "read_paths", "read_source"]

Record = Question | Acteur | Organe
# An HTML page: read as XML it would fail at its DOCTYPE or its first unclosed tag, which says less.
_HTML = re.compile(r"<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)


def _question(node: dict[str, Any], source: str) -> Question:
    return checked(read_question(node, source))


_READERS = {"question": _question, "acteur": read_acteur, "organe": read_organe}


def read_paths(paths: list[Path]) -> Iterator[Record | Rejected | Skipped]:
    """Every record under the paths; broken ones come out as Rejected, never raise."""
    for source in iter_sources(paths):
        if isinstance(source, Source):
            yield from read_source(source)
        else:
            yield source


def read_source(source: Source) -> Iterator[Record | Rejected]:
    """The records of a document not read yet; a Rejected if it cannot be read."""
    document = source.read()
    if isinstance(document, Rejected):
        yield document
    else:
        yield from read_document(document)


def read_document(document: Document) -> Iterator[Record | Rejected]:
    """The records of one document, whatever its kind."""
    try:
        text = document.data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        yield Rejected(document.name, f"not UTF-8 text (byte {error.start})")
        return
    stripped = text.lstrip()
    if not stripped:
        yield Rejected(document.name, "empty file")
        return
    try:
        if stripped.startswith(("{", "[")):
            tree = orjson.loads(text)  # some 4x faster than json, same trees
        elif _HTML.match(stripped):
            yield Rejected(document.name, "an HTML page, not a record (pages are read from their text)")
            return
        elif stripped.startswith("<"):
            tree = parse_xml(text)
        elif looks_like_page(text):
            yield _provenance(checked(read_page(text, document.name)), document)
            return
        else:
            yield Rejected(document.name, "not a question, acteur, organe or question page")
            return
    except (ValueError, RecordError) as error:  # orjson's JSONDecodeError is a ValueError
        yield Rejected(document.name, _reason(error))
        return
    for record in _records(tree, document.name):
        yield _provenance(record, document) if isinstance(record, Question) else record


def _provenance(question: Question, document: Document) -> Question:
    """The question with the file it comes from: its name without the local folders, and its SHA-256."""
    sha256 = hashlib.sha256(document.data).hexdigest()
    return dataclasses.replace(question, source_file=public_name(document.name), source_sha256=sha256)


def _records(tree: Any, source: str) -> Iterator[Record | Rejected]:
    found = False
    for kind, node in _objects(tree):
        found = True
        uid = _uid(node)
        name = f"{source}#{uid}" if uid else source
        try:
            yield _READERS[kind](node, name)
        except (RecordError, KeyError, TypeError, ValueError, AttributeError) as error:
            yield Rejected(name, _reason(error))
    if not found:
        yield Rejected(source, "no question, acteur or organe object in it")


def _objects(tree: Any, depth: int = 0) -> Iterator[tuple[str, dict[str, Any]]]:
    """The question/acteur/organe objects of a per-record file or of a whole-dump export."""
    if depth > _MAX_DEPTH:  # deeper is no AN export, and would exhaust Python's stack
        return
    if isinstance(tree, list):
        for item in tree:
            yield from _objects(item, depth + 1)
    elif isinstance(tree, dict):
        for key, node in tree.items():
            if key in _READERS:
                items = node if isinstance(node, list) else [node]
                yield from ((key, item) for item in items if isinstance(item, dict))
            elif isinstance(node, dict | list) and key in _CONTAINERS:
                yield from _objects(node, depth + 1)


# Wrappers of the whole-dump exports (`{"export": {"organes": {"organe": [...]}}}`).
_CONTAINERS = {
    "export",
    "organes",
    "acteurs",
    "questions",
    "questionsEcrites",
    "questionsGvt",
    "questionsOrales",
}
# Wrappers and lists nest 3 deep in the exports (`export`, `organes`, `organe`: [...]).
_MAX_DEPTH = 8


def _uid(node: dict[str, Any]) -> str | None:
    uid = node.get("uid")
    if isinstance(uid, dict):
        uid = uid.get("#text")
    return uid if isinstance(uid, str) else None


def _reason(error: Exception) -> str:
    if isinstance(error, RecordError):
        return str(error)
    if isinstance(error, json.JSONDecodeError):
        return f"invalid JSON: {error.msg} at line {error.lineno} column {error.colno}"
    if isinstance(error, KeyError):
        return f"missing field {error}"
    return f"malformed record: {error}"
