"""Small promises of issue 9 #5: /daily show says a post is being retried rather than showing
a past time, and a command is deferred at once when the bot is behind."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.daily_status import daily_status
from bot.discordbot.replies import BUSY_COMMANDS, defer_after
from bot.lang import Lang
from bot.store.daily import DailyPost, PostStatus, RotationProgress, Schedule

NOW = datetime(2025, 1, 10, 1, 5, tzinfo=UTC)


def _schedule(next_run: datetime) -> Schedule:
    return Schedule(
        guild_id=1, channel_id=2, local_time=time(9, 0), timezone="Asia/Shanghai", lang=None, topic=None,
        enabled=True, paused_reason=None, next_run_utc=next_run, last_local_date=date(2025, 1, 9),
        created_at=NOW - timedelta(days=3), updated_at=NOW - timedelta(days=1),
    )  # fmt: skip


def _post(status: PostStatus) -> DailyPost:
    return DailyPost(
        guild_id=1, local_date=date(2025, 1, 10), status=status, claimed_by="dead", claimed_at=NOW - timedelta(minutes=4),
        attempts=1, quote_id="q-1", message_id=None, error=None,
    )  # fmt: skip


def _next_field(schedule: Schedule, last: DailyPost | None, lang: Lang = Lang.EN) -> str:
    _, fields = daily_status(
        schedule, last, RotationProgress(1, 10), lang, topic_name=None, post_language="English", now=NOW
    )
    return fields[0].value


@pytest.mark.parametrize(
    ("lang", "words"),
    [(Lang.EN, "being sent or retried"), (Lang.ZH_HANS, "正在发送或重试"), (Lang.ZH_HANT, "正在傳送或重試")],
)
def test_daily_show_says_a_claimed_post_past_its_time_is_being_retried(lang: Lang, words: str) -> None:
    shown = _next_field(_schedule(NOW - timedelta(minutes=5)), _post("claimed"), lang)
    assert words in shown and "2025-01-10" in shown
    assert "<t:" not in shown  # no time already past


def test_daily_show_gives_the_next_time_when_nothing_is_in_flight() -> None:
    upcoming = NOW + timedelta(hours=23)
    assert _next_field(_schedule(upcoming), _post("sent")) == (
        f"<t:{int(upcoming.timestamp())}:F> (<t:{int(upcoming.timestamp())}:R>)"
    )
    assert "<t:" in _next_field(_schedule(NOW - timedelta(minutes=5)), None)  # due, not yet claimed


def test_a_command_is_deferred_at_once_when_the_bot_is_behind() -> None:
    assert defer_after(age=0.05, answering=0, configured=2.0) == pytest.approx(1.95)  # normal
    assert defer_after(age=1.5, answering=0, configured=2.0) == pytest.approx(0.5)  # arrived late
    assert defer_after(age=2.5, answering=0, configured=2.0) == 0.0  # late: defer at once
    assert defer_after(age=0.05, answering=BUSY_COMMANDS, configured=2.0) == 0.0  # loop busy
    assert defer_after(age=0.05, answering=0, configured=0.0) == 0.0
