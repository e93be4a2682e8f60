"""Keyword search for /quote about:, on the test pack and on the shipped knowledge base.

What a reader sees: which quotes come back (and in what order), and the
``match`` note that says which words matched and which typos were corrected.
"""

from __future__ import annotations

import pytest

from bot.answer import Answer
from bot.commands import dispatch, parse_command_line
from bot.knowledge import Knowledge, QuoteQuery
from bot.lang import Lang
from bot.render_text import render
from bot.store import Store
from bot.text import stem

Kit = tuple[Store, Knowledge]


async def ask(knowledge: Knowledge, line: str) -> Answer:
    parsed = parse_command_line(line)
    return await dispatch(knowledge, parsed.command, parsed.options)


async def hit_ids(knowledge: Knowledge, query: str, limit: int = 300) -> list[str]:
    return [m.id for m in await knowledge.searcher.search(query, limit=limit)]


def shown(answer: Answer) -> list[dict]:
    """The quote on the card followed by the "more" quotes offered with it."""
    return [*answer.items, *answer.extra.get("more", [])]


# -- two-character Chinese words: exact, never "nothing" nor "everything" ----------------


async def test_two_character_word_finds_the_one_quote_holding_it(mini: Kit) -> None:
    _, knowledge = mini
    assert await hit_ids(knowledge, "估值") == ["q-scaling-holds"]


async def test_two_character_word_ranks_quotes_saying_it_before_topic_matches(mini: Kit) -> None:
    store, knowledge = mini
    ids = await hit_ids(knowledge, "收入")
    quotes = await store.content.quotes_by_ids(ids)
    saying = [q.id for q in quotes if "收入" in q.text.zh]
    assert set(saying) == {"q-revenue-10x", "q-how-is-revenue"}
    # Quotes that say 收入 come first; any other hit is one tagged with the topic 收入与增长.
    assert ids[: len(saying)] == saying
    for quote in quotes[len(saying) :]:
        assert "revenue" in quote.topics


async def test_shipped_two_character_word_finds_exactly_the_quotes_saying_it(shipped: Kit) -> None:
    store, knowledge = shipped
    everything = await store.content.all_quotes()
    saying = {q.id for q in everything if "收入" in q.text.zh}
    assert len(saying) >= 5
    ids = await hit_ids(knowledge, "收入")
    assert len(ids) < len(everything) / 4, "a two-character word must not match everything"
    assert set(ids[: len(saying)]) == saying, "every quote saying 收入 comes before any other"
    # The rest say it under another of its names (the glossary's revenue, sales, 营收…) or are
    # tagged with the revenue topic.
    others = await knowledge.searcher.search("收入", limit=50)
    for match in others[len(saying) :]:
        assert match.quote is not None
        assert match.terms == ("收入",) or "revenue" in match.quote.topics, match.id


async def test_shipped_card_for_two_character_word_shows_only_quotes_saying_it(
    shipped: Kit,
) -> None:
    _, knowledge = shipped
    answer = await ask(knowledge, "/quote about:收入 lang:zh")
    assert answer.kind == "quote"
    for item in shown(answer):
        assert "收入" in item["text"], item["id"]


async def test_two_character_word_absent_everywhere_answers_no_quote(shipped: Kit) -> None:
    """估值 is in no shipped quote or passage: "no match", not a random or every quote."""
    _, knowledge = shipped
    assert await hit_ids(knowledge, "估值") == []
    answer = await ask(knowledge, "/quote about:估值")
    assert answer.kind == "error"
    assert "估值" in answer.text()
    assert answer.extra["suggestions"], "the reader is offered topics instead"


async def test_single_chinese_character_matches_by_character(mini: Kit) -> None:
    _, knowledge = mini
    assert set(await hit_ids(knowledge, "增")) == {"q-revenue-10x", "q-how-is-revenue"}


async def test_chinese_phrase_is_searched_as_its_words_the_exact_phrase_first(mini: Kit) -> None:
    # 收入增长 is the words 收入 and 增长; the quote saying 收入增长 itself comes first.
    _, knowledge = mini
    ids = await hit_ids(knowledge, "收入增长")
    assert ids[0] == "q-how-is-revenue"


# -- mixed, Traditional and full-width input -------------------------------------------


async def test_mixed_query_with_both_words_in_one_quote_matches_all(mini: Kit) -> None:
    _, knowledge = mini
    matches = await knowledge.searcher.search("scaling 规模")
    assert [m.id for m in matches] == ["q-scaling-holds"]
    assert matches[0].mode == "all"
    assert matches[0].terms == ("scaling", "规模")


async def test_mixed_query_matching_no_single_quote_falls_back_to_any_word(mini: Kit) -> None:
    _, knowledge = mini
    answer = await ask(knowledge, "/quote about:anthropic 估值")
    assert [i["id"] for i in answer.items] == ["q-scaling-holds"]
    assert answer.items[0]["match"]["mode"] == "any"
    assert "matched some of the words" in render(answer)


