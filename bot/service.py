"""Opening the knowledge base: the store, the shipped data imported if it changed, the answering core.

Used by the bot at start-up and by every offline command, so both answer
from the same data through the same code.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from bot.chart_sync import sync_charts
from bot.knowledge import Knowledge
from bot.pack import PackError, load_pack, pack_digest
from bot.store import Store
from bot.store.database import DatabaseUnavailable, explain_failure
from bot.verify import verify

log = logging.getLogger(__name__)


async def sync_pack(store: Store, data_dir: Path, *, force: bool = False) -> bool:
    """Import ``data_dir`` when it differs from what the database holds. Refuses a bad pack whole."""
    if not force and await store.content.pack_digest() == pack_digest(data_dir):
        return False
    pack, problems = load_pack(data_dir)
    problems += verify(pack, data_dir)
    if problems:
        raise PackError(problems)
    changed = await store.content.import_pack(pack, force=force)
    if changed:
        log.info(
            "imported data pack %s: %d quotes, %d facts, %d passages",
            pack.digest[:12],
            len(pack.quotes),
            len(pack.facts),
            len(pack.passages),
        )
    return changed


async def open_knowledge(database: Path | str, data_dir: Path) -> tuple[Store, Knowledge]:
    """The store and the answering core; raises :class:`DatabaseUnavailable` (with nothing
    left open) when the database cannot be opened, migrated or written."""
    store = await Store.open(database)
    try:
        await sync_pack(store, data_dir)
        await sync_charts(store, data_dir)
        knowledge = await Knowledge.load(store)
    except sqlite3.Error as exc:
        await store.close()
        raise explain_failure(str(database), exc) from exc
    except BaseException:
        await store.close()
        raise
    return store, knowledge


__all__ = ["DatabaseUnavailable", "open_knowledge", "sync_pack"]
