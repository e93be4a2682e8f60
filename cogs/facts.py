"""/fact: a key number, a group as a timeline, a menu of candidates, or suggestions."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discordbot.components import fact_menu_view
from bot.discordbot.options import (
    LANG_CHOICES,
    everywhere_contexts,
    everywhere_installs,
    per_user_cooldown,
)
from bot.discordbot.replies import answer_command, autocomplete_lang, client_of, send
from bot.fact_text import cut, with_period
from bot.user_input import clean_typed


class Facts(commands.Cog):
    @app_commands.command(name=_("fact"), description=_("A key number with the sentence it comes from"))
    @app_commands.describe(
        query=_("What number? e.g. revenue, valuation, 估值"), lang=_("Answer in this language")
    )
    @app_commands.rename(query=_("query"), lang=_("lang"))
    @app_commands.choices(lang=LANG_CHOICES)
    @everywhere_installs
    @everywhere_contexts
    @per_user_cooldown
    async def fact(
        self,
        interaction: discord.Interaction,
        query: app_commands.Range[str, 1, 200],
        lang: str | None = None,
    ) -> None:
        answer = await answer_command(interaction, "fact", {"query": query, "lang": lang})
        if answer.kind == "candidates":
            await send(interaction, answer, fact_menu_view(answer))
        else:
            await send(interaction, answer)

    @fact.autocomplete("query")
    async def query_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        lang = autocomplete_lang(interaction)
        knowledge = client_of(interaction).knowledge
        choices = []
        for fact in knowledge.facts.complete(clean_typed(current), limit=25):
            period = knowledge.shown(fact.period, lang) if fact.period else None
            name = with_period(knowledge.shown(fact.label, lang), period, lang)
            choices.append(app_commands.Choice(name=cut(name, 100), value=fact.id))
        return choices


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Facts())
