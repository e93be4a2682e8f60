"""What /healthz judges and /metrics prints, from what the bot observed."""

from __future__ import annotations

from bot.daily import TickReport
from bot.telemetry import ShardState, Telemetry


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


UP = [ShardState(0, True, 0.042), ShardState(1, True, 0.051)]


def ticked(tick_seconds: float = 30.0) -> tuple[Telemetry, Clock]:
    clock = Clock()
    telemetry = Telemetry(tick_seconds=tick_seconds, clock=clock)
    telemetry.daily_ticked(TickReport())
    return telemetry, clock


def test_healthy_when_shards_are_connected_the_database_answers_and_the_dispatcher_ticks() -> None:
    telemetry, clock = ticked()
    clock.now += 10
    health = telemetry.health(UP, None)
    assert health.ok
    assert health.body["status"] == "ok" and health.body["failing"] == []
    assert health.body["gateway"][0] == {"shard": 0, "connected": True, "latency_ms": 42.0}
    assert health.body["daily_last_tick_seconds_ago"] == 10.0


def test_each_failing_part_is_named() -> None:
    telemetry, clock = ticked(tick_seconds=30)
    clock.now += 151  # 3 ticks + a minute
    health = telemetry.health([ShardState(0, True, 0.04), ShardState(1, False, None)], "no answer within 2 s")
    assert not health.ok
    assert health.body["failing"] == [
        "gateway: shard(s) 1 not connected",
        "database: no answer within 2 s",
        "daily dispatcher: last tick 151 s ago",
    ]


def test_not_healthy_before_connecting_or_before_the_first_tick_or_while_stopping() -> None:
    telemetry = Telemetry()
    assert telemetry.health([], None).body["failing"] == ["gateway: not connected", "daily dispatcher: not started"]
    telemetry, _ = ticked()
    telemetry.stopping = True
    assert telemetry.health(UP, None).body["failing"] == ["shutting down"]


def test_metrics_count_interactions_posts_and_show_the_pack() -> None:
    telemetry, _ = ticked()
    telemetry.interaction("quote", "ok", 0.012)
    telemetry.interaction("quote", "ok", 0.3)
    telemetry.interaction("fact", "error_reply", 0.02)
    telemetry.interaction("fact", "autocomplete", None)
    telemetry.daily_ticked(TickReport(due=3, claimed=3, sent=2, paused=1))
    telemetry.set_pack("0123456789abcdef", {"quotes": 245, "facts": 123})
    telemetry.set_schedules({"active": 2, "paused": 1, "off": 0})
    telemetry.set_shards(UP)
    text = telemetry.render().decode()
    assert 'exponent_interactions_total{command="quote",outcome="ok"} 2.0' in text
    assert 'exponent_interactions_total{command="fact",outcome="autocomplete"} 1.0' in text
    assert 'exponent_answer_seconds_bucket{command="quote",le="0.025"} 1.0' in text
    assert 'exponent_answer_seconds_count{command="fact"} 1.0' in text
    assert 'exponent_daily_posts_total{result="sent"} 2.0' in text
    assert 'exponent_daily_posts_total{result="failed"} 0.0' in text
    assert 'exponent_daily_schedules{state="paused"} 1.0' in text
    assert 'exponent_data_pack_info{digest="0123456789ab"} 1.0' in text
    assert 'exponent_data_pack_items{kind="quotes"} 245.0' in text
    assert 'exponent_gateway_latency_seconds{shard="1"} 0.051' in text
    assert 'exponent_gateway_connected{shard="0"} 1.0' in text
