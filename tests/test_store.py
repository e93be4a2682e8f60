"""The SQLite store: migrations, imports of the data pack, and what an import never touches."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import Knowledge
from bot.lang import AUTO
from bot.pack import PackError, load_pack
from bot.service import sync_pack
from bot.store import Store
from bot.store.migrations import MIGRATIONS
from bot.verify import verify


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


async def content_snapshot(store: Store) -> dict[str, object]:
    return {
        "digest": await store.content.pack_digest(),
        "counts": await store.content.counts(),
        "quotes": [(q.id, q.text.en, q.text.zh, q.topics) for q in await store.content.all_quotes()],
        "facts": sorted((await store.content.facts()).keys()),
        "topics": {t.id: t.name.en for t in (await store.content.topics()).values()},
    }


# -- migrations ------------------------------------------------------------------------------


async def test_migrations_are_recorded(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        assert await store.db.applied_migrations() == [v for v, _, _ in MIGRATIONS]
        rows = await store.db.fetchall("SELECT version, name, applied_at FROM schema_migrations")
        assert [(r[0], r[1]) for r in rows] == [(v, n) for v, n, _ in MIGRATIONS]
        assert all(r[2] for r in rows)
    finally:
        await store.close()


async def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    store = await Store.open(path)
    first = await store.db.fetchall("SELECT version, applied_at FROM schema_migrations")
    await store.guilds.set_language(1, "zh-Hant")
    await store.close()

    store = await Store.open(path)
    try:
        again = await store.db.fetchall("SELECT version, applied_at FROM schema_migrations")
        assert [tuple(r) for r in again] == [tuple(r) for r in first]
        assert await store.guilds.language(1) == "zh-Hant"
    finally:
        await store.close()


async def test_database_uses_wal_and_a_busy_timeout(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        assert str(await store.db.fetchval("PRAGMA journal_mode")).lower() == "wal"
        assert int(await store.db.fetchval("PRAGMA busy_timeout")) >= 1000
    finally:
        await store.close()


# -- importing the pack -------------------------------------------------------------------------


async def test_importing_the_same_pack_twice_changes_nothing(tmp_path: Path, minipack: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        assert await sync_pack(store, minipack) is True
        before = await content_snapshot(store)
        assert await sync_pack(store, minipack) is False
        pack, problems = load_pack(minipack)
        assert problems == [] and verify(pack, minipack) == []
        assert await store.content.import_pack(pack) is False
        assert await content_snapshot(store) == before
    finally:
        await store.close()


async def test_first_import_holds_the_whole_pack(tmp_path: Path, minipack: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        await sync_pack(store, minipack)
        counts = await store.content.counts()
        assert (counts["quotes"], counts["facts"], counts["passages"]) == (3, 3, 3)
        assert (counts["topics"], counts["people"], counts["corrections"]) == (3, 2, 1)
    finally:
        await store.close()


async def test_a_pack_with_problems_is_refused_and_the_old_data_stays(tmp_path: Path, minipack: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        await sync_pack(store, minipack)
        before = await content_snapshot(store)
        # Two faults: a question attributed to the guest, and a fact whose number is not in its evidence.
        edit(minipack / "quotes/quotes.yaml", "speaker: dwarkesh-patel", "speaker: dario-amodei")
        edit(minipack / "facts.yaml", "number: 1000000000\n", "number: 2000000000\n")
        with pytest.raises(PackError) as caught:
            await sync_pack(store, minipack)
        reasons = "\n".join(str(p) for p in caught.value.problems)
        assert "q-how-is-revenue" in reasons and "f-revenue-2024" in reasons
        assert await content_snapshot(store) == before
        quote = await store.content.quote("q-how-is-revenue")
        assert quote is not None and quote.speaker == "dwarkesh-patel"
    finally:
        await store.close()


async def test_a_changed_pack_is_imported_in_place_of_the_old(tmp_path: Path, minipack: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        await sync_pack(store, minipack)
        old_digest = await store.content.pack_digest()
        edit(minipack / "topics.yaml", "en: Revenue and growth", "en: Money and growth")
        assert await sync_pack(store, minipack) is True
        assert await store.content.pack_digest() != old_digest
        assert (await store.content.topics())["revenue"].name.en == "Money and growth"
        assert (await store.content.counts())["quotes"] == 3
    finally:
        await store.close()


async def test_reimport_never_touches_guild_settings(tmp_path: Path, minipack: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        await sync_pack(store, minipack)
        await store.guilds.set_language(111, "zh-Hant")
        await store.guilds.set_language(222, "en")
        edit(minipack / "topics.yaml", "en: Revenue and growth", "en: Money and growth")
        assert await sync_pack(store, minipack) is True
        assert await sync_pack(store, minipack, force=True) is True
        assert await store.guilds.language(111) == "zh-Hant"
        assert await store.guilds.language(222) == "en"
        assert await store.guilds.language(333) == AUTO
    finally:
        await store.close()


async def test_removed_quote_is_gone_from_search_after_reimport(tmp_path: Path, minipack: Path) -> None:
    # The full-text index follows the quotes table through an import.
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        await sync_pack(store, minipack)
        knowledge = await Knowledge.load(store)
        assert [m.id for m in await knowledge.searcher.search("估值")] == ["q-scaling-holds"]
        text = (minipack / "quotes/quotes.yaml").read_text(encoding="utf-8")
        start = text.index("  - id: q-scaling-holds")
        end = text.index("  - id: q-how-is-revenue")
        (minipack / "quotes/quotes.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
        assert await sync_pack(store, minipack) is True
        knowledge = await Knowledge.load(store)
        assert await knowledge.searcher.search("估值") == []
        assert [m.id for m in await knowledge.searcher.search("估值", kind="passage")] == ["p003"]
    finally:
        await store.close()


# -- two connections on one file -----------------------------------------------------------------


async def test_two_connections_on_one_file_both_read_and_write(tmp_path: Path, minipack: Path) -> None:
    path = tmp_path / "db.sqlite3"
    first = await Store.open(path)
    second = await Store.open(path)
    try:
        assert await first.db.applied_migrations() == await second.db.applied_migrations()
        await first.guilds.set_language(1, "zh-Hans")
        await second.guilds.set_language(2, "zh-Hant")
        assert await second.guilds.language(1) == "zh-Hans"
        assert await first.guilds.language(2) == "zh-Hant"
        assert await sync_pack(first, minipack) is True
        assert await sync_pack(second, minipack) is False  # already imported by the other
        assert (await second.content.counts())["quotes"] == 3
        await second.guilds.set_language(1, "en")
        assert await first.guilds.language(1) == "en"
    finally:
        await first.close()
        await second.close()


async def test_reader_sees_committed_data_while_the_other_writes(tmp_path: Path, minipack: Path) -> None:
    path = tmp_path / "db.sqlite3"
    writer = await Store.open(path)
    reader = await Store.open(path)
    try:
        await sync_pack(writer, minipack)
        async with writer.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO guild_settings (guild_id, language, updated_at) VALUES (9, 'en', 'x')"
            )
            # WAL: the reader is not blocked by the open write and sees the last commit.
            assert (await reader.content.counts())["quotes"] == 3
            assert await reader.db.fetchval("SELECT language FROM guild_settings WHERE guild_id = 9") is None
        assert await reader.db.fetchval("SELECT language FROM guild_settings WHERE guild_id = 9") == "en"
    finally:
        await writer.close()
        await reader.close()


async def test_a_language_change_is_seen_at_once_by_its_process(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        assert await store.guilds.language(9) == AUTO
        await store.guilds.set_language(9, "zh-Hant")
        assert await store.guilds.language(9) == "zh-Hant"
    finally:
        await store.close()