async def test_shipped_mixed_queries_answer_with_quotes(shipped: Kit) -> None:
    _, knowledge = shipped
    for line, word in (("/quote about:anthropic 估值", "anthropic"), ("/quote about:scaling 规模", "")):
        answer = await ask(knowledge, line)
        assert answer.kind == "quote", line
        item = answer.items[0]
        # The card lists the words this quote holds: some of what was asked, never more.
        assert set(item["match"]["terms"]) <= set(line.removeprefix("/quote about:").split())
        assert item["match"]["terms"]
        if word:
            assert word in item["original"].lower()


async def test_traditional_input_finds_simplified_text(mini: Kit) -> None:
    _, knowledge = mini
    matches = await knowledge.searcher.search("規模")
    assert [m.id for m in matches] == ["q-scaling-holds"]
    assert matches[0].terms == ("规模",)


async def test_shipped_traditional_input_finds_the_same_quotes_as_simplified(
    shipped: Kit,
) -> None:
    _, knowledge = shipped
    assert await hit_ids(knowledge, "規模") == await hit_ids(knowledge, "规模")
    assert await hit_ids(knowledge, "收入") == await hit_ids(knowledge, "收入")
    traditional = await ask(knowledge, "/quote about:規模 lang:zh")
    assert traditional.kind == "quote"
    assert "规模" in traditional.items[0]["text"]


async def test_traditional_revenue_word_names_the_revenue_facts(shipped: Kit) -> None:
    # No quote says 营收; the Traditional 營收 still reaches the figures aliased 营收.
    _, knowledge = shipped
    answer = await ask(knowledge, "/fact 營收")
    assert answer.kind == "facts"
    assert {i["group"] for i in answer.items} == {"revenue"}


async def test_full_width_input_is_read_as_half_width(mini: Kit) -> None:
    _, knowledge = mini
    assert await hit_ids(knowledge, "ＳＣＡＬＩＮＧ") == await hit_ids(knowledge, "scaling")
    assert await hit_ids(knowledge, "ｓｃａｌｉｎｇ　规模") == ["q-scaling-holds"]


async def test_shipped_full_width_query(shipped: Kit) -> None:
    _, knowledge = shipped
    answer = await ask(knowledge, "/quote about:ｅｘｐｏｎｅｎｔｉａｌ")
    assert answer.kind == "quote"
    assert "exponential" in answer.items[0]["original"].lower()
    assert answer.items[0]["match"]["terms"] == ["exponential"]


# -- typos ------------------------------------------------------------------------------


@pytest.mark.parametrize(("typo", "word"), [("scalng", "scaling"), ("exponentail", "exponential")])
async def test_typo_is_corrected_and_the_card_says_so(shipped: Kit, typo: str, word: str) -> None:
    _, knowledge = shipped
    answer = await ask(knowledge, f"/quote about:{typo}")
    assert answer.kind == "quote"
    item = answer.items[0]
    assert stem(word) in item["original"].lower()
    assert item["match"]["corrected"] == {typo: word}
    assert item["match"]["terms"] == [word]
    assert f"searched for {typo} → {word}" in render(answer)


async def test_typo_on_minipack_is_corrected(mini: Kit) -> None:
    _, knowledge = mini
    matches = await knowledge.searcher.search("valuaton")
    assert [m.id for m in matches] == ["q-scaling-holds"]
    assert dict(matches[0].corrected) == {"valuaton": "valuation"}


async def test_correctly_spelt_words_report_no_correction(mini: Kit) -> None:
    _, knowledge = mini
    answer = await ask(knowledge, "/quote about:valuation")
    assert answer.items[0]["match"]["corrected"] == {}
    assert "searched for" not in render(answer)


# -- FTS5 syntax in user input ----------------------------------------------------------

HOSTILE = [
    '"',
    '""',
    "NEAR(",
    "NEAR(scaling",
    "*",
    "scal*",
    "AND OR",
    "col:val",
    "scaling)",
    "(",
    "^scaling",
    "-revenue",
    "'",
    "idx_words:revenue",
    "{idx_chars}:收",
    "NOT",
    "+",
]


@pytest.mark.parametrize("text", HOSTILE)
async def test_fts_syntax_in_user_input_never_raises(mini: Kit, text: str) -> None:
    _, knowledge = mini
    await knowledge.searcher.search(text)
    await knowledge.searcher.search(text, kind="passage")
    answer = await dispatch(knowledge, "quote", {"about": text})
    assert answer.kind in ("quote", "error")
    if answer.kind == "error":
        assert answer.text().strip()


