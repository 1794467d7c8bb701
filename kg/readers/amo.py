"""AN open-data AMO referential: acteur and organe objects (JSON, or XML read alike) -> records."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import RecordError
from ..mapping import MANDATE_CLASSES
from ..model import Acteur, Mandate, Organe
from .values import as_list, field, parse_date, parse_int, parse_ref, value

__all__ = ["read_acteur", "read_organe"]


def read_acteur(record: dict[str, Any], source: str) -> Acteur:
    """Map an `acteur` object to an Acteur with its mandates."""
    uid = parse_ref(record.get("uid"), "PA", "uid")
    if uid is None:
        raise RecordError("acteur without uid")
    ident = (record.get("etatCivil") or {}).get("ident") or {}
    birth = ((record.get("etatCivil") or {}).get("infoNaissance")) or {}
    mandates = (record.get("mandats") or {}).get("mandat")
    return Acteur(
        uid=uid,
        source=source,
        civility=field(ident, "civ"),
        given_name=field(ident, "prenom"),
        family_name=field(ident, "nom"),
        birth_date=parse_date(birth.get("dateNais")),
        mandates=tuple(_mandate(m, uid) for m in as_list(mandates) if isinstance(m, dict)),
    )


def _mandate(node: dict[str, Any], acteur: str) -> Mandate:
    uid = parse_ref(node.get("uid"), "PM", "mandate uid")
    if uid is None:
        raise RecordError(f"mandate of {acteur} without uid")
    place = ((node.get("election") or {}).get("lieu")) or {}
    quality = node.get("infosQualite") or {}
    organe_type = field(node, "typeOrgane") or ""
    start, end = parse_date(node.get("dateDebut")), parse_date(node.get("dateFin"))
    if organe_type in MANDATE_CLASSES:  # the AN's committee mandates (COMPER…) may end the day before
        _span(start, end, f"mandate {uid}")  # they start, but the graph leaves those out
    return Mandate(
        uid=uid,
        acteur=acteur,
        organe_type=organe_type,
        organes=tuple(
            ref
            for organe in as_list((node.get("organes") or {}).get("organeRef"))
            if (ref := parse_ref(organe, "PO", "organeRef"))
        ),
        start=start,
        end=end,
        legislature=parse_int(node.get("legislature")),
        role=field(quality, "libQualiteSex") or field(quality, "codeQualite"),
        end_cause=value((node.get("mandature") or {}).get("causeFin")),
        department=field(place, "departement"),
        department_code=field(place, "numDepartement"),
        constituency_number=parse_int(place.get("numCirco")),
    )


def read_organe(record: dict[str, Any], source: str) -> Organe:
    """Map an `organe` object to an Organe."""
    uid = parse_ref(record.get("uid"), "PO", "uid")
    if uid is None:
        raise RecordError("organe without uid")
    validity = record.get("viMoDe") or {}
    start, end = parse_date(validity.get("dateDebut")), parse_date(validity.get("dateFin"))
    _span(start, end, f"organe {uid}")
    return Organe(
        uid=uid,
        code_type=field(record, "codeType") or "",
        source=source,
        label=field(record, "libelle"),
        short_label=field(record, "libelleAbrege"),
        abbreviation=field(record, "libelleAbrev"),
        start=start,
        end=end,
        parent=parse_ref(record.get("organeParent"), "PO", "organeParent"),
        predecessor=parse_ref(record.get("organePrecedentRef"), "PO", "organePrecedentRef"),
        legislature=parse_int(record.get("legislature")),
    )


def _span(start: date | None, end: date | None, what: str) -> None:
    """Nothing that the graph holds ends before it starts (SHACL: startDate <= endDate)."""
    if start and end and end < start:
        raise RecordError(f"{what} ends on {end}, before it starts ({start})")
