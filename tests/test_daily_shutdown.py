"""Stopping the dispatcher mid-tick: posts being sent finish and are marked sent, the rest are
handed back and sent once by the next process, never twice."""

from __future__ import annotations

import asyncio
from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.daily import DailyDispatcher
from bot.store import Store
from bot.store.daily import Schedule
from tests.test_daily_dispatcher import QUOTES, Clock, utc

UTC_ZONE = ZoneInfo("UTC")


class SlowPoster:
    """Each send takes a while, as on a busy Discord; records the (guild, nonce) of every message."""

    def __init__(self, started: asyncio.Event | None = None, seconds: float = 0.2) -> None:
        self.started = started
        self.seconds = seconds
        self.messages: dict[tuple[int, str], int] = {}

    async def post(self, schedule: Schedule, quote_id: str, nonce: str) -> int:
        if self.started is not None:
            self.started.set()
        await asyncio.sleep(self.seconds)
        return self.messages.setdefault((schedule.guild_id, nonce), len(self.messages) + 1)

    async def find_posted(self, schedule: Schedule, local_date: date, nonce: str) -> int | None:
        return self.messages.get((schedule.guild_id, nonce))


async def eligible(topic: str | None) -> list[str]:
    return list(QUOTES)


def dispatcher(store: Store, poster: SlowPoster, clock: Clock, token: str) -> DailyDispatcher:
    return DailyDispatcher(store.daily, poster, eligible, clock, token=token, concurrency=2)


async def test_stopping_mid_tick_finishes_started_posts_and_hands_back_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    clock = Clock(utc(2025, 1, 10, 8, 0))
    store = await Store.open(path)
    guilds = list(range(1, 11))
    for guild in guilds:
        await store.daily.set_schedule(guild, guild + 100, time(9, 0), UTC_ZONE, now=clock.now)
    clock.now = utc(2025, 1, 10, 9, 0)
    started = asyncio.Event()
    first = SlowPoster(started)
    stop = asyncio.Event()
    run = asyncio.create_task(dispatcher(store, first, clock, "one").run_forever(60, stop))
    await started.wait()
    stop.set()
    await asyncio.wait_for(run, 5)  # returns after the two sends in flight, not ten
    sent_first = {guild for guild, _ in first.messages}
    assert len(sent_first) == 2
    for guild in guilds:
        post = await store.daily.post(guild, clock.now.date())
        assert post is not None
        assert post.status == ("sent" if guild in sent_first else "retry"), guild
    await store.close()

    # The next process sends the handed-back posts at once (no lease to wait out), each once.
    store = await Store.open(path)
    second = SlowPoster(seconds=0)
    report = await dispatcher(store, second, clock, "two").tick()
    assert report.sent == len(guilds) - 2
    assert {guild for guild, _ in second.messages} == set(guilds) - sent_first
    assert await dispatcher(store, second, clock, "three").tick() == type(report)()
    await store.close()
