"""Time zones as people type them (bot.zones): IANA names, cities, offsets east of UTC, abbreviations."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UnknownZone as UnknownTimezone
from bot.i18n import error_message
from bot.lang import Lang
from bot.zones import COMMON_TIMEZONES, is_fixed, offset_text, parse_timezone, timezone_choices, zone_label

WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC)


# -------------------------------------------------------------------- parse_timezone


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Asia/Shanghai", "Asia/Shanghai"),
        ("asia/shanghai", "Asia/Shanghai"),
        ("EUROPE/LONDON", "Europe/London"),
        ("america/new_york", "America/New_York"),
        ("America/New York", "America/New_York"),
        ("  Asia/Kolkata  ", "Asia/Kolkata"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("Etc/UTC", "Etc/UTC"),
        ("australia/lord_howe", "Australia/Lord_Howe"),
    ],
)
def test_parse_timezone_matches_iana_names_case_insensitively(name: str, expected: str) -> None:
    zone = parse_timezone(name)
    assert isinstance(zone, ZoneInfo)
    assert zone.key == expected


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "../etc/passwd",
        "/etc/localtime",
        "Asia/../Asia/Shanghai",
        "localtime",
        "LocalTime",
        "Asia\\Shanghai",
        "Asia//Shanghai",
        "Asia/Shanghai/",
        "Factory",
        "xyzzy",
    ],
)
def test_parse_timezone_rejects_empty_path_like_and_unknown_names(name: str) -> None:
    with pytest.raises(UnknownTimezone):
        parse_timezone(name)


@pytest.mark.parametrize(
    ("typo", "suggested"),
    [
        ("Asia/Shangai", "Asia/Shanghai"),
        ("Amerca/New_Yrok", "America/New_York"),
        ("Europe/Londn", "Europe/London"),
        ("kolkatta", "Asia/Kolkata"),
    ],
)
def test_unknown_timezone_suggests_the_closest_names(typo: str, suggested: str) -> None:
    with pytest.raises(UnknownTimezone) as info:
        parse_timezone(typo)
    assert info.value.zones[0] == suggested
    assert suggested in error_message(info.value, Lang.EN)
    assert suggested in error_message(info.value, Lang.ZH_HANS)


def test_unknown_timezone_without_close_match_still_explains_the_format() -> None:
    with pytest.raises(UnknownTimezone) as info:
        parse_timezone("qqqqqqqq")
    assert info.value.zones == ()
    assert "Asia/Shanghai" in error_message(info.value, Lang.EN)
    assert "UTC+8" in error_message(info.value, Lang.ZH_HANS)


def test_path_like_names_get_no_suggestions() -> None:
    with pytest.raises(UnknownTimezone) as info:
        parse_timezone("../../usr/share/zoneinfo/Asia/Shanghai")
    assert info.value.zones == ()


# ------------------------------------------------------------------ timezone_choices


def test_empty_query_offers_common_zones_first() -> None:
    choices = timezone_choices("")
    assert len(choices) == 25
    assert choices[: len(COMMON_TIMEZONES)] == list(COMMON_TIMEZONES)[:25]
    for name in (
        "Asia/Shanghai",
        "Asia/Taipei",
        "Asia/Hong_Kong",
        "America/New_York",
        "Europe/London",
        "UTC",
    ):
        assert name in choices


@pytest.mark.parametrize("limit", [0, 1, 5, 25])
@pytest.mark.parametrize("query", ["", "a", "asia", "America/", "shangai", "zzzz", "x" * 500])
def test_timezone_choices_respects_limit_and_discord_length(query: str, limit: int) -> None:
    choices = timezone_choices(query, limit)
    assert len(choices) <= limit
    assert len(set(choices)) == len(choices)
    for name in choices:
        assert len(name) <= 100
        assert parse_timezone(name).key == name


def test_negative_limit_gives_no_choices() -> None:
    assert timezone_choices("asia", -3) == []


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Asia/Sh", "Asia/Shanghai"),
        ("asia/tai", "Asia/Taipei"),
        ("new_y", "America/New_York"),
        ("new y", "America/New_York"),
        ("LONDON", "Europe/London"),
        ("kolk", "Asia/Kolkata"),
        ("hong", "Asia/Hong_Kong"),
    ],
)
def test_timezone_choices_puts_prefix_matches_first(query: str, first: str) -> None:
    assert timezone_choices(query)[0] == first


def test_timezone_choices_prefix_before_substring() -> None:
    choices = timezone_choices("us", 100)
    prefix = [c for c in choices if c.lower().startswith("us")]
    assert prefix
    assert choices[: len(prefix)] == prefix
    assert "Australia/Sydney" in choices[len(prefix) :]  # substring match, ranked after


def test_timezone_choices_falls_back_to_fuzzy_matches_for_typos() -> None:
    assert "Asia/Shanghai" in timezone_choices("shangai")
    assert timezone_choices("Amerca/New_Yrok", 3)[0] == "America/New_York"


def test_timezone_choices_returns_a_fresh_list_each_time() -> None:
    first = timezone_choices("asia", 5)
    first.clear()
    assert len(timezone_choices("asia", 5)) == 5




# ------------------------------------------------------------------ as people mean them


@pytest.mark.parametrize(
    ("typed", "offset"),
    [
        ("GMT+8", "+08:00"),
        ("UTC+8", "+08:00"),
        ("utc +08:00", "+08:00"),
        ("UTC-5", "-05:00"),
        ("UTC+05:30", "+05:30"),
        ("+0545", "+05:45"),
        ("UTC+0", "+00:00"),
    ],
)
def test_an_offset_means_east_of_utc_for_plus(typed: str, offset: str) -> None:
    zone = parse_timezone(typed)
    assert offset_text(zone, WINTER) == offset
    local = WINTER.astimezone(zone)
    assert local.utcoffset() is not None
    assert offset_text(zone, WINTER) == offset


def test_plus_eight_offers_the_cities_first_and_the_fixed_zone_after() -> None:
    for typed in ("GMT+8", "UTC+8", "+8"):
        choices = timezone_choices(typed)
        assert choices[:4] == ["Asia/Shanghai", "Asia/Taipei", "Asia/Hong_Kong", "Asia/Singapore"]
        assert "Etc/GMT+8" not in choices  # POSIX-signed: eight hours behind UTC
        fixed = [c for c in choices if c.startswith("Etc/")]
        assert fixed == ["Etc/GMT-8"] and zone_label(fixed[0], WINTER) == "UTC+08:00"


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("上海", "Asia/Shanghai"),
        ("北京", "Asia/Shanghai"),
        ("台北", "Asia/Taipei"),
        ("臺北", "Asia/Taipei"),
        ("香港", "Asia/Hong_Kong"),
        ("Beijing", "Asia/Shanghai"),
        ("hong kong", "Asia/Hong_Kong"),
        ("纽约", "America/New_York"),
    ],
)
def test_common_city_names_in_chinese_and_english(typed: str, zone: str) -> None:
    assert parse_timezone(typed).key == zone
    assert timezone_choices(typed)[0] == zone


def test_fixed_abbreviations_are_known_as_fixed_and_cities_are_offered_first() -> None:
    assert parse_timezone("EST").key == "EST" and is_fixed("EST")
    assert timezone_choices("EST")[0] == "America/New_York"
    assert is_fixed("Etc/GMT-8") and not is_fixed("Asia/Shanghai") and not is_fixed("UTC")


def test_abbreviations_that_are_not_zones_suggest_the_places_meant() -> None:
    with pytest.raises(UnknownTimezone) as info:
        parse_timezone("PST")
    assert info.value.zones == ("America/Los_Angeles",)
    with pytest.raises(UnknownTimezone) as info:
        parse_timezone("CST")
    assert info.value.zones[0] == "Asia/Shanghai"


def test_an_impossible_offset_is_refused() -> None:
    with pytest.raises(UnknownTimezone):
        parse_timezone("UTC+15")
    assert ZoneInfo("Asia/Shanghai")  # the real zones are untouched
