"""Pure time arithmetic for the daily quote: parsing, time zones and due instants.

Nothing here touches Discord, the clock or the disk.  Every function takes the
current instant as an argument, so the scheduling rules can be tested with
fixed, timezone-aware datetimes.

Scheduling rules
----------------
* The post for local date ``D`` is due at ``D`` + ``at`` (wall time in the server zone).
* If that wall time does not exist on ``D`` (spring-forward gap), the post is due at
  the first valid instant after the gap, e.g. 02:30 on the US spring-forward day in
  America/New_York is due at 03:00 EDT.
* If that wall time happens twice (fall-back), the post is due at the first
  occurrence only.
* Catch-up: after downtime, a missed post for the *current* local date is made once;
  earlier dates are never back-filled (see :func:`is_due_today`).
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process

__all__ = [
    "COMMON_TIMEZONES",
    "BadLocalTime",
    "UnknownTimezone",
    "due_instant",
    "is_due_today",
    "local_date_for",
    "next_run",
    "parse_local_time",
    "parse_timezone",
    "timezone_choices",
]

#: Zones offered first by autocomplete when nothing has been typed yet.
COMMON_TIMEZONES: tuple[str, ...] = (
    "Asia/Shanghai",
    "Asia/Taipei",
    "Asia/Hong_Kong",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Kolkata",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Vancouver",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Moscow",
    "Australia/Sydney",
    "Australia/Perth",
    "Pacific/Auckland",
    "Asia/Dubai",
    "Africa/Johannesburg",
    "UTC",
)
_COMMON_SET = frozenset(COMMON_TIMEZONES)

_MAX_CHOICE_LEN = 100  # Discord's limit for an autocomplete choice name/value.
_MAX_QUERY_LEN = 100
_SUGGESTION_COUNT = 3
_FUZZY_CUTOFF = 70.0

# Entries of available_timezones() that are not useful (or not safe) as a server zone.
_EXCLUDED_ZONES = frozenset({"localtime", "posixrules", "Factory"})

_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})", re.ASCII)


class BadLocalTime(ValueError):
    """Raised when a local time of day cannot be parsed."""


class UnknownTimezone(ValueError):
    """Raised when a time zone name is not a known IANA zone."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        self.name = name
        self.suggestions = suggestions
        shown = _clip(name)
        if suggestions:
            message = (
                f"Unknown time zone {shown!r}. Did you mean: {', '.join(suggestions)}? "
                "Use an IANA name such as Asia/Shanghai or Europe/London."
            )
        else:
            message = (
                f"Unknown time zone {shown!r}. Use an IANA name such as Asia/Shanghai, Europe/London or UTC."
            )
        super().__init__(message)


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------- parsing


def parse_local_time(text: str) -> time:
    """Parse a 24-hour ``HH:MM`` / ``H:MM`` wall time (full-width forms accepted)."""
    normalized = unicodedata.normalize("NFKC", text).strip()
    match = _TIME_RE.fullmatch(normalized)
    if match is None:
        raise BadLocalTime(f"Invalid time {_clip(text)!r}: use 24-hour HH:MM, for example 09:05 or 21:30.")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour == 24 and minute == 0:
        raise BadLocalTime("Invalid time '24:00': use 00:00 for midnight.")
    if not 0 <= hour <= 23:
        raise BadLocalTime(f"Invalid time {_clip(text)!r}: the hour must be between 00 and 23.")
    if not 0 <= minute <= 59:
        raise BadLocalTime(f"Invalid time {_clip(text)!r}: the minutes must be between 00 and 59.")
    return time(hour, minute)


def _zone_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().replace(" ", "_").casefold()


@cache
def _zone_map() -> dict[str, str]:
    """Lower-cased (casefolded) key -> canonical IANA name."""
    names = (zoneinfo.available_timezones() - _EXCLUDED_ZONES) | {"UTC"}
    return {_zone_key(name): name for name in sorted(names)}


@cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(_zone_map().values()))


def _is_path_like(name: str) -> bool:
    return (
        ".." in name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or name.endswith("/")
        or "//" in name
    )


def parse_timezone(name: str) -> ZoneInfo:
    """Resolve an IANA zone name case-insensitively (spaces may stand for ``_``)."""
    stripped = name.strip()
    if not stripped:
        raise UnknownTimezone(name)
    if _is_path_like(stripped) or stripped.casefold() in {z.casefold() for z in _EXCLUDED_ZONES}:
        raise UnknownTimezone(name)
    canonical = _zone_map().get(_zone_key(stripped))
    if canonical is None:
        raise UnknownTimezone(name, _suggest(stripped))
    return ZoneInfo(canonical)


def _suggest(name: str) -> tuple[str, ...]:
    key = _zone_key(name)[:_MAX_QUERY_LEN]
    return tuple(_fuzzy(key, _SUGGESTION_COUNT, frozenset()))


@cache
def _fuzzy_index() -> tuple[list[str], list[str]]:
    """Parallel lists: a matchable key (full name or a place segment) and its zone name."""
    keys: list[str] = []
    names: list[str] = []
    for name, zone_key, segments in _choice_index():
        for candidate in (zone_key, *segments[1:]):
            keys.append(candidate)
            names.append(name)
    return keys, names


