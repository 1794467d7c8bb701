"""Records read from the sources: frozen dataclasses, no rdflib and no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "ANSWERING",
    "ASKING",
    "CHAIR",
    "OTHER",
    "SPEAKER_ROLES",
    "Acteur",
    "Answer",
    "Attribution",
    "Author",
    "Closure",
    "JOEvent",
    "Mandate",
    "Organe",
    "OrganeLabel",
    "Question",
    "StageDirection",
    "Turn",
]

QUESTION_TYPES = ("QE", "QG", "QOSD")
# The roles of the speakers of a QG's sitting.
CHAIR, ASKING, ANSWERING, OTHER = "chair", "asking-deputy", "answering-minister", "other-deputy"
SPEAKER_ROLES = (CHAIR, ASKING, ANSWERING, OTHER)


@dataclass(frozen=True)
class OrganeLabel:
    """A group or ministry as a question names it: maybe an organeRef, always labels."""

    ref: str | None
    short: str | None
    full: str | None


@dataclass(frozen=True)
class Author:
    """The deputy asking: an acteurRef (open data) or a name and constituency (page text)."""

    ref: str | None
    mandate_ref: str | None = None
    name: str | None = None
    department: str | None = None
    constituency_number: int | None = None


@dataclass(frozen=True)
class Attribution:
    """The question attributed to a ministry on a date."""

    ministry: OrganeLabel
    on: date | None


@dataclass(frozen=True)
class Answer:
    """A published answer."""

    text: str | None
    published: date | None
    jo_page: int | None


@dataclass(frozen=True)
class JOEvent:
    """A dated event published in the Journal officiel: signalement, renouvellement."""

    on: date | None
    jo_page: int | None


@dataclass(frozen=True)
class Closure:
    """How and when a question was closed."""

    code: str | None
    reason: str | None
    on: date | None


@dataclass(frozen=True)
class StageDirection:
    """What the transcript says happens in the room, and the groups it names ("LR", "RE")."""

    text: str
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Turn:
    """One speaker's turn in a sitting's transcript."""

    label: str  # as printed: "M. Edouard Philippe", "Plusieurs députés du groupe LR"
    role: str  # chair, asking-deputy, answering-minister or other-deputy
    text: str  # the words, stage directions taken out
    quality: str | None = None  # as printed: "Premier ministre"
    speaker: str | None = None  # the name of the one person speaking, if one does
    directions: tuple[StageDirection, ...] = ()


@dataclass(frozen=True)
class Question:
    """One parliamentary question, as read from any source."""

    uid: str
    kind: str
    number: int
    legislature: int
    source: str
    title: str | None = None
    rubrique: str | None = None
    tete_analyse: str | None = None
    author: Author | None = None
    group: OrganeLabel | None = None
    addressed_to: OrganeLabel | None = None
    attributions: tuple[Attribution, ...] = ()
    published: date | None = None
    jo_page: int | None = None
    text: str | None = None
    answers: tuple[Answer, ...] = ()
    closure: Closure | None = None
    signalements: tuple[JOEvent, ...] = ()
    renewals: tuple[JOEvent, ...] = ()
    turns: tuple[Turn, ...] = ()  # a QG's exchange in the sitting
    from_page: bool = False  # read from a web page's text, not from the open data
    # The file it was read from, as named inside the input given (`dump.zip!member`), and its SHA-256.
    source_file: str | None = None
    source_sha256: str | None = None


@dataclass(frozen=True)
class Mandate:
    """An acteur's mandate in an organe (seat, group, government…)."""

    uid: str
    acteur: str
    organe_type: str
    organes: tuple[str, ...]
    start: date | None = None
    end: date | None = None
    legislature: int | None = None
    role: str | None = None
    end_cause: str | None = None
    department: str | None = None
    department_code: str | None = None
    constituency_number: int | None = None


@dataclass(frozen=True)
class Acteur:
    """A person of the AMO referential: deputy, minister…"""

    uid: str
    source: str
    civility: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    birth_date: date | None = None
    mandates: tuple[Mandate, ...] = ()


@dataclass(frozen=True)
class Organe:
    """An organe of the AMO referential: group, ministry, government, assembly…"""

    uid: str
    code_type: str
    source: str
    label: str | None = None
    short_label: str | None = None
    abbreviation: str | None = None
    start: date | None = None
    end: date | None = None
    parent: str | None = None
    predecessor: str | None = None
    legislature: int | None = None
