"""Settings: one typed object built at start-up from the environment and an optional ``.env``.

Never built at import time. The token is a ``Secret`` whose repr and str
never show it. Every setting is checked here: a bad one raises
:class:`SettingsError` whose message is one line naming the setting, the value
and what is allowed (the CLI prints it and exits 2).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from bot.pack import DEFAULT_DATA_DIR

DISCORD_API = "https://discord.com/api/v10"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
DAILY_TICK_RANGE = (0.1, 3600.0)
# Lease plus tick should stay well under the few minutes Discord remembers a nonce.
DAILY_LEASE_RANGE = (0.5, 600.0)
SHARD_COUNT_MAX = 10_000
T = TypeVar("T")


def default_database() -> Path:
    """Where the database lives unless ``EXPONENT_DATABASE`` says otherwise; never the working directory.

    A source checkout (``scripts/run.sh``) keeps it in the checkout's ``var/``, found from
    the package like the shipped ``data/``; an installed package uses
    ``$XDG_DATA_HOME/exponent`` (``~/.local/share/exponent``). The Docker image sets
    ``EXPONENT_DATABASE`` to its volume.
    """
    root = Path(__file__).resolve().parent.parent
    if (root / "pyproject.toml").is_file():
        return root / "var" / "exponent.sqlite3"
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "exponent" / "exponent.sqlite3"


def _default_env_file() -> Path:
    """``.env`` in the working directory, else the source checkout's: the same settings from anywhere."""
    here = Path(".env")
    return here if here.is_file() else Path(__file__).resolve().parent.parent / ".env"


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('********')" if self._value else "Secret('')"

    __str__ = __repr__


class SettingsError(ValueError):
    """One bad setting: ``NAME='value': what is allowed``."""

    def __init__(self, name: str, value: str, allowed: str) -> None:
        self.name = name
        self.value = value
        super().__init__(f"{name}={value!r} is not allowed: {allowed}")


@dataclass(frozen=True)
class HttpAddress:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Settings:
    token: Secret = field(default_factory=lambda: Secret(""))
    database: Path = field(default_factory=default_database)
    data_dir: Path = DEFAULT_DATA_DIR
    api_base: str = DISCORD_API
    dev_guild: int | None = None
    log_level: str = "INFO"
    log_format: str = "text"
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    daily_tick_seconds: float = 30.0
    daily_lease_seconds: float = 90.0  # a stale daily claim is taken over after this
    cooldown: tuple[int, float] = (5, 20.0)  # commands per member per seconds
    http: HttpAddress | None = None  # /healthz and /metrics; off by default
    defer_after_seconds: float = 2.0  # "thinking…" shown when an answer takes longer (Discord waits 3 s)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, env_file: Path | None = None) -> Settings:
        values = dict(read_env_file(env_file or _default_env_file()))
        values.update(os.environ if env is None else env)

        def get(name: str) -> str | None:
            value = values.get(name)
            return value.strip() if value and value.strip() else None

        def parsed(name: str, parse: Callable[[str], T], allowed: str) -> T | None:
            raw = get(name)
            if raw is None:
                return None
            try:
                return parse(raw)
            except ValueError:
                raise SettingsError(name, raw, allowed) from None

        token = get("DISCORD_TOKEN") or ""
        if any(ch.isspace() for ch in token):
            # Never echo a token, even a broken one.
            raise SettingsError("DISCORD_TOKEN", "********", "one word without spaces (Bot → Reset Token)")
        shard_count = parsed(
            "EXPONENT_SHARD_COUNT",
            lambda s: _int_in(s, 1, SHARD_COUNT_MAX),
            f"a whole number from 1 to {SHARD_COUNT_MAX}",
        )
        shard_ids = parsed(
            "EXPONENT_SHARD_IDS",
            lambda s: _shard_ids(s, shard_count),
            "comma-separated distinct shard ids, each below EXPONENT_SHARD_COUNT (which must be set)",
        )
        low, high = DAILY_TICK_RANGE
        tick = parsed(
            "EXPONENT_DAILY_TICK_SECONDS",
            lambda s: _float_in(s, low, high),
            f"a number of seconds from {low:g} to {high:g}",
        )
        database = parsed("EXPONENT_DATABASE", _database_path, "a file path whose folder can exist")
        data_dir = parsed("EXPONENT_DATA_DIR", _existing_dir, "an existing directory holding the data pack")
        api_base = parsed("DISCORD_API_BASE", _http_url, "an http:// or https:// URL")
        dev_guild = parsed("EXPONENT_DEV_GUILD", lambda s: _int_in(s, 1, 2**64 - 1), "a server id (digits)")
        level = parsed("EXPONENT_LOG_LEVEL", lambda s: _one_of(s.upper(), LOG_LEVELS), ", ".join(LOG_LEVELS))
        log_format = parsed("EXPONENT_LOG_FORMAT", lambda s: _one_of(s.lower(), LOG_FORMATS), "text or json")
        http = parsed(
            "EXPONENT_HTTP", _http_address, "HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:8080"
        )
        cooldown = parsed("EXPONENT_COOLDOWN", _cooldown, "RATE/SECONDS, e.g. 5/20 (1-1000000 per 1-86400 s)")
        defer = parsed(
            "EXPONENT_DEFER_AFTER_SECONDS", lambda s: _float_in(s, 0.0, 2.5), "seconds from 0 to 2.5"
        )
        lease = parsed(
            "EXPONENT_DAILY_LEASE_SECONDS",
            lambda s: _float_in(s, *DAILY_LEASE_RANGE),
            "a number of seconds from {:g} to {:g}".format(*DAILY_LEASE_RANGE),
        )
        return cls(
            token=Secret(token),
            database=database or default_database(),
            data_dir=data_dir or DEFAULT_DATA_DIR,
            api_base=api_base or DISCORD_API,
            dev_guild=dev_guild,
            log_level=level or "INFO",
            log_format=log_format or "text",
            shard_count=shard_count,
            shard_ids=shard_ids,
            daily_tick_seconds=tick or 30.0,
            cooldown=cooldown or (5, 20.0),
            http=http,
            defer_after_seconds=2.0 if defer is None else defer,
            daily_lease_seconds=lease or 90.0,
        )


