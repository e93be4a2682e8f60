"""The reader's language: who decides it, and how Traditional Chinese is produced."""

from __future__ import annotations

import pytest

from bot.commands import dispatch
from bot.i18n import t
from bot.knowledge import Knowledge, QuoteQuery
from bot.lang import Lang, UnknownLanguage, decide, from_locale, parse_lang, ui_for, zh_for
from bot.render_text import render
from bot.store import Store
from bot.text import to_traditional, to_traditional_phrases

Kit = tuple[Store, Knowledge]

# A shipped quote whose 数据 is 數據 character by character but 資料 phrase by phrase.
QUOTE_ID = "q-seven-things-that-matter"


# -- who decides -------------------------------------------------------------------------


def test_explicit_choice_wins_over_everything() -> None:
    assert decide("en", "zh-Hant", "zh-CN", "zh-TW") is Lang.EN
    assert decide("zh-TW", "en", "en-US", "en-US") is Lang.ZH_HANT
    assert decide(Lang.ZH_HANS, "en", "en-US", "en-US") is Lang.ZH_HANS


def test_server_setting_wins_over_locales() -> None:
    assert decide(None, "zh-Hans", "en-US", "en-GB") is Lang.ZH_HANS
    assert decide(None, "en", "zh-TW", "zh-CN") is Lang.EN


def test_automatic_server_setting_defers_to_the_reader() -> None:
    assert decide(None, "auto", "zh-TW", "en-US") is Lang.ZH_HANT
    assert decide(None, None, "zh-CN", "en-US") is Lang.ZH_HANS


def test_user_locale_wins_over_server_locale() -> None:
    assert decide(None, None, "en-GB", "zh-CN") is Lang.EN
    assert decide(None, None, "zh-HK", "en-US") is Lang.ZH_HANT


def test_server_locale_when_the_reader_has_none() -> None:
    assert decide(None, None, None, "zh-CN") is Lang.ZH_HANS
    assert decide(None, "auto", "", "zh-TW") is Lang.ZH_HANT


def test_english_when_nothing_is_known() -> None:
    assert decide() is Lang.EN
    assert decide(None, "auto", None, None) is Lang.EN


@pytest.mark.parametrize(
    ("locale", "lang"),
    [
        ("zh-CN", Lang.ZH_HANS),
        ("zh-TW", Lang.ZH_HANT),
        ("zh-HK", Lang.ZH_HANT),
        ("en-GB", Lang.EN),
        ("en-US", Lang.EN),
        ("fr", Lang.EN),
        ("ja", Lang.EN),
    ],
)
def test_discord_locales_map_to_our_languages(locale: str, lang: Lang) -> None:
    assert from_locale(locale) is lang
    assert decide(user_locale=locale) is lang


@pytest.mark.parametrize(
    ("typed", "lang"),
    [
        ("zh", Lang.ZH_HANS),
        ("zh-CN", Lang.ZH_HANS),
        ("zh_cn", Lang.ZH_HANS),
        ("zh-TW", Lang.ZH_HANT),
        ("zh-HK", Lang.ZH_HANT),
        ("zh-Hant", Lang.ZH_HANT),
        ("繁體", Lang.ZH_HANT),
        ("en-GB", Lang.EN),
        (" English ", Lang.EN),
    ],
)
def test_typed_language_names(typed: str, lang: Lang) -> None:
    assert parse_lang(typed) is lang


@pytest.mark.parametrize("typed", ["xx", "fr", "klingon", "zh-XX-YY"])
def test_unknown_explicit_language_raises(typed: str) -> None:
    with pytest.raises(UnknownLanguage) as caught:
        decide(typed)
    assert caught.value.value == typed
    assert "zh-Hant" in str(caught.value)


async def test_unknown_language_option_answers_an_error(mini: Kit) -> None:
    _, knowledge = mini
    answer = await dispatch(knowledge, "fact", {"query": "revenue", "lang": "xx"})
    assert answer.kind == "error"
    assert "Unknown language xx" in answer.text()


async def test_reply_follows_the_reader_locale_unless_lang_is_given(mini: Kit) -> None:
    _, knowledge = mini
    answer = await dispatch(knowledge, "fact", {"query": "growth"}, user_locale="zh-CN")
    assert answer.lang is Lang.ZH_HANS
    assert answer.items[0]["value"] == "每年 10 倍"
    answer = await dispatch(knowledge, "fact", {"query": "growth", "lang": "en"}, user_locale="zh-CN")
    assert answer.items[0]["value"] == "10x a year"
    answer = await dispatch(knowledge, "fact", {"query": "growth"}, user_locale="zh-CN", server_setting="en")
    assert answer.lang is Lang.EN


