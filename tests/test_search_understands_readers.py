"""The examples of issue 7, on the shipped data: search finds what a reader means, in both languages."""

from __future__ import annotations

import pytest

from bot.answer import Answer
from bot.commands import dispatch, parse_command_line
from bot.knowledge import Knowledge
from bot.render_text import render
from bot.store import Store
from bot.text import normalise, squash

Kit = tuple[Store, Knowledge]


async def ask(knowledge: Knowledge, line: str) -> Answer:
    parsed = parse_command_line(line)
    return await dispatch(knowledge, parsed.command, parsed.options)


def holds(item: dict, *words: str) -> bool:
    """Whether a quote or passage item says any of ``words`` in English or Chinese."""
    text = normalise(f"{item['original']} {item['text']}")
    return any(normalise(w) in text for w in words)


@pytest.mark.parametrize(
    ("question", "concept"),
    [
        ("模型会取代程序员吗", ("software engineer", "程序员", "软件工程师")),
        ("持续学习什么时候解决", ("continual learning", "持续学习", "on-the-job")),
        ("扩展定律", ("scaling", "scale")),
        ("資料中心裡的天才之國", ("country of geniuses", "天才之国")),
        ("程式設計師會被取代嗎", ("software engineer", "程序员", "软件工程师")),
        ("人工智慧監管", ("regulat", "监管")),
    ],
)
async def test_chinese_questions_that_found_nothing_find_the_conversation_about_them(
    shipped: Kit, question: str, concept: tuple[str, ...]
) -> None:
    _, knowledge = shipped
    answer = await ask(knowledge, f"/quote about:{question}")
    assert answer.kind == "quote", answer.message
    assert holds(answer.items[0], *concept), answer.items[0]["original"]


def test_taiwan_and_hong_kong_wording_meets_the_mainland_text() -> None:
    assert normalise("程式設計師") == "程序员"
    assert normalise("資料中心") == "数据中心"
    assert normalise("軟體") == "软件"
    # A mainland reader's word is never rewritten as if it were Taiwan's (程序 is 进程 there).
    assert normalise("程序员") == "程序员"


@pytest.mark.parametrize(("typo", "word"), [("强化学系", "强化学习"), ("出口管治", "出口管制")])
async def test_a_homophone_typo_is_corrected_and_the_card_says_so(shipped: Kit, typo: str, word: str) -> None:
    _, knowledge = shipped
    answer = await ask(knowledge, f"/quote about:{typo}")
    item = answer.items[0]
    assert item["match"]["corrected"] == {typo: word}
    assert word in item["match"]["terms"]
    assert f"{typo} → {word}" in render(answer)


async def test_a_misspelt_word_beside_a_common_one_is_corrected(shipped: Kit) -> None:
    _, knowledge = shipped
    answer = await ask(knowledge, "/quote about:AI regulaton")
    item = answer.items[0]
    assert item["match"]["corrected"] == {"regulaton": "regulation"}
    assert "regulation" in item["match"]["terms"]


async def test_a_common_word_alone_does_not_decide_the_answer(shipped: Kit) -> None:
    _, knowledge = shipped
    answer = await ask(knowledge, "/quote about:AI 和民主")
    assert holds(answer.items[0], "democra", "民主")
    # The question word and the particle are no search terms.
    assert "和" not in answer.items[0]["match"]["terms"]


async def test_question_words_neither_match_nor_block(shipped: Kit) -> None:
    _, knowledge = shipped
    plain = await ask(knowledge, "/quote about:continual learning")
    asked = await ask(knowledge, "/quote about:when will continual learning be solved?")
    assert holds(asked.items[0], "continual learning")
    assert "when" not in asked.items[0]["match"]["terms"]
    assert plain.items[0]["match"]["terms"] == ["continual learning"]


async def test_the_footer_lists_only_words_the_quote_holds(shipped: Kit) -> None:
    _, knowledge = shipped
    answer = await ask(knowledge, "/quote about:**bold** __u__ compute")
    for item in (*answer.items, *answer.extra.get("more", [])):
        text = f" {normalise(item['original'])} {normalise(item['text'])} "
        for word in item["match"]["terms"]:
            assert word in text, (word, item["id"])
        assert "spoiler" not in item["match"]["terms"] and "code" not in item["match"]["terms"]


async def test_a_glossary_term_finds_the_same_moments_in_either_language(shipped: Kit) -> None:
    _, knowledge = shipped
    english = {m.id for m in await knowledge.searcher.search("sample efficiency", limit=20)}
    chinese = {m.id for m in await knowledge.searcher.search("样本效率", limit=20)}
    assert english and english == chinese


@pytest.mark.parametrize("word", ["thatt", "whatt", "thiss", "withh", "doess", "abouut", "xthe"])
async def test_a_typo_of_a_stop_word_answers_plainly(shipped: Kit, word: str) -> None:
    """Issue 9 #3: the correction may turn a word into a stop word; nothing is left to search."""
    _, knowledge = shipped
    answer = await ask(knowledge, f"/quote about:{word}")
    assert answer.kind in ("quote", "error")
    if answer.kind == "error":
        assert word in answer.text()


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        ("odds models stop getting better", "停滞的概率"),
        ("模型停止进步的可能性", "停滞的概率"),
        ("anthropic revenue 2024", "In 2024, it was $100 million to $1 billion."),
        ("developers slower with AI study", "19%"),
    ],
)
async def test_a_precise_fact_question_answers_that_fact_first(
    shipped: Kit, question: str, evidence: str
) -> None:
    _, knowledge = shipped
    answer = await ask(knowledge, f"/fact {question}")
    assert answer.kind in ("fact", "facts", "candidates")
    first = knowledge.fact_by_id(answer.items[0]["id"])
    assert first is not None
    assert squash(evidence) in squash(first.evidence.en + first.evidence.zh)


@pytest.mark.parametrize("question", ["how much compute goes to inference", "推理算力占比"])
async def test_an_inference_share_question_offers_the_inference_figures(shipped: Kit, question: str) -> None:
    _, knowledge = shipped
    answer = await ask(knowledge, f"/fact {question}")
    assert answer.kind in ("fact", "candidates")
    assert any("inference" in f"{i['label']} {i['text']}".lower() or "推理" in i["text"] for i in answer.items[:3])


@pytest.mark.parametrize("word", ["revenue", "收入", "營收"])
async def test_a_group_word_still_answers_the_whole_timeline(shipped: Kit, word: str) -> None:
    _, knowledge = shipped
    answer = await ask(knowledge, f"/fact {word}")
    assert answer.kind == "facts"
    assert {i["group"] for i in answer.items} == {"revenue"}
