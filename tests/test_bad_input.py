"""Broken and hostile inputs (tests/bad/): one clear line each, never a traceback, nothing else lost.

`kg convert` and `kg load` run on tests/bad/ with real good files beside it, and with a 50 MB
text and a 3 GB zip bomb made here; tests/bad/EXPECTED.md says what each file must give.
"""

from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path

import pytest
from bad_inputs import BAD, GB, bomb
from click.testing import CliRunner, Result
from conftest import DATA

from kg.cli import main
from kg.readers import Rejected, read_document, read_paths
from kg.readers.files import Document
from kg.readers.safe_xml import parse_xml

GOOD = sorted((DATA / "an" / "questions" / "qg" / "l16").glob("*.json"))[:3]
ROW = re.compile(r"^\| `(?P<source>[^`]+)` \| (?P<outcome>\w+) \| (?:`(?P<fragment>[^`]*)`)? *\|$")
# What the files generated here must give.
GENERATED = {
    "huge.txt": "too large: weighs 50 MB, over the limit of 20 MB",
    "bomb.zip!json/QANR5L16QG9999.json": "too large: declares 3072 MB",
}
EXIT_PARTIAL = 3


def _expected() -> list[tuple[str, str, str]]:
    """(source under tests/bad/, outcome, reason fragment or uid) of each row of EXPECTED.md."""
    lines = (BAD / "EXPECTED.md").read_text(encoding="utf-8").splitlines()
    return [(m["source"], m["outcome"], m["fragment"] or "") for line in lines if (m := ROW.match(line))]


EXPECTED = _expected()
REJECTED = [(BAD / source, fragment) for source, outcome, fragment in EXPECTED if outcome == "rejected"]
CONVERTED = [fragment for _, outcome, fragment in EXPECTED if outcome == "converted"] + [p.stem for p in GOOD]
# Files beside the data that are not data (EXPECTED.md, SOURCES.md), and the zip's notice.
SKIPPED = 2 + sum(outcome == "skipped" for _, outcome, _ in EXPECTED)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 50 MB text and a zip of 3 MB whose member inflates to 3 GB: too big to commit."""
    folder = tmp_path_factory.mktemp("generated")
    with (folder / "huge.txt").open("wb") as huge:
        line = b"Question \xc3\xa9crite n\xc2\xb0 1 - du texte, encore du texte.\n" * 1000
        for _ in range(50 * 2**20 // len(line)):
            huge.write(line)
        huge.write(b"x" * (50 * 2**20 - huge.tell()))
    (folder / "bomb.zip").write_bytes(bomb(3 * GB))
    return folder


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _rejected_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("rejected: ")]


def test_the_corpus_is_complete() -> None:
    """EXPECTED.md names every file of tests/bad/, and tests/bad_inputs.py makes every one."""
    named = {source.split("!")[0].split("#")[0] for source, _, _ in EXPECTED}
    present = {path.name for path in BAD.iterdir()} - {"EXPECTED.md", "SOURCES.md"}
    assert named == present
    assert len(REJECTED) >= 25


def test_convert_gives_one_line_per_bad_input_and_keeps_the_good(generated: Path) -> None:
    result = _run("convert", str(BAD), str(generated), *map(str, GOOD), "-f", "nt")
    assert result.exit_code == EXIT_PARTIAL, result.stderr
    assert "Traceback" not in result.output
    lines = _rejected_lines(result.stderr)
    expected = REJECTED + [(generated / name, reason) for name, reason in GENERATED.items()]
    for source, fragment in expected:
        (line,) = [line for line in lines if line.startswith(f"rejected: {source}: ")]
        assert fragment in line, line
    assert len(lines) == len(expected)
    for uid in CONVERTED:
        assert f"/id/question/{uid}> " in result.stdout, uid
    converted, rejected = len(CONVERTED), len(expected)
    assert f"questions: {converted} " in result.stderr
    summary = f"records read: {converted + rejected} = converted {converted} + rejected {rejected}"
    assert f"{summary}; other files skipped: {SKIPPED}" in result.stderr


def test_load_gives_the_same_lines(tmp_path: Path) -> None:
    """`kg load` reads with the same readers: the same rejections, the good records in the store."""
    result = _run("load", "--store", str(tmp_path / "store"), "-q", str(BAD), *map(str, GOOD))
    assert result.exit_code == EXIT_PARTIAL, result.stderr
    assert "Traceback" not in result.output
    assert len(_rejected_lines(result.stderr)) == len(REJECTED)
    count = _run("query", "--store", str(tmp_path / "store"), "-f", "csv", "-e",
                 "SELECT (COUNT(*) AS ?n) WHERE { ?q a qkg:Question }")
    assert count.stdout.split() == ["n", str(len(CONVERTED))]


@pytest.mark.parametrize(("command", "options", "exit_code"), [
    ("convert", ["-o", "out.ttl"], 1), ("load", ["--store", "store"], 1), ("validate", [], 2),
])
@pytest.mark.parametrize(
    ("files", "skipped"), [([], ""), (["README.md"], " (1 file of other kinds skipped)")]
)
def test_a_folder_without_any_document_is_an_error_not_an_empty_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, options: list[str], exit_code: int,
    files: list[str], skipped: str,
) -> None:
    """A mistyped or still empty folder says so, rather than a summary of nothing and exit 0."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "folder"
    folder.mkdir()
    for name in files:
        (folder / name).write_text("Not data.", encoding="utf-8")
    result = _run(command, *options, str(folder))
    assert result.exit_code == exit_code, result.output
    reads = "kg reads .json, .txt, .xml, .zip files"
    assert result.stderr == f"Error: no document to read in {folder}: {reads}{skipped}\n"


