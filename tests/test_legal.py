"""Legal references in real parliamentary sentences: kinds, canonical identities, ELI URIs and offsets.

Every sentence below is copied from a real text and cited next to it: `qg:<folder>/<uid>` is the plain
text (`html_to_text`) of the answers (`textesReponse`) of an/questions/qg/<folder>/<uid>.json,
`qosd:<index>` the `question` column of more/qosd_csv/legislature_qosd.csv at that `index`, `seed` the
page text tests/data/seed/question-12432.txt. `test_sentences_are_real` checks each citation against
the shared corpus. Examples the brief gives that no real text of the corpus contains are kept apart, in
BRIEF_EXAMPLES.
"""

from __future__ import annotations

import csv
import datetime
import json
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import DATA

from kg.legal import LegalReference, find_legal_references, jorftext, legitext
from kg.text import html_to_text

SEED = DATA / "seed" / "question-12432.txt"
KINDS = {
    "loi", "loi-organique", "ordonnance", "decret", "arrete", "circulaire", "code", "code-article",
    "constitution", "constitution-article", "eu-regulation", "eu-directive", "eu-decision", "named-law",
    "foreign-act", "treaty",
}  # fmt: skip
LEGIFRANCE = "https://www.legifrance.gouv.fr/eli/"

# (source, sentence, [(surface, kind, key), ...]) with the expected values written by hand.
CASES = [
    # --- lois, ordonnances, décrets, arrêtés, circulaires -----------------------------------------------
    ("qg:l15/QANR5L15QG4559",
     "Vous avez rappelé la loi du 24 juillet 2019 qui a concrétisé ces progrès dans la législation "
     "nationale.",
     [("loi du 24 juillet 2019", "loi", "loi-2019-07-24")]),
    ("qg:l15/QANR5L15QG2342",
     "Le décret no 2018-919 du 26 octobre 2018, qui encadre l'expérimentation par Bercy de la fonction de "
     "médiateur des entreprises",
     [("décret no 2018-919 du 26 octobre 2018", "decret", "decret-2018-919")]),
    ("qg:l15/QANR5L15QG4109",
     "les articles 13 et 14 de la loi organique no 2004-192 portant statut d'autonomie de la Polynésie",
     [("loi organique no 2004-192", "loi-organique", "loi-organique-2004-192")]),
    ("qg:l15/QANR5L15QG2276",
     "contrôle des établissements privés hors contrat \u2013 loi no 2018-266 du 13 avril 2018 \u2013 : "
     "parce que",
     [("loi no 2018-266 du 13 avril 2018", "loi", "loi-2018-266")]),
    ("qg:l16/QANR5L16QG1753",
     "par la loi du 1er juin 2021 \u2013 celle dont vous disiez",
     [("loi du 1er juin 2021", "loi", "loi-2021-06-01")]),
    ("qg:l15/QANR5L15QG1417",
     "le cadre juridique a été fixé par les décrets du 18 juillet 2018 comme cela nous avait été demandé.",
     [("décrets du 18 juillet 2018", "decret", "decret-2018-07-18")]),
    ("qosd:17",
     "La loi n° 2015-990 du 6 août 2015 pour la croissance, l'activité et l'égalité des chances "
     "économiques a introduit la possibilité pour des intervenants extérieurs d'intervenir dans les "
     "établissements pour l'examen du code de la route",
     [("loi n° 2015-990 du 6 août 2015", "loi", "loi-2015-990"),
      ("code de la route", "code", "code-route")]),
    ("qosd:381",
     "Le décret n° 2016-1460 du 28 octobre 2016 a modifié le décret n° 55-1397 du 22 octobre 1955 instituant "
     "une carte d'identité.",
     [("décret n° 2016-1460 du 28 octobre 2016", "decret", "decret-2016-1460"),
      ("décret n° 55-1397 du 22 octobre 1955", "decret", "decret-55-1397")]),
    ("qosd:325",
     "l'entrée en vigueur de l'ordonnance n° 2017-1717 du 20 décembre 2017 et du décret n° 2017-1871 du 29 "
     "décembre 2017 qui transposent la directive « Travel ».",
     [("ordonnance n° 2017-1717 du 20 décembre 2017", "ordonnance", "ordonnance-2017-1717"),
      ("décret n° 2017-1871 du 29 décembre 2017", "decret", "decret-2017-1871")]),
    ("qosd:395",
     "prévu à titre expérimental pour 2 années par l'article 114 de la loi n° 2016 - 731 du 3 juin 2016.",
     [("loi n° 2016 - 731 du 3 juin 2016", "loi", "loi-2016-731")]),
    ("qosd:220",
     "Suite à la loi n° 2016-297 du 14 mars 2013, le décret n° 2016-840 du 24 juin 2016 précise",
     [("loi n° 2016-297 du 14 mars 2013", "loi", "loi-2016-297"),
      ("décret n° 2016-840 du 24 juin 2016", "decret", "decret-2016-840")]),
    ("qosd:322",  # non-breaking spaces around the date, as in the file
     "La loi n° 2016-1691 du\u00a09 décembre 2016\u00a0relative à la transparence",
     [("loi n° 2016-1691 du\u00a09 décembre 2016", "loi", "loi-2016-1691")]),
    ("qosd:317",
     "conformément à la circulaire n° 2012-202 du 18-12-2012, les enfants de moins de 3 ans",
     [("circulaire n° 2012-202 du 18-12-2012", "circulaire", "circulaire-2012-202")]),
    ("qg:l15/QANR5L15QG2071",
     "La circulaire du 5 juin 2019 dédiée à l'école inclusive détaille des dispositions nouvelles",
     [("circulaire du 5 juin 2019", "circulaire", "circulaire-2019-06-05")]),
    ("qosd:110",
     "Parallèlement, un arrêté interministériel du 8 novembre 1999 relatif au bruit des infrastructures "
     "ferroviaires a prévu les modalités de mesure sur site",
     [("arrêté interministériel du 8 novembre 1999", "arrete", "arrete-1999-11-08")]),
    ("qg:l16/QANR5L16QG1054",
     "est une mesure forte de la loi de finances pour 2023.",
     [("loi de finances pour 2023", "loi", "loi-finances-2023")]),
    # --- not instruments: bills, "la loi" alone, a decree without number or date -------------------------
    ("qg:l16/QANR5L16QG1120", "l'examen du projet de loi de finances pour 2024 va commencer au Parlement.",
     []),
    ("qg:l15/QANR5L15QG4191",
     "la proposition de loi Besson-Moreau visant à protéger la rémunération des agriculteurs.", []),
    ("qg:l15/QANR5L15QG3285",
     "pour soutenir, dans le projet de loi ASAP \u2013 accélération et simplification de l'action "
     "publique \u2013 un amendement", []),
    ("qg:l15/QANR5L15QG1021",
     "le projet de loi ELAN, que vous avez proposé et défendu au nom du Gouvernement", []),
    ("qg:l15/QANR5L15QG3822",
     "appelées à prendre de l'importance grâce au projet de loi « climat et résilience ».", []),
    ("qg:l15/QANR5L15QG2051", "comme le prévoit notre proposition de loi no 1900 \u2013 un moratoire", []),
    ("qg:l16/QANR5L16QG1620", "Il faut une loi Egalim 4, voire 5 !", []),
    ("qg:l15/QANR5L15QG13", "cette loi n'est toujours pas appliquée.", []),
    ("qosd:157",
     "sont fixées par décret en Conseil d'État, pris après avis du Haut conseil de la santé publique", []),
    # --- codes and their articles ------------------------------------------------------------------------
    ("qg:l15/QANR5L15QG4047",
     "puisque l'article L. 1224-1 du code du travail prévoit qu'en cas de changement d'employeur",
     [("article L. 1224-1 du code du travail", "code-article", "code-travail-art-l1224-1")]),
    ("qosd:241",
     "conformément aux articles L. 112-5 et L. 112-6 du code monétaire et financier et le décret "
     "n° 2015-741 du 24 juin 2015, acceptent les paiements en espèce.",
     [("articles L. 112-5", "code-article", "code-monetaire-financier-art-l112-5"),
      ("L. 112-6 du code monétaire et financier", "code-article", "code-monetaire-financier-art-l112-6"),
      ("décret n° 2015-741 du 24 juin 2015", "decret", "decret-2015-741")]),
    ("qg:l16/QANR5L16QG1309",
     "Cette discrimination, qui tombe sous le coup des articles 225-1 et 225-2 du code pénal, est passible",
     [("articles 225-1", "code-article", "code-penal-art-225-1"),
      ("225-2 du code pénal", "code-article", "code-penal-art-225-2")]),
    # "et 4" stands for L. 2221-4: a bare number after a lettered article is not read as article 4.
    ("qosd:219",
     "Aux termes des articles L. 1412-1, L2221-1 et 4 du CGCT",
     [("articles L. 1412-1", "code-article", "code-general-collectivites-territoriales-art-l1412-1"),
      ("L2221-1 et 4 du CGCT", "code-article", "code-general-collectivites-territoriales-art-l2221-1")]),
    ("qg:l16/QANR5L16QG1164",
     "l'article L. 312-16 du code de l'éducation dispose qu'une information et une éducation à la sexualité "
     "sont dispensées dans les écoles et les établissements, à raison d'au moins trois séances annuelles par "
     "groupes d'âges homogènes. L'article L. 542-3 du même code énonce",
     [("article L. 312-16 du code de l'éducation", "code-article", "code-education-art-l312-16"),
      ("article L. 542-3 du même code", "code-article", "code-education-art-l542-3")]),
    ("qg:l16/QANR5L16QG1385",  # "sécurité intérieur": a typo of the text
     "le troisième alinéa de l'article L. 317-8 du code de sécurité intérieur",
     [("article L. 317-8 du code de sécurité intérieur", "code-article",
       "code-securite-interieure-art-l317-8")]),
    ("qosd:308",
     "d'après l'article L. 121-6 du code la route",
     [("article L. 121-6 du code la route", "code-article", "code-route-art-l121-6")]),
    ("qg:l15/QANR5L15QG111",
     "prévu au I de l'article 199 undecies B du code général des impôts, qui écarterait",
     [("article 199 undecies B du code général des impôts", "code-article",
       "code-general-impots-art-199-undecies-b")]),
    ("qosd:103",
     "au budget du syndicat (art. L. 5212-19 du CGCT).",
     [("art. L. 5212-19 du CGCT", "code-article", "code-general-collectivites-territoriales-art-l5212-19")]),
    ("qg:l16/QANR5L16QG1592",
     "afin d'appliquer le nouvel article L. 435-4 du code de l'entrée et du séjour des étrangers et du droit "
     "d'asile (Ceseda) pour faciliter",
     [("article L. 435-4 du code de l'entrée et du séjour des étrangers et du droit d'asile (Ceseda)",
       "code-article", "code-entree-sejour-etrangers-droit-asile-art-l435-4")]),
    ("qosd:312",
     "On peut citer la modernisation du code du travail, la baisse de l'impôt",
     [("code du travail", "code", "code-travail")]),
    # Abbreviations of codes that name something else when they stand alone.
    ("qg:l16/QANR5L16QG790",
     "Le commissariat général à l'investissement (CGI) doute du bien-fondé du projet.", []),
    ("qg:l16/QANR5L16QG1164",
     "Mon prédécesseur avait saisi le Conseil supérieur des programmes (CSP) sur les questions", []),
    ("qg:l16/QANR5L16QG106",
     "l'extension des missions des centres périnataux de proximité (CPP) dans le champ de la santé", []),
    # --- the Constitution ----------------------------------------------------------------------------------
    ("qg:l15/QANR5L15QG2764",
     "vous avez donc décidé de recourir à l'article 49, alinéa 3, de la Constitution, dernière marque",
     [("article 49, alinéa 3, de la Constitution", "constitution-article", "constitution-art-49-3")]),
    ("qg:l16/QANR5L16QG265", "Il y a eu un 49.3 !",
     [("49.3", "constitution-article", "constitution-art-49-3")]),
    ("qg:l15/QANR5L15QG1194", "Le 49-3, c'est le respecter ?",
     [("49-3", "constitution-article", "constitution-art-49-3")]),
    ("qg:l15/QANR5L15QG1050",
     "celle d'inscrire la protection de l'environnement à l'article 1er de la Constitution.",
     [("article 1er de la Constitution", "constitution-article", "constitution-art-1")]),
    ("qg:l16/QANR5L16QG857",
     "les collectivités territoriales régies par les articles 73 et 74 de la Constitution, les opérateurs",
     [("articles 73", "constitution-article", "constitution-art-73"),
      ("74 de la Constitution", "constitution-article", "constitution-art-74")]),
    ("qg:l15/QANR5L15QG1789",
     "Un statut clair reconnu à la Corse dans la Constitution permettrait de résoudre",
     [("Constitution", "constitution", "constitution")]),
    # The Preamble of 1946 is another text.
    ("qg:l15/QANR5L15QG2028", "Elle porte sur l'interprétation du préambule de la Constitution de 1946", []),
    # --- EU acts -------------------------------------------------------------------------------------------
    ("qg:l15/QANR5L15QG1291",
     "pour faire en sorte que le règlement général sur la protection des données \u2013 RGPD \u2013 soit "
     "effectivement protecteur",
     [("règlement général sur la protection des données", "eu-regulation", "ue-reglement-2016-679"),
      ("RGPD", "eu-regulation", "ue-reglement-2016-679")]),
    ("qg:l15/QANR5L15QG999",
     "conformément à la directive européenne 2006/21/CE sur les déchets miniers",
     [("directive européenne 2006/21/CE", "eu-directive", "ue-directive-2006-21")]),
    ("qg:l16/QANR5L16QG774",
     "dans le troisième paragraphe de l'article 2 du règlement (CE)396/2005 du Parlement européen",
     [("règlement (CE)396/2005", "eu-regulation", "ue-reglement-2005-396")]),
    ("qosd:551",
     "(règlement CE n° 883/2004 qui a succédé au règlement 1408/71)",
     [("règlement CE n° 883/2004", "eu-regulation", "ue-reglement-2004-883"),
      ("règlement 1408/71", "eu-regulation", "ue-reglement-1971-1408")]),
    ("qosd:417",
     "à l'encontre d'une telle dérogation à la directive européenne 79/409, qui impose à la France",
     [("directive européenne 79/409", "eu-directive", "ue-directive-1979-409")]),
    ("qg:l16/QANR5L16QG1094",
     "dans notre droit national, des Digital Markets Act et Digital Services Act.",
     [("Digital Markets Act", "eu-regulation", "ue-reglement-2022-1925"),
      ("Digital Services Act", "eu-regulation", "ue-reglement-2022-2065")]),
    ("qg:l16/QANR5L16QG1446",
     "la directive sur la sécurité des réseaux et de l'information 2, dite NIS 2, et les négociations autour "
     "du Cyber Solidarity Act sont en cours.",
     [("NIS 2", "eu-directive", "ue-directive-2022-2555")]),
    # --- laws known by a name ------------------------------------------------------------------------------
    ("qg:l16/QANR5L16QG1261",
     "la loi Egalim \u2013 loi du 30 octobre 2018 pour l\u2019équilibre des relations commerciales",
     [("loi Egalim", "named-law", "loi-egalim"), ("loi du 30 octobre 2018", "loi", "loi-2018-10-30")]),
    ("qg:l15/QANR5L15QG1720", "par votre projet d'ordonnance issue de la loi EGalim.",
     [("loi EGalim", "named-law", "loi-egalim")]),
    ("qg:l15/QANR5L15QG4191", "La proposition de loi Besson-Moreau, dite EGALIM 2, est un très bon texte.",
     [("EGALIM 2", "named-law", "loi-egalim-2")]),
    ("qg:l15/QANR5L15QG1692",
     "De la loi de modernisation de l'économie aux états généraux de l'alimentation, en passant par la loi "
     "Sapin 2, depuis dix ans",
     [("loi Sapin 2", "named-law", "loi-sapin-2")]),
    ("qg:l15/QANR5L15QG1273", "il était une fois la loi NOTRe.", [("loi NOTRe", "named-law", "loi-notre")]),
    ("qg:l15/QANR5L15QG22", "Et la loi Macron !", [("loi Macron", "named-law", "loi-macron")]),
    ("qg:l16/QANR5L16QG680",
     "et à la sécurisation des parcours professionnels, dite loi El Khomri.",
     [("loi El Khomri", "named-law", "loi-el-khomri")]),
    ("qg:l15/QANR5L15QG1795", "Quarante-quatre ans après la loi Veil, cette mise en garde",
     [("loi Veil", "named-law", "loi-veil")]),
    ("qg:l15/QANR5L15QG1037", "se fonde sur l'article 2 de la loi de 1905, qui dit clairement",
     [("loi de 1905", "named-law", "loi-de-1905")]),
    ("qg:l15/QANR5L15QG1165", "les ordonnances et la loi Pacte \u2013 Plan d'action pour la croissance",
     [("loi Pacte", "named-law", "loi-pacte")]),
    ("qosd:554", "les différentes mesures contenues dans la loi dite « ELAN » et précise",
     [("loi dite « ELAN »", "named-law", "loi-elan")]),
    ("qosd:160", "les résultats de la loi HPST afin que", [("loi HPST", "named-law", "loi-hpst")]),
    ("qg:l16/QANR5L16QG1618",
     "c'est appliquer strictement la loi organique relative aux lois de finances (Lolf) ;",
     [("loi organique relative aux lois de finances", "named-law", "lolf"), ("Lolf", "named-law", "lolf")]),
    ("qg:l15/QANR5L15QG1284",
     "Alors que les procédures sont nombreuses, l'ordonnance de 1945 vient compléter",
     [("ordonnance de 1945", "named-law", "ordonnance-de-1945")]),
    ("qosd:79",
     "l'article 85 de la loi égalité réelle outre-mer (loi n° 2017-256), votée à l'unanimité",
     [("loi égalité réelle outre-mer", "named-law", "loi-erom"), ("loi n° 2017-256", "loi", "loi-2017-256")]),
    # --- foreign acts --------------------------------------------------------------------------------------
    ("seed",
     "via* ses lois extraterritoriales et notamment le *Coud Act* adopté en 2018.",
     [("Coud Act", "foreign-act", "us-cloud-act")]),
    ("qg:l15/QANR5L15QG1291",
     "Elle porte sur le Cloud act, le fameux Clarifying lawful overseas use of data act, ce cavalier",
     [("Cloud act", "foreign-act", "us-cloud-act"),
      ("Clarifying lawful overseas use of data act", "foreign-act", "us-cloud-act")]),
    ("qg:l16/QANR5L16QG788",
     "une loi sur la réduction de l'inflation (Inflation Reduction Act \u2013 IRA), ce qui a créé",
     [("Inflation Reduction Act", "foreign-act", "us-inflation-reduction-act")]),
    ("qg:l15/QANR5L15QG1376", "Je pense en particulier au Buy American Act des États-Unis.",
     [("Buy American Act", "foreign-act", "us-buy-american-act")]),
    # Neither an act of the list nor close to one; FISAC is not FISA.
    ("qg:l16/QANR5L16QG1112", "la ferait tomber sous le coup du Cohen Act pour espionnage économique", []),
    ("qg:l15/QANR5L15QG1562", "suppression du FISAC, le Fonds d'intervention pour les services", []),
    # --- treaties ------------------------------------------------------------------------------------------
    ("qg:l15/QANR5L15QG1569",
     "À l'heure où le traité d'Aix-la-Chapelle, qui s'inscrit dans cette philosophie",
     [("traité d'Aix-la-Chapelle", "treaty", "traite-d-aix-la-chapelle")]),
    ("qg:l15/QANR5L15QG1317", "vous avez salué l'accord de Paris sur le climat en 2015.",
     [("accord de Paris sur le climat", "treaty", "accord-de-paris")]),
]  # fmt: skip

