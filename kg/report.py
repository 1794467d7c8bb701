"""`kg report`: charts of the store (PNG and SVG, by matplotlib) and an HTML page showing them.

The figures come from the named queries where one answers the chart, else from the few queries
below. Each chart marks what it counts with an SVG element id: `bar-N` for each bar (a segment of
a stacked bar is a bar), `box-N` for each box of a box plot, so that a test or a web page can
count them. Labels are in French, as the data are.
"""

from __future__ import annotations

import html
import io
import textwrap
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal

from .errors import KGError
from .named_queries import NamedQuery, Parameter, bind_parameters, find
from .results import Solutions, compact
from .store import EmbeddedStore

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn: the other commands do without it
    from matplotlib.axes import Axes
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure

    Draw = Callable[[Figure, Axes], int]

__all__ = ["Chart", "Figures", "charts", "figures", "write_report"]

# How many ministries, rubriques, deputies… a chart shows at most.
TOP_DELAYS = 12
TOP_MINISTRIES = 20
TOP_RUBRIQUES = 15
TOP_DEPUTIES = 20
TOP_GROUPS = 20
TOP_MENTIONED = 15
LABEL_WIDTH = 48  # characters of a bar's label before it is cut with "…"

_LEGISLATURE = (Parameter("legislature", "integer", None, "only the questions of this legislature"),)

# The questions of the legislature asked (every question when it is unbound), as in the named queries.
_QUESTIONS_OF_LEGISLATURE = """{ SELECT ?question WHERE {
        ?legislatureNode a qkg:Legislature ; qkg:number ?legislature .
        ?question qkg:legislature ?legislatureNode } }"""

# The report's header: how many questions, and how many of them answered, by type.
FIGURES_QUERY = f"""PREFIX qkg: <https://w3id.org/questions-kg/ontology#>
SELECT ?type (COUNT(DISTINCT ?question) AS ?questions) (COUNT(DISTINCT ?answeredQuestion) AS ?answered)
WHERE {{
  {_QUESTIONS_OF_LEGISLATURE}
  {{ SELECT ?question ?questionType WHERE {{ ?question qkg:questionType ?questionType }} }}
  OPTIONAL {{ SELECT ?question (?question AS ?answeredQuestion) WHERE {{ ?question qkg:answer ?answer }} }}
  BIND(STRAFTER(STR(?questionType), "/question-type/") AS ?type)
}}
GROUP BY ?type
ORDER BY ?type
"""

# The distribution of answer delays needs the delays themselves, which answer-delays-by-ministry
# sums up: here, how many questions of each ministry had each delay (a histogram, far fewer rows
# than the questions). Questions au Gouvernement are left out: they are answered in the sitting
# where they are asked, with a delay of 0 that would flatten every box.
DELAYS_QUERY = f"""PREFIX qkg: <https://w3id.org/questions-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?ministry ?ministryName ?delay ?questions
WHERE {{
  {{
    SELECT ?ministry ?delay (COUNT(DISTINCT ?question) AS ?questions)
    WHERE {{
      {_QUESTIONS_OF_LEGISLATURE}
      {{ SELECT ?question ?questionType WHERE {{ ?question qkg:questionType ?questionType }} }}
      FILTER(!STRENDS(STR(?questionType), "/QG"))
      {{ SELECT ?question ?ministry WHERE {{ ?question qkg:answeringMinistry ?ministry }} }}
      {{ SELECT ?question ?delay WHERE {{ ?question qkg:answerDelayDays ?delay }} }}
    }}
    GROUP BY ?ministry ?delay
  }}
  OPTIONAL {{ ?ministry skos:prefLabel ?ministryName }}
}}
"""

