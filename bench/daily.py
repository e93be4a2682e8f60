"""The daily quote at scale: the dispatcher's tick over 100,000 schedules, and 10,000 posts
delivered through the fake Discord under a rate limit, with a crash-and-restart variant.

Part 1 (no Discord): 100,000 schedules in SQLite, K of them due on this process's shard
(shard 0 of 2) and K more due on the other shard. It times ``DailyStore.due`` (the batched
keyset pass the tick makes), ``DailyStore.claim_many`` and a full ``DailyDispatcher.tick``
with a poster that returns message ids at once. Baselines in the same run: the same due
pass with the ``daily_schedules_due`` index dropped, a naive "load every schedule and
filter in Python", and claiming one day per transaction (``claim_post``).

Part 2 (fake Discord on 127.0.0.1): N schedules due now, one server and one channel each,
posted by the real ``DiscordPoster`` through a ``discord.Client`` logged in to the fake
(REST only, no gateway). Three runs on copies of one database: no rate limit (the
machine's floor), a global rate limit of L per P seconds (plus Discord's advertised
per-channel 5 per 5 s), and the same limit with the dispatcher cancelled mid-drain and a
second dispatcher, on a new connection to the same file, taking over after the claim lease.
The crash run is in real time: the fake forgets a nonce after ``--nonce-window`` seconds (as
Discord does after a few minutes), the lease is ``--lease`` seconds, and the restart waits
until both have passed, so every re-send of a post the first process made would be a new
message unless the takeover finds it in the channel. A same-run baseline repeats the crash
with a poster that never looks (the old design). It counts duplicates (messages per server
and local date beyond the first; goal 0) and missing posts, and compares the drain time with
the limit's own lower bound N / (L / P).

    .venv/bin/python -m bench.daily            # table
    .venv/bin/python -m bench.daily --json     # one JSON object
    .venv/bin/python -m bench.daily --posts 2000 --rate 100   # quicker

Prints figures only; never asserts on timings.
"""

# ruff: noqa: ASYNC109
from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import io
import logging
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import discord
import discord.http

from bench._stats import ratio, run_and_report, summary, table
from bot.daily import DailyDispatcher, TickReport
from bot.discordbot.daily_poster import DiscordPoster
from bot.pack import DEFAULT_DATA_DIR
from bot.service import open_knowledge
from bot.store import Store
from bot.store.daily import _SCHEDULE_COLS, Schedule, _schedule, iso_utc
from tests.fakediscord import ChannelConfig, FakeConfig, FakeDiscord, GuildConfig

# A fixed instant: every zone below has the same local date from BASE - 1 h to BASE + 20 min.
BASE = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)
ZONES = [ZoneInfo(z) for z in (
    "UTC", "Asia/Shanghai", "America/New_York", "Europe/London", "Asia/Kolkata",
    "Australia/Sydney", "America/Los_Angeles", "Asia/Tokyo", "Asia/Taipei", "Europe/Berlin",
)]
SHARDS = 2
MY_SHARDS = (0,)
BATCH = 500  # DailyDispatcher's default batch_size
TOKEN = "fake-token-bench-daily"
INSERT = (
    f"INSERT INTO daily_schedules ({_SCHEDULE_COLS})"
    " VALUES (?, ?, ?, ?, NULL, NULL, ?, NULL, ?, NULL, ?, ?)"
)
DUE_SQL = (  # DailyStore.due's statement with a keyset cursor, for EXPLAIN QUERY PLAN
    f"SELECT {_SCHEDULE_COLS} FROM daily_schedules WHERE enabled = 1 AND next_run_utc <= ?"
    " AND ((guild_id >> 22) % ?) IN (?) AND (next_run_utc, guild_id) > (?, ?)"
    " ORDER BY next_run_utc, guild_id LIMIT ?"
)


def guild_id(i: int) -> int:
    """A snowflake-like id whose shard ((id >> 22) % 2) is i % 2."""
    return ((1_000_000_000 + i) << 22) | (i % 4096)


def _row(gid: int, channel: int, due: datetime, zone: ZoneInfo, enabled: int = 1) -> tuple[Any, ...]:
    local = due.astimezone(zone)
    stamp = iso_utc(BASE - timedelta(days=3))
    return (gid, channel, f"{local.hour:02d}:{local.minute:02d}", zone.key, enabled, iso_utc(due),
            stamp, stamp)


