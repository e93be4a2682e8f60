"""Running the real bot process against the fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from tests.fakediscord import FakeDiscord

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "fake-token-SECRET-1234"


def copy_database(source: Path, target: Path) -> Path:
    """A private copy of a closed database file (SQLite's backup API: WAL content included),
    e.g. of the session's imported shipped data (``shipped_template``): importing takes seconds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(sqlite3.connect(source)) as src, contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


class BotProcess:
    def __init__(self, proc: asyncio.subprocess.Process, log_path: Path) -> None:
        self.proc = proc
        self.log_path = log_path

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def stop(self) -> None:
        if self.proc.returncode is None:
            self.proc.terminate()
            try:
                await asyncio.wait_for(self.proc.wait(), 10)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


async def start_bot(
    fake: FakeDiscord, db: Path, log_path: Path, *, command: tuple[str, ...] = ("bot", "run"), **env: str
) -> BotProcess:
    """Start ``python -m bot run`` (or another ``-m`` command) against ``fake``; wait until connected."""
    identified = fake.identify_count
    settings = {"EXPONENT_DATABASE": str(db), "EXPONENT_LOG_LEVEL": "INFO", **env}
    environment = fake.subprocess_env(token=TOKEN, **settings)
    environment.pop("EXPONENT_DEV_GUILD", None)
    handle = log_path.open("ab")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", *command, env=environment, cwd=ROOT,
        stdout=handle, stderr=handle,
    )
    handle.close()
    bot = BotProcess(proc, log_path)
    try:
        await fake.wait_for_identify(identified + 1, timeout=30)
        await fake.wait_for_shards(1, timeout=30)
    except BaseException:
        await bot.stop()
        raise AssertionError(f"{' '.join(command)} did not connect; its log:\n{bot.log[-3000:]}") from None
    return bot


@contextlib.asynccontextmanager
async def running_bot(fake: FakeDiscord, db: Path, log_path: Path, **env: str) -> AsyncIterator[BotProcess]:
    bot = await start_bot(fake, db, log_path, **env)
    try:
        yield bot
    finally:
        await bot.stop()