# The entities of a kind most mentioned, by question: a question counts once however many times
# it or its answers mention the entity. The vocabulary is that of questions-mentioning-organisation
# and questions-mentioning-legal-instrument; {kind} and {labels} are filled in below. One entity more
# than the chart shows is asked for, so that its title can say when it shows only the first ones.
_MENTIONED = """PREFIX qkg: <https://w3id.org/questions-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?entity ?label ?questions
WHERE {{
  {{
    SELECT ?entity (COUNT(DISTINCT ?question) AS ?questions)
    WHERE {{
      {questions}
      {{ SELECT ?question ?entity WHERE {{
          {{ ?question qkg:mentions ?entity }} UNION {{ ?question qkg:answer/qkg:mentions ?entity }} }} }}
      ?entity a {kind} .
      FILTER(CONTAINS(STR(?entity), "{folder}"))
    }}
    GROUP BY ?entity
    ORDER BY DESC(?questions) STR(?entity)
    LIMIT {limit}
  }}
  OPTIONAL {{
    SELECT ?entity (MIN(STR(?name)) AS ?label)
    WHERE {{ {labels} }}
    GROUP BY ?entity
  }}
}}
ORDER BY DESC(?questions) COALESCE(?label, STR(?entity))
"""
ORGANISATIONS_QUERY = _MENTIONED.format(
    questions=_QUESTIONS_OF_LEGISLATURE, kind="org:Organization", folder="/id/entity/",
    limit=TOP_MENTIONED + 1,
    labels="{ ?entity skos:prefLabel ?name } UNION { ?entity rdfs:label ?name } "
    "UNION { ?entity foaf:name ?name }",
)
LEGAL_QUERY = _MENTIONED.format(
    questions=_QUESTIONS_OF_LEGISLATURE, kind="qkg:LegalInstrument", folder="/id/legal/",
    limit=TOP_MENTIONED + 1,
    labels="{ ?entity skos:prefLabel ?name } UNION { ?entity rdfs:label ?name } "
    "UNION { ?entity dcterms:title ?name }",
)

TYPE_NAMES = {
    "QE": "QE (questions écrites)",
    "QG": "QG (questions au Gouvernement)",
    "QOSD": "QOSD (questions orales sans débat)",
}
TYPE_COLOURS = {"QE": "#2f6db5", "QG": "#e07b39", "QOSD": "#3a9a5b"}
BAR_COLOUR = "#2f6db5"
NO_DATA = "Aucune donnée"
MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]

# Matplotlib's settings are global: charts are drawn one at a time, so that a web server calling
# `charts` from several threads gets each chart drawn with these settings.
_DRAWING = threading.Lock()
_STYLE = {
    "font.family": "DejaVu Sans",  # shipped with matplotlib, has every French letter and "…"
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",  # text stays text: smaller files, searchable, readable by screen readers
    "svg.hashsalt": "questions-kg",  # the same store gives the same SVG
}


@dataclass(frozen=True)
class Chart:
    """One chart, drawn: its file name (`name`.svg, `name`.png), what it shows and how many marks."""

    name: str
    title: str
    svg: str
    png: bytes
    points: int
    caption: str = ""


@dataclass(frozen=True)
class Count:
    """A labelled number: a bar of a bar chart."""

    label: str
    value: int


@dataclass(frozen=True)
class MonthCount:
    """The questions of one type published in one month (YYYY-MM)."""

    month: str
    type: str
    questions: int


@dataclass(frozen=True)
class Rate:
    """How many questions a ministry had and how many it answered."""

    label: str
    questions: int
    answered: int

    @property
    def percent(self) -> float:
        """The share of its questions answered, in percent."""
        return 100 * self.answered / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class Delays:
    """The answer delays (days) of one ministry, as a histogram: {delay: questions}."""

    label: str
    histogram: dict[int, int]

    @property
    def answers(self) -> int:
        """How many answers the delays are of."""
        return sum(self.histogram.values())

    def values(self) -> list[int]:
        """Every delay, repeated as often as it occurs (what a box plot takes)."""
        return [delay for delay, n in sorted(self.histogram.items()) for _ in range(n)]


@dataclass(frozen=True)
class Figures:
    """The store's figures for the report's header: questions and answered questions by type."""

    questions: dict[str, int]
    answered: dict[str, int]

    @property
    def total(self) -> int:
        """How many questions, of every type."""
        return sum(self.questions.values())


# -- the data -----------------------------------------------------------------------------------


