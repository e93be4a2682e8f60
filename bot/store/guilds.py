"""Per-server settings. Never touched by a data import."""

from __future__ import annotations

import datetime as dt

from bot.lang import AUTO
from bot.store.database import Database


class GuildStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def language(self, guild_id: int) -> str:
        value = await self.db.fetchval(
            "SELECT language FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        return AUTO if value is None else str(value)

    async def set_language(self, guild_id: int, language: str) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO guild_settings (guild_id, language, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET language = excluded.language,"
                " updated_at = excluded.updated_at",
                (guild_id, language, dt.datetime.now(dt.UTC).isoformat()),
            )


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
