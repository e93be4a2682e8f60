"""Settings: one typed object built at start-up from the environment and an optional ``.env``.

Never built at import time. The token is a ``Secret`` whose repr and str
never show it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.pack import DEFAULT_DATA_DIR

DISCORD_API = "https://discord.com/api/v10"


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
    pass


@dataclass(frozen=True)
class Settings:
    token: Secret = field(default_factory=lambda: Secret(""))
    database: Path = Path("var/exponent.sqlite3")
    data_dir: Path = DEFAULT_DATA_DIR
    api_base: str = DISCORD_API
    dev_guild: int | None = None
    log_level: str = "INFO"
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    daily_tick_seconds: float = 30.0
    cooldown: tuple[int, float] = (5, 20.0)  # commands per member per seconds

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, env_file: Path | None = None) -> Settings:
        values = dict(read_env_file(env_file or Path(".env")))
        values.update(os.environ if env is None else env)

        def get(name: str) -> str | None:
            value = values.get(name)
            return value.strip() if value and value.strip() else None

        def int_or_none(name: str) -> int | None:
            raw = get(name)
            if raw is None:
                return None
            try:
                return int(raw)
            except ValueError:
                raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None

        shard_ids_raw = get("EXPONENT_SHARD_IDS")
        try:
            shard_ids = tuple(int(s) for s in shard_ids_raw.split(",")) if shard_ids_raw else None
        except ValueError:
            raise SettingsError("EXPONENT_SHARD_IDS must be comma-separated numbers") from None
        shard_count = int_or_none("EXPONENT_SHARD_COUNT")
        if shard_ids is not None and shard_count is None:
            raise SettingsError("EXPONENT_SHARD_IDS needs EXPONENT_SHARD_COUNT")
        if shard_ids and shard_count and any(not 0 <= s < shard_count for s in shard_ids):
            raise SettingsError("every shard id must be below EXPONENT_SHARD_COUNT")
        tick = get("EXPONENT_DAILY_TICK_SECONDS")
        cooldown = _cooldown(get("EXPONENT_COOLDOWN") or "5/20")
        return cls(
            token=Secret(get("DISCORD_TOKEN") or ""),
            database=Path(get("EXPONENT_DATABASE") or "var/exponent.sqlite3"),
            data_dir=Path(get("EXPONENT_DATA_DIR") or DEFAULT_DATA_DIR),
            api_base=(get("DISCORD_API_BASE") or DISCORD_API).rstrip("/"),
            dev_guild=int_or_none("EXPONENT_DEV_GUILD"),
            log_level=(get("EXPONENT_LOG_LEVEL") or "INFO").upper(),
            shard_count=shard_count,
            shard_ids=shard_ids,
            daily_tick_seconds=float(tick) if tick else 30.0,
            cooldown=cooldown,
        )


def _cooldown(raw: str) -> tuple[int, float]:
    """``RATE/SECONDS``, e.g. ``5/20``: five commands per member per twenty seconds."""
    rate, _, per = raw.partition("/")
    try:
        parsed = (int(rate), float(per))
    except ValueError:
        raise SettingsError(f"EXPONENT_COOLDOWN must look like 5/20, not {raw!r}") from None
    if parsed[0] < 1 or parsed[1] <= 0:
        raise SettingsError("EXPONENT_COOLDOWN needs a positive rate and period")
    return parsed


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