# The brief's own examples that no text of the corpus contains, written for this test.
BRIEF_EXAMPLES = [
    ("la loi n° 2019-774 du 24 juillet 2019",
     [("loi n° 2019-774 du 24 juillet 2019", "loi", "loi-2019-774")]),
    ("le décret n° 2002-65 du 14 janvier 2002",
     [("décret n° 2002-65 du 14 janvier 2002", "decret", "decret-2002-65")]),
    ("l'ordonnance n° 2020-1304", [("ordonnance n° 2020-1304", "ordonnance", "ordonnance-2020-1304")]),
    ("la loi organique n° 2001-692 du 1er août 2001",
     [("loi organique n° 2001-692 du 1er août 2001", "loi-organique", "loi-organique-2001-692")]),
    ("l'article L1111-8 du CSP",
     [("article L1111-8 du CSP", "code-article", "code-sante-publique-art-l1111-8")]),
    ("l'article 1240 du code civil", [("article 1240 du code civil", "code-article", "code-civil-art-1240")]),
    ("le règlement (UE) 2016/679", [("règlement (UE) 2016/679", "eu-regulation", "ue-reglement-2016-679")]),
    ("la directive (UE) 2019/790", [("directive (UE) 2019/790", "eu-directive", "ue-directive-2019-790")]),
    ("la directive 2006/123/CE", [("directive 2006/123/CE", "eu-directive", "ue-directive-2006-123")]),
    ("le règlement (CE) n° 1907/2006",
     [("règlement (CE) n° 1907/2006", "eu-regulation", "ue-reglement-2006-1907")]),
    ("la décision (UE) 2020/2053", [("décision (UE) 2020/2053", "eu-decision", "ue-decision-2020-2053")]),
    ("la loi Climat et résilience", [("loi Climat et résilience", "named-law", "loi-climat-et-resilience")]),
    ("la loi Évin", [("loi Évin", "named-law", "loi-evin")]),
    ("la loi Informatique et libertés",
     [("loi Informatique et libertés", "named-law", "loi-informatique-et-libertes")]),
    ("le Patriot Act et le FISA",
     [("Patriot Act", "foreign-act", "us-patriot-act"), ("FISA", "foreign-act", "us-fisa")]),
    ("le CLOUD Act", [("CLOUD Act", "foreign-act", "us-cloud-act")]),
]  # fmt: skip


