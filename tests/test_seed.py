"""The seed question page converts, with the 16th legislature's AMO files, into the expected facts."""

from __future__ import annotations

from conftest import DATA, select, store_of

from kg.convert import convert

SEED = DATA / "seed" / "question-12432.txt"


def _seed_store():
    conversion = convert([SEED, DATA / "an" / "acteurs" / "l16", DATA / "an" / "organes" / "l16"])
    assert not conversion.summary.rejected
    assert not conversion.summary.unresolved
    return store_of(conversion.triples)


def test_seed_core_facts() -> None:
    rows = select(
        _seed_store(),
        """SELECT * WHERE {
          ?q dcterms:identifier "QANR5L16QE12432" ; a qkg:WrittenQuestion , qkg:Question ;
             qkg:number ?number ; qkg:legislature ?leg ; dcterms:title ?title ;
             qkg:rubrique ?rubrique ; qkg:askedBy ?author ; qkg:authorGroup ?group ;
             qkg:addressedTo ?asked ; qkg:answeringMinistry ?answering ;
             dcterms:issued ?issued ; qkg:joPage ?page ; qkg:status ?status ;
             qkg:closedOn ?closed ; qkg:closureReason ?reason ; qkg:text ?text ; foaf:page ?web .
          ?leg qkg:number ?legNumber .
          ?rubrique skos:prefLabel ?rubriqueLabel .
          ?asked skos:prefLabel ?askedLabel .
        }""",
    )
    assert len(rows) == 1
    row = rows[0]
    base = "https://w3id.org/questions-kg/id/"
    assert row["q"] == base + "question/QANR5L16QE12432"
    assert row["number"] == "12432" and row["legNumber"] == "16"
    assert row["title"] == "Hébergement des données de santé"
    assert row["rubrique"] == base + "rubrique/sante" and row["rubriqueLabel"] == "santé"
    assert row["author"] == base + "acteur/PA346782"
    assert row["group"] == base + "organe/PO800508"
    # "Santé et prévention" of the Borne government valid on 2023-10-24, not its namesakes.
    assert row["asked"] == row["answering"] == base + "organe/PO826644"
    assert row["askedLabel"] == "Santé et prévention"
    assert row["issued"] == "2023-10-24" and row["page"] == "9339"
    assert row["status"] == base + "status/withdrawn"
    assert row["closed"] == "2024-06-11" and row["reason"] == "Fin de mandat"
    assert row["web"] == "https://www.assemblee-nationale.fr/dyn/16/questions/QANR5L16QE12432"


def test_seed_author_and_constituency() -> None:
    rows = select(
        _seed_store(),
        """SELECT ?name ?c ?dept ?n ?label WHERE {
          <https://w3id.org/questions-kg/id/acteur/PA346782> foaf:name ?name ; qkg:mandate ?m .
          ?m a qkg:ParliamentaryMandate ; qkg:constituency ?c ;
             qkg:legislature <https://w3id.org/questions-kg/id/legislature/16> .
          ?c qkg:department ?dept ; qkg:number ?n ; rdfs:label ?label .
        }""",
    )
    assert rows == [
        {
            "name": "Philippe Juvin",
            "c": "https://w3id.org/questions-kg/id/constituency/92-3",
            "dept": "92",
            "n": "3",
            "label": "Hauts-de-Seine (3e circonscription)",
        }
    ]


def test_seed_text_is_complete_and_plain() -> None:
    (row,) = select(
        _seed_store(), 'SELECT ?text WHERE { ?q dcterms:identifier "QANR5L16QE12432" ; qkg:text ?text }'
    )
    text = row["text"]
    page = SEED.read_text(encoding="utf-8")
    first = "M. Philippe Juvin interroge M. le ministre de la santé et de la prévention"
    last = "sur les missions stratégiques confiées au health data hub."
    assert text.startswith(first) and text.endswith(last)
    # The page's words, without its emphasis marks; none of its chrome.
    body = page[page.index(first) : page.rindex("*health data hub*.") + len("*health data hub*.")]
    assert text == body.replace("*", "")
    for chrome in ("Données clés", "Auteur :", "ASSEMBLÉE NATIONALE", "](#)", "*"):
        assert chrome not in text


def test_the_page_is_counted_once() -> None:
    summary = convert([SEED], entities=False).summary
    assert summary.records_read == 1 and sum(summary.questions.values()) == 1
