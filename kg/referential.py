"""The AMO referential: acteurs and organes merged across dumps, and the look-ups that resolve names."""

from __future__ import annotations

import dataclasses
import operator
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any, TypeVar

import orjson
from rapidfuzz import fuzz, process

from .model import Acteur, Mandate, Organe, OrganeLabel
from .text import fold

__all__ = ["Referential", "completeness", "merge_versions"]

_DATE_FIELDS = {"start", "end", "birth_date"}

R = TypeVar("R", Acteur, Mandate, Organe)

# Fuzzy matches below this score (0-100) are not trusted.
FUZZY_CUTOFF = 90


def completeness(record: Any) -> int:
    """How many fields of a record (recursively) hold a value."""
    if record is None:
        return 0
    if isinstance(record, tuple):
        return sum(map(completeness, record))
    values = _field_values(type(record))
    return 1 if values is None else sum(map(completeness, values(record)))


@cache
def _field_values(cls: type) -> Callable[[Any], tuple[Any, ...]] | None:
    """What gives the values of a dataclass's fields, in one call (None for other types)."""
    names = tuple(getattr(cls, "__dataclass_fields__", ()))
    if not names:
        return None
    values = operator.attrgetter(*names)
    return values if len(names) > 1 else lambda record: (values(record),)


def merge_versions(first: R, second: R) -> R:
    """Merge two versions of one record: the fuller one wins, the other fills its gaps.

    The result does not depend on the order of the arguments, so neither does the graph.
    """
    # The content breaks a tie only: its repr is costly for an acteur with many mandates.
    keys: tuple[object, object] = (completeness(first), completeness(second))
    if keys[0] == keys[1]:
        keys = (repr(first), repr(second))
    best, other = (first, second) if keys[0] >= keys[1] else (second, first)
    changes: dict[str, Any] = {}
    for field in dataclasses.fields(best):
        mine, theirs = getattr(best, field.name), getattr(other, field.name)
        if field.name == "mandates":
            changes["mandates"] = _merge_mandates(mine + theirs)
        elif mine is None and theirs is not None:
            changes[field.name] = theirs
    return dataclasses.replace(best, **changes)


def _merge_mandates(mandates: tuple[Mandate, ...]) -> tuple[Mandate, ...]:
    by_uid: dict[str, Mandate] = {}
    for mandate in mandates:
        known = by_uid.get(mandate.uid)
        by_uid[mandate.uid] = mandate if known is None else merge_versions(known, mandate)
    return tuple(by_uid[uid] for uid in sorted(by_uid))


def valid_on(start: date | None, end: date | None, on: date | None) -> bool:
    """True if `on` lies in [start, end]; open ends and unknown dates are lenient."""
    if on is None:
        return True
    return (start is None or start <= on) and (end is None or on <= end)


def _in_government(acteur: Acteur, on: date | None) -> bool:
    return any(
        m.organe_type in ("GOUVERNEMENT", "MINISTERE") and valid_on(m.start, m.end, on)
        for m in acteur.mandates
    )