def found(text: str) -> list[tuple[str, str, str]]:
    return [(ref.surface, ref.kind, ref.key) for ref in find_legal_references(text)]


def only(text: str) -> LegalReference:
    refs = find_legal_references(text)
    assert len(refs) == 1, refs
    return refs[0]


def check_invariants(text: str, refs: list[LegalReference]) -> None:
    """Offsets give the surface; references are sorted, do not overlap and have a known kind."""
    for ref in refs:
        assert text[ref.start : ref.end] == ref.surface
        assert ref.kind in KINDS
        assert ref.key and ref.label
    for before, after in pairwise(refs):
        assert before.end <= after.start


@pytest.mark.parametrize(("source", "sentence", "expected"), CASES)
def test_real_sentences(source: str, sentence: str, expected: list[tuple[str, str, str]]) -> None:
    refs = find_legal_references(sentence)
    check_invariants(sentence, refs)
    assert found(sentence) == expected


@pytest.mark.parametrize(("text", "expected"), BRIEF_EXAMPLES)
def test_brief_examples(text: str, expected: list[tuple[str, str, str]]) -> None:
    check_invariants(text, find_legal_references(text))
    assert found(text) == expected


def test_numbered_law_identity_and_eli() -> None:
    ref = only("la loi n° 2019-774 du 24 juillet 2019")
    assert ref.number == "2019-774" and ref.date == datetime.date(2019, 7, 24)
    assert ref.label == "Loi n° 2019-774 du 24 juillet 2019"
    assert ref.eli == LEGIFRANCE + "loi/2019/7/24/2019-774/jo/texte"
    # qg:l15/QANR5L15QG2276
    dashed = only("\u2013 loi no 2018-266 du 13 avril 2018 \u2013")
    assert dashed.eli == LEGIFRANCE + "loi/2018/4/13/2018-266/jo/texte"


