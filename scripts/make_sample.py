"""Copy the bundled real sample (tests/data/an) from a checkout of the shared AN data.

Usage: python scripts/make_sample.py SHARED_DATA_DIR
The choice is deterministic: a spread of QG of the 15th and 16th legislatures with the
known quirks (POnull, null analyse or rubrique, the 2023 dump twin), the 17th's QE, their
authors and the members of the government who answer them, and every group, ministry, government
and assembly organe.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from kg.model import ANSWERING
from kg.readers.transcript import read_transcript
from kg.text import fold

KEEP_ORGANES = {"GP", "MINISTERE", "GOUVERNEMENT", "ASSEMBLEE"}


def main(shared: Path, target: Path) -> None:
    questions = shared / "an" / "questions"
    chosen: list[Path] = []
    for folder, count in (("qg/l15", 12), ("qg/l16", 12)):
        files = sorted((questions / folder).glob("*.json"))
        chosen += files[:: max(1, len(files) // count)][:count]
    chosen += sorted((questions / "qe/l17").glob("*.json"))
    for path in sorted((questions / "qg/l15").glob("*.json")):
        text = path.read_text(encoding="utf-8")
        record = json.loads(text)["question"]
        quirky = '"POnull"' in text or record["indexationAN"]["rubrique"] is None
        quirky |= (record["indexationAN"].get("ANALYSE") or {}).get("ANA", "") is None
        if quirky and path not in chosen and len([p for p in chosen if p.parent.name == "l15"]) < 18:
            chosen.append(path)
    twins = [questions / "qg/l16_dump2023" / p.name for p in chosen if p.parent.name == "l16"]
    chosen += [p for p in twins if p.exists()]

    out = target / "an"
    if out.exists():
        shutil.rmtree(out)
    authors = {"PA346782"}  # the seed's author
    for path in chosen:
        dest = out / "questions" / path.relative_to(questions)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
        authors.add(
            json.loads(path.read_text(encoding="utf-8"))["question"]["auteur"]["identite"]["acteurRef"]
        )
    people = authors | _ministers(chosen, shared / "an" / "acteurs")
    for folder in sorted((shared / "an" / "acteurs").iterdir()):
        for uid in sorted(people):
            if (folder / f"{uid}.json").exists():
                dest = out / "acteurs" / folder.name / f"{uid}.json"
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(folder / f"{uid}.json", dest)
    for path in sorted((shared / "an" / "organes").glob("*/*.json")):
        if json.loads(path.read_text(encoding="utf-8"))["organe"]["codeType"] in KEEP_ORGANES:
            dest = out / "organes" / path.parent.name / path.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    seed = target / "seed"
    seed.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shared.parent / "seed" / "question-12432.txt", seed / "question-12432.txt")


def _ministers(chosen: list[Path], acteurs: Path) -> set[str]:
    """The acteurs of the members of the government who answer the chosen QGs, where the AMO has them."""
    names = {
        fold(turn.speaker)
        for path in chosen
        if (answer := (json.loads(path.read_text(encoding="utf-8"))["question"].get("textesReponse") or {}))
        for turn in read_transcript(answer["texteReponse"]["texte"])
        if turn.role == ANSWERING and turn.speaker
    }
    found = set()
    for path in sorted(acteurs.glob("*/*.json")):
        acteur = json.loads(path.read_text(encoding="utf-8"))["acteur"]
        ident = acteur["etatCivil"]["ident"]
        mandates = (acteur.get("mandats") or {}).get("mandat") or []
        mandates = mandates if isinstance(mandates, list) else [mandates]
        in_government = any(m["typeOrgane"] == "GOUVERNEMENT" for m in mandates)
        if in_government and fold(f"{ident['prenom']} {ident['nom']}") in names:
            found.add(path.stem)
    return found


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).resolve().parent.parent / "tests" / "data")
