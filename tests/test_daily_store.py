"""bot.store.daily on real SQLite files: schedules, the per-day claim, the rotation."""

from __future__ import annotations

import itertools
import random
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiosqlite
import pytest

from bot.store import Store
from bot.store.database import _statements
from bot.store.migrations import MIGRATIONS

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 1, 10, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = await Store.open(tmp_path / "db.sqlite3")
    yield s
    await s.close()


async def post_next(store: Store, guild_id: int, eligible: list[str], rng: random.Random,
                    day: date) -> str:
    """Claim, pick and mark one day's post the way the dispatcher does."""
    assert await store.daily.claim(guild_id, day, "t", NOW)
    quote = await store.daily.next_quote(guild_id, eligible, rng)
    assert quote is not None
    await store.daily.mark_sent(guild_id, day, 1, quote, NOW + timedelta(days=1), now=NOW)
    return quote


# ------------------------------------------------------------------- schema


async def test_daily_tables_arrive_as_migrations_2_and_3(store: Store) -> None:
    assert (await store.db.applied_migrations())[:3] == [1, 2, 3]
    tables = {r[0] for r in await store.db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"daily_schedules", "daily_posts", "daily_cycles"} <= tables
    assert "daily_rotation" not in tables  # migration 3 replaced it


async def test_due_query_uses_its_index(store: Store) -> None:
    plan = await store.db.fetchall(
        "EXPLAIN QUERY PLAN SELECT guild_id FROM daily_schedules"
        " WHERE enabled = 1 AND next_run_utc <= ? ORDER BY next_run_utc, guild_id LIMIT 10",
        ("2025-01-01T00:00:00+00:00",),
    )
    assert any("daily_schedules_due" in str(row[-1]) for row in plan)


# ---------------------------------------------------------------- schedules


async def test_set_schedule_round_trips_and_computes_next_run(store: Store) -> None:
    s = await store.daily.set_schedule(
        42, 7, time(9, 0), SHANGHAI, now=NOW, lang="zh-Hans", topic="revenue"
    )
    assert (s.guild_id, s.channel_id, s.local_time, s.timezone) == (42, 7, time(9), "Asia/Shanghai")
    assert (s.lang, s.topic, s.enabled, s.paused_reason) == ("zh-Hans", "revenue", True, None)
    assert s.next_run_utc == datetime(2025, 1, 10, 1, 0, tzinfo=UTC)
    assert s.last_local_date is None
    assert await store.daily.get_schedule(42) == s
    assert await store.daily.get_schedule(43) is None


async def test_set_schedule_reenables_and_clears_pause(store: Store) -> None:
    await store.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
    await store.daily.pause(42, "channel gone", now=NOW)
    paused = await store.daily.get_schedule(42)
    assert paused is not None and paused.paused and paused.paused_reason == "channel gone"
    s = await store.daily.set_schedule(42, 8, time(10, 0), SHANGHAI, now=NOW)
    assert s.enabled and s.paused_reason is None and s.channel_id == 8


async def test_changing_time_after_todays_post_never_posts_twice_that_day(store: Store) -> None:
    await store.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
    today = date(2025, 1, 10)
    at_post = datetime(2025, 1, 10, 1, 0, tzinfo=UTC)
    assert await store.daily.claim(42, today, "t", at_post)
    await store.daily.mark_sent(
        42, today, 99, "q1", datetime(2025, 1, 11, 1, 0, tzinfo=UTC), now=at_post
    )
    # At 10:00 local an admin moves the post to 21:00: today's is done, so tomorrow.
    s = await store.daily.set_schedule(42, 7, time(21, 0), SHANGHAI, now=at_post + timedelta(hours=1))
    assert s.next_run_utc == datetime(2025, 1, 11, 13, 0, tzinfo=UTC)
    assert s.last_local_date == today


async def test_disable_and_resume(store: Store) -> None:
    await store.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
    assert await store.daily.disable(42, now=NOW)
    assert not await store.daily.disable(43, now=NOW)
    assert await store.daily.due(NOW + timedelta(days=3), 1, [0], 10) == []
    later = NOW + timedelta(days=3)
    s = await store.daily.resume(42, now=later)
    assert s is not None and s.enabled and s.paused_reason is None
    assert s.next_run_utc == datetime(2025, 1, 13, 1, 0, tzinfo=UTC)
    assert await store.daily.resume(43, now=later) is None


