"""Which fact groups are drawn as a chart, and what each chart says, in the reader's language.

A chart draws one group's figures of one unit, each with a period that names a
year, in timeline order; it needs at least three (``MIN_FIGURES``). Three
figures of one unit are not always one series (a speed-up beside a slowdown,
chances of different events), so ``data/charts.yaml`` says which groups are
drawn and which are not, and why; ``check`` asks for a decision on every group
that could be drawn. This module is plain Python: it never imports matplotlib.
The drawing happens in a child process (``bot.chart_render``), once per data
import and language, and the bot serves the stored PNGs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from bot.i18n import t
from bot.lang import Lang
from bot.models import EDITOR, ChartRule, Fact

if TYPE_CHECKING:
    from bot.knowledge import Knowledge

MIN_FIGURES = 3
# Above this ratio between the largest and the smallest figure (two orders of
# magnitude), a linear axis squashes the small ones flat: the axis turns logarithmic.
LOG_SPAN = 100.0
LANGS = (Lang.EN, Lang.ZH_HANS, Lang.ZH_HANT)

UNDECIDED = "not yet decided in data/charts.yaml"
_YEAR_RE = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")

# The chart's own words; everything else on it comes from the data and bot.i18n.
_WORDS: dict[str, tuple[str, str]] = {
    "log": ("logarithmic scale: each gridline is ×10", "对数刻度：每条网格线 ×10"),
    "linear": ("", ""),
    # Periods are drawn one step apart whatever their distance in time (2025, end of 2025 …).
    "order": ("periods in order, evenly spaced (not to scale)", "时期按先后排列，间隔相等（不按时间比例）"),
}


def chart_word(key: str, lang: Lang, zh_script: Any = None) -> str:
    en, zh = _WORDS[key]
    if lang is Lang.EN:
        return en
    return zh_script(zh) if zh_script is not None else zh


def _period_en(fact: Fact) -> str:
    return fact.period.en if fact.period else ""


def placed_in_time(fact: Fact) -> bool:
    """A figure a chart can place: a number, a unit, and a period naming a year."""
    return fact.number is not None and bool(fact.unit) and bool(_YEAR_RE.search(_period_en(fact)))


def drawable_units(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    """The units of which a group has at least ``MIN_FIGURES`` figures placed in time."""
    by_unit: dict[str, list[Fact]] = {}
    for fact in facts:
        if placed_in_time(fact):
            by_unit.setdefault(fact.unit or "", []).append(fact)
    return {unit: figs for unit, figs in by_unit.items() if len(figs) >= MIN_FIGURES}


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether a group gets a chart; ``figures`` in timeline order when it does, else ``why`` not."""

    group: str
    figures: tuple[Fact, ...] = ()
    why: str = ""

    @property
    def drawn(self) -> bool:
        return bool(self.figures)


def decide_group(group: str, facts: list[Fact], rule: ChartRule | None) -> Decision:
    """The one rule, used by ``check``, the import and the tests alike."""
    units = drawable_units(facts)
    if rule is None:
        if units:
            return Decision(group, why=UNDECIDED)
        per_unit: dict[str, int] = {}
        for fact in facts:
            if placed_in_time(fact):
                per_unit[fact.unit or ""] = per_unit.get(fact.unit or "", 0) + 1
        most = max(per_unit.values(), default=0)
        return Decision(
            group,
            why=f"fewer than {MIN_FIGURES} figures of one unit with a period naming a year "
            f"(at most {most} of its {len(facts)})",
        )
    if rule.unit is None:
        return Decision(group, why=rule.why or "no chart")
    left_out = dict(rule.leave_out)
    figures = [f for f in units.get(rule.unit, []) if f.id not in left_out]
    if len(figures) < MIN_FIGURES:
        return Decision(
            group,
            why=f"only {len(figures)} figures in {rule.unit} with a period naming a year "
            f"(a chart needs {MIN_FIGURES})",
        )
    return Decision(group, tuple(sorted(figures, key=lambda f: (f.order, f.id))))