def _fuzzy(key: str, limit: int, exclude: frozenset[str]) -> list[str]:
    """Up to ``limit`` zones whose full name or place segment is close to ``key``."""
    keys, names = _fuzzy_index()
    found: list[str] = []
    hits = process.extract(
        key, keys, scorer=fuzz.ratio, limit=limit * 3 + len(exclude), score_cutoff=_FUZZY_CUTOFF
    )
    for _, _, position in hits:
        name = names[position]
        if name not in exclude and name not in found:
            found.append(name)
            if len(found) == limit:
                break
    return found


# ----------------------------------------------------------------------- autocomplete


@cache
def _choice_index() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(canonical, key, key segments) for each zone, common zones first then alphabetical."""
    common_rank = {name: i for i, name in enumerate(COMMON_TIMEZONES)}
    names = sorted(
        (n for n in _zone_names() if len(n) <= _MAX_CHOICE_LEN),
        key=lambda n: (common_rank.get(n, len(common_rank)), n),
    )
    return tuple((n, _zone_key(n), tuple(_zone_key(n).split("/"))) for n in names)


@lru_cache(maxsize=2048)
def _choices(key: str, limit: int) -> tuple[str, ...]:
    index = _choice_index()
    if not key:
        return tuple(name for name, _, _ in index[:limit])

    # Prefix of the full name or of a place segment ("shang" -> Asia/Shanghai) ranks
    # above a plain substring; within the prefix group, common zones come first.
    common: list[str] = []
    prefix: list[str] = []
    segment_prefix: list[str] = []
    substring: list[str] = []
    for name, zone_key, segments in index:
        if zone_key.startswith(key):
            (common if name in _COMMON_SET else prefix).append(name)
        elif any(seg.startswith(key) for seg in segments[1:]):
            (common if name in _COMMON_SET else segment_prefix).append(name)
        elif key in zone_key:
            substring.append(name)
    result = (common + prefix + segment_prefix + substring)[:limit]

    if len(result) < limit:
        result.extend(_fuzzy(key, limit - len(result), frozenset(result)))
    return tuple(result)


def timezone_choices(query: str, limit: int = 25) -> list[str]:
    """Zone names for autocomplete: common zones, else prefix, substring, then fuzzy."""
    if limit <= 0:
        return []
    key = _zone_key(query[: _MAX_QUERY_LEN * 2])[:_MAX_QUERY_LEN]
    return list(_choices(key, limit))


# ------------------------------------------------------------------------- scheduling


def _require_aware(value: datetime, what: str = "now_utc") -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime, got naive {value!r}")


def local_date_for(now_utc: datetime, zone: ZoneInfo) -> date:
    """The calendar date in ``zone`` at the instant ``now_utc``."""
    _require_aware(now_utc)
    return now_utc.astimezone(zone).date()


def _wall(dt: datetime) -> tuple[int, int, int, int, int, int, int]:
    return (dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.microsecond)


def due_instant(local_date: date, zone: ZoneInfo, at: time) -> datetime:
    """UTC instant at which the post for ``local_date`` is due (see module docstring)."""
    if at.tzinfo is not None:
        raise ValueError("at must be a naive wall-clock time; the zone is given separately")
    first = datetime.combine(local_date, at.replace(fold=0), tzinfo=zone)
    candidate = first.astimezone(UTC)
    if _wall(candidate.astimezone(zone)) == _wall(first):
        # The wall time exists; for a repeated time fold=0 is the first occurrence.
        return candidate

    # Spring-forward gap.  fold=0 maps the wall time with the offset from before the
    # transition (too late), fold=1 with the offset after it (too early); the transition
    # lies in (early, late].  Find it: the first instant whose wall time is >= ``first``.
    early = first.replace(fold=1).astimezone(UTC)
    late = candidate
    if early > late:  # Defensive: never expected for a gap.
        early, late = late, early
    target = _wall(first)
    lo = int(early.timestamp()) - 1  # wall(lo) < target
    hi = int(late.timestamp()) + 1  # wall(hi) >= target
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _wall(datetime.fromtimestamp(mid, tz=UTC).astimezone(zone)) >= target:
            hi = mid
        else:
            lo = mid
    return datetime.fromtimestamp(hi, tz=UTC)


def next_run(
    now_utc: datetime,
    zone: ZoneInfo,
    at: time,
    *,
    after_local_date: date | None = None,
) -> tuple[datetime, date]:
    """Earliest ``(due_utc, local_date)`` with ``due_utc >= now_utc``.

    If ``after_local_date`` (the last date already posted) is given, the returned
    local date is strictly later than it.  A post that is already overdue today is
    not returned here; use :func:`is_due_today` for catch-up.
    """
    _require_aware(now_utc)
    candidate = local_date_for(now_utc, zone) - timedelta(days=1)
    if after_local_date is not None and candidate <= after_local_date:
        candidate = after_local_date + timedelta(days=1)
    while True:
        due = due_instant(candidate, zone, at)
        if due >= now_utc:
            return due, candidate
        candidate += timedelta(days=1)


def is_due_today(
    now_utc: datetime,
    zone: ZoneInfo,
    at: time,
    last_posted_local_date: date | None,
) -> date | None:
    """The current local date if its post is due (or overdue) and not yet made, else None.

    Only the current local date is ever returned, so after downtime a missed post for
    today is made once, and earlier days are not back-filled.
    """
    _require_aware(now_utc)
    today = local_date_for(now_utc, zone)
    if last_posted_local_date is not None and last_posted_local_date >= today:
        return None
    if due_instant(today, zone, at) <= now_utc:
        return today
    return None
