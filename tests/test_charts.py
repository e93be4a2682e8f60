"""Charts of fact groups: which groups get one and why not, what each draws, and the PNGs stored."""

from __future__ import annotations

import json
import shutil
import struct
import sys
from pathlib import Path

import pytest
import yaml

from bot.chart_sync import CACHE_ENV, PNG_SIGNATURE, sync_charts
from bot.charts import ChartSpec, decide_all, format_value, uses_log_scale
from bot.knowledge import Knowledge
from bot.lang import Lang
from bot.pack import ASCII_PUNCTUATION_RE, DEFAULT_DATA_DIR, load_pack
from bot.service import open_knowledge
from bot.store import Store
from bot.text import is_han

Shipped = tuple[Store, Knowledge]


def han_in(text: str) -> bool:
    return any(is_han(ch) for ch in text)


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


async def stored_specs(store: Store) -> dict[tuple[str, str], ChartSpec]:
    return {k: ChartSpec.from_json(json.loads(v)) for k, v in (await store.content.chart_specs()).items()}


def test_revenue_and_industry_compute_are_drawn_and_every_other_group_says_why_not() -> None:
    pack, problems = load_pack(DEFAULT_DATA_DIR)
    assert not problems
    decisions = decide_all(pack.facts.values(), pack.charts)
    assert {g for g, d in decisions.items() if d.drawn} == {"revenue", "compute"}
    # Too few figures of one unit placed in time: the rule says so itself.
    assert decisions["valuation"].why.startswith("fewer than 3 figures of one unit")
    assert "at most 2" in decisions["funding"].why
    # Three percentages that are not one series: the curators' reason, from data/charts.yaml.
    assert "different measures" in decisions["productivity"].why
    assert decisions["probability"].why == pack.charts["probability"].why
    assert all(d.why for d in decisions.values() if not d.drawn)
    # The industry's gigawatts, without Dwarkesh's extrapolation of Anthropic's own.
    compute = [f.id for f in decisions["compute"].figures]
    assert compute == [
        "f-compute-industry-2026-gw",
        "f-compute-industry-2027-gw",
        "f-compute-industry-2028-gw",
        "f-compute-industry-2029-gw",
    ]
    # Revenue: every figure in dollars with a year, in timeline order; not the one without a number.
    revenue = decisions["revenue"].figures
    assert [f.id for f in revenue][:3] == ["f-revenue-2023", "f-revenue-2024", "f-revenue-2025"]
    assert "f-revenue-2026-01-added" not in {f.id for f in revenue}
    assert [f.order for f in revenue] == sorted(f.order for f in revenue)


def _add_revenue_2025(pack_dir: Path) -> None:
    facts = pack_dir / "facts.yaml"
    doc = yaml.safe_load(facts.read_text(encoding="utf-8"))
    third = dict(next(f for f in doc["facts"] if f["id"] == "f-revenue-2024"))
    third.update(id="f-revenue-2025", period={"en": "2025", "zh": "2025 年"}, order=2025.0)
    doc["facts"].append(third)
    facts.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def test_check_asks_for_a_decision_on_a_group_that_could_be_drawn(minipack: Path) -> None:
    _, problems = load_pack(minipack)
    assert not problems  # two revenue figures: nothing to decide
    _add_revenue_2025(minipack)
    _, problems = load_pack(minipack)
    assert [(p.file, p.entry) for p in problems] == [("charts.yaml", "revenue")], problems
    assert "give it a chart" in problems[0].reason

    (minipack / "charts.yaml").write_text(
        "charts:\n- group: revenue\n  unit: GW\n  title: {en: R, zh: 收入}\n  axis: {en: a, zh: 轴}\n",
        encoding="utf-8",
    )
    _, problems = load_pack(minipack)
    assert [p.entry for p in problems] == ["revenue"]
    assert "cannot be drawn: only 0 figures in GW" in problems[0].reason

    (minipack / "charts.yaml").write_text(
        "charts:\n- group: revenue\n  unit: USD\n  no_chart: both\n", encoding="utf-8"
    )
    _, problems = load_pack(minipack)
    assert any("either `unit`" in p.reason for p in problems)


