"""/fact on the shipped knowledge base: what people type resolves to the right key numbers."""

from __future__ import annotations

import re

import pytest

from bot.answer import Answer
from bot.commands import dispatch
from bot.knowledge import Knowledge
from bot.lang import Lang
from bot.models import EDITOR
from bot.render_text import render
from bot.store import Store
from bot.text import to_traditional

Kit = tuple[Store, Knowledge]


@pytest.fixture
def knowledge(shipped: Kit) -> Knowledge:
    return shipped[1]


async def fact(knowledge: Knowledge, query: str, lang: str = "en") -> Answer:
    return await dispatch(knowledge, "fact", {"query": query, "lang": lang})


def ids(answer: Answer) -> list[str]:
    return [i["id"] for i in answer.items]


# -- the revenue timeline ---------------------------------------------------------------


async def test_revenue_answers_the_whole_group_as_a_timeline_in_order(knowledge: Knowledge) -> None:
    answer = await fact(knowledge, "revenue")
    assert answer.kind == "facts"
    assert {i["group"] for i in answer.items} == {"revenue"}
    assert len(answer.items) == len(knowledge.facts.group("revenue"))
    orders = [knowledge.facts.by_id[i].order for i in ids(answer)]
    assert orders == sorted(orders)
    periods = [i["period"] or "" for i in answer.items]
    first = {
        year: next(n for n, p in enumerate(periods) if year in p) for year in ("2023", "2024", "2025", "2026")
    }
    assert first["2023"] < first["2024"] < first["2025"] < first["2026"]
    assert all("2026" not in p for p in periods[: first["2025"] + 1])
    assert periods[:3] == ["2023", "2024", "2025"]
    assert f"{len(answer.items)} figures" in answer.text()


@pytest.mark.parametrize("query", ["收入", "营收", "ARR", "arr", "revenu", "Revenue", "營收"])
async def test_other_names_for_revenue_answer_the_same_group(knowledge: Knowledge, query: str) -> None:
    expected = ids(await fact(knowledge, "revenue"))
    answer = await fact(knowledge, query)
    assert answer.kind == "facts", answer.text()
    assert ids(answer) == expected


async def test_revenue_in_a_year_answers_that_one_figure(knowledge: Knowledge) -> None:
    answer = await fact(knowledge, "anthropic revenue 2024")
    assert answer.kind == "fact"
    [item] = answer.items
    assert item["id"] == "f-revenue-2024"
    assert item["period"] == "2024"
    assert "2024" in item["text"] and "$1 billion" in item["text"]
    assert item["value"] == "$100 million → $1 billion"
    card = render(answer)
    assert "In 2024, it was $100 million to $1 billion." in card
    assert "stated by Dario Amodei" in card


async def test_revenue_in_a_year_in_chinese(knowledge: Knowledge) -> None:
    answer = await fact(knowledge, "2024 年收入", "zh")
    assert ids(answer) == ["f-revenue-2024"]
    assert "2024" in answer.items[0]["text"] and "10 亿美元" in answer.items[0]["text"]


# -- valuation, productivity, nonsense ----------------------------------------------------


@pytest.mark.parametrize("query", ["估值", "valuation", "anthropic 估值", "Anthropic valuation"])
async def test_valuation_words_answer_the_valuation_fact(knowledge: Knowledge, query: str) -> None:
    answer = await fact(knowledge, query)
    assert answer.kind in ("fact", "facts")
    assert {i["group"] for i in answer.items} == {"valuation"}
    assert "f-valuation-2026-02" in ids(answer)


async def test_productivity_answers_a_group_or_candidates_never_an_error(
    knowledge: Knowledge,
) -> None:
    answer = await fact(knowledge, "productivity")
    assert answer.kind in ("facts", "candidates")
    assert answer.items
    assert all(i["type"] == "fact" for i in answer.items)


async def test_nonsense_is_an_error_with_suggestions(knowledge: Knowledge) -> None:
    answer = await fact(knowledge, "zzqx")
    assert answer.kind == "error"
    assert answer.items == []
    assert "No key number matches zzqx" in answer.text()
    suggestions = answer.extra["suggestions"]
    assert suggestions and all(s["id"] in knowledge.facts.by_id for s in suggestions)
    assert "f-" in render(answer)


async def test_nonsense_in_chinese_is_an_error_in_chinese(knowledge: Knowledge) -> None:
    answer = await fact(knowledge, "zzqx", "zh")
    assert answer.kind == "error"
    assert "没有与 zzqx 匹配的关键数据" in answer.text()


async def test_exact_fact_id_answers_that_fact(knowledge: Knowledge) -> None:
    for fact_id in ("f-revenue-2024", "f-valuation-2026-02", "F-Revenue-2023"):
        answer = await fact(knowledge, fact_id)
        assert answer.kind == "fact"
        assert ids(answer) == [fact_id.lower()]


async def test_every_fact_id_resolves_to_itself(knowledge: Knowledge) -> None:
    for fact_id in knowledge.facts.by_id:
        assert ids(await fact(knowledge, fact_id)) == [fact_id]


async def test_missing_query_is_an_error(knowledge: Knowledge) -> None:
    answer = await dispatch(knowledge, "fact", {"query": "  "})
    assert answer.kind == "error"
    assert "needs “query”" in answer.text()


# -- evidence and standing ------------------------------------------------------------------


