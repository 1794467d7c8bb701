"""Every named query on the bundled real sample, against values computed from the source files.

The expectations are computed here from the files of tests/data with `json` and `re` only (not with
kg's readers, resolver or converter): the AN question JSON, the AMO acteurs and organes, and the
text of the seed question's web page. A few queries are also run on small synthetic graphs, for
situations the sample does not hold (several delays per ministry, transferred questions).
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, Store

from kg.named_queries import find, library
from kg.readers.transcript import read_transcript, spoken_texts
from kg.results import Solutions, Triples, from_oxigraph
from kg.text_search import search_text

DATA = Path(__file__).parent / "data"
ID = "https://w3id.org/questions-kg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
QKG = "https://w3id.org/questions-kg/ontology#"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SEED = "QANR5L16QE12432"
TYPE_CLASSES = {"QE": "WrittenQuestion", "QG": "GovernmentQuestion", "QOSD": "OralQuestion"}
MONTH_NAMES = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre"]
FRENCH_MONTHS = {
    name: number for number, name in enumerate([*MONTH_NAMES, "octobre", "novembre", "décembre"], 1)
}


def iri(kind: str, key: str) -> str:
    return f"{ID}{kind}/{key}"


# -- the sources, read with json and re ---------------------------------------------------------


def scalar(node: Any) -> str | None:
    """A JSON value as text; `{"@xsi:nil": "true"}`, null and "" give None."""
    if isinstance(node, dict):
        node = node.get("#text")
    if node is None:
        return None
    return str(node).strip() or None


def as_list(node: Any) -> list[Any]:
    """One element is an object, several a list."""
    if node is None:
        return []
    return node if isinstance(node, list) else [node]


def parse_date(node: Any) -> date | None:
    """ISO dates (16th legislature on) or DD/MM/YYYY (15th)."""
    text = scalar(node)
    if text is None:
        return None
    if re.match(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text[:10])
    day, month, year = text.split("/")
    return date(int(year), int(month), int(day))


def integer(node: Any) -> int | None:
    text = scalar(node)
    return int(text) if text else None


def french_date(text: str) -> date:
    day, month, year = text.split()
    return date(int(year), FRENCH_MONTHS[month], int(day))


def plain(fragment: str) -> str:
    """An HTML fragment's text, for substring searches."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def valid_on(start: date | None, end: date | None, on: date) -> bool:
    return (start is None or start <= on) and (end is None or on <= end)


@dataclass
class Organe:
    uid: str
    type: str
    label: str | None
    short: str | None
    abbrev: str | None
    start: date | None
    end: date | None
    parent: str | None
    predecessor: str | None
    legislature: int | None

    @property
    def name(self) -> str | None:
        """Ministries go by their short label (as on the question pages), other organes by their label."""
        return (self.short or self.label) if self.type == "MINISTERE" else (self.label or self.short)


@dataclass
class Mandate:
    uid: str
    type: str
    organes: list[str]
    start: date | None
    end: date | None
    legislature: int | None
    department: str | None
    department_code: str | None
    circo: int | None
    end_cause: str | None
    role: str | None


@dataclass
class Acteur:
    uid: str
    given: str
    family: str
    mandates: dict[str, Mandate] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"


@dataclass
class Question:
    uid: str
    kind: str
    number: int
    legislature: int
    title: str | None
    rubrique: str | None
    author: str
    mandate: str | None
    group: str | None
    addressed: str
    attributions: list[tuple[str, date | None]]
    published: date
    answers: list[tuple[date | None, str | None]]
    closure: tuple[str | None, str | None, date | None] | None
    text: str | None

    @property
    def iri(self) -> str:
        return iri("question", self.uid)

    @property
    def answering(self) -> str:
        """The ministry of the latest attribution."""
        if not self.attributions:
            return self.addressed
        latest = max(range(len(self.attributions)), key=lambda i: (self.attributions[i][1] or date.min, i))
        return self.attributions[latest][0]

    @property
    def first_answer(self) -> date | None:
        return min((on for on, _ in self.answers if on), default=None)

    @property
    def status(self) -> str:
        if self.closure is None:
            return "answered" if self.answers else "pending"
        code, reason = (self.closure[0] or "").upper(), (self.closure[1] or "").lower()
        if code == "REP_PUB" or reason.startswith("réponse publiée"):
            return "answered"
        if code.startswith("RET") or "retir" in reason or reason == "fin de mandat":
            return "withdrawn"
        if code.startswith("CAD") or "caduc" in reason:
            return "lapsed"
        return "closed-other"


@dataclass
class Sources:
    organes: dict[str, Organe]
    acteurs: dict[str, Acteur]
    questions: dict[str, Question]

    def ministry_by_label(self, short: str | None, full: str | None, on: date) -> str:
        """The one MINISTERE organe of that label valid on the date (15th legislature: no organeRef)."""
        found = [
            o.uid
            for o in self.organes.values()
            if o.type == "MINISTERE"
            and valid_on(o.start, o.end, on)
            and ((short and o.short == short) or (full and o.label == full))
        ]
        assert len(found) == 1, (short, full, on, found)
        return found[0]

    def group_on(self, acteur: str, on: date) -> str:
        """The group of the acteur's GP mandate valid on the date (the latest to start)."""
        current = [
            m
            for m in self.acteurs[acteur].mandates.values()
            if m.type == "GP" and valid_on(m.start, m.end, on)
        ]
        return max(current, key=lambda m: (m.start or date.min, m.uid)).organes[0]

    def seat_on(self, acteur: str, legislature: int, on: date) -> Mandate:
        seats = [
            m
            for m in self.acteurs[acteur].mandates.values()
            if m.type == "ASSEMBLEE" and m.legislature == legislature and valid_on(m.start, m.end, on)
        ]
        assert len(seats) == 1
        return seats[0]

    def seat_of(self, question: Question) -> Mandate:
        """The seat the question names (its mandatRef), else the one the author held on publication."""
        if question.mandate:
            return self.acteurs[question.author].mandates[question.mandate]
        return self.seat_on(question.author, question.legislature, question.published)

    def alt_labels(self, uid: str) -> set[str]:
        organe = self.organes[uid]
        return {t for t in (organe.short, organe.abbrev) if t} - {organe.name}


def read_organes() -> dict[str, Organe]:
    organes = {}
    for path in sorted((DATA / "an" / "organes").rglob("*.json")):
        o = json.loads(path.read_text(encoding="utf-8"))["organe"]
        validity = o.get("viMoDe") or {}
        uid = scalar(o["uid"])
        organes[uid] = Organe(
            uid,
            scalar(o.get("codeType")),
            scalar(o.get("libelle")),
            scalar(o.get("libelleAbrege")),
            scalar(o.get("libelleAbrev")),
            parse_date(validity.get("dateDebut")),
            parse_date(validity.get("dateFin")),
            scalar(o.get("organeParent")),
            scalar(o.get("organePrecedentRef")),
            integer(o.get("legislature")),
        )
    return organes


