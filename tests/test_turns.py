"""Questions au Gouvernement as conversations: the transcript's turns, the words of each side, who answered.

Checked on 30 hand-annotated transcripts (tests/gold/qg-turns), on the graph of the bundled sample,
and on the whole QG corpus when it is present.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import DATA, select, store_of
from pyoxigraph import Store
from test_named_queries import run_on

from kg.convert import convert
from kg.model import Turn
from kg.readers.transcript import read_transcript
from kg.text import fold

GOLD = json.loads((Path(__file__).parent / "gold" / "qg-turns" / "expected.json").read_text(encoding="utf-8"))
TRANSCRIPTS = DATA / "qg-turns"
ROLE = "https://w3id.org/questions-kg/id/speaker-role/"
# The chair gives the floor to a member of the government, or to a deputy.
_FLOOR_TO_GOVERNMENT = re.compile(
    r"parole est à (?:M\.|Mme) (?:le |la )?(?:Premier|Première|ministre|secrétaire|garde|porte-parole|haut)"
)
_FLOOR_TO_DEPUTY = re.compile(
    r"parole est à (?:M\.|Mme) (?!(?:le |la )?(?:Premier|Première|ministre|secrétaire|garde|porte|haut))"
)


def _transcript(path: Path) -> str:
    question = json.loads(path.read_text(encoding="utf-8"))["question"]
    return question["textesReponse"]["texteReponse"]["texte"]


def _as_gold(turn: Turn) -> dict[str, object]:
    return {
        "label": turn.label,
        "quality": turn.quality,
        "role": turn.role,
        "first_words": " ".join(turn.text.split()[:5]),
        "groups": list(dict.fromkeys(name for direction in turn.directions for name in direction.groups)),
    }


def test_the_gold_set_holds_30_real_transcripts_of_every_dump() -> None:
    files = sorted(TRANSCRIPTS.glob("*.json"))
    assert sorted(path.stem for path in files) == sorted(GOLD)
    assert len(files) == 30
    legislatures = {path.stem[6:8] for path in files}
    assert legislatures == {"15", "16"}
    assert sum(len(turns) for turns in GOLD.values()) > 400


@pytest.mark.parametrize("uid", sorted(GOLD))
def test_turns_match_the_hand_checked_transcript(uid: str) -> None:
    turns = read_transcript(_transcript(TRANSCRIPTS / f"{uid}.json"))
    assert [_as_gold(turn) for turn in turns] == GOLD[uid]


def test_stage_directions_are_taken_out_of_the_words() -> None:
    fragment = (
        "<strong>M. le président. </strong>La parole est à M. Jean Dupont.<br>"
        "<strong>M. Jean Dupont. </strong>Ma question (OQTF) ? "
        "<i>(Vives exclamations sur les bancs du groupe RN.</i> \u2013 "
        "Applaudissements sur les bancs des groupes RE, Dem et HOR.)<br>"
        "<strong>Mme Anne Martin,</strong><i> ministre de la santé. </i>"
        "Non. (Rires sur les bancs du groupe LR.)"
    )
    chair, deputy, minister = read_transcript(fragment)
    assert (chair.role, deputy.role, minister.role) == ("chair", "asking-deputy", "answering-minister")
    assert deputy.text == "Ma question (OQTF) ?"  # a spoken parenthesis stays
    assert [d.groups for d in deputy.directions] == [("RN", "RE", "Dem", "HOR")]
    assert minister.speaker == "Anne Martin"
    assert (minister.quality, minister.text) == ("ministre de la santé", "Non.")
    assert minister.directions[0].text == "Rires sur les bancs du groupe LR."


def test_a_transcript_without_labels_has_no_turns() -> None:
    assert read_transcript("<p>Séance suspendue.</p>") == ()
    assert read_transcript("<strong>\ue000 . </strong>x") == ()  # our own marks in the input change nothing


def test_a_qg_question_is_the_deputys_words_and_its_answer_the_ministers(sample_store: Store) -> None:
    (row,) = select(
        sample_store,
        """SELECT ?asked ?answered ?signed ?ministry WHERE {
             <https://w3id.org/questions-kg/id/question/QANR5L16QG1> qkg:text ?asked ;
                 qkg:answeringMinistry ?ministry ; qkg:answer ?answer .
             ?answer qkg:text ?answered ; dcterms:creator/foaf:name ?signed ;
                 qkg:answeringMinistry ?ministry }""",
    )
    assert row["asked"].startswith("Madame la Première ministre, la semaine dernière")
    assert "La parole est" not in row["asked"] and "C'est vrai !" not in row["asked"]
    assert row["answered"].startswith("Madame la présidente Le Pen, au travers de votre propos")
    assert "Que des mots !" not in row["answered"] and "Applaudissements" not in row["answered"]
    assert row["signed"] == "Élisabeth Borne"


def test_turns_are_numbered_in_order_with_one_role_each(sample_store: Store) -> None:
    rows = select(
        sample_store,
        """SELECT ?question (COUNT(?turn) AS ?turns) (MAX(?position) AS ?last)
                  (COUNT(DISTINCT ?position) AS ?distinct)
           WHERE { ?question qkg:turn ?turn . ?turn qkg:position ?position ; qkg:speakerRole ?role }
           GROUP BY ?question""",
    )
    qgs = select(sample_store, "SELECT ?q WHERE { ?q a qkg:GovernmentQuestion ; qkg:answer/qkg:text [] }")
    assert len(rows) == len(qgs) > 20
    for row in rows:
        assert row["turns"] == row["last"] == row["distinct"], row["question"]


def test_every_sample_qg_has_its_deputy_and_a_member_of_the_government(sample_store: Store) -> None:
    missing = select(
        sample_store,
        f"""SELECT ?q WHERE {{
              ?q a qkg:GovernmentQuestion ; qkg:answer/qkg:text [] .
              FILTER NOT EXISTS {{ ?q qkg:turn/qkg:speakerRole <{ROLE}asking-deputy> }}
              FILTER NOT EXISTS {{ ?q qkg:turn/qkg:speakerRole <{ROLE}answering-minister> }} }}""",
    )
    assert missing == []


# -- the whole corpus -------------------------------------------------------------------------


def test_every_corpus_qg_has_a_deputy_and_a_minister_turn_unless_its_transcript_has_no_answer(
    corpus_store: Store, shared_data: Path
) -> None:
    """A QG lacks a side only where the transcript never gives the floor to one of them (it was
    suspended, or the file holds a part of the exchange only)."""
    complete = {
        row["q"].rsplit("/", 1)[1]
        for row in select(
            corpus_store,
            f"""SELECT DISTINCT ?q WHERE {{
                  ?q qkg:turn/qkg:speakerRole <{ROLE}asking-deputy> ;
                     qkg:turn/qkg:speakerRole <{ROLE}answering-minister> }}""",
        )
    }
    files = sorted((shared_data / "an" / "questions" / "qg").rglob("*.json"))
    lacking = [path for path in files if path.stem not in complete]
    for path in lacking:
        question = json.loads(path.read_text(encoding="utf-8"))["question"]
        transcript = (question.get("textesReponse") or {}).get("texteReponse", {}).get("texte") or ""
        given = _FLOOR_TO_GOVERNMENT.search(transcript), _FLOOR_TO_DEPUTY.search(transcript)
        assert not all(given), path.name
    assert len(lacking) / len(files) < 0.002, [path.name for path in lacking]


# Where the transcript and the record disagree on who asked, read by hand: the record is wrong, or
# a colleague asked in the author's name.
RECORDED_OTHERWISE = {
    "QANR5L15QG1864": "asked by Delphine O, recorded as Caroline Fiat's",
    "QANR5L15QG2905": "asked by Sylvain Waserman for 'mon collègue Cyrille Isaac-Sibille', the author",
    "QANR5L15QG4191": "asked by Catherine Daufès-Roux, recorded as David Habib's (who interjects)",
    "QANR5L16QG1119": "asked by Sylvain Maillard, recorded as Patrick Hetzel's (who interjects)",
    "QANR5L16QG1918": "asked by Olivier Faure, recorded as Dominique Faure's",
}


def test_the_asking_deputy_is_the_author_wherever_the_label_tells(corpus_store: Store) -> None:
    """The label tells when it names one acteur: the turn's speaker is then the question's author,
    except in the records known to name someone else."""
    rows = select(
        corpus_store,
        f"""SELECT ?q ?author ?speaker WHERE {{
              ?q qkg:askedBy ?author ; qkg:turn ?turn .
              ?turn qkg:speakerRole <{ROLE}asking-deputy> ; qkg:speaker ?speaker .
              FILTER(STRSTARTS(STR(?speaker), "https://w3id.org/questions-kg/id/acteur/")) }}""",
    )
    asked = {row["q"] for row in rows}
    qgs = select(corpus_store, "SELECT ?q WHERE { ?q a qkg:GovernmentQuestion }")
    assert len(asked) / len(qgs) > 0.99
    differing = {row["q"].rsplit("/", 1)[1] for row in rows if row["speaker"] != row["author"]}
    assert differing == set(RECORDED_OTHERWISE)


def test_ministers_stay_unresolved_only_when_no_acteur_bears_their_name(corpus_store: Store) -> None:
    names = {
        fold(row["name"])
        for row in select(corpus_store, "SELECT ?name WHERE { ?a a qkg:Deputy ; foaf:name ?name . "
                          "FILTER(STRSTARTS(STR(?a), 'https://w3id.org/questions-kg/id/acteur/')) }")
    }
    names |= {
        fold(row["name"])
        for row in select(corpus_store, "SELECT ?name WHERE { ?a qkg:mandate [] ; foaf:name ?name }")
    }
    unresolved = select(
        corpus_store,
        f"""SELECT DISTINCT ?name WHERE {{
              ?turn qkg:speakerRole <{ROLE}answering-minister> ; qkg:speaker ?minister .
              ?minister foaf:name ?name .
              FILTER(STRSTARTS(STR(?minister), "https://w3id.org/questions-kg/id/unresolved/")) }}""",
    )
    assert unresolved, "the corpus has ministers who were never deputies"
    assert [row["name"] for row in unresolved if fold(row["name"]) in names] == []


# -- the named queries on the hand-checked transcripts ------------------------------------------


@pytest.fixture(scope="module")
def transcripts_store() -> Store:
    return store_of(convert([TRANSCRIPTS], entities=False).triples)


@pytest.mark.parametrize("uid", sorted(GOLD)[::6])
def test_qg_exchange_gives_the_hand_checked_turns(transcripts_store: Store, uid: str) -> None:
    rows = run_on(transcripts_store, "qg-exchange", question=f"question:{uid}")
    assert [row["position"] for row in rows] == list(range(1, len(GOLD[uid]) + 1))
    got = [(row["speakerLabel"], row["role"], " ".join((row["text"] or "").split()[:5])) for row in rows]
    assert got == [(turn["label"], turn["role"], turn["first_words"]) for turn in GOLD[uid]]


def test_ministers_answering_qg_counts_the_questions_each_answered(transcripts_store: Store) -> None:
    rows = run_on(transcripts_store, "ministers-answering-qg")
    expected: dict[str, set[str]] = {}  # the first member of the government to answer signs
    for uid, turns in GOLD.items():
        first = next(turn for turn in turns if turn["role"] == "answering-minister")
        expected.setdefault(first["label"].split(" ", 1)[1], set()).add(uid)
    counts = {name: len(uids) for name, uids in expected.items()}
    assert {row["name"]: row["questions"] for row in rows} == counts
    assert [row["questions"] for row in rows] == sorted((row["questions"] for row in rows), reverse=True)
    assert run_on(transcripts_store, "ministers-answering-qg", legislature="15")[0]["questions"] >= 1
