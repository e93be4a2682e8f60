"""Behaviour of bot.daily_time: parsing the time of day, due instants, DST and catch-up (zones: test_zones).

All instants are fixed, timezone-aware datetimes; nothing reads the real clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.daily_time import (
    BadLocalTime,
    due_instant,
    is_due_today,
    local_date_for,
    next_run,
    parse_local_time,
)
from bot.i18n import error_message
from bot.lang import Lang

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
SHANGHAI = ZoneInfo("Asia/Shanghai")
KOLKATA = ZoneInfo("Asia/Kolkata")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def simulate_minutely(
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
    at: time,
    last_posted: date | None = None,
    step: timedelta = timedelta(minutes=1),
) -> list[tuple[datetime, date]]:
    """Poll is_due_today every ``step`` like a naive scheduler would; return the posts."""
    posts: list[tuple[datetime, date]] = []
    now = start
    while now <= end:
        due = is_due_today(now, zone, at, last_posted)
        if due is not None:
            posts.append((now, due))
            last_posted = due
        now += step
    return posts


# ------------------------------------------------------------------ parse_local_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:05", time(9, 5)),
        ("9:05", time(9, 5)),
        ("0:00", time(0, 0)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        (" 21:30 ", time(21, 30)),
        ("０９：０５", time(9, 5)),
        ("９:０５", time(9, 5)),
    ],
)
def test_parse_local_time_accepts_24_hour_clock_forms(text: str, expected: time) -> None:
    assert parse_local_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "25:00",
        "9",
        "ab:cd",
        "24:00",
        "12:60",
        "9:5",
        "09:05:00",
        "-1:00",
        "",
        "  ",
        "9h05",
        "١٢:٠٠",
        "09 05",
        "009:05",
    ],
)
def test_parse_local_time_rejects_malformed_or_out_of_range(text: str) -> None:
    with pytest.raises(BadLocalTime):
        parse_local_time(text)


@pytest.mark.parametrize(
    ("typed", "problem", "english"),
    [
        ("ab:cd", "format", "use 24-hour HH:MM"),
        ("25:00", "hour", "the hour must be between 00 and 23"),
        ("09:75", "minute", "the minutes must be between 00 and 59"),
        ("24:00", "midnight", "use 00:00 for midnight"),
    ],
)
def test_bad_local_time_says_which_part_is_off_in_each_language(typed: str, problem: str, english: str) -> None:
    with pytest.raises(BadLocalTime) as caught:
        parse_local_time(typed)
    assert caught.value.problem == problem
    assert english in error_message(caught.value, Lang.EN)
    assert "无效" in error_message(caught.value, Lang.ZH_HANS)
    assert "無效" in error_message(caught.value, Lang.ZH_HANT)


# -------------------------------------------------------------------- local_date_for


@pytest.mark.parametrize(
    ("now", "zone", "expected"),
    [
        (utc(2024, 1, 1, 16, 0), SHANGHAI, date(2024, 1, 2)),  # 00:00 next day in Shanghai
        (utc(2024, 1, 1, 15, 59), SHANGHAI, date(2024, 1, 1)),
        (utc(2024, 1, 1, 18, 30), KOLKATA, date(2024, 1, 2)),
        (utc(2024, 1, 1, 18, 29), KOLKATA, date(2024, 1, 1)),
        (utc(2024, 1, 1, 18, 15), KATHMANDU, date(2024, 1, 2)),
        (utc(2024, 1, 1, 18, 14), KATHMANDU, date(2024, 1, 1)),
        (utc(2024, 1, 2, 4, 59), NEW_YORK, date(2024, 1, 1)),  # 23:59 EST
        (utc(2024, 1, 2, 5, 0), NEW_YORK, date(2024, 1, 2)),
    ],
)
def test_local_date_follows_the_server_zone_not_utc(
    now: datetime, zone: ZoneInfo, expected: date
) -> None:
    assert local_date_for(now, zone) == expected


def test_local_date_accepts_any_aware_datetime() -> None:
    now = datetime(2024, 1, 2, 0, 30, tzinfo=SHANGHAI)
    assert local_date_for(now, NEW_YORK) == date(2024, 1, 1)


# ---------------------------------------------------------------------- due_instant


@pytest.mark.parametrize(
    ("local_date", "zone", "at", "expected"),
    [
        # No DST.
        (date(2024, 7, 1), SHANGHAI, time(9, 0), utc(2024, 7, 1, 1, 0)),
        (date(2024, 7, 1), SHANGHAI, time(0, 0), utc(2024, 6, 30, 16, 0)),
        (date(2024, 7, 1), KOLKATA, time(9, 0), utc(2024, 7, 1, 3, 30)),
        (date(2024, 7, 1), KOLKATA, time(0, 0), utc(2024, 6, 30, 18, 30)),
        (date(2024, 7, 1), KATHMANDU, time(0, 0), utc(2024, 6, 30, 18, 15)),
        (date(2024, 7, 1), KATHMANDU, time(23, 59), utc(2024, 7, 1, 18, 14)),
        # Local 23:59 west of UTC lands on the next UTC date.
        (date(2024, 1, 1), NEW_YORK, time(23, 59), utc(2024, 1, 2, 4, 59)),
        (date(2024, 7, 1), NEW_YORK, time(23, 59), utc(2024, 7, 2, 3, 59)),
        (date(2024, 1, 1), NEW_YORK, time(0, 0), utc(2024, 1, 1, 5, 0)),
        (date(2024, 1, 1), LONDON, time(0, 0), utc(2024, 1, 1, 0, 0)),
        (date(2024, 7, 1), LONDON, time(0, 0), utc(2024, 6, 30, 23, 0)),
        (date(2024, 1, 1), ZoneInfo("UTC"), time(12, 0), utc(2024, 1, 1, 12, 0)),
    ],
)
def test_due_instant_on_ordinary_days(
    local_date: date, zone: ZoneInfo, at: time, expected: datetime
) -> None:
    due = due_instant(local_date, zone, at)
    assert due == expected
    assert due.tzinfo is UTC


@pytest.mark.parametrize(
    ("local_date", "zone", "at", "expected"),
    [
        # New York springs forward 2024-03-10 02:00 EST -> 03:00 EDT (07:00 UTC).
        (date(2024, 3, 10), NEW_YORK, time(1, 59), utc(2024, 3, 10, 6, 59)),
        (date(2024, 3, 10), NEW_YORK, time(2, 0), utc(2024, 3, 10, 7, 0)),
        (date(2024, 3, 10), NEW_YORK, time(2, 30), utc(2024, 3, 10, 7, 0)),
        (date(2024, 3, 10), NEW_YORK, time(2, 59), utc(2024, 3, 10, 7, 0)),
        (date(2024, 3, 10), NEW_YORK, time(3, 0), utc(2024, 3, 10, 7, 0)),
        (date(2024, 3, 10), NEW_YORK, time(3, 1), utc(2024, 3, 10, 7, 1)),
        # London springs forward 2024-03-31 01:00 GMT -> 02:00 BST (01:00 UTC).
        (date(2024, 3, 31), LONDON, time(0, 59), utc(2024, 3, 31, 0, 59)),
        (date(2024, 3, 31), LONDON, time(1, 30), utc(2024, 3, 31, 1, 0)),
        (date(2024, 3, 31), LONDON, time(2, 0), utc(2024, 3, 31, 1, 0)),
        (date(2024, 3, 31), LONDON, time(2, 1), utc(2024, 3, 31, 1, 1)),
        # Lord Howe shifts by 30 minutes: 2024-10-06 02:00 +10:30 -> 02:30 +11 (15:30 UTC).
        (date(2024, 10, 6), LORD_HOWE, time(1, 59), utc(2024, 10, 5, 15, 29)),
        (date(2024, 10, 6), LORD_HOWE, time(2, 15), utc(2024, 10, 5, 15, 30)),
        (date(2024, 10, 6), LORD_HOWE, time(2, 30), utc(2024, 10, 5, 15, 30)),
        (date(2024, 10, 6), LORD_HOWE, time(2, 31), utc(2024, 10, 5, 15, 31)),
    ],
)
def test_time_in_spring_forward_gap_is_due_at_first_instant_after_gap(
    local_date: date, zone: ZoneInfo, at: time, expected: datetime
) -> None:
    assert due_instant(local_date, zone, at) == expected


@pytest.mark.parametrize(
    ("local_date", "zone", "at", "expected"),
    [
        # New York falls back 2024-11-03 02:00 EDT -> 01:00 EST; 01:xx happens twice.
        (date(2024, 11, 3), NEW_YORK, time(0, 59), utc(2024, 11, 3, 4, 59)),
        (date(2024, 11, 3), NEW_YORK, time(1, 0), utc(2024, 11, 3, 5, 0)),
        (date(2024, 11, 3), NEW_YORK, time(1, 30), utc(2024, 11, 3, 5, 30)),
        (date(2024, 11, 3), NEW_YORK, time(1, 59), utc(2024, 11, 3, 5, 59)),
        (date(2024, 11, 3), NEW_YORK, time(2, 0), utc(2024, 11, 3, 7, 0)),
        # London falls back 2024-10-27 02:00 BST -> 01:00 GMT.
        (date(2024, 10, 27), LONDON, time(1, 30), utc(2024, 10, 27, 0, 30)),
        (date(2024, 10, 27), LONDON, time(2, 0), utc(2024, 10, 27, 2, 0)),
        # Lord Howe falls back 2024-04-07 02:00 +11 -> 01:30 +10:30.
        (date(2024, 4, 7), LORD_HOWE, time(1, 45), utc(2024, 4, 6, 14, 45)),
        (date(2024, 4, 7), LORD_HOWE, time(2, 0), utc(2024, 4, 6, 15, 30)),
    ],
)
def test_repeated_wall_time_is_due_at_first_occurrence(
    local_date: date, zone: ZoneInfo, at: time, expected: datetime
) -> None:
    assert due_instant(local_date, zone, at) == expected


def test_due_instant_ignores_fold_on_the_given_time() -> None:
    at = time(1, 30, fold=1)
    assert due_instant(date(2024, 11, 3), NEW_YORK, at) == utc(2024, 11, 3, 5, 30)


def test_due_instant_rejects_aware_time_of_day() -> None:
    with pytest.raises(ValueError):
        due_instant(date(2024, 1, 1), NEW_YORK, time(9, 0, tzinfo=UTC))


# ------------------------------------------------------------------------- next_run


def test_next_run_is_today_when_time_not_yet_reached() -> None:
    now = utc(2024, 7, 1, 0, 0)  # 08:00 in Shanghai
    assert next_run(now, SHANGHAI, time(9, 0)) == (utc(2024, 7, 1, 1, 0), date(2024, 7, 1))


def test_next_run_at_exact_due_instant_is_that_instant() -> None:
    now = utc(2024, 7, 1, 1, 0)
    assert next_run(now, SHANGHAI, time(9, 0)) == (now, date(2024, 7, 1))


def test_next_run_is_tomorrow_once_time_has_passed() -> None:
    now = utc(2024, 7, 1, 1, 0, 1)
    assert next_run(now, SHANGHAI, time(9, 0)) == (utc(2024, 7, 2, 1, 0), date(2024, 7, 2))


def test_next_run_after_local_date_skips_today_even_if_still_ahead() -> None:
    now = utc(2024, 7, 1, 0, 0)  # 08:00 Shanghai, 09:00 post still ahead
    due, day = next_run(now, SHANGHAI, time(9, 0), after_local_date=date(2024, 7, 1))
    assert (due, day) == (utc(2024, 7, 2, 1, 0), date(2024, 7, 2))


def test_next_run_with_old_after_local_date_does_not_back_fill() -> None:
    now = utc(2024, 7, 10, 0, 0)
    due, day = next_run(now, SHANGHAI, time(9, 0), after_local_date=date(2024, 7, 1))
    assert (due, day) == (utc(2024, 7, 10, 1, 0), date(2024, 7, 10))


def test_next_run_with_future_after_local_date_waits_past_it() -> None:
    now = utc(2024, 7, 1, 0, 0)
    due, day = next_run(now, SHANGHAI, time(9, 0), after_local_date=date(2024, 7, 3))
    assert (due, day) == (utc(2024, 7, 4, 1, 0), date(2024, 7, 4))


def test_next_run_local_midnight_east_of_utc_rolls_the_date() -> None:
    # 18:00 UTC on 1 July is 23:30 on 1 July in Kolkata; midnight post is for 2 July.
    now = utc(2024, 7, 1, 18, 0)
    assert next_run(now, KOLKATA, time(0, 0)) == (utc(2024, 7, 1, 18, 30), date(2024, 7, 2))


def test_next_run_late_evening_west_of_utc_keeps_local_date() -> None:
    # 03:00 UTC on 2 July is 23:00 on 1 July in New York; 23:59 post is still for 1 July.
    now = utc(2024, 7, 2, 3, 0)
    assert next_run(now, NEW_YORK, time(23, 59)) == (utc(2024, 7, 2, 3, 59), date(2024, 7, 1))


def test_next_run_kathmandu_quarter_hour_offset() -> None:
    now = utc(2024, 7, 1, 0, 0)  # 05:45 in Kathmandu
    assert next_run(now, KATHMANDU, time(6, 0)) == (utc(2024, 7, 1, 0, 15), date(2024, 7, 1))


def test_next_run_over_spring_forward_gap() -> None:
    now = utc(2024, 3, 10, 6, 0)  # 01:00 EST on the spring-forward day
    assert next_run(now, NEW_YORK, time(2, 30)) == (utc(2024, 3, 10, 7, 0), date(2024, 3, 10))
    # And the following day is back to a normal 02:30 EDT.
    after = next_run(utc(2024, 3, 10, 7, 0, 1), NEW_YORK, time(2, 30))
    assert after == (utc(2024, 3, 11, 6, 30), date(2024, 3, 11))


def test_next_run_during_second_occurrence_of_repeated_hour_moves_to_tomorrow() -> None:
    # 06:15 UTC is 01:15 EST, the second 01:15 of 2024-11-03; the 01:30 post was at 05:30.
    now = utc(2024, 11, 3, 6, 15)
    due, day = next_run(now, NEW_YORK, time(1, 30), after_local_date=date(2024, 11, 3))
    assert (due, day) == (utc(2024, 11, 4, 6, 30), date(2024, 11, 4))
    # Even without after_local_date the second 01:30 (06:30 UTC) is never a due instant.
    assert next_run(now, NEW_YORK, time(1, 30)) == (utc(2024, 11, 4, 6, 30), date(2024, 11, 4))


@pytest.mark.parametrize("zone", [NEW_YORK, LONDON, SHANGHAI, KOLKATA, KATHMANDU, LORD_HOWE])
@pytest.mark.parametrize("at", [time(0, 0), time(1, 30), time(2, 15), time(9, 0), time(23, 59)])
def test_chaining_next_run_posts_every_local_day_once_through_a_year(
    zone: ZoneInfo, at: time
) -> None:
    now = utc(2024, 1, 1, 0, 0)
    last: date | None = None
    days: list[date] = []
    previous_due: datetime | None = None
    for _ in range(366):
        due, day = next_run(now, zone, at, after_local_date=last)
        assert due >= now
        assert due.tzinfo is UTC
        if previous_due is not None:
            assert due > previous_due
        if last is not None:
            assert day == last + timedelta(days=1)
        days.append(day)
        previous_due, last, now = due, day, due
    assert len(set(days)) == 366


@pytest.mark.parametrize("naive", [datetime(2024, 1, 1, 12, 0)])  # noqa: DTZ001
def test_naive_now_is_rejected(naive: datetime) -> None:
    with pytest.raises(ValueError, match="aware"):
        next_run(naive, SHANGHAI, time(9, 0))
    with pytest.raises(ValueError, match="aware"):
        local_date_for(naive, SHANGHAI)
    with pytest.raises(ValueError, match="aware"):
        is_due_today(naive, SHANGHAI, time(9, 0), None)


# --------------------------------------------------------------------- is_due_today


def test_not_due_before_the_local_time() -> None:
    assert is_due_today(utc(2024, 7, 1, 0, 59), SHANGHAI, time(9, 0), None) is None


def test_due_exactly_at_the_local_time() -> None:
    assert is_due_today(utc(2024, 7, 1, 1, 0), SHANGHAI, time(9, 0), None) == date(2024, 7, 1)


def test_not_due_again_once_today_is_posted() -> None:
    now = utc(2024, 7, 1, 5, 0)
    assert is_due_today(now, SHANGHAI, time(9, 0), date(2024, 7, 1)) is None


def test_catch_up_posts_missed_post_of_current_local_day() -> None:
    # Bot was down from before 09:00 until 15:00 Shanghai time; last post was yesterday.
    now = utc(2024, 7, 1, 7, 0)
    assert is_due_today(now, SHANGHAI, time(9, 0), date(2024, 6, 30)) == date(2024, 7, 1)


def test_catch_up_does_not_back_fill_earlier_days() -> None:
    # Down for three days; comes back at 08:00 Shanghai before today's 09:00 post.
    now = utc(2024, 7, 4, 0, 0)
    assert is_due_today(now, SHANGHAI, time(9, 0), date(2024, 7, 1)) is None
    # At 09:00 only today's post is made, once.
    posts = simulate_minutely(
        utc(2024, 7, 4, 0, 0), utc(2024, 7, 4, 12, 0), SHANGHAI, time(9, 0), date(2024, 7, 1)
    )
    assert posts == [(utc(2024, 7, 4, 1, 0), date(2024, 7, 4))]


def test_catch_up_never_posts_yesterday_after_local_midnight() -> None:
    # 23:59 post missed yesterday (down over midnight); at 00:30 today nothing is due.
    now = utc(2024, 7, 1, 16, 30)  # 00:30 on 2 July in Shanghai
    assert is_due_today(now, SHANGHAI, time(23, 59), date(2024, 6, 30)) is None


def test_first_run_without_history_posts_today_if_time_has_passed() -> None:
    assert is_due_today(utc(2024, 7, 1, 12, 0), SHANGHAI, time(9, 0), None) == date(2024, 7, 1)


def test_repeated_hour_posts_once_in_new_york() -> None:
    posts = simulate_minutely(
        utc(2024, 11, 3, 4, 0), utc(2024, 11, 3, 9, 0), NEW_YORK, time(1, 30), date(2024, 11, 2)
    )
    assert posts == [(utc(2024, 11, 3, 5, 30), date(2024, 11, 3))]


def test_repeated_hour_posts_once_in_london() -> None:
    posts = simulate_minutely(
        utc(2024, 10, 26, 23, 0), utc(2024, 10, 27, 4, 0), LONDON, time(1, 30), date(2024, 10, 26)
    )
    assert posts == [(utc(2024, 10, 27, 0, 30), date(2024, 10, 27))]


def test_repeated_half_hour_posts_once_on_lord_howe() -> None:
    posts = simulate_minutely(
        utc(2024, 4, 6, 13, 0), utc(2024, 4, 6, 17, 0), LORD_HOWE, time(1, 45), date(2024, 4, 6)
    )
    assert posts == [(utc(2024, 4, 6, 14, 45), date(2024, 4, 7))]


@pytest.mark.parametrize(
    ("zone", "day", "at", "start", "expected_post"),
    [
        (NEW_YORK, date(2024, 3, 10), time(2, 30), utc(2024, 3, 10, 5, 0), utc(2024, 3, 10, 7, 0)),
        (LONDON, date(2024, 3, 31), time(1, 30), utc(2024, 3, 30, 23, 0), utc(2024, 3, 31, 1, 0)),
        (
            LORD_HOWE,
            date(2024, 10, 6),
            time(2, 15),
            utc(2024, 10, 5, 14, 0),
            utc(2024, 10, 5, 15, 30),
        ),
    ],
)
def test_gap_time_posts_once_right_after_the_gap(
    zone: ZoneInfo, day: date, at: time, start: datetime, expected_post: datetime
) -> None:
    posts = simulate_minutely(start, start + timedelta(hours=5), zone, at, day - timedelta(days=1))
    assert posts == [(expected_post, day)]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2024, 3, 10, 6, 59), None),  # 01:59 EST, just before the gap
        (utc(2024, 3, 10, 7, 0), date(2024, 3, 10)),  # 03:00 EDT, just after it
        (utc(2024, 3, 10, 7, 1), date(2024, 3, 10)),
    ],
)
def test_gap_time_due_boundary(now: datetime, expected: date | None) -> None:
    assert is_due_today(now, NEW_YORK, time(2, 30), date(2024, 3, 9)) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2024, 11, 3, 5, 29), None),  # first 01:29 EDT
        (utc(2024, 11, 3, 5, 30), date(2024, 11, 3)),  # first 01:30 EDT
        (utc(2024, 11, 3, 6, 29), date(2024, 11, 3)),  # second 01:29 EST, already overdue
    ],
)
def test_repeated_time_due_boundary(now: datetime, expected: date | None) -> None:
    assert is_due_today(now, NEW_YORK, time(1, 30), date(2024, 11, 2)) == expected


def test_local_midnight_post_in_kolkata_is_due_on_previous_utc_date() -> None:
    posts = simulate_minutely(
        utc(2024, 7, 1, 18, 0), utc(2024, 7, 1, 19, 0), KOLKATA, time(0, 0), date(2024, 7, 1)
    )
    assert posts == [(utc(2024, 7, 1, 18, 30), date(2024, 7, 2))]


def test_local_2359_post_in_new_york_is_due_on_next_utc_date() -> None:
    posts = simulate_minutely(
        utc(2024, 1, 2, 4, 0), utc(2024, 1, 2, 6, 0), NEW_YORK, time(23, 59), date(2023, 12, 31)
    )
    assert posts == [(utc(2024, 1, 2, 4, 59), date(2024, 1, 1))]


def test_minutely_polling_over_a_dst_week_posts_exactly_once_per_day() -> None:
    posts = simulate_minutely(
        utc(2024, 3, 7, 12, 0),
        utc(2024, 3, 14, 12, 0),
        NEW_YORK,
        time(2, 30),
        last_posted=date(2024, 3, 7),
        step=timedelta(minutes=5),
    )
    assert [day for _, day in posts] == [date(2024, 3, d) for d in range(8, 15)]
    for posted_at, day in posts:
        assert posted_at == due_instant(day, NEW_YORK, time(2, 30))
