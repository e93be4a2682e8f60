"""A bot killed after Discord accepted the daily post, before it recorded it, never posts twice.

Real elapsed time, end to end: the fake Discord forgets a nonce after one second (Discord
does after a few minutes) and the claim lease is one second, so the restarted bot's takeover
comes after the nonce is forgotten. Only looking in the channel prevents the second post.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.daily import daily_marker, daily_nonce
from bot.store import Store
from tests.e2e_support import copy_database, start_bot
from tests.fakediscord import ChannelConfig, FakeConfig, FakeDiscord, GuildConfig

NONCE_WINDOW = 1.0
GUILD = GuildConfig(
    id=300000000000000901, name="Crash", channels=[ChannelConfig(id=330000000000000901, name="quotes")]
)


async def _due_now(path: Path) -> None:
    store = await Store.open(path)
    now = datetime.now(UTC)
    earlier = (now - timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    if earlier > now.time():
        earlier = now.time().replace(hour=0, minute=0, second=0, microsecond=0)
    set_at = now.replace(hour=0, minute=0, second=0, microsecond=0)
    await store.daily.set_schedule(GUILD.id, GUILD.channels[0].id, earlier, ZoneInfo("UTC"), now=set_at)
    await store.close()


async def _post_row(path: Path) -> tuple[str, int | None]:
    store = await Store.open(path)
    try:
        post = await store.daily.post(GUILD.id, datetime.now(UTC).date())
        assert post is not None
        return post.status, post.message_id
    finally:
        await store.close()


async def test_kill_after_discord_took_the_post_then_restart_past_the_nonce_window_posts_once(
    tmp_path: Path, shipped_template: Path
) -> None:
    db = copy_database(shipped_template, tmp_path / "bot.sqlite3")
    await _due_now(db)
    channel = GUILD.channels[0].id
    env = {"EXPONENT_DAILY_TICK_SECONDS": "0.2", "EXPONENT_DAILY_LEASE_SECONDS": "1"}
    async with FakeDiscord(FakeConfig(guilds=[GUILD], nonce_window=NONCE_WINDOW)) as fake:
        # Discord creates the message, but its reply is held until the bot is dead.
        fake.fail_next("POST", f"/channels/{channel}/messages", 500, after_handling=True, delay=3.0)
        first = await start_bot(fake, db, tmp_path / "first.log", **env)
        try:
            message = await fake.wait_for_message(lambda m: int(m["channel_id"]) == channel, timeout=30)
            first.proc.kill()  # kill -9: after the post, before the record
            await first.proc.wait()
        finally:
            await first.stop()
        posted_at = time.monotonic()
        assert await _post_row(db) == ("claimed", None)
        assert message["embeds"][0]["url"].endswith(
            daily_marker(daily_nonce(GUILD.id, datetime.now(UTC).date()))
        )

        await asyncio.sleep(max(0.0, NONCE_WINDOW + 0.2 - (time.monotonic() - posted_at)))
        mark = fake.mark()
        second = await start_bot(fake, db, tmp_path / "second.log", **env)
        try:
            for _ in range(200):  # until the takeover recorded the day, 20 s at most
                if (await _post_row(db))[0] == "sent":
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)  # more ticks: still nothing sent
        finally:
            await second.stop()
        assert time.monotonic() - posted_at > NONCE_WINDOW  # a re-send now would be a new message
        assert [m["id"] for m in fake.channel_messages(channel)] == [message["id"]], second.log[-3000:]
        assert await _post_row(db) == ("sent", int(message["id"]))
        assert fake.requests_to("POST", f"/channels/{channel}/messages")[1:] == []
        assert [r.path for r in fake.requests[mark:] if r.method == "GET" and "/messages" in r.path] == [
            f"/channels/{channel}/messages"
        ]
