"""Sending an Answer through an interaction, and deciding the reader's language for it."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol, cast

import discord

from bot.answer import Answer
from bot.commands import dispatch
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


# Discord drops an interaction not answered within 3 s; past this, "thinking…" is shown first.
DEFER_AFTER_SECONDS = 2.0


async def answer_command(
    interaction: discord.Interaction, command: str, options: dict[str, str | None]
) -> Answer:
    """Answer a slash command through the shared dispatcher, deferring if it runs long."""
    guild_locale = interaction.guild_locale.value if interaction.guild_locale else None
    work = asyncio.ensure_future(
        dispatch(
            client_of(interaction).knowledge,
            command,
            {k: v for k, v in options.items() if v},
            user_locale=interaction.locale.value,
            server_setting=await server_language(interaction),
            server_locale=guild_locale,
        )
    )
    done, _ = await asyncio.wait({work}, timeout=DEFER_AFTER_SECONDS)
    if not done:
        await interaction.response.defer(thinking=True)
    return await work


def autocomplete_lang(interaction: discord.Interaction) -> Lang:
    """Autocomplete cannot be deferred, so it answers from memory: the reader's own locale."""
    return decide(None, None, interaction.locale.value)


def topic_choices(interaction: discord.Interaction, current: str) -> list[discord.app_commands.Choice[str]]:
    """Topics for autocomplete, named in the reader's language with their counts; ids as values."""
    lang = autocomplete_lang(interaction)
    knowledge = client_of(interaction).knowledge
    needle = current.casefold().strip()
    choices = []
    for topic in knowledge.topics.values():
        name = knowledge.topic_name(topic.id, lang)
        haystack = f"{topic.id} {topic.name.en} {topic.name.zh} {name}".casefold()
        if needle and needle not in haystack:
            continue
        count = knowledge.topic_counts.get(topic.id, 0)
        choices.append(discord.app_commands.Choice(name=f"{name} ({count})"[:100], value=topic.id))
    return choices[:25]


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
