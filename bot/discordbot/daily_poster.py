"""Posting the daily quote through Discord: the dispatcher's ``Poster``, with errors mapped to its kinds."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

import aiohttp
import discord

from bot.daily import ChannelGone, HistoryUnreadable, PostForbidden, TransientPostError, daily_marker
from bot.discordbot.cards import embeds_for
from bot.discordbot.components import first_view
from bot.knowledge import Knowledge, QuoteQuery
from bot.lang import Lang, decide
from bot.store import Store
from bot.store.daily import Schedule

log = logging.getLogger(__name__)

#: Where a card's marker URL points when its source has none (reserved, never resolves).
MARKER_FALLBACK_URL = "https://exponent.invalid/daily"
#: Messages read per request, and requests at most, when looking for a day's post.
PAGE_SIZE = 100
MAX_PAGES = 20


async def post_language(client: discord.Client, store: Store, schedule: Schedule) -> Lang:
    """A post has no reader: the schedule's language, the server's setting, the server's locale."""
    guild = client.get_guild(schedule.guild_id)
    locale = guild.preferred_locale.value if guild is not None else None
    return decide(schedule.lang, await store.guilds.language(schedule.guild_id), None, locale)


def marker_url(source_url: str | None, nonce: str) -> str:
    """The card's embed URL: its source's link with the day's marker as fragment."""
    base = (source_url or MARKER_FALLBACK_URL).split("#", 1)[0]
    return base + daily_marker(nonce)


def is_daily_post(message: Mapping[str, Any], bot_id: int, nonce: str) -> bool:
    """A raw message is this bot's post of the day with ``nonce``: its author, a plain
    message (not an interaction reply), and an embed carrying the day's marker."""
    if str((message.get("author") or {}).get("id")) != str(bot_id) or message.get("type", 0) != 0:
        return False
    marker = daily_marker(nonce)
    return any(str(embed.get("url") or "").endswith(marker) for embed in message.get("embeds") or [])


@contextmanager
def _discord_errors(forbidden: type[PostForbidden] = PostForbidden) -> Iterator[None]:
    """Discord's answers as the dispatcher's error kinds; the detail is Discord's status and code."""
    try:
        yield
    except discord.NotFound as exc:
        raise ChannelGone(f"HTTP {exc.status}, code {exc.code}") from exc
    except discord.Forbidden as exc:
        raise forbidden(f"HTTP {exc.status}, code {exc.code}") from exc
    except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as exc:
        raise TransientPostError(f"Discord did not answer: {exc}") from exc


class DiscordPoster:
    def __init__(self, client: discord.Client, store: Store, knowledge: Knowledge) -> None:
        self.client = client
        self.store = store
        self.knowledge = knowledge

    async def post(self, schedule: Schedule, quote_id: str, nonce: str) -> int:
        lang = await post_language(self.client, self.store, schedule)
        answer = await self.knowledge.quote(QuoteQuery(quote_id=quote_id), lang)
        embeds = embeds_for(answer)
        source = answer.items[0].get("source") or {}
        embeds[0].url = marker_url(source.get("url"), nonce)
        channel = self.client.get_partial_messageable(schedule.channel_id, guild_id=schedule.guild_id)
        with _discord_errors():
            # discord.py sends the nonce with enforce_nonce: a retry within minutes returns
            # the message already made instead of a second one.
            message = await channel.send(
                embeds=embeds, view=first_view(answer, schedule.topic, None), nonce=nonce
            )
        return message.id

    async def find_posted(self, schedule: Schedule, local_date: date, nonce: str) -> int | None:
        me = self.client.user
        if me is None:
            raise TransientPostError("not logged in yet")
        # The post of a local date cannot be older than that date's start anywhere on Earth.
        start = datetime.combine(local_date, time(0), tzinfo=schedule.zone) - timedelta(days=1)
        after = discord.utils.time_snowflake(start)
        for _ in range(MAX_PAGES):
            with _discord_errors(HistoryUnreadable):
                page = await self.client.http.logs_from(schedule.channel_id, PAGE_SIZE, after=after)
            for message in page:
                if is_daily_post(message, me.id, nonce):
                    return int(message["id"])
            if len(page) < PAGE_SIZE:
                return None
            after = max(int(m["id"]) for m in page)
        # Too busy a channel to be sure: never guess "not posted".
        raise TransientPostError(f"more than {PAGE_SIZE * MAX_PAGES} messages to check for today's post")
