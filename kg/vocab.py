"""Our ontology terms as a DefinedNamespace, and the other namespaces the mapping uses."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["BASE", "DCTERMS", "FOAF", "ORG", "OWL", "PROV", "QKG", "RDF", "RDFS", "SKOS", "WD", "XSD"]

BASE = "https://w3id.org/questions-kg/"


class QKG(DefinedNamespace):
    """The questions-kg ontology (`qkg:`); a typo raises instead of minting a new term."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    # classes
    Question: URIRef
    WrittenQuestion: URIRef
    GovernmentQuestion: URIRef
    OralQuestion: URIRef
    Answer: URIRef
    Deputy: URIRef
    Organe: URIRef
    ParliamentaryGroup: URIRef
    Ministry: URIRef
    Government: URIRef
    Assembly: URIRef
    Constituency: URIRef
    Legislature: URIRef
    Mandate: URIRef
    ParliamentaryMandate: URIRef
    GroupMembership: URIRef
    GovernmentMandate: URIRef
    Attribution: URIRef
    Signalement: URIRef
    Renewal: URIRef
    LegalInstrument: URIRef
    Mention: URIRef
    PublicBody: URIRef
    Company: URIRef
    Association: URIRef
    Union: URIRef
    PoliticalParty: URIRef
    InternationalOrganisation: URIRef
    Court: URIRef
    Media: URIRef
    Hospital: URIRef
    University: URIRef
    Parliament: URIRef
    SourceFile: URIRef
    Turn: URIRef
    StageDirection: URIRef

    # question
    number: URIRef
    legislature: URIRef
    questionType: URIRef
    rubrique: URIRef
    teteAnalyse: URIRef
    askedBy: URIRef
    authorMandate: URIRef
    authorGroup: URIRef
    addressedTo: URIRef
    answeringMinistry: URIRef
    attribution: URIRef
    ministry: URIRef
    joPage: URIRef
    text: URIRef
    answer: URIRef
    status: URIRef
    closedOn: URIRef
    answerDelayDays: URIRef
    sourceFile: URIRef
    fileName: URIRef
    sha256: URIRef
    closureReason: URIRef
    signalement: URIRef
    renewal: URIRef
    mentions: URIRef
    mention: URIRef
    refersTo: URIRef
    surfaceForm: URIRef
    startOffset: URIRef
    endOffset: URIRef
    extractionMethod: URIRef
    confidence: URIRef
    turn: URIRef
    position: URIRef
    speaker: URIRef
    speakerLabel: URIRef
    speakerQuality: URIRef
    speakerRole: URIRef
    stageDirection: URIRef
    groupLabel: URIRef
    namesGroup: URIRef

    # acteurs, organes, mandates
    mandate: URIRef
    organe: URIRef
    role: URIRef
    startDate: URIRef
    endDate: URIRef
    endCause: URIRef
    constituency: URIRef
    department: URIRef
    government: URIRef
    predecessor: URIRef


DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
PROV = Namespace("http://www.w3.org/ns/prov#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
WD = Namespace("http://www.wikidata.org/entity/")