def read_acteurs() -> dict[str, Acteur]:
    """Acteurs of every AMO dump (l15, l16, l17), their mandates merged by uid."""
    acteurs: dict[str, Acteur] = {}
    for path in sorted((DATA / "an" / "acteurs").rglob("*.json")):
        a = json.loads(path.read_text(encoding="utf-8"))["acteur"]
        ident = a["etatCivil"]["ident"]
        uid = scalar(a["uid"])
        acteur = acteurs.setdefault(uid, Acteur(uid, scalar(ident["prenom"]), scalar(ident["nom"])))
        for m in as_list((a.get("mandats") or {}).get("mandat")):
            place = (m.get("election") or {}).get("lieu") or {}
            quality = m.get("infosQualite") or {}
            acteur.mandates[scalar(m["uid"])] = Mandate(
                scalar(m["uid"]),
                scalar(m.get("typeOrgane")),
                [scalar(ref) for ref in as_list((m.get("organes") or {}).get("organeRef"))],
                parse_date(m.get("dateDebut")),
                parse_date(m.get("dateFin")),
                integer(m.get("legislature")),
                scalar(place.get("departement")),
                scalar(place.get("numDepartement")),
                integer(place.get("numCirco")),
                scalar((m.get("mandature") or {}).get("causeFin")),
                scalar(quality.get("libQualiteSex")) or scalar(quality.get("codeQualite")),
            )
    return acteurs


def read_questions(sources: Sources) -> dict[str, Question]:
    """The AN question JSON; a uid also in the older dump of 2023 (l16_dump2023) is read from the newer."""
    files = sorted(
        (DATA / "an" / "questions").rglob("*.json"), key=lambda p: ("dump" not in p.parent.name, p)
    )
    records = {}
    for path in files:
        record = json.loads(path.read_text(encoding="utf-8"))["question"]
        records[scalar(record["uid"])] = record
    questions = {}
    for uid, q in records.items():
        asked = [
            (parse_date((t.get("infoJO") or {}).get("dateJO")), scalar(t.get("texte")))
            for t in as_list((q.get("textesQuestion") or {}).get("texteQuestion"))
        ]
        answers = [
            (parse_date((t.get("infoJO") or {}).get("dateJO")), scalar(t.get("texte")))
            for t in as_list((q.get("textesReponse") or {}).get("texteReponse"))
        ]
        if scalar(q["type"]) == "QG":
            # A QG's texts are the sides of its sitting's exchange (test_turns checks how they are read).
            sides = [(on, spoken_texts(read_transcript(t)) if t else (None, None)) for on, t in answers]
            asked = [(None, asked) for _, (asked, _) in sides[:1]]
            answers = [
                (on, answered or t) for (on, (_, answered)), (_, t) in zip(sides, answers, strict=True)
            ]
        cloture = q.get("cloture")
        closure = None
        if isinstance(cloture, dict):
            closure = (
                scalar(cloture.get("codeCloture")),
                scalar(cloture.get("libelleCloture")),
                parse_date(cloture.get("dateCloture")),
            )
        attributions = as_list((q.get("minAttribs") or {}).get("minAttrib"))
        attributed_on = [parse_date((a.get("infoJO") or {}).get("dateJO")) for a in attributions]
        # A question au Gouvernement has no published text: it is asked in the sitting, the earliest
        # date its record gives (the answer's, the attribution's, the closure's).
        published = next((on for on, _ in asked if on), None) or min(
            on for on in [*(on for on, _ in answers), *attributed_on, closure and closure[2]] if on
        )
        asked_to = q.get("minInt") or {}
        addressed = scalar(asked_to.get("organeRef")) or sources.ministry_by_label(
            scalar(asked_to.get("abrege")), scalar(asked_to.get("developpe")), published
        )
        attributed = []
        for attribution, on in zip(attributions, attributed_on, strict=True):
            name = attribution.get("denomination") or {}
            ministry = scalar(name.get("organeRef")) or sources.ministry_by_label(
                scalar(name.get("abrege")), scalar(name.get("developpe")), on or published
            )
            attributed.append((ministry, on))
        identity = q["auteur"]["identite"]
        author = scalar(identity["acteurRef"])
        group = scalar((q["auteur"].get("groupe") or {}).get("organeRef"))
        if group in (None, "POnull"):
            # Non-inscrit in the question ("POnull"): the group is the author's GP mandate of the day
            # in the AMO (for QANR5L15QG1194, Manuel Valls, his apparenté La République en Marche
            # mandate, which ends that very day).
            group = sources.group_on(author, published)
        indexation = q.get("indexationAN") or {}
        analyses = indexation.get("analyses") or indexation.get("ANALYSE") or {}
        analyses = analyses.get("analyse", analyses.get("ANA")) if isinstance(analyses, dict) else analyses
        titles = [scalar(a) for a in as_list(analyses) if scalar(a)]
        questions[uid] = Question(
            uid=uid,
            kind=scalar(q["type"]),
            number=int(scalar(q["identifiant"]["numero"])),
            legislature=int(scalar(q["identifiant"]["legislature"])),
            title=" ; ".join(titles) or None,
            rubrique=scalar(indexation.get("rubrique")),
            author=author,
            mandate=scalar(identity.get("mandatRef")),
            group=group,
            addressed=addressed,
            attributions=attributed,
            published=published,
            answers=answers,
            closure=closure,
            text="\n".join(plain(t) for _, t in asked if t) or None,
        )
    return questions


def read_seed(sources: Sources) -> Question:
    """The seed question, from the text of its web page."""
    text = (DATA / "seed" / "question-12432.txt").read_text(encoding="utf-8")
    legislature = int(re.search(r"(\d+)ème législature", text)[1])
    number = int(re.search(r"Question écrite n° (\d+)", text)[1])
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = lines[lines.index(f"{legislature}ème législature") + 1]
    body = text.split("Texte de la question", 1)[1].split("Données clés", 1)[0].replace("*", "")
    author_name = re.search(r"Auteur : \[(?:M\.|Mme) (.+?)\]", text)[1]
    department, circo, group_name = re.search(
        r"Circonscription : (.+?) \((\d+)\^e circonscription\) - (.+)", text
    ).groups()
    published = french_date(re.search(r"Question publiée au JO le : \[(\d+ \w+ \d{4})\]", text)[1])
    withdrawn_on, reason = re.search(r"Question retirée le : (\d+ \w+ \d{4}) \((.+?)\)", text).groups()
    asked_to = re.search(r"Ministère interrogé : (.+)", text)[1].strip()
    ministry = sources.ministry_by_label(asked_to, None, published)
    answering = re.search(r"Ministère attributaire : \[(.+?)\]", text)[1]
    assert sources.organes[ministry].short == answering
    # The author: the acteur of that name who held that seat in that legislature.
    (author,) = [
        a.uid
        for a in sources.acteurs.values()
        if a.name == author_name
        and any(
            m.type == "ASSEMBLEE"
            and m.legislature == legislature
            and m.department == department
            and m.circo == int(circo)
            for m in a.mandates.values()
        )
    ]
    group = sources.group_on(author, published)
    assert sources.organes[group].label == group_name.strip()
    return Question(
        uid=f"QANR5L{legislature}QE{number}",
        kind="QE",
        number=number,
        legislature=legislature,
        title=title,
        rubrique=re.search(r"Rubrique : (.+)", text)[1].strip(),
        author=author,
        mandate=None,
        group=group,
        addressed=ministry,
        attributions=[(ministry, None)],
        published=published,
        answers=[],
        # "Question retirée le : 11 juin 2024 (Fin de mandat)": withdrawn, for that reason, on that day.
        closure=(None, reason, french_date(withdrawn_on)),
        text=" ".join(body.split()),
    )


@cache
def sources() -> Sources:
    data = Sources(read_organes(), read_acteurs(), {})
    data.questions = read_questions(data)
    seed = read_seed(data)
    data.questions[seed.uid] = seed
    return data


# -- running the queries ------------------------------------------------------------------------