def decide_all(facts: Iterable[Fact], rules: dict[str, ChartRule]) -> dict[str, Decision]:
    groups: dict[str, list[Fact]] = {}
    for fact in facts:
        groups.setdefault(fact.group, []).append(fact)
    return {g: decide_group(g, members, rules.get(g)) for g, members in sorted(groups.items())}


def rule_problems(facts: Iterable[Fact], rules: dict[str, ChartRule]) -> list[tuple[str, str]]:
    """(group, reason) for each rule that draws nothing and each drawable group left undecided."""
    facts = list(facts)
    problems: list[tuple[str, str]] = []
    decisions = decide_all(facts, rules)
    for group, rule in rules.items():
        decision = decisions.get(group)
        if decision is None:
            problems.append((group, "no fact has this group"))
            continue
        if rule.unit is not None and not decision.drawn:
            problems.append((group, f"cannot be drawn: {decision.why}"))
        for fact_id, _ in rule.leave_out:
            if not any(f.id == fact_id for f in facts if f.group == group):
                problems.append((group, f"leave_out names {fact_id!r}, not a figure of this group"))
    for group, decision in decisions.items():
        if decision.why == UNDECIDED:
            problems.append(
                (
                    group,
                    "has three or more figures of one unit placed in time: give it a chart "
                    "(`unit`) or say why not (`no_chart`)",
                )
            )
    return problems


# -- what a chart shows, in one language ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChartPoint:
    fact_id: str
    period: str  # the x label, in the reader's language
    number: float  # the fact's machine value, drawn as is
    value: str  # the point's label
    standing: str
    by: str  # a person id, or `editor`
    speaker: bool  # a figure someone in the interview gave, not an editor's outside figure
    series: str  # the legend entry this point belongs to
    low: float | None = (
        None  # the bottom of a range the fact states ("10–15 GW"), drawn as a bar up to ``number``
    )


@dataclass(frozen=True, slots=True)
class ChartSpec:
    group: str
    lang: str
    unit: str
    title: str
    axis: str
    log: bool
    scale_note: str
    order_note: str
    font: str  # a font family name the renderer registers ("" for its default)
    points: tuple[ChartPoint, ...]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChartSpec:
        points = tuple(ChartPoint(**p) for p in data["points"])
        return cls(**{**data, "points": points})


# Words a Taiwan reader uses where a character-by-character conversion keeps the mainland's;
# for the chart's own wording (titles, axes), never for quotes.
_TAIWAN_WORDS = {"行業": "產業", "萬億": "兆"}


def taiwan_words(lang: Lang, text: str) -> str:
    if lang is Lang.ZH_HANT:
        for mainland, taiwan in _TAIWAN_WORDS.items():
            text = text.replace(mainland, taiwan)
    return text


FONT_FOR = {Lang.EN: "", Lang.ZH_HANS: "Noto Sans CJK SC", Lang.ZH_HANT: "Noto Sans CJK TC"}


# A range in a fact's English value text ("about 10–15 gigawatts", "$1 billion → $9–10 billion"):
# the last one is the figure's own; its top must be the fact's machine number.
_RANGE_RE = re.compile(
    r"(\d+(?:\.\d+)?)\s*[–-]\s*\$?(\d+(?:\.\d+)?)\s*(trillion|billion|million)?", re.IGNORECASE
)
_SCALE = {"trillion": 1e12, "billion": 1e9, "million": 1e6}


def stated_low(fact: Fact) -> float | None:
    """The bottom of the range a fact states, when its top is the fact's number; else None."""
    matches = list(_RANGE_RE.finditer(fact.value.en))
    if not matches or fact.number is None:
        return None
    low, high, word = matches[-1].groups()
    scale = _SCALE.get((word or "").lower(), 1.0)
    if float(high) * scale != fact.number or float(low) >= float(high):
        return None
    return float(low) * scale


