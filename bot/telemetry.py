"""What ``/metrics`` and ``/healthz`` report, as plain Python fed by the Discord layer and the dispatcher.

One :class:`Telemetry` per process, created in ``main()`` and handed to the bot: it owns its own
Prometheus registry (nothing global, nothing at import time), counts interactions and daily
posts, and judges health from what the caller observed (shards, database) and when the daily
dispatcher last ticked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    disable_created_metrics,
    generate_latest,
)

from bot.daily import TickReport

# Discord drops an interaction not answered within 3 s; the buckets bracket that.
ANSWER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
DAILY_RESULTS = ("sent", "failed", "paused", "retrying")


@dataclass(frozen=True)
class ShardState:
    id: int
    connected: bool
    latency: float | None  # heartbeat round trip in seconds; None before the first


@dataclass(frozen=True)
class Health:
    ok: bool
    body: dict[str, Any]


class Telemetry:
    def __init__(self, *, tick_seconds: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        # The dispatcher ticks at least every tick_seconds; a long tick (thousands of posts)
        # or a slow database gets a minute's slack before health says it stalled.
        self.tick_stale_after = 3 * tick_seconds + 60.0
        self.last_tick: float | None = None
        self.stopping = False
        # No *_created series: start times add nothing a scraper needs.
        disable_created_metrics()  # type: ignore[no-untyped-call]
        r = self.registry = CollectorRegistry()
        self.interactions = Counter(
            "exponent_interactions",
            "Interactions handled, by command and outcome.",
            ["command", "outcome"],
            registry=r,
        )
        self.answer_seconds = Histogram(
            "exponent_answer_seconds",
            "Seconds from receiving an interaction to sending its answer, by command.",
            ["command"],
            buckets=ANSWER_BUCKETS,
            registry=r,
        )
        self.gateway_connected = Gauge(
            "exponent_gateway_connected",
            "1 when the shard's gateway connection is open.",
            ["shard"],
            registry=r,
        )
        self.gateway_latency = Gauge(
            "exponent_gateway_latency_seconds",
            "Gateway heartbeat round trip, by shard.",
            ["shard"],
            registry=r,
        )
        self.daily_posts = Counter(
            "exponent_daily_posts", "Daily posts by result since start.", ["result"], registry=r
        )
        for result in DAILY_RESULTS:
            self.daily_posts.labels(result)
        self.daily_schedules = Gauge(
            "exponent_daily_schedules", "Daily schedules in the database, by state.", ["state"], registry=r
        )
        self.daily_last_tick = Gauge(
            "exponent_daily_last_tick_age_seconds",
            "Seconds since the daily dispatcher last ticked.",
            registry=r,
        )
        self.daily_last_tick.set_function(
            lambda: -1.0 if self.last_tick is None else self.clock() - self.last_tick
        )
        self.pack = Info("exponent_data_pack", "The data pack the bot answers from.", registry=r)
        self.pack_items = Gauge(
            "exponent_data_pack_items", "Items in the data pack, by kind.", ["kind"], registry=r
        )

    # -- fed by the bot ------------------------------------------------------------------

    def interaction(self, command: str, outcome: str, seconds: float | None) -> None:
        self.interactions.labels(command, outcome).inc()
        if seconds is not None:
            self.answer_seconds.labels(command).observe(seconds)

    def daily_ticked(self, report: TickReport) -> None:
        self.last_tick = self.clock()
        for result in DAILY_RESULTS:
            count = getattr(report, result)
            if count:
                self.daily_posts.labels(result).inc(count)

    def set_pack(self, digest: str | None, counts: Mapping[str, int]) -> None:
        self.pack.info({"digest": (digest or "none")[:12]})
        for kind, count in counts.items():
            self.pack_items.labels(kind).set(count)

    def set_schedules(self, by_state: Mapping[str, int]) -> None:
        for state, count in by_state.items():
            self.daily_schedules.labels(state).set(count)

    def set_shards(self, shards: Sequence[ShardState]) -> None:
        self.gateway_connected.clear()
        self.gateway_latency.clear()
        for shard in shards:
            self.gateway_connected.labels(str(shard.id)).set(1 if shard.connected else 0)
            if shard.latency is not None:
                self.gateway_latency.labels(str(shard.id)).set(shard.latency)

    def render(self) -> bytes:
        return generate_latest(self.registry)

    # -- judged for /healthz -------------------------------------------------------------

    def health(self, shards: Sequence[ShardState], database_problem: str | None) -> Health:
        """Healthy when every shard is connected, the database answers and the dispatcher ticks."""
        failing: list[str] = []
        if self.stopping:
            failing.append("shutting down")
        down = [s.id for s in shards if not s.connected]
        if not shards:
            failing.append("gateway: not connected")
        elif down:
            failing.append(f"gateway: shard(s) {', '.join(map(str, down))} not connected")
        if database_problem:
            failing.append(f"database: {database_problem}")
        age = None if self.last_tick is None else self.clock() - self.last_tick
        if age is None:
            failing.append("daily dispatcher: not started")
        elif age > self.tick_stale_after:
            failing.append(f"daily dispatcher: last tick {age:.0f} s ago")
        body: dict[str, Any] = {
            "status": "failing" if failing else "ok",
            "failing": failing,
            "gateway": [
                {
                    "shard": s.id,
                    "connected": s.connected,
                    "latency_ms": None if s.latency is None else round(s.latency * 1000, 1),
                }
                for s in shards
            ],
            "database": database_problem or "ok",
            "daily_last_tick_seconds_ago": None if age is None else round(age, 1),
        }
        return Health(not failing, body)
