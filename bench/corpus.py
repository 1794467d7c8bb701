"""Corpora of N questions for the scale bench: the real files, replicated with renumbered uids.

Copy k of a real question gets the number `number + k * STRIDE` (and the uid that goes with it),
so every copy is a distinct question with real text, dates, authors and ministries. The acteurs
and organes are copied as they are, so that every copy resolves like its original.

    python bench/corpus.py 10000 /tmp/corpus-10k [--data ../shared/data/an]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "an"
# Above every real question number, so that no copy takes a real question's uid.
STRIDE = 1_000_000
_UID = re.compile(r"(QANR5L\d+[A-Z]+)(\d+)")


def real_questions(data: Path) -> list[Path]:
    """One file per real question (the first of its versions in path order), in a stable order."""
    by_uid: dict[str, Path] = {}
    for path in sorted((data / "questions").rglob("*.json")):
        by_uid.setdefault(path.stem, path)
    return [by_uid[uid] for uid in sorted(by_uid)]


def build(size: int, folder: Path, data: Path = DEFAULT_DATA) -> Path:
    """Write a corpus of `size` questions (plus the acteurs and organes) into `folder`; reuse it if there."""
    done = folder / ".complete"
    if done.is_file() and done.read_text() == str(size):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    for kind in ("acteurs", "organes"):
        shutil.copytree(data / kind, folder / kind)
    sources = real_questions(data)
    out = folder / "questions"
    for index in range(size):
        copy, position = divmod(index, len(sources))
        source = sources[position]
        record = json.loads(source.read_text(encoding="utf-8"))
        uid = renumber(record["question"], copy)
        target = out / f"{index // 10_000:03d}" / f"{uid}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    done.write_text(str(size))
    return folder


def renumber(question: dict, copy: int) -> str:
    """Give copy `copy` of a question its own number and uid; returns the uid."""
    if copy == 0:
        return question["uid"]
    ident = question["identifiant"]
    number = int(ident["numero"]) + copy * STRIDE
    ident["numero"] = str(number)
    prefix = _UID.fullmatch(question["uid"])[1]
    question["uid"] = f"{prefix}{number}"
    return question["uid"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    print(build(args.size, args.folder, args.data))


if __name__ == "__main__":
    main()