async def test_due_filters_shards_in_sql(store: Store) -> None:
    # shard = (guild_id >> 22) % shard_count
    guilds = {shard: [(n * 3 + shard) << 22 for n in range(1, 4)] for shard in range(3)}
    for ids in guilds.values():
        for g in ids:
            await store.daily.set_schedule(g, 1, time(9, 0), SHANGHAI, now=NOW)
    later = NOW + timedelta(hours=2)
    for shard, ids in guilds.items():
        got = [s.guild_id for s in await store.daily.due(later, 3, [shard], 100)]
        assert sorted(got) == sorted(ids)
    both = [s.guild_id for s in await store.daily.due(later, 3, [0, 2], 100)]
    assert sorted(both) == sorted(guilds[0] + guilds[2])
    assert len(await store.daily.due(later, 1, [0], 100)) == 9
    assert await store.daily.due(NOW, 3, [0, 1, 2], 100) == []  # not yet 09:00


async def test_due_pages_with_a_keyset_cursor(store: Store) -> None:
    for g in range(1, 8):
        await store.daily.set_schedule(g, 1, time(9, 0), SHANGHAI, now=NOW)
    later = NOW + timedelta(hours=2)
    seen: list[int] = []
    after = None
    while page := await store.daily.due(later, 1, [0], 3, after=after):
        seen += [s.guild_id for s in page]
        after = (page[-1].next_run_utc, page[-1].guild_id)
    assert seen == list(range(1, 8))


# -------------------------------------------------------------------- claim


async def test_only_one_claim_per_guild_and_day_across_connections(tmp_path: Path) -> None:
    a = await Store.open(tmp_path / "db.sqlite3")
    b = await Store.open(tmp_path / "db.sqlite3")
    try:
        await a.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
        day = date(2025, 1, 10)
        assert await a.daily.claim(42, day, "process-a", NOW)
        assert not await b.daily.claim(42, day, "process-b", NOW)
        assert not await a.daily.claim(42, day, "process-a", NOW)
        assert await b.daily.claim(42, day + timedelta(days=1), "process-b", NOW)
    finally:
        await a.close()
        await b.close()


async def test_stale_claim_is_taken_over_only_after_the_lease(store: Store) -> None:
    await store.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
    day = date(2025, 1, 10)
    assert await store.daily.claim(42, day, "dead", NOW)
    await store.daily.set_claim_quote(42, day, "dead", "q-7")
    assert await store.daily.claim_post(42, day, "new", NOW + timedelta(seconds=89)) is None
    claim = await store.daily.claim_post(42, day, "new", NOW + timedelta(seconds=90))
    assert claim is not None and claim.attempts == 2 and claim.quote_id == "q-7"
    post = await store.daily.post(42, day)
    assert post is not None and post.claimed_by == "new" and post.status == "claimed"


async def test_sent_and_failed_days_are_never_claimed_again(store: Store) -> None:
    await store.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
    day = date(2025, 1, 10)
    assert await store.daily.claim(42, day, "t", NOW)
    await store.daily.mark_sent(42, day, 5, "q", NOW + timedelta(days=1), now=NOW)
    assert not await store.daily.claim(42, day, "u", NOW + timedelta(days=1))
    other = day + timedelta(days=1)
    assert await store.daily.claim(42, other, "t", NOW)
    await store.daily.mark_failed(42, other, "gone", NOW + timedelta(days=2), now=NOW)
    assert not await store.daily.claim(42, other, "u", NOW + timedelta(days=1))


async def test_released_claim_is_retried_at_most_max_attempts(store: Store) -> None:
    await store.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
    day = date(2025, 1, 10)
    attempts = []
    while (claim := await store.daily.claim_post(42, day, "t", NOW, max_attempts=3)) is not None:
        attempts.append(claim.attempts)
        await store.daily.release_for_retry(42, day, "503", NOW, now=NOW)
    assert attempts == [1, 2, 3]


async def test_disabled_schedule_cannot_be_claimed(store: Store) -> None:
    await store.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
    await store.daily.disable(42, now=NOW)
    assert not await store.daily.claim(42, date(2025, 1, 10), "t", NOW)
    assert not await store.daily.claim(43, date(2025, 1, 10), "t", NOW)  # no schedule


async def test_last_post_is_the_latest_local_date(store: Store) -> None:
    await store.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
    assert await store.daily.last_post(42) is None
    for offset, message in ((0, 10), (1, 11)):
        day = date(2025, 1, 10) + timedelta(days=offset)
        assert await store.daily.claim(42, day, "t", NOW)
        await store.daily.mark_sent(42, day, message, f"q{offset}", NOW + timedelta(days=2), now=NOW)
    last = await store.daily.last_post(42)
    assert last is not None
    assert (last.local_date, last.status, last.message_id, last.quote_id) == (
        date(2025, 1, 11), "sent", 11, "q1",
    )


# ----------------------------------------------------------------- rotation


