"""/daily set|show|off|resume|preview, and the one dispatcher that posts for this process's shards."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import uuid
from datetime import UTC, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.answer import Answer
from bot.daily import DailyDispatcher
from bot.daily_status import daily_status
from bot.daily_time import parse_local_time
from bot.discordbot.cards import QUOTE_COLOUR
from bot.discordbot.daily_poster import DiscordPoster, post_language
from bot.discordbot.events import record_answer
from bot.discordbot.options import LANG_CHOICES
from bot.discordbot.replies import ExponentClient, client_of, reader_lang, send, topic_choices
from bot.errors import BotMissingPermission, NoEligibleQuotes, NoSchedule, NotTextChannel
from bot.fact_text import cut
from bot.i18n import t
from bot.knowledge import QuoteQuery
from bot.lang import Lang, decide
from bot.user_input import clean_text, clean_typed
from bot.zones import is_fixed, offset_text, parse_timezone, timezone_choices, zone_label

log = logging.getLogger(__name__)

# How long a stopping process waits for the daily posts being sent (Docker's stop waits 10 s).
STOP_GRACE_SECONDS = 5.0
# read_message_history: before re-sending after a failure, the dispatcher looks for the post.
NEEDED = (
    "view_channel",
    "send_messages",
    "embed_links",
    "read_message_history",
)  # named in the reader's language by bot.i18n


def _now() -> datetime:
    return datetime.now(UTC)


@app_commands.guild_only()
@app_commands.allowed_installs(guilds=True, users=False)
@app_commands.default_permissions(manage_guild=True)
class Daily(commands.GroupCog, group_name=_("daily"), group_description=_("Daily quote in a channel")):
    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        # Before the permission check: in a DM "only in a server" is the answer, not
        # "you need Manage Server" (has_permissions runs first otherwise).
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage()
        return True

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._run_dispatcher(), name="daily-dispatcher")
        self._task.add_done_callback(_log_if_failed)

    async def cog_unload(self) -> None:
        # Let in-flight posts finish rather than cancel them: a cancel while discord.py
        # sleeps out a global 429 leaves its global gate closed and stalls all REST.
        self._stop.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=STOP_GRACE_SECONDS)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        except Exception:
            log.debug("the daily dispatcher ended with an error (logged when it happened)")

    async def _run_dispatcher(self) -> None:
        ready = asyncio.ensure_future(self.bot.wait_until_ready())
        stopped = asyncio.ensure_future(self._stop.wait())
        await asyncio.wait({ready, stopped}, return_when=asyncio.FIRST_COMPLETED)
        ready.cancel()
        stopped.cancel()
        if self._stop.is_set():  # stopped before Discord said ready
            return
        client = cast(ExponentClient, self.bot)
        shard_count = self.bot.shard_count or 1
        shard_ids = tuple(getattr(self.bot, "shard_ids", None) or range(shard_count))

        async def eligible(topic: str | None) -> list[str]:
            return await client.store.content.quote_ids(topic)

        dispatcher = DailyDispatcher(
            client.store.daily,
            DiscordPoster(self.bot, client.store, client.knowledge),
            eligible,
            _now,
            shard_count=shard_count,
            shard_ids=shard_ids,
            token=f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}",
            on_tick=client.telemetry.daily_ticked,
            lease=timedelta(seconds=client.settings.daily_lease_seconds),
        )
        log.info("daily dispatcher running for shards %s of %d", shard_ids, shard_count)
        await dispatcher.run_forever(client.settings.daily_tick_seconds, self._stop)

    # -- commands -------------------------------------------------------------------

    @app_commands.command(name=_("set"), description=_("Post a quote every day in a channel at a local time"))
    @app_commands.describe(
        channel=_("The channel to post in"),
        time=_("Local time, HH:MM (24-hour)"),
        timezone=_("Time zone, e.g. Asia/Shanghai, 上海 or UTC+8"),
        lang=_("Language of the posts"),
        topic=_("Only quotes from this topic (optional)"),
    )
    @app_commands.rename(
        channel=_("channel"), time=_("time"), timezone=_("timezone"), lang=_("lang"), topic=_("topic")
    )
    @app_commands.choices(lang=LANG_CHOICES)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def set_(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: app_commands.Range[str, 1, 10],
        timezone: app_commands.Range[str, 1, 64],
        lang: str | None = None,
        topic: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        assert interaction.guild is not None
        reader = await reader_lang(interaction)
        client = client_of(interaction)
        # Each of these raises a user error the tree answers; nothing is stored until all pass.
        time, timezone = clean_text(time, "time"), clean_text(timezone, "timezone")
        topic = clean_text(topic, "topic") if topic else None
        at = parse_local_time(time)
        zone = parse_timezone(timezone)
        post_lang = decide(lang).value if lang else None
        topic_id = client.knowledge.resolve_topic(topic) if topic else None
        _check_can_post(interaction.guild, channel)
        now = _now()
        schedule = await client.store.daily.set_schedule(
            interaction.guild.id, channel.id, at, zone, now=now, lang=post_lang, topic=topic_id
        )
        label = zone_label(zone.key, now)
        offset = f"UTC{offset_text(zone, schedule.next_run_utc)}"
        where = label if label == offset else f"{label}{', ' if reader is Lang.EN else '，'}{offset}"
        when = t(
            "daily.when",
            reader,
            time=at.strftime("%H:%M"),
            zone=where,
            next=f"<t:{int(schedule.next_run_utc.timestamp())}:F>",
        )
        lines = [t("daily.set_done", reader), when]
        if is_fixed(zone.key):
            lines.append(t("daily.no_dst", reader, zone=zone_label(zone.key, now)))
        await self._show(interaction, reader, "\n".join(lines))

    @set_.autocomplete("timezone")
    async def timezone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        now = _now()
        return [
            app_commands.Choice(name=cut(_zone_choice_name(zone, now), 100), value=zone)
            for zone in timezone_choices(clean_typed(current), 25)
        ]

    @set_.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return topic_choices(interaction, current)

    @app_commands.command(name=_("show"), description=_("The daily schedule, next and last post"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def show(self, interaction: discord.Interaction) -> None:
        await self._show(interaction, await reader_lang(interaction), "")

    @app_commands.command(name=_("off"), description=_("Stop the daily quote"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def off(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        reader = await reader_lang(interaction)
        if not await client_of(interaction).store.daily.disable(interaction.guild_id, now=_now()):
            raise NoSchedule()
        await self._show(interaction, reader, t("daily.off_done", reader))

    @app_commands.command(name=_("resume"), description=_("Resume the daily quote"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def resume(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        reader = await reader_lang(interaction)
        if await client_of(interaction).store.daily.resume(interaction.guild_id, now=_now()) is None:
            raise NoSchedule()
        await self._show(interaction, reader, t("daily.resume_done", reader))

    @app_commands.command(name=_("preview"), description=_("Preview the next daily quote (only you see it)"))
    @app_commands.checks.has_permissions(manage_guild=True)
    async def preview(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        reader = await reader_lang(interaction)
        client = client_of(interaction)
        schedule = await client.store.daily.get_schedule(interaction.guild_id)
        if schedule is None:
            raise NoSchedule()
        eligible = await client.store.content.quote_ids(schedule.topic)
        quote_id = await client.store.daily.next_quote(interaction.guild_id, eligible, random.Random())
        if quote_id is None:
            raise NoEligibleQuotes()
        lang = await post_language(interaction.client, client.store, schedule)
        answer = await client.knowledge.quote(QuoteQuery(quote_id=quote_id), lang)
        answer.private = True
        answer.message = t("daily.preview_note", reader)
        await send(interaction, answer)

    async def _show(self, interaction: discord.Interaction, reader: Lang, headline: str) -> None:
        assert interaction.guild_id is not None
        client = client_of(interaction)
        daily = client.store.daily
        schedule = await daily.get_schedule(interaction.guild_id)
        if schedule is None:
            await send(
                interaction, Answer("daily", reader, "settings", [], t("daily.none", reader), private=True)
            )
            return
        eligible = await client.store.content.quote_ids(schedule.topic)
        progress = await daily.rotation_progress(interaction.guild_id, eligible)
        post_lang = await post_language(interaction.client, client.store, schedule)
        summary, fields = daily_status(
            schedule,
            await daily.last_post(interaction.guild_id),
            progress,
            reader,
            topic_name=client.knowledge.topic_name(schedule.topic, reader) if schedule.topic else None,
            post_language=t(f"lang.{post_lang.value}", reader),
        )
        embed = discord.Embed(title=t("daily.title", reader), description=summary, colour=QUOTE_COLOUR)
        for field in fields:
            embed.add_field(name=field.name, value=field.value, inline=False)
        content = headline or None
        await interaction.response.send_message(content=content, embed=embed, ephemeral=True)
        record_answer(interaction, "ok")


def _check_can_post(guild: discord.Guild, channel: discord.abc.GuildChannel) -> None:
    """Raises a user error naming what the bot lacks to post a card in ``channel``."""
    if not isinstance(channel, discord.TextChannel):
        raise NotTextChannel(channel.mention)
    permissions = channel.permissions_for(guild.me)
    missing = [name for name in NEEDED if not getattr(permissions, name)]
    if missing:
        raise BotMissingPermission(channel.mention, missing)


def _zone_choice_name(zone: str, now: datetime) -> str:
    """``Asia/Shanghai (UTC+08:00)``; a fixed zone by its offset alone (``UTC+08:00 (fixed)``)."""
    label = zone_label(zone, now)
    offset = offset_text(ZoneInfo(zone), now)
    return f"{label} (UTC{offset})" if label == zone else f"{label} ({zone})"


def _log_if_failed(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the daily dispatcher stopped", exc_info=task.exception())


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Daily(bot))