def test_organic_law_is_a_loi_at_legifrance() -> None:
    ref = only("la loi organique n° 2001-692 du 1er août 2001")
    assert ref.date == datetime.date(2001, 8, 1)
    assert ref.label == "Loi organique n° 2001-692 du 1er août 2001"
    assert ref.eli == LEGIFRANCE + "loi/2001/8/1/2001-692/jo/texte"


def test_decree_and_ordinance_eli() -> None:
    # qosd:381 (two-digit year of the old numbering), qosd:325
    old, new = find_legal_references(
        "Le décret n° 2016-1460 du 28 octobre 2016 a modifié le décret n° 55-1397 du 22 octobre 1955"
    )
    assert new.eli == LEGIFRANCE + "decret/1955/10/22/55-1397/jo/texte"
    assert old.eli == LEGIFRANCE + "decret/2016/10/28/2016-1460/jo/texte"
    ordinance = only("l'entrée en vigueur de l'ordonnance n° 2017-1717 du 20 décembre 2017")
    assert ordinance.eli == LEGIFRANCE + "ordonnance/2017/12/20/2017-1717/jo/texte"
    # "décret en Conseil d'État" is a décret; its label does not repeat the procedure.
    decree = only("un décret en Conseil d'État n° 2019-1 du 2 janvier 2019")
    assert (decree.kind, decree.label) == ("decret", "Décret n° 2019-1 du 2 janvier 2019")


