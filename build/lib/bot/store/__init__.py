"""The one data-access layer. ``Store`` groups the repositories over one database.

Everything Discord-facing and every command reaches SQLite only through
here; a PostgreSQL implementation would sit behind the same methods.
"""

from __future__ import annotations

from pathlib import Path

from bot.store.content import ContentStore
from bot.store.daily import DailyStore
from bot.store.database import Database
from bot.store.guilds import GuildStore, MetaStore


class Store:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.content = ContentStore(db)
        self.guilds = GuildStore(db)
        self.daily = DailyStore(db)
        self.meta = MetaStore(db)

    @classmethod
    async def open(cls, path: str | Path) -> Store:
        return cls(await Database.open(path))

    async def close(self) -> None:
        await self.db.close()


__all__ = ["Store"]
