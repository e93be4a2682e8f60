"""The one SQLite connection: pragmas, migrations recorded in the database, write transactions.

A single writer connection with WAL and a busy timeout; every write runs in
``BEGIN IMMEDIATE`` so two processes on one file serialise instead of failing
mid-transaction. Migrations are applied in the same transaction as their
record in ``schema_migrations``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.migrations import MIGRATIONS

log = logging.getLogger(__name__)

Row = aiosqlite.Row


class DatabaseUnavailable(Exception):
    """The database file cannot be opened or migrated: one line saying which file, what is
    wrong and what to do. Everything opened so far is already closed when it is raised."""

    def __init__(self, path: str, problem: str, remedy: str) -> None:
        self.path, self.problem, self.remedy = path, problem, remedy
        super().__init__(f"cannot use the database {path}: {problem}. {remedy}")


def explain_failure(path: str, exc: BaseException) -> DatabaseUnavailable:
    """What went wrong opening ``path``, and what the operator can do about it."""
    text = str(exc) or type(exc).__name__
    lowered = text.lower()
    target = Path(path)
    if target.is_dir():
        return DatabaseUnavailable(
            path,
            "it is a directory, not a file",
            "Set EXPONENT_DATABASE to a file path, or remove the directory.",
        )
    if isinstance(exc, PermissionError) or any(
        word in lowered for word in ("readonly", "read-only", "permission", "unable to open", "access")
    ):
        return DatabaseUnavailable(
            path,
            text,
            "Fix the permissions: the bot must be able to write the file and its directory "
            "(or set EXPONENT_DATABASE to a writable path).",
        )
    if any(word in lowered for word in ("not a database", "malformed", "corrupt", "disk image")):
        return DatabaseUnavailable(
            path,
            f"the file is damaged ({text})",
            "Restore it from a backup, or move it aside to start an empty database "
            "(schedules and server settings are kept only in this file).",
        )
    if "no such table" in lowered or "no such column" in lowered:
        return DatabaseUnavailable(
            path,
            f"its tables do not match this version of the bot ({text})",
            "It was probably written by another build; move it aside to start an empty database, "
            "or run the build that made it.",
        )
    if "full" in lowered or "space" in lowered:
        return DatabaseUnavailable(path, text, "Free some disk space, then start again.")
    return DatabaseUnavailable(
        path, text, "Restore the file from a backup, or check the disk and its permissions."
    )


class Database:
    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        # One connection serves every coroutine; two interleaved BEGINs on it would fail.
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        """Open and migrate; raises :class:`DatabaseUnavailable` with nothing left open.

        A connection left open after a failed PRAGMA or migration keeps aiosqlite's
        thread alive, and the process would never exit.
        """
        path = str(path)
        conn: aiosqlite.Connection | None = None
        try:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = await aiosqlite.connect(path, isolation_level=None)
            conn.row_factory = aiosqlite.Row
            db = cls(conn, path)
            await conn.execute("PRAGMA busy_timeout = 10000")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await db._migrate()
        except (sqlite3.Error, OSError) as exc:
            if conn is not None:
                await _close_quietly(conn)
            raise explain_failure(path, exc) from exc
        except BaseException:
            if conn is not None:
                await _close_quietly(conn)
            raise
        return db

    async def close(self) -> None:
        await self.conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    async def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Row]:
        # One hop to the database thread (execute, fetch and close together).
        return list(await self.conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def applied_migrations(self) -> list[int]:
        rows = await self.fetchall("SELECT version FROM schema_migrations ORDER BY version")
        return [int(r[0]) for r in rows]

    async def _migrate(self) -> None:
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        for version, name, sql in MIGRATIONS:
            async with self.transaction() as conn:
                # Checked inside the write lock, so two processes starting together apply it once.
                async with conn.execute(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)
                ) as cursor:
                    if await cursor.fetchone():
                        continue
                log.info("applying migration %s (%s)", version, name)
                for statement in _statements(sql):
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, dt.datetime.now(dt.UTC).isoformat()),
                )
        # Also a write probe: a file opened read-only (SQLite falls back silently) fails here
        # at start-up rather than at the first post or setting.
        await self.conn.execute(f"PRAGMA user_version = {max(v for v, _, _ in MIGRATIONS)}")


async def _close_quietly(conn: aiosqlite.Connection) -> None:
    """Close after a failure; the connection's thread must end even if closing fails too."""
    try:
        await conn.close()
    except Exception:
        log.debug("closing the database after a failed open also failed", exc_info=True)
        conn.stop()


def _statements(sql: str) -> list[str]:
    """Split a migration into statements; trigger bodies (BEGIN … END;) stay whole."""
    statements: list[str] = []
    current: list[str] = []
    in_trigger = False
    for line in sql.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("--"):
            continue
        current.append(line)
        upper = stripped.upper()
        if upper.startswith("CREATE TRIGGER"):
            in_trigger = True
        if (in_trigger and upper == "END;") or (not in_trigger and stripped.endswith(";")):
            statements.append("\n".join(current))
            current = []
            in_trigger = False
    if current:
        statements.append("\n".join(current))
    return statements