def test_no_eli_without_number_and_date_or_when_they_disagree() -> None:
    assert only("la loi du 24 juillet 2019").eli is None  # qg:l15/QANR5L15QG4559
    assert only("l'ordonnance n° 2020-1304").eli is None
    # qosd:220: number of 2016, date of 2013 — a typo of the text, so no link.
    ref = only("Suite à la loi n° 2016-297 du 14 mars 2013,")
    assert (ref.number, ref.date, ref.eli) == ("2016-297", datetime.date(2013, 3, 14), None)
    # Arrêtés and circulaires have no ELI pattern here.
    assert only("un arrêté interministériel du 8 novembre 1999").eli is None  # qosd:110
    circular = only("conformément à la circulaire n° 2012-202 du 18-12-2012,")  # qosd:317
    assert (circular.date, circular.eli) == (datetime.date(2012, 12, 18), None)
    assert circular.label == "Circulaire n° 2012-202 du 18 décembre 2012"


def test_code_article_identity() -> None:
    # qg:l15/QANR5L15QG4047
    ref = only("l'article L. 1224-1 du code du travail prévoit")
    assert (ref.code, ref.article, ref.eli) == ("Code du travail", "L. 1224-1", None)
    assert ref.label == "Code du travail, article L. 1224-1"
    brief = only("l'article L. 1111-8 du code de la santé publique")
    assert brief.label == "Code de la santé publique, article L. 1111-8"
    assert brief.key == only("l'article L1111-8 du CSP").key == "code-sante-publique-art-l1111-8"