def _select(
    store: EmbeddedStore, query: NamedQuery, legislature: int | None, **params: str
) -> list[dict[str, Any]]:
    """The rows of a query as {variable: Python value}, its legislature bound when given."""
    if legislature is not None:
        params["legislature"] = str(legislature)
    answer = store.query(bind_parameters(query, params))
    if not isinstance(answer, Solutions):
        raise KGError(f"{query.name} is not a SELECT query")
    return [
        {name: _value(term) for name, term in zip(answer.variables, row, strict=True)} for row in answer.rows
    ]


def _value(term: object) -> object:
    """A literal's value (numbers as int or float), an IRI in its short form, None when unbound."""
    if term is None:
        return None
    if isinstance(term, Literal):
        kind = term.datatype.value.rsplit("#", 1)[-1]
        if kind in ("integer", "int", "long"):
            return int(term.value)
        if kind in ("decimal", "double", "float"):
            return float(term.value)
        return term.value
    return compact(term)


def _own(name: str, text: str) -> NamedQuery:
    """One of this module's queries, as a named query taking the legislature."""
    return NamedQuery(name, "", "", text, _LEGISLATURE)


def figures(store: EmbeddedStore, legislature: int | None = None) -> Figures:
    """How many questions the store holds, and answered, by type."""
    rows = _select(store, _own("report-figures", FIGURES_QUERY), legislature)
    return Figures(
        {row["type"]: row["questions"] for row in rows}, {row["type"]: row["answered"] for row in rows}
    )


def questions_per_month(store: EmbeddedStore, legislature: int | None) -> list[MonthCount]:
    """The questions of each month and type, oldest first."""
    rows = _select(store, find("questions-per-month-by-type"), legislature)
    return [MonthCount(row["month"], row["type"], row["questions"]) for row in rows if row["questions"]]


def answer_delays(store: EmbeddedStore, legislature: int | None) -> list[Delays]:
    """The answer delays of each ministry but for questions au Gouvernement, most answers first.

    Ministries of one name are merged, as in `answer_rates`.
    """
    histograms: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in _select(store, _own("report-delays", DELAYS_QUERY), legislature):
        histograms[row["ministryName"] or row["ministry"]][row["delay"]] += row["questions"]
    delays = [Delays(label, dict(histogram)) for label, histogram in histograms.items()]
    return sorted(delays, key=lambda d: (-d.answers, d.label))


def answer_rates(store: EmbeddedStore, legislature: int | None) -> list[Rate]:
    """Questions and answers of each ministry, most questioned first (ministries merged by name).

    A ministry is an organe of one government: the same ministry under two governments has two
    organes of one name, which a reader takes for one. A question has one answering ministry, so
    the sums are exact.
    """
    merged: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in _select(store, find("questions-by-ministry"), legislature):
        totals = merged[row["ministryName"] or row["ministry"]]
        totals[0] += row["questions"]
        totals[1] += row["answered"]
    rates = [Rate(label, questions, answered) for label, (questions, answered) in merged.items()]
    return sorted(rates, key=lambda r: (-r.questions, r.label))


def top_rubriques(store: EmbeddedStore, legislature: int | None) -> list[Count]:
    """Questions per rubrique, over every year, most first; questions without a rubrique left out."""
    totals: dict[str, int] = defaultdict(int)
    for row in _select(store, find("questions-per-rubrique-per-year"), legislature):
        if row["rubrique"] is not None:
            totals[row["rubriqueLabel"] or row["rubrique"]] += row["questions"]
    return _most(totals)


def active_deputies(store: EmbeddedStore, legislature: int | None) -> list[Count]:
    """The deputies with the most questions, in the named query's order (by rank, then name)."""
    rows = _select(store, find("most-active-deputies"), legislature, limit=str(TOP_DEPUTIES))
    return [Count(row["name"] or row["deputy"], row["questions"]) for row in rows]


def active_groups(store: EmbeddedStore, legislature: int | None) -> list[Count]:
    """Questions per parliamentary group, most first; groups of one name (in several legislatures) merged."""
    totals: dict[str, int] = defaultdict(int)
    for row in _select(store, find("most-active-groups"), legislature):
        label, abbreviation = row["groupName"] or row["group"], row["abbreviation"]
        if abbreviation:
            # The name is cut rather than the abbreviation, which readers know best.
            label = f"{_short(label, LABEL_WIDTH - len(abbreviation) - 3)} ({abbreviation})"
        totals[label] += row["questions"]
    return _most(totals)


