"""Names of known entities found in a text: one pass of an Aho-Corasick automaton, case- and accent-blind.

Acronyms (a name in capitals, "CNIL", "ARS") are matched with their case, so that "ANS" is not found in
"ans". A match must start and end on word boundaries. Variants and typos that no list holds are left
to `closest`, which fuzzy-matches a candidate name (from a rule or the statistical model) to the list.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick
from rapidfuzz import fuzz, process

__all__ = ["Entry", "Gazetteer", "Hit"]

_WHITESPACE = re.compile(r"\s+")
_SPACE_LIKE = re.compile(r"[\t\n\r\f\v]")


def _fold_char(char: str) -> str:
    lower = char.lower()
    if len(lower) != 1:
        return char
    base = unicodedata.normalize("NFD", lower)[0]
    return base if base.isascii() or not unicodedata.combining(base) else lower


# Lower case without accents, one character for one, so that offsets in the folded text are offsets
# in the original; typographic apostrophes and spaces become plain ones.
_FOLD = {code: _fold_char(chr(code)) for code in range(0x2000) if _fold_char(chr(code)) != chr(code)}
_FOLD.update({0x2019: "'", 0x02BC: "'", 0xA0: " ", 0x202F: " "})


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_same_length(text: str) -> str:
    """`text` in lower case, without accents, as long as `text`."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return text.translate(_FOLD)
    # Much faster than translate() on long texts, which are mostly ASCII.
    return _NON_ASCII.sub(lambda char: _FOLD.get(ord(char[0]), char[0]), lowered)


def _key(name: str) -> str:
    """The form a name is looked up by: folded, single-spaced."""
    return _WHITESPACE.sub(" ", _fold_same_length(name)).strip()


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in name.strip()


@dataclass(frozen=True)
class Entry:
    """An entity of the list: its key (a slug), canonical label, class and Wikidata QID."""

    key: str
    label: str
    kind: str  # ORG or PERSON
    entity_class: str = ""
    qid: str | None = None


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    entry: Entry


class Gazetteer:
    """Entries and their names; `find` gives every non-overlapping longest match in a text."""

    def __init__(self, names: Iterable[tuple[str, Entry]]) -> None:
        self._folded = ahocorasick.Automaton()
        self._exact = ahocorasick.Automaton()
        self._by_name: dict[str, Entry] = {}
        for name, entry in names:
            if not name.strip():
                continue
            automaton, key = (self._exact, name.strip()) if _is_acronym(name) else (self._folded, _key(name))
            if len(key) < 2:
                continue
            automaton.add_word(key, (len(key), entry))
            self._by_name.setdefault(_key(name), entry)
        for automaton in (self._folded, self._exact):
            if len(automaton):
                automaton.make_automaton()
        self._choices = list(self._by_name)

    @classmethod
    def from_csv(cls, path: Path) -> Gazetteer:
        """Organisations from a CSV with columns id, label, aliases (" | "-separated), class, qid."""
        names = []
        with path.open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                entry = Entry(row["id"], row["label"], "ORG", row.get("class", ""), row.get("qid") or None)
                aliases = [a.strip() for a in (row.get("aliases") or "").split("|")]
                names += [(name, entry) for name in [row["label"], *aliases] if name]
        return cls(names)

    def find(self, text: str) -> list[Hit]:
        """Every longest match on word boundaries, without overlaps, in the order of the text."""
        compact, offsets, folded = _prepared(text)
        hits = [*self._matches(self._folded, folded), *self._matches(self._exact, compact)]
        hits.sort(key=lambda hit: (hit.start, -(hit.end - hit.start)))
        chosen: list[Hit] = []
        for hit in hits:  # the longest of those starting at one place comes first
            if not chosen or hit.start >= chosen[-1].end:
                chosen.append(hit)
        return [Hit(offsets[h.start], offsets[h.end - 1] + 1, h.entry) for h in chosen]

    @staticmethod
    def _matches(automaton: ahocorasick.Automaton, text: str) -> Iterator[Hit]:
        if not len(automaton):
            return
        for end, (length, entry) in automaton.iter(text):
            start = end - length + 1
            before = text[start - 1] if start else " "
            after = text[end + 1] if end + 1 < len(text) else " "
            if not (before.isalnum() or after.isalnum()):
                yield Hit(start, end + 1, entry)

    def closest(self, name: str, cutoff: float = 90) -> Entry | None:
        """The entry whose name is nearest to `name` (typos, variants), if near enough."""
        key = _key(name)
        if key in self._by_name:
            return self._by_name[key]
        if len(key) < 6:  # too short to tell a typo from another name
            return None
        found = process.extractOne(key, self._choices, scorer=fuzz.ratio, score_cutoff=cutoff)
        return self._by_name[found[0]] if found else None


@lru_cache(maxsize=2)  # each gazetteer looks at the same text in turn
def _prepared(text: str) -> tuple[str, list[int] | range, str]:
    """The text with single spaces, the offsets back into it, and its folded form."""
    compact, offsets = _compact(text)
    return compact, offsets, _fold_same_length(compact)


def _compact(text: str) -> tuple[str, list[int] | range]:
    """The text with each run of whitespace as one space, and the original offset of each character."""
    text = _SPACE_LIKE.sub(" ", text)
    if "  " not in text:  # the texts of the converter: nothing to collapse, offsets unchanged
        return text, range(len(text) + 1)
    pieces, offsets, position = [], [], 0
    for match in _WHITESPACE.finditer(text):
        pieces.append(text[position : match.start()] + " ")
        offsets.extend(range(position, match.start() + 1))
        position = match.end()
    pieces.append(text[position:])
    offsets.extend(range(position, len(text) + 1))
    return "".join(pieces), offsets
