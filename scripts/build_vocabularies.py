"""Build the rubrique and tête d'analyse SKOS schemes from the DILA SOLON vocabularies.

Usage: python scripts/build_vocabularies.py DIR [--out ontology]

DIR holds AN_rubrique.csv (id,label) and TA_rubrique.csv (id,parent,label) as
published in the SOLON Réponses sources. Writes ontology/rubriques.ttl and
ontology/tetes-analyse.ttl; the same input always gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

# Run from a checkout: make `kg` importable without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kg.text import slugify

ID = "https://w3id.org/questions-kg/id/"
RUBRIQUE_SCHEME = ID + "rubrique"
TA_SCHEME = ID + "tete-analyse"

# The rubrique list opens with the name of the list itself; in TA_rubrique.csv
# it is the "parent" of têtes d'analyse that belong to no single rubrique.
GENERAL_LIST = "Têtes d'analyse : Liste générale"

SOURCE = "SOLON Réponses (DILA) vocabularies"
SOURCE_REPO = (
    "https://github.com/administration-solrep/REP/blob/d35581856d908236359a6365c74580fcd1758743/"
    "reponses-4.0.4-2/reponses-core/src/main/resources/data/vocabularies"
)
# Licence Ouverte / Open Licence 2.0 (Etalab), under which the French State publishes its reference data.
LICENSE = "http://spdx.org/licenses/etalab-2.0"

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_SEE_ALSO = NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"

PREFIXES = {
    "dcterms": DCTERMS,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rubrique": RUBRIQUE_SCHEME + "/",
    "skos": SKOS,
    "ta": TA_SCHEME + "/",
}


def skos(term: str) -> NamedNode:
    """A SKOS core term."""
    return NamedNode(SKOS + term)


def dcterms(term: str) -> NamedNode:
    """A Dublin Core term."""
    return NamedNode(DCTERMS + term)


def clean(label: str) -> str:
    """Label with NFC and single spaces: the files have stray double spaces ("RN  98")."""
    return " ".join(unicodedata.normalize("NFC", label).split())


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a DILA CSV file (UTF-8, optional BOM)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def preferred(labels: Counter[str]) -> tuple[str, list[str]]:
    """Choose the prefLabel among labels sharing a slug; the others become altLabels.

    The most frequent form wins, then the one with more accented letters (an
    unaccented variant is usually a shortcut, "Koweit" for "Koweït"), then code
    point order, so the choice never depends on the order of the rows.
    """
    ranked = sorted(labels, key=lambda label: (-labels[label], -sum(not c.isascii() for c in label), label))
    return ranked[0], ranked[1:]


def group_by_slug(labels: Iterable[str]) -> dict[str, Counter[str]]:
    """Labels grouped by the slug of their URI, with how often each form occurs."""
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    for label in labels:
        groups[slugify(label)][label] += 1
    if "" in groups:
        raise ValueError(f"labels without a slug: {sorted(groups[''])}")
    return groups


def scheme_triples(scheme: str, name_fr: str, name_en: str, source_file: str) -> Iterator[Triple]:
    """The skos:ConceptScheme node of a generated scheme."""
    node = NamedNode(scheme)
    yield Triple(node, RDF_TYPE, skos("ConceptScheme"))
    for predicate in (skos("prefLabel"), dcterms("title")):
        yield Triple(node, predicate, Literal(name_fr, language="fr"))
        yield Triple(node, predicate, Literal(name_en, language="en"))
    yield Triple(node, dcterms("source"), Literal(f"{SOURCE}: {source_file}"))
    yield Triple(node, dcterms("license"), NamedNode(LICENSE))
    yield Triple(node, RDFS_SEE_ALSO, NamedNode(f"{SOURCE_REPO}/{source_file}"))


def concept_triples(scheme: str, slug: str, labels: Counter[str]) -> Iterator[Triple]:
    """A top concept of `scheme` with its preferred and alternative French labels."""
    node = NamedNode(f"{scheme}/{slug}")
    pref, alternatives = preferred(labels)
    yield Triple(node, RDF_TYPE, skos("Concept"))
    yield Triple(node, skos("inScheme"), NamedNode(scheme))
    yield Triple(node, skos("topConceptOf"), NamedNode(scheme))
    yield Triple(node, skos("prefLabel"), Literal(pref, language="fr"))
    for alternative in alternatives:
        yield Triple(node, skos("altLabel"), Literal(alternative, language="fr"))


def rubrique_labels(rows: list[dict[str, str]]) -> dict[str, Counter[str]]:
    """Rubrique labels grouped by slug, without the name of the list."""
    return group_by_slug(label for label in (clean(row["label"]) for row in rows) if label != GENERAL_LIST)


def rubrique_graph(groups: dict[str, Counter[str]]) -> list[Triple]:
    """Triples of the rubrique scheme."""
    triples = list(
        scheme_triples(
            RUBRIQUE_SCHEME,
            "Rubriques de l'Assemblée nationale",
            "Assemblée nationale rubriques",
            "AN_rubrique.csv",
        )
    )
    for slug, forms in groups.items():
        triples.extend(concept_triples(RUBRIQUE_SCHEME, slug, forms))
    return triples


def tete_analyse_graph(rows: list[dict[str, str]], rubriques: set[str]) -> tuple[list[Triple], list[str]]:
    """Triples of the tête d'analyse scheme, and the parents that are not rubriques.

    A tête d'analyse listed under a rubrique gets skos:relatedMatch to it: the
    same label is listed under many rubriques, so it is not narrower than any one.
    """
    groups = group_by_slug(clean(row["label"]) for row in rows)
    related: dict[str, set[str]] = defaultdict(set)
    unknown: set[str] = set()
    for row in rows:
        parent = clean(row["parent"])
        if parent == GENERAL_LIST:
            continue
        if slugify(parent) in rubriques:
            related[slugify(clean(row["label"]))].add(slugify(parent))
        else:
            unknown.add(parent)
    triples = list(
        scheme_triples(
            TA_SCHEME,
            "Têtes d'analyse de l'Assemblée nationale",
            "Assemblée nationale analysis headings",
            "TA_rubrique.csv",
        )
    )
    for slug, forms in groups.items():
        triples.extend(concept_triples(TA_SCHEME, slug, forms))
        node = NamedNode(f"{TA_SCHEME}/{slug}")
        triples.extend(
            Triple(node, skos("relatedMatch"), NamedNode(f"{RUBRIQUE_SCHEME}/{rubrique}"))
            for rubrique in related[slug]
        )
    return triples, sorted(unknown)


def write_turtle(triples: list[Triple], path: Path) -> None:
    """Write sorted triples as Turtle, so that the file is stable across runs.

    Sorting on the bare IRI puts the scheme (a prefix of its concepts' IRIs) first.
    """
    ordered = sorted(set(triples), key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))
    serialize(ordered, str(path), RdfFormat.TURTLE, prefixes=PREFIXES)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder with AN_rubrique.csv and TA_rubrique.csv")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "ontology",
        help="output folder (default: the checkout's ontology/)",
    )
    args = parser.parse_args(argv)

    rubriques = rubrique_labels(read_rows(args.source / "AN_rubrique.csv"))
    tetes, unknown = tete_analyse_graph(read_rows(args.source / "TA_rubrique.csv"), set(rubriques))

    args.out.mkdir(parents=True, exist_ok=True)
    write_turtle(rubrique_graph(rubriques), args.out / "rubriques.ttl")
    write_turtle(tetes, args.out / "tetes-analyse.ttl")
    print(
        f"{len(rubriques)} rubriques, "
        f"{sum(t.predicate == skos('inScheme') for t in tetes)} têtes d'analyse written to {args.out}",
        file=sys.stderr,
    )
    for parent in unknown:
        print(f"warning: parent {parent!r} is not a rubrique; no skos:relatedMatch", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
