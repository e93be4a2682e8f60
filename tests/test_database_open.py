"""A database that cannot be opened, migrated or written ends the process at once, with one clear line.

Issue 9 #1: a failed PRAGMA or migration used to leave aiosqlite's thread running, so
``stats``, ``ask`` and ``run`` printed a traceback and never exited.
"""

from __future__ import annotations

import contextlib
import os
import random
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.pack import DEFAULT_DATA_DIR
from bot.service import open_knowledge
from bot.store import Store
from bot.store.database import DatabaseUnavailable

REPO = Path(__file__).resolve().parent.parent
PAGE = 4096


def _aiosqlite_threads() -> int:
    return sum(1 for t in threading.enumerate() if type(t).__module__.startswith("aiosqlite"))


async def _migrated(path: Path) -> Path:
    store = await Store.open(path)
    await store.close()
    return path


def _corrupt_header(tmp_path: Path) -> Path:
    path = tmp_path / "x.sqlite3"
    path.write_bytes(b"not a database")
    return path


async def _truncated(tmp_path: Path) -> Path:
    path = await _migrated(tmp_path / "x.sqlite3")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3 + 50])
    return path


async def _random_pages(tmp_path: Path) -> Path:
    path = await _migrated(tmp_path / "x.sqlite3")
    data = bytearray(path.read_bytes())
    rng = random.Random(9)
    # Page 1 past the 100-byte file header holds the schema; damage it and a few others.
    for start in [100, *(PAGE * rng.randrange(1, len(data) // PAGE) for _ in range(3))]:
        end = min(len(data), (start // PAGE + 1) * PAGE)
        data[start:end] = rng.randbytes(end - start)
    path.write_bytes(bytes(data))
    return path


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """``path`` made read-only even for root (chmod, then the immutable attribute)."""
    mode = path.stat().st_mode
    path.chmod(0o555 if path.is_dir() else 0o444)
    immutable = False
    try:
        if os.access(path, os.W_OK):  # root ignores the mode bits
            done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
            if done.returncode != 0:
                pytest.skip("cannot make a file read-only for this user")
            immutable = True
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True, check=False)
        path.chmod(mode)


@pytest.mark.parametrize(
    "make", [_corrupt_header, _truncated, _random_pages], ids=["header", "truncated", "pages"]
)
async def test_damaged_database_file_is_refused_with_a_backup_hint_and_nothing_left_open(
    tmp_path: Path, make: object
) -> None:
    made = make(tmp_path)  # type: ignore[operator]
    path = await made if hasattr(made, "__await__") else made
    before = _aiosqlite_threads()
    with pytest.raises(DatabaseUnavailable) as caught:
        await open_knowledge(path, DEFAULT_DATA_DIR)
    message = str(caught.value)
    assert str(path) in message
    assert "backup" in message
    assert "\n" not in message
    assert _aiosqlite_threads() == before


async def test_read_only_database_file_is_refused_with_a_permissions_hint(tmp_path: Path) -> None:
    path = await _migrated(tmp_path / "x.sqlite3")
    before = _aiosqlite_threads()
    with _read_only(path), pytest.raises(DatabaseUnavailable) as caught:
        await Store.open(path)
    assert "permissions" in str(caught.value)
    assert _aiosqlite_threads() == before


async def test_read_only_directory_is_refused_with_a_permissions_hint(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    before = _aiosqlite_threads()
    with _read_only(folder), pytest.raises(DatabaseUnavailable) as caught:
        await Store.open(folder / "new.sqlite3")
    assert "permissions" in str(caught.value)
    assert _aiosqlite_threads() == before


async def test_directory_where_the_file_should_be_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    path.mkdir()
    with pytest.raises(DatabaseUnavailable) as caught:
        await Store.open(path)
    assert "is a directory" in str(caught.value)


@pytest.mark.parametrize("args", [["stats"], ["ask", "/fact revenue"], ["run"]])
def test_cli_with_a_corrupt_database_exits_non_zero_at_once_with_one_line(
    tmp_path: Path, args: list[str]
) -> None:
    database = _corrupt_header(tmp_path)
    env = {
        **os.environ,
        "EXPONENT_DATABASE": str(database),
        "DISCORD_TOKEN": "fake-token",
        "DISCORD_API_BASE": "http://127.0.0.1:9/api/v10",  # never reached
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=20,  # the bug was a hang: without the fix this raises TimeoutExpired
        check=False,
    )
    assert done.returncode == 1
    # `run` logs its start-up at INFO; the failure itself is one line.
    lines = [line for line in done.stderr.splitlines() if str(database) in line]
    assert len(lines) == 1, done.stderr
    assert "backup" in lines[0]
    assert "Traceback" not in done.stderr
