"""Pure time arithmetic for the daily quote: the local time of day and due instants.

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
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import BadTime

__all__ = [
    "BadLocalTime",
    "due_instant",
    "is_due_today",
    "local_date_for",
    "next_run",
    "parse_local_time",
]

# A time that is not 24-hour HH:MM: a user error (bot/errors.py). Time zones: bot/zones.py.
BadLocalTime = BadTime

_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})", re.ASCII)


# --------------------------------------------------------------------------- parsing


def parse_local_time(text: str) -> time:
    """Parse a 24-hour ``HH:MM`` / ``H:MM`` wall time (full-width forms accepted); raises BadTime."""
    normalized = unicodedata.normalize("NFKC", text).strip()
    match = _TIME_RE.fullmatch(normalized)
    if match is None:
        raise BadTime(text, "format")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour == 24 and minute == 0:
        raise BadTime(text, "midnight")
    if not 0 <= hour <= 23:
        raise BadTime(text, "hour")
    if not 0 <= minute <= 59:
        raise BadTime(text, "minute")
    return time(hour, minute)


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