async def test_chart_points_are_the_facts_machine_values_and_periods(shipped: Shipped) -> None:
    store, knowledge = shipped
    charts = await stored_specs(store)
    assert set(charts) == {(g, lang.value) for g in ("revenue", "compute") for lang in Lang}
    for (group, lang_value), spec in charts.items():
        lang = Lang(lang_value)
        items = {f.id: knowledge.fact_item(f, lang) for f in knowledge.facts.group(group)}
        assert len(spec.points) >= 3
        for point in spec.points:
            item = items[point.fact_id]
            assert point.number == item["number"]
            assert point.period == item["period"]
            assert point.standing == item["standing"]
            assert point.speaker == (item["speaker_id"] != "editor")
        orders = [knowledge.facts.by_id[p.fact_id].order for p in spec.points]
        assert orders == sorted(orders)
    revenue = charts[("revenue", "en")]
    assert [(p.period, p.number, p.value) for p in revenue.points[:3]] == [
        ("2023", 1e8, "$100M"),
        ("2024", 1e9, "$1B"),
        ("2025", 1e10, "$9–10B"),  # "$1 billion → $9–10 billion": drawn at its top, labelled as a range
    ]
    # Figures from editors' outside sources are apart from the speaker's, and say whom they cite.
    editors = [p for p in revenue.points if not p.speaker]
    assert {p.fact_id for p in editors} == {"f-revenue-2025-arr-bloomberg", "f-revenue-2026-02-arr-sacra"}
    assert all("Bloomberg" in p.series and "Sacra" in p.series for p in editors)
    examples = [p for p in revenue.points if p.standing == "example"]
    assert [p.value for p in examples] == ["$100B", "$1T"]
    assert all(p.series == "stylized example by Dario Amodei" for p in examples)


async def test_a_span_over_two_orders_of_magnitude_is_drawn_on_a_labelled_log_scale(shipped: Shipped) -> None:
    store, _ = shipped
    charts = await stored_specs(store)
    revenue, compute = charts[("revenue", "en")], charts[("compute", "en")]
    assert revenue.log and "logarithmic" in revenue.scale_note  # $100M to $1T
    assert not compute.log and not compute.scale_note  # 15 to 300 GW
    assert uses_log_scale([1, 101]) and not uses_log_scale([1, 100])


async def test_charts_are_small_valid_pngs(shipped: Shipped) -> None:
    store, _ = shipped
    for group, lang in await store.content.chart_specs():
        png = await store.content.chart_png(group, lang)
        assert png is not None
        assert png_size(png) == (1000, 600)
        assert len(png) < 60_000  # Discord takes 10 MB from any bot; a 64-colour chart is ~15-25 KB


async def test_a_chinese_readers_chart_has_chinese_words(shipped: Shipped) -> None:
    store, _ = shipped
    charts = await stored_specs(store)
    hans, hant, en = charts[("revenue", "zh-Hans")], charts[("revenue", "zh-Hant")], charts[("revenue", "en")]
    for spec in (hans, hant):
        assert (
            han_in(spec.title) and han_in(spec.axis) and han_in(spec.scale_note) and han_in(spec.order_note)
        )
        assert all(han_in(p.value) and han_in(p.series) for p in spec.points)
        words = spec.title + spec.axis + "".join(p.series for p in spec.points)
        assert not ASCII_PUNCTUATION_RE.search(words), words
    assert hans.font == "Noto Sans CJK SC" and hant.font == "Noto Sans CJK TC"
    assert any(p.series.endswith("（引自 彭博社、Sacra）") for p in hans.points)
    assert [p.value for p in hans.points[:2]] == ["1 亿美元", "10 亿美元"]
    assert [p.value for p in hant.points[:2]] == ["1 億美元", "10 億美元"]
    assert "對數" in hant.scale_note and "对数" in hans.scale_note
    assert not han_in(en.title + en.axis + en.order_note + "".join(p.value + p.series for p in en.points))
    assert await store.content.chart_png("revenue", "zh-Hant") != await store.content.chart_png(
        "revenue", "en"
    )


