"""AN open-data question JSON (QE, QG, QOSD; every dump variant) -> Question."""

from __future__ import annotations

from datetime import date
from itertools import repeat
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
    Turn,
)
from ..text import html_to_text
from .transcript import read_transcript, spoken_texts
from .values import as_list, field, obj, parse_date, parse_int, parse_ref, short, value

__all__ = ["read_question"]

# The uid of an AN question, which its IRIs are minted from.
_UID = "QANR5L{legislature}{kind}{number}"


def read_question(record: dict[str, Any], source: str) -> Question:
    """Map the `question` object of an AN open-data file to a Question."""
    uid = field(record, "uid")
    if uid is None:
        raise RecordError("question without uid")
    kind = field(record, "type")
    if kind not in QUESTION_TYPES:
        raise RecordError(f"unknown question type {short(kind)}")
    ident = obj(record.get("identifiant"), "identifiant")
    number = parse_int(ident.get("numero"))
    legislature = parse_int(ident.get("legislature"))
    if not number or not legislature:  # None, or 0: numbers start at 1
        raise RecordError("question without numero or legislature")
    if uid != _UID.format(legislature=legislature, kind=kind, number=number):
        raise RecordError(f"uid {short(uid)} is not that of {kind} {number} of legislature {legislature}")

    asked = [_text_block(t) for t in as_list(_inner(record.get("textesQuestion"), "texteQuestion"))]
    answer_nodes = as_list(_inner(record.get("textesReponse"), "texteReponse"))
    turns: tuple[Turn, ...] = ()
    asked_in_sitting = None
    if kind == "QG":  # the answer is the sitting's transcript: the deputy's words, then the government's
        turns, asked_in_sitting, answers = _sitting(answer_nodes)
    else:
        answers = tuple(Answer(*_text_block(t)) for t in answer_nodes)
    attributions = tuple(
        Attribution(ministry, parse_date(_info_jo(a).get("dateJO")))
        for a in as_list(_inner(record.get("minAttribs"), "minAttrib"))
        if (ministry := _organe_label(obj(a, "minAttrib").get("denomination"), "denomination")) is not None
    )  # an attribution names a ministry: without one, it says nothing
    closure = _closure(record.get("cloture"))
    if not answers and closure is not None and closure.code == "REP_PUB":
        # Some dumps close a question as answered without the answer's text: keep the answer's
        # publication, which the closure's JO reference gives.
        info = _info_jo(obj(record["cloture"], "cloture"))
        answers = (Answer(None, parse_date(info.get("dateJO")) or closure.on, _page(info.get("pageJO"))),)
    published, jo_page = _publication(asked, answers, closure, attributions)
    texts = [text for text, _, _ in asked if text] + ([asked_in_sitting] if asked_in_sitting else [])
    indexation = obj(record.get("indexationAN"), "indexationAN")
    return Question(
        uid=uid,
        kind=kind,
        number=number,
        legislature=legislature,
        source=source,
        title=_analyse(indexation),
        rubrique=field(indexation, "rubrique"),
        tete_analyse=field(indexation, "teteAnalyse"),
        author=_author(record.get("auteur")),
        group=_organe_label(obj(record.get("auteur"), "auteur").get("groupe"), "groupe"),
        addressed_to=_organe_label(record.get("minInt"), "minInt"),
        attributions=attributions,
        published=published,
        jo_page=jo_page,
        text="\n".join(texts) or None,
        answers=answers,
        closure=closure,
        signalements=_jo_events(_inner(record.get("signalement"), "signalement")),
        renewals=_jo_events(_inner(record.get("renouvellements"), "renouvellement")),
        turns=turns,
    )


def _inner(node: Any, key: str) -> Any:
    """`{"texteReponse": x}` -> x; a bare list or object is returned as it is."""
    if isinstance(node, dict) and key in node:
        return node[key]
    return node


def _info_jo(node: dict[str, Any]) -> dict[str, Any]:
    return obj(node.get("infoJO"), "infoJO")


def _text_block(node: Any) -> tuple[str | None, date | None, int | None]:
    """A text's plain text, JO date and JO page."""
    raw, on, page = _raw_block(node)
    return (html_to_text(raw) or None) if raw else None, on, page


def _raw_block(node: Any) -> tuple[str | None, date | None, int | None]:
    """A text's HTML as given, JO date and JO page."""
    node = obj(node, "texte")
    info = _info_jo(node)
    return field(node, "texte"), parse_date(info.get("dateJO")), _page(info.get("pageJO"))


def _sitting(nodes: list[Any]) -> tuple[tuple[Turn, ...], str | None, tuple[Answer, ...]]:
    """A QG's turns, the question as asked in the sitting, and the answers as the government's words.

    Where the transcript does not tell the government's words, the answer is the whole exchange.
    """
    turns: list[Turn] = []
    asked, answers = None, []
    for node in nodes:
        raw, on, page = _raw_block(node)
        spoken = read_transcript(raw) if raw else ()
        question, answer = spoken_texts(spoken)
        if answer is None and raw:
            answer = html_to_text(raw) or None
        turns += spoken
        asked = asked or question
        answers.append(Answer(answer, on, page))
    return tuple(turns), asked, tuple(answers)


def _page(node: Any) -> int | None:
    """A JO page number: pages start at 1."""
    page = parse_int(node)
    if page == 0:
        raise RecordError("JO page 0")
    return page


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
    identity = obj(obj(node, "auteur").get("identite"), "identite")
    ref = parse_ref(identity.get("acteurRef"), "PA", "acteurRef")
    if ref is None:
        return None
    return Author(ref=ref, mandate_ref=parse_ref(identity.get("mandatRef"), "PM", "mandatRef"))


def _organe_label(node: Any, name: str) -> OrganeLabel | None:
    node = obj(node, name)
    ref = field(node, "organeRef")
    if ref == "POnull":  # non-inscrit: no group organe
        ref = None
    ref = parse_ref(ref, "PO", "organeRef")
    label = OrganeLabel(ref, field(node, "abrege"), field(node, "developpe"))
    return label if label.ref or label.short or label.full else None


def _closure(node: Any) -> Closure | None:
    node = obj(node, "cloture")
    closure = Closure(
        field(node, "codeCloture"), field(node, "libelleCloture"), parse_date(node.get("dateCloture"))
    )
    return closure if closure.code or closure.reason or closure.on else None


def _jo_events(node: Any) -> tuple[JOEvent, ...]:
    """Signalements and renouvellements; their own date stands in when the JO's is missing."""
    events = []
    for item in map(obj, as_list(node), repeat("signalement or renouvellement")):
        info = _info_jo(item)
        on = parse_date(info.get("dateJO")) or parse_date(
            item.get("dateRenouvellement") or item.get("dateDepotSignal")
        )
        event = JOEvent(on, _page(info.get("pageJO")))
        if event.on or event.jo_page:
            events.append(event)
    return tuple(events)
