"""Small parsers for the value quirks of the AN open-data files."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..errors import RecordError

__all__ = ["as_list", "parse_date", "parse_int", "value"]

_FR_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def value(node: Any) -> str | None:
    """A scalar field as a stripped string; XML nils, empty strings and objects give None."""
    if isinstance(node, dict):
        node = node.get("#text")  # `{"@xsi:nil": "true"}` has no text: None
    if node is None:
        return None
    text = str(node).strip()
    return text or None


def as_list(node: Any) -> list[Any]:
    """One element is an object, several are a list, none is null: always a list."""
    if node is None:
        return []
    return node if isinstance(node, list) else [node]


def parse_date(node: Any) -> date | None:
    """A date written `YYYY-MM-DD` (XVI and later) or `DD/MM/YYYY` (XV)."""
    text = value(node)
    if text is None:
        return None
    try:
        if match := _ISO_DATE.match(text):
            year, month, day = match.groups()
            return date(int(year), int(month), int(day))
        if match := _FR_DATE.fullmatch(text):
            day, month, year = match.groups()
            return date(int(year), int(month), int(day))
    except ValueError as error:
        raise RecordError(f"impossible date {text!r}") from error
    raise RecordError(f"unreadable date {text!r}")


def parse_int(node: Any) -> int | None:
    """An integer field, None when absent."""
    text = value(node)
    if text is None:
        return None
    if not text.isdigit():
        raise RecordError(f"not a number: {text!r}")
    return int(text)
