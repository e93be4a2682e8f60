from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.knowledge import Knowledge
from bot.service import open_knowledge
from bot.store import Store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def minipack(tmp_path: Path) -> Path:
    """A private copy of the small test pack, safe to break."""
    target = tmp_path / "pack"
    shutil.copytree(FIXTURES / "minipack", target)
    return target


@pytest.fixture
async def mini(tmp_path: Path, minipack: Path) -> AsyncIterator[tuple[Store, Knowledge]]:
    store, knowledge = await open_knowledge(tmp_path / "db.sqlite3", minipack)
    yield store, knowledge
    await store.close()
