"""/quote: random, by topic, by keyword, or by id; with Another, language and Context buttons."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discordbot.components import first_view
from bot.discordbot.options import (
    LANG_CHOICES,
    everywhere_contexts,
    everywhere_installs,
    per_user_cooldown,
)
from bot.discordbot.replies import answer_command, client_of, send, topic_choices


class Quotes(commands.Cog):
    @app_commands.command(
        name=_("quote"), description=_("A sourced quote: random, about a keyword, or from a topic")
    )
    @app_commands.describe(
        about=_("Words or a keyword to look for (English or Chinese)"),
        topic=_("Only quotes from this topic"),
        lang=_("Answer in this language"),
        id=_("A quote's id, e.g. q-big-blob-of-compute"),
    )
    @app_commands.rename(about=_("about"), topic=_("topic"), lang=_("lang"), id=_("id"))
    @app_commands.choices(lang=LANG_CHOICES)
    @everywhere_installs
    @everywhere_contexts
    @per_user_cooldown
    async def quote(
        self,
        interaction: discord.Interaction,
        about: app_commands.Range[str, 1, 200] | None = None,
        topic: app_commands.Range[str, 1, 100] | None = None,
        lang: str | None = None,
        id: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        options = {"about": about, "topic": topic, "lang": lang, "id": id}
        answer = await answer_command(interaction, "quote", options)
        view = None
        if answer.kind == "quote":
            # A quote answer means the topic, if any, resolved.
            topic_id = client_of(interaction).knowledge.resolve_topic(topic) if topic else None
            view = first_view(answer, topic_id, about)
        await send(interaction, answer, view)

    @quote.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return topic_choices(interaction, current)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Quotes())
