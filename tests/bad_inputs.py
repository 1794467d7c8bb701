"""The corpus of broken inputs of tests/bad/, made from real files of tests/data, and hostile zips.

Usage: python tests/bad_inputs.py   (writes tests/bad/; EXPECTED.md there says what each must give)

The zips are written byte by byte (`raw_zip`), so that a member can declare any size: a zip bomb
is a few kB that declares, or holds, gigabytes.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TESTS = Path(__file__).parent
DATA = TESTS / "data"
BAD = TESTS / "bad"
QUESTIONS = DATA / "an" / "questions"
QE = QUESTIONS / "qe" / "l17" / "QANR5L17QE5268.json"  # dates YYYY-MM-DD
QG_XV = QUESTIONS / "qg" / "l15" / "QANR5L15QG1194.json"  # dates DD/MM/YYYY
QG_XVI = QUESTIONS / "qg" / "l16" / "QANR5L16QG1143.json"
QG_ZIPPED = QUESTIONS / "qg" / "l15" / "QANR5L15QG1.json"
ORGANE = DATA / "an" / "organes" / "l17" / "PO855083.json"
GB = 2**30


@dataclass(frozen=True)
class Member:
    """A zip member as written: its deflated bytes, and the size and CRC it declares."""

    name: str
    deflated: bytes
    size: int
    crc: int


def deflated(data: bytes) -> bytes:
    """Raw deflate, as zip members hold it."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def deflated_zeros(size: int) -> bytes:
    """Raw deflate of `size` zero bytes (a multiple of 16 MB) in about size/1000 bytes, made in no time.

    A block deflated after a full flush refers to nothing before it, so the same bytes repeated
    are the deflate of as many zeros.
    """
    chunk_size = 16 * 2**20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = compressor.compress(b"\0" * chunk_size) + compressor.flush(zlib.Z_FULL_FLUSH)
    return chunk * (size // chunk_size) + compressor.flush()


def raw_zip(members: list[Member]) -> bytes:
    """A zip of deflated members, each declaring the size and CRC given (ZIP without ZIP64: < 4 GB)."""
    local, central = bytearray(), bytearray()
    for member in members:
        name = member.name.encode()
        sizes = (member.crc, len(member.deflated), member.size, len(name))
        # Signature, versions, flags, method (deflate), time, date, CRC, sizes, lengths…, header offset.
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, *sizes, 0, 0, 0, 0, 0,
                               len(local)) + name
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, *sizes, 0) + name
        local += member.deflated
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0)
    return bytes(local + central + end)


def bomb(size: int = 3 * GB) -> bytes:
    """A zip of a few MB whose one member truly inflates to `size` bytes of zeros."""
    return raw_zip([Member("json/QANR5L16QG9999.json", deflated_zeros(size), size, 0)])


