"""Resolve a question's references (author, group, ministries) to AN uids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from .model import ANSWERING, OrganeLabel, Question
from .referential import Referential

__all__ = ["Resolution", "resolve_question"]


@dataclass(frozen=True)
class Resolution:
    """The uids a question points to; None where a reference stays a labelled node."""

    author: str | None
    group: str | None
    addressed_to: str | None
    attributions: tuple[str | None, ...]
    unresolved: tuple[str, ...] = field(default=())
    non_inscrit: bool = False
    speakers: tuple[str | None, ...] = ()  # the acteur of each turn's one speaker, in turn order
    named_groups: Mapping[str, str] = field(default_factory=dict)  # the stage directions' groups


def resolve_question(question: Question, referential: Referential) -> Resolution:
    """Find the acteur and organes a question names, by uid or else by label and date."""
    unresolved: list[str] = []
    on = question.published
    author = _author(question, referential)
    if question.author is not None and author is None:
        unresolved.append("author")

    group, non_inscrit = _group(question, author, referential)
    if group is None and question.group is not None and not non_inscrit:
        unresolved.append("group")

    addressed = _ministry(question.addressed_to, on, referential)
    if question.addressed_to is not None and addressed is None:
        unresolved.append("ministry")
    attributions = tuple(_ministry(a.ministry, a.on or on, referential) for a in question.attributions)
    if any(ref is None for ref in attributions):
        unresolved.append("attribution")
    speakers = _speakers(question, referential)
    if any(
        turn.role == ANSWERING and turn.speaker and ref is None
        for turn, ref in zip(question.turns, speakers, strict=True)
    ):
        unresolved.append("minister")
    return Resolution(
        author, group, addressed, attributions, tuple(unresolved), non_inscrit, speakers,
        _named_groups(question, referential),
    )


def _speakers(question: Question, referential: Referential) -> tuple[str | None, ...]:
    """The acteur of each turn's speaker: a member of the government on the date, or a deputy."""
    found: dict[tuple[str, bool], str | None] = {}
    keys = [(t.speaker, t.role == ANSWERING) if t.speaker is not None else None for t in question.turns]
    for key in keys:
        if key is not None and key not in found:
            name, minister = key
            found[key] = referential.find_speaker(name, question.legislature, question.published, minister)
    return tuple(found[key] if key is not None else None for key in keys)


def _named_groups(question: Question, referential: Referential) -> dict[str, str]:
    """The group organe of each abbreviation the stage directions name, where one fits the date."""
    names = {name for turn in question.turns for d in turn.directions for name in d.groups}
    on = question.published
    found = {name: referential.find_organe(OrganeLabel(None, name, None), "GP", on) for name in names}
    return {name: ref for name, ref in found.items() if ref}


def _author(question: Question, referential: Referential) -> str | None:
    author = question.author
    if author is None:
        return None
    if author.ref:
        return author.ref
    if not author.name:
        return None
    return referential.find_deputy(
        author.name, question.legislature, author.department, author.constituency_number, question.published
    )


def _group(question: Question, author: str | None, referential: Referential) -> tuple[str | None, bool]:
    """The author's group; `POnull` (non-inscrit) is never a uid, but the AMO may know the NI organe."""
    label, on = question.group, question.published
    if label is not None and label.ref:
        return label.ref, False
    non_inscrit = label is not None and _is_non_inscrit(label)
    found = referential.group_of(author, on) if author else None
    if found is None and label is not None and not non_inscrit:
        found = referential.find_organe(label, "GP", on)
    return found, non_inscrit


def _ministry(label: OrganeLabel | None, on: date | None, referential: Referential) -> str | None:
    if label is None:
        return None
    return label.ref or referential.find_organe(label, "MINISTERE", on)


def _is_non_inscrit(label: OrganeLabel) -> bool:
    return any(text and text.casefold().startswith("non inscrit") for text in (label.short, label.full))
