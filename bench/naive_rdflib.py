"""A naive AN-questions-to-RDF converter, written the way a user would with rdflib.

This is the baseline that `bench/scale.py` times `kg convert --no-entities` against: it walks a folder
of the Assemblée nationale's per-record JSON files, adds each triple to an in-memory `rdflib.Graph`
with `Graph.add`, and serialises the graph to Turtle at the end. It maps the core fields of a question
(type, identifiers, title, rubrique, author, group, ministry, dates, texts and answers) with the real
converter's namespaces and IRI patterns (its answers are numbered `{uid}-1`, `{uid}-2`, ...), and a
`foaf:name` for each acteur; organes are skipped. Files that fail are counted and skipped.

    python bench/naive_rdflib.py FOLDER -o OUT.ttl
"""

import argparse
import json
import sys
from pathlib import Path

import lxml.html
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace
from rdflib.namespace import DCTERMS, FOAF

BASE = "https://w3id.org/questions-kg/"
QKG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")


def value(data, *keys):
    """Follow `keys` into nested dicts; None for a missing key or an xsi:nil, the first item of a list."""
    for key in keys:
        if isinstance(data, list):
            data = data[0] if data else None
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    if isinstance(data, list):
        data = data[0] if data else None
    if isinstance(data, dict) and "@xsi:nil" in data:
        return None
    return data


def as_list(data):
    """A single object or a list of them, as a list."""
    if data is None:
        return []
    return data if isinstance(data, list) else [data]


def strip_html(fragment):
    """The text of an HTML fragment."""
    return lxml.html.fromstring(f"<div>{fragment}</div>").text_content().strip()


def iso_date(date):
    """An xsd:date literal; the older dumps write dates as DD/MM/YYYY."""
    if "/" in date:
        day, month, year = date.split("/")
        date = f"{year}-{month}-{day}"
    return Literal(date, datatype=XSD.date)


def add_question(graph, question):
    """Add the triples of one question and its answers."""
    uid = question["uid"]
    q = ID[f"question/{uid}"]
    graph.add((q, RDF.type, QKG.Question))
    graph.add((q, DCTERMS.identifier, Literal(uid)))
    graph.add((q, QKG.number, Literal(int(value(question, "identifiant", "numero")))))
    graph.add((q, QKG.legislature, Literal(int(value(question, "identifiant", "legislature")))))
    graph.add((q, QKG.questionType, Literal(question["type"])))
    indexation = question.get("indexationAN")
    if title := value(indexation, "analyses", "analyse") or value(indexation, "ANALYSE", "ANA"):  # l15
        graph.add((q, DCTERMS.title, Literal(title, lang="fr")))
    if rubrique := value(indexation, "rubrique"):
        graph.add((q, QKG.rubrique, Literal(rubrique, lang="fr")))
    if acteur := value(question, "auteur", "identite", "acteurRef"):
        graph.add((q, QKG.askedBy, ID[f"acteur/{acteur}"]))
    group = value(question, "auteur", "groupe", "organeRef")
    if group and group != "POnull":  # non-inscrits have no group
        graph.add((q, QKG.authorGroup, ID[f"organe/{group}"]))
    if ministry := value(question, "minInt", "organeRef"):
        graph.add((q, QKG.addressedTo, ID[f"organe/{ministry}"]))
        if label := value(question, "minInt", "abrege") or value(question, "minInt", "developpe"):
            graph.add((ID[f"organe/{ministry}"], RDFS.label, Literal(label, lang="fr")))
    if text := value(question, "textesQuestion", "texteQuestion"):
        if date := value(text, "infoJO", "dateJO"):
            graph.add((q, DCTERMS.issued, iso_date(date)))
        if body := value(text, "texte"):
            graph.add((q, QKG.text, Literal(strip_html(body), lang="fr")))
    answers = value(question, "textesReponse") or {}
    for index, answer in enumerate(as_list(answers.get("texteReponse")), start=1):
        a = ID[f"answer/{uid}-{index}"]
        graph.add((q, QKG.answer, a))
        graph.add((a, RDF.type, QKG.Answer))
        if date := value(answer, "infoJO", "dateJO"):
            graph.add((a, DCTERMS.issued, iso_date(date)))
        if body := value(answer, "texte"):
            graph.add((a, QKG.text, Literal(strip_html(body), lang="fr")))


def add_acteur(graph, acteur):
    """Add an acteur's name."""
    ref = value(acteur, "uid", "#text") or value(acteur, "uid")
    ident = value(acteur, "etatCivil", "ident")
    name = f"{value(ident, 'prenom') or ''} {value(ident, 'nom') or ''}".strip()
    if ref and name:
        graph.add((ID[f"acteur/{ref}"], FOAF.name, Literal(name)))


def main():
    """Convert every JSON file under the folder and write the graph as Turtle."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()

    graph = Graph()
    graph.bind("qkg", QKG)
    graph.bind("dcterms", DCTERMS)
    graph.bind("foaf", FOAF)
    skipped = 0
    for path in sorted(args.folder.rglob("*.json")):
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            if "question" in data:
                add_question(graph, data["question"])
            elif "acteur" in data:
                add_acteur(graph, data["acteur"])
        except Exception:
            skipped += 1
    graph.serialize(destination=str(args.output), format="turtle")
    questions = len(set(graph.subjects(RDF.type, QKG.Question)))  # a uid found in two dumps counts once
    print(f"naive: {questions} questions, {len(graph)} triples, {skipped} files skipped", file=sys.stderr)


if __name__ == "__main__":
    main()
