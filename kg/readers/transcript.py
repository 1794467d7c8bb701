"""The transcript of a question au Gouvernement (HTML of its sitting) -> ordered speaker turns.

The chair gives the floor, the deputy asks, a member of the government answers, others interject;
stage directions ("(Applaudissements sur les bancs du groupe LR.)") are kept apart from the words.
Roles are told from the transcript alone, so that they can be checked against the record: the chair
by its label, the government by the speaker's printed quality, the asking deputy by the chair's
"La parole est à …".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from ..model import ANSWERING, ASKING, CHAIR, OTHER, StageDirection, Turn
from ..text import flatten, fold, parse_fragment, text_of, tidy

__all__ = ["read_transcript", "spoken_texts"]

# Private-use marks put into the text where the tree says something the plain text must keep.
_LABEL = "\ue000"  # a speaker's label stood here; its index follows, then _END
_END = "\ue001"
_ITALIC = "\ue002"  # an italic passage opening with "(": a stage direction, whatever its words
_NO_MARKS = re.compile(f"[{_LABEL}{_END}{_ITALIC}]")  # the input's own, if any (str.translate is slower)
_CHAIRS = {"m le president", "mme la presidente"}
# The qualities of members of the government, folded: "Première ministre", "garde des sceaux…".
_GOVERNMENT = re.compile(
    r"\b(?:ministre|secretaire d etat|garde des sceaux|porte parole|hau(?:t|te) commissaire)\b"
)
_ONE_PERSON = re.compile(r"^(?:M\.|Mme|Mlle) (?P<name>[^,]+)$")
# "La parole est à M. le président Christophe Castaner, pour…", read in folded text.
_FLOOR = re.compile(
    r"parole est a (?:m|mme|mlle) (?:(?:le|la) presidente? )?(?P<name>.+?)(?: et | pour | au |$)"
)
# Fewer words than this before the answer are an interjection, not a question.
_QUESTION_WORDS = 30
# Stage directions printed without italics still say what happens in the room.
_CUES = re.compile(
    r"bancs|pplaudi|xclam|rotest|[Rr]ires|urmure|rouhaha|[Hh]uées|pprobation|ourire|se lève|quitte|nterromp"
)
# Found alone, "(" is a fast literal search; the italic mark before it is looked at after.
_OPENING = re.compile(r"\(")
_PARENTHESES = re.compile(r"[()]")
# "des groupes RE, Dem et HOR", "du groupe LFI-NUPES": the abbreviations, not full names.
_ABBREVIATION = r"[A-ZÉ][\w-]*(?: ens\b)?(?! [A-ZÉ])"
_GROUPS = re.compile(rf"\bgroupes? (?P<list>{_ABBREVIATION}(?:(?:, | et ){_ABBREVIATION})*)")
_SEPARATOR = re.compile(r", | et ")


def read_transcript(fragment: str) -> tuple[Turn, ...]:
    """The turns of a transcript, in order; the heading before the first label is not one."""
    root = parse_fragment(_NO_MARKS.sub("", fragment))
    if root is None:
        return ()
    speakers = [_mark_label(element, text, index) for index, (element, text) in enumerate(_labels(root))]
    for italic in root.iter("i"):
        if italic.text and italic.text.lstrip().startswith("("):
            italic.text = _ITALIC + italic.text.lstrip()
    parts = flatten(root).split(_LABEL)[1:]
    turns = []
    for part in parts:
        index, _, body = part.partition(_END)
        label, quality = speakers[int(index)]
        words, directions = _split_directions(body)
        turns.append((label, quality, words, directions))
    roles = _roles([(label, quality) for label, quality, _, _ in turns], [words for _, _, words, _ in turns])
    return tuple(
        Turn(
            label=label,
            role=role,
            text=words,
            quality=quality,
            speaker=_person(label),
            directions=directions,
        )
        for (label, quality, words, directions), role in zip(turns, roles, strict=True)
    )


def _labels(root: etree._Element) -> list[tuple[etree._Element, str]]:
    """The bold elements that name a speaker, with their text (a bold without letters names nobody)."""
    bold = ((element, text_of(element)) for element in root.iter("strong", "b"))
    return [(element, text) for element, text in bold if any(c.isalpha() for c in text)]


def _mark_label(element: etree._Element, text: str, index: int) -> tuple[str, str | None]:
    """Put the label's mark in its place; return the label and the speaker's quality as printed.

    The quality is in the label ("M. X, ministre.") or in the italics right after it.
    """
    label, _, quality = _clean(text).partition(", ")
    is_quality = quality[:1].islower() or quality.startswith(("Premier", "Première"))
    if quality.startswith("et ") or not is_quality:  # "M. X, M. Y et M. Z": names, not a quality
        label, quality = ", ".join(filter(None, (label, quality))), ""
    following = element.getnext()
    after = text_of(following) if following is not None and following.tag == "i" else ""
    if not quality and after and not (element.tail or "").strip() and not after.lstrip().startswith("("):
        quality = _clean(after)
        element.tail = (element.tail or "") + (following.tail or "")
        following.getparent().remove(following)
    for child in list(element):
        element.remove(child)
    element.text = f"{_LABEL}{index}{_END}"
    return label, quality or None


def _clean(text: str) -> str:
    """Whitespace collapsed, the closing "." or "," of a label dropped."""
    return " ".join(text.split()).rstrip(" .,")


def _split_directions(body: str) -> tuple[str, tuple[StageDirection, ...]]:
    """The turn's own words and its stage directions, parentheses and all taken out of the words."""
    kept, directions, start = [], [], 0
    for opening in _OPENING.finditer(body):
        italic = body[opening.start() - 1 : opening.start()] == _ITALIC
        begin = opening.start() - italic
        if begin < start:
            continue  # inside a direction already taken
        close = _closing(body, opening.end())
        inside = body[opening.end() : close]
        if italic or _CUES.search(inside):
            before, after = body[start:begin], body[close + 1 : close + 2]
            # "les artistes (Applaudissements…), avec": the comma goes back to the word;
            # "parole.(Applaudissements…)Permettez-moi": the words stay apart.
            kept.append(before.rstrip(" ") if after in (",", ".") else before + " ")
            text = " ".join(inside.replace(_ITALIC, "").split())
            directions.append(StageDirection(text, _groups(text)))
            start = close + 1
    kept.append(body[start:])
    return tidy("".join(kept).replace(_ITALIC, "")), tuple(directions)


