"""Write triples in the RDF syntaxes users ask for, with pyoxigraph."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from pyoxigraph import DefaultGraph, Quad, RdfFormat, Triple, serialize

from .vocab import BASE, DCTERMS, FOAF, PROV, QKG, RDFS, SKOS, XSD

__all__ = ["FORMATS", "PREFIXES", "write_quads", "write_rdf"]

FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "trig": RdfFormat.TRIG,
    "nquads": RdfFormat.N_QUADS,
    "jsonld": RdfFormat.JSON_LD,
    "xml": RdfFormat.RDF_XML,
}
_QUAD_FORMATS = {"trig", "nquads"}

PREFIXES = {
    "qkg": str(QKG._NS),
    "question": BASE + "id/question/",
    "answer": BASE + "id/answer/",
    "acteur": BASE + "id/acteur/",
    "organe": BASE + "id/organe/",
    "mandate": BASE + "id/mandate/",
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "prov": str(PROV),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "org": "http://www.w3.org/ns/org#",
    "wd": "http://www.wikidata.org/entity/",
    "entity": BASE + "id/entity/",
    "legal": BASE + "id/legal/",
}


def write_rdf(triples: Iterable[Triple], output: IO[bytes], fmt: str) -> None:
    """Serialise triples to a binary stream in one of FORMATS."""
    if fmt in _QUAD_FORMATS:
        graph = DefaultGraph()
        serialize((Quad(t.subject, t.predicate, t.object, graph) for t in triples), output, FORMATS[fmt])
    else:
        serialize(triples, output, FORMATS[fmt], prefixes=PREFIXES)


def write_quads(quads: Iterable[Quad], output: IO[bytes], fmt: str) -> None:
    """Serialise quads, graphs kept, as TriG or N-Quads."""
    if fmt not in _QUAD_FORMATS:
        raise ValueError(f"{fmt} cannot hold named graphs")
    serialize(quads, output, FORMATS[fmt], **({"prefixes": PREFIXES} if fmt == "trig" else {}))
