"""Command metadata is localized for both Chinese locales, and the Traditional table is OpenCC's."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.discordbot.translator import METADATA_ZH, METADATA_ZH_TW, ExponentTranslator
from bot.lang import Lang, ui_for


def test_traditional_metadata_is_opencc_s2twp_of_the_simplified() -> None:
    assert set(METADATA_ZH_TW) == set(METADATA_ZH)
    for key, simplified in METADATA_ZH.items():
        assert METADATA_ZH_TW[key] == ui_for(Lang.ZH_HANT, simplified), key


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
