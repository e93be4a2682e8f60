"""The daily quote dispatcher: plain asyncio over the store, no Discord imports.

One :class:`DailyDispatcher` per process re-arms from the database on every tick
(the database is the source of truth; nothing is scheduled in memory):

1. fetch the due schedules of this process's shards, in bounded batches;
2. for each, find the local date due now (:func:`bot.daily_time.is_due_today`): a
   post missed during downtime is made once if it is still *today* in the server's
   zone; earlier days are not back-filled, their schedule just moves on;
3. claim (server, local date) atomically, pick the quote from the server's rotation,
   send it through a :class:`Poster`, and record the result.

Exactly once, and where it can fail
-----------------------------------
The claim row is written *before* sending and marked sent *after*. Two processes or
shards can never both claim a day. Three things together keep a failure between
Discord accepting the message and our record of it from posting twice:

* the message carries a nonce derived from (server, local date), sent with
  ``enforce_nonce``: Discord returns the existing message for a repeated nonce, but only
  for a few minutes;
* a stale claim (its process died) is taken over after a short lease (90 s by default,
  ``EXPONENT_DAILY_LEASE_SECONDS``), so the takeover comes well inside that window;
* and before *any* re-send (a takeover, or a retry after an error whose outcome is
  unknown, such as a timeout) the poster looks in the channel for the post already
  made: the bot's own message carrying the day's marker (:func:`daily_marker`, an
  invisible embed URL fragment). If it is there it is recorded, not sent again. A
  downtime longer than the nonce window is covered by this look alone.

After a successful post the record is retried until it succeeds (a locked database or
a full disk); the claim is never released for re-sending while the post may exist. If
the lookup cannot be made (the bot may not read the channel's history), the schedule
is paused with that reason rather than risking a second post.

Failures: a deleted channel (404) or lost permission (403) pauses the schedule at
once with the reason kept for ``/daily show`` (one failed attempt, never retried
that day). A transient error (5xx, timeout, exhausted rate limit) releases the claim
and retries later, with backoff, at most ``max_attempts`` times per day. Errors for
one server never stop the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfoNotFoundError

from bot import daily_reasons as reasons
from bot.daily_time import is_due_today, next_run
from bot.store.daily import (
    DEFAULT_LEASE,
    DEFAULT_MAX_ATTEMPTS,
    Claim,
    DailyStore,
    Schedule,
)

log = logging.getLogger(__name__)

__all__ = [
    "ChannelGone",
    "DailyDispatcher",
    "EligibleQuotes",
    "HistoryUnreadable",
    "PostError",
    "PostForbidden",
    "Poster",
    "TickReport",
    "TransientPostError",
    "daily_marker",
    "daily_nonce",
]

#: Discord accepts a message nonce of at most 25 characters.
NONCE_MAX_LEN = 25


class PostError(Exception):
    """Base of the errors a :class:`Poster` may raise."""

    def __init__(self, reason: str = "") -> None:
        self.reason = reason
        super().__init__(reason)


class ChannelGone(PostError):
    """The channel no longer exists (HTTP 404). Pauses the schedule."""


class PostForbidden(PostError):
    """The bot may no longer post there (HTTP 403). Pauses the schedule."""


class HistoryUnreadable(PostForbidden):
    """The bot may not read the channel's history, so it cannot check for a post already
    made (HTTP 403 on the lookup). Pauses the schedule rather than risk a second post."""


class TransientPostError(PostError):
    """5xx, timeout, or rate limits exhausted: worth retrying later the same day."""


class Poster(Protocol):
    async def post(self, schedule: Schedule, quote_id: str, nonce: str) -> int:
        """Send ``quote_id`` to ``schedule.channel_id`` with ``nonce`` (and
        ``enforce_nonce``) and the marker :func:`daily_marker` of ``nonce``; return the
        message id, or raise a :class:`PostError`."""
        ...

    async def find_posted(self, schedule: Schedule, local_date: date, nonce: str) -> int | None:
        """The id of this bot's message in ``schedule.channel_id`` carrying the marker of
        ``nonce`` (posted on or after ``local_date``), or None when there is none. Raises
        a :class:`PostError` when the channel cannot be read."""
        ...


EligibleQuotes = Callable[[str | None], Awaitable[list[str]]]


def daily_nonce(guild_id: int, local_date: date) -> str:
    """The message nonce of one server's post for one local date: the same on every
    attempt and every process, at most 25 characters (``"d"`` + 16 hex digits)."""
    digest = hashlib.blake2b(f"{guild_id}:{local_date.isoformat()}".encode(), digest_size=8)
    return "d" + digest.hexdigest()


def daily_marker(nonce: str) -> str:
    """What identifies a day's post in the channel: a URL fragment on the card's embed.
    The card has no title, so Discord shows no link and a reader does not see it; unlike
    the nonce, Discord keeps it in the message."""
    return f"#exponent-daily-{nonce}"


#: How long to wait between attempts to record a post Discord accepted, at most.
RECORD_RETRY_MAX_SECONDS = 30.0


@dataclass(slots=True)
class TickReport:
    due: int = 0  # schedules fetched as due
    claimed: int = 0  # claims won by this process
    sent: int = 0
    found: int = 0  # of ``sent``: an earlier attempt's post found in the channel and recorded
    paused: int = 0  # 404/403: paused with a reason
    failed: int = 0  # gave up on the day (attempts exhausted, no quotes)
    retrying: int = 0  # transient failure, released for a later tick
    skipped: int = 0  # claimed or already settled by another process
    advanced: int = 0  # stale run of an earlier day moved on without posting
    errors: int = 0  # unexpected exceptions (logged)


class DailyDispatcher:
    def __init__(
        self,
        store: DailyStore,
        poster: Poster,
        eligible_quotes: EligibleQuotes,
        clock: Callable[[], datetime],
        *,
        shard_count: int = 1,
        shard_ids: Sequence[int] = (0,),
        token: str,
        rng: random.Random | None = None,
        batch_size: int = 500,
        concurrency: int = 8,
        lease: timedelta = DEFAULT_LEASE,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        retry_backoff: timedelta = timedelta(minutes=5),
        on_tick: Callable[[TickReport], None] | None = None,
    ) -> None:
        if len(token) == 0:
            raise ValueError("token must identify this process")
        self.store = store
        self.poster = poster
        self.eligible_quotes = eligible_quotes
        self.clock = clock
        self.shard_count = shard_count
        self.shard_ids = tuple(shard_ids)
        self.token = token
        self.rng = rng or random.Random()
        self.batch_size = batch_size
        self.concurrency = concurrency
        self.lease = lease
        self.max_attempts = max_attempts
        self.retry_backoff = retry_backoff
        self._stop: asyncio.Event | None = None  # set by run_forever; see stopping()
        self.on_tick = on_tick  # told after every tick of run_forever (health and metrics)

    def stopping(self) -> bool:
        """Shutting down: finish the sends already started, start no new ones."""
        return self._stop is not None and self._stop.is_set()

    def _now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("the dispatcher clock must return aware datetimes")
        return now.astimezone(UTC)

    async def tick(self) -> TickReport:
        """One pass over everything due now, batch after batch until none is left."""
        report = TickReport()
        now = self._now()
        eligible_cache: dict[str | None, list[str]] = {}
        after: tuple[datetime, int] | None = None
        while True:
            batch = await self.store.due(now, self.shard_count, self.shard_ids, self.batch_size, after=after)
            if not batch:
                break
            report.due += len(batch)
            after = (batch[-1].next_run_utc, batch[-1].guild_id)
            try:
                await self._batch(batch, report, eligible_cache)
            except Exception:
                # A store failure for the whole batch (e.g. the database stayed locked):
                # claims already taken expire after their lease and are retried.
                report.errors += len(batch)
                log.exception("daily batch of %d schedules failed", len(batch))
            if len(batch) < self.batch_size or self.stopping():
                break
        return report

    async def seconds_until_next(self, interval_seconds: float) -> float:
        """How long to sleep: the earlier of ``interval_seconds`` and the next due run."""
        now = self._now()
        upcoming = await self.store.next_due_after(now, self.shard_count, self.shard_ids)
        if upcoming is None:
            return interval_seconds
        return max(0.0, min(interval_seconds, (upcoming - now).total_seconds()))

    async def run_forever(self, interval_seconds: float, stop_event: asyncio.Event) -> None:
        """Tick, then sleep until the earlier of ``interval_seconds`` and the next due
        run, until ``stop_event`` is set. One failed tick never ends the loop.

        Setting ``stop_event`` during a tick lets the posts already being sent finish
        (each is marked sent), releases the claims not yet sent for the next process,
        and returns without starting another batch."""
        self._stop = stop_event
        while not stop_event.is_set():
            delay = interval_seconds
            report = TickReport(errors=1)
            try:
                report = await self.tick()
                if report.due:
                    log.info("daily tick: %s", report)
                delay = await self.seconds_until_next(interval_seconds)
            except Exception:
                log.exception("daily tick failed")
            if self.on_tick is not None:
                self.on_tick(report)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop_event.wait(), timeout=delay)

    # -- one schedule ----------------------------------------------------------------

    async def _batch(
        self, batch: list[Schedule], report: TickReport, cache: dict[str | None, list[str]]
    ) -> None:
        """Claim the batch's days in one transaction, choose the quotes in another, then
        send with bounded concurrency; each send is recorded as soon as it is done."""
        wanted: dict[int, tuple[Schedule, date]] = {}
        for schedule in batch:
            try:
                local_date = await self._due_date(schedule, report)
            except Exception:
                report.errors += 1
                log.exception("daily schedule of guild %s is unusable", schedule.guild_id)
                continue
            if local_date is not None:
                wanted[schedule.guild_id] = (schedule, local_date)
        if not wanted:
            return

        claims = await self.store.claim_many(
            [(guild_id, day) for guild_id, (_, day) in wanted.items()],
            self.token,
            self._now(),
            lease=self.lease,
            max_attempts=self.max_attempts,
        )
        report.claimed += len(claims)
        for guild_id, (schedule, day) in wanted.items():
            if guild_id not in claims:
                await self._guarded(self._not_claimed(schedule, day, report), guild_id, report)

        eligible: dict[int, list[str]] = {}
        for guild_id in claims:
            topic = wanted[guild_id][0].topic
            if topic not in cache:
                cache[topic] = list(await self.eligible_quotes(topic))
            eligible[guild_id] = cache[topic]
        quotes = await self.store.choose_quotes(list(claims.values()), eligible, self.rng)

        semaphore = asyncio.Semaphore(self.concurrency)

        async def send(claim: Claim) -> None:
            async with semaphore:
                schedule = wanted[claim.guild_id][0]
                if self.stopping() and claim.attempts < self.max_attempts:
                    await self._guarded(self._hand_back(claim), claim.guild_id, report)
                    return
                await self._guarded(
                    self._send(schedule, claim, quotes.get(claim.guild_id), report),
                    claim.guild_id,
                    report,
                )

        await asyncio.gather(*(send(c) for c in claims.values()))

    @staticmethod
    async def _guarded(work: Awaitable[None], guild_id: int, report: TickReport) -> None:
        """Errors for one server never stop the others."""
        try:
            await work
        except Exception:
            report.errors += 1
            log.exception("daily post for guild %s failed unexpectedly", guild_id)

    async def _due_date(self, schedule: Schedule, report: TickReport) -> date | None:
        """The local date to post for now, or None after moving a stale run on."""
        guild_id = schedule.guild_id
        now = self._now()
        try:
            zone = schedule.zone
        except (ZoneInfoNotFoundError, ValueError):
            await self.store.pause(guild_id, reasons.encode(reasons.BAD_ZONE, schedule.timezone), now=now)
            report.paused += 1
            return None
        at = schedule.local_time
        local_date = is_due_today(now, zone, at, schedule.last_local_date)
        if local_date is None:
            # An earlier day's run, missed during downtime, with today's not yet due:
            # no back-fill, just move on to the next run.
            due, _ = next_run(now, zone, at, after_local_date=schedule.last_local_date)
            await self.store.reschedule(guild_id, due, expected=schedule.next_run_utc, now=now)
            report.advanced += 1
        return local_date

    async def _not_claimed(self, schedule: Schedule, local_date: date, report: TickReport) -> None:
        """Someone else holds or settled the day; tidy up only what is provably stale."""
        now = self._now()
        post = await self.store.post(schedule.guild_id, local_date)
        following, _ = next_run(now, schedule.zone, schedule.local_time, after_local_date=local_date)
        if post is None:
            report.skipped += 1  # disabled between the due query and the claim
        elif post.status in ("sent", "failed"):
            # Settled (normally with the schedule moved on in the same transaction).
            await self.store.reschedule(
                schedule.guild_id,
                following,
                expected=schedule.next_run_utc,
                now=now,
                settled=local_date,
            )
            report.skipped += 1
        elif post.attempts >= self.max_attempts and (
            post.status == "retry" or post.claimed_at <= now - self.lease
        ):
            if await self._recorded_if_posted(schedule, local_date, post.quote_id, report):
                return
            await self.store.mark_failed(
                schedule.guild_id,
                local_date,
                reasons.encode(reasons.GAVE_UP, f"{post.attempts} × {post.error or '?'}"),
                following,
                now=now,
            )
            report.failed += 1
        else:
            report.skipped += 1  # in flight in another process

    async def _send(self, schedule: Schedule, claim: Claim, quote_id: str | None, report: TickReport) -> None:
        guild_id, local_date = schedule.guild_id, claim.local_date
        if quote_id is None:
            await self.store.mark_failed(
                guild_id,
                local_date,
                reasons.encode(reasons.NO_QUOTES, schedule.topic or ""),
                self._following(schedule, local_date),
                now=self._now(),
            )
            log.warning("daily post for guild %s: nothing eligible", guild_id)
            report.failed += 1
            return

        nonce = daily_nonce(guild_id, local_date)
        try:
            if claim.attempts > 1:
                # An earlier attempt may have posted (a dead process, a lost reply): look first.
                found = await self.poster.find_posted(schedule, local_date, nonce)
                if found is not None:
                    log.info("daily post for guild %s was already made (message %s)", guild_id, found)
                    await self._record_sent(schedule, local_date, found, quote_id)
                    report.sent += 1
                    report.found += 1
                    return
            message_id = await self.poster.post(schedule, quote_id, nonce)
        except (ChannelGone, PostForbidden) as exc:
            if isinstance(exc, ChannelGone):
                code = reasons.CHANNEL_GONE
            elif isinstance(exc, HistoryUnreadable):
                code = reasons.HISTORY
            else:
                code = reasons.FORBIDDEN
            reason = reasons.encode(code, exc.reason)
            await self.store.mark_failed(
                guild_id,
                local_date,
                reason,
                self._following(schedule, local_date),
                now=self._now(),
                quote_id=quote_id,
                pause_reason=reason,
            )
            log.warning("daily post for guild %s paused: %s", guild_id, reason)
            report.paused += 1
            return
        except Exception as exc:
            # TransientPostError, or anything unexpected from the poster: retry later.
            if not isinstance(exc, TransientPostError):
                log.exception("daily post for guild %s: unexpected poster error", guild_id)
            await self._retry_or_give_up(schedule, claim, f"{type(exc).__name__}: {exc}", report)
            return

        await self._record_sent(schedule, local_date, message_id, quote_id)
        report.sent += 1

    async def _hand_back(self, claim: Claim) -> None:
        """A claim not yet sent when the process stops: release it (its quote is kept) so a
        restart or another process sends it at once rather than after the lease."""
        now = self._now()
        await self.store.release_for_retry(
            claim.guild_id, claim.local_date, "not sent: the process was stopping", now, now=now
        )

    async def _record_sent(
        self, schedule: Schedule, local_date: date, message_id: int, quote_id: str
    ) -> None:
        """Record a post Discord accepted, retrying until the database takes it (locked,
        full disk): the claim is never released for re-sending while the post exists. If
        this process dies meanwhile, the takeover finds the post in the channel."""
        delay = 0.2
        while True:
            try:
                await self.store.mark_sent(
                    schedule.guild_id,
                    local_date,
                    message_id,
                    quote_id,
                    self._following(schedule, local_date),
                    now=self._now(),
                )
                return
            except Exception:
                log.warning(
                    "daily post for guild %s was sent (message %s) but not recorded; retrying in %.1f s",
                    schedule.guild_id,
                    message_id,
                    delay,
                    exc_info=True,
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, RECORD_RETRY_MAX_SECONDS)

    async def _recorded_if_posted(
        self, schedule: Schedule, local_date: date, quote_id: str | None, report: TickReport
    ) -> bool:
        """Before giving a day up: record it as sent if its post is in the channel."""
        if quote_id is None:
            return False  # the quote is recorded on the claim before any send
        try:
            found = await self.poster.find_posted(
                schedule, local_date, daily_nonce(schedule.guild_id, local_date)
            )
        except PostError as exc:
            log.warning("daily post for guild %s: could not look for it: %s", schedule.guild_id, exc)
            return False
        if found is None:
            return False
        await self._record_sent(schedule, local_date, found, quote_id)
        report.sent += 1
        report.found += 1
        return True

    async def _retry_or_give_up(
        self, schedule: Schedule, claim: Claim, error: str, report: TickReport
    ) -> None:
        now = self._now()
        if claim.attempts >= self.max_attempts:
            await self.store.mark_failed(
                schedule.guild_id,
                claim.local_date,
                reasons.encode(reasons.GAVE_UP, f"{claim.attempts} × {error}"),
                self._following(schedule, claim.local_date),
                now=now,
            )
            log.warning("daily post for guild %s failed for the day: %s", schedule.guild_id, error)
            report.failed += 1
            return
        retry_at = now + self.retry_backoff * (3 ** (claim.attempts - 1))
        await self.store.release_for_retry(schedule.guild_id, claim.local_date, error, retry_at, now=now)
        log.info(
            "daily post for guild %s: %s; attempt %d of %d at %s",
            schedule.guild_id,
            error,
            claim.attempts + 1,
            self.max_attempts,
            retry_at.isoformat(),
        )
        report.retrying += 1

    def _following(self, schedule: Schedule, local_date: date) -> datetime:
        """The due instant of the first local date after ``local_date``."""
        due, _ = next_run(self._now(), schedule.zone, schedule.local_time, after_local_date=local_date)
        return due