def mentioned(store: EmbeddedStore, legislature: int | None, query: str, name: str) -> list[Count]:
    """The entities most mentioned by distinct questions (ORGANISATIONS_QUERY or LEGAL_QUERY)."""
    rows = _select(store, _own(name, query), legislature)
    return [Count(row["label"] or row["entity"], row["questions"]) for row in rows]


def _most(totals: dict[str, int]) -> list[Count]:
    """The totals as counts, largest first, then by label."""
    return [Count(label, n) for label, n in sorted(totals.items(), key=lambda item: (-item[1], item[0]))]


# -- the charts ---------------------------------------------------------------------------------


def charts(store: EmbeddedStore, legislature: int | None = None) -> list[Chart]:
    """Every chart of the report, drawn from the store (of one legislature, else of all)."""
    suffix = f" — {legislature}e législature" if legislature is not None else ""
    organisations = mentioned(store, legislature, ORGANISATIONS_QUERY, "report-organisations")
    legal = mentioned(store, legislature, LEGAL_QUERY, "report-legal-instruments")
    return [
        _months_chart(questions_per_month(store, legislature), suffix),
        _delays_chart(answer_delays(store, legislature), suffix),
        _rates_chart(answer_rates(store, legislature), suffix),
        _ranked(
            "top-rubriques", "Rubriques les plus fréquentes", "premières rubriques",
            top_rubriques(store, legislature), TOP_RUBRIQUES, suffix,
            "Nombre de questions par rubrique (l'intitulé thématique de l'Assemblée), toutes années "
            "confondues ; les questions sans rubrique ne sont pas comptées.",
        ),
        _ranked(
            "active-deputies", "Député·es posant le plus de questions", "premier·es député·es",
            active_deputies(store, legislature), TOP_DEPUTIES, suffix,
            "Nombre de questions posées par chaque député·e (écrites, au Gouvernement et orales) ; "
            "à nombre égal, par ordre alphabétique.",
        ),
        _ranked(
            "active-groups", "Groupes parlementaires posant le plus de questions", "premiers groupes",
            active_groups(store, legislature), TOP_GROUPS, suffix,
            "Questions posées par les membres de chaque groupe (le groupe de l'auteur à la publication). "
            "Les groupes de même nom dans plusieurs législatures sont réunis.",
        ),
        _ranked(
            "mentioned-organisations", "Organisations les plus citées", "premières organisations",
            organisations, TOP_MENTIONED, suffix,
            "Nombre de questions dont le texte, ou celui de la réponse, cite l'organisation "
            "(organisations reconnues automatiquement dans les textes).",
        ),
        _ranked(
            "mentioned-legal-instruments", "Textes juridiques les plus cités", "premiers textes", legal,
            TOP_MENTIONED, suffix,
            "Nombre de questions dont le texte, ou celui de la réponse, cite la loi, le code, le décret "
            "ou l'article (textes reconnus automatiquement).",
        ),
    ]


def _top(title: str, first: str, items: Sequence[object], limit: int) -> str:
    """The title, saying when the chart keeps only the first `limit` items."""
    return f"{title} ({limit} {first})" if len(items) > limit else title


def _ranked(
    name: str, title: str, first: str, counts: list[Count], limit: int, suffix: str, caption: str
) -> Chart:
    """A bar chart of the first `limit` counts, its title saying so when there are more."""
    return _bars_chart(name, _top(title, first, counts, limit) + suffix, caption, counts[:limit], "questions")