def _question(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _edited(path: Path, edit: Any) -> bytes:
    """A real question file with `edit(question)` applied."""
    tree = _question(path)
    edit(tree["question"])
    return json.dumps(tree, ensure_ascii=False, indent=1).encode()


def _set(*keys: str, value: Any = None, drop: bool = False) -> Any:
    def edit(node: dict[str, Any]) -> None:
        for key in keys[:-1]:
            node = node[key]
        if drop:
            del node[keys[-1]]
        else:
            node[keys[-1]] = value

    return edit


def _extra_keys() -> bytes:
    """The real QE with keys that no reader knows, beside the record and inside it: it converts."""
    tree = _question(QE)
    tree["question"]["champInconnu"] = {"nouveau": ["format", 2]}
    tree["question"]["identifiant"]["suffixe"] = "bis"
    tree["meta"] = {"export": "2025", "question": None}
    return json.dumps(tree, ensure_ascii=False, indent=1).encode()


def _organe_xml(doctype: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n'
            "<organe><uid>PO855083</uid><codeType>MINISTERE</codeType><libelle>&e;</libelle></organe>\n").encode()


def files() -> dict[str, bytes]:
    """Every file of the corpus, by name."""
    organe = ORGANE.read_bytes()
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return {
        "truncated.json": QG_XVI.read_bytes()[: len(QG_XVI.read_bytes()) // 2],
        "invalid.json": b"{\"question\": {\"uid\": 'QANR5L16QG1', \"type\": \"QG\",}}",
        "wrong-type-number.json": _edited(QE, _set("identifiant", value=5268)),
        "wrong-type-list.json": _edited(QE, _set("indexationAN", "rubrique", value=["commerce", "art"])),
        "missing-uid.json": _edited(QE, _set("uid", drop=True)),
        "unknown-type.json": _edited(QE, _set("type", value="QX")),
        "uid-mismatch.json": _edited(QE, _set("uid", value="QANR5L17QE9999")),
        "impossible-date-iso.json": _edited(QE, _set("cloture", "dateCloture", value="2023-02-30")),
        "impossible-date-fr.json": _edited(QG_XV, _set("cloture", "dateCloture", value="31/13/2020")),
        "answer-before-question.json": _edited(
            QE, _set("textesReponse", "texteReponse", "infoJO", "dateJO", value="2025-01-02")
        ),
        "no-author.json": _edited(QE, _set("auteur", "identite", "acteurRef", drop=True)),
        "bad-reference.json": _edited(QE, _set("auteur", "identite", "acteurRef", value="../PA721764")),
        "windows-1252.json": _edited(QE, _set("type", value="QE")).decode().encode("cp1252"),
        "empty.json": b"",
        "no-record.json": b'{"data": [1, 2, 3]}',
        "deeply-nested.json": b'{"export": ' * 1000 + b"{}" + b"}" * 1000,
        "error-page.txt": b"<!DOCTYPE html>\n<html><head><title>404</title></head>"
        b"<body><h1>Page introuvable</h1><p>Cette question n'existe pas.</p></body></html>\n",
        "lorem.txt": b"Lorem ipsum dolor sit amet: not a question page, nor a record.\n",
        "invalid.xml": b"<organe><uid>PO855083</uid><libelle>x</organe>\n",
        "xxe.xml": _organe_xml('<!DOCTYPE organe [<!ENTITY e SYSTEM "file:///etc/passwd">]>'),
        "billion-laughs.xml": _organe_xml(
            f'<!DOCTYPE organe [<!ENTITY l0 "lol">{laughs}<!ENTITY e "&l9;">]>'
        ),
        "external-dtd.xml": _organe_xml('<!DOCTYPE organe SYSTEM "http://127.0.0.1:9/organe.dtd">'),
        "not-a-zip.zip": b"PK\x03\x04 this is no zip: a truncated download\n",
        "zip-slip.zip": _slip(organe),
        "zip-bomb.zip": raw_zip([
            Member("json/declared-3GB.json", deflated(b"{}"), 3 * GB, zlib.crc32(b"{}")),
            Member("json/ratio.json", deflated(zeros := bytes(10 * 2**20)), len(zeros), zlib.crc32(zeros)),
            Member("json/lying.json", deflated_zeros(32 * 2**20), 1000, 0),
        ]),
        "extra-keys.json": _extra_keys(),
    }


def _slip(organe: bytes) -> bytes:
    """A zip whose members climb out of the folder they would be extracted to, and a good member."""
    with zipfile.ZipFile(buffer := io.BytesIO(), "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("json/QANR5L15QG1.json", QG_ZIPPED.read_bytes())
        archive.writestr("../../json/QANR5L15QG1.json", _edited(QG_ZIPPED, _set("type", value="QE")))
        archive.writestr("/tmp/organe.json", organe)
        archive.writestr("..\\..\\organe.json", organe)
        archive.writestr("LISEZMOI.html", "<p>Notice</p>")
    return buffer.getvalue()


def main() -> None:
    BAD.mkdir(exist_ok=True)
    for name, data in files().items():
        (BAD / name).write_bytes(data)


if __name__ == "__main__":
    main()
