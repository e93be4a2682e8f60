"""SIGTERM through the real bot and the fake Discord: interactions in flight are answered, a
daily post in flight is sent and marked sent, the process exits 0, and after a restart every
interaction is answered once and every post sent once."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.store import Store
from tests.e2e_support import TOKEN, BotProcess, copy_database, start_bot
from tests.fakediscord import ChannelConfig, FakeConfig, FakeDiscord, GuildConfig, InteractionRecord

POSTS = [
    GuildConfig(id=300000000000000500 + i, name=f"Posts {i}", channels=[ChannelConfig(id=340000000000000500 + i)])
    for i in range(3)
]
BURST = 12
# Discord asks the bot to wait: each reply (and each post) is in flight for this long.
HOLD = 0.6


async def _due_schedules(path: Path) -> None:
    """Schedules whose time today has passed, as after downtime: each is due at once."""
    store = await Store.open(path)
    now = datetime.now(UTC)
    earlier = (now - timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    if earlier > now.time():  # just after midnight: keep it today
        earlier = now.time().replace(hour=0, minute=0, second=0, microsecond=0)
    for guild in POSTS:
        await store.daily.set_schedule(
            guild.id, guild.channels[0].id, earlier, ZoneInfo("UTC"), now=now.replace(hour=0, minute=0)
        )
    await store.close()


def _answers(fake: FakeDiscord, record: InteractionRecord) -> int:
    """Callbacks Discord accepted for one interaction (a 429 asked to retry is not one)."""
    return sum(
        1 for r in fake.requests_to("POST", f"/interactions/{record.id}/") if r.status == 200
    )


def _posts(fake: FakeDiscord, guild: GuildConfig) -> list[dict[str, object]]:
    """Scheduled posts in the guild's channel (type 0; replies to commands are type 20)."""
    return [m for m in fake.channel_messages(guild.channels[0].id) if m["type"] == 0]


async def _burst(fake: FakeDiscord) -> list[InteractionRecord]:
    return [
        await fake.slash("quote", {"about": "scaling"}, wait=False) for _ in range(BURST)
    ]


async def _terminate(bot: BotProcess) -> tuple[int, float]:
    started = time.monotonic()
    bot.proc.send_signal(signal.SIGTERM)
    code = await asyncio.wait_for(bot.proc.wait(), 15)
    return code, time.monotonic() - started


async def test_sigterm_during_a_burst_and_a_daily_post_then_restart(tmp_path: Path, shipped_template: Path) -> None:
    async with FakeDiscord(FakeConfig(guilds=POSTS)) as fake:
        db = copy_database(shipped_template, tmp_path / "bot.sqlite3")
        await _due_schedules(db)
        for guild in POSTS:
            fake.fail_next(
                "POST", f"/channels/{guild.channels[0].id}/messages", 429, body={"retry_after": 2 * HOLD}
            )
        env = {"EXPONENT_DAILY_TICK_SECONDS": "0.2", "EXPONENT_COOLDOWN": "1000/60"}
        first = await start_bot(fake, db, tmp_path / "first.log", **env)
        try:
            # Every post has reached Discord once and waits to retry ...
            await fake.wait_for_request(
                lambda r: all(fake.requests_to("POST", f"/channels/{g.channels[0].id}/messages") for g in POSTS),
                timeout=20,
            )
            # ... and so does every reply to a burst of commands.
            fake.fail_next("POST", "/interactions/", 429, count=BURST, body={"retry_after": HOLD})
            burst = await _burst(fake)
            await fake.wait_for_request(
                lambda r: len([q for q in fake.requests_to("POST", "/interactions/") if q.status == 429]) == BURST,
                timeout=10,
            )
            code, seconds = await _terminate(first)
        finally:
            await first.stop()
        log = first.log
        assert code == 0, log[-3000:]
        assert seconds < 8, seconds
        assert "SIGTERM received: shutting down" in log
        assert f"{BURST} interaction(s) in flight" in log and "database closed" in log
        assert f"{BURST} interaction(s) answered while stopping" in log
        assert "Traceback" not in log, log[-3000:]
        for record in burst:
            assert _answers(fake, record) == 1, record.id
            assert record.embeds, record.id
        for guild in POSTS:
            assert len(_posts(fake, guild)) == 1, guild.name

        # The restart logs for a collector: one JSON object per line.
        second = await start_bot(fake, db, tmp_path / "second.log", EXPONENT_LOG_FORMAT="json", **env)
        try:
            after = await _burst(fake)
            for record in after:
                await fake.response_for(record.id, timeout=10)
            await asyncio.sleep(1.0)  # several daily ticks
        finally:
            code, _ = await _terminate(second)
        assert code == 0
        lines = [json.loads(line) for line in second.log.splitlines() if line.strip()]
        answered = [e for e in lines if e["message"] == "answered"]
        assert len(answered) == BURST and {e["command"] for e in answered} == {"quote"}
        assert all(e["outcome"] == "ok" and e["guild"] and e["ms"] >= 0 for e in answered)
        assert any(e["message"] == "SIGTERM received: shutting down" for e in lines)
        assert TOKEN not in second.log
        for record in burst + after:
            assert _answers(fake, record) == 1, record.id
        for guild in POSTS:
            assert len(_posts(fake, guild)) == 1, guild.name
        store = await Store.open(db)
        try:
            for guild in POSTS:
                post = await store.daily.last_post(guild.id)
                assert post is not None and post.status == "sent", guild.name
        finally:
            await store.close()