def _months_chart(rows: list[MonthCount], suffix: str) -> Chart:
    """Stacked bars: the questions of each month, one colour per type, months without any left blank."""
    title = "Questions publiées par mois et par type" + suffix
    caption = (
        "Nombre de questions publiées chaque mois, par type ; les creux suivent les vacances "
        "parlementaires et les élections."
    )
    if not rows:
        return _empty("questions-per-month", title, caption)
    months = _month_range(rows[0].month, max(row.month for row in rows))
    position = {month: index for index, month in enumerate(months)}
    rank = {kind: index for index, kind in enumerate(TYPE_NAMES)}  # QE, QG, QOSD up; unknown ones after
    types = sorted({row.type for row in rows}, key=lambda kind: (rank.get(kind, len(rank)), kind))
    counts = {(row.month, row.type): row.questions for row in rows}

    def draw(figure: Figure, axes: Axes) -> int:
        bottoms = [0] * len(months)
        drawn = 0
        for kind in types:
            present = [m for m in months if counts.get((m, kind))]
            heights = [counts[(m, kind)] for m in present]
            xs = [position[m] for m in present]
            bars = axes.bar(xs, heights, width=0.8, bottom=[bottoms[x] for x in xs],
                            color=TYPE_COLOURS.get(kind, "#888888"), label=TYPE_NAMES.get(kind, kind))
            for bar in bars:
                bar.set_gid(f"bar-{drawn}")
                drawn += 1
            for x, height in zip(xs, heights, strict=True):
                bottoms[x] += height
        _month_ticks(axes, months)
        axes.set_xlim(-0.8, len(months) - 0.2)
        axes.set_ylabel("questions")
        axes.yaxis.get_major_locator().set_params(integer=True)
        # Above the bars, where it hides none of them.
        axes.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1), ncols=len(types), borderaxespad=0)
        axes.grid(axis="y", alpha=0.3)
        return drawn

    return _draw("questions-per-month", title, caption, (10, 4.8), draw)


