"""Build the Wikidata linking tables in linking/ from the third-party files in ../shared/data.

Usage: python scripts/build_linking_tables.py [--data ../shared/data] [--out linking]

Reads the linking files listed in ``../shared/data/linking/MANIFEST.csv`` (ROR, the
name-suggestion-index, partyfacts, everypolitician, the NosDeputes2 Wikidata extract,
two Wikidata entity dumps), the AN organes (``../shared/data/an/organes``) and the
curated gazetteer ``linking/curated-organisations.csv``. Writes:

* ``linking/organisations.csv``       id,label,aliases,class,qid,source
* ``linking/deputies-wikidata.csv``   acteur,qid,label,source
* ``linking/parties-wikidata.csv``    group_abbrev,legislature,group_organe,party_label,party_qid,source

The same inputs always give the same bytes. Conflicts (two sources giving different
QIDs for one row or one acteur) are printed and the QID is left out. The run fails
(exit 1) when a French source record is claimed by no curated row, when an alias
belongs to two rows, or when a parliamentary group has no decision in GROUP_PARTY.
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Run from a checkout: make `kg` importable without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kg.text import fold

ROOT = Path(__file__).resolve().parents[1]

SEP = " | "
QID = re.compile(r"Q[1-9][0-9]*")
CLASSES = {
    "PublicBody",
    "Ministry",
    "Court",
    "Company",
    "Association",
    "Union",
    "PoliticalParty",
    "InternationalOrganisation",
    "Parliament",
    "Media",
    "Hospital",
    "University",
}

# NSI locationSet codes that put an entry in France: the country, metropolitan France,
# the overseas departments and collectivities, and any French region file.
FRENCH_LOCATIONS = {"fr", "fx", "gp", "mq", "gf", "re", "yt", "pm", "bl", "mf", "nc", "pf", "wf", "tf"}

# everypolitician group_wikidata.csv rows that name a parliamentary group or the
# non-inscrits rather than a party: they are not organisations of the gazetteer.
# `en_marche_!` is kept out because its QID (Q30584989) is not the party QID that
# partyfacts gives for La République en marche (Q23731823).
EVERYPOLITICIAN_NOT_PARTIES = {
    "socialiste,_radical_et_citoyen_et_divers_gauche": "group SRC",
    "socialiste,_radical_et_citoyen": "group SRC",
    "apparenté_socialiste,_radical_et_citoyen_et_divers_gauche": "group SRC",
    "gauche_démocrate_et_républicaine": "group GDR",
    "non-inscrit": "non-inscrits",
    "députés_n'appartenant_à_aucun_groupe": "non-inscrits",
    "union_des_radicaux,_centristes,_indépendants_et_démocrates": "group UDI (14th legislature)",
    "en_marche_!": "QID differs from the partyfacts QID of La République en marche",
}

# Party that each parliamentary group (AN organe, codeType GP) of the 15th and 16th
# legislatures mainly corresponds to: an id of organisations.csv, or None when the
# group has no clear party (non-inscrits, cross-party groups).
GROUP_PARTY: dict[str, str | None] = {
    # 15th legislature
    "PO723569": None,  # NI, non inscrits
    "PO730934": "les-republicains",  # LR
    "PO730940": "pcf",  # GDR
    "PO730946": "parti-socialiste",  # NG, Nouvelle Gauche
    "PO730952": "udi",  # LC, Les Constructifs : républicains, UDI, indépendants
    "PO730958": "la-france-insoumise",  # FI
    "PO730964": "renaissance",  # LAREM
    "PO730970": "modem",  # MODEM
    "PO744425": "udi",  # UDI-AGIR
    "PO758835": "parti-socialiste",  # SOC
    "PO759900": None,  # LT, Libertés et Territoires
    "PO765636": "udi",  # UDI-I
    "PO767217": "udi",  # UDI-A-I
    "PO771789": None,  # EDS, Écologie Démocratie Solidarité
    "PO771889": "udi",  # UDI_I
    "PO771923": "agir",  # AGIR-E, Agir ensemble
    "PO774834": "modem",  # DEM
    # 16th legislature
    "PO793087": None,  # NI
    "PO800484": "modem",  # DEM
    "PO800490": "la-france-insoumise",  # LFI-NUPES
    "PO800496": "parti-socialiste",  # SOC
    "PO800502": "pcf",  # GDR-NUPES
    "PO800508": "les-republicains",  # LR
    "PO800514": "horizons",  # HOR
    "PO800520": "rassemblement-national",  # RN
    "PO800526": "eelv",  # ECOLO
    "PO800532": None,  # LIOT
    "PO800538": "renaissance",  # RE
    "PO830170": "parti-socialiste",  # SOC-A
}
GROUP_LEGISLATURES = {"15", "16"}


@dataclass
class Record:
    """One entity of a third-party file: its QIDs and the names it gives."""

    key: str
    qids: set[str] = field(default_factory=set)
    names: list[str] = field(default_factory=list)


def read_json(path: Path) -> object:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def split(cell: str) -> list[str]:
    """Values of a multi-valued cell."""
    return [value.strip() for value in cell.split("|") if value.strip()]


def ror_records(folder: Path) -> dict[str, Record]:
    """ROR records (schema v1 or v2): QIDs from external_ids, non-English names."""
    records = {}
    for path in sorted(folder.glob("*.json")):
        data = read_json(path)
        assert isinstance(data, dict)
        record = Record("ror:" + path.stem)
        if "names" in data:  # schema v2
            for entry in data.get("external_ids", []):
                if entry["type"] == "wikidata":
                    record.qids.update(entry["all"])
            record.names = [n["value"] for n in data["names"] if n.get("lang") != "en"]
        else:
            wikidata = data.get("external_ids", {}).get("Wikidata", {})
            all_ids = wikidata.get("all", [])
            record.qids.update([all_ids] if isinstance(all_ids, str) else all_ids)
            labels = [label["label"] for label in data.get("labels", []) if label.get("iso639") != "en"]
            record.names = [data["name"], *data.get("aliases", []), *data.get("acronyms", []), *labels]
        record.names = [name.strip() for name in record.names]
        records[record.key] = record
    return records


def is_french(location_set: dict[str, list[object]]) -> bool:
    for code in location_set.get("include", []):
        if isinstance(code, str):
            code = code.lower()
            if code in FRENCH_LOCATIONS or code.startswith("fr-"):
                return True
    return False


def nsi_records(folder: Path) -> dict[str, Record]:
    """Name-suggestion-index entries located in France: operator/brand QIDs and names."""
    records = {}
    for path in sorted(folder.rglob("*.json")):
        data = read_json(path)
        assert isinstance(data, dict)
        for item in data["items"]:
            if not is_french(item.get("locationSet", {})):
                continue
            tags = item["tags"]
            record = Record("nsi:" + item["id"])
            record.qids.update(tags[k] for k in ("operator:wikidata", "brand:wikidata") if k in tags)
            record.names = [tags[k] for k in ("operator", "brand", "name", "operator:short") if k in tags]
            records[record.key] = record
    return records


def partyfacts_records(path: Path) -> dict[str, Record]:
    """partyfacts rows of France."""
    records = {}
    for row in read_csv(path):
        if row["country"] == "FRA":
            record = Record("partyfacts:" + row["partyfacts_id"], {row["wikidata_id"]})
            record.names = [row[k] for k in ("name_native", "name_short") if row[k]]
            records[record.key] = record
    return records


def everypolitician_group_records(path: Path) -> dict[str, Record]:
    """everypolitician party slugs and their QIDs, without the parliamentary groups."""
    return {
        "everypolitician:" + row["id"]: Record("everypolitician:" + row["id"], {row["wikidata"]})
        for row in read_csv(path)
        if row["id"] not in EVERYPOLITICIAN_NOT_PARTIES
    }


def wikidata_extract_records(folder: Path) -> dict[str, Record]:
    """Wikibase entity dumps: the entity id, its French label and aliases."""
    records = {}
    for path in sorted(folder.glob("*_entity.json")):
        data = read_json(path)
        assert isinstance(data, dict)
        for qid, entity in data["entities"].items():
            record = Record("wikidata-extract:" + qid, {qid})
            label = entity.get("labels", {}).get("fr")
            record.names = ([label["value"]] if label else []) + [
                alias["value"] for alias in entity.get("aliases", {}).get("fr", [])
            ]
            records[record.key] = record
    return records


def clean_aliases(label: str, aliases: Iterable[str]) -> list[str]:
    """Aliases without repeats: two names with the same fold() are one name."""
    seen = {fold(label)}
    kept = []
    for alias in aliases:
        key = fold(alias)
        if key and key not in seen:
            seen.add(key)
            kept.append(alias)
    return kept


def build_organisations(
    curated: list[dict[str, str]], sources: dict[str, Record], problems: list[str], notes: list[str]
) -> list[dict[str, str]]:
    """Merge the curated rows with the QIDs of the source records they claim."""
    claimed: dict[str, str] = {}
    rows = []
    for row in curated:
        keys = split(row["match"])
        qids: set[str] = set()
        for key in keys:
            if key not in sources:
                problems.append(f"{row['id']}: unknown source record {key}")
                continue
            if key in claimed:
                problems.append(f"{key} is claimed by {claimed[key]} and {row['id']}")
            claimed[key] = row["id"]
            qids |= sources[key].qids
        source = list(keys)
        if row["qid"]:
            if qids and qids != {row["qid"]}:
                notes.append(f"QID conflict for {row['id']}: curated {row['qid']}, sources {sorted(qids)}")
            qids.add(row["qid"])
            source.append("curated")
        if len(qids) > 1:
            detail = ", ".join(
                f"{k} {'/'.join(sorted(sources[k].qids))}" for k in keys if k in sources and sources[k].qids
            )
            notes.append(f"QID conflict for {row['id']}: {detail}; QID left empty")
            qids = set()
        aliases = clean_aliases(row["label"], split(row["aliases"]))
        known = {fold(name) for name in [row["label"], *aliases]}
        for key in keys:
            for name in sources[key].names if key in sources else []:
                if fold(name) not in known:
                    known.add(fold(name))
                    notes.append(f"{row['id']}: name of {key} not used as alias: {name!r}")
        rows.append(
            {
                "id": row["id"],
                "label": row["label"],
                "aliases": SEP.join(aliases),
                "class": row["class"],
                "qid": next(iter(qids), ""),
                "source": SEP.join(source) or "curated",
            }
        )
    for key in sorted(set(sources) - set(claimed)):
        record = sources[key]
        problems.append(f"source record claimed by no row: {key} {sorted(record.qids)} {record.names}")
    return sorted(rows, key=lambda r: r["id"])


def check_organisations(rows: list[dict[str, str]], problems: list[str]) -> None:
    """Ids unique slugs, known classes, valid QIDs, each QID and each name on one row."""
    owners: dict[str, set[str]] = defaultdict(set)
    qid_owners: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row["id"]):
            problems.append(f"id is not a slug: {row['id']}")
        if row["class"] not in CLASSES:
            problems.append(f"{row['id']}: unknown class {row['class']}")
        if row["qid"]:
            if not QID.fullmatch(row["qid"]):
                problems.append(f"{row['id']}: bad QID {row['qid']}")
            qid_owners[row["qid"]].add(row["id"])
        for name in [row["label"], *split(row["aliases"])]:
            owners[fold(name)].add(row["id"])
    ids = [row["id"] for row in rows]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"duplicate id {duplicate}")
    for name, ids_ in sorted(owners.items()):
        if len(ids_) > 1:
            problems.append(f"name {name!r} belongs to several rows: {sorted(ids_)}")
    for qid, ids_ in sorted(qid_owners.items()):
        if len(ids_) > 1:
            problems.append(f"QID {qid} on several rows: {sorted(ids_)}")


def build_deputies(linking: Path, notes: list[str]) -> list[dict[str, str]]:
    """AN acteur uid -> person QID from NosDeputes2 (16th) and everypolitician (15th)."""
    found: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)  # acteur -> source -> (qid, label)
    data = read_json(linking / "deputes" / "nosdeputes2_wikidata_deputes_l16.json")
    assert isinstance(data, dict)
    for binding in data["results"]["bindings"]:
        qid = binding["item"]["value"].rsplit("/", 1)[1]
        label = binding.get("itemLabel", {}).get("value", "")
        found["PA" + binding["id_an"]["value"]]["nosdeputes2"] = (qid, label)
    for row in read_csv(linking / "deputes" / "everypolitician_term-15.csv"):
        photo = re.search(r"/photos/(\d+)\.jpg$", row["image"])
        if photo and row["wikidata"]:
            acteur = "PA" + photo.group(1)
            previous = found[acteur].get("everypolitician")
            if previous and previous[0] != row["wikidata"]:
                notes.append(f"{acteur}: everypolitician rows disagree: {previous[0]} {row['wikidata']}")
            found[acteur]["everypolitician"] = (row["wikidata"], row["name"])
    rows = []
    for acteur, by_source in found.items():
        qids = {qid for qid, _ in by_source.values()}
        if len(qids) > 1:
            notes.append(f"{acteur}: sources disagree {sorted(by_source.items())}; no QID kept")
            continue
        label = next((label for _, label in by_source.values() if label), "")
        source = SEP.join(sorted(by_source))
        rows.append({"acteur": acteur, "qid": qids.pop(), "label": label, "source": source})
    owners: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        owners[row["qid"]].append(row["acteur"])
    for qid, acteurs in sorted(owners.items()):
        if len(acteurs) > 1:
            notes.append(f"{qid} is given for several acteurs {sorted(acteurs)}; none kept")
    rows = [row for row in rows if len(owners[row["qid"]]) == 1]
    return sorted(rows, key=lambda r: r["acteur"])


def read_groups(organes: Path, problems: list[str]) -> dict[str, dict[str, str]]:
    """Parliamentary group organes (codeType GP) of the legislatures in GROUP_LEGISLATURES."""
    groups: dict[str, dict[str, str]] = {}
    for name in sorted(glob.glob(str(organes / "*" / "*.json"))):
        data = read_json(Path(name))
        assert isinstance(data, dict)
        organe = data.get("organe", data)
        if organe.get("codeType") != "GP" or organe.get("legislature") not in GROUP_LEGISLATURES:
            continue
        group = {k: organe[k] for k in ("uid", "legislature", "libelle", "libelleAbrev")}
        if groups.setdefault(group["uid"], group) != group:
            problems.append(f"{group['uid']} differs between dumps: {groups[group['uid']]} {group}")
    return groups


def build_parties(
    groups: dict[str, dict[str, str]], organisations: list[dict[str, str]], problems: list[str]
) -> list[dict[str, str]]:
    """One row per group: the party of GROUP_PARTY with its QID from organisations.csv."""
    by_id = {row["id"]: row for row in organisations}
    rows = []
    for uid, group in groups.items():
        if uid not in GROUP_PARTY:
            problems.append(f"group {uid} {group['libelleAbrev']} {group['libelle']!r} is not in GROUP_PARTY")
            continue
        party = by_id.get(GROUP_PARTY[uid] or "", {})
        if GROUP_PARTY[uid] and not party:
            problems.append(f"group {uid}: party {GROUP_PARTY[uid]} is not in organisations.csv")
        rows.append(
            {
                "group_abbrev": group["libelleAbrev"],
                "legislature": group["legislature"],
                "group_organe": uid,
                "party_label": party.get("label", ""),
                "party_qid": party.get("qid", ""),
                "source": party.get("source", ""),
            }
        )
    for uid in sorted(set(GROUP_PARTY) - set(groups)):
        problems.append(f"GROUP_PARTY names {uid}, which is not a group of the organes")
    return sorted(rows, key=lambda r: (int(r["legislature"]), r["group_organe"]))


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "linking")
    parser.add_argument("-v", "--verbose", action="store_true", help="list source names not used as aliases")
    args = parser.parse_args(argv)
    linking = args.data / "linking"
    problems: list[str] = []
    notes: list[str] = []

    sources: dict[str, Record] = {}
    sources |= ror_records(linking / "organismes" / "ror")
    sources |= nsi_records(linking / "organismes" / "nsi")
    sources |= partyfacts_records(linking / "partis" / "partyfacts_wikidata.csv")
    sources |= everypolitician_group_records(linking / "partis" / "everypolitician_group_wikidata.csv")
    sources |= wikidata_extract_records(linking / "wikidata_extracts")

    curated = read_csv(args.out / "curated-organisations.csv")
    organisations = build_organisations(curated, sources, problems, notes)
    check_organisations(organisations, problems)
    deputies = build_deputies(linking, notes)
    parties = build_parties(read_groups(args.data / "an" / "organes", problems), organisations, problems)
    for row in deputies:
        if not QID.fullmatch(row["qid"]):
            problems.append(f"{row['acteur']}: bad QID {row['qid']}")

    unused = [note for note in notes if "not used as alias" in note]
    for note in notes:
        if args.verbose or note not in unused:
            print(note, file=sys.stderr)
    if unused and not args.verbose:
        print(f"{len(unused)} source names not used as aliases (--verbose lists them)", file=sys.stderr)
    if problems:
        for problem in problems:
            print("error:", problem, file=sys.stderr)
        return 1

    columns = ["id", "label", "aliases", "class", "qid", "source"]
    write_csv(args.out / "organisations.csv", organisations, columns)
    write_csv(args.out / "deputies-wikidata.csv", deputies, ["acteur", "qid", "label", "source"])
    write_csv(
        args.out / "parties-wikidata.csv",
        parties,
        ["group_abbrev", "legislature", "group_organe", "party_label", "party_qid", "source"],
    )
    with_qid = sum(1 for row in organisations if row["qid"])
    print(
        f"organisations.csv: {len(organisations)} rows ({with_qid} with a QID); "
        f"deputies-wikidata.csv: {len(deputies)} rows; parties-wikidata.csv: {len(parties)} rows",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
