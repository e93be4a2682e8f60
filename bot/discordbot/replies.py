"""Sending an Answer through an interaction, and deciding the reader's language for it."""

from __future__ import annotations

from typing import Any, Protocol, cast

import discord

from bot.answer import Answer
from bot.discordbot.cards import embeds_for, error_text, message_of
from bot.knowledge import Knowledge
from bot.lang import Lang, decide
from bot.settings import Settings
from bot.store import Store


class ExponentClient(Protocol):
    """What cogs and buttons need from the running bot."""

    knowledge: Knowledge
    store: Store
    settings: Settings


def client_of(interaction: discord.Interaction) -> ExponentClient:
    return cast(ExponentClient, interaction.client)


async def server_language(interaction: discord.Interaction) -> str | None:
    if interaction.guild_id is None:
        return None
    return await client_of(interaction).store.guilds.language(interaction.guild_id)


async def reader_lang(interaction: discord.Interaction, explicit: str | None = None) -> Lang:
    """Gathers what ``bot.lang.decide`` needs from an interaction; raises UnknownLanguage."""
    guild_locale = interaction.guild_locale.value if interaction.guild_locale else None
    return decide(explicit, await server_language(interaction), interaction.locale.value, guild_locale)


def autocomplete_lang(interaction: discord.Interaction) -> Lang:
    """Autocomplete cannot be deferred, so it answers from memory: the reader's own locale."""
    return decide(None, None, interaction.locale.value)


async def send(
    interaction: discord.Interaction,
    answer: Answer,
    view: discord.ui.View | None = None,
    *,
    edit: bool = False,
) -> None:
    """Reply with ``answer``: errors and private answers are ephemeral; ``edit`` updates the card."""
    if answer.kind == "error":
        content = error_text(answer)
        if interaction.response.is_done():
            await interaction.followup.send(content, ephemeral=True)
        else:
            await interaction.response.send_message(content, ephemeral=True)
        return
    embeds = embeds_for(answer)
    kwargs: dict[str, Any] = {"content": None if embeds else message_of(answer), "embeds": embeds}
    if view is not None:
        kwargs["view"] = view
    if edit:
        await interaction.response.edit_message(**kwargs)
    elif interaction.response.is_done():
        await interaction.followup.send(**kwargs, ephemeral=answer.private)
    else:
        await interaction.response.send_message(**kwargs, ephemeral=answer.private)