def _due_instant(rng: random.Random, zone: ZoneInfo) -> datetime:
    """Whole minutes in [BASE - 60 min, BASE - 1 min], on the same local date as BASE."""
    due = BASE - timedelta(minutes=rng.randint(1, 60))
    assert due.astimezone(zone).date() == BASE.astimezone(zone).date() == (
        BASE + timedelta(minutes=20)).astimezone(zone).date()
    return due


async def _insert(store: Store, rows: list[tuple[Any, ...]]) -> None:
    async with store.db.transaction() as conn:
        await conn.executemany(INSERT, rows)


async def _copy(store: Store, target: Path) -> None:
    await store.db.fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(store.db.path, target)


def _ms(seconds: float) -> float:
    return seconds * 1000


# ============================================================================ part 1


def build_rows(n: int, due_mine: int, rng: random.Random) -> tuple[list[tuple[Any, ...]], int]:
    """``n`` schedules: ``due_mine`` due on shard 0, as many due on shard 1, 5 % disabled
    with a stale next run (paused servers keep theirs), the rest due within 24 h."""
    idx = list(range(n))
    rng.shuffle(idx)
    mine = [i for i in idx if i % 2 == 0][:due_mine]
    other = [i for i in idx if i % 2 == 1][:due_mine]
    due_set = set(mine) | set(other)
    rows: list[tuple[Any, ...]] = []
    for i in range(n):
        zone = ZONES[i % len(ZONES)]
        gid = guild_id(i)
        if i in due_set:
            rows.append(_row(gid, gid + 1, _due_instant(rng, zone), zone))
        elif rng.random() < 0.05:
            rows.append(_row(gid, gid + 1, BASE - timedelta(days=rng.randint(1, 30)), zone, enabled=0))
        else:
            rows.append(_row(gid, gid + 1, BASE + timedelta(minutes=rng.randint(1, 24 * 60)), zone))
    return rows, len(mine)


async def due_pass(store: Store, now: datetime) -> list[Schedule]:
    """What DailyDispatcher.tick does to fetch: batches of 500 with a keyset cursor."""
    out: list[Schedule] = []
    after: tuple[datetime, int] | None = None
    while True:
        batch = await store.daily.due(now, SHARDS, MY_SHARDS, BATCH, after=after)
        out += batch
        if len(batch) < BATCH:
            return out
        after = (batch[-1].next_run_utc, batch[-1].guild_id)


async def naive_due(store: Store, now: datetime) -> list[Schedule]:
    rows = await store.db.fetchall(f"SELECT {_SCHEDULE_COLS} FROM daily_schedules")
    schedules = [_schedule(r) for r in rows]
    mine = [s for s in schedules if s.enabled and s.next_run_utc <= now
            and (s.guild_id >> 22) % SHARDS in MY_SHARDS]
    mine.sort(key=lambda s: (s.next_run_utc, s.guild_id))
    return mine


async def _timed(fn: Callable[[], Awaitable[Any]], rounds: int) -> tuple[list[float], Any]:
    samples: list[float] = []
    result = None
    for _ in range(rounds):
        start = time.perf_counter()
        result = await fn()
        samples.append(time.perf_counter() - start)
    return samples, result


class BlindPoster(DiscordPoster):
    """The old design: a takeover re-sends with the same nonce without looking first."""

    async def find_posted(self, schedule: Schedule, local_date: Any, nonce: str) -> int | None:
        return None


class NoopPoster:
    def __init__(self) -> None:
        self.next_id = 10**17
        self.calls = 0

    async def post(self, schedule: Schedule, quote_id: str, nonce: str) -> int:
        self.calls += 1
        self.next_id += 1
        return self.next_id

    async def find_posted(self, schedule: Schedule, local_date: Any, nonce: str) -> int | None:
        return None


def _stat(samples: list[float], rows: int) -> dict[str, Any]:
    s = summary([_ms(x) for x in samples])
    return {"ms_p50": s["p50"], "ms_min": min(_ms(x) for x in samples), "rounds": s["n"],
            "rows": rows, "rows_per_s": ratio(rows, s["p50"] / 1000)}


