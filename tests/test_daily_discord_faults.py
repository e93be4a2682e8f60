"""Discord takes the daily post but its reply is an error: the retry finds the post, never re-sends.

Real discord.py against the fake Discord (REST only), in real time: the fake forgets a nonce
after one second, and the retry comes after that, so only the lookup prevents a second post.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import discord
import discord.http
import pytest_asyncio

from bot.daily import DailyDispatcher
from bot.discordbot.daily_poster import DiscordPoster
from bot.knowledge import Knowledge
from bot.store import Store
from tests.fakediscord import ChannelConfig, FakeConfig, FakeDiscord, GuildConfig

NONCE_WINDOW = 1.0
GUILD = GuildConfig(
    id=300000000000000951, name="Faults", channels=[ChannelConfig(id=330000000000000951, name="quotes")]
)
CHANNEL = GUILD.channels[0].id


@pytest_asyncio.fixture
async def client() -> AsyncIterator[tuple[FakeDiscord, discord.Client]]:
    async with FakeDiscord(FakeConfig(guilds=[GUILD], nonce_window=NONCE_WINDOW)) as fake:
        old_base = discord.http.Route.BASE
        discord.http.Route.BASE = fake.api_base
        bot = discord.Client(intents=discord.Intents.none())
        try:
            await bot.login("fake-token")
            yield fake, bot
        finally:
            await bot.close()
            discord.http.Route.BASE = old_base


async def test_a_post_discord_made_but_answered_with_503_is_recorded_on_retry_not_sent_again(
    shipped: tuple[Store, Knowledge], client: tuple[FakeDiscord, discord.Client]
) -> None:
    store, knowledge = shipped
    fake, bot = client
    now = datetime.now(UTC)
    # Due a minute ago (just after midnight: at midnight, still today), set before it was due.
    earlier = now - timedelta(minutes=1)
    at = earlier.time() if earlier.date() == now.date() else time(0, 0)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    await store.daily.set_schedule(
        GUILD.id, CHANNEL, at.replace(second=0, microsecond=0), ZoneInfo("UTC"), now=midnight
    )

    async def eligible(topic: str | None) -> list[str]:
        return await store.content.quote_ids(topic)

    dispatcher = DailyDispatcher(
        store.daily,
        DiscordPoster(bot, store, knowledge),
        eligible,
        lambda: datetime.now(UTC),
        token="process-1",
        retry_backoff=timedelta(seconds=1),
    )
    # Discord creates the message, then answers 503 (discord.py does not retry a 503).
    fake.fail_next("POST", f"/channels/{CHANNEL}/messages", 503, after_handling=True)
    first = await dispatcher.tick()
    assert (first.sent, first.retrying) == (0, 1)
    (message,) = fake.channel_messages(CHANNEL)

    await asyncio.sleep(2.2)  # the retry is due, and the fake has forgotten the nonce
    second = await dispatcher.tick()
    assert (second.sent, second.found) == (1, 1)
    assert [m["id"] for m in fake.channel_messages(CHANNEL)] == [message["id"]]
    post = await store.daily.post(GUILD.id, now.date())
    assert post is not None and post.status == "sent" and post.message_id == int(message["id"])
    assert len(fake.requests_to("POST", f"/channels/{CHANNEL}/messages")) == 1
    assert len(fake.requests_to("GET", f"/channels/{CHANNEL}/messages")) == 1
