"""Text helpers: HTML fragments to plain text, normalised keys and URI slugs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from lxml import etree

__all__ = ["flatten", "fold", "html_to_text", "parse_fragment", "slugify", "text_of", "tidy"]

# Elements after which the AN texts start a new paragraph or line.
_BLOCKS = ("p", "div", "br", "tr", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6")
# lxml's plain HTML parser: the html module's element classes cost a look-up per element.
_PARSER = etree.HTMLParser()


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one paragraph per line, entities decoded."""
    if "<" not in fragment and "&" not in fragment:
        return tidy(fragment)
    root = parse_fragment(fragment)
    return "" if root is None else tidy(flatten(root))


def parse_fragment(fragment: str) -> etree._Element | None:
    """The elements of an HTML fragment under one `div` (None if it holds nothing)."""
    # The AN texts are fragments that may open with a closing tag (`</p><p>…`).
    return etree.fromstring(f"<div>{fragment}</div>", _PARSER)


def flatten(root: etree._Element) -> str:
    """The text of an element with a line break after each block (the element is changed)."""
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    return text_of(root)


def text_of(element: etree._Element) -> str:
    """The text of an element and its descendants, without its own tail (`itertext`, joined)."""
    # libxml2's own text output: some six times faster than joining `itertext` in Python.
    return etree.tostring(element, method="text", encoding=str, with_tail=False)


def tidy(text: str) -> str:
    """Runs of spaces (any Unicode space) become one, lines are stripped, blank lines dropped."""
    return "\n".join(filter(None, (" ".join(line.split()) for line in text.splitlines())))


@lru_cache(maxsize=1 << 16)  # the same labels are folded again and again when resolving
def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key for matching labels."""
    # NFKD and casefold keep the dotless i (U+0131), which re.IGNORECASE matches to i (see kg.legal).
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u0131", "i"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", bare).split())


def slugify(text: str) -> str:
    """URI slug: lower case ASCII words joined by hyphens ("Santé" -> "sante")."""
    return fold(text).replace(" ", "-")