class Referential:
    """Acteurs and organes by uid, with label and name look-ups."""

    def __init__(self) -> None:
        self.acteurs: dict[str, Acteur] = {}
        self.organes: dict[str, Organe] = {}
        self._by_label: dict[str, dict[str, list[Organe]]] | None = None
        self._folded: dict[str, list[tuple[Organe, str]]] | None = None
        self._deputies: dict[int, list[tuple[Acteur, Mandate]]] | None = None
        self._names: dict[str, list[Acteur]] | None = None
        self._seated: dict[int, set[str]] | None = None

    def add(self, record: Acteur | Organe) -> None:
        """Add one record, merging it with any other version of it."""
        table: dict[str, Any] = self.acteurs if isinstance(record, Acteur) else self.organes
        known = table.get(record.uid)
        table[record.uid] = record if known is None else merge_versions(known, record)
        self._by_label = self._folded = self._deputies = self._names = self._seated = None

    # -- organes ---------------------------------------------------------------

    def find_organe(self, label: OrganeLabel, code_type: str, on: date | None) -> str | None:
        """The organe of that type named by the label and valid on the date, if one fits."""
        index = self._label_index().get(code_type, {})
        keys = {fold(text) for text in (label.short, label.full) if text}
        candidates = {o.uid: o for key in keys for o in index.get(key, [])}
        valid = [o for o in candidates.values() if valid_on(o.start, o.end, on)]
        if valid:
            return max(valid, key=lambda o: (self._label_score(o, label), o.start or date.min, o.uid)).uid
        return self._fuzzy_organe(label, code_type, on)

    def _fuzzy_organe(self, label: OrganeLabel, code_type: str, on: date | None) -> str | None:
        typed = self._folded_labels().get(code_type, [])
        choices = {o.uid: folded for o, folded in typed if valid_on(o.start, o.end, on)}
        query = fold(label.short or label.full or "")
        if not query or not choices:
            return None
        found = process.extractOne(query, choices, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_CUTOFF)
        return found[2] if found else None

    @staticmethod
    def _label_score(organe: Organe, label: OrganeLabel) -> int:
        score = 0
        if label.short and organe.short_label and fold(label.short) == fold(organe.short_label):
            score += 1
        if label.full and organe.label and fold(label.full) == fold(organe.label):
            score += 1
        return score

    def _folded_labels(self) -> dict[str, list[tuple[Organe, str]]]:
        """Each organe with its folded short (or else full) label, by type: what fuzzy matching compares."""
        if self._folded is None:
            self._folded = defaultdict(list)
            for o in self.organes.values():
                self._folded[o.code_type].append((o, fold(o.short_label or o.label or "")))
        return self._folded

    def _label_index(self) -> dict[str, dict[str, list[Organe]]]:
        if self._by_label is None:
            index: dict[str, dict[str, list[Organe]]] = defaultdict(lambda: defaultdict(list))
            for organe in self.organes.values():
                for text in {organe.label, organe.short_label, organe.abbreviation}:
                    if text:
                        index[organe.code_type][fold(text)].append(organe)
            self._by_label = index
        return self._by_label

    # -- acteurs ---------------------------------------------------------------

    def group_of(self, acteur: str, on: date | None) -> str | None:
        """The parliamentary group the acteur belonged to on that date."""
        known = self.acteurs.get(acteur)
        if known is None:
            return None
        current = [m for m in known.mandates if m.organe_type == "GP" and valid_on(m.start, m.end, on)]
        if not current:
            return None
        latest = max(current, key=lambda m: (m.start or date.min, m.uid))
        return latest.organes[0] if latest.organes else None

    def find_deputy(
        self, name: str, legislature: int, department: str | None, number: int | None, on: date | None
    ) -> str | None:
        """The acteur with that name who held that seat in that legislature."""
        seats = self._deputy_index().get(legislature, [])
        if department and number:
            place = fold(department)
            seats = [
                (a, m)
                for a, m in seats
                if m.constituency_number == number and fold(m.department or "") == place
            ]
        if on is not None and len(seats) > 1:
            seats = [(a, m) for a, m in seats if valid_on(m.start, m.end, on)] or seats
        wanted = fold(name)
        names = {a.uid: fold(f"{a.given_name or ''} {a.family_name or ''}") for a, _ in seats}
        exact = sorted(uid for uid, full in names.items() if full == wanted)
        if exact:
            return exact[0]
        found = process.extractOne(wanted, names, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_CUTOFF)
        return found[2] if found else None

    def find_speaker(self, name: str, legislature: int, on: date | None, minister: bool) -> str | None:
        """The acteur of that name speaking in a sitting: a member of the government on that date
        (else anybody of that name), or a deputy of that legislature. None if several fit."""
        named = self._people().get(fold(name), [])
        if minister:
            named = [a for a in named if _in_government(a, on)] or named
        else:
            seated = self._seated_uids().get(legislature, set())
            named = [a for a in named if a.uid in seated]
            if not named:
                return self.find_deputy(name, legislature, None, None, on)
        if len(named) > 1:
            named = [a for a in named if any(valid_on(m.start, m.end, on) for m in a.mandates)]
        return named[0].uid if len(named) == 1 else None

    def _people(self) -> dict[str, list[Acteur]]:
        if self._names is None:
            index: dict[str, list[Acteur]] = defaultdict(list)
            for acteur in sorted(self.acteurs.values(), key=lambda a: a.uid):
                index[fold(f"{acteur.given_name or ''} {acteur.family_name or ''}")].append(acteur)
            self._names = index
        return self._names

    def _seated_uids(self) -> dict[int, set[str]]:
        """The acteurs who held a seat in each legislature: a look-up, not a walk of their mandates."""
        if self._seated is None:
            self._seated = {
                legislature: {acteur.uid for acteur, _ in seats}
                for legislature, seats in self._deputy_index().items()
            }
        return self._seated

    def _deputy_index(self) -> dict[int, list[tuple[Acteur, Mandate]]]:
        if self._deputies is None:
            index: dict[int, list[tuple[Acteur, Mandate]]] = defaultdict(list)
            for acteur in self.acteurs.values():
                for mandate in acteur.mandates:
                    if mandate.organe_type == "ASSEMBLEE" and mandate.legislature:
                        index[mandate.legislature].append((acteur, mandate))
            self._deputies = index
        return self._deputies

    # -- persistence -----------------------------------------------------------

    def to_json(self) -> str:
        """The records as JSON, so that a store resolves later loads against them."""
        # orjson writes dataclasses and dates itself, some 40 times faster than asdict and json.
        records = {"acteurs": list(self.acteurs.values()), "organes": list(self.organes.values())}
        return orjson.dumps(records).decode()

    @classmethod
    def from_json(cls, text: str) -> Referential:
        """The referential that `to_json` wrote."""
        data = orjson.loads(text)
        referential = cls()
        for fields in data["organes"]:
            referential.add(Organe(**_decode(fields)))
        for fields in data["acteurs"]:
            mandates = tuple(Mandate(**_decode(m)) for m in fields.pop("mandates"))
            referential.add(Acteur(**_decode(fields), mandates=mandates))
        return referential


def _decode(fields: dict[str, Any]) -> dict[str, Any]:
    """JSON values back to the records' types: dates, and tuples for lists."""

    def value(key: str, item: Any) -> Any:
        if key in _DATE_FIELDS and item:
            return date.fromisoformat(item)
        return tuple(item) if isinstance(item, list) else item

    return {key: value(key, item) for key, item in fields.items()}
