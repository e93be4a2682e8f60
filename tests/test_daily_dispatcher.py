"""The daily quote dispatcher end to end over real SQLite files, a hand-moved clock
and a fake poster that behaves like Discord's nonce dedupe. Nothing sleeps."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time as wallclock
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.daily import (
    ChannelGone,
    DailyDispatcher,
    HistoryUnreadable,
    PostForbidden,
    TickReport,
    TransientPostError,
    daily_nonce,
)
from bot.knowledge import Knowledge
from bot.pack import load_pack
from bot.store import Store
from bot.store.daily import Schedule, iso_utc

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
QUOTES = [f"q{i:02d}" for i in range(10)]


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


class Crash(BaseException):
    """The process dies: not an Exception, so nothing in the dispatcher swallows it."""


@dataclass
class Sent:
    guild_id: int
    channel_id: int
    quote_id: str
    nonce: str
    at: datetime
    message_id: int


@dataclass
class FakePoster:
    """Records every call; like Discord with enforce_nonce, a repeated nonce in the same
    channel returns the first message instead of creating a second one."""

    clock: Clock
    calls: list[Sent] = field(default_factory=list)
    errors: dict[int, BaseException] = field(default_factory=dict)
    crash_after_send: set[int] = field(default_factory=set)
    lookup_errors: dict[int, BaseException] = field(default_factory=dict)
    lookups: int = 0
    _by_nonce: dict[tuple[int, str], int] = field(default_factory=dict)
    _next_id: int = 1000

    async def post(self, schedule: Schedule, quote_id: str, nonce: str) -> int:
        error = self.errors.get(schedule.guild_id)
        call = Sent(schedule.guild_id, schedule.channel_id, quote_id, nonce, self.clock(), 0)
        self.calls.append(call)
        if error is not None:
            raise error
        key = (schedule.channel_id, nonce)
        if key not in self._by_nonce:
            self._next_id += 1
            self._by_nonce[key] = self._next_id
        call.message_id = self._by_nonce[key]
        if schedule.guild_id in self.crash_after_send:
            self.crash_after_send.discard(schedule.guild_id)
            raise Crash
        return call.message_id

    async def find_posted(self, schedule: Schedule, local_date: date, nonce: str) -> int | None:
        """Like reading the channel: the message this nonce's post made, if any."""
        self.lookups += 1
        error = self.lookup_errors.get(schedule.guild_id)
        if error is not None:
            raise error
        return self._by_nonce.get((schedule.channel_id, nonce))

    @property
    def messages(self) -> set[int]:
        """Messages that exist in Discord (a deduped re-send adds none)."""
        return set(self._by_nonce.values())

    def for_guild(self, guild_id: int) -> list[Sent]:
        return [c for c in self.calls if c.guild_id == guild_id]


async def all_quotes(topic: str | None) -> list[str]:
    return list(QUOTES)


@dataclass
class Harness:
    path: Path
    clock: Clock
    poster: FakePoster
    store: Store
    dispatcher: DailyDispatcher

    async def tick(self) -> TickReport:
        return await self.dispatcher.tick()

    async def restart(self, token: str = "process-2") -> None:
        """A new process: a fresh connection and dispatcher, the same file and poster."""
        await self.store.close()
        self.store = await Store.open(self.path)
        self.dispatcher = make_dispatcher(self.store, self.poster, self.clock, token=token)

    async def run(self, until: datetime, step: timedelta = timedelta(minutes=1)) -> None:
        """Tick every ``step`` up to and including ``until``."""
        while self.clock.now <= until:
            await self.tick()
            self.clock.now += step
        self.clock.now = until