@pytest.mark.parametrize("text", HOSTILE)
async def test_fts_syntax_on_shipped_data_never_raises(shipped: Kit, text: str) -> None:
    _, knowledge = shipped
    answer = await dispatch(knowledge, "quote", {"about": text})
    assert answer.kind in ("quote", "error")


async def test_operator_words_are_searched_as_words(mini: Kit) -> None:
    # "near" and "not" are plain words to us, never FTS5 operators.
    _, knowledge = mini
    matches = await knowledge.searcher.search("NEAR(revenue")
    assert all(set(m.terms) <= {"near", "revenue"} for m in matches)


async def test_column_filter_typed_by_a_user_is_just_words(mini: Kit) -> None:
    _, knowledge = mini
    # idx_words:revenue must not act as a column filter; "idx" and "words" are searched too.
    matches = await knowledge.searcher.search("idx_words:revenue")
    assert matches and "revenue" in matches[0].terms
    assert all(set(m.terms) <= {"idx", "words", "revenue"} for m in matches)


# -- stopwords ----------------------------------------------------------------------------


async def test_english_stopword_only_query_finds_no_keyword_match(mini: Kit) -> None:
    _, knowledge = mini
    for text in ("the", "the of and", "what is it", "AND OR"):
        assert await knowledge.searcher.search(text) == [], text


async def test_chinese_stopword_only_query_finds_no_keyword_match(mini: Kit) -> None:
    _, knowledge = mini
    for text in ("的", "是 吗"):
        assert await knowledge.searcher.search(text) == [], text


@pytest.mark.parametrize("text", ["the of and", "AND OR"])
async def test_stopword_only_query_answers_no_match_with_topics(shipped: Kit, text: str) -> None:
    _, knowledge = shipped
    answer = await dispatch(knowledge, "quote", {"about": text})
    assert answer.kind == "error"
    assert answer.extra["suggestions"]


async def test_stopwords_do_not_dilute_a_real_word(mini: Kit) -> None:
    _, knowledge = mini
    matches = await knowledge.searcher.search("what is the valuation")
    assert [m.id for m in matches] == ["q-scaling-holds"]
    assert matches[0].terms == ("valuation",)
    assert matches[0].mode == "all"


# -- ranking and the match note -------------------------------------------------------------


async def test_quote_with_all_terms_ranks_before_quotes_with_some(mini: Kit) -> None:
    # q-how-is-revenue has both words; q-revenue-10x and q-scaling-holds only "revenue".
    _, knowledge = mini
    matches = await knowledge.searcher.search("revenue growing")
    assert matches[0].id == "q-how-is-revenue"
    assert matches[0].mode == "all"


async def test_shipped_quote_with_all_terms_ranks_first(shipped: Kit) -> None:
    store, knowledge = shipped
    answer = await ask(knowledge, "/quote about:revenue 10x")
    first = answer.items[0]
    assert first["match"]["mode"] == "all"
    assert "revenue" in first["original"].lower() and "10x" in first["original"].lower()
    quotes = await store.content.all_quotes()
    assert any("revenue" in q.text.en.lower() and "10x" not in q.text.en for q in quotes)


async def test_match_info_in_json_names_the_matched_terms(mini: Kit) -> None:
    _, knowledge = mini
    answer = await ask(knowledge, "/quote about:Scaling 規模")
    match = answer.to_json()["items"][0]["match"]
    assert match["terms"] == ["scaling", "规模"]
    assert match["mode"] == "all"
    assert match["corrected"] == {}
    assert isinstance(match["rank"], float)
    assert "matched: scaling, 规模" in render(answer)


async def test_search_within_a_topic_keeps_to_it(mini: Kit) -> None:
    _, knowledge = mini
    answer = await ask(knowledge, "/quote about:revenue topic:scaling")
    assert [i["id"] for i in answer.items] == ["q-scaling-holds"]


async def test_word_in_no_quote_but_in_a_passage_shows_the_passage(mini: Kit) -> None:
    # "billion" is said in passage p002 but no curated quote holds it.
    _, knowledge = mini
    answer = await ask(knowledge, "/quote about:billion")
    assert answer.kind == "quote"
    assert answer.items[0]["type"] == "passage"
    assert answer.items[0]["id"] == "p002"
    assert "No curated quote matched" in answer.text()


@pytest.mark.parametrize("about", ["export controls", "出口管制"])
async def test_the_guests_own_words_come_before_a_question_naming_the_keyword(
    shipped: Kit, about: str
) -> None:
    _, knowledge = shipped
    answer = await knowledge.quote(QuoteQuery(about=about), Lang.EN)
    assert answer.items[0]["speaker_id"] == "dario-amodei"
    shown = [answer.items[0], *answer.extra["more"]]
    assert any(item["speaker_id"] == "dwarkesh-patel" for item in shown), "the question still matches"