async def test_rotation_posts_every_quote_once_before_any_repeats(store: Store) -> None:
    await store.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
    eligible = [f"q{i}" for i in range(7)]
    rng = random.Random(1)
    day = date(2025, 1, 10)
    first_cycle = []
    for i in range(7):
        first_cycle.append(await post_next(store, 42, eligible, rng, day + timedelta(days=i)))
        progress = await store.daily.rotation_progress(42, eligible)
        assert (progress.posted, progress.total) == (i + 1, 7)
    assert sorted(first_cycle) == eligible
    second_cycle = [
        await post_next(store, 42, eligible, rng, day + timedelta(days=7 + i)) for i in range(7)
    ]
    assert sorted(second_cycle) == eligible
    assert second_cycle[0] != first_cycle[-1]
    assert second_cycle != first_cycle  # reshuffled (fixed seed)


async def test_new_cycle_never_opens_with_the_quote_that_closed_the_last(tmp_path: Path) -> None:
    for seed in range(40):
        s = await Store.open(tmp_path / f"db{seed}.sqlite3")
        try:
            await s.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
            rng = random.Random(seed)
            posts = [
                await post_next(s, 42, ["a", "b"], rng, date(2025, 1, 1) + timedelta(days=i))
                for i in range(6)
            ]
            assert all(x != y for x, y in itertools.pairwise(posts)), posts
        finally:
            await s.close()


async def test_new_quotes_join_and_removed_quotes_drop_out_mid_cycle(store: Store) -> None:
    await store.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
    rng = random.Random(3)
    day = date(2025, 1, 10)
    eligible = ["a", "b", "c", "d", "e"]
    posted = [await post_next(store, 42, eligible, rng, day + timedelta(days=i)) for i in range(2)]
    unposted = [q for q in eligible if q not in posted]
    gone = unposted[0]
    eligible = [q for q in eligible if q != gone] + ["f", "g"]
    progress = await store.daily.rotation_progress(42, eligible)
    assert (progress.posted, progress.total) == (2, 6)
    rest = [
        await post_next(store, 42, eligible, rng, day + timedelta(days=2 + i)) for i in range(4)
    ]
    assert gone not in rest
    assert sorted(posted + rest) == sorted(eligible)  # every eligible quote exactly once
    # The cycle is complete only now; the next post starts a new one.
    nxt = await post_next(store, 42, eligible, rng, day + timedelta(days=6))
    assert nxt != rest[-1]
    assert (await store.daily.rotation_progress(42, eligible)).posted == 1


async def test_a_quote_removed_and_restored_keeps_its_posted_state(store: Store) -> None:
    await store.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
    rng = random.Random(5)
    day = date(2025, 1, 10)
    first = await post_next(store, 42, ["a", "b", "c"], rng, day)
    without = [q for q in ["a", "b", "c"] if q != first]
    second = await post_next(store, 42, without, rng, day + timedelta(days=1))
    third = await post_next(store, 42, ["a", "b", "c"], rng, day + timedelta(days=2))
    assert sorted([first, second, third]) == ["a", "b", "c"]


async def test_rotation_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    eligible = [f"q{i}" for i in range(5)]
    s = await Store.open(path)
    await s.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
    posted = [
        await post_next(s, 42, eligible, random.Random(i), date(2025, 1, 1) + timedelta(days=i))
        for i in range(3)
    ]
    await s.close()
    s = await Store.open(path)
    try:
        assert (await s.daily.rotation_progress(42, eligible)).posted == 3
        rest = [
            await post_next(s, 42, eligible, random.Random(9), date(2025, 1, 4) + timedelta(days=i))
            for i in range(2)
        ]
        assert sorted(posted + rest) == eligible
    finally:
        await s.close()


async def test_nothing_eligible_gives_no_quote(store: Store) -> None:
    assert await store.daily.next_quote(42, [], random.Random(0)) is None
    assert (await store.daily.rotation_progress(42, [])).total == 0


async def test_rotation_state_is_one_row_per_server_whatever_the_quotes(store: Store) -> None:
    await store.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
    eligible = [f"q{i:03d}" for i in range(30)]
    rng = random.Random(11)
    day = date(2025, 1, 10)
    posts = [await post_next(store, 42, eligible, rng, day + timedelta(days=i)) for i in range(31)]
    assert sorted(posts[:30]) == eligible and posts[30] != posts[29]
    rows = await store.db.fetchall("SELECT guild_id, cycle, last_quote_id FROM daily_cycles")
    assert [tuple(r) for r in rows] == [(42, 2, posts[29])]
    assert (await store.daily.rotation_progress(42, eligible)).posted == 1