def format_value(number: float, unit: str, lang: Lang, low: float | None = None) -> str:
    """A figure's value, short: ``$1B``, ``10–15 GW``; ``10 亿美元``, ``15 吉瓦``; ``1 兆美元`` in Taiwan.

    ``low`` is the bottom of a stated range, shown in the same scale as the top (``$9–10B``).
    """

    def amount(scale: float = 1.0, *, group: bool = True) -> str:
        top = _short(number / scale, group=group)
        return top if low is None else f"{_short(low / scale, group=group)}–{top}"

    if unit == "USD":
        if lang is Lang.EN:
            for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
                if number >= scale:
                    return f"${amount(scale)}{suffix}"
            return f"${amount()}"
        # 兆 is 10^12 in Taiwan (萬億 is the mainland's word).
        trillion = "兆" if lang.is_traditional else "万亿"
        for scale, suffix in ((1e12, trillion), (1e8, "亿"), (1e4, "万")):
            if number >= scale:
                return f"{amount(scale, group=False)} {suffix}美元"
        return f"{amount(group=False)} 美元"
    words = {
        "GW": ("GW", "吉瓦"),
        "percent": ("%", "%"),
        "x": ("×", "倍"),
        "people": ("people", "人"),
    }
    en, zh = words.get(unit, (unit, unit))
    if unit == "percent":
        return f"{amount()}%"
    return f"{amount()} {en if lang is Lang.EN else zh}"


def _short(number: float, *, group: bool = True) -> str:
    """At most one decimal; thousands grouped with commas unless ``group`` is off (Chinese)."""
    sep = "," if group else ""
    if number == int(number):
        return f"{int(number):{sep}}"
    return f"{number:{sep}.1f}".rstrip("0").rstrip(".")


def uses_log_scale(numbers: Iterable[float]) -> bool:
    positive = [n for n in numbers if n > 0]
    return bool(positive) and max(positive) / min(positive) > LOG_SPAN


def spec_for(knowledge: Knowledge, decision: Decision, rule: ChartRule, lang: Lang) -> ChartSpec:
    """The chart of one group in one language: its words from the data, as the embed shows them."""

    def zh(text: str) -> str:
        return taiwan_words(lang, knowledge.zh(lang, text))

    points: list[ChartPoint] = []
    cites: dict[str, list[str]] = {}
    for fact in decision.figures:
        item = knowledge.fact_item(fact, lang)
        if fact.by == EDITOR and item.get("cites"):
            cited = item["cites"]
            cites.setdefault(fact.standing, [])
            if cited not in cites[fact.standing]:
                cites[fact.standing].append(str(cited))
    for fact in decision.figures:
        item = knowledge.fact_item(fact, lang)
        who = knowledge.person_name(fact.by, lang)
        series = t(f"standing.{fact.standing}", lang, who=who)
        if fact.by == EDITOR and cites.get(fact.standing):
            if lang is Lang.EN:
                series += f" ({t('cites', lang, cites=', '.join(cites[fact.standing]))})"
            else:
                series += f"（{t('cites', lang, cites='、'.join(cites[fact.standing]))}）"
        assert fact.number is not None and fact.unit is not None  # placed_in_time
        low = stated_low(fact)
        value = format_value(fact.number, fact.unit, lang, low)
        points.append(
            ChartPoint(
                fact_id=fact.id,
                period=str(item.get("period") or ""),
                number=fact.number,
                value=zh(value) if lang is not Lang.EN else value,
                standing=fact.standing,
                by=fact.by,
                speaker=fact.by != EDITOR,
                series=series,
                low=low,
            )
        )
    log = uses_log_scale(p.number for p in points)
    return ChartSpec(
        group=decision.group,
        lang=lang.value,
        unit=rule.unit or "",
        title=rule.title.en if lang is Lang.EN else zh(rule.title.zh),
        axis=rule.axis.en if lang is Lang.EN else zh(rule.axis.zh),
        log=log,
        scale_note=chart_word("log" if log else "linear", lang, zh),
        order_note=chart_word("order", lang, zh),
        font=FONT_FOR[lang],
        points=tuple(points),
    )


def specs(knowledge: Knowledge, rules: dict[str, ChartRule]) -> list[ChartSpec]:
    """Every chart of the knowledge base, in every language."""
    out: list[ChartSpec] = []
    for group, decision in decide_all(knowledge.facts.facts, rules).items():
        if decision.drawn:
            out += [spec_for(knowledge, decision, rules[group], lang) for lang in LANGS]
    return out