def value(term: Any) -> Any:
    """A result term as a Python value: IRIs and strings as str, numbers and dates typed."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return term.value
    datatype = term.datatype.value if isinstance(term, Literal) else ""
    if datatype == XSD + "integer":
        return int(term.value)
    if datatype == XSD + "decimal":
        return Decimal(term.value)
    if datatype == XSD + "date":
        return date.fromisoformat(term.value)
    return term.value


def run(db: Any, name: str, columns: list[str] | None = None, **params: str) -> list[dict[str, Any]]:
    """The rows of a named query (parameters bound as `kg query -p` binds them), as dicts."""
    answer = db.query(find(name).bound(**params))
    assert isinstance(answer, Solutions)
    if columns is not None:
        assert answer.variables == columns
    return [dict(zip(answer.variables, map(value, row), strict=True)) for row in answer.rows]


def run_on(store: Store, name: str, **params: str) -> list[dict[str, Any]]:
    """A named query on a pyoxigraph store of our own (synthetic data)."""
    answer = from_oxigraph(store.query(find(name).bound(**params)))
    assert isinstance(answer, Solutions)
    return [dict(zip(answer.variables, map(value, row), strict=True)) for row in answer.rows]


def half_up(number: Decimal, places: int = 2) -> Decimal:
    """SPARQL's ROUND(x * 100) / 100 for positive numbers."""
    scale = Decimal(10) ** places
    return (number * scale).quantize(Decimal(1), rounding=ROUND_HALF_UP) / scale


def same_rubrique(label: str | None, source: str | None) -> bool:
    """The graph writes the scheme's label of a rubrique ("santé" where the page says "Santé")."""
    return (label or "").casefold() == (source or "").casefold()


def legislatures() -> list[int | None]:
    return [None, *sorted({q.legislature for q in sources().questions.values()})]


def scoped(legislature: int | None) -> list[Question]:
    return [q for q in sources().questions.values() if legislature is None or q.legislature == legislature]


def params_of(legislature: int | None) -> dict[str, str]:
    return {} if legislature is None else {"legislature": str(legislature)}


# -- the library --------------------------------------------------------------------------------

QUERY_NAMES = sorted(library())


def test_the_library_has_the_queries_users_ask_for() -> None:
    assert len(QUERY_NAMES) >= 15
    assert {
        "questions-by-ministry",
        "questions-by-deputy",
        "questions-to-ministry",
        "unanswered-after-deadline",
        "answer-delays-by-ministry",
        "questions-per-rubrique-per-year",
        "most-active-deputies",
        "most-active-groups",
        "questions-by-group-and-ministry",
        "ministry-names",
        "transferred-questions",
        "withdrawn-end-of-mandate",
        "deputies-changing-groups",
        "questions-by-constituency",
        "search-text",
        "question-neighbourhood",
        "questions-mentioning-organisation",
        "questions-mentioning-legal-instrument",
    } <= set(QUERY_NAMES)


def test_the_readme_lists_every_named_query_with_its_title() -> None:
    readme = (DATA.parent.parent / "README.md").read_text(encoding="utf-8")
    for name in QUERY_NAMES:
        assert f"| `{name}` | {library()[name].title} |" in readme


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_query_is_documented_and_portable(name: str) -> None:
    query = library()[name]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
    assert query.title and not query.title.startswith("@")
    # A description of at least one sentence.
    assert re.search(r"\w.*\w[.)]", query.description), query.description
    assert len(query.description.split()) >= 8
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    for parameter in query.parameters:
        assert re.search(rf"\?{parameter.name}\b", body), f"{name}: ?{parameter.name} is not used"
        assert parameter.description
    # Standard SPARQL 1.1 that Virtuoso 7.2 runs too: no extension functions, no date arithmetic.
    for forbidden in ("GROUP_CONCAT", "bif:", "sql:", "ofn:", "xsd:date(", "xsd:dayTimeDuration", "SAMPLE("):
        assert forbidden.lower() not in body.lower(), f"{name} uses {forbidden}"
    if name != "unanswered-after-deadline":
        assert "NOW()" not in body
    assert re.match(r"\s*PREFIX", body)
    if query.form == "SELECT":
        assert "ORDER BY" in body, "deterministic output needs an ORDER BY"


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_query_runs_with_its_defaults(name: str, sample_db) -> None:
    answer = sample_db.query(find(name).bound())
    assert isinstance(answer, Triples if find(name).form == "CONSTRUCT" else Solutions)


# -- questions of a deputy, of a group, to a ministry -------------------------------------------


def question_row(q: Question) -> dict[str, Any]:
    organes = sources().organes
    return {
        "question": q.iri,
        "type": q.kind,
        "issued": q.published,
        "title": q.title,
        "answeringMinistry": organes[q.answering].name,
        "status": q.status,
    }


@pytest.mark.parametrize("legislature", [None, 15, 16])
def test_questions_by_deputy(sample_db, legislature: int | None) -> None:
    deputy = find("questions-by-deputy").parameters[0].default.removeprefix("acteur:")
    expected = sorted(
        (q for q in scoped(legislature) if q.author == deputy),
        key=lambda q: (-q.published.toordinal(), q.iri),
    )
    columns = ["question", "number", "type", "legislatureNumber", "issued", "title", "rubrique"]
    columns += ["answeringMinistry", "status", "firstAnswer"]
    rows = run(sample_db, "questions-by-deputy", columns, **params_of(legislature))
    assert [row["question"] for row in rows] == [q.iri for q in expected]
    if legislature in (None, 15):
        assert len(rows) == 2, (
            "the default deputy, Laurence Dumont, asked two questions in the 15th legislature"
        )
    for row, q in zip(rows, expected, strict=True):
        assert {k: row[k] for k in question_row(q)} == question_row(q)
        assert (row["number"], row["legislatureNumber"], row["firstAnswer"]) == (
            q.number,
            q.legislature,
            q.first_answer,
        )
        assert same_rubrique(row["rubrique"], q.rubrique)


def test_questions_by_deputy_of_the_seed(sample_db) -> None:
    seed = sources().questions[SEED]
    rows = run(sample_db, "questions-by-deputy", deputy=f"acteur:{seed.author}")
    assert [(r["question"], r["status"], r["firstAnswer"]) for r in rows] == [(seed.iri, "withdrawn", None)]
    assert same_rubrique(rows[0]["rubrique"], seed.rubrique)
    assert rows[0]["title"] == seed.title


@pytest.mark.parametrize("group", ["PO800514", "PO723569", "PO730964"])
def test_questions_of_a_group(sample_db, group: str) -> None:
    expected = sorted(
        (q for q in sources().questions.values() if q.group == group),
        key=lambda q: (-q.published.toordinal(), q.iri),
    )
    assert expected
    rows = run(sample_db, "questions-of-a-group", group=f"organe:{group}")
    assert [r["question"] for r in rows] == [q.iri for q in expected]
    for row, q in zip(rows, expected, strict=True):
        assert {k: row[k] for k in question_row(q)} == question_row(q)
        assert row["deputy"] == iri("acteur", q.author)
        assert row["deputyName"] == sources().acteurs[q.author].name
        assert row["group"] == iri("organe", group)


