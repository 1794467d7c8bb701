"""Legal instruments cited in French parliamentary texts: find them, identify them, build their ELI URI."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from kg.text import fold, slugify

__all__ = ["LegalReference", "find_legal_references", "jorftext", "legitext"]


@dataclass(frozen=True)
class LegalReference:
    """One mention of a legal instrument: where it is in the text and which instrument it is."""

    start: int
    end: int
    surface: str
    kind: str
    number: str | None
    date: datetime.date | None
    code: str | None
    article: str | None
    label: str
    key: str
    eli: str | None


# --- tables ---------------------------------------------------------------------------------------

_CESEDA = "Code de l'entrée et du séjour des étrangers et du droit d'asile"
_LEGION = "Code de la légion d'honneur, de la Médaille militaire et de l'ordre national du Mérite"
# Codes in force and their Légifrance ids, from SocialGouv/legi-data, data/index.json, commit
# 91a2a1309c987da51631a2b16eb473f3469136d2 (Apache-2.0, derived from DILA LEGI, Licence Ouverte);
# titles without "(nouveau)" or a final dot.
_CODES: dict[str, str | None] = {
    "Code civil": "LEGITEXT000006070721",
    "Code de commerce": "LEGITEXT000005634379",
    "Code de déontologie des architectes": "LEGITEXT000006074232",
    "Code de justice administrative": "LEGITEXT000006070933",
    "Code de justice militaire": "LEGITEXT000006071360",
    "Code de l'action sociale et des familles": "LEGITEXT000006074069",
    "Code de l'artisanat": "LEGITEXT000006075116",
    "Code de l'aviation civile": "LEGITEXT000006074234",
    _CESEDA: "LEGITEXT000006070158",
    "Code de l'environnement": "LEGITEXT000006074220",
    "Code de l'expropriation pour cause d'utilité publique": "LEGITEXT000006074224",
    "Code de l'organisation judiciaire": "LEGITEXT000006071164",
    "Code de l'urbanisme": "LEGITEXT000006074075",
    "Code de l'éducation": "LEGITEXT000006071191",
    "Code de l'énergie": "LEGITEXT000023983208",
    "Code de la commande publique": "LEGITEXT000037701019",
    "Code de la consommation": "LEGITEXT000006069565",
    "Code de la construction et de l'habitation": "LEGITEXT000006074096",
    "Code de la défense": "LEGITEXT000006071307",
    "Code de la famille et de l'aide sociale": "LEGITEXT000006072637",
    "Code de la mutualité": "LEGITEXT000006074067",
    "Code de la propriété intellectuelle": "LEGITEXT000006069414",
    "Code de la recherche": "LEGITEXT000006071190",
    "Code de la route": "LEGITEXT000006074228",
    "Code de la santé publique": "LEGITEXT000006072665",
    "Code de la sécurité intérieure": "LEGITEXT000025503132",
    "Code de la sécurité sociale": "LEGITEXT000006073189",
    "Code de la voirie routière": "LEGITEXT000006070667",
    "Code de procédure civile": "LEGITEXT000006070716",
    "Code de procédure pénale": "LEGITEXT000006071154",
    "Code des assurances": "LEGITEXT000006073984",
    "Code des communes": "LEGITEXT000006070162",
    "Code des communes de la Nouvelle-Calédonie": "LEGITEXT000006070300",
    "Code des douanes": "LEGITEXT000006071570",
    "Code des douanes de Mayotte": "LEGITEXT000006071645",
    "Code des instruments monétaires et des médailles": "LEGITEXT000006070666",
    "Code des juridictions financières": "LEGITEXT000006070249",
    "Code des pensions civiles et militaires de retraite": "LEGITEXT000006070302",
    "Code des pensions militaires d'invalidité et des victimes de guerre": "LEGITEXT000031712069",
    "Code des ports maritimes": "LEGITEXT000006074233",
    "Code des postes et des communications électroniques": "LEGITEXT000006070987",
    "Code des procédures civiles d'exécution": "LEGITEXT000025024948",
    "Code des relations entre le public et l'administration": "LEGITEXT000031366350",
    "Code des transports": "LEGITEXT000023086525",
    "Code disciplinaire et pénal de la marine marchande": "LEGITEXT000006071188",
    "Code du cinéma et de l'image animée": "LEGITEXT000020908868",
    "Code du domaine de l'Etat": "LEGITEXT000006070208",
    "Code du domaine public fluvial et de la navigation intérieure": "LEGITEXT000006074237",
    "Code du patrimoine": "LEGITEXT000006074236",
    "Code du service national": "LEGITEXT000006071335",
    "Code du sport": "LEGITEXT000006071318",
    "Code du tourisme": "LEGITEXT000006074073",
    "Code du travail": "LEGITEXT000006072050",
    "Code du travail applicable à Mayotte": "LEGITEXT000006072052",
    "Code du travail maritime": "LEGITEXT000006072051",
    "Code forestier": "LEGITEXT000025244092",
    "Code général de la propriété des personnes publiques": "LEGITEXT000006070299",
    "Code général des collectivités territoriales": "LEGITEXT000006070633",
    "Code général des impôts": "LEGITEXT000006069577",
    "Code minier": "LEGITEXT000023501962",
    "Code monétaire et financier": "LEGITEXT000006072026",
    "Code pénal": "LEGITEXT000006070719",
    "Code rural et de la pêche maritime": "LEGITEXT000022197698",
    "Code électoral": "LEGITEXT000006070239",
    "Livre des procédures fiscales": "LEGITEXT000006069583",
    # Created after that index was made (2019-2022); ids as published on Légifrance.
    "Code de la justice pénale des mineurs": "LEGITEXT000039086952",
    "Code général de la fonction publique": "LEGITEXT000044416551",
    "Code pénitentiaire": "LEGITEXT000045476241",
    _LEGION: "LEGITEXT000037673300",
    # Repealed in 2016 and published in several editions: still cited, no single id.
    "Code des marchés publics": None,
}

# Shorter or older names that texts use for a code.
_CODE_ALIASES = {
    "Code rural": "Code rural et de la pêche maritime",
    "Code de la fonction publique": "Code général de la fonction publique",
    "Code des impôts": "Code général des impôts",
    "Code de la santé": "Code de la santé publique",
    "Code de la construction": "Code de la construction et de l'habitation",
    "Code de la Légion d'honneur": _LEGION,
    "Code de l'entrée et du séjour des étrangers": _CESEDA,
}

# Abbreviations; only those in _ABBR_ALONE are read without an article before them, because the
# others also name other things in these texts (CSP: Conseil supérieur des programmes, CPP: centres
# périnataux de proximité, CGI: commissariat général à l'investissement, CSS: complémentaire santé
# solidaire).
_ABBREVIATIONS = {
    "CASF": "Code de l'action sociale et des familles",
    "CCH": "Code de la construction et de l'habitation",
    "CCP": "Code de la commande publique",
    "CESEDA": _CESEDA,
    "Ceseda": _CESEDA,
    "CGCT": "Code général des collectivités territoriales",
    "CGFP": "Code général de la fonction publique",
    "CGI": "Code général des impôts",
    "CGPPP": "Code général de la propriété des personnes publiques",
    "CJA": "Code de justice administrative",
    "CJPM": "Code de la justice pénale des mineurs",
    "CMF": "Code monétaire et financier",
    "CPC": "Code de procédure civile",
    "CPCE": "Code des postes et des communications électroniques",
    "CPI": "Code de la propriété intellectuelle",
    "CPP": "Code de procédure pénale",
    "CRPA": "Code des relations entre le public et l'administration",
    "CRPM": "Code rural et de la pêche maritime",
    "CSI": "Code de la sécurité intérieure",
    "CSP": "Code de la santé publique",
    "CSS": "Code de la sécurité sociale",
    "LPF": "Livre des procédures fiscales",
}
_ABBR_ALONE = {"CASF", "CESEDA", "Ceseda", "CGCT", "CGFP", "CGPPP", "CJPM", "CRPA", "CRPM"}

# Laws known by a usual name: (names, label, number, date, JORFTEXT id).
# Names are matched case- and accent-insensitively after "loi" ("loi dite", "lois", "loi « … »"),
# except "(?-i:…)" patterns, kept case-sensitive where the name is also a common word.
# JORFTEXT ids: regardscitoyens/the-law-factory-parser, tlfp/data/lois_dites.json, commit
# 844ff2ea5ec390c333817194e9f028a28fc6c7ce (facts only); a name listed there for several texts is
# left out. Numbers and dates only where certain.
_Named = tuple[tuple[str, ...], str, str | None, str | None, str | None]
# fmt: off
_NAMED_LAWS: tuple[_Named, ...] = (
    (("Egalim", "Egalim 1", "Egalim I", "Agriculture et alimentation"), "Loi Egalim",
     "2018-938", "2018-10-30", None),
    (("Egalim 2", "Egalim II", "Besson-Moreau"), "Loi Egalim 2", "2021-1357", "2021-10-18", None),
    (("Egalim 3", "Egalim III", "Descrozaille"), "Loi Egalim 3", "2023-221", "2023-03-30", None),
    (("Pacte",), "Loi Pacte", "2019-486", "2019-05-22", None),
    ((r"(?-i:NOTR[Ee]|Notre)",), "Loi NOTRe", "2015-991", "2015-08-07", "JORFTEXT000030985460"),
    ((r"(?-i:SRU)",), "Loi SRU", "2000-1208", "2000-12-13", "JORFTEXT000000207538"),
    ((r"(?-i:ELAN|[EÉ]lan)",), "Loi Élan", "2018-1021", "2018-11-23", None),
    (("Sapin 2", "Sapin II"), "Loi Sapin 2", "2016-1691", "2016-12-09", None),
    (("Sapin",), "Loi Sapin", "93-122", "1993-01-29", "JORFTEXT000000544250"),
    (("SILT",), "Loi SILT", "2017-1510", "2017-10-30", None),
    (("Claeys-Leonetti",), "Loi Claeys-Leonetti", "2016-87", "2016-02-02", None),
    (("Leonetti",), "Loi Leonetti", "2005-370", "2005-04-22", None),
    (("Grandguillaume",), "Loi Grandguillaume", "2016-1920", "2016-12-29", None),
    (("EROM", "égalité réelle outre-mer"), "Loi EROM", "2017-256", "2017-02-28", None),
    (("MAPTAM", "MAPAM"), "Loi MAPTAM", "2014-58", "2014-01-27", "JORFTEXT000028526298"),
    (("Florange",), "Loi Florange", "2014-384", "2014-03-29", "JORFTEXT000028811102"),
    (("ESSOC",), "Loi ESSOC", "2018-727", "2018-08-10", None),
    (("AGEC",), "Loi AGEC", "2020-105", "2020-02-10", None),
    (("Veil",), "Loi Veil", "75-17", "1975-01-17", None),
    (("Mobilités", "LOM", "d'orientation des mobilités"), "Loi d'orientation des mobilités",
     "2019-1428", "2019-12-24", None),
    (("Littoral",), "Loi Littoral", "86-2", "1986-01-03", "JORFTEXT000000317531"),
    (("Montagne II", "Montagne 2"), "Loi Montagne II", "2016-1888", "2016-12-28", None),
    (("Montagne",), "Loi Montagne", "85-30", "1985-01-09", None),
    (("Matras",), "Loi Matras", "2021-1520", "2021-11-25", None),
    (("Macron",), "Loi Macron", "2015-990", "2015-08-06", "JORFTEXT000030978561"),
    (("Morin",), "Loi Morin", "2010-2", "2010-01-05", "JORFTEXT000021625586"),
    (("Letchimy",), "Loi Letchimy", "2011-725", "2011-06-23", "JORFTEXT000024249135"),
    (("Avia", "Laetitia Avia"), "Loi Avia", "2020-766", "2020-06-24", None),
    (("Labbé",), "Loi Labbé", "2014-110", "2014-02-06", None),
    (("Gatel",), "Loi Gatel", "2018-266", "2018-04-13", None),
    (("Kasbarian", "Kasbarian-Bergé"), "Loi Kasbarian-Bergé", "2023-668", "2023-07-27", None),
    (("Thévenoud",), "Loi Thévenoud", "2014-1104", "2014-10-01", "JORFTEXT000029527162"),
    (("Spinetta",), "Loi Spinetta", "78-12", "1978-01-04", None),
    (("Neuwirth",), "Loi Neuwirth", "67-1176", "1967-12-28", None),
    (("HPST", "Bachelot"), "Loi HPST", "2009-879", "2009-07-21", "JORFTEXT000020879475"),
    (("Galland",), "Loi Galland", "96-588", "1996-07-01", None),
    (("Fauchon",), "Loi Fauchon", "2000-647", "2000-07-10", "JORFTEXT000000205593"),
    (("Hamon",), "Loi Hamon", "2014-344", "2014-03-17", "JORFTEXT000028738036"),
    (("El Khomri", r"(?-i:Travail)"), "Loi El Khomri",
     "2016-1088", "2016-08-08", "JORFTEXT000032983213"),
    (("Evin",), "Loi Evin", "91-32", "1991-01-10", "JORFTEXT000000344577"),
    (("ALUR", "Duflot"), "Loi ALUR", "2014-366", "2014-03-24", "JORFTEXT000028772256"),
    (("DALO",), "Loi DALO", "2007-290", "2007-03-05", "JORFTEXT000000271094"),
    (("Informatique et libertés",), "Loi Informatique et libertés",
     "78-17", "1978-01-06", "JORFTEXT000000886460"),
    (("Climat et résilience", "Climat-résilience"), "Loi Climat et résilience",
     "2021-1104", "2021-08-22", None),
    (("ASAP",), "Loi ASAP", "2020-1525", "2020-12-07", None),
    (("Kouchner",), "Loi Kouchner", "2002-303", "2002-03-04", None),
    (("Rist",), "Loi Rist", "2021-502", "2021-04-26", None),
    (("Asile et immigration", "Collomb"), "Loi Asile et immigration", "2018-778", "2018-09-10", None),
    (("Schiappa",), "Loi Schiappa", "2018-703", "2018-08-03", None),
    (("Taquet",), "Loi Taquet", "2022-140", "2022-02-07", None),
    (("Carrez",), "Loi Carrez", "96-1107", "1996-12-18", "JORFTEXT000000196731"),
    (("LME",), "Loi de modernisation de l'économie", "2008-776", "2008-08-04", None),
    (("Handicap",), "Loi Handicap", "2005-102", "2005-02-11", None),
    (("Besson 1", "Besson I"), "Loi Besson 1", "90-449", "1990-05-31", None),
    (("Besson 2", "Besson II"), "Loi Besson 2", "2000-614", "2000-07-05", None),
    (("Blanquer", "pour une école de la confiance", "École de la confiance"),
     "Loi pour une école de la confiance", "2019-791", "2019-07-26", None),
    (("Touraine", "de modernisation de notre système de santé"),
     "Loi de modernisation de notre système de santé", "2016-41", "2016-01-26", None),
    (("Ma santé 2022",), "Loi Ma santé 2022", "2019-774", "2019-07-24", None),
    (("Pradié",), "Loi Pradié", "2019-1480", "2019-12-28", None),
    (("Balanant",), "Loi Balanant", "2022-299", "2022-03-02", None),
    (("Valletoux",), "Loi Valletoux", "2023-1268", "2023-12-27", None),
    (("Hulot",), "Loi Hulot", "2017-1839", "2017-12-30", None),
    (("Delors",), "Loi Delors", "71-575", "1971-07-16", None),
    (("Fioraso",), "Loi Fioraso", "2013-660", "2013-07-22", None),
    (("Aillagon",), "Loi Aillagon", "2003-709", "2003-08-01", None),
    (("Bichet",), "Loi Bichet", "47-585", "1947-04-02", None),
    (("Industrie verte",), "Loi Industrie verte", "2023-973", "2023-10-23", None),
    (("Copé-Zimmermann",), "Loi Copé-Zimmermann", "2011-103", "2011-01-27", None),
    (("Pinel",), "Loi Pinel", "2014-626", "2014-06-18", None),
    ((r"(?-i:ORE)",), "Loi ORE", "2018-166", "2018-03-08", None),
    (("LCAP",), "Loi LCAP", "2016-925", "2016-07-07", None),
    (("Aubry I", "Aubry 1", "des 35 heures"), "Loi Aubry I",
     "98-461", "1998-06-13", "JORFTEXT000000558109"),
    (("Aubry II", "Aubry 2"), "Loi Aubry II", "2000-37", "2000-01-19", "JORFTEXT000000398162"),
    (("Gayssot",), "Loi Gayssot", "90-615", "1990-07-13", "JORFTEXT000000532990"),
    (("LRU", "Pécresse"), "Loi LRU", "2007-1199", "2007-08-10", "JORFTEXT000000824315"),
    (("Rebsamen",), "Loi Rebsamen", "2015-994", "2015-08-17", "JORFTEXT000031046061"),
    (("TECV", "de transition énergétique", "relative à la transition énergétique pour la croissance verte"),
     "Loi de transition énergétique pour la croissance verte", "2015-992", "2015-08-17",
     "JORFTEXT000031044385"),
    (("TEPA",), "Loi TEPA", "2007-1223", "2007-08-21", "JORFTEXT000000278649"),
    (("Grenelle I", "Grenelle 1"), "Loi Grenelle I", "2009-967", "2009-08-03", "JORFTEXT000020949548"),
    (("Grenelle II", "Grenelle 2"), "Loi Grenelle II",
     "2010-788", "2010-07-12", "JORFTEXT000022470434"),
    (("HADOPI",), "Loi HADOPI", "2009-669", "2009-06-12", "JORFTEXT000020735432"),
    (("HADOPI 2",), "Loi HADOPI 2", "2009-1311", "2009-10-28", "JORFTEXT000021208046"),
    (("LOPPSI 2", "LOPPSI II"), "Loi LOPPSI 2", "2011-267", "2011-03-14", "JORFTEXT000023707312"),
    (("Lagarde",), "Loi Lagarde", "2010-737", "2010-07-01", "JORFTEXT000022419094"),
    (("LOTI",), "Loi LOTI", "82-1153", "1982-12-30", "JORFTEXT000000319738"),
    (("Perben II", "Perben 2"), "Loi Perben II", "2004-204", "2004-03-09", "JORFTEXT000000249995"),
    (("MOP",), "Loi MOP", "85-704", "1985-07-12", "JORFTEXT000000693683"),
    (("NOME",), "Loi NOME", "2010-1488", "2010-12-07", "JORFTEXT000023174854"),
    (("POPE",), "Loi POPE", "2005-781", "2005-07-13", "JORFTEXT000000813253"),
    (("Delebarre", "LOV"), "Loi Delebarre", "91-662", "1991-07-13", "JORFTEXT000000161171"),
    (("mariage pour tous", "sur le mariage pour tous", "du mariage pour tous"), "Loi Mariage pour tous",
     "2013-404", "2013-05-17", "JORFTEXT000027414540"),
    (("LOLF", "organique relative aux lois de finances"), "LOLF",
     "2001-692", "2001-08-01", "JORFTEXT000000394028"),
    (("de 1905",), "Loi de 1905", None, "1905-12-09", None),
    (("de 1901",), "Loi de 1901", None, "1901-07-01", None),
    # "la loi de 1881" alone may also be a Jules Ferry law on schools (qg:l15/QANR5L15QG2126).
    (("de 1881 sur la liberté de la presse", "sur la liberté de la presse",
      "du 29 juillet 1881 sur la liberté de la presse"),
     "Loi sur la liberté de la presse", None, "1881-07-29", None),
    # Names from the law-factory table whose number we do not state here.
    (("Adnot",), "Loi Adnot", None, None, "JORFTEXT000023229524"),
    (("Barnier",), "Loi Barnier", None, None, "JORFTEXT000000188417"),
    (("Bataille",), "Loi Bataille", None, None, "JORFTEXT000000356548"),
    (("Blanc",), "Loi Blanc", None, None, "JORFTEXT000024414181"),
    (("Boutin",), "Loi Boutin", None, None, "JORFTEXT000020438861"),
    (("Brottes",), "Loi Brottes", None, None, "JORFTEXT000027310001"),
    (("Chatel",), "Loi Chatel", None, None, "JORFTEXT000000606011"),
    (("Chatel 2",), "Loi Chatel 2", None, None, "JORFTEXT000017785995"),
    (("Cherpion",), "Loi Cherpion", None, None, "JORFTEXT000024408887"),
    (("Ciotti",), "Loi Ciotti", None, None, "JORFTEXT000022862522"),
    (("Fourcade",), "Loi Fourcade", None, None, "JORFTEXT000024457033"),
    (("Génisson",), "Loi Génisson", None, None, "JORFTEXT000000756495"),
    (("Jean-Louis Debré",), "Loi Jean-Louis Debré", None, None, "JORFTEXT000000564968"),
    (("Jospin",), "Loi Jospin", None, None, "JORFTEXT000000509314"),
    (("Le Pors",), "Loi Le Pors", None, None, "JORFTEXT000000504704"),
    (("Léotard",), "Loi Léotard", None, None, "JORFTEXT000000512205"),
    (("LILAS", "Méhaignerie"), "Loi Méhaignerie", None, None, "JORFTEXT000000874247"),
    (("LOPOM", "Paul"), "Loi Paul", None, None, "JORFTEXT000000387814"),
    (("LOPSI",), "Loi LOPSI", None, None, "JORFTEXT000000780288"),
    (("Madelin",), "Loi Madelin", None, None, "JORFTEXT000000165840"),
    (("Meyer",), "Loi Meyer", None, None, "JORFTEXT000000740097"),
    (("Michel Debré",), "Loi Michel Debré", None, None, "JORFTEXT000000693420"),
    (("Montchamp",), "Loi Montchamp", None, None, "JORFTEXT000000809647"),
    (("MURCEF",), "Loi MURCEF", None, None, "JORFTEXT000000221912"),
    (("Raffarin",), "Loi Raffarin", None, None, "JORFTEXT000000193678"),
    (("RESEDA",), "Loi RESEDA", None, None, "JORFTEXT000000191302"),
    (("Romani",), "Loi Romani", None, None, "JORFTEXT000000184000"),
    (("Royer",), "Loi Royer", None, None, "JORFTEXT000000509757"),
    (("Sauvadet",), "Loi Sauvadet", None, None, "JORFTEXT000025489865"),
    (("Thomas",), "Loi Thomas", None, None, "JORFTEXT000000198906"),
    (("Valter",), "Loi Valter", None, None, "JORFTEXT000031701525"),
    # Read as "ordonnance de 1945": in parliamentary use, the one on juvenile justice.
    (("ordonnance de 1945",), "Ordonnance de 1945", "45-174", "1945-02-02", None),
)
# Names read without "loi" before them: they are not common words.
# (_named_laws checks words of these names before it looks for them: keep its list in step.)
_READ_ALONE = {
    "Egalim", "Egalim 1", "Egalim I", "Egalim 2", "Egalim II", "Egalim 3", "Egalim III", "(?-i:SRU)",
    "LOPPSI 2", "LOPPSI II", "LOLF", "ordonnance de 1945",
}

# EU acts known by a name: (pattern, kind, year, number, signature date). _eu_acts checks words of
# these patterns before it looks for them: keep its list in step.
_NAMED_EU = (
    (r"(?-i:RGPD|GDPR)|règlement(?:\s+général|\s+européen)+\s+(?:sur|pour|relatif\s+à)\s+la\s+protection"
     r"\s+des\s+données(?:\s+personnelles)?", "eu-regulation", 2016, 679, "2016-04-27"),
    (r"Digital\s+Services\s+Act", "eu-regulation", 2022, 2065, "2022-10-19"),
    (r"Digital\s+Markets\s+Act", "eu-regulation", 2022, 1925, "2022-09-14"),
    (r"(?-i:AI|IA)\s+Act|règlement\s+(?:européen\s+)?sur\s+l['\u2019]intelligence\s+artificielle",
     "eu-regulation", 2024, 1689, "2024-06-13"),
    (r"(?:directive\s+)?(?-i:NIS)\s?(?:2|II)\b", "eu-directive", 2022, 2555, "2022-12-14"),
)

# Foreign acts, matched with typo tolerance on the words before "Act": (label, key, names, date).
_FOREIGN_ACTS = (
    ("CLOUD Act", "us-cloud-act", ("cloud", "clarifying lawful overseas use of data"), "2018-03-23"),
    ("USA PATRIOT Act", "us-patriot-act", ("patriot", "usa patriot"), "2001-10-26"),
    ("Foreign Intelligence Surveillance Act", "us-fisa", ("foreign intelligence surveillance",),
     "1978-10-25"),
    ("Inflation Reduction Act", "us-inflation-reduction-act", ("inflation reduction",), "2022-08-16"),
    ("Buy American Act", "us-buy-american-act", ("buy american",), None),
)
# "Coud Act" (seed text) scores 94 against "cloud act"; "Cohen Act" 67, "crowd act" 78.
_FUZZY_THRESHOLD = 90

# (_treaties tries these patterns only where their first words are: keep its list in step.)
_TREATIES = (
    (r"traité\s+de\s+l['\u2019]Élysée", "Traité de l'Élysée"),
    (r"traité\s+d['\u2019]Aix-la-Chapelle", "Traité d'Aix-la-Chapelle"),
    (r"traité\s+du\s+Quirinal", "Traité du Quirinal"),
    (r"traité\s+de\s+Lisbonne", "Traité de Lisbonne"),
    (r"traité\s+de\s+Maastricht", "Traité de Maastricht"),
    (r"traité\s+sur\s+le\s+fonctionnement\s+de\s+l['\u2019]Union\s+européenne|(?-i:TFUE)",
     "Traité sur le fonctionnement de l'Union européenne"),
    (r"traité\s+sur\s+l['\u2019]Union\s+européenne", "Traité sur l'Union européenne"),
    (r"traité\s+de\s+l['\u2019]Atlantique\s+nord", "Traité de l'Atlantique Nord"),
    (r"accords?\s+de\s+Paris(?:\s+sur\s+le\s+climat)?", "Accord de Paris"),
    (r"accords?\s+de\s+Nouméa", "Accord de Nouméa"),
    (r"convention\s+d['\u2019]Istanbul", "Convention d'Istanbul"),
    (r"convention\s+européenne\s+des\s+droits\s+de\s+l['\u2019]homme",
     "Convention européenne des droits de l'homme"),
)
# fmt: on

# --- patterns -------------------------------------------------------------------------------------

_SP = r"[^\S\n]+"  # spaces, non-breaking ones included; a reference never spans two lines
_SP0 = r"[^\S\n]*"
_AP = r"['\u2019]"
_MONTHS = {
    name: number
    for number, names in enumerate(
        ("janvier", "février fevrier", "mars", "avril", "mai", "juin", "juillet", "août aout", "septembre",
         "octobre", "novembre", "décembre decembre"),
        start=1,
    )
    for name in names.split()
}  # fmt: skip
_DATE = (
    rf"(?:(?:1er|1ᵉʳ|\d{{1,2}}){_SP}(?:{'|'.join(_MONTHS)}){_SP}\d{{4}}"
    rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}})"
)
_DATE_PARTS = re.compile(r"(\d{1,2})(?:er|ᵉʳ)?[^\S\n]*([/.-]\d{1,2}[/.-]|[^\W\d]+)[^\S\n]*(\d{4})")
_NUMBER = rf"n{_SP0}[°ºo˚]\.?{_SP0}(?P<number>\d{{2,4}}{_SP0}-{_SP0}\d{{1,5}})\b"

_FRENCH_ACT = re.compile(
    rf"\b(?P<type>lois?{_SP}organiques?|lois?|ordonnances?|d[ée]crets?|arr[êe]t[ée]s?|circulaires?)"
    rf"(?:{_SP}(?:d{_AP}application|en{_SP}Conseil{_SP}d{_AP}[ÉE]tat|(?:inter)?minist[ée]riel(?:le)?"
    rf"|pr[ée]fectoral))?"
    rf"(?:{_SP}{_NUMBER})?"
    rf"(?:,?{_SP}(?:du|en{_SP}date{_SP}du){_SP}(?P<date>{_DATE}))?",
    re.IGNORECASE,
)
_FINANCE_LAW = re.compile(
    rf"\bloi{_SP}de{_SP}(?P<what>finances|financement{_SP}de{_SP}la{_SP}s[ée]curit[ée]{_SP}sociale)"
    rf"{_SP}pour{_SP}(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)

_ARTICLE = (
    rf"(?:(?-i:LO|[LRDA])\*?{_SP0}\.?{_SP0})?\d+(?:er)?(?:[-.]\d+)*"
    rf"(?:{_SP}(?:bis|ter|quater|quinquies|sexies|septies|octies|nonies|\w*decies|\w+vicies|\w+tricies))?"
    rf"(?:{_SP}(?-i:[A-H]))?(?![\w-])"
)
_ARTICLE_PARTS = re.compile(
    rf"(?P<prefix>(?-i:LO|[LRDA]))?\*?{_SP0}\.?{_SP0}(?P<num>\d+)(?:er)?(?P<rest>(?:[-.]\d+)*)"
    rf"(?:{_SP}(?P<suffix>\w+(?:{_SP}\w)?))?",
    re.IGNORECASE,
)
_ARTICLE_RE = re.compile(_ARTICLE, re.IGNORECASE)
_ARTICLE_SEP = rf"(?:{_SP0},{_SP0}|{_SP}(?:et|à|ou){_SP})"
_ARTICLE_WORDS = ("article", "art.")  # how _ARTICLE_LIST begins, for _finditer
_ARTICLE_LIST = rf"\b(?:articles?|art\.){_SP0}(?P<items>{_ARTICLE}(?:{_ARTICLE_SEP}{_ARTICLE})*)"
_ABBR = "|".join(sorted(_ABBREVIATIONS, key=len, reverse=True))
_CODE_ARTICLE = re.compile(
    rf"{_ARTICLE_LIST}(?:{_SP}et{_SP}suivants)?(?:,?{_SP}(?:alinéa|al\.){_SP}\d+,?)?"
    rf"{_SP}(?:(?:du|de{_SP}(?:la|notre|l{_AP})|des|de){_SP0})?"
    rf"(?=(?:code|livre)\b|(?-i:{_ABBR})\b|(?:même|ce){_SP}code\b)",
    re.IGNORECASE,
)
_SAME_CODE = re.compile(rf"(?:même|ce){_SP}code\b", re.IGNORECASE)
_ABBR_AT = re.compile(rf"(?:{_ABBR})\b")
_ABBR_IN_BRACKETS = re.compile(rf"{_SP0}\((?:{_ABBR})\)")
_CODE_START = re.compile(r"\b(?:code|livre)\b", re.IGNORECASE)
_ABBR_ALONE_RE = re.compile(rf"\b(?:{'|'.join(sorted(_ABBR_ALONE, key=len, reverse=True))})\b")
_ABBR_ALONE_WORDS = re.compile("|".join(_ABBR_ALONE))  # no \b: all start with "C", a quick scan
_CODE_WORD = re.compile(r"\w+")
_STOPWORDS = {"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour"}

_CONSTITUTION_ARTICLE = re.compile(
    rf"{_ARTICLE_LIST}(?:,?{_SP}alinéa{_SP}(?P<alinea>\d+),?)?{_SP}de{_SP}(?:la|notre){_SP}constitution\b",
    re.IGNORECASE,
)
# "le 49.3": the third paragraph of article 49, said alone (there is no article 49-3).
_FORTY_NINE_THREE = re.compile(
    rf"(?<![\w.,-])(?:articles?{_SP})?49(?:\.|-|,{_SP}alinéa{_SP})3(?![\w-]|[.,]\d)", re.IGNORECASE
)
_CONSTITUTION = re.compile(
    rf"\b(?-i:Constitution|CONSTITUTION)\b(?!{_SP}(?:pour{_SP}l{_AP}Europe|européenne|américaine|des{_SP}États"
    rf"|de{_SP}(?!1958)\d{{4}}))",
    re.IGNORECASE,
)
# Articles of the Constitution that carry a hyphenated number, so "72, alinéa 3" cannot be "72-3".
_HYPHENATED_ARTICLES = {
    "11-1", "34-1", "47-1", "47-2", "50-1", "51-1", "51-2", "53-1", "53-2", "61-1", "68-1", "68-2", "68-3",
    "71-1", "72-1", "72-2", "72-3", "72-4", "75-1", "88-1", "88-2", "88-3", "88-4", "88-5", "88-6", "88-7",
}  # fmt: skip

_EU_ACT = re.compile(
    rf"\b(?P<kind>règlement|directive|décision)(?:{_SP}(?:délégué|d{_AP}exécution))?"
    rf"(?:{_SP}(?:européen(?:ne)?|communautaire))?"
    rf"(?:{_SP0}\(?(?P<tag>UE|CE|CEE|Euratom)\)?)?(?:{_SP0}n{_SP0}[°ºo]\.?)?{_SP0}"
    rf"(?P<a>\d{{2,4}})/(?P<b>\d{{1,4}})(?:/(?P<suffix>UE|CE|CEE|Euratom))?(?![\d/])",
    re.IGNORECASE,
)
_ACT_WORD = re.compile(r"\bact\b", re.IGNORECASE)
_AI_ACT = re.compile(r"(?:AI|IA)\s+(?i:act)")  # what _NAMED_EU needs for the AI Act
_FISA = re.compile(r"\bFISA\b")
_FISA_INDEX = next(i for i, act in enumerate(_FOREIGN_ACTS) if act[1] == "us-fisa")
_WORDS_BEFORE = re.compile(rf"(?:[^\W\d_]+(?:{_SP}|-))+$")
_LETTERS = re.compile(r"[^\W\d_]+")
# Text right before a bill: "projet de loi", "proposition de loi dite «", "projet d'ordonnance".
_BILL_BEFORE = re.compile(
    r"\b(?:avant-)?(?:projet|proposition)s?(?:\s+de(?:\s+la)?|\s+du|\s+d['\u2019])?"
    r"(?:\s*loi(?:\s+(?:organique|dite?s?))?)?[\s«\"]*$",
    re.IGNORECASE,
)


def _loose(name: str) -> str:
    """Regex for a name, blind to case and accents, and to a hyphen written as a space."""
    if name.startswith("(?"):
        return name
    classes = {"e": "[eéèêë]", "a": "[aàâä]", "i": "[iîï]", "o": "[oôö]", "u": "[uùûü]", "c": "[cç]"}
    out = []
    for char in name:
        if char in " -":
            out.append(rf"(?:{_SP0}[-\u2011\u2013]{_SP0}|{_SP})")
        elif char in "'\u2019":
            out.append(_AP)
        else:
            out.append(classes.get(fold(char), re.escape(char)))
    return "".join(out)


def _named_pattern(names: list[tuple[int, str]], prefix: str) -> re.Pattern[str]:
    """One regex for many names; the group `n{index}_{i}` says which table entry matched."""
    alternatives = sorted(names, key=lambda item: len(item[1]), reverse=True)
    body = "|".join(f"(?P<n{index}_{n}>{_loose(name)})" for n, (index, name) in enumerate(alternatives))
    # "loi Egalim 4" is a bill, not "loi Egalim" followed by a 4.
    return re.compile(rf"{prefix}(?:{body})(?![\w-]|{_SP0}(?:\d{{1,2}}|I{{1,3}}|IV)\b)", re.IGNORECASE)


def _entry(match: re.Match[str]) -> int:
    """Index of the table entry whose named group matched (`n3_12` -> 3, `eu4` -> 4)."""
    name = next(name for name, value in match.groupdict().items() if value is not None)
    return int(name.split("_")[0].lstrip("abcdefghijklmnopqrstuvwxyz"))


_NAMED_AFTER_LOI = _named_pattern(
    [(i, n) for i, entry in enumerate(_NAMED_LAWS) for n in entry[0] if not n.startswith("ordonnance")],
    rf"\blois?(?:,?{_SP}dites?)?{_SP}(?:«{_SP0})?",
)
# The lookaheads on first letters only make the scan fast: Python tries every alternative everywhere.
_NAMED_ALONE = _named_pattern(
    [(i, n) for i, entry in enumerate(_NAMED_LAWS) for n in entry[0] if n in _READ_ALONE],
    r"(?<![\w-])(?=[eéslo])",
)
# Words that the other names read alone contain besides "SRU" and "1945": Egalim, LOLF, LOPPSI; in the
# lower-cased text, as _loose reads them.
_READ_ALONE_WORDS = (re.compile(r"g[aàâä]l[iîï]m"), re.compile(r"l[oôö](?:lf|pps)"))
_CLOSING_QUOTE = re.compile(rf"{_SP0}»")
_NAMED_EU_RE = re.compile(
    r"\b(?=[adginr])(?:" + "|".join(rf"(?P<eu{i}>{p})" for i, (p, *_) in enumerate(_NAMED_EU)) + ")",
    re.IGNORECASE,
)
_TREATY_RE = re.compile(
    r"\b(?=[act])(?:" + "|".join(rf"(?P<t{i}>{p})" for i, (p, _) in enumerate(_TREATIES)) + ")", re.IGNORECASE
)

# --- identification -------------------------------------------------------------------------------


def _code_key(words: list[str]) -> str:
    """Loose key of a code title: folded words without stop words, with crude plural/gender stems."""
    return " ".join(w.rstrip("s").rstrip("e") for w in words if w not in _STOPWORDS)


_CODE_KEYS = {_code_key(fold(title).split()): title for title in _CODES} | {
    _code_key(fold(alias).split()): title for alias, title in _CODE_ALIASES.items()
}
_LONGEST_CODE = max(len(fold(title).split()) for title in [*_CODES, *_CODE_ALIASES])


def _match_code(text: str, start: int) -> tuple[int, str] | None:
    """(end, title) of the code named from `start` on ("code de la santé publique"), longest first."""
    words: list[tuple[str, int]] = []
    previous_end = start
    for match in _CODE_WORD.finditer(text, start, min(len(text), start + 200)):
        if text[previous_end : match.start()].strip(" \u00a0\u202f'\u2019-"):
            break  # punctuation or a line break ends the name
        words.append((fold(match.group()), match.end()))
        previous_end = match.end()
        if len(words) > _LONGEST_CODE + 2:
            break
    for size in range(len(words), 0, -1):
        if words[size - 1][0] in _STOPWORDS:
            continue
        title = _CODE_KEYS.get(_code_key([word for word, _ in words[:size]]))
        if title:
            end = words[size - 1][1]
            # "code de l'entrée … d'asile (Ceseda)": the abbreviation belongs to the same mention.
            abbreviation = _ABBR_IN_BRACKETS.match(text, end)
            return (abbreviation.end() if abbreviation else end), title
    return None


def legitext(code_title: str) -> str | None:
    """The Légifrance id (LEGITEXT…) of a code, from its title, a usual short title or an abbreviation."""
    title = _ABBREVIATIONS.get(code_title.strip()) or _CODE_KEYS.get(_code_key(fold(code_title).split()))
    return _CODES.get(title) if title else None


def jorftext(key: str) -> str | None:
    """The Légifrance id (JORFTEXT…) of a law known by a usual name, from its reference key."""
    return next((jorf for _, label, _, _, jorf in _NAMED_LAWS if slugify(label) == key), None)


def _parse_date(text: str | None) -> datetime.date | None:
    match = _DATE_PARTS.search(text or "")
    if not match:
        return None
    day, month, year = match.groups()
    month_number = int(month.strip("/.-")) if month[0] in "/.-" else _MONTHS.get(month.lower(), 0)
    try:
        return datetime.date(int(year), month_number, int(day))
    except ValueError:  # "31 février": a typo, no date rather than a wrong one
        return None


def _format_date(date: datetime.date) -> str:
    month = next(name for name, number in _MONTHS.items() if number == date.month)
    return f"{'1er' if date.day == 1 else date.day} {month} {date.year}"


def _french_eli(eli_type: str | None, number: str | None, date: datetime.date | None) -> str | None:
    """Légifrance ELI, only when the number and the date are both known and agree on the year."""
    if not eli_type or not number or not date:
        return None
    year = number.split("-")[0]
    if int(year) != (date.year if len(year) == 4 else date.year % 100):
        return None  # "loi n° 2016-297 du 14 mars 2013": better no link than a wrong one
    return (
        f"https://www.legifrance.gouv.fr/eli/{eli_type}/{date.year}/{date.month}/{date.day}/{number}/jo/texte"
    )


def _ref(
    text: str,
    span: tuple[int, int],
    kind: str,
    label: str,
    key: str,
    *,
    number: str | None = None,
    date: datetime.date | None = None,
    code: str | None = None,
    article: str | None = None,
    eli: str | None = None,
) -> LegalReference:
    start, end = span
    return LegalReference(start, end, text[start:end], kind, number, date, code, article, label, key, eli)


# --- finders: each yields candidates, find_legal_references keeps the longest ---------------------

# Speed. A case-insensitive regex is tried at every position of the text, which is slow on long
# sitting transcripts where most finders find nothing. So each finder first checks, on a lower-cased
# copy (`low`), words that every one of its matches contains, and runs a regex only when they are
# there; the regexes whose words are common ("loi") are tried only where those words start
# (`_finditer`). These checks never change what is found, only how fast.

# re.IGNORECASE matches the dotted capital I and the dotless i to i and the long s to s, but
# str.lower() keeps the last two and makes two characters of the first: mapped first, the copy keeps
# the offsets of the text and every match.
_IGNORECASE_EXTRAS = "\u0130\u0131\u017f"
_ASCII_FOR_EXTRAS = str.maketrans(_IGNORECASE_EXTRAS, "iis")


def _lowered(text: str) -> str:
    """`text` lower-cased, for the pre-checks."""
    if any(char in text for char in _IGNORECASE_EXTRAS):
        text = text.translate(_ASCII_FOR_EXTRAS)
    return text.lower()


def _finditer(
    pattern: re.Pattern[str], text: str, low: str, starts: tuple[str, ...]
) -> Iterator[re.Match[str]]:
    """The matches of pattern.finditer(text), for a pattern whose matches all begin with one of the
    lower-case words `starts`: the regex is tried only where `low` has one of them."""
    positions = set()
    for word in starts:
        position = low.find(word)
        while position != -1:
            positions.add(position)
            position = low.find(word, position + 1)
    end = 0
    for position in sorted(positions):
        if position >= end and (match := pattern.match(text, position)):
            yield match
            end = match.end()


_FRENCH_KINDS = {  # folded type -> (kind, label, ELI type)
    "loi": ("loi", "Loi", "loi"),
    "loi organique": ("loi-organique", "Loi organique", "loi"),
    "ordonnance": ("ordonnance", "Ordonnance", "ordonnance"),
    "decret": ("decret", "Décret", "decret"),
    "arrete": ("arrete", "Arrêté", None),
    "circulaire": ("circulaire", "Circulaire", None),
}


def _french_acts(text: str, low: str) -> Iterator[LegalReference]:
    starts = ("loi", "ordonnance", "décret", "decret", "arrêt", "arret", "circulaire")
    for match in _finditer(_FRENCH_ACT, text, low, starts):
        number = re.sub(r"\s", "", match.group("number") or "") or None
        date = _parse_date(match.group("date"))
        if not number and not date:
            continue  # "la loi", "le décret", "l'ordonnance de protection"
        singular = " ".join(word.rstrip("s") for word in fold(match.group("type")).split())
        kind, name, eli_type = _FRENCH_KINDS[singular]
        label = name + (f" n° {number}" if number else "") + (f" du {_format_date(date)}" if date else "")
        key = f"{kind}-{number or date}"
        yield _ref(
            text,
            match.span(),
            kind,
            label,
            key,
            number=number,
            date=date,
            eli=_french_eli(eli_type, number, date),
        )
    for match in _finditer(_FINANCE_LAW, text, low, ("loi",)):
        social = match.group("what").lower() != "finances"
        year = match.group("year")
        label = f"{'Loi de financement de la sécurité sociale' if social else 'Loi de finances'} pour {year}"
        yield _ref(text, match.span(), "loi", label, f"{'lfss' if social else 'loi-finances'}-{year}")


def _named_laws(text: str, low: str) -> Iterator[LegalReference]:
    after_loi = _finditer(_NAMED_AFTER_LOI, text, low, ("loi",))
    alone = "SRU" in text or "1945" in text or any(words.search(low) for words in _READ_ALONE_WORDS)
    for matches in (after_loi, _NAMED_ALONE.finditer(text) if alone else ()):
        for match in matches:
            _, label, number, iso_date, _ = _NAMED_LAWS[_entry(match)]
            eli_type = "ordonnance" if label.startswith("Ordonnance") else "loi"
            date = datetime.date.fromisoformat(iso_date) if iso_date else None
            end = match.end()
            if "«" in match.group() and (closing := _CLOSING_QUOTE.match(text, end)):
                end = closing.end()
            yield _ref(
                text,
                (match.start(), end),
                "named-law",
                label,
                slugify(label),
                number=number,
                date=date,
                eli=_french_eli(eli_type, number, date),
            )


def _article_items(match: re.Match[str]) -> list[tuple[int, int, str]]:
    """(start, end, canonical article) of each article of a list; a bare number after a lettered one is
    dropped ("L. 1412-1, L2221-1 et 4": that 4 is not article 4)."""
    items: list[tuple[int, int, str]] = []
    lettered = None
    for item in _ARTICLE_RE.finditer(match.group("items")):
        parts = _ARTICLE_PARTS.match(item.group())
        if parts is None:
            break
        prefix, suffix = parts.group("prefix"), parts.group("suffix")
        if lettered is None:
            lettered = bool(prefix)
        elif bool(prefix) != lettered:
            break
        article = (f"{prefix.upper()}. " if prefix else "") + parts.group("num") + parts.group("rest")
        for word in (suffix or "").split():  # "199 undecies B", "238-0 A"
            article += f" {word.upper() if len(word) == 1 else word.lower()}"
        offset = match.start("items")
        items.append((offset + item.start(), offset + item.end(), article))
    return items


def _split_list(
    match: re.Match[str], items: list[tuple[int, int, str]], end: int
) -> Iterator[tuple[int, int, str]]:
    """One span per article: the first takes the word "article(s)", the last the name of the text."""
    last = len(items) - 1
    for position, (start, item_end, article) in enumerate(items):
        yield (match.start() if position == 0 else start), (end if position == last else item_end), article


def _code_slug(title: str) -> str:
    return "-".join(word for word in slugify(title).split("-") if word not in _STOPWORDS)


def _code_article(text: str, span: tuple[int, int], title: str, article: str) -> LegalReference:
    letters, _, rest = article.partition(". ")  # "L. 1111-8" -> "l1111-8"
    compact = f"{letters}{rest}" if rest else article
    key = f"{_code_slug(title)}-art-{slugify(compact)}"
    return _ref(text, span, "code-article", f"{title}, article {article}", key, code=title, article=article)


def _codes(text: str, low: str) -> Iterator[LegalReference]:
    for match in _finditer(_CODE_ARTICLE, text, low, _ARTICLE_WORDS):
        title: str | None = None
        if same := _SAME_CODE.match(text, match.end()):
            title, end = "", same.end()  # "du même code": resolved in find_legal_references
        elif abbreviation := _ABBR_AT.match(text, match.end()):
            title, end = _ABBREVIATIONS[abbreviation.group()], abbreviation.end()
        elif found := _match_code(text, match.end()):
            end, title = found
        if title is None:
            continue
        for start, item_end, article in _split_list(match, _article_items(match), end):
            yield _code_article(text, (start, item_end), title, article)
    for match in _finditer(_CODE_START, text, low, ("code", "livre")):
        if found := _match_code(text, match.start()):
            end, title = found
            yield _ref(text, (match.start(), end), "code", title, _code_slug(title), code=title)
    for match in _ABBR_ALONE_RE.finditer(text) if _ABBR_ALONE_WORDS.search(text) else ():
        title = _ABBREVIATIONS[match.group()]
        yield _ref(text, match.span(), "code", title, _code_slug(title), code=title)


def _constitution_article(text: str, span: tuple[int, int], article: str) -> LegalReference:
    article = "49.3" if article == "49-3" else article  # there is no article 49-3: the usual misspelling
    label = f"Constitution, article {article}"
    return _ref(
        text, span, "constitution-article", label, f"constitution-art-{slugify(article)}", article=article
    )


def _constitution(text: str, low: str) -> Iterator[LegalReference]:
    articles = _finditer(_CONSTITUTION_ARTICLE, text, low, _ARTICLE_WORDS) if "constitution" in low else ()
    for match in articles:
        items = _article_items(match)
        if any(not article[0].isdigit() for _, _, article in items):
            continue
        if len(items) == 1 and match.group("alinea"):
            start, end, article = items[0]
            # "49, alinéa 3" is the 49.3; but "72, alinéa 3" must not take the key of article 72-3.
            if f"{article}-{match.group('alinea')}" not in _HYPHENATED_ARTICLES:
                items = [(start, end, f"{article}.{match.group('alinea')}")]
        for start, end, article in _split_list(match, items, match.end()):
            yield _constitution_article(text, (start, end), article)
    for match in _finditer(_FORTY_NINE_THREE, text, low, ("article", "49")):
        yield _constitution_article(text, match.span(), "49.3")
    for match in _finditer(_CONSTITUTION, text, low, ("constitution",)):
        yield _ref(text, match.span(), "constitution", "Constitution", "constitution")


_EU_KINDS = {"reglement": "eu-regulation", "directive": "eu-directive", "decision": "eu-decision"}
_EU_NAMES = {
    "eu-regulation": ("Règlement", "reg"),
    "eu-directive": ("Directive", "dir"),
    "eu-decision": ("Décision", "dec"),
}


def _eu_ref(
    text: str, span: tuple[int, int], kind: str, label: str, year: int, serial: int, **fields: Any
) -> LegalReference:
    name, segment = _EU_NAMES[kind]
    eli = f"http://data.europa.eu/eli/{segment}/{year}/{serial}/oj"
    return _ref(text, span, kind, label, f"ue-{fold(name)}-{year}-{serial}", eli=eli, **fields)


def _eu_acts(text: str, low: str) -> Iterator[LegalReference]:
    for match in _EU_ACT.finditer(text) if "/" in text else ():  # "2016/679"
        kind = _EU_KINDS[fold(match.group("kind"))]
        a, b, tag, suffix = match.group("a", "b", "tag", "suffix")
        if kind == "eu-decision" and not (tag or suffix):
            continue  # "décision n° 2016-742" of the Conseil constitutionnel and the like
        # Regulations were numbered "n° 1907/2006" until 2015 and "2016/679" since; the others year first.
        number_first = kind == "eu-regulation" and not (len(a) == 4 and int(a) >= 2015)
        year, number = (b, a) if number_first else (a, b)
        year_number = int(year) if len(year) == 4 else 1900 + int(year)  # two-digit years are before 1999
        written = f"{a}/{b}" + (f"/{_tag(suffix)}" if suffix else "")
        label = _EU_NAMES[kind][0] + (f" ({_tag(tag)})" if tag else "") + (" n°" if number_first else "")
        yield _eu_ref(
            text, match.span(), kind, f"{label} {written}", year_number, int(number), number=written
        )
    # Words of the names in _NAMED_EU ("AI" and "IA" alone are common in capitals: "AI Act" in full).
    named = (
        any(word in text for word in ("RGPD", "GDPR", "NIS"))
        or "règlement" in low
        or "digital" in low
        or (("AI" in text or "IA" in text) and _AI_ACT.search(text))
    )
    for match in _NAMED_EU_RE.finditer(text) if named else ():
        _, kind, year, number, iso_date = _NAMED_EU[_entry(match)]
        label = f"{_EU_NAMES[kind][0]} (UE) {year}/{number}"
        yield _eu_ref(
            text,
            match.span(),
            kind,
            label,
            year,
            number,
            number=f"{year}/{number}",
            date=datetime.date.fromisoformat(iso_date),
        )


def _tag(tag: str) -> str:
    return "Euratom" if tag.lower() == "euratom" else tag.upper()


def _foreign_ref(text: str, span: tuple[int, int], index: int) -> LegalReference:
    label, key, _, iso_date = _FOREIGN_ACTS[index]
    date = datetime.date.fromisoformat(iso_date) if iso_date else None
    return _ref(text, span, "foreign-act", label, key, date=date)


def _foreign_acts(text: str, low: str) -> Iterator[LegalReference]:
    for match in _FISA.finditer(text) if "FISA" in text else ():
        yield _foreign_ref(text, match.span(), _FISA_INDEX)
    for act in _finditer(_ACT_WORD, text, low, ("act",)):
        # The words right before "Act", joined by spaces or hyphens only.
        run = _WORDS_BEFORE.search(text, max(0, act.start() - 80), act.start())
        if not run:
            continue
        words = list(_LETTERS.finditer(text, run.start(), run.end()))
        best: tuple[float, int, int, int] | None = None  # (score, size, act index, start)
        for index, (_, _, names, _) in enumerate(_FOREIGN_ACTS):
            for name in names:
                size = len(name.split())
                if len(words) < size:
                    continue
                candidate = fold(" ".join(word.group() for word in words[-size:]))
                # Short names must be exact: "AI" and "air" are close.
                score = (
                    fuzz.ratio(f"{candidate} act", f"{name} act")
                    if len(name) >= 4
                    else 100.0 * (candidate == name)
                )
                if score >= _FUZZY_THRESHOLD and (best is None or (score, size) > best[:2]):
                    best = (score, size, index, words[-size].start())
        if best:
            yield _foreign_ref(text, (best[3], act.end()), best[2])


def _treaties(text: str, low: str) -> Iterator[LegalReference]:
    for match in _finditer(_TREATY_RE, text, low, ("traité", "tfue", "accord", "convention")):
        label = _TREATIES[_entry(match)][1]
        yield _ref(text, match.span(), "treaty", label, slugify(label))


_FINDERS = (_french_acts, _named_laws, _codes, _constitution, _eu_acts, _foreign_acts, _treaties)


def find_legal_references(text: str) -> list[LegalReference]:
    """Every legal reference in a text, sorted by position; of two overlapping ones the longer wins.

    Bills ("projet de loi", "proposition de loi …") are not instruments and give no reference.
    """
    low = _lowered(text)
    candidates = [
        ref
        for finder in _FINDERS
        for ref in finder(text, low)
        if not _BILL_BEFORE.search(text, max(0, ref.start - 40), ref.start)
    ]
    candidates.sort(key=lambda ref: (ref.start - ref.end, ref.start))
    taken: list[LegalReference] = []
    for ref in candidates:
        if not any(ref.start < other.end and other.start < ref.end for other in taken):
            taken.append(ref)
    taken.sort(key=lambda ref: ref.start)
    return list(_resolve_same_code(text, taken))


def _resolve_same_code(text: str, refs: list[LegalReference]) -> Iterator[LegalReference]:
    """ "du même code", "de ce code": the code named last before it; dropped when there is none."""
    previous: str | None = None
    for ref in refs:
        if ref.code == "":
            if previous is None:
                continue
            ref = _code_article(text, (ref.start, ref.end), previous, ref.article or "")
        previous = ref.code or previous
        yield ref