def test_zip_bomb_is_rejected_without_inflating(generated: Path) -> None:
    tracemalloc.start()
    started = time.monotonic()
    try:
        (record,) = list(read_paths([generated / "bomb.zip"]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(record, Rejected) and "declares 3072 MB" in record.reason
    assert peak < 50 * 2**20 and time.monotonic() - started < 5


def test_a_member_lying_about_its_size_is_read_no_further(tmp_path: Path) -> None:
    """A member that declares 1 kB but inflates to 3 GB: read up to its declared size, then refused."""
    data = bytearray(bomb(3 * GB))
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (1000).to_bytes(4, "little")  # its declared inflated size
    path = tmp_path / "liar.zip"
    path.write_bytes(data)
    started = time.monotonic()
    (record,) = list(read_paths([path]))
    assert isinstance(record, Rejected) and "Bad CRC-32" in record.reason
    assert time.monotonic() - started < 5


def test_zip_slip_writes_nothing_and_spares_the_other_members(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "a" / "b"
    cwd.mkdir(parents=True)
    monkeypatch.chdir(cwd)  # where `../../json/…` would land, were members extracted
    result = _run("convert", str(BAD / "zip-slip.zip"), "-f", "nt")
    assert result.exit_code == EXIT_PARTIAL
    assert "/id/question/QANR5L15QG1> " in result.stdout
    # The tampered twin of the good member (made a QE) was rejected, not read in its place.
    assert "WrittenQuestion" not in result.stdout
    assert [str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*")] == ["a", "a/b"]


def test_entities_are_never_expanded_nor_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret", encoding="utf-8")
    xxe = f'<!DOCTYPE o [<!ENTITY e SYSTEM "file://{secret}">]><organe><uid>&e;</uid></organe>'
    (record,) = _read_xml(xxe)
    assert isinstance(record, Rejected) and "XML with a DTD" in record.reason
    assert "secret" not in record.reason
    with pytest.raises(Exception, match="DTD"):
        parse_xml((BAD / "billion-laughs.xml").read_text(encoding="utf-8"))
    # Without a DTD an entity is undeclared: a plain error, nothing expanded.
    (record,) = _read_xml("<organe><uid>&e;</uid></organe>")
    assert isinstance(record, Rejected) and "undefined entity" in record.reason


def _read_xml(xml: str) -> list[object]:
    return list(read_document(Document("doc.xml", xml.encode())))


def test_the_document_size_limit_can_be_set(monkeypatch: pytest.MonkeyPatch, generated: Path) -> None:
    monkeypatch.setenv("KG_MAX_DOCUMENT_MB", "0.001")  # 1 kB: every real question is over it
    result = _run("convert", str(GOOD[0]), "-f", "nt")
    assert result.exit_code == EXIT_PARTIAL
    size = f"{GOOD[0].stat().st_size / 1024:.0f} kB"
    assert f"rejected: {GOOD[0]}: too large: weighs {size}, over the limit of 1 kB" in result.stderr
    monkeypatch.setenv("KG_MAX_DOCUMENT_MB", "60")
    (record,) = list(read_paths([generated / "huge.txt"]))  # read now, and found to be no record
    assert isinstance(record, Rejected) and "not a question" in record.reason
    monkeypatch.setenv("KG_MAX_DOCUMENT_MB", "lots")
    result = _run("convert", str(GOOD[0]), "-f", "nt")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: KG_MAX_DOCUMENT_MB must be a positive number of MB, not 'lots'"