@pytest.mark.parametrize(
    ("ministry", "since", "until"),
    [
        ("PO791607", None, None),  # the default: Travail, plein emploi et insertion
        ("PO791607", "2023-02-01", None),
        ("PO791607", None, "2023-01-31"),
        ("PO791607", "2023-01-11", "2023-01-11"),
        ("PO725689", "2018-01-01", "2020-12-31"),  # Premier ministre of the Philippe governments
        ("PO826644", None, None),  # the seed's ministry
    ],
)
def test_questions_to_ministry(sample_db, ministry: str, since: str | None, until: str | None) -> None:
    start, end = (date.fromisoformat(d) if d else None for d in (since, until))
    expected = sorted(
        (
            q
            for q in sources().questions.values()
            if (q.addressed == ministry or any(m == ministry for m, _ in q.attributions))
            and valid_on(start, end, q.published)
        ),
        key=lambda q: (-q.published.toordinal(), q.iri),
    )
    assert expected
    params = {"ministry": f"organe:{ministry}"} | ({"since": since} if since else {})
    params |= {"until": until} if until else {}
    rows = run(sample_db, "questions-to-ministry", **params)
    assert [r["question"] for r in rows] == [q.iri for q in expected]
    for row, q in zip(rows, expected, strict=True):
        assert {k: row[k] for k in question_row(q)} == question_row(q)
        assert row["ministry"] == iri("organe", ministry)
        assert row["deputyName"] == sources().acteurs[q.author].name
        assert row["groupName"] == sources().organes[q.group].name
        assert row["firstAnswer"] == q.first_answer


# -- written questions unanswered after two months ----------------------------------------------


def two_months_after(on: date) -> date:
    """The same day two calendar months later, or the last day of that month."""
    year, month = divmod(on.month + 1, 12)
    year, month = on.year + year, month + 1
    for day in range(on.day, 27, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, on.day)


def overdue(as_of: date) -> list[tuple[str, int]]:
    """The written questions unanswered two months after publication, as of the date, with the days."""
    late = []
    for q in sources().questions.values():
        if q.kind != "QE" or not two_months_after(q.published) < as_of:
            continue
        if any(on is None or on <= as_of for on, _ in q.answers):
            continue
        if q.closure and q.closure[2] and q.closure[2] <= as_of:
            continue
        late.append((q.iri, (as_of - q.published).days))
    return sorted(late, key=lambda item: (-item[1], item[0]))


def test_two_months_after() -> None:
    assert two_months_after(date(2023, 10, 24)) == date(2023, 12, 24)
    assert two_months_after(date(2023, 12, 31)) == date(2024, 2, 29)
    assert two_months_after(date(2024, 11, 30)) == date(2025, 1, 30)


def test_unanswered_after_deadline_on_the_seed(sample_db) -> None:
    seed = sources().questions[SEED]
    # Published 24 October 2023, never answered, withdrawn 11 June 2024.
    columns = ["question", "number", "issued", "title", "deputy", "deputyName", "answeringMinistry"]
    columns += ["ministryName", "daysElapsed"]
    rows = run(sample_db, "unanswered-after-deadline", columns, as_of="2024-01-01")
    assert rows == [
        {
            "question": seed.iri,
            "number": seed.number,
            "issued": seed.published,
            "title": seed.title,
            "deputy": iri("acteur", seed.author),
            "deputyName": "Philippe Juvin",
            "answeringMinistry": iri("organe", seed.answering),
            "ministryName": "Santé et prévention",
            "daysElapsed": (date(2024, 1, 1) - seed.published).days,
        }
    ]
    # Two months after 24 October is 24 December: late from the 25th, no longer once withdrawn.
    assert run(sample_db, "unanswered-after-deadline", as_of="2023-12-24") == []
    assert [r["daysElapsed"] for r in run(sample_db, "unanswered-after-deadline", as_of="2023-12-25")] == [62]
    assert run(sample_db, "unanswered-after-deadline", as_of=seed.closure[2].isoformat()) == []


def test_unanswered_after_deadline_on_a_question_answered_late(sample_db) -> None:
    question = sources().questions["QANR5L17QE5268"]
    answered = question.first_answer
    assert (answered - question.published).days > 60, "answered some time after the deadline"
    before = date.fromordinal(answered.toordinal() - 1)
    rows = run(sample_db, "unanswered-after-deadline", as_of=before.isoformat())
    assert [(r["question"], r["daysElapsed"]) for r in rows] == [
        (question.iri, (before - question.published).days)
    ]
    assert run(sample_db, "unanswered-after-deadline", as_of=answered.isoformat()) == []


def test_unanswered_after_deadline_day_by_day(sample_db) -> None:
    """Every fifth day over two years: the set and the exact day counts, across a leap day."""
    query = find("unanswered-after-deadline")
    day = date(2023, 10, 1).toordinal()
    while day < date(2025, 7, 1).toordinal():
        as_of = date.fromordinal(day)
        answer = sample_db.query(query.bound(as_of=as_of.isoformat()))
        got = [(row[0].value, int(row[-1].value)) for row in answer.rows]
        assert got == overdue(as_of), as_of
        day += 5


def test_unanswered_after_deadline_today(sample_db) -> None:
    today = datetime.now(UTC).date()
    rows = run(sample_db, "unanswered-after-deadline")
    assert [(r["question"], r["daysElapsed"]) for r in rows] == overdue(today)


# -- answer delays ------------------------------------------------------------------------------


