"""Sending an Answer through an interaction, and deciding the reader's language for it."""

from __future__ import annotations

import asyncio
import contextlib
import io
from typing import Any, Protocol, cast

import discord

from bot.answer import Answer
from bot.commands import dispatch, error_answer
from bot.discordbot.cards import clip, embeds_for, error_text, message_of
from bot.discordbot.cooldowns import MemberCooldowns
from bot.discordbot.events import record_answer
from bot.errors import UserError
from bot.fact_text import cut
from bot.knowledge import Knowledge
from bot.lang import Lang, decide
from bot.settings import Settings
from bot.store import Store
from bot.telemetry import Telemetry
from bot.user_input import clean_typed


class ExponentClient(Protocol):
    """What cogs and buttons need from the running bot."""

    knowledge: Knowledge
    store: Store
    settings: Settings
    cooldowns: MemberCooldowns
    telemetry: Telemetry


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
    # Discord drops an interaction not answered within 3 s; past this, "thinking…" is shown first
    # (0 means always, which is how the tests take the slow path).
    age = (discord.utils.utcnow() - interaction.created_at).total_seconds()
    wait = defer_after(age, _backlog.answering, client_of(interaction).settings.defer_after_seconds)
    _backlog.answering += 1
    try:
        done, _ = await asyncio.wait({work}, timeout=wait) if wait > 0 else (set(), set())
        if not done:
            await interaction.response.defer(thinking=True)
            interaction.extras[PUBLIC_DEFER] = True
        return await work
    finally:
        _backlog.answering -= 1


# Discord's deadline for the first response, and what to keep in hand for the request itself.
RESPONSE_DEADLINE_SECONDS = 3.0
RESPONSE_MARGIN_SECONDS = 1.0
# More commands than this being answered at once: the event loop is behind, and a timer set
# now may fire late, so defer at once.
BUSY_COMMANDS = 8


class _Backlog:
    """Commands of this process being answered right now (one event loop, no locking)."""

    answering = 0


_backlog = _Backlog()


def defer_after(age: float, answering: int, configured: float) -> float:
    """Seconds to wait for an answer before deferring: ``configured`` normally; at once when the
    bot is behind (the interaction already waited ``age`` seconds to reach us, or ``answering``
    other commands share the event loop), so the 3-second deadline is never missed."""
    if answering >= BUSY_COMMANDS:
        return 0.0
    return max(0.0, min(configured, RESPONSE_DEADLINE_SECONDS - RESPONSE_MARGIN_SECONDS - age))


# Set on an interaction whose "thinking…" message is public (see ``send_private``).
PUBLIC_DEFER = "exponent.public_defer"


def autocomplete_lang(interaction: discord.Interaction) -> Lang:
    """Autocomplete cannot be deferred, so it answers from memory: the reader's own locale."""
    return decide(None, None, interaction.locale.value)


def topic_choices(interaction: discord.Interaction, current: str) -> list[discord.app_commands.Choice[str]]:
    """Topics for autocomplete in the reader's language, closest first (as unknown-topic errors rank them)."""
    lang = autocomplete_lang(interaction)
    knowledge = client_of(interaction).knowledge
    choices = []
    for topic_id in knowledge.closest_topics(clean_typed(current)) or list(knowledge.topics):
        name = knowledge.topic_name(topic_id, lang)
        count = knowledge.topic_counts.get(topic_id, 0)
        choices.append(discord.app_commands.Choice(name=cut(f"{name} ({count})", 100), value=topic_id))
    return choices[:25]


ALT_TEXT_MAX = 1024


async def chart_file(store: Store, answer: Answer) -> discord.File | None:
    """A timeline's chart (``chart-<group>.png``) in the reader's language, read from the store now.

    Its alt text says every figure, as the embed's fields do: the chart adds, never replaces.
    """
    if answer.kind != "facts" or not answer.items:
        return None
    group = str(answer.items[0].get("group") or "")
    png = await store.content.chart_png(group, answer.lang.value)
    if png is None:
        return None
    figures = "; ".join(f"{i['period']}: {i['value']}" for i in answer.items if i.get("period"))
    alt = clip(f"{message_of(answer)} {figures}", ALT_TEXT_MAX)[0]
    return discord.File(io.BytesIO(png), filename=f"chart-{group}.png", description=alt)


async def send(
    interaction: discord.Interaction,
    answer: Answer,
    view: discord.ui.View | None = None,
    *,
    edit: bool = False,
) -> None:
    """Reply with ``answer``: errors and private answers only to the asker; ``edit`` updates the card."""
    if answer.kind == "error":
        await send_private(interaction, content=error_text(answer))
        record_answer(interaction, "error_reply")
        return
    embeds = embeds_for(answer)
    kwargs: dict[str, Any] = {"content": None if embeds else message_of(answer), "embeds": embeds}
    if view is not None:
        kwargs["view"] = view
    chart = await chart_file(client_of(interaction).store, answer) if embeds else None
    if chart is not None:
        embeds[0].set_image(url=f"attachment://{chart.filename}")
        kwargs["attachments" if edit else "files"] = [chart]
    if edit:
        await interaction.response.edit_message(**kwargs)
    elif answer.private:
        await send_private(interaction, **kwargs)
    elif interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)
    record_answer(interaction, "ok")


async def send_private(interaction: discord.Interaction, **kwargs: Any) -> None:
    """A message only the asker sees, whatever happened before.

    Discord fills a deferred "thinking…" message with the first followup and keeps the
    deferral's visibility, so after a public deferral a private followup would be public.
    The public placeholder is deleted first; the followup is then a new, private message.
    """
    if not interaction.response.is_done():
        await interaction.response.send_message(**kwargs, ephemeral=True)
        return
    if interaction.extras.pop(PUBLIC_DEFER, False):
        with contextlib.suppress(discord.NotFound):
            await interaction.delete_original_response()
    await interaction.followup.send(**kwargs, ephemeral=True)


async def send_error(interaction: discord.Interaction, lang: Lang, error: UserError) -> None:
    """A user error, rendered once in ``lang``, only to the one who asked."""
    command = interaction.command.qualified_name if interaction.command is not None else "button"
    await send(interaction, error_answer(command, lang, error))
