"""Posting the daily quote through Discord: the dispatcher's ``Poster``, with errors mapped to its kinds."""

from __future__ import annotations

import logging

import aiohttp
import discord

from bot.daily import ChannelGone, PostForbidden, TransientPostError
from bot.discordbot.cards import embeds_for
from bot.discordbot.components import first_view
from bot.knowledge import Knowledge, QuoteQuery
from bot.lang import Lang, decide
from bot.store import Store
from bot.store.daily import Schedule

log = logging.getLogger(__name__)


async def post_language(client: discord.Client, store: Store, schedule: Schedule) -> Lang:
    """A post has no reader: the schedule's language, the server's setting, the server's locale."""
    guild = client.get_guild(schedule.guild_id)
    locale = guild.preferred_locale.value if guild is not None else None
    return decide(schedule.lang, await store.guilds.language(schedule.guild_id), None, locale)


class DiscordPoster:
    def __init__(self, client: discord.Client, store: Store, knowledge: Knowledge) -> None:
        self.client = client
        self.store = store
        self.knowledge = knowledge

    async def post(self, schedule: Schedule, quote_id: str, nonce: str) -> int:
        lang = await post_language(self.client, self.store, schedule)
        answer = await self.knowledge.quote(QuoteQuery(quote_id=quote_id), lang)
        channel = self.client.get_partial_messageable(schedule.channel_id, guild_id=schedule.guild_id)
        try:
            # discord.py sends the nonce with enforce_nonce: a retry within minutes returns
            # the message already made instead of a second one.
            message = await channel.send(
                embeds=embeds_for(answer), view=first_view(answer, schedule.topic, None), nonce=nonce
            )
        except discord.NotFound as exc:
            raise ChannelGone(f"HTTP {exc.status}, code {exc.code}") from exc
        except discord.Forbidden as exc:
            raise PostForbidden(f"HTTP {exc.status}, code {exc.code}") from exc
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as exc:
            raise TransientPostError(f"Discord did not take the post: {exc}") from exc
        return message.id
