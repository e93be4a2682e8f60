"""The reader's language: who decides it, and how Traditional Chinese is produced."""

from __future__ import annotations

import pytest

from bot.commands import dispatch
from bot.i18n import error_message, t
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
    for lang in Lang:
        assert "zh-Hant" in error_message(caught.value, lang)


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


def test_interface_strings_are_the_reviewed_taiwan_wording() -> None:
    # A key number is 數據 to a Taiwan reader; OpenCC's phrase table makes it 資料 ("files").
    assert t("fact_id", Lang.ZH_HANT, id="f-x") == "數據 f-x"
    assert t("fact_id", Lang.ZH_HANS, id="f-x") == "数据 f-x"
    assert t("daily.next", Lang.ZH_HANT) == "下次發布"  # posting, not a software release (釋出)
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
    assert "數據 f-valuation-2026-02" in card  # interface: the reviewed table
    assert "3800 億美元" in card  # the value: character conversion
    assert "亿" not in card


# Why the reviewed Traditional table (bot/i18n_hant.py) departs from OpenCC s2twp, key by key.
RELEASE = "發布 is posting a message; s2twp's 釋出 is a software release"
FIGURE = "a key number is 數據 in Taiwan; s2twp's 資料 reads as files or records"
MATCH = "符合/相符 is how Taiwan interfaces say matched; 匹配 is mainland usage"
KEYWORD = "Taiwan says 關鍵字, not 關鍵詞"
TOPIC = "a topic category is 主題 in Taiwan; 話題 is a subject of chat"
MEASURE = "a quote or post is counted with 則 in Taiwan, not 條"
QUOTES = "Traditional text quotes with 「」, not “”"
PERMISSION = "Discord's zh-TW says 權限; s2twp's 許可權 is a file-system word"
CONTEXT = "the surrounding conversation is 前後文 in Taiwan; 上下文 reads as programming jargon"
CHANGE = "Taiwan says 變更 for a change made to settings"
TRANSCRIPT = "a transcript is 逐字稿 in Taiwan; 文字稿 is a script"
ONLY_YOU = "只有你看得到 is what Taiwan interfaces say; 僅你可見 is a mainland calque"
NATURAL = "reworded by a Taiwan reader: the converted sentence was understandable but stiff"
TAIWAN_DIFFERENCES: dict[str, str] = {
    "fact_id": FIGURE,
    "translation": TRANSCRIPT,
    "standing.editor": FIGURE,
    "matched": MATCH,
    "corrected": "已改以…搜尋 says the search was redone with the corrected words; 已按 is mainland usage",
    "matched_any": f"{MATCH}; {KEYWORD}",
    "excerpt": MATCH,
    "candidates": f"{FIGURE}; {MATCH}",
    "topics_title": TOPIC,
    "topics_line": MEASURE,
    "topics_all": TOPIC,
    "about_body": f"{FIGURE}; {MEASURE}; {TRANSCRIPT}; 說話者 is the Taiwan word for speaker",
    "about_counts": f"{MEASURE}; {FIGURE}",
    "context_title": CONTEXT,
    "ellipsis_note": f"{CONTEXT}; {QUOTES}",
    "another": MEASURE,
    "context": CONTEXT,
    "your_copy": ONLY_YOU,
    "error.generic": NATURAL,
    "error.permission": f"{PERMISSION}; {QUOTES}",
    "error.bot_permission": f"{RELEASE}; {PERMISSION}; {QUOTES}; {CHANGE}",
    "error.not_text_channel": CHANGE,
    "error.bad_lang": NATURAL,
    "error.guild_only": "a slash command is a 指令 in Discord's zh-TW; 命令 is an order",
    "error.too_long": QUOTES,
    "error.invalid_text": QUOTES,
    "error.missing_option": QUOTES,
    "error.bad_value": "值 is the plain word for a value",
    "error.no_quote": f"{MATCH}; {KEYWORD}; {TOPIC}",
    "error.no_fact": f"{MATCH}; {FIGURE}",
    "error.unknown_topic": f"{TOPIC}; {NATURAL}",
    "error.empty_topic": TOPIC,
    "error.bad_time.hour": "介於 is how Taiwan states a range",
    "error.bad_time.minute": "介於 is how Taiwan states a range",
    "error.unknown_zone": "時差 is the Taiwan word for a UTC offset; the example city is one a Taiwan reader uses",
    "error.unknown_zone_hint": NATURAL,
    "option.topic": TOPIC,
    "option.value": "設定值 is the setting's value; 取值 is mathematical",
    "kind.transcript": TRANSCRIPT,
    "lang.auto": NATURAL,
    "daily.none": "來設定 avoids OpenCC's doubled 設定 設定 after the command name",
    "daily.when": RELEASE,
    "daily.no_dst": "夏令時間 and 時差 are the Taiwan words for daylight saving time and offset",
    "daily.next": RELEASE,
    "daily.retrying": RELEASE,
    "daily.last": RELEASE,
    "daily.status.sent": RELEASE,
    "daily.progress": "輪替 is the Taiwan word for a rotation",
    "daily.progress_line": f"{RELEASE}; {MEASURE}",
    "daily.filters": TOPIC,
    "daily.any_topic": TOPIC,
    "daily.paused_line": "修正 is fixing a setting; 修復 is repairing a thing",
    "daily.reason.forbidden": RELEASE,
    "daily.reason.history": RELEASE,
    "daily.reason.bad_zone": "辨識 is the Taiwan word for recognise",
    "daily.reason.no_quotes": RELEASE,
    "daily.reason.transient": f"{RELEASE}; {MEASURE}; 接受 is accepting a request",
    "daily.preview_note": f"{MEASURE}; {ONLY_YOU}",
    "daily.no_quotes": f"{RELEASE}; a schedule is 排程 in Taiwan",
}


def test_traditional_interface_strings_differ_from_opencc_only_where_reviewed() -> None:
    from bot.i18n import STRINGS
    from bot.i18n_hant import STRINGS_ZH_HANT

    assert set(STRINGS_ZH_HANT) == set(STRINGS)
    converted = {key: to_traditional_phrases(zh) for key, (_, zh) in STRINGS.items()}
    differing = {key for key, value in converted.items() if STRINGS_ZH_HANT[key] != value}
    unexplained = differing - set(TAIWAN_DIFFERENCES)
    assert not unexplained, "explain in TAIWAN_DIFFERENCES or take OpenCC's:\n" + "".join(
        f"    {k!r}: OpenCC {converted[k]!r}, table {STRINGS_ZH_HANT[k]!r}\n" for k in sorted(unexplained)
    )
    stale = set(TAIWAN_DIFFERENCES) - differing
    assert not stale, f"these now equal OpenCC's output; drop them from TAIWAN_DIFFERENCES: {sorted(stale)}"


def test_traditional_interface_never_says_release_or_files_for_posting_and_figures() -> None:
    from bot.i18n_hant import STRINGS_ZH_HANT

    for key, text in STRINGS_ZH_HANT.items():
        assert "釋出" not in text and "許可權" not in text and "“" not in text, key
        if key.startswith(("fact", "standing", "candidates", "error.no_fact", "about")):
            assert "資料" not in text, key


async def test_a_traditional_reader_is_answered_from_the_import_table(shipped: Kit) -> None:
    _, knowledge = shipped
    quote = next(iter(await knowledge.store.content.all_quotes()))
    assert knowledge.traditional[quote.text.zh] == to_traditional(quote.text.zh)
    answer = await knowledge.quote(QuoteQuery(quote_id=quote.id), Lang.ZH_HANT)
    assert answer.items[0]["text"] == knowledge.traditional[quote.text.zh]
