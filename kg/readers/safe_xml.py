"""XML to the dict trees the readers take (xmltodict), refusing any DTD: no entity is ever expanded."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from xml.parsers import expat

import xmltodict

from ..errors import RecordError

__all__ = ["parse_xml"]


def parse_xml(text: str) -> Any:
    """The tree of an XML document, as xmltodict gives it.

    Raises RecordError for malformed XML and for any DTD (`<!DOCTYPE …>`): a DTD is where entities
    are declared, so refusing it rules out external entities (XXE: `SYSTEM "file:///etc/passwd"`)
    and entity expansion (billion laughs) before any is read. xmltodict's own `disable_entities`
    changed between releases (0.13 dropped entities silently; 1.0 raises on their declaration), so
    this does not rest on it. The AN open-data XML never has a DTD.
    """
    try:
        return xmltodict.parse(text, expat=_NO_DTD, disable_entities=True)
    except expat.ExpatError as error:
        raise RecordError(f"invalid XML: {expat.ErrorString(error.code)} at line {error.lineno} "
                          f"column {error.offset + 1}") from error


def _refuse_dtd(*_: object) -> None:
    raise RecordError("XML with a DTD (<!DOCTYPE …>): refused, its entities are never expanded")


def _parser(*args: Any, **options: Any) -> Any:
    """An expat parser that stops at the first DTD, before any entity is declared."""
    parser = expat.ParserCreate(*args, **options)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    return parser


# The expat module as xmltodict uses it (`xmltodict.parse(..., expat=...)`).
_NO_DTD = SimpleNamespace(ParserCreate=_parser)
