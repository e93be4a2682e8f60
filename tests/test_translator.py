"""Command metadata is localized for both Chinese locales, and the Traditional table is OpenCC's."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.discordbot.translator import METADATA_ZH, METADATA_ZH_TW, ExponentTranslator
from bot.lang import Lang, ui_for

RELEASE = "發布 is posting; s2twp's 釋出 is a software release"
MEASURE = "a quote is counted with 則 in Taiwan"
TOPIC = "a topic category is 主題 in Taiwan; 話題 is a subject of chat"
KEYWORD = "Taiwan says 關鍵字 and 依 (by)"
FIGURE = "a key number is 數據 in Taiwan; 資料 reads as files or records"
# Why the reviewed zh-TW command metadata departs from OpenCC s2twp, entry by entry.
TAIWAN_DIFFERENCES: dict[str, str] = {
    "fact": f"{FIGURE}; /資料 would name the command 'files'",
    "topics": TOPIC,
    "topic": TOPIC,
    "value": "設定值 is a setting's value; 取值 is mathematical",
    "A sourced quote: random, about a keyword, or from a topic": f"{MEASURE}; {KEYWORD}; {TOPIC}",
    "Words or a keyword to look for (English or Chinese)": f"{KEYWORD}; 皆可 reads more naturally",
    "Only quotes from this topic": TOPIC,
    "A key number with the sentence it comes from": FIGURE,
    "What number? e.g. revenue, valuation, 估值": FIGURE,
    "The topics and how many quotes each has": TOPIC,
    "What this bot is, its sources and counts": "資料量 would read as data volume; the counts are of quotes and figures",
    "automatic (each reader's language)": "依 is how Taiwan says 'following'",
    "Daily quote in a channel": f"{RELEASE}; {MEASURE}",
    "Post a quote every day in a channel at a local time": f"{RELEASE}; {MEASURE}",
    "The channel to post in": RELEASE,
    "Time zone, e.g. Asia/Shanghai, 上海 or UTC+8": "the examples are the zone and city a Taiwan reader uses",
    "Language of the posts": RELEASE,
    "Only quotes from this topic (optional)": f"{TOPIC}; 選填 is the Taiwan word for an optional field",
    "The daily schedule, next and last post": f"{RELEASE}; a schedule is 排程 in Taiwan",
    "Preview the next daily quote (only you see it)": f"{MEASURE}; 只有你看得到 is how Taiwan interfaces say it",
}


def test_traditional_metadata_differs_from_opencc_only_where_reviewed() -> None:
    assert set(METADATA_ZH_TW) == set(METADATA_ZH)
    converted = {key: ui_for(Lang.ZH_HANT, simplified) for key, simplified in METADATA_ZH.items()}
    differing = {key for key, value in converted.items() if METADATA_ZH_TW[key] != value}
    unexplained = sorted(differing - set(TAIWAN_DIFFERENCES))
    assert not unexplained, "explain in TAIWAN_DIFFERENCES: " + "; ".join(
        f"{k!r}: OpenCC {converted[k]!r}, table {METADATA_ZH_TW[k]!r}" for k in unexplained
    )
    assert not set(TAIWAN_DIFFERENCES) - differing, "an entry equals OpenCC's output now; drop its reason"


def test_option_names_in_messages_are_the_names_the_picker_shows() -> None:
    from bot.i18n import STRINGS
    from bot.i18n_hant import STRINGS_ZH_HANT

    for key, (english, simplified) in STRINGS.items():
        if key.startswith("option."):
            assert english == key.removeprefix("option.")
            assert METADATA_ZH[english] == simplified, key
            assert METADATA_ZH_TW[english] == STRINGS_ZH_HANT[key], key


def test_chinese_messages_name_commands_as_the_picker_shows_them() -> None:
    import re

    from bot.i18n import STRINGS
    from bot.i18n_hant import STRINGS_ZH_HANT

    for key, (_, simplified) in STRINGS.items():
        for table, text in ((METADATA_ZH, simplified), (METADATA_ZH_TW, STRINGS_ZH_HANT[key])):
            for command, sub in re.findall(r"(?:^|\s)/([^\s{/]+) ([^\s。，]+)", text):
                assert command in table.values() and sub in table.values(), (key, text)


async def test_translator_answers_zh_cn_and_zh_tw_and_nothing_else() -> None:
    translator = ExponentTranslator()
    string = app_commands.locale_str("quote")
    context = app_commands.TranslationContext(app_commands.TranslationContextLocation.command_name, None)
    assert await translator.translate(string, discord.Locale.chinese, context) == "语录"
    assert await translator.translate(string, discord.Locale.taiwan_chinese, context) == "語錄"
    assert await translator.translate(string, discord.Locale.japanese, context) is None
    unknown = app_commands.locale_str("not a known string")
    assert await translator.translate(unknown, discord.Locale.chinese, context) is None


def test_localized_command_names_are_valid_discord_names() -> None:
    import re

    pattern = re.compile(r"^[-_\w]{1,32}$")
    names = [k for k in METADATA_ZH if " " not in k and k.islower()]
    for name in names:
        assert pattern.match(METADATA_ZH[name]), name
        assert pattern.match(METADATA_ZH_TW[name]), name