async def test_first_posts_of_a_thousand_servers_write_no_row_per_quote(store: Store) -> None:
    eligible = [f"q{i:03d}" for i in range(245)]
    guilds = list(range(1, 1001))
    async with store.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO daily_schedules (guild_id, channel_id, local_time, timezone, next_run_utc,"
            " created_at, updated_at) VALUES (?, 1, '09:00', 'Asia/Shanghai', ?, ?, ?)",
            [(g, NOW.isoformat(), NOW.isoformat(), NOW.isoformat()) for g in guilds],
        )
    day = date(2025, 1, 10)
    claims = await store.daily.claim_many([(g, day) for g in guilds], "t", NOW)
    chosen = await store.daily.choose_quotes(
        list(claims.values()), dict.fromkeys(guilds, eligible), random.Random(2)
    )
    assert len(chosen) == 1000 and all(q in eligible for q in chosen.values())
    assert len(set(chosen.values())) > 100  # each server has its own order
    for g, quote_id in chosen.items():
        assert quote_id is not None
        await store.daily.mark_sent(g, day, g, quote_id, NOW + timedelta(days=1), now=NOW)
    counts = {
        table: await store.db.fetchval(f"SELECT count(*) FROM {table}")
        for table in ("daily_schedules", "daily_posts", "daily_cycles")
    }
    assert counts == {"daily_schedules": 1000, "daily_posts": 1000, "daily_cycles": 1000}
    progress = await store.daily.rotation_progress(500, eligible)
    assert (progress.posted, progress.total) == (1, 245)


async def test_preview_and_the_post_that_follows_show_the_same_quote(store: Store) -> None:
    await store.daily.set_schedule(42, 7, time(9, 0), SHANGHAI, now=NOW)
    eligible = ["a", "b", "c", "d"]
    day = date(2025, 1, 10)
    for i in range(9):  # through the start of new cycles too
        preview = await store.daily.next_quote(42, eligible, random.Random(100 + i))
        assert await post_next(store, 42, eligible, random.Random(200 + i), day + timedelta(days=i)) == preview


async def test_migration_3_carries_the_current_cycle_over(tmp_path: Path) -> None:
    """A database at migration 2 with daily_rotation state upgrades without losing it."""
    path = tmp_path / "db.sqlite3"
    conn = await aiosqlite.connect(path, isolation_level=None)
    await conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)"
    )
    for version, name, sql in MIGRATIONS[:2]:
        for statement in _statements(sql):
            await conn.execute(statement)
        await conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, name, NOW.isoformat()))
    stamp = NOW.isoformat()
    for g in (42, 43, 44, 45):
        await conn.execute(
            "INSERT INTO daily_schedules (guild_id, channel_id, local_time, timezone, next_run_utc,"
            " created_at, updated_at) VALUES (?, 1, '09:00', 'Asia/Shanghai', ?, ?, ?)",
            (g, stamp, stamp, stamp),
        )
    history = {
        42: ["a", "b", "c", "d", "b", "a"],  # cycle 1: a b c d; cycle 2 so far: b a
        43: ["x", "y"],  # cycle 1 done, cycle 2 shuffled but nothing posted yet
        44: ["a"],  # first cycle under way
    }
    for g, quotes in history.items():
        for i, quote_id in enumerate(quotes):
            await conn.execute(
                "INSERT INTO daily_posts (guild_id, local_date, status, claimed_by, claimed_at,"
                " quote_id, message_id, updated_at) VALUES (?, ?, 'sent', 't', ?, ?, ?, ?)",
                (g, (date(2025, 1, 1) + timedelta(days=i)).isoformat(), stamp, quote_id, i, stamp),
            )
    rotation = {
        42: [("b", 0, 1), ("a", 1, 2), ("c", 2, None), ("d", 3, None)],
        43: [("x", 0, None), ("y", 1, None)],
        44: [("a", 0, 1), ("b", 1, None)],
    }
    for g, rows in rotation.items():
        await conn.executemany(
            "INSERT INTO daily_rotation (guild_id, quote_id, position, posted_seq) VALUES (?, ?, ?, ?)",
            [(g, *row) for row in rows],
        )
    await conn.close()

    s = await Store.open(path)
    try:
        assert (await s.db.applied_migrations())[:3] == [1, 2, 3]
        cycles = {
            int(r[0]): (r[1], r[2])
            for r in await s.db.fetchall("SELECT guild_id, started_after, last_quote_id FROM daily_cycles")
        }
        assert cycles == {42: ("2025-01-04", "d"), 43: ("2025-01-02", "y"), 44: (None, None)}
        assert (await s.daily.rotation_progress(42, ["a", "b", "c", "d"])).posted == 2
        assert (await s.daily.rotation_progress(43, ["x", "y"])).posted == 0
        assert (await s.daily.rotation_progress(44, ["a", "b"])).posted == 1
        day = date(2025, 2, 1)
        rng = random.Random(0)
        rest = [await post_next(s, 42, ["a", "b", "c", "d"], rng, day + timedelta(days=i)) for i in range(2)]
        assert sorted(rest) == ["c", "d"]
        assert await post_next(s, 43, ["x", "y"], rng, day) == "x"  # never y right after y
        assert await post_next(s, 44, ["a", "b"], rng, day) == "b"
        tables = [r[0] for r in await s.db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert "daily_rotation" not in tables
    finally:
        await s.close()