async def test_evidence_is_in_the_readers_language_when_the_source_has_it(shipped: Kit) -> None:
    store, knowledge = shipped
    for f in knowledge.facts.facts:
        en = knowledge.fact_item(f, Lang.EN)
        zh = knowledge.fact_item(f, Lang.ZH_HANS)
        tw = knowledge.fact_item(f, Lang.ZH_HANT)
        assert en["text"] == (f.evidence.en or f.evidence.zh), f.id
        if f.evidence.zh:
            assert (zh["text"], zh["evidence_language"]) == (f.evidence.zh, "zh"), f.id
            assert tw["text"] == to_traditional(f.evidence.zh), f.id
            assert tw["converted"] is True
        else:
            assert zh["text"] == f.evidence.en, f.id
        if f.passage:
            passage = await store.content.passage(f.passage)
            assert passage is not None, f.id
            if passage.text.en:
                assert en["text"] == f.evidence.en != "", f"{f.id}: passage {passage.id} has English"


async def test_evidence_language_names_the_language_of_the_text_shown(
    knowledge: Knowledge,
) -> None:
    for f in knowledge.facts.facts:
        for lang in Lang:
            item = knowledge.fact_item(f, lang)
            shown_zh = item["text"] in (f.evidence.zh, to_traditional(f.evidence.zh))
            assert item["evidence_language"] == ("zh" if shown_zh else "en"), (f.id, lang)


async def test_editors_figures_are_never_labelled_as_said_by_a_speaker(
    knowledge: Knowledge,
) -> None:
    editors = [f for f in knowledge.facts.facts if f.by == EDITOR]
    assert editors
    for f in editors:
        for lang in Lang:
            item = knowledge.fact_item(f, lang)
            assert "Dario" not in item["standing_text"], f.id
            assert "达里奥" not in item["standing_text"] and "達里奧" not in item["standing_text"]
            assert "stated" not in item["standing_text"], f.id
        assert knowledge.fact_item(f, Lang.EN)["standing_text"].startswith(
            ("editor's figure", "paraphrase of the editor")
        )


async def test_standing_text_says_stated_only_for_stated_figures(knowledge: Knowledge) -> None:
    for f in knowledge.facts.facts:
        item = knowledge.fact_item(f, Lang.EN)
        assert ("stated by" in item["standing_text"]) == (f.standing == "stated"), f.id
        if f.standing == "stated":
            assert item["standing_text"] == f"stated by {knowledge.person_name(f.by, Lang.EN)}"


async def test_editors_figure_card_names_whom_it_cites(knowledge: Knowledge) -> None:
    answer = await fact(knowledge, "f-revenue-2025-arr-bloomberg")
    item = answer.items[0]
    assert item["standing_text"] == "editor's figure (citing Bloomberg)"
    assert item["speaker"] == "the editor"
    assert "editor's figure (citing Bloomberg)" in render(answer)


async def test_hypothetical_figures_are_marked_as_examples(knowledge: Knowledge) -> None:
    answer = await fact(knowledge, "f-revenue-hypothetical-end-2027")
    assert answer.items[0]["standing_text"] == "stylized example by Dario Amodei"


# -- every displayed field in the reader's language -----------------------------------------

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Names and terms a Chinese text keeps in Latin letters (products, companies, people, acronyms).
KEPT_IN_LATIN = frozenset(
    "Anthropic Claude Code OpenAI Dario Dwarkesh METR API ARR DVQ OSWorld computer use GPT Turbo LLM "
    "SWE TAM Sacra Sam Altman Oracle Nvidia AMD GPU SB Machines of Loving Grace scaling token RL "
    "AI AGI AIME RLHF Pfizer Stargate Mac MGX Rich Sutton Alec Radford".split()
)


@pytest.mark.parametrize("lang", [Lang.ZH_HANS, Lang.ZH_HANT])
async def test_chinese_readers_see_every_fact_field_in_chinese(knowledge: Knowledge, lang: Lang) -> None:
    for f in knowledge.facts.facts:
        item = knowledge.fact_item(f, lang)
        for key in ("label", "value", "period", "cites", "standing_text"):
            words = set(LATIN_WORD.findall(item[key] or ""))
            assert words <= KEPT_IN_LATIN, (f.id, key, item[key])
        if f.period:
            assert item["period"] == knowledge.shown(f.period, lang) != f.period.en, f.id


async def test_a_group_is_titled_by_its_name_in_the_data(knowledge: Knowledge) -> None:
    english = await fact(knowledge, "openai")
    assert english.kind == "facts"
    assert english.text().startswith("OpenAI: ")
    chinese = await fact(knowledge, "revenue", "zh-Hans")
    assert chinese.text().startswith("Anthropic 收入：")
    traditional = await fact(knowledge, "training-cost", "zh-Hant")
    assert traditional.text().startswith("訓練成本：")


async def test_a_traditional_reader_gets_periods_converted_at_import(knowledge: Knowledge) -> None:
    item = knowledge.fact_item(knowledge.facts.by_id["f-timeline-robotics"], Lang.ZH_HANT)
    assert item["period"] == "天才國度出現之後"
    cited = knowledge.fact_item(knowledge.facts.by_id["f-openai-loss-2026"], Lang.ZH_HANT)
    assert cited["cites"] == "公開財務文件" and "公開財務文件" in cited["standing_text"]


async def test_a_hypothetical_figure_says_hypothetical_once(knowledge: Knowledge) -> None:
    for f in knowledge.facts.facts:
        item = knowledge.fact_item(f, Lang.EN)
        shown = " ".join(str(item[k] or "") for k in ("label", "value", "period", "standing_text"))
        assert shown.lower().count("hypothetical") + shown.count("example") <= 1, (f.id, shown)
