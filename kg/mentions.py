"""Mentions of organisations, legal instruments and people in a question's or an answer's plain text.

Four sources, in order of trust: the legal reference parser (`legal`), the lists of known
organisations and people (`gazetteer`: the shipped organisations, the deputies and ministers of the
referential), the person rule (a title or a known first name before capitalised names) and, if asked,
spaCy's statistical model for what no list knows. Where two overlap, the more trusted one wins.
Speaker labels and stage directions of the sitting transcripts are page structure, not mentions.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from .errors import KGError
from .gazetteer import Entry, Gazetteer
from .legal import find_legal_references
from .referential import Referential
from .resources import resource_dir
from .text import slugify

__all__ = ["Extractor", "Mention"]

# Methods from the most trusted to the least, which wins where two overlap, and the confidence of
# each: its precision on the gold set (tests/gold), rounded down (fuzzy: not measured there).
METHODS = ("legal-parser", "gazetteer", "person-rule", "fuzzy", "org-rule", "ner")
CONFIDENCE = {
    "legal-parser": 0.95, "gazetteer": 0.9, "person-rule": 0.95, "fuzzy": 0.7, "org-rule": 0.75, "ner": 0.4,
}
_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
_NAME = rf"[{_UPPER}][\w\u2019'-]*[\w]"
_PARTICLE = r"(?:de|du|des|d\u2019|d'|le|la|Le|La|van|von|ben|Ben|El|el)"
_FULL_NAME = rf"{_NAME}(?:[ -](?:{_PARTICLE} ?)?{_NAME})*"
# The lookaheads on the first letter let the engine skip most positions of long texts fast.
_PERSON = re.compile(
    rf"(?=[{_UPPER}])(?:\b(?P<title>M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame|Messieurs)\s+)?(?P<name>{_FULL_NAME})"
)
# The speaker label opening a line of a transcript: "M. Jean Dupont.", "M. le président.",
# "Mme Élisabeth Borne, Première ministre.", "Mme Mathilde Panot et M. Loïc Prud'homme ."
_LABEL_NAME = rf"(?:M\.|Mme|Mlle) (?:(?:le|la) présidente?|(?:{_PARTICLE} ?)?{_FULL_NAME})"
_SPEAKER = re.compile(rf"^{_LABEL_NAME}(?: et {_LABEL_NAME})*(?:, [^.\n]{{1,150}})? ?\.(?= |$)", re.MULTILINE)
# Stage directions, "(Applaudissements sur les bancs du groupe LR.)", "(M. Fabien Roussel s'exclame.)",
# and the speaker's affiliation the chair gives: "La parole est à M. X, pour le groupe Y."
_STAGE = re.compile(
    r"\((?=[^()]*(?:bancs|pplaudi|xclam|rotest|[Rr]ires|urmure|rouhaha|[Hh]uées|pprobation|ourire|ifs|"
    r"se lève|quitte|nterromp|désigne|montre))[^()]*\)"
    r"|, pour le groupe [^.\n]+"
)
_TITLES = {"M.", "MM.", "Mme", "Mmes", "Mlle", "Monsieur", "Madame", "monsieur", "madame"}
_NOT_ENTITY = {
    "Président", "Présidente", "président", "République", "Premier", "Première", "ministre", "Ministre",
    "État", "Etat", "Gouvernement", "Parlement", "la", "le", "madame", "monsieur",
}
# Acronyms of kinds of things, not of one organisation.
_GENERIC_ACRONYMS = {
    "EPCI", "EHPAD", "TPE", "PME", "ETI", "DUT", "BTS", "PLFSS", "PLF", "TVA", "ITT", "GHT", "RIP", "UHR",
    "EEE", "PLU", "ZAC", "RSA", "SMIC", "CDI", "CDD", "QPV", "ZRR", "IVG", "PMA", "GPA", "RGPD", "COVID",
    "IUT", "TGI",
}
# An organisation named by what it is and whose: "direction générale des douanes et droits indirects",
# "université de La Réunion", "centre hospitalier intercommunal de Meulan-Les Mureaux".
_HEAD = (
    r"ministère|direction(?: générale| régionale| départementale| interministérielle)?|agence|caisse|"
    r"commission|conseil|cour|tribunal|TGI|université|institut|office|haute autorité|haut conseil|"
    r"fédération|confédération|syndicat|fondation|centre hospitalier|groupement hospitalier|observatoire|"
    r"comité|inspection générale|communauté d['\u2019]agglomération|communauté de communes"
)
_ADJECTIVE = (
    r"(?:nationale?|générale?|régionale?|départementale?|supérieure?|interministérielle?|spécialisée?"
    r"|intercommunale?|universitaire|européenne?|française?|internationale?|économique|sociale?)"
)
_ELIDED = r"(?:de l|d|pour l|et de l)['\u2019]"
_LINK = r"(?:de la|de|du|des|et des|et de la|et de|et du|et|à la|aux|au|pour la|pour les|pour) "
_WORD = r"(?:[\w-]+(?:['\u2019][\w-]+)?)"
_COMPLEMENT = rf"(?: (?:{_ELIDED}|{_LINK}){_WORD}(?: {_ADJECTIVE})*)"
_HEAD_INITIALS = "".join(sorted({word[0] for word in re.findall(r"\w+", _HEAD)}))
_ORG_RULE = re.compile(
    rf"(?=[{_HEAD_INITIALS}{_HEAD_INITIALS.upper()}])(?<![\w-])"
    rf"(?P<name>(?i:{_HEAD})(?: {_ADJECTIVE})*{_COMPLEMENT}{{1,5}})"
)
_DANGLING = re.compile(r"(?i)de|du|des|et|à|aux|au|la|pour")
_STOP_WORDS = {
    "qui", "que", "dont", "est", "sont", "a", "ont", "sera", "seront", "doit", "peut", "pour", "sur", "dans",
    "avec", "par", "afin", "lors", "ne", "se", "son", "sa", "ses", "leur", "leurs", "ce", "cette", "ces",
    "un", "une", "le", "la", "les", "l", "en", "y", "il", "elle", "ils", "elles", "avait", "était",
}
_ELI_TYPE = re.compile(r"/eli/(loi|decret|ordonnance)/")
_TYPE_LABELS = {"loi": "Loi", "decret": "Décret", "ordonnance": "Ordonnance"}
_DATED = re.compile(r" du (?:1er|\d{1,2}) \w+ \d{4}$")
# Capitalised words that open sentences or titles, never a first name here.
_NOT_NAMES = {"Monsieur", "Madame", "Mesdames", "Messieurs", "Premier", "Première", "Président", "Présidente"}


@dataclass(frozen=True)
class Mention:
    """A mention: where it is, what it names, how it was found."""

    start: int
    end: int
    type: str  # ORG, LAW or PERSON
    surface: str
    key: str  # the entity's key: a slug, an acteur uid (PERSON of the referential) or a legal key
    label: str
    method: str
    confidence: float
    entity_class: str = ""
    qid: str | None = None
    eli: str | None = None
    acteur: str | None = None
    date: datetime.date | None = None
    usual_name: str | None = None  # of a law named by its number: "Loi Egalim"


@cache
def organisations() -> Gazetteer:
    return Gazetteer.from_csv(resource_dir("linking").joinpath("organisations.csv"))


@cache
def first_names() -> frozenset[str]:
    lines = resource_dir("linking").joinpath("first-names.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def people(referential: Referential) -> Gazetteer:
    """The deputies and members of government of the referential, by "Firstname Name"."""
    names = []
    for uid, acteur in referential.acteurs.items():
        full = " ".join(part for part in (acteur.given_name, acteur.family_name) if part)
        if full:
            names.append((full, Entry(uid, full, "PERSON", "Deputy")))
    return Gazetteer(names)


class Extractor:
    """Finds the mentions of a text; build one per run (the lists load once)."""

    def __init__(self, referential: Referential | None = None, *, ner: bool = False) -> None:
        self.organisations = organisations()
        self.people = people(referential) if referential else Gazetteer([])
        self.first_names = first_names()
        self.ner = _spacy() if ner else None

    def extract(self, text: str) -> list[Mention]:
        excluded = [m.span() for m in (*_SPEAKER.finditer(text), *_STAGE.finditer(text))]
        candidates = [
            *self._legal(text),
            *self._listed(text, self.organisations, "ORG"),
            *self._listed(text, self.people, "PERSON"),
            *self._person_rule(text),
            *self._organisation_rule(text),
            *(self._statistical(text) if self.ner else ()),
        ]
        chosen = _without_overlaps(m for m in candidates if not _inside(m, excluded))
        return chosen

    @staticmethod
    def _legal(text: str) -> Iterator[Mention]:
        for ref in find_legal_references(text):
            # One resource and one label per instrument: a numbered text is named by its number (its
            # date is a fact apart), a law known by its usual name too when its number is known.
            key, label, usual = ref.key, _DATED.sub("", ref.label) if ref.number else ref.label, None
            if ref.kind == "named-law" and ref.number:
                kind = _ELI_TYPE.search(ref.eli or "/eli/loi/")[1]
                key, label, usual = f"{kind}-{ref.number}", f"{_TYPE_LABELS[kind]} n° {ref.number}", ref.label
            yield Mention(
                ref.start, ref.end, "LAW", ref.surface, key, label, "legal-parser",
                CONFIDENCE["legal-parser"], ref.kind, eli=ref.eli, date=ref.date, usual_name=usual,
            )

    @staticmethod
    def _listed(text: str, gazetteer: Gazetteer, kind: str) -> Iterator[Mention]:
        for hit in gazetteer.find(text):
            entry = hit.entry
            acteur = entry.key if kind == "PERSON" else None
            yield Mention(
                hit.start, hit.end, kind, text[hit.start : hit.end], entry.key, entry.label, "gazetteer",
                CONFIDENCE["gazetteer"], entry.entity_class, entry.qid, acteur=acteur,
            )

    def _person_rule(self, text: str) -> Iterator[Mention]:
        for match in _PERSON.finditer(text):
            name = match["name"]
            words = re.split(r"[ -]", name)
            if words[0] in _NOT_NAMES:
                continue
            titled = match["title"] is not None
            if not titled and not (len(words) >= 2 and words[0] in self.first_names):
                continue
            start, end = match.span("name")
            label = " ".join(name.split())
            yield Mention(
                start, end, "PERSON", name, slugify(label), label, "person-rule", CONFIDENCE["person-rule"],
            )

    def _organisation_rule(self, text: str) -> Iterator[Mention]:
        for match in _ORG_RULE.finditer(text):
            words = match["name"].split(" ")
            # Cut at the first word that starts a clause, then drop dangling links ("de", "et").
            for index, word in enumerate(words[1:], 1):
                if word.lower() in _STOP_WORDS:
                    words = words[:index]
                    break
            while len(words) > 1 and _DANGLING.fullmatch(words[-1]):
                words.pop()
            if len(words) < 2:
                continue
            name = " ".join(words)
            start = match.start("name")
            entry = self.organisations.closest(name)
            key, label = (entry.key, entry.label) if entry else (slugify(name), name[0].upper() + name[1:])
            method = "fuzzy" if entry else "org-rule"
            yield Mention(start, start + len(name), "ORG", name, key, label, method, CONFIDENCE[method])

    def _statistical(self, text: str) -> Iterator[Mention]:
        """The model's ORG and PER entities that look like names: it also tags titles and verbs."""
        for span in self.ner(text).ents:
            kind = {"ORG": "ORG", "PER": "PERSON"}.get(span.label_)
            words = span.text.split()
            while words and words[0] in _TITLES:  # "M. Dupont": the name without the title
                words.pop(0)
            if kind is None or not _looks_like_a_name(words, kind):
                continue
            start = span.end_char - len(" ".join(words)) if words else span.start_char
            surface = text[start : span.end_char]
            entry = self.organisations.closest(surface) if kind == "ORG" else None
            if entry is not None:
                yield Mention(
                    start, span.end_char, kind, surface, entry.key, entry.label, "fuzzy",
                    CONFIDENCE["fuzzy"], entry.entity_class, entry.qid,
                )
            else:
                label = " ".join(words)
                key = slugify(label)
                yield Mention(start, span.end_char, kind, surface, key, label, "ner", CONFIDENCE["ner"])