# -- Traditional Chinese ---------------------------------------------------------------------


def test_chosen_quote_differs_between_character_and_phrase_conversion() -> None:
    simplified = "第三是数据的质量和分布。"
    assert to_traditional(simplified) == "第三是數據的質量和分佈。"
    assert "資料" in to_traditional_phrases(simplified)


async def test_traditional_quote_converts_characters_and_keeps_words(shipped: Kit) -> None:
    store, knowledge = shipped
    quote = await store.content.quote(QUOTE_ID)
    assert quote is not None and "数据" in quote.text.zh
    assert to_traditional(quote.text.zh) != to_traditional_phrases(quote.text.zh)
    answer = await dispatch(knowledge, "quote", {"id": QUOTE_ID, "lang": "zh-TW"})
    item = answer.items[0]
    assert item["text"] == to_traditional(quote.text.zh)
    assert item["text"] != to_traditional_phrases(quote.text.zh)
    assert "數據" in item["text"] and "資料" not in item["text"]
    assert item["converted"] is True
    card = render(answer)
    assert t("converted", Lang.ZH_HANT) in card
    assert "繁體中文由簡體譯文轉換" in card


async def test_simplified_and_english_quotes_are_not_marked_converted(shipped: Kit) -> None:
    store, knowledge = shipped
    quote = await store.content.quote(QUOTE_ID)
    assert quote is not None
    for lang, text in (("zh", quote.text.zh), ("en", quote.text.en)):
        answer = await dispatch(knowledge, "quote", {"id": QUOTE_ID, "lang": lang})
        assert answer.items[0]["text"] == text
        assert answer.items[0]["converted"] is False
        assert t("converted", Lang.EN) not in render(answer)


async def test_traditional_speaker_and_topic_names_are_converted_by_character(
    shipped: Kit,
) -> None:
    _, knowledge = shipped
    answer = await dispatch(knowledge, "quote", {"id": QUOTE_ID, "lang": "zh-Hant"})
    item = answer.items[0]
    assert item["speaker"] == to_traditional("达里奥·阿莫迪")
    assert {tp["name"] for tp in item["topics"]} >= {to_traditional("算力与数据中心")}


def test_interface_strings_use_phrase_conversion() -> None:
    # 数据 in the interface becomes the Taiwanese word 資料, not the character-level 數據.
    assert t("fact_id", Lang.ZH_HANT, id="f-x") == "資料 f-x"
    assert t("fact_id", Lang.ZH_HANS, id="f-x") == "数据 f-x"
    assert t("standing.editor", Lang.ZH_HANT) == to_traditional_phrases("编者提供的数据")
    assert ui_for(Lang.ZH_HANT, "数据") == "資料"
    assert zh_for(Lang.ZH_HANT, "数据") == "數據"


def test_conversion_functions_leave_other_languages_alone() -> None:
    assert ui_for(Lang.ZH_HANS, "数据") == "数据"
    assert zh_for(Lang.EN, "数据") == "数据"
    assert zh_for(Lang.ZH_HANT, "Claude Code 10x") == "Claude Code 10x"


async def test_traditional_fact_card_uses_both_conversions(shipped: Kit) -> None:
    _, knowledge = shipped
    answer = await dispatch(knowledge, "fact", {"query": "f-valuation-2026-02", "lang": "zh-TW"})
    card = render(answer)
    assert "資料 f-valuation-2026-02" in card  # interface: phrase conversion
    assert "3800 億美元" in card  # the value: character conversion
    assert "亿" not in card


def test_traditional_interface_strings_are_opencc_s2twp_of_the_simplified() -> None:
    from bot.i18n import STRINGS
    from bot.i18n_hant import STRINGS_ZH_HANT
    from bot.text import to_traditional_phrases

    expected = {key: to_traditional_phrases(zh) for key, (_, zh) in STRINGS.items()}
    stale = {key: value for key, value in expected.items() if STRINGS_ZH_HANT.get(key) != value}
    assert not stale, "update bot/i18n_hant.py:\n" + "".join(f"    {k!r}: {v!r},\n" for k, v in stale.items())
    assert set(STRINGS_ZH_HANT) == set(STRINGS)


async def test_a_traditional_reader_is_answered_from_the_import_table(shipped: Kit) -> None:
    _, knowledge = shipped
    quote = next(iter(await knowledge.store.content.all_quotes()))
    assert knowledge.traditional[quote.text.zh] == to_traditional(quote.text.zh)
    answer = await knowledge.quote(QuoteQuery(quote_id=quote.id), Lang.ZH_HANT)
    assert answer.items[0]["text"] == knowledge.traditional[quote.text.zh]
