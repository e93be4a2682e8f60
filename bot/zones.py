"""Time zones as people type them: IANA names, cities in Chinese or English, and UTC offsets.

``GMT+8``, ``UTC+8`` and ``UTC+05:30`` mean east of UTC, as people mean them (IANA's
``Etc/GMT+8`` is POSIX-signed: eight hours *behind*). An offset is answered with the city
zones that keep it first (Asia/Shanghai, Asia/Taipei, Asia/Hong_Kong, Asia/Singapore for
+8), then the fixed zone; a fixed zone (``EST``, ``Etc/GMT-8``) has no daylight saving
time, which the confirmation says. Nothing here touches Discord or the clock: the instant
used to name offsets is an argument.
"""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from datetime import datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process

from bot.errors import UnknownZone

__all__ = [
    "COMMON_TIMEZONES",
    "is_fixed",
    "offset_text",
    "parse_timezone",
    "timezone_choices",
    "zone_label",
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


# Cities people name, in Chinese (both scripts) and English, and what they mean.
CITY_ZONES: dict[str, str] = {
    **dict.fromkeys(
        (
            "上海",
            "北京",
            "深圳",
            "广州",
            "廣州",
            "杭州",
            "成都",
            "重庆",
            "重慶",
            "南京",
            "武汉",
            "武漢",
            "中国",
            "中國",
            "beijing",
            "peking",
            "shenzhen",
            "guangzhou",
            "hangzhou",
            "chengdu",
            "china",
            "prc",
        ),
        "Asia/Shanghai",
    ),
    **dict.fromkeys(
        ("台北", "臺北", "台湾", "臺灣", "台灣", "高雄", "台中", "臺中", "新北", "taiwan", "taipei"),
        "Asia/Taipei",
    ),
    **dict.fromkeys(("香港", "hong kong", "hongkong", "hk"), "Asia/Hong_Kong"),
    **dict.fromkeys(("澳门", "澳門", "macau", "macao"), "Asia/Macau"),
    **dict.fromkeys(("新加坡", "singapore"), "Asia/Singapore"),
    **dict.fromkeys(("东京", "東京", "日本", "japan"), "Asia/Tokyo"),
    **dict.fromkeys(("首尔", "首爾", "韩国", "韓國", "korea"), "Asia/Seoul"),
    **dict.fromkeys(
        ("纽约", "紐約", "波士顿", "波士頓", "nyc", "new york", "boston", "washington"), "America/New_York"
    ),
    **dict.fromkeys(
        (
            "洛杉矶",
            "洛杉磯",
            "旧金山",
            "舊金山",
            "硅谷",
            "矽谷",
            "西雅图",
            "西雅圖",
            "san francisco",
            "seattle",
            "silicon valley",
            "bay area",
        ),
        "America/Los_Angeles",
    ),
    **dict.fromkeys(("芝加哥", "chicago"), "America/Chicago"),
    **dict.fromkeys(("多伦多", "多倫多", "toronto"), "America/Toronto"),
    **dict.fromkeys(("温哥华", "溫哥華", "vancouver"), "America/Vancouver"),
    **dict.fromkeys(("伦敦", "倫敦", "英国", "英國", "london", "uk"), "Europe/London"),
    **dict.fromkeys(("巴黎", "paris"), "Europe/Paris"),
    **dict.fromkeys(("柏林", "berlin"), "Europe/Berlin"),
    **dict.fromkeys(("悉尼", "雪梨", "sydney"), "Australia/Sydney"),
    **dict.fromkeys(("墨尔本", "墨爾本", "melbourne"), "Australia/Melbourne"),
    **dict.fromkeys(
        ("孟买", "孟買", "新德里", "印度", "mumbai", "delhi", "new delhi", "bangalore", "india"),
        "Asia/Kolkata",
    ),
}

# Abbreviations that are not IANA names: the places people mean by them.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "est": ("America/New_York",),
    "mst": ("America/Denver",),
    "hst": ("Pacific/Honolulu",),
    "pst": ("America/Los_Angeles",),
    "pdt": ("America/Los_Angeles",),
    "pt": ("America/Los_Angeles",),
    "edt": ("America/New_York",),
    "et": ("America/New_York",),
    "cst": ("Asia/Shanghai", "America/Chicago", "Asia/Taipei"),
    "cdt": ("America/Chicago",),
    "mdt": ("America/Denver",),
    "jst": ("Asia/Tokyo",),
    "kst": ("Asia/Seoul",),
    "hkt": ("Asia/Hong_Kong",),
    "sgt": ("Asia/Singapore",),
    "ist": ("Asia/Kolkata",),
    "bst": ("Europe/London",),
    "cest": ("Europe/Paris",),
    "aest": ("Australia/Sydney",),
}

