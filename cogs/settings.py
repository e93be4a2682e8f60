"""/settings language: the server's default language (Manage Server)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.answer import Answer
from bot.discordbot.replies import client_of, reader_lang, send
from bot.i18n import t
from bot.lang import AUTO, parse_lang

LANGUAGE_CHOICES = [
    app_commands.Choice(name=_("automatic (each reader's language)"), value=AUTO),
    app_commands.Choice(name=_("English"), value="en"),
    app_commands.Choice(name=_("Simplified Chinese"), value="zh-Hans"),
    app_commands.Choice(name=_("Traditional Chinese"), value="zh-Hant"),
]


@app_commands.guild_only()
@app_commands.allowed_installs(guilds=True, users=False)
@app_commands.default_permissions(manage_guild=True)
class Settings(commands.GroupCog, group_name=_("settings"), group_description=_("Server settings")):
    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        # Before the permission check: in a DM "only in a server" is the answer, not
        # "you need Manage Server" (has_permissions runs first otherwise).
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage()
        return True

    @app_commands.command(name=_("language"), description=_("The server's default language for answers"))
    @app_commands.describe(value=_("Answer in this language"))
    @app_commands.rename(value=_("value"))
    @app_commands.choices(value=LANGUAGE_CHOICES)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def language(self, interaction: discord.Interaction, value: str) -> None:
        assert interaction.guild_id is not None  # guild_only
        if value != AUTO:
            parse_lang(value)  # a value outside the choices is refused before anything changes
        # The answer is for the admin who asked: their language as it was, not the server's new one.
        lang = await reader_lang(interaction)
        await client_of(interaction).store.guilds.set_language(interaction.guild_id, value)
        message = t("settings.language", lang, lang=t(f"lang.{value}", lang))
        await send(interaction, Answer("settings", lang, "settings", [], message, private=True))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Settings())
