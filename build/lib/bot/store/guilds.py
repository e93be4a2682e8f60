"""Per-server settings. Never touched by a data import."""

from __future__ import annotations

import datetime as dt
import time

from bot.lang import AUTO
from bot.store.database import Database

# Every command reads its server's language; it changes rarely. A change made in this
# process is seen at once; one made by another shard process within this many seconds.
LANGUAGE_TTL_SECONDS = 10.0


class GuildStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._languages: dict[int, tuple[str, float]] = {}

    async def language(self, guild_id: int) -> str:
        cached = self._languages.get(guild_id)
        now = time.monotonic()
        if cached is not None and cached[1] > now:
            return cached[0]
        value = await self.db.fetchval("SELECT language FROM guild_settings WHERE guild_id = ?", (guild_id,))
        language = AUTO if value is None else str(value)
        if len(self._languages) > 100_000:
            self._languages.clear()
        self._languages[guild_id] = (language, now + LANGUAGE_TTL_SECONDS)
        return language

    async def set_language(self, guild_id: int, language: str) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO guild_settings (guild_id, language, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET language = excluded.language,"
                " updated_at = excluded.updated_at",
                (guild_id, language, dt.datetime.now(dt.UTC).isoformat()),
            )
        self._languages.pop(guild_id, None)


class MetaStore:
    """Small key-value facts about this database (command sync digests, pack digest)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, key: str) -> str | None:
        value = await self.db.fetchval("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else str(value)

    async def set(self, key: str, value: str) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
