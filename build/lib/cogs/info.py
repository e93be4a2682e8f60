"""/topics and /about."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discordbot.options import LANG_CHOICES, everywhere_contexts, everywhere_installs
from bot.discordbot.replies import answer_command, send


async def _answer(interaction: discord.Interaction, command: str, lang: str | None) -> None:
    answer = await answer_command(interaction, command, {"lang": lang})
    await send(interaction, answer)


class Info(commands.Cog):
    @app_commands.command(name=_("topics"), description=_("The topics and how many quotes each has"))
    @app_commands.describe(lang=_("Answer in this language"))
    @app_commands.rename(lang=_("lang"))
    @app_commands.choices(lang=LANG_CHOICES)
    @everywhere_installs
    @everywhere_contexts
    async def topics(self, interaction: discord.Interaction, lang: str | None = None) -> None:
        await _answer(interaction, "topics", lang)

    @app_commands.command(name=_("about"), description=_("What this bot is, its sources and counts"))
    @app_commands.describe(lang=_("Answer in this language"))
    @app_commands.rename(lang=_("lang"))
    @app_commands.choices(lang=LANG_CHOICES)
    @everywhere_installs
    @everywhere_contexts
    async def about(self, interaction: discord.Interaction, lang: str | None = None) -> None:
        await _answer(interaction, "about", lang)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Info())