def delay_table(questions: list[Question]) -> list[dict[str, Any]]:
    organes = sources().organes
    by_ministry: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        by_ministry[q.answering].append(q)
    rows = []
    for ministry, asked in by_ministry.items():
        answered = [q for q in asked if q.answers]
        delays = sorted((q.first_answer - q.published).days for q in answered if q.first_answer)
        mean = median = None
        if delays:
            mean = half_up(Decimal(sum(delays)) / len(delays))
            median = delays[(len(delays) + 1) // 2 - 1]  # the lower median
        rows.append(
            {
                "ministry": iri("organe", ministry),
                "ministryName": organes[ministry].name,
                "questions": len(asked),
                "answered": len(answered),
                "answerRatePercent": half_up(Decimal(100 * len(answered)) / len(asked)),
                "meanDelayDays": mean,
                "medianDelayDays": median,
            }
        )
    return sorted(rows, key=lambda r: (-r["questions"], r["ministryName"], r["ministry"]))


@pytest.mark.parametrize("legislature", legislatures())
def test_answer_delays_by_ministry(sample_db, legislature: int | None) -> None:
    expected = delay_table(scoped(legislature))
    columns = ["ministry", "ministryName", "questions", "answered", "answerRatePercent", "meanDelayDays"]
    rows = run(
        sample_db, "answer-delays-by-ministry", [*columns, "medianDelayDays"], **params_of(legislature)
    )
    assert rows == expected
    if legislature in (None, 17):
        # QE5268: published 25 March 2025, answered 3 June 2025.
        economy = next(r for r in rows if r["ministry"] == iri("organe", "PO855083"))
        assert economy["meanDelayDays"] == economy["medianDelayDays"] == 70
    if legislature in (None, 16):
        health = next(r for r in rows if r["ministry"] == iri("organe", "PO826644"))
        assert (health["answered"], health["answerRatePercent"], health["medianDelayDays"]) == (0, 0, None)


@pytest.mark.parametrize("legislature", legislatures())
def test_questions_by_ministry(sample_db, legislature: int | None) -> None:
    expected = [
        {k: r[k] for k in ("ministry", "ministryName", "questions", "answered")}
        for r in delay_table(scoped(legislature))
    ]
    columns = ["ministry", "ministryName", "questions", "answered"]
    assert run(sample_db, "questions-by-ministry", columns, **params_of(legislature)) == expected


SYNTHETIC = """
@prefix qkg: <https://w3id.org/questions-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/questions-kg/id/> .
id:legislature\\/16 a qkg:Legislature ; qkg:number 16 .
"""


def synthetic_question(uid: str, ministry: str, issued: date, answers: list[date], **more: str) -> str:
    lines = [
        f"<{iri('question', uid)}> a qkg:Question , qkg:WrittenQuestion ;",
        f"  qkg:legislature <{iri('legislature', '16')}> ;",
        f"  qkg:answeringMinistry <{iri('organe', ministry)}> ;",
        *(f"  {prop} {obj} ;" for prop, obj in more.items()),
        f'  dcterms:issued "{issued.isoformat()}"^^xsd:date .',
    ]
    if answers:  # as the converter writes it (tested on the sample below)
        lines.append(f"<{iri('question', uid)}> qkg:answerDelayDays {(min(answers) - issued).days} .")
    for index, on in enumerate(answers):
        answer = iri("answer", uid if index == 0 else f"{uid}-{index + 1}")
        lines.append(
            f'<{iri("question", uid)}> qkg:answer <{answer}> . <{answer}> dcterms:issued "{on}"^^xsd:date .'
        )
    return "\n".join(lines) + "\n"


def test_answer_delay_of_every_sample_question(sample_db) -> None:
    """The converter writes the days from each question to its first dated answer."""
    expected = {
        q.uid: (q.first_answer - q.published).days for q in sources().questions.values() if q.first_answer
    }
    rows = sample_db.query(
        "SELECT ?uid ?days WHERE { ?q qkg:answerDelayDays ?days ; dcterms:identifier ?uid }"
    ).rows
    assert {uid.value: int(days.value) for uid, days in rows} == expected
    assert expected and set(expected.values()) != {0}  # written questions wait for their answer


def test_answer_delays_median_and_mean_on_synthetic_questions() -> None:
    """Several delays per ministry (the sample has one at most), and delays across centuries."""
    issued = date(2023, 1, 10)
    delays = {"M1": [0, 3, 30, 7, 10], "M2": [5, 1, 9, 2], "M3": [4, 4]}
    spans = {  # leap years 2000 and 2024, not 1900 nor 2100
        "L1": (date(1899, 12, 31), date(1900, 3, 1)),
        "L2": (date(1999, 12, 31), date(2000, 3, 1)),
        "L3": (date(2023, 12, 20), date(2024, 3, 1)),
        "L4": (date(2099, 12, 31), date(2100, 3, 1)),
        "L5": (date(1970, 1, 1), date(2038, 1, 19)),
    }
    text = SYNTHETIC
    for ministry, days in delays.items():
        for index, delay in enumerate(days):
            answered = date.fromordinal(issued.toordinal() + delay)
            # The first answer counts: a later second answer changes nothing.
            later = [answered, date(2030, 1, 1)] if index == 0 else [answered]
            text += synthetic_question(f"{ministry}Q{index}", ministry, issued, later)
    text += synthetic_question("M1QX", "M1", issued, [])  # unanswered: counted, no delay
    for ministry, (start, end) in spans.items():
        text += synthetic_question(f"{ministry}Q", ministry, start, [end])
    store = Store()
    store.load(text.encode(), RdfFormat.TURTLE)
    rows = {r["ministry"].rsplit("/", 1)[1]: r for r in run_on(store, "answer-delays-by-ministry")}
    assert (rows["M1"]["questions"], rows["M1"]["answered"], rows["M1"]["answerRatePercent"]) == (
        6,
        5,
        Decimal("83.33"),
    )
    assert (rows["M1"]["meanDelayDays"], rows["M1"]["medianDelayDays"]) == (10, 7)
    assert (rows["M2"]["meanDelayDays"], rows["M2"]["medianDelayDays"]) == (Decimal("4.25"), 2)
    assert (rows["M3"]["meanDelayDays"], rows["M3"]["medianDelayDays"]) == (4, 4)
    for ministry, (start, end) in spans.items():
        assert rows[ministry]["medianDelayDays"] == (end - start).days, ministry
        assert rows[ministry]["meanDelayDays"] == (end - start).days, ministry
    assert run_on(store, "answer-delays-by-ministry", legislature="15") == []


# -- counts by rubrique, month, status, group, deputy, constituency -----------------------------


@pytest.mark.parametrize("legislature", legislatures())
def test_questions_per_rubrique_per_year(sample_db, legislature: int | None) -> None:
    counts = Counter((q.published.year, (q.rubrique or "").casefold()) for q in scoped(legislature))
    rows = run(
        sample_db,
        "questions-per-rubrique-per-year",
        ["year", "rubrique", "rubriqueLabel", "questions"],
        **params_of(legislature),
    )
    assert (
        Counter({(r["year"], (r["rubriqueLabel"] or "").casefold()): r["questions"] for r in rows}) == counts
    )
    assert len(rows) == len(counts)
    assert all((r["rubrique"] is None) == (r["rubriqueLabel"] is None) for r in rows)
    order = [(r["year"], -r["questions"], r["rubriqueLabel"] or "", r["rubrique"] or "") for r in rows]
    assert order == sorted(order)


@pytest.mark.parametrize("legislature", legislatures())
def test_questions_per_month_by_type(sample_db, legislature: int | None) -> None:
    counts = Counter((q.published.isoformat()[:7], q.kind) for q in scoped(legislature))
    rows = run(
        sample_db, "questions-per-month-by-type", ["month", "type", "questions"], **params_of(legislature)
    )
    assert [(r["month"], r["type"], r["questions"]) for r in rows] == sorted(
        (*k, n) for k, n in counts.items()
    )


@pytest.mark.parametrize("legislature", legislatures())
def test_questions_by_status(sample_db, legislature: int | None) -> None:
    counts = Counter((q.legislature, q.kind, q.status) for q in scoped(legislature))
    columns = ["legislatureNumber", "type", "status", "questions"]
    rows = run(sample_db, "questions-by-status", columns, **params_of(legislature))
    assert [tuple(r.values()) for r in rows] == sorted((*k, n) for k, n in counts.items())
    if legislature == 16:
        assert (16, "QE", "withdrawn", 1) in [tuple(r.values()) for r in rows]


@pytest.mark.parametrize(
    ("legislature", "limit"), [(None, None), (None, "1"), (None, "2"), (16, "5"), (15, "3")]
)
def test_most_active_deputies(sample_db, legislature: int | None, limit: str | None) -> None:
    asked = scoped(legislature)
    counts = Counter(q.author for q in asked)
    by_type = {kind: Counter(q.author for q in asked if q.kind == kind) for kind in TYPE_CLASSES}
    expected = []
    for deputy, n in counts.items():
        rank = 1 + sum(1 for other in counts.values() if other > n)
        if rank <= int(limit or find("most-active-deputies").parameters[1].default):
            name = sources().acteurs[deputy].name
            expected.append(
                (
                    rank,
                    name,
                    iri("acteur", deputy),
                    n,
                    by_type["QE"][deputy],
                    by_type["QG"][deputy],
                    by_type["QOSD"][deputy],
                )
            )
    expected.sort(key=lambda row: row[:3])
    params = params_of(legislature) | ({"limit": limit} if limit else {})
    columns = [
        "rank",
        "deputy",
        "name",
        "questions",
        "writtenQuestions",
        "governmentQuestions",
        "oralQuestions",
    ]
    rows = run(sample_db, "most-active-deputies", columns, **params)
    assert [
        (
            r["rank"],
            r["name"],
            r["deputy"],
            r["questions"],
            r["writtenQuestions"],
            r["governmentQuestions"],
            r["oralQuestions"],
        )
        for r in rows
    ] == expected
    if limit == "1" and legislature is None:
        # Laurence Dumont and Fadila Khattabi asked two questions each: a shared first rank.
        assert [r["rank"] for r in rows] == [1, 1]


@pytest.mark.parametrize("legislature", legislatures())
def test_most_active_groups(sample_db, legislature: int | None) -> None:
    data = sources()
    asked = scoped(legislature)
    expected = []
    for group in {q.group for q in asked}:
        mine = [q for q in asked if q.group == group]
        expected.append(
            {
                "group": iri("organe", group),
                "groupName": data.organes[group].name,
                "abbreviation": min(data.alt_labels(group), default=None),
                "questions": len(mine),
                "deputies": len({q.author for q in mine}),
                "answered": sum(1 for q in mine if q.answers),
            }
        )
    expected.sort(key=lambda r: (-r["questions"], r["groupName"], r["group"]))
    columns = ["group", "groupName", "abbreviation", "questions", "deputies", "answered"]
    assert run(sample_db, "most-active-groups", columns, **params_of(legislature)) == expected


@pytest.mark.parametrize("legislature", legislatures())
def test_questions_by_group_and_ministry(sample_db, legislature: int | None) -> None:
    organes = sources().organes
    counts = Counter((q.group, q.answering) for q in scoped(legislature))
    expected = sorted(
        (
            {
                "group": iri("organe", group),
                "groupName": organes[group].name,
                "ministry": iri("organe", ministry),
                "ministryName": organes[ministry].name,
                "questions": n,
            }
            for (group, ministry), n in counts.items()
        ),
        key=lambda r: (r["groupName"], r["group"], -r["questions"], r["ministryName"], r["ministry"]),
    )
    columns = ["group", "groupName", "ministry", "ministryName", "questions"]
    assert run(sample_db, "questions-by-group-and-ministry", columns, **params_of(legislature)) == expected


@pytest.mark.parametrize("department", [None, "92", "2A", "14", "99"])
def test_questions_by_constituency(sample_db, department: str | None) -> None:
    data = sources()
    seats: dict[tuple[str, int], list[Question]] = defaultdict(list)
    names = {}
    for q in data.questions.values():
        seat = data.seat_of(q)
        seats[(seat.department_code, seat.circo)].append(q)
        names[(seat.department_code, seat.circo)] = seat.department
    expected = [
        (code, iri("constituency", f"{code}-{n}"), n, len(asked), len({q.author for q in asked}))
        for (code, n), asked in sorted(seats.items())
        if department is None or code == department
    ]
    columns = ["departmentCode", "constituency", "constituencyName", "number", "questions", "deputies"]
    rows = run(
        sample_db, "questions-by-constituency", columns, **({"department": department} if department else {})
    )
    assert [
        (r["departmentCode"], r["constituency"], r["number"], r["questions"], r["deputies"]) for r in rows
    ] == expected
    for row in rows:
        assert row["constituencyName"].startswith(names[(row["departmentCode"], row["number"])] + " (")
    if department == "92":
        # The seed's author sits for Hauts-de-Seine (3e circonscription), as its page says.
        assert iri("constituency", "92-3") in [r["constituency"] for r in rows]
    if department == "99":
        assert rows == []


# -- ministries, transfers, withdrawals, groups -------------------------------------------------


def ministry_line(ministry: str) -> list[tuple[str, str]]:
    """(relation, organe) of the ministry's line, following organePrecedentRef both ways."""
    organes = sources().organes
    successors = defaultdict(list)
    for organe in organes.values():
        if organe.type == "MINISTERE" and organe.predecessor:
            successors[organe.predecessor].append(organe.uid)
    line = [("given", ministry)]
    current = ministry
    while current in organes and organes[current].predecessor:
        current = organes[current].predecessor
        line.append(("predecessor", current))
    todo = list(successors[ministry])
    while todo:
        current = todo.pop()
        line.append(("successor", current))
        todo += successors[current]
    return line


@pytest.mark.parametrize("ministry", ["PO791601", "PO833678", "PO834720", "PO855083", "PO826644"])
def test_ministry_names(sample_db, ministry: str) -> None:
    organes = sources().organes
    expected = []
    for relation, uid in ministry_line(ministry):
        organe = organes.get(uid)
        government = organes.get(organe.parent) if organe and organe.parent else None
        expected.append(
            {
                "ministry": iri("organe", ministry),
                "relation": relation,
                "organe": iri("organe", uid),
                "name": organe and organe.name,
                "fullName": organe and organe.label,
                "government": organe and organe.parent and iri("organe", organe.parent),
                "governmentName": government and government.short,
                "start": organe and organe.start,
                "end": organe and organe.end,
            }
        )
    expected.sort(key=lambda r: (r["start"].isoformat() if r["start"] else "", r["organe"]))
    rows = run(sample_db, "ministry-names", list(expected[0]), ministry=f"organe:{ministry}")
    assert rows == expected
    if ministry == "PO791601":
        # Éducation nationale et jeunesse of the Borne government, down to Éducation et jeunesse under Attal.
        assert [r["governmentName"] for r in rows] == ["BORNE", "BORNE", "ATTAL", "ATTAL"]
        assert rows[-1]["name"] == "Éducation et jeunesse"


def test_transferred_questions_on_the_sample(sample_db) -> None:
    transferred = [
        q for q in sources().questions.values() if q.answering != q.addressed or len(q.attributions) > 1
    ]
    # Every question of the sample was answered by the ministry it was put to, in one attribution.
    assert transferred == []
    columns = ["question", "issued", "addressedTo", "addressedToName", "answeringMinistry"]
    columns += ["answeringMinistryName", "attributions", "firstAttribution", "lastAttribution"]
    assert run(sample_db, "transferred-questions", columns) == []


def test_transferred_questions_on_synthetic_questions() -> None:
    text = SYNTHETIC
    q1 = iri("question", "T1")
    text += synthetic_question(
        "T1", "M2", date(2023, 3, 1), [], **{"qkg:addressedTo": f"<{iri('organe', 'M1')}>"}
    )
    text += synthetic_question(
        "T2", "M1", date(2023, 4, 1), [], **{"qkg:addressedTo": f"<{iri('organe', 'M1')}>"}
    )
    text += synthetic_question(
        "T3", "M1", date(2023, 5, 1), [], **{"qkg:addressedTo": f"<{iri('organe', 'M1')}>"}
    )
    for uid, ministry, on in [
        ("T1", "M1", "2023-03-01"),
        ("T1", "M2", "2023-04-15"),
        ("T2", "M1", "2023-04-01"),
        ("T2", "M1", "2023-06-01"),
        ("T3", "M1", "2023-05-01"),
    ]:
        node = f"<{iri('question', uid)}/attribution/{on}>"
        text += f"<{iri('question', uid)}> qkg:attribution {node} . "
        text += f'{node} qkg:ministry <{iri("organe", ministry)}> ; dcterms:date "{on}"^^xsd:date .\n'
    for ministry, label in (("M1", "Un"), ("M2", "Deux")):
        text += f'<{iri("organe", ministry)}> skos:prefLabel "{label}"@fr .\n'
    store = Store()
    store.load(text.encode(), RdfFormat.TURTLE)
    rows = run_on(store, "transferred-questions")
    assert [
        (r["question"].rsplit("/", 1)[1], r["attributions"], r["firstAttribution"], r["lastAttribution"])
        for r in rows
    ] == [
        ("T2", 2, date(2023, 4, 1), date(2023, 6, 1)),
        ("T1", 2, date(2023, 3, 1), date(2023, 4, 15)),
    ]
    assert (rows[1]["question"], rows[1]["addressedToName"], rows[1]["answeringMinistryName"]) == (
        q1,
        "Un",
        "Deux",
    )


def test_withdrawn_end_of_mandate(sample_db) -> None:
    data = sources()
    withdrawn = [
        q
        for q in data.questions.values()
        if q.status == "withdrawn" and (q.closure[1] or "").lower() == "fin de mandat"
    ]
    assert [q.uid for q in withdrawn] == [SEED]
    expected = []
    for q in withdrawn:
        seats = [
            m
            for m in data.acteurs[q.author].mandates.values()
            if m.type == "ASSEMBLEE" and m.legislature == q.legislature
        ]
        seat = max(seats, key=lambda m: m.end)
        expected.append(
            {
                "question": q.iri,
                "number": q.number,
                "legislatureNumber": q.legislature,
                "deputy": iri("acteur", q.author),
                "deputyName": data.acteurs[q.author].name,
                "issued": q.published,
                "withdrawnOn": q.closure[2],
                "daysOpen": (q.closure[2] - q.published).days,
                "seatEnd": seat.end,
                "seatEndCause": seat.end_cause,
            }
        )
    rows = run(sample_db, "withdrawn-end-of-mandate", list(expected[0]))
    assert rows == expected
    # Philippe Juvin's seat ended with the dissolution (9 June 2024); the question was withdrawn on the 11th.
    assert (rows[0]["seatEnd"], rows[0]["withdrawnOn"], rows[0]["daysOpen"]) == (
        date(2024, 6, 9),
        date(2024, 6, 11),
        231,
    )
    assert run(sample_db, "withdrawn-end-of-mandate", legislature="15") == []


@pytest.mark.parametrize(
    ("legislature", "min_days"), [(None, None), (None, "0"), (16, None), (15, "200"), (17, "0")]
)
def test_deputies_changing_groups(sample_db, legislature: int | None, min_days: str | None) -> None:
    data = sources()
    threshold = int(min_days or find("deputies-changing-groups").parameters[1].default)
    memberships = set()
    for acteur in data.acteurs.values():
        for m in acteur.mandates.values():
            if m.type != "GP":
                continue
            group = data.organes.get(m.organes[0])
            days = (m.end - m.start).days + 1 if m.start and m.end else None
            if group is None or group.legislature is None or (days is not None and days < threshold):
                continue
            memberships.add((group.legislature, acteur.uid, group.uid, m.start, m.end, days))
    groups_of = defaultdict(set)
    for leg, acteur, group, *_ in memberships:
        groups_of[(leg, acteur)].add(group)
    expected = sorted(
        (
            (
                leg,
                data.acteurs[acteur].name,
                iri("acteur", acteur),
                start.isoformat() if start else "",
                end.isoformat() if end else "9999",
                iri("organe", group),
                data.organes[group].name,
                days,
            )
            for leg, acteur, group, start, end, days in memberships
            if len(groups_of[(leg, acteur)]) > 1 and legislature in (None, leg)
        ),
    )
    params = params_of(legislature) | ({"min_days": min_days} if min_days else {})
    columns = ["legislatureNumber", "deputy", "name", "group", "groupName", "start", "end", "days"]
    rows = run(sample_db, "deputies-changing-groups", columns, **params)
    got = [
        (
            r["legislatureNumber"],
            r["name"],
            r["deputy"],
            r["start"].isoformat() if r["start"] else "",
            r["end"].isoformat() if r["end"] else "9999",
            r["group"],
            r["groupName"],
            r["days"],
        )
        for r in rows
    ]
    assert got == expected
    if legislature is None and min_days is None:
        # Sébastien Nadot: La République en Marche, non-inscrit, EDS, non-inscrit, Libertés et Territoires.
        nadot = [r["groupName"] for r in rows if r["name"] == "Sébastien Nadot"]
        assert nadot == [
            "La République en Marche",
            "Non inscrit",
            "Écologie Démocratie Solidarité",
            "Non inscrit",
            "Libertés et Territoires",
        ]


def constituency_label(seat: Mandate) -> str | None:
    """ "Paris (12e circonscription)", "Aude (1re circonscription)"."""
    if not seat.department:
        return None
    return f"{seat.department} ({seat.circo}{'re' if seat.circo == 1 else 'e'} circonscription)"


@pytest.mark.parametrize("deputy", ["PA721764", "PA267622", "PA346782"])
def test_deputy_mandates(sample_db, deputy: str) -> None:
    data = sources()
    kinds = {"ASSEMBLEE": "seat", "GP": "group", "GOUVERNEMENT": "government", "MINISTERE": "government"}
    expected = []
    for m in data.acteurs[deputy].mandates.values():
        if m.type not in kinds:
            continue
        for ref in m.organes:
            organe = data.organes.get(ref)
            seat = m.type == "ASSEMBLEE"
            expected.append(
                {
                    "deputy": iri("acteur", deputy),
                    "mandate": iri("mandate", m.uid),
                    "kind": kinds[m.type],
                    "organe": iri("organe", ref),
                    "organeName": organe and organe.name,
                    "role": m.role,
                    "start": m.start,
                    "end": m.end,
                    "legislatureNumber": m.legislature if seat else None,
                    "constituencyName": constituency_label(m) if seat else None,
                    "endCause": m.end_cause,
                }
            )
    expected.sort(key=lambda r: (r["start"].isoformat() if r["start"] else "", r["mandate"], r["organe"]))
    rows = run(sample_db, "deputy-mandates", list(expected[0]), deputy=f"acteur:{deputy}")
    assert rows == expected


# -- text search and the neighbourhood of a question --------------------------------------------


@pytest.mark.parametrize("plan", ["query", "text index"])
@pytest.mark.parametrize(
    "text", ["santé", "données de santé", "RETRAITE", "health data hub", "Azure", "astrazeneca", "zzzz"]
)
def test_search_text(sample_db, text: str, plan: str) -> None:
    needle = text.lower()
    found = []
    for q in sources().questions.values():
        places = {"title": q.title, "question": q.text}
        for place, content in places.items():
            if content and needle in content.lower():
                found.append((q, place))
        if any(answer and needle in plain(answer).lower() for _, answer in q.answers):
            found.append((q, "answer"))
    expected = sorted(
        ((q.iri, place, q.published, q.title) for q, place in found),
        key=lambda r: (-r[2].toordinal(), r[0], r[1]),
    )
    columns = ["question", "foundIn", "issued", "title", "deputyName", "answeringMinistry"]
    if plan == "query":
        rows = run(sample_db, "search-text", columns, text=text)
    else:
        answer = search_text(sample_db, text)
        assert answer is not None and answer.variables == columns
        rows = [dict(zip(columns, map(value, row), strict=True)) for row in answer.rows]
    assert [(r["question"], r["foundIn"], r["issued"], r["title"]) for r in rows] == expected
    if text in ("santé", "données de santé"):
        assert (sources().questions[SEED].iri, "title") in [(r["question"], r["foundIn"]) for r in rows]
    if text == "zzzz":
        assert rows == []


def test_search_text_default_is_the_seed_s_theme() -> None:
    assert find("search-text").parameters[0].default == "données de santé"


def neighbourhood(db: Any, uid: str) -> dict[str, dict[str, set[str]]]:
    """The CONSTRUCT as {subject: {predicate: {objects}}} of lexical values."""
    answer = db.query(find("question-neighbourhood").bound(question=f"question:{uid}"))
    assert isinstance(answer, Triples)
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for t in answer.triples:
        graph[t.subject.value][t.predicate.value].add(t.object.value)
    return graph


@pytest.mark.parametrize("uid", [SEED, "QANR5L16QG1", "QANR5L15QG1194", "QANR5L17QE5268"])
def test_question_neighbourhood(sample_db, uid: str) -> None:
    data = sources()
    q = data.questions[uid]
    graph = neighbourhood(sample_db, uid)
    me = graph[q.iri]
    assert me[DCTERMS + "identifier"] == {uid}
    assert me[QKG + "number"] == {str(q.number)}
    assert me[DCTERMS + "issued"] == {q.published.isoformat()}
    assert me[DCTERMS + "title"] == {q.title}
    assert me[QKG + "askedBy"] == {iri("acteur", q.author)}
    assert me[QKG + "authorGroup"] == {iri("organe", q.group)}
    assert me[QKG + "addressedTo"] == {iri("organe", q.addressed)}
    assert me[QKG + "answeringMinistry"] == {iri("organe", q.answering)}
    assert me[QKG + "status"] == {iri("status", q.status)}
    assert me[QKG + "legislature"] == {iri("legislature", str(q.legislature))}
    assert {QKG + "Question", QKG + TYPE_CLASSES[q.kind]} <= me[RDF_TYPE]
    assert me[QKG + "closedOn"] == {q.closure[2].isoformat()}
    assert me[QKG + "closureReason"] == {q.closure[1]}
    assert len(me[QKG + "answer"]) == len(q.answers)
    for answer in me[QKG + "answer"]:
        assert graph[answer][DCTERMS + "issued"] <= {on.isoformat() for on, _ in q.answers}
        assert graph[answer][QKG + "answeringMinistry"] == {iri("organe", q.answering)}
        if q.kind != "QG":
            assert graph[answer][DCTERMS + "creator"] == {iri("organe", q.answering)}
            continue
        # A QG's answer is signed by the member of the government who gave it, named as printed.
        (signer,) = graph[answer][DCTERMS + "creator"]
        assert FOAF + "Person" in graph[signer][RDF_TYPE] and graph[signer][FOAF + "name"]
        turns = me[QKG + "turn"]
        assert {position for turn in turns for position in graph[turn][QKG + "position"]} == {
            str(n) for n in range(1, len(turns) + 1)
        }
        assert any(signer in graph[turn][QKG + "speaker"] for turn in turns)
    attributed = {next(iter(graph[a][QKG + "ministry"])) for a in me[QKG + "attribution"]}
    assert attributed == {iri("organe", m) for m, _ in q.attributions}
    # The author with their name, the group and the ministries with their labels.
    assert graph[iri("acteur", q.author)][FOAF + "name"] == {data.acteurs[q.author].name}
    group = data.organes[q.group]
    assert graph[iri("organe", q.group)][SKOS + "prefLabel"] == {group.name}
    assert graph[iri("organe", q.group)][SKOS + "altLabel"] == data.alt_labels(q.group)
    for ministry in {q.addressed, q.answering}:
        assert graph[iri("organe", ministry)][SKOS + "prefLabel"] == {data.organes[ministry].name}
        assert graph[iri("organe", ministry)][RDFS + "label"] == {data.organes[ministry].label}
    if q.rubrique:
        (rubrique,) = me[QKG + "rubrique"]
        (label,) = graph[rubrique][SKOS + "prefLabel"]
        assert same_rubrique(label, q.rubrique)
    assert graph[iri("legislature", str(q.legislature))][QKG + "number"] == {str(q.legislature)}
    if q.mandate:
        seat = data.acteurs[q.author].mandates[q.mandate]
        place = iri("constituency", f"{seat.department_code}-{seat.circo}")
        assert graph[iri("mandate", q.mandate)][QKG + "constituency"] == {place}
        assert graph[place][QKG + "department"] == {seat.department_code}
    # Neighbours are described, not followed: no mandates of the author, no other question.
    assert QKG + "mandate" not in graph[iri("acteur", q.author)]
    assert not [s for s in graph if "/question/" in s and not s.startswith(q.iri)]


# -- mentions -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "parameter", "columns"),
    [
        (
            "questions-mentioning-organisation",
            "entity",
            ["entity", "entityLabel", "wikidata", "question", "mentionedIn", "issued", "title"],
        ),
        (
            "questions-mentioning-legal-instrument",
            "legal",
            ["legal", "legalLabel", "eli", "question", "mentionedIn", "issued", "title"],
        ),
    ],
)
def test_mention_queries_find_what_the_source_texts_say(
    sample_db, name: str, parameter: str, columns: list[str]
) -> None:
    """CNIL and the CLOUD Act: every question whose text or answer names them, and no other."""
    query = find(name)
    default = {"entity": "entity:cnil", "legal": "legal:us-cloud-act"}[parameter]
    assert [(p.name, p.type, p.default) for p in query.parameters] == [(parameter, "iri", default)]
    entity, names = {
        "entity": (f"{ID}entity/cnil", ("cnil", "commission nationale de l'informatique")),
        "legal": (f"{ID}legal/us-cloud-act", ("cloud act", "coud act")),
    }[parameter]
    expected = set()
    for q in sources().questions.values():
        places = [("question", q.text)] + [("answer", text) for _, text in q.answers]
        named = {place for place, text in places if any(n in (text or "").lower() for n in names)}
        expected |= {(q.iri, place) for place in named}
    assert expected, "the sample names them"
    rows = run(sample_db, name, columns, **{parameter: f"<{entity}>"})
    assert {(row["question"], row["mentionedIn"]) for row in rows} == expected
    # Empty, the parameter is left unbound: every mention of every entity or instrument.
    assert {row[columns[0]] for row in run(sample_db, name, columns, **{parameter: ""})} > {entity}
    assert {row[columns[0]] for row in run(sample_db, name, columns)} == {f"{ID}{default.replace(':', '/')}"}


