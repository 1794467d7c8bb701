"""AN open-data AMO referential: acteur and organe objects (JSON, or XML read alike) -> records."""

from __future__ import annotations

from typing import Any

from ..errors import RecordError
from ..model import Acteur, Mandate, Organe
from .values import as_list, parse_date, parse_int, value

__all__ = ["read_acteur", "read_organe"]


def read_acteur(record: dict[str, Any], source: str) -> Acteur:
    """Map an `acteur` object to an Acteur with its mandates."""
    uid = value(record.get("uid"))
    if uid is None or not uid.startswith("PA"):
        raise RecordError(f"acteur without a PA uid: {uid!r}")
    ident = (record.get("etatCivil") or {}).get("ident") or {}
    birth = ((record.get("etatCivil") or {}).get("infoNaissance")) or {}
    mandates = (record.get("mandats") or {}).get("mandat")
    return Acteur(
        uid=uid,
        source=source,
        civility=value(ident.get("civ")),
        given_name=value(ident.get("prenom")),
        family_name=value(ident.get("nom")),
        birth_date=parse_date(birth.get("dateNais")),
        mandates=tuple(_mandate(m, uid) for m in as_list(mandates) if isinstance(m, dict)),
    )


def _mandate(node: dict[str, Any], acteur: str) -> Mandate:
    uid = value(node.get("uid"))
    if uid is None:
        raise RecordError(f"mandate of {acteur} without uid")
    place = ((node.get("election") or {}).get("lieu")) or {}
    quality = node.get("infosQualite") or {}
    return Mandate(
        uid=uid,
        acteur=acteur,
        organe_type=value(node.get("typeOrgane")) or "",
        organes=tuple(
            r for r in (value(o) for o in as_list((node.get("organes") or {}).get("organeRef"))) if r
        ),
        start=parse_date(node.get("dateDebut")),
        end=parse_date(node.get("dateFin")),
        legislature=parse_int(node.get("legislature")),
        role=value(quality.get("libQualiteSex")) or value(quality.get("codeQualite")),
        end_cause=value((node.get("mandature") or {}).get("causeFin")),
        department=value(place.get("departement")),
        department_code=value(place.get("numDepartement")),
        constituency_number=parse_int(place.get("numCirco")),
    )


def read_organe(record: dict[str, Any], source: str) -> Organe:
    """Map an `organe` object to an Organe."""
    uid = value(record.get("uid"))
    if uid is None or not uid.startswith("PO"):
        raise RecordError(f"organe without a PO uid: {uid!r}")
    validity = record.get("viMoDe") or {}
    return Organe(
        uid=uid,
        code_type=value(record.get("codeType")) or "",
        source=source,
        label=value(record.get("libelle")),
        short_label=value(record.get("libelleAbrege")),
        abbreviation=value(record.get("libelleAbrev")),
        start=parse_date(validity.get("dateDebut")),
        end=parse_date(validity.get("dateFin")),
        parent=value(record.get("organeParent")),
        predecessor=value(record.get("organePrecedentRef")),
        legislature=parse_int(record.get("legislature")),
    )