def test_two_articles_give_two_references() -> None:
    refs = find_legal_references("les articles L. 221-1 et L. 221-2 du code de la consommation")
    assert [(r.article, r.code) for r in refs] == [
        ("L. 221-1", "Code de la consommation"),
        ("L. 221-2", "Code de la consommation"),
    ]


def test_same_code_needs_a_code_before() -> None:
    assert find_legal_references("L'article L. 542-3 du même code énonce") == []  # qg:l16/QANR5L16QG1164


def test_legitext() -> None:
    assert legitext("Code de la santé publique") == "LEGITEXT000006072665"
    assert legitext("CSP") == legitext("code de la santé publique") == "LEGITEXT000006072665"
    assert legitext("Code du travail") == "LEGITEXT000006072050"
    assert legitext("code rural") == "LEGITEXT000022197698"
    assert legitext("Code des marchés publics") is None  # repealed, several editions
    assert legitext("Code de la bonne conduite") is None


def test_constitution_article_49_3() -> None:
    # qg:l15/QANR5L15QG2764, qg:l16/QANR5L16QG265, qg:l15/QANR5L15QG1194
    for text in ("l'article 49, alinéa 3, de la Constitution", "Il y a eu un 49.3 !", "Le 49-3, c'est"):
        ref = only(text)
        assert (ref.kind, ref.article, ref.label) == (
            "constitution-article",
            "49.3",
            "Constitution, article 49.3",
        )
        assert ref.key == "constitution-art-49-3" and ref.eli is None
    # Article 72, alinéa 3 is not article 72-3.
    assert only("l'article 72, alinéa 3, de la Constitution").key == "constitution-art-72"


