"""Small parsers for the value quirks of the AN open-data files."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any

from ..errors import RecordError

__all__ = ["as_list", "field", "obj", "parse_date", "parse_int", "parse_ref", "short", "value"]

_FR_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def value(node: Any, name: str = "") -> str | None:
    """A scalar field as a stripped string; XML nils, empty strings and objects give None.

    :param name: the field's, for the reason of a RecordError.
    """
    if isinstance(node, dict):
        node = node.get("#text")  # `{"@xsi:nil": "true"}` has no text: None
    if node is None:
        return None
    if isinstance(node, list | dict):  # str() would make text of it: "['a']"
        where = f"{name}: " if name else ""
        raise RecordError(f"{where}a {_kind(node)} where a single value is expected: {short(node)}")
    text = str(node).strip()
    return text or None


def field(node: dict[str, Any], key: str) -> str | None:
    """`value` of a key of an object, named in the reason of a RecordError."""
    return value(node.get(key), key)


def obj(node: Any, name: str) -> dict[str, Any]:
    """An object field: absent or null is empty; a value of another type is a RecordError naming it."""
    if node is None:
        return {}
    if not isinstance(node, dict):
        raise RecordError(f"{name}: an object is expected, not a {_kind(node)}: {short(node)}")
    return node


def parse_ref(node: Any, prefix: str, name: str) -> str | None:
    """An AN uid reference (`PA…`, `PO…`, `PM…`), None when absent; it is minted into IRIs."""
    ref = value(node, name)
    if ref is not None and not _reference(prefix).fullmatch(ref):
        raise RecordError(f"{name}: not a {prefix} reference: {short(ref)}")
    return ref


@cache  # read for each of the AMO's hundred thousand mandates: re's own cache costs more
def _reference(prefix: str) -> re.Pattern[str]:
    return re.compile(f"{prefix}[0-9]+")


def _kind(node: Any) -> str:
    kinds = {dict: "object", list: "list", str: "string", bool: "boolean", int: "number", float: "number"}
    return kinds.get(type(node), type(node).__name__)


def short(node: Any) -> str:
    """The offending value, cut short: a reason is one line."""
    text = repr(node)
    return text if len(text) <= 40 else text[:37] + "..."


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
        raise RecordError(f"impossible date {short(text)}") from error
    raise RecordError(f"unreadable date {short(text)}")


def parse_int(node: Any) -> int | None:
    """An integer field, None when absent."""
    text = value(node)
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()):  # str.isdigit() is true of "²", which int() refuses
        raise RecordError(f"not a number: {short(text)}")
    return int(text)