def _looks_like_a_name(words: list[str], kind: str) -> bool:
    """Two capitalised words or more, none a title or a generic noun; or, for ORG, an acronym."""
    if any(word.strip(".,") in _NOT_ENTITY for word in words):
        return False
    if kind == "ORG" and len(words) == 1:
        return words[0].isupper() and 2 <= len(words[0]) <= 6 and words[0] not in _GENERIC_ACRONYMS
    capitalised = [w for w in words if w[:1].isupper()]
    return len(words) >= 2 and len(capitalised) >= (2 if kind == "PERSON" else 1) and words[0][:1].isupper()


def _inside(mention: Mention, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start <= mention.start and mention.end <= end for start, end in spans)


def _without_overlaps(candidates: Iterable[Mention]) -> list[Mention]:
    """The most trusted (then longest) mention wherever candidates overlap, in text order."""
    ranked = sorted(candidates, key=lambda m: (METHODS.index(m.method), -(m.end - m.start), m.start))
    chosen: list[Mention] = []
    for mention in ranked:
        if all(mention.end <= other.start or other.end <= mention.start for other in chosen):
            chosen.append(mention)
    return sorted(chosen, key=lambda m: m.start)


@cache
def _spacy():  # spaCy is an optional dependency: imported on first use
    try:
        import spacy
    except ImportError as error:
        raise KGError("statistical NER needs spaCy: pip install 'questions-kg[ner]'") from error
    return spacy.load("fr_core_news_sm", exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler"])