def test_eu_acts() -> None:
    gdpr = only("le RGPD")  # qg:l15/QANR5L15QG1291
    assert gdpr.label == "Règlement (UE) 2016/679" and gdpr.number == "2016/679"
    assert gdpr.eli == only("le règlement (UE) 2016/679").eli == "http://data.europa.eu/eli/reg/2016/679/oj"
    directive = only("la directive 2006/123/CE")
    assert directive.eli == "http://data.europa.eu/eli/dir/2006/123/oj"
    assert directive.label == "Directive 2006/123/CE"
    reach = only("le règlement (CE) n° 1907/2006")
    assert reach.eli == "http://data.europa.eu/eli/reg/2006/1907/oj"
    assert reach.label == "Règlement (CE) n° 1907/2006"
    assert only("la directive (UE) 2019/790").eli == "http://data.europa.eu/eli/dir/2019/790/oj"
    assert only("la décision (UE) 2020/2053").eli == "http://data.europa.eu/eli/dec/2020/2053/oj"
    # qosd:417: two-digit years are 19xx.
    assert only("la directive européenne 79/409,").eli == "http://data.europa.eu/eli/dir/1979/409/oj"
    # A decision of the Conseil constitutionnel (qosd:595) is not an EU act.
    assert find_legal_references("dans sa décision n° 2016-742 du 22 décembre 2016") == []