def _closing(text: str, start: int) -> int:
    """Where the parenthesis opened before `start` closes (the end of the text if it never does)."""
    depth = 1
    for parenthesis in _PARENTHESES.finditer(text, start):
        depth += 1 if parenthesis.group() == "(" else -1
        if depth == 0:
            return parenthesis.start()
    return len(text)


def _groups(direction: str) -> tuple[str, ...]:
    """The group abbreviations a stage direction names, in order, each once."""
    found = [
        name for match in _GROUPS.finditer(direction) for name in _SEPARATOR.split(match.group("list"))
    ]
    return tuple(dict.fromkeys(found))


def _person(label: str) -> str | None:
    """The name of the one person a label names ("M. Damien Abad" -> "Damien Abad")."""
    match = _ONE_PERSON.match(label)
    if match is None or fold(label) in _CHAIRS or " et " in match.group("name"):
        return None
    return match.group("name")


def _roles(speakers: list[tuple[str, str | None]], texts: list[str]) -> list[str]:
    """The role of each turn's speaker, from the labels, the qualities and the chair's words."""
    government = {
        fold(label) for label, quality in speakers if quality and _GOVERNMENT.search(fold(quality))
    }
    roles = []
    for label, _ in speakers:
        key = fold(label)
        roles.append(CHAIR if key in _CHAIRS else ANSWERING if key in government else OTHER)
    asking = _asking(speakers, texts, roles)
    return [
        ASKING if role == OTHER and (name := _person(label)) and fold(name) == asking else role
        for (label, _), role in zip(speakers, roles, strict=True)
    ]


def _asking(speakers: list[tuple[str, str | None]], texts: list[str], roles: list[str]) -> str | None:
    """The folded name of the asking deputy, among the people who speak before the government.

    The one the chair gives the floor to, else names, else (a transcript that starts late) the one
    who says most, if that is more than an interjection.
    """
    answer = roles.index(ANSWERING) if ANSWERING in roles else len(roles)
    words: dict[str, int] = {}
    for (label, _), text, role in zip(speakers[:answer], texts, roles, strict=False):
        name = _person(label)
        if role == OTHER and name:
            words[fold(name)] = words.get(fold(name), 0) + len(text.split())
    chair = [fold(text) for text, role in zip(texts[:answer], roles, strict=False) if role == CHAIR]
    for said in chair:
        floor = _FLOOR.search(said)
        if floor and floor.group("name") in words:
            return floor.group("name")
        for name in words:  # the full name, then the family name's last word
            if re.search(rf"\b{name}\b", said) or (
                len(name.rsplit(" ", 1)[-1]) > 2 and re.search(rf"\b{name.rsplit(' ', 1)[-1]}\b", said)
            ):
                return name
    speaker = max(words, key=words.__getitem__, default=None)
    return speaker if speaker is not None and words[speaker] >= _QUESTION_WORDS else None


def spoken_texts(turns: tuple[Turn, ...]) -> tuple[str | None, str | None]:
    """The question as the deputy asked it (the words before the government's first answer) and
    the answer (all the government's words); None for a side the transcript lacks."""
    answering = [turn for turn in turns if turn.role == ANSWERING]
    if not answering:
        return _joined(t for t in turns if t.role == ASKING), None
    first = turns.index(answering[0])
    return _joined(t for t in turns[:first] if t.role == ASKING), _joined(answering)


def _joined(turns: Iterable[Turn]) -> str | None:
    return "\n".join(turn.text for turn in turns if turn.text) or None
