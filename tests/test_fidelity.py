"""Fidelity: for 200 real files picked at random, every core field read from the JSON by this
test's own few lines equals what SPARQL finds in the converted graph (skipped without the corpus).
"""

from __future__ import annotations

import html
import json
import random
import re
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from conftest import select
from pyoxigraph import Store

SAMPLE_SIZE = 200
ID = "https://w3id.org/questions-kg/id/"


def _population(shared: Path) -> list[Path]:
    # The April 2023 dump is superseded by the newer one for every uid it has (test_merge checks
    # that); the graph holds the newest version, so that is what each file is compared with.
    return sorted(p for p in (shared / "an" / "questions").rglob("*.json") if "dump2023" not in p.parts[-2])


def _iso(text: str | None) -> str | None:
    if text is None:
        return None
    if "/" in text:
        day, month, year = text.split("/")
        return f"{year}-{month}-{day}"
    return text


def _squeeze(text: str) -> str:
    """Visible characters only, so that markup and spacing choices don't matter."""
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def _words(text: str) -> list[str]:
    """The words of an HTML fragment or a plain text, without their punctuation (inline tags such as
    `l'<i>Harmony</i>` split none)."""
    blocks = re.sub(r"<(?:br|/?p|/?div|/?strong|/?b)\b[^>]*>", " ", text, flags=re.IGNORECASE)
    plain = html.unescape(re.sub(r"<[^>]*(?:>|$)", "", blocks)).replace("(", " (").replace(")", ") ")
    words = (word.strip(",.;:!?()…") for word in plain.split())
    return [word for word in words if word]


def _fold(text: str) -> str:
    return text.casefold().replace("\u2019", "'")


def _expected(question: dict) -> dict:
    """The core fields, read straight from the JSON."""
    index = question["indexationAN"]
    analyse = (index.get("analyses") or {}).get("analyse") or (index.get("ANALYSE") or {}).get("ANA")
    answer = (question.get("textesReponse") or {}).get("texteReponse")
    asked = (question.get("textesQuestion") or {}).get("texteQuestion")
    group = question["auteur"]["groupe"]["organeRef"]
    return {
        "uid": question["uid"],
        "type": question["type"],
        "number": question["identifiant"]["numero"],
        "legislature": question["identifiant"]["legislature"],
        "title": analyse,
        "rubrique": index["rubrique"],
        "author": question["auteur"]["identite"]["acteurRef"],
        "group": None if group == "POnull" else group,
        "ministry": question["minInt"].get("organeRef"),
        "ministry_label": question["minInt"]["abrege"],
        "issued": _iso((asked or answer)["infoJO"]["dateJO"]),
        "page": asked["infoJO"]["pageJO"] if asked else None,
        "text": asked["texte"] if asked else None,
        "answer_issued": _iso(answer["infoJO"]["dateJO"]) if answer else None,
        "answer_page": answer["infoJO"].get("pageJO") if answer else None,
        "answer_text": answer["texte"] if answer else None,
        "closed": _iso(question["cloture"]["dateCloture"]) if question.get("cloture") else None,
    }


def _actual(store: Store, uid: str) -> dict:
    rows = select(
        store,
        f"""SELECT * WHERE {{
          ?q dcterms:identifier "{uid}" ; qkg:questionType ?type ; qkg:number ?number ;
             qkg:legislature/qkg:number ?legislature ; qkg:askedBy/dcterms:identifier ?author ;
             dcterms:issued ?issued .
          OPTIONAL {{ ?q dcterms:title ?title }}
          OPTIONAL {{ ?q qkg:rubrique/skos:prefLabel ?rubrique }}
          OPTIONAL {{ ?q qkg:authorGroup/dcterms:identifier ?group }}
          OPTIONAL {{ ?q qkg:addressedTo/dcterms:identifier ?ministry }}
          OPTIONAL {{ ?q qkg:addressedTo/skos:prefLabel ?ministry_label }}
          OPTIONAL {{ ?q qkg:joPage ?page }}
          OPTIONAL {{ ?q qkg:text ?text }}
          OPTIONAL {{ ?q qkg:answer ?a . ?a dcterms:issued ?answer_issued ; qkg:text ?answer_text .
                     OPTIONAL {{ ?a qkg:joPage ?answer_page }} }}
          OPTIONAL {{ ?q qkg:closedOn ?closed }}
        }}""",
    )
    assert len(rows) == 1, f"{uid}: {len(rows)} rows"
    row = rows[0]
    row["uid"] = uid
    row["type"] = row["type"].rsplit("/", 1)[-1]
    return row


@pytest.fixture(scope="module")
def picked(shared_data: Path) -> list[Path]:
    population = _population(shared_data)
    return random.Random(12432).sample(population, SAMPLE_SIZE)


def test_core_fields_match_the_json(picked: list[Path], corpus_store: Store) -> None:
    for path in picked:
        expected = _expected(json.loads(path.read_text(encoding="utf-8"))["question"])
        actual = _actual(corpus_store, expected["uid"])
        where = f"{path.name}"
        for key in ("uid", "type", "number", "legislature", "author", "group", "issued", "page", "closed"):
            assert actual.get(key) == expected[key], f"{where}: {key}"
        for key in ("answer_issued", "answer_page"):
            assert actual.get(key) == expected[key], f"{where}: {key}"
        if expected["ministry"]:
            assert actual.get("ministry") == expected["ministry"], f"{where}: ministry"
        # Resolved by label or not, the ministry bears the name the question gives it, give or
        # take a renaming of the same office (the XV dumps label some questions with a later name).
        similarity = SequenceMatcher(None, _fold(actual["ministry_label"]), _fold(expected["ministry_label"]))
        assert similarity.ratio() > 0.8, f"{where}: ministry"
        # Labels are compared after the HTML-free squeeze; case is the scheme's for rubriques.
        assert actual.get("title") == expected["title"], f"{where}: title"
        if expected["rubrique"]:
            assert actual["rubrique"].casefold() == expected["rubrique"].casefold(), f"{where}: rubrique"
        else:
            assert "rubrique" not in actual, f"{where}: rubrique"
        if expected["type"] == "QG" and expected["answer_text"]:
            # A QG's question and answer are the asking deputy's and the government's words of the
            # transcript: its words, in their order, with interjections and stage directions left out.
            for key in ("text", "answer_text"):
                transcript = iter(_words(expected["answer_text"]))
                assert all(word in transcript for word in _words(actual[key])), f"{where}: {key}"
            continue
        for key in ("text", "answer_text"):
            if expected[key]:
                assert _squeeze(actual[key]) == _squeeze(expected[key]), f"{where}: {key}"
            else:
                assert key not in actual, f"{where}: {key}"
