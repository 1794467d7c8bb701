"""AN open-data question JSON (QE, QG, QOSD; every dump variant) -> Question."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import RecordError
from ..model import (
    QUESTION_TYPES,
    Answer,
    Attribution,
    Author,
    Closure,
    JOEvent,
    OrganeLabel,
    Question,
)
from ..text import html_to_text
from .values import as_list, parse_date, parse_int, value

__all__ = ["read_question"]


def read_question(record: dict[str, Any], source: str) -> Question:
    """Map the `question` object of an AN open-data file to a Question."""
    uid = value(record.get("uid"))
    if uid is None:
        raise RecordError("question without uid")
    kind = value(record.get("type"))
    if kind not in QUESTION_TYPES:
        raise RecordError(f"unknown question type {kind!r}")
    ident = record.get("identifiant") or {}
    number = parse_int(ident.get("numero"))
    legislature = parse_int(ident.get("legislature"))
    if number is None or legislature is None:
        raise RecordError("question without numero or legislature")

    asked = [_text_block(t) for t in as_list(_inner(record.get("textesQuestion"), "texteQuestion"))]
    answers = tuple(
        Answer(text, on, page)
        for text, on, page in (
            _text_block(t) for t in as_list(_inner(record.get("textesReponse"), "texteReponse"))
        )
    )
    attributions = tuple(
        Attribution(_organe_label(a.get("denomination")), parse_date(_info_jo(a).get("dateJO")))
        for a in as_list(_inner(record.get("minAttribs"), "minAttrib"))
        if isinstance(a, dict)
    )
    closure = _closure(record.get("cloture"))
    if not answers and closure is not None and closure.code == "REP_PUB":
        # Some dumps close a question as answered without the answer's text: keep the answer's
        # publication, which the closure's JO reference gives.
        info = _info_jo(record["cloture"])
        answers = (Answer(None, parse_date(info.get("dateJO")) or closure.on, parse_int(info.get("pageJO"))),)
    published, jo_page = _publication(asked, answers, closure, attributions)
    texts = [text for text, _, _ in asked if text]
    indexation = record.get("indexationAN") or {}
    return Question(
        uid=uid,
        kind=kind,
        number=number,
        legislature=legislature,
        source=source,
        title=_analyse(indexation),
        rubrique=value(indexation.get("rubrique")),
        tete_analyse=value(indexation.get("teteAnalyse")),
        author=_author(record.get("auteur")),
        group=_organe_label((record.get("auteur") or {}).get("groupe")),
        addressed_to=_organe_label(record.get("minInt")),
        attributions=attributions,
        published=published,
        jo_page=jo_page,
        text="\n".join(texts) or None,
        answers=answers,
        closure=closure,
        signalements=_jo_events(_inner(record.get("signalement"), "signalement")),
        renewals=_jo_events(_inner(record.get("renouvellements"), "renouvellement")),
    )


def _inner(node: Any, key: str) -> Any:
    """`{"texteReponse": x}` -> x; a bare list or object is returned as it is."""
    if isinstance(node, dict) and key in node:
        return node[key]
    return node


def _info_jo(node: dict[str, Any]) -> dict[str, Any]:
    info = node.get("infoJO")
    return info if isinstance(info, dict) else {}


def _text_block(node: dict[str, Any]) -> tuple[str | None, date | None, int | None]:
    info = _info_jo(node)
    raw = value(node.get("texte"))
    return (
        (html_to_text(raw) or None) if raw else None,
        parse_date(info.get("dateJO")),
        parse_int(info.get("pageJO")),
    )


def _publication(
    asked: list[tuple[str | None, date | None, int | None]],
    answers: tuple[Answer, ...],
    closure: Closure | None,
    attributions: tuple[Attribution, ...],
) -> tuple[date | None, int | None]:
    """When and on which JO page the question was published.

    A QG has no question text: it is asked in the sitting, the earliest date its record gives
    (the JO of the transcript may come out days after the closure's).
    """
    for _, on, page in asked:
        if on:
            return on, page
    dates = [a.published for a in answers] + [a.on for a in attributions]
    dates.append(closure.on if closure else None)
    return min((d for d in dates if d), default=None), None


def _analyse(indexation: dict[str, Any]) -> str | None:
    # XV dumps say ANALYSE/ANA, later ones analyses/analyse.
    node = indexation.get("analyses") or indexation.get("ANALYSE") or {}
    items = [value(a) for a in as_list(_inner(_inner(node, "analyse"), "ANA"))]
    return " ; ".join(a for a in items if a) or None


def _author(node: Any) -> Author | None:
    identity = (node or {}).get("identite") or {}
    ref = value(identity.get("acteurRef"))
    if ref is None:
        return None
    return Author(ref=ref, mandate_ref=value(identity.get("mandatRef")))


def _organe_label(node: Any) -> OrganeLabel | None:
    if not isinstance(node, dict):
        return None
    ref = value(node.get("organeRef"))
    if ref == "POnull":  # non-inscrit: no group organe
        ref = None
    label = OrganeLabel(ref, value(node.get("abrege")), value(node.get("developpe")))
    return label if label.ref or label.short or label.full else None


def _closure(node: Any) -> Closure | None:
    if not isinstance(node, dict):
        return None
    closure = Closure(
        value(node.get("codeCloture")), value(node.get("libelleCloture")), parse_date(node.get("dateCloture"))
    )
    return closure if closure.code or closure.reason or closure.on else None


def _jo_events(node: Any) -> tuple[JOEvent, ...]:
    """Signalements and renouvellements; their own date stands in when the JO's is missing."""
    events = []
    for item in as_list(node):
        if not isinstance(item, dict):
            continue
        info = _info_jo(item)
        on = parse_date(info.get("dateJO")) or parse_date(
            item.get("dateRenouvellement") or item.get("dateDepotSignal")
        )
        event = JOEvent(on, parse_int(info.get("pageJO")))
        if event.on or event.jo_page:
            events.append(event)
    return tuple(events)
