from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.chart_sync import CACHE_ENV
from bot.knowledge import Knowledge
from bot.pack import DEFAULT_DATA_DIR
from bot.service import open_knowledge
from bot.store import Store
from tests.e2e_support import copy_database

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def chart_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Charts are drawn (a child process with matplotlib) once per session, shared by every database."""
    path = tmp_path_factory.mktemp("charts")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(path))
        yield path


@pytest.fixture
def minipack(tmp_path: Path) -> Path:
    """A private copy of the small test pack, safe to break."""
    target = tmp_path / "pack"
    shutil.copytree(FIXTURES / "minipack", target)
    return target


@pytest.fixture(scope="session")
def shipped_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data imported once per session; tests get copies (see ``copy_database``)."""
    path = tmp_path_factory.mktemp("shipped-template") / "db.sqlite3"

    async def build() -> None:
        store, _ = await open_knowledge(path, DEFAULT_DATA_DIR)
        await store.close()

    asyncio.run(build())
    return path


@pytest.fixture(scope="module")
def shipped_db(tmp_path_factory: pytest.TempPathFactory, shipped_template: Path) -> Path:
    """The shipped data in a private database file per module (a copy: importing takes seconds)."""
    return copy_database(shipped_template, tmp_path_factory.mktemp("shipped") / "db.sqlite3")


@pytest.fixture
async def shipped(shipped_db: Path) -> AsyncIterator[tuple[Store, Knowledge]]:
    store, knowledge = await open_knowledge(shipped_db, DEFAULT_DATA_DIR)
    yield store, knowledge
    await store.close()


@pytest.fixture
async def mini(tmp_path: Path, minipack: Path) -> AsyncIterator[tuple[Store, Knowledge]]:
    store, knowledge = await open_knowledge(tmp_path / "db.sqlite3", minipack)
    yield store, knowledge
    await store.close()