async def test_a_stated_range_is_labelled_and_drawn_as_a_range_at_its_top(shipped: Shipped) -> None:
    store, _ = shipped
    charts = await stored_specs(store)
    compute = charts[("compute", "en")]
    assert [(p.number, p.low, p.value) for p in compute.points] == [
        (15, 10, "10–15 GW"),
        (40, 30, "30–40 GW"),
        (100, None, "100 GW"),
        (300, None, "300 GW"),
    ]
    assert [p.value for p in charts[("compute", "zh-Hans")].points[:2]] == ["10–15 吉瓦", "30–40 吉瓦"]
    revenue = {p.fact_id: p for p in charts[("revenue", "zh-Hans")].points}
    assert (revenue["f-revenue-2025"].low, revenue["f-revenue-2025"].value) == (9e9, "90–100 亿美元")
    assert revenue["f-revenue-2025-arr-bloomberg"].low is None  # "over $9 billion" is no range


async def test_a_taiwan_readers_chart_says_chan_ye_and_zhao_not_the_mainland_words(shipped: Shipped) -> None:
    store, _ = shipped
    charts = await stored_specs(store)
    assert charts[("compute", "en")].title == "AI industry compute being built"
    assert (
        "产业" not in charts[("compute", "zh-Hans")].title and "行业" in charts[("compute", "zh-Hans")].title
    )
    hant = [charts[("revenue", "zh-Hant")], charts[("compute", "zh-Hant")]]
    words = "".join(s.title + s.axis + "".join(p.value + p.series for p in s.points) for s in hant)
    assert "產業" in hant[1].title
    assert "行業" not in words and "萬億" not in words and "万亿" not in words
    assert hant[0].points[-1].value == "1 兆美元"
    assert charts[("revenue", "zh-Hans")].points[-1].value == "1 万亿美元"


@pytest.mark.parametrize(
    ("number", "unit", "lang", "shown"),
    [
        (9e9, "USD", Lang.EN, "$9B"),
        (2.5e9, "USD", Lang.EN, "$2.5B"),
        (1e12, "USD", Lang.ZH_HANS, "1 万亿美元"),
        (1.4e10, "USD", Lang.ZH_HANS, "140 亿美元"),
        (1e11, "USD", Lang.ZH_HANS, "1000 亿美元"),
        (300, "GW", Lang.EN, "300 GW"),
        (15, "GW", Lang.ZH_HANS, "15 吉瓦"),
    ],
)
def test_point_labels_are_short_in_the_readers_language(
    number: float, unit: str, lang: Lang, shown: str
) -> None:
    assert format_value(number, unit, lang) == shown


@pytest.mark.parametrize(
    ("number", "low", "unit", "lang", "shown"),
    [
        (1e10, 9e9, "USD", Lang.EN, "$9–10B"),
        (1e10, 9e9, "USD", Lang.ZH_HANS, "90–100 亿美元"),
        (2e12, 1.5e12, "USD", Lang.ZH_HANT, "1.5–2 兆美元"),
        (15, 10, "GW", Lang.EN, "10–15 GW"),
    ],
)
def test_a_range_is_shown_bottom_to_top_in_the_scale_of_its_top(
    number: float, low: float, unit: str, lang: Lang, shown: str
) -> None:
    assert format_value(number, unit, lang, low) == shown


async def test_stale_charts_are_redrawn_and_a_failed_drawing_leaves_the_answers_alone(
    shipped_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "db.sqlite3"
    shutil.copyfile(shipped_db, db)
    store = await Store.open(db)
    try:
        assert await sync_charts(store, DEFAULT_DATA_DIR) is False  # up to date: nothing to do
        await store.content.replace_charts("drawn-from-older-data", [])
        assert await sync_charts(store, DEFAULT_DATA_DIR) is True
        assert await store.content.chart_png("revenue", "en") is not None

        # The drawing process fails (here: it is not Python at all), with nothing cached.
        await store.content.replace_charts("drawn-from-older-data", [])
        monkeypatch.setenv(CACHE_ENV, str(tmp_path / "empty-cache"))
        monkeypatch.setattr(sys, "executable", shutil.which("false"))
        assert await sync_charts(store, DEFAULT_DATA_DIR) is False
        assert await store.content.chart_png("revenue", "en") is None
        assert await store.content.charts_key() == "drawn-from-older-data"  # tried again next start
    finally:
        await store.close()
    store, knowledge = await open_knowledge(db, DEFAULT_DATA_DIR)
    try:
        answer = knowledge.fact("revenue", Lang.EN)
        assert answer.kind == "facts" and len(answer.items) == 9
    finally:
        await store.close()