# Cities that keep each offset (standard time), offered before the fixed zone, most asked first.
OFFSET_CITIES: dict[int, tuple[str, ...]] = {
    8 * 60: ("Asia/Shanghai", "Asia/Taipei", "Asia/Hong_Kong", "Asia/Singapore", "Australia/Perth"),
    9 * 60: ("Asia/Tokyo", "Asia/Seoul"),
    7 * 60: ("Asia/Bangkok", "Asia/Jakarta", "Asia/Ho_Chi_Minh"),
    5 * 60 + 30: ("Asia/Kolkata",),
    5 * 60 + 45: ("Asia/Kathmandu",),
    6 * 60 + 30: ("Asia/Yangon",),
    3 * 60 + 30: ("Asia/Tehran",),
    9 * 60 + 30: ("Australia/Darwin", "Australia/Adelaide"),
    10 * 60: ("Australia/Sydney", "Australia/Brisbane"),
    12 * 60: ("Pacific/Auckland",),
    4 * 60: ("Asia/Dubai",),
    3 * 60: ("Europe/Moscow", "Europe/Istanbul"),
    2 * 60: ("Africa/Johannesburg", "Africa/Cairo"),
    1 * 60: ("Europe/Paris", "Europe/Berlin", "Africa/Lagos"),
    0: ("Europe/London", "UTC"),
    -3 * 60: ("America/Sao_Paulo",),
    -3 * 60 - 30: ("America/St_Johns",),
    -5 * 60: ("America/New_York", "America/Toronto"),
    -6 * 60: ("America/Chicago", "America/Mexico_City"),
    -7 * 60: ("America/Denver", "America/Phoenix"),
    -8 * 60: ("America/Los_Angeles", "America/Vancouver"),
    -10 * 60: ("Pacific/Honolulu",),
}

# ``UTC+8``, ``GMT +08:00``, ``+0530``, ``utc-5``: east of UTC is plus, as people write it.
_OFFSET_RE = re.compile(r"(?:utc|gmt|z)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.ASCII)

# IANA zones with one offset all year: no daylight saving time.
_FIXED_NAMES = frozenset({"EST", "MST", "HST"})


def _offset_minutes(text: str) -> int | None:
    """Minutes east of UTC for an offset typed as people mean it, or None if it is not one."""
    found = _OFFSET_RE.fullmatch(unicodedata.normalize("NFKC", text).strip().casefold())
    if found is None:
        return None
    hours, minutes = int(found.group(2)), int(found.group(3) or 0)
    if hours > 14 or minutes >= 60 or hours * 60 + minutes > 14 * 60:
        return None
    total = hours * 60 + minutes
    return -total if found.group(1) == "-" else total


def _fixed_zone(minutes: int) -> str | None:
    """The IANA fixed zone for a whole-hour offset (POSIX sign: ``Etc/GMT-8`` is UTC+8)."""
    if minutes % 60:
        return None
    hours = minutes // 60
    if hours == 0:
        return "UTC"
    name = f"Etc/GMT{-hours:+d}"
    return name if name in _zone_map().values() else None


def is_fixed(name: str) -> bool:
    """A zone that never changes its offset, though its name may suggest a place that does."""
    return name in _FIXED_NAMES or (name.startswith("Etc/GMT") and name not in ("Etc/GMT", "Etc/GMT0"))


def offset_text(zone: ZoneInfo, at: datetime) -> str:
    """The zone's offset at ``at`` as people write it: ``+08:00``, ``-04:00``, ``+05:30``."""
    offset = zone.utcoffset(at.replace(tzinfo=None)) or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def zone_label(name: str, at: datetime) -> str:
    """A zone as a reader understands it: ``Asia/Shanghai``, or ``UTC+08:00`` for ``Etc/GMT-8``."""
    if name.startswith("Etc/GMT") and is_fixed(name):
        return f"UTC{offset_text(ZoneInfo(name), at)}"
    return name


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
    """A zone from an IANA name (any case, spaces for ``_``), a city, or an offset; raises UnknownZone."""
    stripped = name.strip()
    if not stripped:
        raise UnknownZone(name)
    if _is_path_like(stripped) or stripped.casefold() in {z.casefold() for z in _EXCLUDED_ZONES}:
        raise UnknownZone(name)
    city = CITY_ZONES.get(unicodedata.normalize("NFKC", stripped).casefold())
    if city is not None:
        return ZoneInfo(city)
    minutes = _offset_minutes(stripped)
    if minutes is not None:
        fixed = _fixed_zone(minutes)
        if fixed is not None:
            return ZoneInfo(fixed)
        cities = OFFSET_CITIES.get(minutes, ())
        if cities:  # no fixed zone keeps a half-hour offset: the city that does
            return ZoneInfo(cities[0])
        raise UnknownZone(name)
    canonical = _zone_map().get(_zone_key(stripped))
    if canonical is None:
        meant = ABBREVIATIONS.get(stripped.casefold())
        raise UnknownZone(name, meant or _suggest(stripped))
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
    """Zone names for autocomplete: for an offset its cities then its fixed zone; for a city
    its zone; else common zones, prefix, substring, then fuzzy."""
    if limit <= 0:
        return []
    first: list[str] = []
    minutes = _offset_minutes(query[:_MAX_QUERY_LEN])
    if minutes is not None:
        first += OFFSET_CITIES.get(minutes, ())
        fixed = _fixed_zone(minutes)
        if fixed is not None:
            first.append(fixed)
        return first[:limit]
    normalised = unicodedata.normalize("NFKC", query).strip().casefold()
    city = CITY_ZONES.get(normalised)
    if city is not None:
        first.append(city)
    first += [z for z in ABBREVIATIONS.get(normalised, ()) if z not in first]
    key = _zone_key(query[: _MAX_QUERY_LEN * 2])[:_MAX_QUERY_LEN]
    rest = [z for z in _choices(key, limit) if z not in first]
    return (first + rest)[:limit]
