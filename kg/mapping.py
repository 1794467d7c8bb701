"""Pure mapping of records to RDF triples; every IRI of the graph is minted here."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Mapping
from datetime import date
from functools import cache
from typing import Any

from pyoxigraph import Literal, NamedNode, Triple

from .mentions import Mention
from .model import ANSWERING, Acteur, Mandate, Organe, OrganeLabel, Question
from .resolve import Resolution
from .text import fold, slugify
from .vocab import BASE, DCTERMS, FOAF, ORG, OWL, PROV, QKG, RDF, RDFS, SKOS, WD, XSD

__all__ = [
    "IRIs", "acteur_triples", "legislature_triples", "mentioned_entity", "organe_triples", "question_triples",
    "status_of",
]

AN_SITE = "https://www.assemblee-nationale.fr/dyn/"
SCHEMA_BIRTH_DATE = NamedNode("https://schema.org/birthDate")
QUESTION_CLASSES = {"QE": QKG.WrittenQuestion, "QG": QKG.GovernmentQuestion, "QOSD": QKG.OralQuestion}
ORGANE_CLASSES = {
    "GP": QKG.ParliamentaryGroup,
    "MINISTERE": QKG.Ministry,
    "GOUVERNEMENT": QKG.Government,
    "ASSEMBLEE": QKG.Assembly,
}
# The classes of the organisations list (linking/organisations.csv).
ENTITY_CLASSES = {
    name: getattr(QKG, name)
    for name in (
        "PublicBody", "Company", "Association", "Union", "PoliticalParty", "InternationalOrganisation",
        "Court", "Media", "Hospital", "University", "Parliament", "Ministry",
    )
}
MANDATE_CLASSES = {
    "ASSEMBLEE": QKG.ParliamentaryMandate,
    "GP": QKG.GroupMembership,
    "GOUVERNEMENT": QKG.GovernmentMandate,
    "MINISTERE": QKG.GovernmentMandate,
}


class _Nodes:
    """The terms of a namespace as pyoxigraph nodes, each made once (rdflib's look-ups are slow)."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> NamedNode:
        node = NamedNode(str(getattr(self._namespace, name)))
        setattr(self, name, node)
        return node


qkg, rdf, rdfs, dcterms, foaf, prov, skos, owl, org, xsd = (
    _Nodes(ns) for ns in (QKG, RDF, RDFS, DCTERMS, FOAF, PROV, SKOS, OWL, ORG, XSD)
)


@cache
def _node(iri: str) -> NamedNode:
    return NamedNode(str(iri))


def _fr(text: str) -> Literal:
    return Literal(text, language="fr")


def _date(on: date) -> Literal:
    return Literal(on.isoformat(), datatype=xsd.date)


def _string(text: str) -> Literal:
    return Literal(text)


class IRIs:
    """Mints the IRIs of DESIGN.md's URI scheme under a configurable base."""

    def __init__(self, base: str = BASE) -> None:
        self.base = base if base.endswith("/") else base + "/"

    def _id(self, *parts: str) -> NamedNode:
        return NamedNode(self.base + "id/" + "/".join(parts))

    def question(self, uid: str) -> NamedNode:
        return self._id("question", uid)

    def answer(self, uid: str, index: int) -> NamedNode:
        return self._id("answer", uid if index == 0 else f"{uid}-{index + 1}")

    def part(self, uid: str, kind: str, index: int) -> NamedNode:
        return self._id("question", uid, kind, str(index + 1))

    def turn(self, uid: str, index: int) -> NamedNode:
        return self._id("question", uid, "turn", str(index + 1))

    def direction(self, uid: str, turn: int, index: int) -> NamedNode:
        return self._id("question", uid, "turn", str(turn + 1), "direction", str(index + 1))

    def speaker_role(self, role: str) -> NamedNode:
        return self._id("speaker-role", role)

    def acteur(self, ref: str) -> NamedNode:
        return self._id("acteur", ref)

    def organe(self, ref: str) -> NamedNode:
        return self._id("organe", ref)

    def mandate(self, ref: str) -> NamedNode:
        return self._id("mandate", ref)

    def unresolved(self, kind: str, label: str) -> NamedNode:
        return self._id("unresolved", kind, slugify(label) or "unnamed")

    def constituency(self, department: str, number: int) -> NamedNode:
        return self._id("constituency", f"{department}-{number}")

    def legislature(self, number: int) -> NamedNode:
        return self._id("legislature", str(number))

    def concept(self, scheme: str, label: str) -> NamedNode:
        return self._id(scheme, slugify(label))

    def status(self, key: str) -> NamedNode:
        return self._id("status", key)

    def question_type(self, kind: str) -> NamedNode:
        return self._id("question-type", kind)

    def entity(self, key: str) -> NamedNode:
        return self._id("entity", key)

    def legal(self, key: str) -> NamedNode:
        return self._id("legal", key)

    def scheme(self, scheme: str) -> NamedNode:
        return self._id(scheme)

    def graph(self, kind: str, key: str) -> NamedNode:
        """The named graph of a record (question, acteur, organe, legislature) or of a shared node."""
        return NamedNode(f"{self.base}graph/{kind}/{key}")

    def graph_of(self, subject: NamedNode) -> NamedNode:
        """The graph a triple about this subject lives in: each triple lives in exactly one graph.

        A question's answers and parts live in the question's graph; every other node in its own.
        """
        kind, _, key = subject.value.removeprefix(self.base + "id/").partition("/")
        if kind == "question":
            key = key.split("/", 1)[0]
        elif kind == "answer":
            kind, key = "question", key.split("-", 1)[0]
        return self.graph(kind, key)


def status_of(question: Question) -> str:
    """The status concept's key: answered, withdrawn, lapsed, pending or closed-other.

    The AN shows a question closed for "Fin de mandat" as withdrawn ("Question retirée").
    """
    closure = question.closure
    if closure is None:
        return "answered" if question.answers else "pending"
    code, reason = (closure.code or "").upper(), fold(closure.reason or "")
    if code == "REP_PUB" or reason.startswith("reponse publiee"):
        return "answered"
    if code.startswith("RET") or "retir" in reason or reason == "fin de mandat":
        return "withdrawn"
    if code.startswith("CAD") or "caduc" in reason:
        return "lapsed"
    return "closed-other"


def question_triples(
    question: Question,
    resolution: Resolution,
    iris: IRIs,
    rubrique_labels: Mapping[str, str],
    extract: Callable[[str], list[Mention]] | None = None,
) -> Iterator[Triple]:
    """The triples of one question, its answers, attributions and JO events.

    :param rubrique_labels: the canonical label of each rubrique of the shipped scheme, by slug
        (page texts write "Santé" where the scheme and the open data say "santé").
    :param extract: finds the mentions of a text; none are looked for without it.
    """
    mentions = _MentionNumbers(question.uid, iris, extract)
    q = iris.question(question.uid)
    yield Triple(q, rdf.type, qkg.Question)
    yield Triple(q, rdf.type, _node(QUESTION_CLASSES[question.kind]))
    yield Triple(q, dcterms.identifier, _string(question.uid))
    yield Triple(q, qkg.number, Literal(question.number))
    yield Triple(q, qkg.legislature, iris.legislature(question.legislature))
    yield Triple(q, qkg.questionType, iris.question_type(question.kind))
    page = NamedNode(f"{AN_SITE}{question.legislature}/questions/{question.uid}")
    yield Triple(q, foaf.page, page)
    # The source document: the AN open-data file of the question, or its page.
    derived = page if question.from_page else NamedNode(f"{AN_SITE}opendata/{question.uid}.json")
    yield Triple(q, prov.wasDerivedFrom, derived)
    if question.source_file and question.source_sha256:
        # The very file read (a dump's member, a saved page), for who must know which version this is.
        source = iris.part(question.uid, "source", 0)
        yield Triple(q, qkg.sourceFile, source)
        yield Triple(source, rdf.type, qkg.SourceFile)
        yield Triple(source, qkg.fileName, _string(question.source_file))
        yield Triple(source, qkg.sha256, _string(question.source_sha256))
    if question.title:
        yield Triple(q, dcterms.title, _fr(question.title))
    if question.rubrique:
        label = rubrique_labels.get(slugify(question.rubrique), question.rubrique)
        yield from _concept(q, QKG.rubrique, "rubrique", label, iris)
    if question.tete_analyse:
        yield from _concept(q, QKG.teteAnalyse, "tete-analyse", question.tete_analyse, iris)
    yield from _author_triples(q, question, resolution, iris)

    addressed = _ministry_node(question.addressed_to, resolution.addressed_to, iris)
    if addressed is not None:
        yield Triple(q, qkg.addressedTo, addressed)
    answering = addressed
    dated = []
    for index, (attribution, ref) in enumerate(
        zip(question.attributions, resolution.attributions, strict=True)
    ):
        node = iris.part(question.uid, "attribution", index)
        ministry = _ministry_node(attribution.ministry, ref, iris)
        yield Triple(q, qkg.attribution, node)
        yield Triple(node, rdf.type, qkg.Attribution)
        if ministry is not None:
            yield Triple(node, qkg.ministry, ministry)
            dated.append((attribution.on or date.min, index, ministry))
        if attribution.on:
            yield Triple(node, dcterms.date, _date(attribution.on))
    if dated:
        answering = max(dated, key=lambda item: item[:2])[2]
    if answering is not None:
        yield Triple(q, qkg.answeringMinistry, answering)
    yield from _ministry_labels(question, resolution, iris)

    if question.published:
        yield Triple(q, dcterms.issued, _date(question.published))
    if question.jo_page is not None:
        yield Triple(q, qkg.joPage, Literal(question.jo_page))
    if question.text:
        yield Triple(q, qkg.text, _fr(question.text))
        yield from mentions.triples(q, question.text)
    # The member of the government who answered in the sitting (a QG) signs the answer, else the ministry.
    speakers = dict(_speaker_nodes(question, resolution, iris))
    minister = next((speakers[t.speaker] for t in question.turns if t.role == ANSWERING and t.speaker), None)
    for index, answer in enumerate(question.answers):
        node = iris.answer(question.uid, index)
        yield Triple(q, qkg.answer, node)
        yield Triple(node, rdf.type, qkg.Answer)
        if answer.published:
            yield Triple(node, dcterms.issued, _date(answer.published))
        if answer.jo_page is not None:
            yield Triple(node, qkg.joPage, Literal(answer.jo_page))
        if answer.text:
            yield Triple(node, qkg.text, _fr(answer.text))
            yield from mentions.triples(node, answer.text)
        if answering is not None:
            yield Triple(node, qkg.answeringMinistry, answering)
        if minister is not None or answering is not None:
            yield Triple(node, dcterms.creator, minister or answering)
    yield from _turn_triples(q, question, resolution, speakers, iris)
    answered = [answer.published for answer in question.answers if answer.published]
    if question.published and answered:
        days = (min(answered) - question.published).days
        yield Triple(q, qkg.answerDelayDays, Literal(days))

    yield Triple(q, qkg.status, iris.status(status_of(question)))
    if question.closure is not None:
        if question.closure.on:
            yield Triple(q, qkg.closedOn, _date(question.closure.on))
        if question.closure.reason:
            yield Triple(q, qkg.closureReason, _fr(question.closure.reason))
    for kind, cls, prop, events in (
        ("signalement", QKG.Signalement, QKG.signalement, question.signalements),
        ("renewal", QKG.Renewal, QKG.renewal, question.renewals),
    ):
        for index, event in enumerate(events):
            node = iris.part(question.uid, kind, index)
            yield Triple(q, _node(prop), node)
            yield Triple(node, rdf.type, _node(cls))
            if event.on:
                yield Triple(node, dcterms.date, _date(event.on))
            if event.jo_page is not None:
                yield Triple(node, qkg.joPage, Literal(event.jo_page))


def _speaker_nodes(
    question: Question, resolution: Resolution, iris: IRIs
) -> Iterator[tuple[str | None, NamedNode]]:
    """The node of each person speaking in a QG's sitting, by name as printed."""
    for turn, ref in zip(question.turns, resolution.speakers, strict=True):
        if turn.speaker is None:
            continue
        if ref:
            yield turn.speaker, iris.acteur(ref)
        elif turn.role == ANSWERING:
            yield turn.speaker, iris.unresolved("minister", turn.speaker)
        else:
            yield turn.speaker, iris.unresolved("deputy", f"{turn.speaker}-{question.legislature}")


def _turn_triples(
    q: NamedNode,
    question: Question,
    resolution: Resolution,
    speakers: dict[str | None, NamedNode],
    iris: IRIs,
) -> Iterator[Triple]:
    """The exchange of a QG in the sitting: ordered turns, their speakers and stage directions."""
    described: set[NamedNode] = set()  # a speaker of several turns is described once
    for index, (turn, ref) in enumerate(zip(question.turns, resolution.speakers, strict=True)):
        node = iris.turn(question.uid, index)
        yield Triple(q, qkg.turn, node)
        yield Triple(node, rdf.type, qkg.Turn)
        yield Triple(node, qkg.position, Literal(index + 1))
        yield Triple(node, qkg.speakerLabel, _string(turn.label))
        yield Triple(node, qkg.speakerRole, iris.speaker_role(turn.role))
        if turn.quality:
            yield Triple(node, qkg.speakerQuality, _fr(turn.quality))
        if turn.speaker is not None:
            person = speakers[turn.speaker]
            yield Triple(node, qkg.speaker, person)
            if ref is None and person not in described:  # a labelled node: no acteur describes it
                described.add(person)
                yield Triple(person, rdf.type, foaf.Person)
                if turn.role != ANSWERING:
                    yield Triple(person, rdf.type, qkg.Deputy)
                yield Triple(person, foaf.name, _string(turn.speaker))
        if turn.text:
            yield Triple(node, qkg.text, _fr(turn.text))
        for number, direction in enumerate(turn.directions):
            stage = iris.direction(question.uid, index, number)
            yield Triple(node, qkg.stageDirection, stage)
            yield Triple(stage, rdf.type, qkg.StageDirection)
            yield Triple(stage, qkg.text, _fr(direction.text))
            for abbreviation in direction.groups:
                yield Triple(stage, qkg.groupLabel, _string(abbreviation))
                group = resolution.named_groups.get(abbreviation)
                if group:
                    yield Triple(stage, qkg.namesGroup, iris.organe(group))


class _MentionNumbers:
    """Mints the mention nodes of one question, numbered across its question and answer texts."""

    def __init__(self, uid: str, iris: IRIs, extract: Callable[[str], list[Mention]] | None) -> None:
        self.uid, self.iris, self.extract, self.count = uid, iris, extract, 0

    def triples(self, text_node: NamedNode, text: str) -> Iterator[Triple]:
        if self.extract is None:
            return
        for mention in self.extract(text):
            node = self.iris.part(self.uid, "mention", self.count)
            self.count += 1
            entity = yield from _entity_triples(mention, self.iris)
            yield Triple(text_node, qkg.mentions, entity)
            yield Triple(text_node, qkg.mention, node)
            yield Triple(node, rdf.type, qkg.Mention)
            yield Triple(node, qkg.refersTo, entity)
            yield Triple(node, qkg.surfaceForm, _string(mention.surface))
            yield Triple(node, qkg.startOffset, Literal(mention.start))
            yield Triple(node, qkg.endOffset, Literal(mention.end))
            yield Triple(node, qkg.extractionMethod, _string(mention.method))
            confidence = Literal(f"{mention.confidence:.2f}", datatype=xsd.decimal)
            yield Triple(node, qkg.confidence, confidence)


def mentioned_entity(mention: Mention, iris: IRIs) -> NamedNode:
    """The IRI of what a mention refers to: an acteur, a legal instrument or another entity."""
    if mention.acteur:
        return iris.acteur(mention.acteur)
    return iris.legal(mention.key) if mention.type == "LAW" else iris.entity(mention.key)


def _entity_triples(mention: Mention, iris: IRIs) -> Generator[Triple, None, NamedNode]:
    """The triples of the entity a mention refers to (in the entity's own graph); returns its IRI."""
    entity = mentioned_entity(mention, iris)
    if mention.acteur:
        return entity  # a deputy or minister of the referential: described there
    if mention.type == "LAW":
        yield Triple(entity, rdf.type, qkg.LegalInstrument)
        yield Triple(entity, skos.prefLabel, _fr(mention.label))
        if mention.usual_name:
            yield Triple(entity, skos.altLabel, _fr(mention.usual_name))
        if mention.date:
            yield Triple(entity, dcterms.date, _date(mention.date))
        if mention.eli:
            yield Triple(entity, owl.sameAs, NamedNode(mention.eli))
        return entity
    if mention.type == "PERSON":
        yield Triple(entity, rdf.type, foaf.Person)
        yield Triple(entity, foaf.name, _string(mention.label))
    else:
        yield Triple(entity, rdf.type, org.Organization)
        if mention.entity_class in ENTITY_CLASSES:
            yield Triple(entity, rdf.type, _node(ENTITY_CLASSES[mention.entity_class]))
        yield Triple(entity, skos.prefLabel, _fr(mention.label))
    if mention.qid:
        yield Triple(entity, owl.sameAs, _node(WD[mention.qid]))
    return entity


def _concept(subject: NamedNode, prop: str, scheme: str, label: str, iris: IRIs) -> Iterator[Triple]:
    concept = iris.concept(scheme, label)
    yield Triple(subject, _node(prop), concept)
    yield Triple(concept, rdf.type, skos.Concept)
    yield Triple(concept, skos.inScheme, iris.scheme(scheme))
    yield Triple(concept, skos.prefLabel, _fr(label))


def _author_triples(q: NamedNode, question: Question, resolution: Resolution, iris: IRIs) -> Iterator[Triple]:
    author = question.author
    if author is not None:
        if resolution.author:
            deputy = iris.acteur(resolution.author)
            yield Triple(deputy, dcterms.identifier, _string(resolution.author))
        else:
            deputy = iris.unresolved("deputy", f"{author.name}-{question.legislature}")
            if author.name:
                yield Triple(deputy, foaf.name, _string(author.name))
        yield Triple(q, qkg.askedBy, deputy)
        yield Triple(deputy, rdf.type, qkg.Deputy)
        if author.mandate_ref:
            yield Triple(q, qkg.authorMandate, iris.mandate(author.mandate_ref))
    if resolution.group:
        yield Triple(q, qkg.authorGroup, iris.organe(resolution.group))
        yield Triple(iris.organe(resolution.group), rdf.type, qkg.ParliamentaryGroup)
    elif question.group is not None and not resolution.non_inscrit:
        group = iris.unresolved("group", question.group.full or question.group.short or "")
        yield Triple(q, qkg.authorGroup, group)
        yield Triple(group, rdf.type, qkg.ParliamentaryGroup)
        yield from _labels(group, question.group)


def _ministry_node(label: OrganeLabel | None, ref: str | None, iris: IRIs) -> NamedNode | None:
    if ref:
        return iris.organe(ref)
    if label is None:
        return None
    return iris.unresolved("ministry", label.short or label.full or "")


def _ministry_labels(question: Question, resolution: Resolution, iris: IRIs) -> Iterator[Triple]:
    """Type every ministry the question names; label the ones no AMO record will describe."""
    pairs = [(question.addressed_to, resolution.addressed_to)]
    pairs += [
        (a.ministry, ref) for a, ref in zip(question.attributions, resolution.attributions, strict=True)
    ]
    for label, ref in pairs:
        node = _ministry_node(label, ref, iris)
        if node is None:
            continue
        yield Triple(node, rdf.type, qkg.Ministry)
        if ref is None and label is not None:
            yield from _labels(node, label)


def _labels(node: NamedNode, label: OrganeLabel) -> Iterator[Triple]:
    preferred = label.short or label.full
    if preferred:
        yield Triple(node, skos.prefLabel, _fr(preferred))
    if label.full and label.full != preferred:
        yield Triple(node, rdfs.label, _fr(label.full))


def organe_triples(organe: Organe, iris: IRIs, wikidata: str | None = None) -> Iterator[Triple]:
    """An AMO organe of a kind the graph uses (group, ministry, government, assembly).

    :param wikidata: a QID: of a group's party (related, not the same), of the ministry as an
        institution (close: the organe is the ministry of one government).
    """
    node = iris.organe(organe.uid)
    if wikidata:
        match = SKOS.closeMatch if organe.code_type == "MINISTERE" else SKOS.relatedMatch
        yield Triple(node, _node(match), _node(WD[wikidata]))
    yield Triple(node, rdf.type, qkg.Organe)
    yield Triple(node, rdf.type, _node(ORGANE_CLASSES[organe.code_type]))
    yield Triple(node, dcterms.identifier, _string(organe.uid))
    # Ministries are named by their short label (as on question pages), groups by their full name.
    preferred = organe.short_label if organe.code_type == "MINISTERE" else organe.label
    preferred = preferred or organe.label or organe.short_label
    if preferred:
        yield Triple(node, skos.prefLabel, _fr(preferred))
    if organe.label:
        yield Triple(node, rdfs.label, _fr(organe.label))
    for alt in sorted({organe.short_label, organe.abbreviation} - {preferred, None}):
        yield Triple(node, skos.altLabel, _fr(alt))
    if organe.start:
        yield Triple(node, qkg.startDate, _date(organe.start))
    if organe.end:
        yield Triple(node, qkg.endDate, _date(organe.end))
    if organe.legislature:
        yield Triple(node, qkg.legislature, iris.legislature(organe.legislature))
    if organe.code_type == "MINISTERE":
        if organe.parent:
            yield Triple(node, qkg.government, iris.organe(organe.parent))
            yield Triple(iris.organe(organe.parent), rdf.type, qkg.Government)
        if organe.predecessor:
            yield Triple(node, qkg.predecessor, iris.organe(organe.predecessor))
            yield Triple(iris.organe(organe.predecessor), rdf.type, qkg.Ministry)


def acteur_triples(acteur: Acteur, iris: IRIs, qid: str | None = None) -> Iterator[Triple]:
    """A person with the mandates the graph uses (seats, groups, government posts), and their QID."""
    node = iris.acteur(acteur.uid)
    yield Triple(node, rdf.type, foaf.Person)
    if qid:
        yield Triple(node, owl.sameAs, _node(WD[qid]))
    mandates = [m for m in acteur.mandates if m.organe_type in MANDATE_CLASSES]
    if any(m.organe_type == "ASSEMBLEE" for m in mandates):
        yield Triple(node, rdf.type, qkg.Deputy)
    yield Triple(node, dcterms.identifier, _string(acteur.uid))
    yield Triple(node, foaf.page, NamedNode(f"{AN_SITE}deputes/{acteur.uid}"))
    name = " ".join(part for part in (acteur.given_name, acteur.family_name) if part)
    if name:
        yield Triple(node, foaf.name, _string(name))
    if acteur.given_name:
        yield Triple(node, foaf.givenName, _string(acteur.given_name))
    if acteur.family_name:
        yield Triple(node, foaf.familyName, _string(acteur.family_name))
    if acteur.birth_date:
        yield Triple(node, SCHEMA_BIRTH_DATE, _date(acteur.birth_date))
    for mandate in mandates:
        yield Triple(node, qkg.mandate, iris.mandate(mandate.uid))
        yield from _mandate_triples(mandate, iris)


def _mandate_triples(mandate: Mandate, iris: IRIs) -> Iterator[Triple]:
    node = iris.mandate(mandate.uid)
    yield Triple(node, rdf.type, qkg.Mandate)
    yield Triple(node, rdf.type, _node(MANDATE_CLASSES[mandate.organe_type]))
    yield Triple(node, dcterms.identifier, _string(mandate.uid))
    for ref in mandate.organes:
        yield Triple(node, qkg.organe, iris.organe(ref))
    if mandate.role:
        yield Triple(node, qkg.role, _fr(mandate.role))
    if mandate.start:
        yield Triple(node, qkg.startDate, _date(mandate.start))
    if mandate.end:
        yield Triple(node, qkg.endDate, _date(mandate.end))
    if mandate.end_cause:
        yield Triple(node, qkg.endCause, _fr(mandate.end_cause))
    if mandate.organe_type == "ASSEMBLEE":
        if mandate.legislature:
            yield Triple(node, qkg.legislature, iris.legislature(mandate.legislature))
        if mandate.department_code and mandate.constituency_number:
            place = iris.constituency(mandate.department_code, mandate.constituency_number)
            yield Triple(node, qkg.constituency, place)
            yield Triple(place, rdf.type, qkg.Constituency)
            yield Triple(place, qkg.department, _string(mandate.department_code))
            yield Triple(place, qkg.number, Literal(mandate.constituency_number))
            ordinal = "1re" if mandate.constituency_number == 1 else f"{mandate.constituency_number}e"
            name = mandate.department or mandate.department_code
            yield Triple(place, rdfs.label, _fr(f"{name} ({ordinal} circonscription)"))


def legislature_triples(number: int, start: date | None, end: date | None, iris: IRIs) -> Iterator[Triple]:
    """A legislature with its dates when the AMO assembly organes give them."""
    node = iris.legislature(number)
    yield Triple(node, rdf.type, qkg.Legislature)
    yield Triple(node, qkg.number, Literal(number))
    yield Triple(node, rdfs.label, _fr(f"{number}e législature"))
    if start:
        yield Triple(node, qkg.startDate, _date(start))
    if end:
        yield Triple(node, qkg.endDate, _date(end))