async def part_tick(tmp: Path, args: argparse.Namespace, due_k: int, quote_ids: list[str]) -> dict[str, Any]:
    rng = random.Random(args.seed + due_k)
    path = tmp / f"tick-{due_k}.sqlite3"
    store = await Store.open(path)
    out: dict[str, Any] = {"schedules": args.schedules, "due_on_my_shard": due_k}
    try:
        start = time.perf_counter()
        rows, mine = build_rows(args.schedules, due_k, rng)
        await _insert(store, rows)
        out["setup_s"] = time.perf_counter() - start
        now = BASE
        plan = await store.db.fetchall(
            "EXPLAIN QUERY PLAN " + DUE_SQL, [iso_utc(now), SHARDS, 0, iso_utc(now), 0, BATCH]
        )
        out["due_plan"] = [str(r["detail"]) for r in plan]
        await due_pass(store, now)  # warm the page cache
        samples, due = await _timed(lambda: due_pass(store, now), args.rounds)
        assert len(due) == mine, (len(due), mine)
        out["due"] = _stat(samples, len(due))
        samples, naive = await _timed(lambda: naive_due(store, now), args.rounds)
        assert [s.guild_id for s in naive] == [s.guild_id for s in due]
        out["naive"] = _stat(samples, len(naive))
        async with store.db.transaction() as conn:
            await conn.execute("DROP INDEX daily_schedules_due")
        try:
            samples, unindexed = await _timed(lambda: due_pass(store, now), max(1, args.rounds - 1))
            assert len(unindexed) == mine
            out["due_no_index"] = _stat(samples, len(unindexed))
        finally:
            async with store.db.transaction() as conn:
                await conn.execute(
                    "CREATE INDEX daily_schedules_due ON daily_schedules (enabled, next_run_utc)"
                )
        # Claiming: the tick's claim_many per batch, against one transaction per day.
        days = [(s.guild_id, BASE.astimezone(s.zone).date()) for s in due]

        async def claim_batches() -> int:
            won = 0
            for i in range(0, len(days), BATCH):
                won += len(await store.daily.claim_many(days[i : i + BATCH], "bench", now))
            async with store.db.transaction() as conn:
                await conn.execute("DELETE FROM daily_posts")
            return won

        async def claim_each() -> int:
            won = 0
            for gid, day in days:
                won += await store.daily.claim_post(gid, day, "bench", now) is not None
            async with store.db.transaction() as conn:
                await conn.execute("DELETE FROM daily_posts")
            return won

        samples, won = await _timed(claim_batches, args.rounds)
        out["claim_many"] = _stat(samples, won)
        samples, won = await _timed(claim_each, 1)
        out["claim_each"] = _stat(samples, won)
        # A full tick on a copy: due, claim, choose quotes (first post: the rotation is
        # created), send through a no-op poster, mark sent.
        copy = tmp / f"tick-{due_k}-copy.sqlite3"
        await _copy(store, copy)
    finally:
        await store.close()
    tick_store = await Store.open(copy)
    try:
        poster = NoopPoster()

        async def eligible(topic: str | None) -> list[str]:
            return quote_ids

        dispatcher = DailyDispatcher(
            tick_store.daily, poster, eligible, lambda: BASE, shard_count=SHARDS,
            shard_ids=MY_SHARDS, token="bench-tick", rng=random.Random(args.seed),
        )
        start = time.perf_counter()
        report = await dispatcher.tick()
        tick_s = time.perf_counter() - start
        out["tick"] = {"ms": _ms(tick_s), "rows_per_s": ratio(report.sent, tick_s),
                       "report": _report_dict(report), "posts": poster.calls}
        start = time.perf_counter()
        idle = await dispatcher.tick()
        out["idle_tick_ms"] = _ms(time.perf_counter() - start)
        out["idle_tick_due"] = idle.due
        start = time.perf_counter()
        await dispatcher.seconds_until_next(60)
        out["next_due_ms"] = _ms(time.perf_counter() - start)
        out["rotation_rows"] = await tick_store.db.fetchval("SELECT count(*) FROM daily_cycles")
    finally:
        await tick_store.close()
    return out


