"""Links to Wikidata: the tables shipped in linking/, or their refresh from a Wikidata SPARQL endpoint.

Deputies are linked by Wikidata's property P4123 (the AN identifier, "PA" left out). `kg link` asks an
endpoint for every P4123 value and caches the answer; later conversions use the cached table instead
of the shipped one, which it replaces whole (Wikidata's current state wins).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from .errors import KGError
from .mentions import organisations
from .model import Organe
from .remote import RemoteEndpoint
from .resources import resource_dir
from .results import Solutions

__all__ = ["DEFAULT_CACHE", "Links", "refresh_deputies"]

DEFAULT_CACHE = platformdirs.user_cache_path("questions-kg") / "wikidata"
DEPUTIES = "deputies-wikidata.csv"
DEPUTIES_QUERY = """PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?item ?id (SAMPLE(?name) AS ?label) WHERE {
  ?item wdt:P4123 ?id .
  OPTIONAL { ?item rdfs:label ?name . FILTER(LANG(?name) = "fr") }
}
GROUP BY ?item ?id"""
_QID = re.compile(r"^http://www\.wikidata\.org/entity/(Q[0-9]+)$")


@dataclass(frozen=True)
class Links:
    """Wikidata QIDs: of deputies by acteur uid, of the party of each parliamentary group by organe uid."""

    deputies: Mapping[str, str] = field(default_factory=dict)
    parties: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, cache: Path | None = None) -> Links:
        """The shipped tables; the deputies of a refreshed table in `cache` instead, if there is one."""
        shipped = resource_dir("linking")
        refreshed = cache / DEPUTIES if cache is not None else None
        table = refreshed if refreshed is not None and refreshed.is_file() else shipped / DEPUTIES
        with table.open(encoding="utf-8") as f:
            deputies = {row["acteur"]: row["qid"] for row in csv.DictReader(f) if row["qid"]}
        with (shipped / "parties-wikidata.csv").open(encoding="utf-8") as f:
            parties = {row["group_organe"]: row["party_qid"] for row in csv.DictReader(f) if row["party_qid"]}
        return cls(deputies, parties)

    def of_organe(self, organe: Organe) -> str | None:
        """The QID of a group's party, or of a ministry found by its name in the organisations list."""
        if organe.code_type == "MINISTERE" and organe.label:
            entry = organisations().closest(organe.label)
            return entry.qid if entry is not None and entry.entity_class == "Ministry" else None
        return self.parties.get(organe.uid)


def refresh_deputies(endpoint: RemoteEndpoint, cache: Path) -> int:
    """Ask the endpoint for the deputies' QIDs (P4123) and cache them; the number of deputies."""
    answer = endpoint.query(DEPUTIES_QUERY)
    assert isinstance(answer, Solutions)
    rows: dict[str, tuple[str, str]] = {}
    for item, number, label in answer.rows:
        qid = _QID.match(item.value) if item is not None else None
        if qid and number is not None and number.value.isdigit():
            acteur = f"PA{number.value}"
            # An acteur with two items is ambiguous: keep the smallest QID, as Wikidata's oldest item.
            if acteur not in rows or int(qid[1][1:]) < int(rows[acteur][0][1:]):
                rows[acteur] = (qid[1], label.value if label is not None else "")
    if not rows:
        raise KGError(f"{endpoint.query_url} knows no deputy by their AN identifier (wdt:P4123)")
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / DEPUTIES).open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["acteur", "qid", "label", "source"])
        for acteur in sorted(rows, key=lambda uid: int(uid[2:])):
            writer.writerow([acteur, *rows[acteur], endpoint.query_url])
    return len(rows)
