"""Text helpers: HTML fragments to plain text, normalised keys and URI slugs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from lxml import html

__all__ = ["fold", "html_to_text", "slugify"]

# Elements after which the AN texts start a new paragraph or line.
_BLOCKS = {"p", "div", "br", "tr", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
_SPACES = re.compile(r"[ \t\u00a0\u202f\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one paragraph per line, entities decoded."""
    if "<" not in fragment and "&" not in fragment:
        return _tidy(fragment)
    # The AN texts are fragments that may open with a closing tag (`</p><p>…`).
    root = html.fragment_fromstring(fragment, create_parent="div")
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    text = _SPACES.sub(" ", text.replace("\r\n", "\n"))
    lines = (line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()


@lru_cache(maxsize=1 << 16)  # the same labels are folded again and again when resolving
def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key for matching labels."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", bare).split())


def slugify(text: str) -> str:
    """URI slug: lower case ASCII words joined by hyphens ("Santé" -> "sante")."""
    return fold(text).replace(" ", "-")