def _report_dict(report: TickReport) -> dict[str, int]:
    return {k: getattr(report, k) for k in report.__slots__}  # type: ignore[attr-defined]


# ============================================================================ part 2


class Delivery:
    """One run: a fresh fake, a fresh copy of the database, a discord.Client on REST only."""

    def __init__(self, template: Path, workdir: Path, knowledge: Any, quote_ids: list[str],
                 guilds: list[GuildConfig], n: int) -> None:
        self.template, self.workdir, self.knowledge = template, workdir, knowledge
        self.quote_ids, self.guilds, self.n = quote_ids, guilds, n

    def _dispatcher(self, store: Store, client: discord.Client, token: str,
                    clock: Callable[[], datetime], *, lease: float = 90.0,
                    lookup: bool = True) -> DailyDispatcher:
        async def eligible(topic: str | None) -> list[str]:
            return self.quote_ids

        poster = (DiscordPoster if lookup else BlindPoster)(client, store, self.knowledge)
        return DailyDispatcher(store.daily, poster, eligible, clock, token=token,
                               rng=random.Random(1), lease=timedelta(seconds=lease))

    async def run(self, name: str, *, rate: tuple[int, float] | None, crash_at: float | None,
                  timeout: float, posts: int | None = None, nonce_window: float = 300.0,
                  lease: float = 90.0, lookup: bool = True) -> dict[str, Any]:
        n = min(posts or self.n, self.n)
        path = self.workdir / f"{name}.sqlite3"
        shutil.copyfile(self.template, path)
        if n < self.n:  # only the first n servers post in this run
            trim = await Store.open(path)
            async with trim.db.transaction() as conn:
                await conn.execute("UPDATE daily_schedules SET enabled = 0 WHERE guild_id > ?",
                                   (self.guilds[n - 1].id,))
            await trim.close()
        config = FakeConfig(guilds=self.guilds, nonce_window=nonce_window)
        old_base = discord.http.Route.BASE
        out: dict[str, Any] = {"posts": n, "rate": rate, "nonce_window_s": nonce_window,
                               "lease_s": lease, "lookup": lookup}
        async with FakeDiscord(config) as fake:
            if rate is not None:
                fake.rate_limit_messages(rate[0], rate[1], scope="global", advertise=True)
                fake.rate_limit_messages(5, 5.0, scope="channel", advertise=True)
            discord.http.Route.BASE = fake.api_base
            client = discord.Client(intents=discord.Intents.none())
            store = await Store.open(path)
            try:
                await client.login(TOKEN)
                t0 = time.monotonic()

                def clock() -> datetime:
                    return BASE + timedelta(seconds=time.monotonic() - t0)

                first = self._dispatcher(store, client, "process-1", clock, lease=lease, lookup=lookup)
                reports: list[TickReport] = []
                if crash_at is None:
                    reports.append(await asyncio.wait_for(first.tick(), timeout))
                else:
                    task = asyncio.create_task(first.tick())
                    target = int(n * crash_at)
                    with contextlib.suppress(TimeoutError):
                        await fake._signal.wait_until(
                            lambda: len(fake.messages) >= target or task.done(), timeout
                        )
                    out["crashed_after_messages"] = len(fake.messages)
                    task.cancel()  # the process dies mid-drain: in-flight sends are cut off
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task
                    out["crashed_at_s"] = time.monotonic() - t0
                    out["claims_left_claimed"] = await store.db.fetchval(
                        "SELECT count(*) FROM daily_posts WHERE status = 'claimed'")
                    await store.close()  # its connection goes, as with a dead process
                    store = await Store.open(path)
                    # Real time: the restart comes after the lease AND after the fake forgot
                    # every nonce the first process used, as after a few minutes of downtime.
                    await asyncio.sleep(max(lease, nonce_window) + 1.0)
                    out["restart_after_s"] = time.monotonic() - t0 - out["crashed_at_s"]
                    # A new process has a new client. (Cancelling a send while discord.py
                    # sleeps out a global 429 leaves that client's global gate closed for good.)
                    out["first_client_gate_stuck"] = not client.http._global_over.is_set()
                    await client.close()
                    client = discord.Client(intents=discord.Intents.none())
                    await client.login(TOKEN)
                    second = self._dispatcher(store, client, "process-2", clock, lease=lease,
                                              lookup=lookup)
                    for _ in range(3):  # a few ticks, as run_forever would make
                        report = await asyncio.wait_for(second.tick(), timeout)
                        reports.append(report)
                        if report.due == 0:
                            break
                out["drain_s"] = time.monotonic() - t0
                out["discord_buckets"] = len(client.http._buckets)
                out["reports"] = [_report_dict(r) for r in reports]
                out.update(await self._count(fake, store, n))
            finally:
                await client.close()
                await store.close()
                discord.http.Route.BASE = old_base
        if rate is not None:
            bound = n * rate[1] / rate[0]
            out["bound_s"] = bound
            out["drain_over_bound"] = ratio(out["drain_s"], bound)
        return out

    async def _count(self, fake: FakeDiscord, store: Store, n: int) -> dict[str, Any]:
        per_day: Counter[tuple[int, str]] = Counter()
        for m in fake.messages.values():
            per_day[(int(m["guild_id"]), str(m.get("nonce")))] += 1  # nonce = server + local date
        by_guild = Counter(g for g, _ in per_day.elements())
        lookups = fake.requests_to("GET", "/channels/")
        posts = fake.requests_to("POST", "/channels/")
        ok = [r for r in posts if r.status == 200]
        nonce_uses = Counter((r.path, (r.json or {}).get("nonce")) for r in ok)
        status = Counter(r.status for r in posts)
        sent_db = await store.db.fetchval("SELECT count(*) FROM daily_posts WHERE status = 'sent'")
        times = sorted(r.time for r in ok)
        return {
            "messages": len(fake.messages),
            "duplicates": sum(c - 1 for c in by_guild.values() if c > 1),
            "servers_posted": len(by_guild),
            "missing": n - len(by_guild),
            "post_requests": len(posts),
            "status_429": status.get(429, 0),
            "other_errors": sum(c for s, c in status.items() if s not in (200, 429)),
            "nonce_resends": sum(c - 1 for c in nonce_uses.values() if c > 1),
            "lookups": len(lookups),
            "sent_in_db": int(sent_db),
            "first_to_last_post_s": times[-1] - times[0] if times else 0.0,
        }