def _int_in(raw: str, low: int, high: int) -> int:
    value = int(raw)
    if not low <= value <= high:
        raise ValueError(raw)
    return value


def _float_in(raw: str, low: float, high: float) -> float:
    value = float(raw)
    if not low <= value <= high:  # also refuses nan
        raise ValueError(raw)
    return value


def _one_of(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(value)
    return value


def _shard_ids(raw: str, shard_count: int | None) -> tuple[int, ...]:
    if shard_count is None:
        raise ValueError(raw)
    ids = tuple(_int_in(part.strip(), 0, shard_count - 1) for part in raw.split(","))
    if len(set(ids)) != len(ids):
        raise ValueError(raw)
    return ids


def _cooldown(raw: str) -> tuple[int, float]:
    """``RATE/SECONDS``, e.g. ``5/20``: five commands per member per twenty seconds."""
    rate, _, per = raw.partition("/")
    return _int_in(rate.strip(), 1, 1_000_000), _float_in(per.strip(), 1.0, 86400.0)


def _http_url(raw: str) -> str:
    if not raw.startswith(("http://", "https://")) or len(raw) <= len("https://"):
        raise ValueError(raw)
    return raw.rstrip("/")


def _http_address(raw: str) -> HttpAddress:
    host, sep, port = raw.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit():
        raise ValueError(raw)
    return HttpAddress(host, _int_in(port, 0, 65535))


def _existing_dir(raw: str) -> Path:
    path = Path(raw).expanduser()
    if not path.is_dir():
        raise ValueError(raw)
    return path


def _database_path(raw: str) -> Path:
    path = Path(raw).expanduser()
    if path.is_dir():
        raise ValueError(raw)
    for parent in path.parents:  # the nearest existing folder must be a folder
        if parent.exists():
            if not parent.is_dir():
                raise ValueError(raw)
            break
    return path


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; blank lines and # comments ignored; optional quotes stripped."""
    if not path.is_file():
        return {}
    out: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        out[key.strip().removeprefix("export ").strip()] = value
    return out