def _month_range(first: str, last: str) -> list[str]:
    """Every month from first to last (YYYY-MM), so that months without questions show as gaps."""
    year, month = map(int, first.split("-"))
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _month_ticks(axes: Axes, months: list[str]) -> None:
    """Month names on a short span; on a long one, years (at January, or the first month)."""
    if len(months) <= 18:
        # The year under the first month and under each January.
        labels = [_month_name(m) + (f"\n{m[:4]}" if i == 0 or m.endswith("-01") else "")
                  for i, m in enumerate(months)]
        axes.set_xticks(range(len(months)), labels)
        return
    step = max(1, len(months) // 120 + 1)  # one label a year, or every other year beyond ten years
    ticks = [(i, m[:4]) for i, m in enumerate(months) if m.endswith("-01") and int(m[:4]) % step == 0]
    if not ticks or ticks[0][0] > 6:
        ticks.insert(0, (0, f"{_month_name(months[0])} {months[0][:4]}"))
    axes.set_xticks([i - 0.5 for i, _ in ticks], [label for _, label in ticks])


def _month_name(month: str) -> str:
    """The French abbreviation of a YYYY-MM month's name."""
    return MONTHS[int(month[5:]) - 1]


def _delays_chart(delays: list[Delays], suffix: str) -> Chart:
    """Horizontal box plots of the answer delays of the ministries with the most answers."""
    shown = delays[:TOP_DELAYS]
    if len(delays) > TOP_DELAYS:
        title = f"Délai de réponse par ministère ({TOP_DELAYS} ministères ayant le plus répondu)"
    else:
        title = "Délai de réponse par ministère"
    title += suffix
    caption = (
        "Jours entre la publication d'une question et sa première réponse, questions écrites et orales "
        "sans débat (les questions au Gouvernement, répondues en séance le jour même, sont exclues). "
        "La boîte va du premier au troisième quartile, le trait marque la médiane ; chaque point est "
        "une réponse. Entre parenthèses : le nombre de réponses."
    )
    if not shown:
        return _empty("answer-delays", title, caption)

    def draw(figure: Figure, axes: Axes) -> int:
        labels = [f"{_short(d.label, 40)} ({_number(d.answers)})" for d in shown]
        values = [d.values() for d in shown]
        boxes = axes.boxplot(
            values, orientation="horizontal", patch_artist=True, showfliers=False, widths=0.6,
            medianprops={"color": "#1b1b1b", "linewidth": 1.6},
            boxprops={"facecolor": "#cfe0f3", "edgecolor": BAR_COLOUR},
            whiskerprops={"color": BAR_COLOUR}, capprops={"color": BAR_COLOUR},
        )
        for index, box in enumerate(boxes["boxes"]):
            box.set_gid(f"box-{index}")
        _strip(axes, values)
        axes.set_yticks(range(1, len(shown) + 1), labels)
        axes.invert_yaxis()  # the ministry with the most answers on top
        axes.set_xlabel("délai de réponse (jours)")
        axes.set_xlim(left=0)
        axes.grid(axis="x", alpha=0.3)
        return len(shown)

    return _draw("answer-delays", title, caption, (10, _height(len(shown))), draw)


def _strip(axes: Axes, values: list[list[int]]) -> None:
    """Each delay as a faint dot over its box, spread vertically (the same spread at each run)."""
    for row, delays in enumerate(values, start=1):
        spread = [row + 0.25 * (((i * 0.618034) % 1) - 0.5) for i in range(len(delays))]
        alpha = 0.6 if len(delays) < 50 else max(0.05, 30 / len(delays))
        axes.scatter(delays, spread, s=9, color="#1b1b1b", alpha=alpha, linewidths=0, zorder=3)


def _rates_chart(rates: list[Rate], suffix: str) -> Chart:
    """Horizontal bars: the share of questions each of the most questioned ministries answered."""
    title = _top("Taux de réponse par ministère", "ministères les plus interrogés", rates,
                 TOP_MINISTRIES) + suffix
    caption = (
        "Part des questions ayant reçu au moins une réponse, pour chaque ministère attributaire "
        "(le dernier à qui la question a été attribuée) ; entre parenthèses, réponses / questions. "
        "Les ministères de même nom dans plusieurs gouvernements sont réunis."
    )
    shown = rates[:TOP_MINISTRIES]
    if not shown:
        return _empty("answer-rate", title, caption)

    def draw(figure: Figure, axes: Axes) -> int:
        bars = _hbars(axes, [r.label for r in shown], [r.percent for r in shown])
        notes = [f"{r.percent:.0f} % ({_number(r.answered)}/{_number(r.questions)})" for r in shown]
        axes.bar_label(bars, notes, padding=3, fontsize=9)
        axes.set_xlim(0, 130)  # room for the notes after a full bar
        axes.set_xticks(range(0, 101, 20), [f"{p} %" for p in range(0, 101, 20)])
        axes.set_xlabel("questions ayant reçu une réponse")
        return len(bars)

    return _draw("answer-rate", title, caption, (10, _height(len(shown))), draw)


def _bars_chart(name: str, title: str, caption: str, counts: list[Count], unit: str) -> Chart:
    """Horizontal bars of counts, the largest on top, each with its number."""
    if not counts:
        return _empty(name, title, caption)

    def draw(figure: Figure, axes: Axes) -> int:
        bars = _hbars(axes, [c.label for c in counts], [c.value for c in counts])
        axes.bar_label(bars, [_number(c.value) for c in counts], padding=3, fontsize=9)
        axes.set_xlim(0, max(c.value for c in counts) * 1.12)
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.set_xlabel(unit)
        return len(bars)

    return _draw(name, title, caption, (10, _height(len(counts))), draw)


def _hbars(axes: Axes, labels: list[str], values: Sequence[float]) -> BarContainer:
    """Horizontal bars, first on top, each with its `bar-N` id."""
    bars = axes.barh(range(len(values)), values, height=0.7, color=BAR_COLOUR)
    for index, bar in enumerate(bars):
        bar.set_gid(f"bar-{index}")
    axes.set_yticks(range(len(values)), [_short(label) for label in labels])
    axes.invert_yaxis()
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    return bars


def _height(bars: int) -> float:
    """Inches of a horizontal chart of that many bars: a steady bar thickness, whatever their number."""
    return 1.4 + 0.32 * max(bars, 3)


def _short(label: str, width: int = LABEL_WIDTH) -> str:
    """The label on one line, cut with "…" when longer than `width` characters."""
    label = " ".join(str(label).split())
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def _empty(name: str, title: str, caption: str) -> Chart:
    """A chart saying there is no data, with its title: the page keeps its layout."""

    def draw(figure: Figure, axes: Axes) -> int:
        axes.set_axis_off()
        axes.text(0.5, 0.5, NO_DATA, ha="center", va="center", fontsize=16, color="#777777",
                  transform=axes.transAxes)
        return 0

    return _draw(name, title, caption, (10, 2.4), draw)


def _draw(name: str, title: str, caption: str, size: tuple[float, float], draw: Draw) -> Chart:
    """A figure drawn by `draw(figure, axes)` (which returns how many marks it drew), as SVG and PNG.

    The figure is made without pyplot, which would keep it in its global list and needs a display.
    """
    import matplotlib
    from matplotlib.figure import Figure

    with _DRAWING, matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=size, layout="constrained")
        axes = figure.subplots()
        # On the figure, not the axes: the labels of horizontal bars push the axes far right.
        figure.suptitle("\n".join(textwrap.wrap(title, 95)), x=0.01, ha="left", fontweight="bold",
                        fontsize=12)
        points = draw(figure, axes)
        svg, png = io.BytesIO(), io.BytesIO()
        figure.savefig(svg, format="svg", metadata={"Date": None})
        figure.savefig(png, format="png", dpi=110, metadata={"Software": None})
    return Chart(name, title, svg.getvalue().decode("utf-8"), png.getvalue(), points, caption)


