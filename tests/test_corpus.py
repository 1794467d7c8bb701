"""The whole shared corpus: every question converts, resolves and validates (skipped without it)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

from rdflib import Graph

from kg.convert import Conversion
from kg.rdfio import write_rdf
from kg.validate import validate_graph


def _files(shared: Path) -> list[Path]:
    return sorted((shared / "an" / "questions").rglob("*.json"))


def test_every_question_converts(corpus: Conversion, shared_data: Path) -> None:
    summary = corpus.summary
    uids = {json.loads(p.read_text(encoding="utf-8"))["question"]["uid"] for p in _files(shared_data)}
    assert summary.rejected == []
    assert sum(summary.questions.values()) == len(uids)
    assert sum(summary.questions.values()) + summary.superseded == len(_files(shared_data))
    # Authors and groups always resolve: the open data gives their uids (or POnull).
    assert summary.unresolved["author"] == 0
    assert summary.unresolved["group"] == 0


def test_unresolved_ministries_are_missing_from_the_source(corpus: Conversion, shared_data: Path) -> None:
    """A ministry stays a labelled node only when no MINISTERE organe of that name was in force."""
    organes = []
    for path in (shared_data / "an" / "organes").rglob("*.json"):
        organe = json.loads(path.read_text(encoding="utf-8"))["organe"]
        if organe["codeType"] == "MINISTERE":
            organes.append(organe)
    by_uid = {}
    for path in _files(shared_data):
        question = json.loads(path.read_text(encoding="utf-8"))["question"]
        by_uid.setdefault(question["uid"], question)
    for uid in corpus.summary.unresolved_questions.get("ministry", []):
        question = by_uid[uid]
        label = question["minInt"]["abrege"]
        asked = _date(question["textesReponse"]["texteReponse"]["infoJO"]["dateJO"])
        in_force = [
            o["uid"]
            for o in organes
            if o["libelleAbrege"] == label
            and _date(o["viMoDe"]["dateDebut"]) <= asked
            and (o["viMoDe"]["dateFin"] is None or asked <= _date(o["viMoDe"]["dateFin"]))
        ]
        assert in_force == [], f"{uid}: {label!r} on {asked} could have been {in_force}"


def test_corpus_validates_without_violation(corpus: Conversion) -> None:
    buffer = io.BytesIO()
    write_rdf(corpus.triples, buffer, "nt")
    report = validate_graph(Graph().parse(data=buffer.getvalue(), format="nt"))
    assert report.violations == 0, report.text[:3000]


def _date(text: str) -> date:
    if "/" in text:
        day, month, year = text.split("/")
        return date(int(year), int(month), int(day))
    return date.fromisoformat(text)
