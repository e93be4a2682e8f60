"""Daily quote storage: schedules, the per-day claim, and the no-repeat rotation.

Three tables, never touched by a knowledge-base import:

* ``daily_schedules`` (migration 2): one row per server. The source of truth the
  dispatcher re-arms from: ``next_run_utc`` is the next instant the server needs
  attention, and ``last_local_date`` the last local date that was settled (posted, or
  given up).
* ``daily_posts`` (migration 2): the claim, one row per (server, local date), taken
  *before* sending and marked ``sent`` *after*. The primary key makes a second claim for
  the same day impossible, whichever process or shard tries. Its sent rows, with their
  ``quote_id``, are also the rotation's record of what was posted: rows of a server's
  current cycle must never be pruned.
* ``daily_cycles`` (migration 3): the no-repeat rotation, one row per server whatever
  the number of quotes. A cycle is the server's sent posts after ``started_after`` (a
  local date); its order is a pseudo-random permutation of quote ids derived from
  ``seed``, so no quote repeats until every eligible quote was posted once.

Instants are stored as ISO 8601 UTC text at whole seconds, so text order is time
order and the due query can use its index. Every write runs in ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo

import aiosqlite

from bot.daily_time import next_run
from bot.store.database import Database, Row

#: A claim older than this, never marked sent or failed, is presumed dead (its process
#: crashed) and may be taken over by another process, which first looks for the post in
#: the channel and otherwise re-sends with the same nonce. Short, so the takeover (lease
#: plus one tick) comes well inside the few minutes Discord remembers a nonce.
DEFAULT_LEASE: Final = timedelta(seconds=90)
#: Sending attempts per server per local date (first try, then transient-error retries).
DEFAULT_MAX_ATTEMPTS: Final = 3

PostStatus = Literal["claimed", "retry", "sent", "failed"]


def iso_utc(value: datetime) -> str:
    """The stored form of an instant: UTC, whole seconds (floored)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got naive {value!r}")
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def _from_iso(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Schedule:
    guild_id: int
    channel_id: int
    local_time: time
    timezone: str
    lang: str | None
    topic: str | None
    enabled: bool
    paused_reason: str | None
    next_run_utc: datetime
    last_local_date: date | None
    created_at: datetime
    updated_at: datetime

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def paused(self) -> bool:
        return not self.enabled and self.paused_reason is not None


@dataclass(frozen=True, slots=True)
class DailyPost:
    guild_id: int
    local_date: date
    status: PostStatus
    claimed_by: str
    claimed_at: datetime
    attempts: int
    quote_id: str | None
    message_id: int | None
    error: str | None


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim this process holds: ``attempts`` counts this one; ``quote_id`` is the quote
    chosen by an earlier attempt at the same day, to be re-sent unchanged."""

    guild_id: int
    local_date: date
    token: str
    attempts: int
    quote_id: str | None


@dataclass(frozen=True, slots=True)
class RotationProgress:
    """Quotes posted in the current cycle, out of the quotes eligible now ("37 / 150")."""

    posted: int
    total: int


_SCHEDULE_COLS = (
    "guild_id, channel_id, local_time, timezone, lang, topic, enabled, paused_reason,"
    " next_run_utc, last_local_date, created_at, updated_at"
)
_POST_COLS = "guild_id, local_date, status, claimed_by, claimed_at, attempts, quote_id, message_id, error"


def _schedule(row: Row) -> Schedule:
    hour, minute = (int(part) for part in str(row["local_time"]).split(":"))
    last = row["last_local_date"]
    return Schedule(
        guild_id=int(row["guild_id"]),
        channel_id=int(row["channel_id"]),
        local_time=time(hour, minute),
        timezone=str(row["timezone"]),
        lang=row["lang"],
        topic=row["topic"],
        enabled=bool(row["enabled"]),
        paused_reason=row["paused_reason"],
        next_run_utc=_from_iso(row["next_run_utc"]),
        last_local_date=None if last is None else date.fromisoformat(last),
        created_at=_from_iso(row["created_at"]),
        updated_at=_from_iso(row["updated_at"]),
    )


def _post(row: Row) -> DailyPost:
    message_id = row["message_id"]
    return DailyPost(
        guild_id=int(row["guild_id"]),
        local_date=date.fromisoformat(row["local_date"]),
        status=row["status"],
        claimed_by=str(row["claimed_by"]),
        claimed_at=_from_iso(row["claimed_at"]),
        attempts=int(row["attempts"]),
        quote_id=row["quote_id"],
        message_id=None if message_id is None else int(message_id),
        error=row["error"],
    )


def _hhmm(at: time) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


class DailyStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        # One connection serves many coroutines; two interleaved BEGINs on it would fail.
        self._write_lock = asyncio.Lock()

    # -- schedules --------------------------------------------------------------------

    async def set_schedule(
        self,
        guild_id: int,
        channel_id: int,
        local_time: time,
        zone: ZoneInfo,
        *,
        now: datetime,
        lang: str | None = None,
        topic: str | None = None,
    ) -> Schedule:
        """Create or replace a server's schedule; (re-)enables it and clears any pause.

        The next run is the earliest due instant at or after ``now`` for a local date
        later than the last one settled, so changing the time never posts twice a day.
        """
        at = local_time.replace(second=0, microsecond=0, tzinfo=None)
        async with self._write_lock, self.db.transaction() as conn:
            async with conn.execute(
                "SELECT last_local_date FROM daily_schedules WHERE guild_id = ?", (guild_id,)
            ) as cursor:
                row = await cursor.fetchone()
            last = None if row is None or row[0] is None else date.fromisoformat(row[0])
            due, _ = next_run(now, zone, at, after_local_date=last)
            stamp = iso_utc(now)
            await conn.execute(
                f"INSERT INTO daily_schedules ({_SCHEDULE_COLS})"
                " VALUES (?, ?, ?, ?, ?, ?, 1, NULL, ?, NULL, ?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
                " local_time = excluded.local_time, timezone = excluded.timezone,"
                " lang = excluded.lang, topic = excluded.topic, enabled = 1,"
                " paused_reason = NULL, next_run_utc = excluded.next_run_utc,"
                " updated_at = excluded.updated_at",
                (
                    guild_id,
                    channel_id,
                    _hhmm(at),
                    zone.key,
                    lang,
                    topic,
                    iso_utc(due),
                    stamp,
                    stamp,
                ),
            )
        schedule = await self.get_schedule(guild_id)
        assert schedule is not None
        return schedule

    async def schedule_counts(self) -> dict[str, int]:
        """Schedules by state: ``active``, ``paused`` (a post failed: 403/404), ``off`` (/daily off)."""
        row = await self.db.fetchone(
            "SELECT SUM(enabled = 1), SUM(enabled = 0 AND paused_reason IS NOT NULL),"
            " SUM(enabled = 0 AND paused_reason IS NULL) FROM daily_schedules"
        )
        values = tuple(row) if row is not None else (0, 0, 0)
        return {state: int(n or 0) for state, n in zip(("active", "paused", "off"), values, strict=True)}

    async def get_schedule(self, guild_id: int) -> Schedule | None:
        row = await self.db.fetchone(
            f"SELECT {_SCHEDULE_COLS} FROM daily_schedules WHERE guild_id = ?",
            (guild_id,),
        )
        return None if row is None else _schedule(row)

    async def disable(self, guild_id: int, *, now: datetime) -> bool:
        """Turn the daily quote off (by an admin). False when there is no schedule."""
        return await self._set_enabled(guild_id, False, None, now)

    async def pause(self, guild_id: int, reason: str, *, now: datetime) -> bool:
        """Stop posting until resumed, keeping ``reason`` for ``/daily show``."""
        return await self._set_enabled(guild_id, False, reason, now)

    async def _set_enabled(self, guild_id: int, enabled: bool, reason: str | None, now: datetime) -> bool:
        async with self._write_lock, self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE daily_schedules SET enabled = ?, paused_reason = ?, updated_at = ?"
                " WHERE guild_id = ?",
                (int(enabled), reason, iso_utc(now), guild_id),
            )
            return cursor.rowcount > 0

    async def resume(self, guild_id: int, *, now: datetime) -> Schedule | None:
        """Re-enable a paused or disabled schedule from ``now``; never re-posts a settled day."""
        current = await self.get_schedule(guild_id)
        if current is None:
            return None
        due, _ = next_run(now, current.zone, current.local_time, after_local_date=current.last_local_date)
        async with self._write_lock, self.db.transaction() as conn:
            await conn.execute(
                "UPDATE daily_schedules SET enabled = 1, paused_reason = NULL,"
                " next_run_utc = ?, updated_at = ? WHERE guild_id = ?",
                (iso_utc(due), iso_utc(now), guild_id),
            )
        return await self.get_schedule(guild_id)

    async def due(
        self,
        now_utc: datetime,
        shard_count: int,
        shard_ids: Sequence[int],
        limit: int,
        *,
        after: tuple[datetime, int] | None = None,
    ) -> list[Schedule]:
        """Enabled schedules of these shards with ``next_run_utc <= now_utc``, oldest first.

        ``after`` is a keyset cursor ``(next_run_utc, guild_id)`` of the last row seen,
        so a pass over many due rows never sees one row twice.
        """
        if not shard_ids:
            return []
        sql, params = self._shard_filter(shard_count, shard_ids)
        where = "enabled = 1 AND next_run_utc <= ?" + sql
        args: list[Any] = [iso_utc(now_utc), *params]
        if after is not None:
            where += " AND (next_run_utc, guild_id) > (?, ?)"
            args += [iso_utc(after[0]), after[1]]
        rows = await self.db.fetchall(
            f"SELECT {_SCHEDULE_COLS} FROM daily_schedules WHERE {where}"
            " ORDER BY next_run_utc, guild_id LIMIT ?",
            [*args, limit],
        )
        return [_schedule(r) for r in rows]

    async def next_due_after(
        self, now_utc: datetime, shard_count: int, shard_ids: Sequence[int]
    ) -> datetime | None:
        """The earliest ``next_run_utc`` strictly after ``now_utc`` on these shards."""
        if not shard_ids:
            return None
        sql, params = self._shard_filter(shard_count, shard_ids)
        value = await self.db.fetchval(
            "SELECT min(next_run_utc) FROM daily_schedules WHERE enabled = 1 AND next_run_utc > ?" + sql,
            [iso_utc(now_utc), *params],
        )
        return None if value is None else _from_iso(value)

    @staticmethod
    def _shard_filter(shard_count: int, shard_ids: Sequence[int]) -> tuple[str, list[int]]:
        if shard_count < 1:
            raise ValueError("shard_count must be at least 1")
        if shard_count == 1:
            return "", []
        marks = ",".join("?" * len(shard_ids))
        # Discord's rule: shard_id = (guild_id >> 22) % shard_count.
        return f" AND ((guild_id >> 22) % ?) IN ({marks})", [shard_count, *shard_ids]

    async def reschedule(
        self,
        guild_id: int,
        next_run_utc: datetime,
        *,
        expected: datetime,
        now: datetime,
        settled: date | None = None,
    ) -> bool:
        """Move ``next_run_utc`` on, only if it is still ``expected`` (nobody moved it).

        ``settled`` also records a local date as done (never moves ``last_local_date`` back).
        """
        async with self._write_lock, self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE daily_schedules SET next_run_utc = :next, updated_at = :now,"
                " last_local_date = CASE WHEN :settled IS NOT NULL AND"
                " (last_local_date IS NULL OR last_local_date < :settled) THEN :settled"
                " ELSE last_local_date END"
                " WHERE guild_id = :guild AND next_run_utc = :expected",
                {
                    "next": iso_utc(next_run_utc),
                    "now": iso_utc(now),
                    "settled": None if settled is None else settled.isoformat(),
                    "guild": guild_id,
                    "expected": iso_utc(expected),
                },
            )
            return cursor.rowcount > 0

    # -- the claim ----------------------------------------------------------------------

    async def claim(self, guild_id: int, local_date: date, token: str, now: datetime) -> bool:
        """Claim the post of ``local_date`` for ``token``; True if this caller now holds it."""
        return await self.claim_post(guild_id, local_date, token, now) is not None

    async def claim_post(
        self,
        guild_id: int,
        local_date: date,
        token: str,
        now: datetime,
        *,
        lease: timedelta = DEFAULT_LEASE,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> Claim | None:
        """Atomically claim (server, local date). None when it is not ours to send."""
        claims = await self.claim_many(
            [(guild_id, local_date)], token, now, lease=lease, max_attempts=max_attempts
        )
        return claims.get(guild_id)

    async def claim_many(
        self,
        days: Sequence[tuple[int, date]],
        token: str,
        now: datetime,
        *,
        lease: timedelta = DEFAULT_LEASE,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> dict[int, Claim]:
        """Claim several (server, local date) pairs in one transaction; returns the won ones.

        A fresh day is claimed by inserting its row; the primary key lets exactly one
        caller succeed. An existing row is taken over only when it is a released retry,
        or a ``claimed`` row older than ``lease`` (its process presumably died), and the
        day has attempts left. Only enabled schedules can be claimed.
        """
        if len({guild_id for guild_id, _ in days}) != len(days):
            raise ValueError("claim_many takes each server at most once")
        stamp = iso_utc(now)
        stale = iso_utc(now - lease)
        won: dict[int, Claim] = {}
        async with self._write_lock, self.db.transaction() as conn:
            for guild_id, local_date in days:
                day = local_date.isoformat()
                cursor = await conn.execute(
                    "INSERT INTO daily_posts (guild_id, local_date, status, claimed_by,"
                    " claimed_at, attempts, updated_at)"
                    " SELECT ?, ?, 'claimed', ?, ?, 1, ? WHERE EXISTS"
                    " (SELECT 1 FROM daily_schedules WHERE guild_id = ? AND enabled = 1)"
                    " ON CONFLICT (guild_id, local_date) DO NOTHING",
                    (guild_id, day, token, stamp, stamp, guild_id),
                )
                if cursor.rowcount > 0:
                    won[guild_id] = Claim(guild_id, local_date, token, 1, None)
                    continue
                rows = list(
                    await conn.execute_fetchall(
                        "UPDATE daily_posts SET status = 'claimed', claimed_by = ?, claimed_at = ?,"
                        " attempts = attempts + 1, updated_at = ?"
                        " WHERE guild_id = ? AND local_date = ? AND attempts < ?"
                        " AND (status = 'retry' OR (status = 'claimed' AND claimed_at <= ?))"
                        " AND EXISTS"
                        " (SELECT 1 FROM daily_schedules WHERE guild_id = ? AND enabled = 1)"
                        " RETURNING attempts, quote_id",
                        (token, stamp, stamp, guild_id, day, max_attempts, stale, guild_id),
                    )
                )
                if rows:
                    won[guild_id] = Claim(guild_id, local_date, token, int(rows[0][0]), rows[0][1])
        return won

    async def set_claim_quote(self, guild_id: int, local_date: date, token: str, quote_id: str) -> None:
        """Record the quote a claim will send, so a takeover re-sends the same one."""
        async with self._write_lock, self.db.transaction() as conn:
            await conn.execute(
                "UPDATE daily_posts SET quote_id = ? WHERE guild_id = ? AND local_date = ?"
                " AND claimed_by = ? AND status = 'claimed'",
                (quote_id, guild_id, local_date.isoformat(), token),
            )

    async def mark_sent(
        self,
        guild_id: int,
        local_date: date,
        message_id: int,
        quote_id: str,
        next_run_utc: datetime,
        *,
        now: datetime,
    ) -> None:
        """Record the post as sent (which counts its quote as posted this cycle) and the
        next run: one transaction, so a settled day and its advanced schedule are never out
        of step."""
        day = local_date.isoformat()
        stamp = iso_utc(now)
        async with self._write_lock, self.db.transaction() as conn:
            await conn.execute(
                "UPDATE daily_posts SET status = 'sent', message_id = ?, quote_id = ?,"
                " error = NULL, updated_at = ? WHERE guild_id = ? AND local_date = ?",
                (message_id, quote_id, stamp, guild_id, day),
            )
            await self._settle(conn, guild_id, day, next_run_utc, stamp, None)

    async def mark_failed(
        self,
        guild_id: int,
        local_date: date,
        error: str,
        next_run_utc: datetime,
        *,
        now: datetime,
        quote_id: str | None = None,
        pause_reason: str | None = None,
    ) -> None:
        """Give up on ``local_date`` for good; with ``pause_reason`` also pause the schedule."""
        day = local_date.isoformat()
        stamp = iso_utc(now)
        async with self._write_lock, self.db.transaction() as conn:
            await conn.execute(
                "UPDATE daily_posts SET status = 'failed', error = ?,"
                " quote_id = coalesce(?, quote_id), updated_at = ?"
                " WHERE guild_id = ? AND local_date = ?",
                (error, quote_id, stamp, guild_id, day),
            )
            await self._settle(conn, guild_id, day, next_run_utc, stamp, pause_reason)

    async def release_for_retry(
        self,
        guild_id: int,
        local_date: date,
        error: str,
        retry_at: datetime,
        *,
        now: datetime,
    ) -> None:
        """A transient failure: free the claim for a later attempt at ``retry_at``."""
        stamp = iso_utc(now)
        async with self._write_lock, self.db.transaction() as conn:
            await conn.execute(
                "UPDATE daily_posts SET status = 'retry', error = ?, updated_at = ?"
                " WHERE guild_id = ? AND local_date = ? AND status = 'claimed'",
                (error, stamp, guild_id, local_date.isoformat()),
            )
            await conn.execute(
                "UPDATE daily_schedules SET next_run_utc = ?, updated_at = ? WHERE guild_id = ?",
                (iso_utc(retry_at), stamp, guild_id),
            )

    @staticmethod
    async def _settle(
        conn: aiosqlite.Connection,
        guild_id: int,
        day: str,
        next_run_utc: datetime,
        stamp: str,
        pause_reason: str | None,
    ) -> None:
        paused = pause_reason is not None
        await conn.execute(
            "UPDATE daily_schedules SET"
            " last_local_date = CASE WHEN last_local_date IS NULL OR last_local_date < :day"
            " THEN :day ELSE last_local_date END,"
            " next_run_utc = CASE WHEN last_local_date IS NULL OR last_local_date <= :day"
            " THEN :next ELSE next_run_utc END,"
            " enabled = CASE WHEN :paused THEN 0 ELSE enabled END,"
            " paused_reason = CASE WHEN :paused THEN :reason ELSE paused_reason END,"
            " updated_at = :stamp WHERE guild_id = :guild",
            {
                "day": day,
                "next": iso_utc(next_run_utc),
                "paused": int(paused),
                "reason": pause_reason,
                "stamp": stamp,
                "guild": guild_id,
            },
        )

    async def post(self, guild_id: int, local_date: date) -> DailyPost | None:
        row = await self.db.fetchone(
            f"SELECT {_POST_COLS} FROM daily_posts WHERE guild_id = ? AND local_date = ?",
            (guild_id, local_date.isoformat()),
        )
        return None if row is None else _post(row)

    async def last_post(self, guild_id: int) -> DailyPost | None:
        """The latest local date's post row (sent, failed or in flight)."""
        row = await self.db.fetchone(
            f"SELECT {_POST_COLS} FROM daily_posts WHERE guild_id = ? ORDER BY local_date DESC LIMIT 1",
            (guild_id,),
        )
        return None if row is None else _post(row)

    # -- the rotation -------------------------------------------------------------------
    #
    # One ``daily_cycles`` row per server is the whole rotation state. The quotes posted in
    # the current cycle are read from ``daily_posts`` (its sent rows after the cycle's
    # ``started_after`` date), and the order of the rest is the seed's pseudo-random
    # permutation (see :func:`_rotation_key`), so nothing is stored per quote.

    async def next_quote(self, guild_id: int, eligible_ids: Sequence[str], rng: random.Random) -> str | None:
        """The next quote of this server's rotation; None when nothing is eligible.

        The next quote is the first of the cycle's order among the eligible quotes not yet
        posted this cycle, so a new quote takes a pseudo-random place among those and a
        quote no longer eligible is skipped. When every eligible quote was posted, a new
        cycle starts (a fresh seed from ``rng``), never opening with the quote that closed
        the last. The quote counts as posted only once :meth:`mark_sent` records it.
        """
        eligible = _unique(eligible_ids)
        if not eligible:
            return None
        async with self._write_lock, self.db.transaction() as conn:
            chosen = await self._pick_many(conn, {guild_id: eligible}, rng)
        return chosen[guild_id]

    async def choose_quotes(
        self,
        claims: Sequence[Claim],
        eligible_ids: Mapping[int, Sequence[str]],
        rng: random.Random,
    ) -> dict[int, str | None]:
        """The quote each claim will send, recorded on its claim row in one transaction.

        A claim that already carries a still-eligible quote (a retry or a takeover)
        keeps it, so a re-send is the same message; the others take the next quote of
        their server's rotation (see :meth:`next_quote`). None: nothing is eligible.
        """
        chosen: dict[int, str | None] = {}
        wanted: dict[int, list[str]] = {}
        for claim in claims:
            eligible = _unique(eligible_ids.get(claim.guild_id, ()))
            if claim.quote_id is not None and claim.quote_id in eligible:
                chosen[claim.guild_id] = claim.quote_id
            elif eligible:
                wanted[claim.guild_id] = eligible
            else:
                chosen[claim.guild_id] = None
        if not wanted:
            return chosen
        by_guild = {claim.guild_id: claim for claim in claims}
        async with self._write_lock, self.db.transaction() as conn:
            picked = await self._pick_many(conn, wanted, rng)
            await conn.executemany(
                "UPDATE daily_posts SET quote_id = ? WHERE guild_id = ?"
                " AND local_date = ? AND claimed_by = ? AND status = 'claimed'",
                [
                    (quote_id, guild_id, by_guild[guild_id].local_date.isoformat(), by_guild[guild_id].token)
                    for guild_id, quote_id in picked.items()
                ],
            )
        chosen.update(picked)
        return chosen

    @staticmethod
    async def _pick_many(
        conn: aiosqlite.Connection, eligible: Mapping[int, list[str]], rng: random.Random
    ) -> dict[int, str]:
        """The next quote of each server's rotation (each list non-empty), starting the
        cycles that need it: two reads and at most one write, whatever the batch size."""
        guilds = json.dumps(list(eligible))
        cycles = {
            int(r[0]): _Cycle(int(r[1]), str(r[2]), r[3], r[4])
            for r in await conn.execute_fetchall(
                "SELECT guild_id, cycle, seed, started_after, last_quote_id FROM daily_cycles"
                " WHERE guild_id IN (SELECT value FROM json_each(?))",
                (guilds,),
            )
        }
        posts: dict[int, list[tuple[str, str]]] = {}
        for r in await conn.execute_fetchall(_CYCLE_POSTS_SQL, (guilds,)):
            posts.setdefault(int(r[0]), []).append((str(r[1]), str(r[2])))
        chosen: dict[int, str] = {}
        changed: list[tuple[int, _Cycle]] = []
        for guild_id, ids in eligible.items():
            cycle = cycles.get(guild_id)
            quote_id, new = _next_in_cycle(cycle, posts.get(guild_id, []), ids, rng)
            chosen[guild_id] = quote_id
            if new is not cycle:
                changed.append((guild_id, new))
        if changed:
            await conn.executemany(
                "INSERT INTO daily_cycles (guild_id, cycle, seed, started_after, last_quote_id)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET cycle = excluded.cycle,"
                " seed = excluded.seed, started_after = excluded.started_after,"
                " last_quote_id = excluded.last_quote_id",
                [(g, c.cycle, c.seed, c.started_after, c.last_quote_id) for g, c in changed],
            )
        return chosen

    async def rotation_progress(self, guild_id: int, eligible_ids: Sequence[str]) -> RotationProgress:
        """Eligible quotes posted in the current cycle, out of the eligible quotes now."""
        wanted = set(eligible_ids)
        rows = await self.db.fetchall(
            "SELECT quote_id FROM daily_posts WHERE guild_id = :guild AND status = 'sent'"
            " AND local_date > coalesce((SELECT started_after FROM daily_cycles"
            " WHERE guild_id = :guild), '')",
            {"guild": guild_id},
        )
        posted = {r[0] for r in rows} & wanted
        return RotationProgress(posted=len(posted), total=len(wanted))


# The sent posts of the current cycle of each server in a JSON array of ids: the server
# loop outside, so each one is a range of the daily_posts primary key.
_CYCLE_POSTS_SQL = """
WITH batch (guild_id, started_after) AS (
    SELECT b.value, coalesce(c.started_after, '')
    FROM json_each(?) AS b LEFT JOIN daily_cycles AS c ON c.guild_id = b.value
)
SELECT p.guild_id, p.local_date, p.quote_id
FROM batch CROSS JOIN daily_posts AS p
WHERE p.guild_id = batch.guild_id AND p.local_date > batch.started_after
    AND p.status = 'sent' AND p.quote_id IS NOT NULL
"""


@dataclass(frozen=True, slots=True)
class _Cycle:
    """A server's ``daily_cycles`` row. The cycle is the server's sent posts with a local
    date after ``started_after`` (all of them while it is None); ``last_quote_id`` closed
    the previous cycle."""

    cycle: int
    seed: str
    started_after: str | None
    last_quote_id: str | None


def _rotation_key(seed: str, quote_id: str) -> bytes:
    """A quote's place in the order of the cycle with this seed: a pseudo-random
    permutation that needs no stored state and places a new quote anywhere."""
    return hashlib.blake2b(f"{seed}\x00{quote_id}".encode(), digest_size=8).digest()


def _new_seed(rng: random.Random) -> str:
    return f"{rng.getrandbits(64):016x}"


def _next_in_cycle(
    cycle: _Cycle | None, posts: Sequence[tuple[str, str]], eligible: Sequence[str], rng: random.Random
) -> tuple[str, _Cycle]:
    """The next quote, and the cycle it belongs to (``cycle`` itself unless one started).

    ``posts`` are the (local date, quote id) of the cycle's sent posts; ``eligible`` is
    non-empty and free of duplicates.
    """
    if cycle is None:
        cycle = _Cycle(1, _new_seed(rng), None, None)
    posted = {quote_id for _, quote_id in posts}
    remaining = [q for q in eligible if q not in posted]
    if not remaining:
        # Every eligible quote was posted: a new cycle starts after the last post.
        closed_on, closed_with = max(posts)
        cycle = _Cycle(cycle.cycle + 1, _new_seed(rng), closed_on, closed_with)
        posted, remaining = set(), list(eligible)
    if not posted and len(remaining) > 1 and cycle.last_quote_id in remaining:
        # The opening post: never the quote that closed the last cycle.
        remaining.remove(cycle.last_quote_id)
    seed = cycle.seed
    return min(remaining, key=lambda q: _rotation_key(seed, q)), cycle