def make_dispatcher(
    store: Store,
    poster: FakePoster,
    clock: Callable[[], datetime],
    *,
    token: str = "process-1",
    shard_count: int = 1,
    shard_ids: tuple[int, ...] = (0,),
    eligible: Callable[[str | None], object] = all_quotes,
    **kwargs: object,
) -> DailyDispatcher:
    return DailyDispatcher(
        store.daily,
        poster,
        eligible,
        clock,  # type: ignore[arg-type]
        shard_count=shard_count,
        shard_ids=shard_ids,
        token=token,
        rng=random.Random(7),
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    path = tmp_path / "db.sqlite3"
    clock = Clock(utc(2025, 1, 10))
    poster = FakePoster(clock)
    store = await Store.open(path)
    harness = Harness(path, clock, poster, store, make_dispatcher(store, poster, clock))
    yield harness
    await harness.store.close()


async def schedule(
    h: Harness, guild_id: int, at: time, zone: ZoneInfo, channel: int = 0, topic: str | None = None
) -> Schedule:
    return await h.store.daily.set_schedule(
        guild_id, channel or guild_id + 1, at, zone, now=h.clock.now, topic=topic
    )


def local_dates(h: Harness, guild_id: int, zone: ZoneInfo) -> list[date]:
    return [c.at.astimezone(zone).date() for c in h.poster.for_guild(guild_id)]


# ------------------------------------------------------------- posting at local time


async def test_daily_posts_at_local_time_in_shanghai(h: Harness) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    h.clock.now = utc(2025, 1, 10, 0, 59)  # 08:59 in Shanghai
    assert (await h.tick()).sent == 0
    h.clock.now = utc(2025, 1, 10, 1, 0)  # 09:00
    report = await h.tick()
    assert (report.due, report.claimed, report.sent) == (1, 1, 1)
    h.clock.advance(minutes=1)
    assert (await h.tick()).due == 0
    [sent] = h.poster.calls
    assert (sent.guild_id, sent.channel_id, sent.at) == (1, 2, utc(2025, 1, 10, 1, 0))
    assert sent.nonce == daily_nonce(1, date(2025, 1, 10))
    s = await h.store.daily.get_schedule(1)
    assert s is not None
    assert s.next_run_utc == utc(2025, 1, 11, 1, 0) and s.last_local_date == date(2025, 1, 10)
    last = await h.store.daily.last_post(1)
    assert last is not None and last.status == "sent" and last.message_id == sent.message_id


async def test_daily_posts_once_a_day_for_a_week(h: Harness) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    await h.run(until=utc(2025, 1, 17), step=timedelta(minutes=7))
    assert local_dates(h, 1, SHANGHAI) == [date(2025, 1, d) for d in range(10, 17)]


@pytest.mark.parametrize(
    ("zone", "at", "start", "day", "expected_utc"),
    [
        # Spring forward: 02:30 does not exist; posts once at 03:00 EDT.
        pytest.param(
            NEW_YORK,
            time(2, 30),
            utc(2025, 3, 8),
            date(2025, 3, 9),
            utc(2025, 3, 9, 7, 0),
            id="new-york-spring-forward-gap",
        ),
        # Fall back: 01:30 happens twice; posts once, at the first (EDT).
        pytest.param(
            NEW_YORK,
            time(1, 30),
            utc(2025, 11, 1),
            date(2025, 11, 2),
            utc(2025, 11, 2, 5, 30),
            id="new-york-fall-back-repeat",
        ),
        # London 01:30 on 30 March 2025 does not exist; posts at 02:00 BST.
        pytest.param(
            LONDON,
            time(1, 30),
            utc(2025, 3, 29),
            date(2025, 3, 30),
            utc(2025, 3, 30, 1, 0),
            id="london-spring-forward-gap",
        ),
        # London 01:30 on 26 October 2025 happens twice; posts at the first (BST).
        pytest.param(
            LONDON,
            time(1, 30),
            utc(2025, 10, 25),
            date(2025, 10, 26),
            utc(2025, 10, 26, 0, 30),
            id="london-fall-back-repeat",
        ),
        # Half-hour offset: 09:00 IST is 03:30 UTC.
        pytest.param(
            KOLKATA,
            time(9, 0),
            utc(2025, 6, 1),
            date(2025, 6, 2),
            utc(2025, 6, 2, 3, 30),
            id="kolkata-half-hour-offset",
        ),
        # Midnight belongs to the day it starts: 00:00 in Shanghai is 16:00 UTC the day before.
        pytest.param(
            SHANGHAI,
            time(0, 0),
            utc(2025, 1, 10),
            date(2025, 1, 12),
            utc(2025, 1, 11, 16, 0),
            id="shanghai-midnight",
        ),
    ],
)
async def test_daily_posts_exactly_once_per_local_day_across_dst_and_odd_offsets(
    h: Harness, zone: ZoneInfo, at: time, start: datetime, day: date, expected_utc: datetime
) -> None:
    h.clock.now = start
    await schedule(h, 1, at, zone)
    # Every 5 minutes: each expected instant is on the grid, the repeated hour is
    # ticked through twelve times.
    await h.run(until=start + timedelta(days=3), step=timedelta(minutes=5))
    posted = local_dates(h, 1, zone)
    assert len(posted) == len(set(posted)) == 3, posted  # one a day, none skipped
    [the_day] = [c for c in h.poster.calls if c.at.astimezone(zone).date() == day]
    assert the_day.at == expected_utc


# ------------------------------------------------------------------------- restarts


async def test_daily_post_after_restart_before_due_time(h: Harness) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    await h.restart()
    h.clock.now = utc(2025, 1, 10, 1, 0)
    assert (await h.tick()).sent == 1


async def test_daily_post_survives_restart_without_duplicate(h: Harness) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    h.clock.now = utc(2025, 1, 10, 1, 0)
    assert (await h.tick()).sent == 1
    await h.restart()
    h.clock.advance(minutes=30)
    assert (await h.tick()).due == 0
    await h.run(until=utc(2025, 1, 11, 1, 5))
    assert local_dates(h, 1, SHANGHAI) == [date(2025, 1, 10), date(2025, 1, 11)]


async def test_crash_between_send_and_mark_sent_records_the_post_found_in_the_channel(h: Harness) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    h.poster.crash_after_send.add(1)
    h.clock.now = utc(2025, 1, 10, 1, 0)
    with pytest.raises(Crash):
        await h.tick()
    post = await h.store.daily.post(1, date(2025, 1, 10))
    assert post is not None and post.status == "claimed" and post.quote_id is not None

    await h.restart(token="process-2")
    h.clock.advance(seconds=60)  # the dead process's lease still holds
    assert (await h.tick()).skipped == 1
    assert h.poster.lookups == 0
    h.clock.advance(seconds=40)  # lease (90 s) expired: take over, look, record
    report = await h.tick()
    assert (report.claimed, report.sent, report.found) == (1, 1, 1)

    assert len(h.poster.calls) == 1  # never sent again
    post = await h.store.daily.post(1, date(2025, 1, 10))
    assert post is not None and post.status == "sent" and post.claimed_by == "process-2"
    assert post.message_id == h.poster.calls[0].message_id
    await h.run(until=utc(2025, 1, 10, 15, 0))
    assert len(h.poster.calls) == 1


async def test_takeover_that_finds_no_post_sends_it_with_the_same_nonce_and_quote(h: Harness) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    h.clock.now = utc(2025, 1, 10, 1, 0)
    claims = await h.store.daily.claim_many([(1, date(2025, 1, 10))], "dead", h.clock())
    chosen = await h.store.daily.choose_quotes(list(claims.values()), {1: QUOTES}, random.Random(1))
    # The dead process never reached Discord.
    h.clock.advance(seconds=95)
    report = await h.tick()
    assert (report.sent, report.found) == (1, 0)
    assert h.poster.lookups == 1
    (call,) = h.poster.calls
    assert call.quote_id == chosen[1] and call.nonce == daily_nonce(1, date(2025, 1, 10))


class FlakyRecord:
    """A store whose ``mark_sent`` fails ``failures`` times first (locked, disk full)."""

    def __init__(self, store: Store, failures: int, error: Exception) -> None:
        self.inner = store.daily
        self.failures = failures
        self.error = error
        self.attempts = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    async def mark_sent(self, *args: object, **kwargs: object) -> None:
        self.attempts += 1
        if self.attempts <= self.failures:
            raise self.error
        await self.inner.mark_sent(*args, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "error",
    [sqlite3.OperationalError("database is locked"), sqlite3.OperationalError("database or disk is full")],
    ids=["locked", "disk-full"],
)
async def test_a_post_that_cannot_be_recorded_is_recorded_later_never_sent_again(
    h: Harness, error: Exception
) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    flaky = FlakyRecord(h.store, 2, error)
    h.dispatcher.store = flaky  # type: ignore[assignment]
    h.clock.now = utc(2025, 1, 10, 1, 0)
    report = await h.tick()  # retries the record (0.2 + 0.4 s of real time)
    assert report.sent == 1 and flaky.attempts == 3
    assert len(h.poster.calls) == 1
    post = await h.store.daily.post(1, date(2025, 1, 10))
    assert post is not None and post.status == "sent"
    await h.run(until=utc(2025, 1, 10, 15, 0))
    assert len(h.poster.calls) == 1


async def test_exhausted_stale_claim_is_recorded_as_sent_when_its_post_exists(h: Harness) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    h.clock.now = utc(2025, 1, 10, 1, 0)
    day = date(2025, 1, 10)
    for attempt in range(3):
        claims = await h.store.daily.claim_many([(1, day)], f"dead-{attempt}", h.clock())
        assert claims
        await h.store.daily.choose_quotes(list(claims.values()), {1: QUOTES}, random.Random(1))
        h.clock.advance(seconds=95)
    sch = await h.store.daily.get_schedule(1)
    assert sch is not None
    post = await h.store.daily.post(1, day)
    assert post is not None and post.quote_id is not None
    message_id = await h.poster.post(sch, post.quote_id, daily_nonce(1, day))  # the last one got through
    report = await h.tick()
    assert (report.sent, report.found, report.failed) == (1, 1, 0)
    post = await h.store.daily.post(1, day)
    assert post is not None and post.status == "sent" and post.message_id == message_id


async def test_a_channel_whose_history_cannot_be_read_pauses_instead_of_risking_a_second_post(
    h: Harness,
) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    h.clock.now = utc(2025, 1, 10, 1, 0)
    await h.store.daily.claim_many([(1, date(2025, 1, 10))], "dead", h.clock())
    h.poster.lookup_errors[1] = HistoryUnreadable("HTTP 403, code 50001")
    h.clock.advance(seconds=95)
    report = await h.tick()
    assert report.paused == 1 and h.poster.calls == []
    sch = await h.store.daily.get_schedule(1)
    assert sch is not None and sch.paused_reason == "history: HTTP 403, code 50001"


async def test_downtime_catches_up_today_but_not_yesterday(h: Harness) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    await schedule(h, 2, time(9, 0), SHANGHAI)
    h.clock.now = utc(2025, 1, 10, 1, 0)
    await h.tick()
    # Down from 09:01 on the 10th until 12:00 on the 12th (local): the 11th is lost,
    # the 12th, overdue by three hours, is posted once.
    h.clock.now = utc(2025, 1, 12, 4, 0)
    report = await h.tick()
    assert report.sent == 2
    await h.run(until=utc(2025, 1, 12, 12, 0))
    assert local_dates(h, 1, SHANGHAI) == [date(2025, 1, 10), date(2025, 1, 12)]


async def test_downtime_ending_before_todays_time_waits_for_it(h: Harness) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    h.clock.now = utc(2025, 1, 12, 0, 0)  # 08:00 on the 12th: the 10th and 11th passed
    report = await h.tick()
    assert (report.due, report.sent, report.advanced) == (1, 0, 1)
    s = await h.store.daily.get_schedule(1)
    assert s is not None and s.next_run_utc == utc(2025, 1, 12, 1, 0)
    assert await h.dispatcher.seconds_until_next(3600) == 3600
    h.clock.now = utc(2025, 1, 12, 0, 30)
    assert await h.dispatcher.seconds_until_next(3600) == 1800
    await h.run(until=utc(2025, 1, 12, 2, 0))
    assert local_dates(h, 1, SHANGHAI) == [date(2025, 1, 12)]


# ----------------------------------------------------------- processes and shards


async def test_two_processes_on_one_database_post_exactly_once_per_guild(h: Harness) -> None:
    guilds = list(range(1, 61))
    for g in guilds:
        await schedule(h, g, time(9, 0), SHANGHAI)
    other = await Store.open(h.path)
    try:
        d2 = make_dispatcher(other, h.poster, h.clock, token="process-2")
        h.clock.now = utc(2025, 1, 10, 1, 0)
        r1, r2 = await asyncio.gather(h.tick(), d2.tick())
        assert r1.sent + r2.sent == len(guilds)
        assert r1.claimed + r2.claimed == len(guilds)
        assert sorted(c.guild_id for c in h.poster.calls) == guilds
        # Again, both at once, a minute later and the next day.
        h.clock.advance(minutes=1)
        await asyncio.gather(h.tick(), d2.tick())
        h.clock.now = utc(2025, 1, 11, 1, 0)
        await asyncio.gather(h.tick(), d2.tick())
        assert sorted(c.guild_id for c in h.poster.calls) == sorted(guilds * 2)
    finally:
        await other.close()


async def test_each_shard_posts_only_its_own_guilds(h: Harness) -> None:
    # shard = (guild_id >> 22) % 2
    even = [(2 * n) << 22 | 5 for n in range(1, 6)]
    odd = [(2 * n + 1) << 22 | 5 for n in range(1, 6)]
    for g in even + odd:
        await schedule(h, g, time(9, 0), SHANGHAI, channel=1)
    shard1 = await Store.open(h.path)
    try:
        d0 = make_dispatcher(h.store, h.poster, h.clock, shard_count=2, shard_ids=(0,))
        d1 = make_dispatcher(shard1, h.poster, h.clock, token="p2", shard_count=2, shard_ids=(1,))
        h.clock.now = utc(2025, 1, 10, 1, 0)
        r0 = await d0.tick()
        assert sorted(c.guild_id for c in h.poster.calls) == sorted(even)
        assert r0.due == len(even)
        r1 = await d1.tick()
        assert r1.due == len(odd)
        assert sorted(c.guild_id for c in h.poster.calls) == sorted(even + odd)
    finally:
        await shard1.close()


async def test_ten_thousand_guilds_due_in_one_minute_all_post_once_in_one_tick(
    h: Harness,
) -> None:
    n = 10_000
    due = iso_utc(utc(2025, 1, 10, 1, 0))
    stamp = iso_utc(h.clock.now)
    async with h.store.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO daily_schedules (guild_id, channel_id, local_time, timezone, lang,"
            " topic, enabled, paused_reason, next_run_utc, last_local_date, created_at,"
            " updated_at) VALUES (?, ?, '09:00', 'Asia/Shanghai', NULL, NULL, 1, NULL, ?,"
            " NULL, ?, ?)",
            [(g << 22, g, due, stamp, stamp) for g in range(1, n + 1)],
        )
    h.clock.now = utc(2025, 1, 10, 1, 0) + timedelta(seconds=30)
    started = wallclock.perf_counter()
    report = await h.tick()
    elapsed = wallclock.perf_counter() - started
    assert (report.due, report.claimed, report.sent, report.errors) == (n, n, n, 0)
    assert len({c.guild_id for c in h.poster.calls}) == len(h.poster.calls) == n
    assert (await h.tick()).due == 0
    sent = await h.store.db.fetchval("SELECT count(*) FROM daily_posts WHERE status = 'sent'")
    assert sent == n
    # Typically ~4 s; the bound only catches a quadratic slip, not a busy machine.
    assert elapsed < 30, f"one tick for {n} guilds took {elapsed:.1f}s"


# ------------------------------------------------------------------------ failures


async def test_deleted_channel_pauses_with_reason_and_others_still_post(h: Harness) -> None:
    for g in (1, 2, 3):
        await schedule(h, g, time(9, 0), SHANGHAI)
    h.poster.errors[2] = ChannelGone("Unknown Channel")
    h.clock.now = utc(2025, 1, 10, 1, 0)
    report = await h.tick()
    assert (report.sent, report.paused) == (2, 1)
    s = await h.store.daily.get_schedule(2)
    assert s is not None and not s.enabled and s.paused
    assert s.paused_reason == "channel_gone: Unknown Channel"
    post = await h.store.daily.last_post(2)
    assert post is not None and post.status == "failed" and post.error == s.paused_reason
    await h.run(until=utc(2025, 1, 12, 2, 0), step=timedelta(minutes=5))
    assert len(h.poster.for_guild(2)) == 1  # one failed attempt, never retried
    assert len(h.poster.for_guild(1)) == len(h.poster.for_guild(3)) == 3


async def test_missing_permission_pauses_and_resume_clears_it(h: Harness) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    h.poster.errors[1] = PostForbidden("Missing Permissions")
    h.clock.now = utc(2025, 1, 10, 1, 0)
    assert (await h.tick()).paused == 1
    s = await h.store.daily.get_schedule(1)
    assert s is not None and s.paused_reason == "forbidden: Missing Permissions"
    await h.run(until=utc(2025, 1, 10, 6, 0), step=timedelta(minutes=5))
    assert len(h.poster.calls) == 1

    # The admin fixes the permission and resumes the same day: today stays failed
    # (one attempt a day), posting resumes tomorrow.
    del h.poster.errors[1]
    resumed = await h.store.daily.resume(1, now=h.clock.now)
    assert resumed is not None and resumed.enabled and resumed.paused_reason is None
    assert resumed.next_run_utc == utc(2025, 1, 11, 1, 0)
    await h.run(until=utc(2025, 1, 11, 2, 0), step=timedelta(minutes=5))
    assert local_dates(h, 1, SHANGHAI) == [date(2025, 1, 10), date(2025, 1, 11)]
    last = await h.store.daily.last_post(1)
    assert last is not None and last.status == "sent"


async def test_transient_errors_retry_a_few_times_a_day_without_spamming(h: Harness) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    await schedule(h, 2, time(9, 0), SHANGHAI)
    h.poster.errors[1] = TransientPostError("503 Service Unavailable")
    await h.run(until=utc(2025, 1, 10, 15, 59), step=timedelta(minutes=1))
    attempts = h.poster.for_guild(1)
    assert [c.at for c in attempts] == [
        utc(2025, 1, 10, 1, 0),
        utc(2025, 1, 10, 1, 5),
        utc(2025, 1, 10, 1, 20),
    ]
    assert len({c.nonce for c in attempts}) == 1
    post = await h.store.daily.last_post(1)
    assert post is not None and post.status == "failed" and post.attempts == 3
    assert post.error is not None and "503" in post.error
    s = await h.store.daily.get_schedule(1)
    assert s is not None and s.enabled  # transient trouble never pauses
    assert len(h.poster.for_guild(2)) == 1

    del h.poster.errors[1]
    await h.run(until=utc(2025, 1, 11, 1, 1))
    assert local_dates(h, 1, SHANGHAI)[-1] == date(2025, 1, 11)


async def test_transient_error_then_success_posts_once_that_day(h: Harness) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    h.poster.errors[1] = TransientPostError("timeout")
    h.clock.now = utc(2025, 1, 10, 1, 0)
    assert (await h.tick()).retrying == 1
    del h.poster.errors[1]
    await h.run(until=utc(2025, 1, 10, 12, 0))
    assert [c.at for c in h.poster.calls] == [utc(2025, 1, 10, 1, 0), utc(2025, 1, 10, 1, 5)]
    assert h.poster.calls[0].quote_id == h.poster.calls[1].quote_id
    last = await h.store.daily.last_post(1)
    assert last is not None and last.status == "sent" and last.attempts == 2


async def test_an_unexpected_error_for_one_guild_does_not_stop_the_others(h: Harness) -> None:
    for g in (1, 2):
        await schedule(h, g, time(9, 0), SHANGHAI)
    h.poster.errors[1] = RuntimeError("bug in rendering")
    h.clock.now = utc(2025, 1, 10, 1, 0)
    report = await h.tick()
    assert (report.sent, report.retrying) == (1, 1)


async def test_topic_with_no_quotes_fails_the_day_without_pausing(h: Harness) -> None:
    async def none(topic: str | None) -> list[str]:
        return []

    h.dispatcher = make_dispatcher(h.store, h.poster, h.clock, eligible=none)
    await schedule(h, 1, time(9, 0), SHANGHAI, topic="empty")
    h.clock.now = utc(2025, 1, 10, 1, 0)
    assert (await h.tick()).failed == 1
    assert h.poster.calls == []
    s = await h.store.daily.get_schedule(1)
    assert s is not None and s.enabled and s.next_run_utc == utc(2025, 1, 11, 1, 0)


async def test_disabled_schedule_never_posts(h: Harness) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    await h.store.daily.disable(1, now=h.clock.now)
    await h.run(until=utc(2025, 1, 12), step=timedelta(minutes=10))
    assert h.poster.calls == []


# ------------------------------------------------------------------------ rotation


async def test_daily_quotes_do_not_repeat_until_every_quote_was_posted(h: Harness) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    await h.run(until=utc(2025, 1, 10) + timedelta(days=len(QUOTES) * 2), step=timedelta(hours=1))
    quotes = [c.quote_id for c in h.poster.calls]
    assert len(quotes) == 2 * len(QUOTES)
    first, second = quotes[: len(QUOTES)], quotes[len(QUOTES) :]
    assert sorted(first) == sorted(second) == QUOTES
    assert second[0] != first[-1]
    progress = await h.store.daily.rotation_progress(1, QUOTES)
    assert (progress.posted, progress.total) == (len(QUOTES), len(QUOTES))


async def test_daily_settings_survive_a_reimport_of_the_knowledge_base(
    mini: tuple[Store, Knowledge], minipack: Path, tmp_path: Path
) -> None:
    store, _ = mini
    clock = Clock(utc(2025, 1, 10))
    poster = FakePoster(clock)

    async def eligible(topic: str | None) -> list[str]:
        return await store.content.quote_ids(topic)

    dispatcher = make_dispatcher(store, poster, clock, eligible=eligible)
    await store.daily.set_schedule(1, 2, time(9, 0), SHANGHAI, now=clock.now, topic="revenue")
    clock.now = utc(2025, 1, 10, 1, 0)
    await dispatcher.tick()
    [first] = poster.calls
    before = await store.daily.get_schedule(1)

    pack, problems = load_pack(minipack)
    assert problems == []
    revenue = await store.content.quote_ids("revenue")
    gone = next(q for q in revenue if q != first.quote_id)
    del pack.quotes[gone]
    assert await store.content.import_pack(pack, force=True)

    assert await store.daily.get_schedule(1) == before
    last = await store.daily.last_post(1)
    assert last is not None and last.quote_id == first.quote_id
    now_eligible = await store.content.quote_ids("revenue")
    assert gone not in now_eligible
    progress = await store.daily.rotation_progress(1, now_eligible)
    assert (progress.posted, progress.total) == (1, len(now_eligible))

    clock.now = utc(2025, 1, 11, 1, 0)
    await dispatcher.tick()
    assert poster.calls[-1].quote_id in now_eligible
    assert poster.calls[-1].quote_id != first.quote_id


# --------------------------------------------------------------------- the loop


def test_nonce_is_short_and_stable() -> None:
    nonce = daily_nonce(1234567890123456789, date(2025, 1, 10))
    assert len(nonce) <= 25
    assert nonce == daily_nonce(1234567890123456789, date(2025, 1, 10))
    assert nonce != daily_nonce(1234567890123456789, date(2025, 1, 11))
    assert nonce != daily_nonce(1234567890123456788, date(2025, 1, 10))


async def test_run_forever_ticks_and_stops_when_asked(h: Harness) -> None:
    await schedule(h, 1, time(9, 0), SHANGHAI)
    h.clock.now = utc(2025, 1, 10, 1, 0)
    stop = asyncio.Event()
    task = asyncio.create_task(h.dispatcher.run_forever(0.01, stop))
    for _ in range(200):
        if h.poster.calls:
            break
        await asyncio.sleep(0.005)
    stop.set()
    await asyncio.wait_for(task, timeout=2)
    assert len(h.poster.calls) == 1