def test_mention_queries_find_mentions_on_questions_and_answers() -> None:
    """On a synthetic graph shaped as the entities issue will shape it."""
    store = Store()
    text = SYNTHETIC + synthetic_question("E1", "M1", date(2023, 10, 24), [date(2023, 12, 1)])
    text += f"""
<{iri("question", "E1")}> qkg:mentions <{ID}entity/cnil> , <{ID}legal/rgpd> .
<{iri("answer", "E1")}> qkg:mentions <{ID}entity/cnil> .
<{ID}entity/cnil> skos:prefLabel "CNIL"@fr ;
    <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q1119165> .
"""
    store.load(text.encode(), RdfFormat.TURTLE)
    rows = run_on(store, "questions-mentioning-organisation")
    assert [(r["entityLabel"], r["wikidata"], r["mentionedIn"]) for r in rows] == [
        ("CNIL", "http://www.wikidata.org/entity/Q1119165", "answer"),
        ("CNIL", "http://www.wikidata.org/entity/Q1119165", "question"),
    ]
    assert [r["legal"] for r in run_on(store, "questions-mentioning-legal-instrument", legal="")] == [
        f"{ID}legal/rgpd"
    ]
    assert run_on(store, "questions-mentioning-organisation", entity=f"<{ID}entity/other>") == []
