"""Readers on the real files' quirks: date formats, analyse variants, nils, POnull, lists, HTML, zips, XML."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

from conftest import DATA

from kg.model import Acteur, Organe, Question
from kg.readers import Rejected, Skipped, read_document, read_paths
from kg.readers.files import Document, Source, iter_sources
from kg.readers.page import read_page
from kg.referential import Referential
from kg.text import html_to_text

QUESTIONS = DATA / "an" / "questions"
ORGANES_17 = sorted((DATA / "an" / "organes" / "l17").glob("*.json"))


def _one(path: Path) -> Question:
    (record,) = list(read_paths([path]))
    assert isinstance(record, Question)
    return record


def _json_doc(name: str, tree: object) -> list:
    return list(read_document(Document(name, json.dumps(tree).encode())))


def test_xv_dates_and_analyse_ana() -> None:
    path = sorted((QUESTIONS / "qg" / "l15").glob("*.json"))[0]
    raw = json.loads(path.read_text(encoding="utf-8"))["question"]
    question = _one(path)
    day, month, year = raw["cloture"]["dateCloture"].split("/")
    assert question.closure is not None and question.closure.on == date(int(year), int(month), int(day))
    assert question.title == raw["indexationAN"]["ANALYSE"]["ANA"]
    # XV dumps name ministries by label only.
    assert question.addressed_to is not None and question.addressed_to.ref is None


def test_xvi_iso_dates_and_analyses() -> None:
    path = sorted((QUESTIONS / "qg" / "l16").glob("*.json"))[0]
    raw = json.loads(path.read_text(encoding="utf-8"))["question"]
    question = _one(path)
    assert question.closure is not None
    assert question.closure.on == date.fromisoformat(raw["cloture"]["dateCloture"])
    assert question.title == raw["indexationAN"]["analyses"]["analyse"]
    assert question.addressed_to is not None and question.addressed_to.ref == raw["minInt"]["organeRef"]


def test_ponull_is_never_a_group_ref() -> None:
    found = 0
    for path in sorted((QUESTIONS / "qg").rglob("*.json")):
        if '"POnull"' in path.read_text(encoding="utf-8"):
            found += 1
            question = _one(path)
            assert question.group is not None and question.group.ref is None
    assert found


def test_html_fragments_become_paragraphs() -> None:
    fragment = '</p><p align="CENTER"> TITRE <a name=PG6></a> </p><br><strong>M. X. </strong>Bonjour&nbsp;!'
    text = html_to_text(fragment + "<br><em>fin</em>")
    assert text == "TITRE\nM. X. Bonjour !\nfin"


def test_one_object_or_a_list_of_them() -> None:
    raw = json.loads((QUESTIONS / "qe" / "l17" / "QANR5L17QE5268.json").read_text(encoding="utf-8"))
    attribution = raw["question"]["minAttribs"]["minAttrib"]
    raw["question"]["minAttribs"]["minAttrib"] = [attribution, attribution]
    (question,) = _json_doc("list.json", raw)
    assert isinstance(question, Question) and len(question.attributions) == 2


def test_xml_nils_read_as_missing() -> None:
    (acteur,) = list(read_paths([DATA / "an" / "acteurs" / "l16" / "PA346782.json"]))
    assert isinstance(acteur, Acteur)
    assert acteur.given_name == "Philippe" and acteur.family_name == "Juvin"
    assert acteur.birth_date == date(1964, 2, 1)


def test_bad_records_are_rejected_with_a_reason() -> None:
    (missing,) = _json_doc("a.json", {"question": {"type": "QE"}})
    assert isinstance(missing, Rejected) and missing.reason == "question without uid"
    (kind,) = _json_doc("b.json", {"question": {"uid": "X", "type": "QZ"}})
    assert isinstance(kind, Rejected) and "unknown question type" in kind.reason
    raw = json.loads((QUESTIONS / "qe" / "l17" / "QANR5L17QE5268.json").read_text(encoding="utf-8"))
    raw["question"]["cloture"]["dateCloture"] = "2025-02-30"
    (impossible,) = _json_doc("c.json", raw)
    assert isinstance(impossible, Rejected) and "impossible date" in impossible.reason
    (empty,) = list(read_document(Document("d.json", b"")))
    assert isinstance(empty, Rejected) and empty.reason == "empty file"
    (latin,) = list(read_document(Document("e.txt", "Question écrite".encode("latin-1"))))
    assert isinstance(latin, Rejected) and "not UTF-8" in latin.reason


def test_zip_dump_and_whole_export(tmp_path: Path) -> None:
    files = sorted((QUESTIONS / "qg" / "l16").glob("*.json"))
    dump = tmp_path / "Questions_gouvernement.json.zip"
    with zipfile.ZipFile(dump, "w") as archive:
        for path in files:
            archive.write(path, f"json/{path.name}")
        archive.writestr("LISEZMOI.html", "<p>notice</p>")
        export = {
            "export": {
                "organes": {
                    "organe": [
                        json.loads(p.read_text(encoding="utf-8"))["organe"]
                        for p in sorted((DATA / "an" / "organes" / "l17").glob("*.json"))
                    ]
                }
            }
        }
        archive.writestr("AMO.json", json.dumps(export))
    records = list(read_paths([dump]))
    assert sum(isinstance(r, Question) for r in records) == len(files)
    assert sum(isinstance(r, Organe) for r in records) == len(
        list((DATA / "an" / "organes" / "l17").glob("*.json"))
    )
    assert sum(isinstance(r, Skipped) for r in records) == 1
    assert all(not isinstance(r, Rejected) for r in records)


def test_xml_twin_reads_like_the_json(shared_data: Path) -> None:
    (from_xml,) = list(read_paths([shared_data / "an" / "xml" / "organes" / "l17" / "PO855083.xml"]))
    (from_json,) = list(read_paths([shared_data / "an" / "organes" / "l17" / "PO855083.json"]))
    assert isinstance(from_xml, Organe) and isinstance(from_json, Organe)
    # The XML comes from a later dump that closed the ministry; merged, no date is lost.
    assert from_json.end is None and from_xml.end == date(2025, 9, 9)
    same = {"source": "", "end": None}
    assert from_xml.__dict__ | same == from_json.__dict__ | same
    referential = Referential()
    referential.add(from_json)
    referential.add(from_xml)
    assert referential.organes["PO855083"].end == date(2025, 9, 9)


def test_page_family_with_answer_and_key_dates() -> None:
    """The seed page rewritten as an answered question with a change of attribution and a signalement."""
    seed = (DATA / "seed" / "question-12432.txt").read_text(encoding="utf-8")
    page = seed.replace(
        "Données clés",
        "Texte de la réponse\n\nLe Gouvernement a *pris* acte.\n\nSecond paragraphe.\n\nDonnées clés",
    ).replace(
        "Question retirée le : 11 juin 2024 (Fin de mandat)",
        "Date de changement d'attribution : 5 décembre 2023\n\n"
        "Date de signalement : 12/02/2024, page 1010\n\n"
        "Réponse publiée au JO le : [1er mars 2024](#), page 1500",
    )
    question = read_page(page, "page.txt")
    assert question.answers[0].text == "Le Gouvernement a pris acte.\nSecond paragraphe."
    assert question.answers[0].published == date(2024, 3, 1) and question.answers[0].jo_page == 1500
    assert question.attributions[0].on == date(2023, 12, 5)
    assert question.signalements[0].on == date(2024, 2, 12) and question.signalements[0].jo_page == 1010
    assert question.closure is not None and question.closure.code == "REP_PUB"
    assert question.text is not None and "Texte de la réponse" not in question.text


def test_a_folder_is_walked_in_the_order_of_its_paths(tmp_path: Path) -> None:
    """As `sorted(rglob)`: by parts ("a/b" before "a-b"), links to files kept, linked folders not entered."""
    for name in ("a/b.json", "a-b/c.json", "a/z/d.json", "e.json", ".hidden/f.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    (tmp_path / "link.json").symlink_to(tmp_path / "e.json")
    (tmp_path / "linked").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "broken.json").symlink_to(tmp_path / "missing.json")
    walked = [Path(source.name) for source in iter_sources([tmp_path]) if isinstance(source, Source)]
    assert walked == sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert walked.index(tmp_path / "a" / "b.json") < walked.index(tmp_path / "a-b" / "c.json")
    assert tmp_path / "link.json" in walked and tmp_path / "broken.json" not in walked
    assert not any("linked" in path.parts for path in walked)