# -- the page ----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  body {{ font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem;
         color: #1b1b1b; }}
  figure {{ margin: 2.5rem 0; }}
  figure img {{ width: 100%; height: auto; border: 1px solid #e4e4e4; }}
  figcaption {{ color: #444; margin-top: .4rem; }}
  .figures {{ font-size: 1.1rem; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="figures">{figures}</p>
<p>Rapport du {today}, calculé sur le graphe de connaissances des questions parlementaires
(questions-kg). Chaque graphique existe en SVG et en PNG.</p>
{sections}
</body>
</html>
"""

SECTION = """<figure id="{name}">
<img src="{name}.svg" alt="{title}">
<figcaption>{caption} <a href="{name}.svg">SVG</a> · <a href="{name}.png">PNG</a></figcaption>
</figure>"""


def write_report(store: EmbeddedStore, out_dir: Path, legislature: int | None = None) -> Path:
    """Write `index.html` and each chart's `NAME.svg` and `NAME.png` into out_dir; the page's path."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)  # first: a folder that cannot be made fails at once
        drawn = charts(store, legislature)
        page = render_page(drawn, figures(store, legislature), legislature, date.today())
        for chart in drawn:
            (out_dir / f"{chart.name}.svg").write_text(chart.svg, encoding="utf-8")
            (out_dir / f"{chart.name}.png").write_bytes(chart.png)
        index = out_dir / "index.html"
        index.write_text(page, encoding="utf-8")
    except OSError as error:
        raise KGError(f"cannot write the report in {out_dir}: {error.strerror or error}") from error
    return index


def render_page(drawn: Iterable[Chart], counted: Figures, legislature: int | None, today: date) -> str:
    """The HTML page: the store's figures, then each chart (by <img>) with its caption."""
    title = "Questions parlementaires"
    title += f" — {legislature}e législature" if legislature is not None else " — toutes législatures"
    sections = "\n".join(
        SECTION.format(name=html.escape(c.name), title=html.escape(c.title), caption=html.escape(c.caption))
        for c in drawn
    )
    return PAGE.format(
        title=html.escape(title), figures=html.escape(_describe(counted)), today=today.isoformat(),
        sections=sections,
    )


def _describe(counted: Figures) -> str:
    """"1 234 questions (QE 1 000, QG 234), dont 900 avec réponse", or that there are none."""
    if not counted.total:
        return "Aucune question dans le graphe."

    by_type = ", ".join(f"{kind} {_number(n)}" for kind, n in sorted(counted.questions.items()))
    answered = sum(counted.answered.values())
    plural = "s" if counted.total > 1 else ""
    return f"{_number(counted.total)} question{plural} ({by_type}), dont {_number(answered)} avec réponse."


def _number(n: int) -> str:
    """A number as French writes it: 12 345, a narrow no-break space between thousands."""
    return f"{n:,}".replace(",", "\u202f")