def test_named_law_identity() -> None:
    egalim = only("la loi Egalim")
    assert (egalim.label, egalim.number, egalim.date) == (
        "Loi Egalim",
        "2018-938",
        datetime.date(2018, 10, 30),
    )
    assert egalim.eli == LEGIFRANCE + "loi/2018/10/30/2018-938/jo/texte"
    notre = only("il était une fois la loi NOTRe.")  # qg:l15/QANR5L15QG1273
    assert notre.eli == LEGIFRANCE + "loi/2015/8/7/2015-991/jo/texte"
    assert jorftext(notre.key) == "JORFTEXT000030985460"
    assert only("la loi de 1905").date == datetime.date(1905, 12, 9)
    assert only("la loi de 1905").eli is None  # no number before 1945
    # "notre" is a word: the law needs its capital.
    assert find_legal_references("la loi notre majorité l'a votée") == []


def test_cloud_act_typo_tolerance() -> None:
    seed = SEED.read_text(encoding="utf-8")
    refs = find_legal_references(seed)
    check_invariants(seed, refs)
    assert [(r.surface, r.label, r.key) for r in refs] == [("Coud Act", "CLOUD Act", "us-cloud-act")]
    for text in ("le cloud act", "le Cloud Act", "le CLOUD Act", "le Clould Act"):
        assert only(text).key == "us-cloud-act"
    # Ordinary words and other acts are refused.
    for text in ("le Cohen Act", "le Could act", "le Crowd Act", "l'AI Act", "un acte", "le Clean Air Act"):
        assert all(ref.kind != "foreign-act" for ref in find_legal_references(text)), text


def test_overlaps_keep_the_longest() -> None:
    # qg:l16/QANR5L16QG1592: the code name inside the article reference is not a second reference.
    text = "l'article L. 435-4 du code de l'entrée et du séjour des étrangers et du droit d'asile (Ceseda)"
    refs = find_legal_references(text)
    assert [r.kind for r in refs] == ["code-article"]
    assert refs[0].surface.endswith("(Ceseda)")
    # qosd:79: "loi n° 2017-256" inside brackets after the named law: two references, side by side.
    refs = find_legal_references("la loi égalité réelle outre-mer (loi n° 2017-256)")
    check_invariants("la loi égalité réelle outre-mer (loi n° 2017-256)", refs)
    assert [r.number for r in refs] == ["2017-256", "2017-256"]


# --- the shared corpus ------------------------------------------------------------------------------------


def _answers(path: Path) -> str:
    """Plain text of a QG file's answers (textesReponse), one per line."""
    replies = json.loads(path.read_text(encoding="utf-8"))["question"].get("textesReponse") or {}
    replies = replies.get("texteReponse", replies) if isinstance(replies, dict) else replies
    replies = replies if isinstance(replies, list) else [replies]
    return "\n".join(html_to_text(r["texte"]) for r in replies if isinstance(r, dict) and r.get("texte"))


def _qosd(shared: Path) -> dict[str, str]:
    with (shared / "more" / "qosd_csv" / "legislature_qosd.csv").open(encoding="utf-8", newline="") as file:
        return {row["index"]: row["question"] for row in csv.DictReader(file)}


@pytest.mark.shared
def test_sentences_are_real(shared_data: Path) -> None:
    qosd = _qosd(shared_data)
    missing = []
    for source, sentence, _ in CASES:
        kind, _, ident = source.partition(":")
        if kind == "qg":
            text = _answers(shared_data / "an" / "questions" / "qg" / f"{ident}.json")
        else:
            text = qosd[ident] if kind == "qosd" else SEED.read_text(encoding="utf-8")
        if sentence not in text:
            missing.append((source, sentence))
    assert missing == []


@pytest.mark.shared
def test_whole_qg_corpus(shared_data: Path) -> None:
    kinds: Counter[str] = Counter()
    files = sorted((shared_data / "an" / "questions" / "qg").rglob("*.json"))
    for path in files:
        text = _answers(path)
        refs = find_legal_references(text)
        check_invariants(text, refs)
        kinds.update(ref.kind for ref in refs)
    assert len(files) > 5000
    # Every family shows up in real answers, and the 49.3 and Egalim are among the most cited.
    assert {"loi", "named-law", "code", "code-article", "constitution-article", "eu-regulation"} <= set(kinds)
    assert kinds["constitution-article"] > 100 and kinds["named-law"] > 300
