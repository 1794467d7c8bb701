"""The text of a question's AN web page ("Question écrite n° …", "Données clés") -> Question."""

from __future__ import annotations

import re
from datetime import date

from ..errors import RecordError
from ..model import Answer, Attribution, Author, Closure, JOEvent, OrganeLabel, Question
from ..text import fold

__all__ = ["looks_like_page", "read_page"]

_KINDS = {
    "question ecrite": "QE",
    "question au gouvernement": "QG",
    "question orale sans debat": "QOSD",
    "question orale": "QOSD",
}
_HEADER = re.compile(
    r"^(Question écrite|Question au Gouvernement|Question orale sans débat|Question orale)\s+n°\s*(\d+)",
    re.MULTILINE | re.IGNORECASE,
)
_LEGISLATURE = re.compile(r"^(\d+)\s*(?:e|è|\^e|ème|eme)\s+législature", re.MULTILINE | re.IGNORECASE)
_FIELD = re.compile(r"^([^:\n]{2,60}?)\s*:\s*(.*)$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(?<![\w*])\*{1,2}([^*\n]+?)\*{1,2}(?![\w*])")
_CONSTITUENCY = re.compile(r"^(.*?)\s*\((\d+)\s*(?:\^?e|ère|\^?re|ème)\s+circonscription\)\s*(?:-\s*(.*))?$")
_PAGE = re.compile(r"page\s*:?\s*(\d+)", re.IGNORECASE)
_PAREN = re.compile(r"\(([^)]*)\)\s*$")
_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "janvier",
            "fevrier",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "aout",
            "septembre",
            "octobre",
            "novembre",
            "decembre",
        ],
        1,
    )
}
_LONG_DATE = re.compile(rf"\b(\d{{1,2}})(?:er)?\s+({'|'.join(_MONTHS)})\s+(\d{{4}})\b")
_SHORT_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SECTIONS = ("texte de la question", "texte de la reponse", "donnees cles", "date s cle s")


def looks_like_page(text: str) -> bool:
    """True if the text reads like an AN question page."""
    return bool(_HEADER.search(text)) and "données clés" in text.casefold()


def read_page(text: str, source: str) -> Question:
    """Parse the text of a question page into a Question (same uid as the open data)."""
    header = _HEADER.search(text)
    legislature = _LEGISLATURE.search(text)
    if header is None or legislature is None:
        raise RecordError("page without 'Question … n°' header or legislature")
    kind = _KINDS[fold(header.group(1))]
    number, leg = int(header.group(2)), int(legislature.group(1))
    sections = _sections(text)
    fields = _fields(sections.get("donnees cles", []))
    keyed = _fields(sections.get("date s cle s", []))

    published, page = _dated(keyed.get("question publiee au jo le"))
    answered, answer_page = _dated(keyed.get("reponse publiee au jo le"))
    answer_text = _paragraphs(sections.get("texte de la reponse", []))
    answers = (Answer(answer_text, answered, answer_page),) if answered or answer_text else ()
    attributed = fields.get("ministere attributaire")
    attribution_date = _date(keyed.get("date de changement d attribution") or "") or published
    return Question(
        uid=f"QANR5L{leg}{kind}{number}",
        kind=kind,
        number=number,
        legislature=leg,
        source=source,
        title=_title(text, legislature.end(), header.start()) or fields.get("analyse"),
        rubrique=fields.get("rubrique"),
        tete_analyse=fields.get("tete d analyse"),
        author=_author(fields),
        group=_group(fields),
        addressed_to=OrganeLabel(None, fields["ministere interroge"], None)
        if fields.get("ministere interroge")
        else None,
        attributions=(Attribution(OrganeLabel(None, attributed, None), attribution_date),)
        if attributed
        else (),
        published=published,
        jo_page=page,
        text=_paragraphs(sections.get("texte de la question", [])),
        answers=answers,
        closure=_closure(keyed, answered),
        signalements=_events(keyed.get("date de signalement")),
        renewals=_events(keyed.get("date de renouvellement")),
        from_page=True,
    )


def _plain(line: str) -> str:
    """Drop the page's markup: links, emphasis, superscripts."""
    line = _LINK.sub(r"\1", line)
    line = _EMPHASIS.sub(r"\1", line)
    return line.replace("^", "").strip()


def _sections(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = _plain(raw)
        key = fold(line)
        if key in _SECTIONS:
            current = sections.setdefault(key, [])
        elif current is not None and line:
            current.append(line)
    return sections


def _fields(lines: list[str]) -> dict[str, str]:
    fields = {}
    for line in lines:
        if match := _FIELD.match(line):
            fields.setdefault(fold(match.group(1)), match.group(2).strip())
    return fields


def _paragraphs(lines: list[str]) -> str | None:
    return "\n".join(lines) or None


def _title(text: str, start: int, end: int) -> str | None:
    lines = [_plain(line) for line in text[start:end].splitlines()]
    return " ".join(line for line in lines if line) or None


def _date(text: str) -> date | None:
    folded = fold(text)
    if match := _LONG_DATE.search(folded):
        day, month, year = match.groups()
        return _checked(int(year), _MONTHS[month], int(day), text)
    if match := _SHORT_DATE.search(text):
        day, month, year = match.groups()
        return _checked(int(year), int(month), int(day), text)
    return None


def _checked(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as error:
        raise RecordError(f"impossible date {text!r}") from error


def _dated(text: str | None) -> tuple[date | None, int | None]:
    if not text:
        return None, None
    page = _PAGE.search(text)
    return _date(text), int(page.group(1)) if page else None


def _events(text: str | None) -> tuple[JOEvent, ...]:
    on, page = _dated(text)
    return (JOEvent(on, page),) if on else ()


def _author(fields: dict[str, str]) -> Author | None:
    name = fields.get("auteur")
    if not name:
        return None
    name = re.sub(r"^(M\.|Mme|Mlle)\s+", "", name)
    place = _CONSTITUENCY.match(fields.get("circonscription", ""))
    return Author(
        ref=None,
        name=name,
        department=place.group(1) if place else None,
        constituency_number=int(place.group(2)) if place else None,
    )


def _group(fields: dict[str, str]) -> OrganeLabel | None:
    place = _CONSTITUENCY.match(fields.get("circonscription", ""))
    label = place.group(3) if place else None
    return OrganeLabel(None, None, label.strip()) if label else None


def _closure(keyed: dict[str, str], answered: date | None) -> Closure | None:
    if answered:
        return Closure("REP_PUB", "Réponse publiée", answered)
    for key, code in (("question retiree le", "RETIRE"), ("question caduque le", "CADUQUE")):
        if text := keyed.get(key):
            reason = _PAREN.search(text)
            return Closure(code, reason.group(1).strip() if reason else None, _date(text))
    return None
