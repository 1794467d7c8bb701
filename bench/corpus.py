"""Corpora of N questions for the scale bench: the real files, replicated with renumbered uids.

Copy k of a real question gets the number `number + k * STRIDE` (and the uid that goes with it),
so every copy is a distinct question with real text, dates, authors and ministries. The acteurs
and organes are copied as they are, so that every copy resolves like its original. `--kinds QE`
replicates the written questions alone (a legislature holds many times more of them than of QG).

    python bench/corpus.py 10000 /tmp/corpus-10k [--data ../shared/data/an] [--kinds QE,QG,QOSD]
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
_UID = re.compile(r"(QANR5L\d+(?P<kind>QE|QG|QOSD))(\d+)")
KINDS = ("QE", "QG", "QOSD")


def real_questions(data: Path, kinds: tuple[str, ...] = KINDS) -> list[Path]:
    """One file per real question of these kinds (the first of its versions in path order), in uid order."""
    by_uid: dict[str, Path] = {}
    for path in sorted((data / "questions").rglob("*.json")):
        if (uid := _UID.fullmatch(path.stem)) and uid["kind"] in kinds:
            by_uid.setdefault(path.stem, path)
    return [by_uid[uid] for uid in sorted(by_uid)]


def build(size: int, folder: Path, data: Path = DEFAULT_DATA, kinds: tuple[str, ...] = KINDS) -> Path:
    """Write a corpus of `size` questions (plus the acteurs and organes) into `folder`; reuse it if there.

    A corpus is reused only if it was built from the same data and kinds.
    """
    done, made = folder / ".complete", f"{size} {','.join(kinds)} {data.resolve()}"
    if done.is_file() and done.read_text() == made:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    for kind in ("acteurs", "organes"):
        shutil.copytree(data / kind, folder / kind)
    sources = real_questions(data, kinds)
    if not sources:
        raise SystemExit(f"no question of kinds {', '.join(kinds)} under {data / 'questions'}")
    out = folder / "questions"
    for index in range(size):
        copy, position = divmod(index, len(sources))
        source = sources[position]
        record = json.loads(source.read_text(encoding="utf-8"))
        uid = renumber(record["question"], copy)
        target = out / f"{index // 10_000:03d}" / f"{uid}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    done.write_text(made)
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
    parser.add_argument("--kinds", type=kinds_option, default=KINDS, help="Question kinds to replicate.")
    args = parser.parse_args()
    print(build(args.size, args.folder, args.data, args.kinds))


def kinds_option(text: str) -> tuple[str, ...]:
    """`QE,QG` as the kinds it names, each checked, in the order of KINDS (which names the corpus)."""
    kinds = {kind.strip().upper() for kind in text.split(",")}
    if unknown := kinds - set(KINDS):
        known = ", ".join(KINDS)
        raise argparse.ArgumentTypeError(f"unknown kinds {', '.join(sorted(unknown))}: use {known}")
    return tuple(kind for kind in KINDS if kind in kinds)


if __name__ == "__main__":
    main()