async def part_delivery(tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    n = args.posts
    out: dict[str, Any] = {"posts": n, "rate": [args.rate, args.per], "crash_at": args.crash_at}
    template = tmp / "delivery.sqlite3"
    start = time.perf_counter()
    kstore, knowledge = await open_knowledge(template, DEFAULT_DATA_DIR)
    out["open_knowledge_s"] = time.perf_counter() - start
    try:
        quote_ids = await kstore.content.quote_ids(None)
        rng = random.Random(args.seed)
        guilds: list[GuildConfig] = []
        rows = []
        for i in range(n):
            gid, zone = guild_id(i), ZONES[i % len(ZONES)]
            channel = gid + 7
            channels = [ChannelConfig(id=channel, name="daily")]
            guilds.append(GuildConfig(id=gid, name=f"g{i}", channels=channels))
            rows.append(_row(gid, channel, _due_instant(rng, zone), zone))
        start = time.perf_counter()
        await _insert(kstore, rows)
        out["setup_s"] = time.perf_counter() - start
        frozen = tmp / "delivery-template.sqlite3"
        await _copy(kstore, frozen)
        delivery = Delivery(frozen, tmp, knowledge, quote_ids, guilds, n)
        rate = (args.rate, args.per)
        out["unlimited"] = await delivery.run("unlimited", rate=None, crash_at=None, timeout=args.timeout)
        gc.collect()
        out["limited"] = await delivery.run("limited", rate=rate, crash_at=None, timeout=args.timeout)
        gc.collect()
        crash = {"rate": rate, "crash_at": args.crash_at, "timeout": args.timeout,
                 "posts": args.crash_posts, "nonce_window": args.nonce_window, "lease": args.lease}
        out["crash"] = await delivery.run("crash", **crash)  # type: ignore[arg-type]
        gc.collect()
        out["crash_no_lookup"] = await delivery.run("crash-blind", lookup=False, **crash)  # type: ignore[arg-type]
    finally:
        await kstore.close()
    return out


# ============================================================================ report


async def run(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {
        "config": {"schedules": args.schedules, "due": args.due, "rounds": args.rounds,
                   "posts": args.posts,
                   "crash_posts": args.crash_posts, "rate": args.rate, "per": args.per,
                   "crash_at": args.crash_at,
                   "seed": args.seed, "python": sys.version.split()[0],
                   "discord.py": discord.__version__},
    }
    with tempfile.TemporaryDirectory(prefix="exponent-daily-bench-") as tmp_name:
        tmp = Path(tmp_name)
        # Shipped quote ids: the eligible list the tick's rotation is built from.
        kstore, _ = await open_knowledge(tmp / "ids.sqlite3", DEFAULT_DATA_DIR)
        quote_ids = await kstore.content.quote_ids(None)
        await kstore.close()
        out["config"]["eligible_quotes"] = len(quote_ids)
        out["tick"] = [await part_tick(tmp, args, k, quote_ids) for k in args.due]
        if args.posts:
            out["delivery"] = await part_delivery(tmp, args)
    d = out.get("delivery")
    if d:
        out["goal_no_duplicates_met"] = d["limited"]["duplicates"] == 0 and d["crash"]["duplicates"] == 0
        out["goal_no_missing_met"] = d["limited"]["missing"] == 0 and d["crash"]["missing"] == 0
    return out


def render(out: dict[str, Any]) -> str:
    buf = io.StringIO()
    cfg = out["config"]
    print(f"\n== part 1: one process for shard 0 of {SHARDS}, {cfg['schedules']:,} schedules, "
          f"as many due on shard 1, batches of {BATCH} ==", file=buf)
    rows = []
    for part in out["tick"]:
        k = part["due_on_my_shard"]
        due = part["due"]
        for label, key in (("due pass (indexed)", "due"), ("due pass, index dropped", "due_no_index"),
                           ("naive: load all + filter", "naive"), ("claim_many per batch", "claim_many"),
                           ("claim_post per day", "claim_each")):
            r = part[key]
            base = due if key in ("due_no_index", "naive") else part["claim_many"]
            x = ratio(r["ms_p50"], base["ms_p50"]) if key not in ("due", "claim_many") else float("nan")
            rows.append([f"{k:,} due: {label}", r["rows"], r["rounds"], r["ms_p50"], r["ms_min"],
                         r["rows_per_s"], x])
        t = part["tick"]
        rows.append([f"{k:,} due: full tick (no-op poster)", t["report"]["sent"], 1, t["ms"], t["ms"],
                     t["rows_per_s"], float("nan")])
    print(table(["what", "rows", "n", "ms p50", "ms min", "rows/s", "x slower than ours"], rows),
          file=buf)
    for part in out["tick"]:
        t = part["tick"]
        print(f"{part['due_on_my_shard']:,} due: setup {part['setup_s']:.1f} s; tick report "
              f"{t['report']}; idle tick after it {part['idle_tick_ms']:.1f} ms "
              f"(due {part['idle_tick_due']}); next_due_after {part['next_due_ms']:.1f} ms; "
              f"rotation rows {part['rotation_rows']:,}", file=buf)
    print(f"due query plan: {' | '.join(out['tick'][0]['due_plan'])}", file=buf)
    print(f"eligible quotes per server: {cfg['eligible_quotes']} (shipped data)", file=buf)

    d = out.get("delivery")
    if d:
        n = d["posts"]
        print(f"\n== part 2: {n:,} due posts ({d['crash']['posts']:,} in the crash run), real "
              f"DiscordPoster -> discord.py {cfg['discord.py']} -> "
              f"fake Discord; global limit {d['rate'][0]} per {d['rate'][1]:g} s "
              f"(+ per-channel 5 per 5 s advertised) ==", file=buf)
        print(f"open_knowledge {d['open_knowledge_s']:.1f} s, schedules inserted in "
              f"{d['setup_s']:.2f} s", file=buf)
        rows = []
        for label, key in (("no rate limit (floor)", "unlimited"), ("rate limited", "limited"),
                           ("rate limited, crash + restart", "crash"),
                           ("crash + restart, never looks (old design)", "crash_no_lookup")):
            r = d[key]
            floor = d["unlimited"]
            per_post = ratio(r["drain_s"], r["posts"]) / ratio(floor["drain_s"], floor["posts"])
            rows.append([label, r["posts"], r["messages"], r["duplicates"], r["missing"], r["sent_in_db"],
                         r["post_requests"], r["status_429"], r["nonce_resends"], r["lookups"],
                         r["other_errors"],
                         r["drain_s"], r.get("bound_s", float("nan")),
                         r.get("drain_over_bound", float("nan")), per_post,
                         ratio(r["posts"], r["drain_s"])])
        print(table(["run", "due", "msgs", "dup", "missing", "sent(db)", "POSTs", "429", "nonce re-sends",
                     "lookups", "other err", "drain s", "bound s", "drain/bound", "per post/floor",
                     "posts/s"], rows),
              file=buf)
        print(f"discord.py rate-limit buckets held by the client after the floor run: "
              f"{d['unlimited']['discord_buckets']:,} (one per channel)", file=buf)
        c = d["crash"]
        print(f"crash: cancelled after {c['crashed_after_messages']:,} messages at "
              f"{c['crashed_at_s']:.1f} s with {c['claims_left_claimed']} claims in flight; restart "
              f"{c['restart_after_s']:.1f} s later in real time (lease {c['lease_s']:g} s, fake "
              f"nonce window {c['nonce_window_s']:g} s); the "
              f"second dispatcher's ticks: {[(r['due'], r['claimed'], r['sent']) for r in c['reports']]} "
              "(due, claimed, sent)", file=buf)
        b = d["crash_no_lookup"]
        print(f"old design (same crash, no lookup): {b['duplicates']} duplicates from "
              f"{b['claims_left_claimed']} claims in flight at the crash", file=buf)
        if c.get("first_client_gate_stuck"):
            print("note: the cancelled client's discord.py global rate-limit gate was left closed "
                  "(a send cancelled during a global 429 sleep); the restart uses a new client", file=buf)
        print("dup = messages per (server, local date) beyond the first; bound = posts x per / limit, "
              "the least time the global limit allows; floor = the same posts with no limit.", file=buf)
        print("\n== goals ==", file=buf)
        print(table(["goal", "measured", "met"], [
            ["duplicates = 0 (limited, crash+restart)", f"{d['limited']['duplicates']}, {c['duplicates']}",
             "yes" if out["goal_no_duplicates_met"] else "NO"],
            ["no server missed (limited, crash+restart)", f"{d['limited']['missing']}, {c['missing']}",
             "yes" if out["goal_no_missing_met"] else "NO"],
            ["drain / rate-limit bound (info, 1 is ideal)", d["limited"]["drain_over_bound"], ""],
        ]), file=buf)
    return buf.getvalue()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--schedules", type=int, default=100_000, help="schedules in part 1")
    parser.add_argument("--due", type=int, nargs="+", default=[1_000, 10_000],
                        help="due on this process's shard, one part-1 run each")
    parser.add_argument("--rounds", type=int, default=3, help="timed repeats of each read/claim")
    parser.add_argument("--posts", type=int, default=10_000, help="posts in part 2 (0: skip it)")
    parser.add_argument("--rate", type=int, default=50, help="global limit: requests per --per")
    parser.add_argument("--per", type=float, default=0.2, help="global limit window, seconds")
    parser.add_argument("--crash-at", type=float, default=0.4,
                        help="cancel the first dispatcher once this share of posts exists")
    parser.add_argument("--crash-posts", type=int, default=5_000,
                        help="posts in the crash-and-restart run (at most --posts)")
    parser.add_argument("--timeout", type=float, default=120.0, help="per tick, seconds")
    parser.add_argument("--nonce-window", type=float, default=2.0,
                        help="crash run: the fake forgets a nonce after this many real seconds")
    parser.add_argument("--lease", type=float, default=1.0,
                        help="crash run: the claim lease, real seconds")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    # 429s are expected here; discord.py logs each one as a warning.
    logging.getLogger("discord").setLevel(logging.ERROR)
    logging.getLogger("bot.daily").setLevel(logging.ERROR)
    run_and_report(run, render, args)


if __name__ == "__main__":
    main()
