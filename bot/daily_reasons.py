"""Why a daily post failed or a schedule paused, stored as a code (plus Discord's detail).

The database keeps ``"<code>"`` or ``"<code>: <detail>"`` (the detail is Discord's status
and error code, e.g. ``HTTP 404, code 10003``), and ``/daily show`` says the code in the
reader's language (``bot.i18n`` keys ``daily.reason.<code>``). Reasons stored before codes
existed were English sentences; ``decode`` recognises them, and anything else is shown as
the "other" reason with its text as a detail.
"""

from __future__ import annotations

CHANNEL_GONE = "channel_gone"
FORBIDDEN = "forbidden"
HISTORY = "history"  # may not read the channel's history, needed to never post twice
BAD_ZONE = "bad_zone"
NO_QUOTES = "no_quotes"
GAVE_UP = "gave_up"
TRANSIENT = "transient"
OTHER = "other"
CODES = (CHANNEL_GONE, FORBIDDEN, HISTORY, BAD_ZONE, NO_QUOTES, GAVE_UP, TRANSIENT, OTHER)

# How reasons read before they were codes (English sentences written by bot/daily.py).
_LEGACY_PREFIXES = (
    ("channel gone", CHANNEL_GONE),
    ("missing permission", FORBIDDEN),
    ("unknown time zone", BAD_ZONE),
    ("no quotes", NO_QUOTES),
    ("gave up after", GAVE_UP),
    ("transientposterror", TRANSIENT),
)


def encode(code: str, detail: str = "") -> str:
    assert code in CODES, code
    return f"{code}: {detail}" if detail else code


def decode(stored: str) -> tuple[str, str]:
    """(code, detail) of a stored reason, old free text included."""
    head, _, detail = stored.partition(": ")
    if head in CODES:
        return head, detail
    lowered = stored.casefold()
    for prefix, code in _LEGACY_PREFIXES:
        if lowered.startswith(prefix):
            return code, detail if detail else ""
    return OTHER, stored
