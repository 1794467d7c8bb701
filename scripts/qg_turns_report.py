"""How well the QG transcripts of a corpus read as conversations: who asked, who answered.

Usage: python scripts/qg_turns_report.py PATH...   (question files with their AMO acteurs and organes)
Prints the share of QGs with a turn of the asking deputy and one of a member of the government,
the files lacking either, the share of answering ministers resolved to an acteur, and the QGs
whose asking deputy, told by the transcript, is not the recorded author.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pyoxigraph import Quad, Store

from kg.convert import convert

ROLE = "https://w3id.org/questions-kg/id/speaker-role/"
ACTEUR = "https://w3id.org/questions-kg/id/acteur/"
PREFIXES = """PREFIX qkg: <https://w3id.org/questions-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""


def rows(store: Store, query: str) -> list[dict[str, str]]:
    result = store.query(PREFIXES + query)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def uids(store: Store, pattern: str) -> set[str]:
    found = rows(store, f"SELECT DISTINCT ?q WHERE {{ ?q a qkg:GovernmentQuestion . {pattern} }}")
    return {row["q"].rsplit("/", 1)[1] for row in found}


def main(paths: list[Path]) -> None:
    store = Store()
    store.extend(Quad(t.subject, t.predicate, t.object) for t in convert(paths, entities=False).triples)
    qgs = uids(store, "")
    asking = uids(store, f"?q qkg:turn/qkg:speakerRole <{ROLE}asking-deputy>")
    answering = uids(store, f"?q qkg:turn/qkg:speakerRole <{ROLE}answering-minister>")
    both = asking & answering
    print(f"QG questions: {len(qgs)}")
    print(f"with an asking deputy's turn and a minister's turn: {len(both)} ({len(both) / len(qgs):.2%})")
    for uid in sorted(qgs - both):
        lacks = [side for side, found in (("deputy", asking), ("minister", answering)) if uid not in found]
        print(f"  lacking {' and '.join(lacks)}: {uid}")

    ministers = rows(
        store,
        f"""SELECT ?minister (COUNT(DISTINCT ?q) AS ?n) WHERE {{
              ?q qkg:turn [ qkg:speakerRole <{ROLE}answering-minister> ; qkg:speaker ?minister ] }}
            GROUP BY ?minister""",
    )
    resolved = [m for m in ministers if m["minister"].startswith(ACTEUR)]
    signed = uids(store, f"?q qkg:answer/dcterms:creator ?p . FILTER(STRSTARTS(STR(?p), '{ACTEUR}'))")
    print(f"members of the government answering: {len(ministers)}, resolved to an acteur: {len(resolved)}")
    print(
        f"QGs whose answer an acteur signs: {len(signed)} of {len(both)} ({len(signed) / len(both):.1%})"
    )
    unresolved = rows(
        store,
        f"""SELECT (MIN(?name) AS ?printed) (COUNT(DISTINCT ?q) AS ?n) WHERE {{
              ?q qkg:turn [ qkg:speakerRole <{ROLE}answering-minister> ; qkg:speaker ?minister ] .
              ?minister foaf:name ?name . FILTER(!STRSTARTS(STR(?minister), '{ACTEUR}')) }}
            GROUP BY ?minister ORDER BY DESC(?n)""",
    )
    named = ", ".join(f"{r['printed']} ({r['n']})" for r in unresolved)
    print(f"  unresolved (no acteur of that name): {named}")

    told = rows(
        store,
        f"""SELECT DISTINCT ?q ?author ?speaker WHERE {{
              ?q qkg:askedBy ?author ;
                 qkg:turn [ qkg:speakerRole <{ROLE}asking-deputy> ; qkg:speaker ?speaker ] .
              FILTER(STRSTARTS(STR(?speaker), '{ACTEUR}')) }}""",
    )
    differing = sorted({r["q"].rsplit("/", 1)[1] for r in told if r["speaker"] != r["author"]})
    told_uids = {r["q"] for r in told}
    print(f"asking deputy told by the label: {len(told_uids)} QGs; the author in all but {differing}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main([Path(arg) for arg in sys.argv[1:]])
