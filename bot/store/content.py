"""The knowledge base in SQLite: import of a verified pack, and the queries answering needs."""

from __future__ import annotations

import dataclasses
import json
import random
from typing import Any

from bot.models import (
    Bilingual,
    Correction,
    Fact,
    FactGroup,
    Pack,
    Passage,
    Person,
    Quote,
    Section,
    Source,
    Topic,
)
from bot.store.database import Database, Row
from bot.text import index_terms, traditional_table

PACK_DIGEST_KEY = "pack_digest"
CHARTS_KEY = "charts_key"


def _bi(d: dict[str, str]) -> Bilingual:
    return Bilingual(d.get("en", ""), d.get("zh", ""))


def _to_doc(obj: Any) -> str:
    return json.dumps(dataclasses.asdict(obj), ensure_ascii=False)


def _from_doc(cls: type[Any], doc: str) -> Any:
    data = json.loads(doc)
    for f in dataclasses.fields(cls):
        value = data.get(f.name)
        if isinstance(value, dict) and set(value) <= {"en", "zh"}:
            data[f.name] = _bi(value)
        elif isinstance(value, list):
            data[f.name] = tuple(value)
    return cls(**data)


@dataclasses.dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    rank: float
    quote: Quote | None = None  # quote hits carry their row: no second round trip


class ContentStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- import -------------------------------------------------------------

    async def pack_digest(self) -> str | None:
        value = await self.db.fetchval("SELECT value FROM meta WHERE key = ?", (PACK_DIGEST_KEY,))
        return None if value is None else str(value)

    async def import_pack(self, pack: Pack, *, force: bool = False) -> bool:
        """Replace the knowledge base with ``pack`` in one transaction.

        Returns False when the same pack is already imported. Per-server
        settings and schedules live in other tables and are never touched.
        """
        if not force and await self.pack_digest() == pack.digest:
            return False
        traditional = traditional_table(chinese_texts(pack))
        async with self.db.transaction() as conn:
            for table in (
                "traditional",
                "people",
                "sources",
                "topics",
                "sections",
                "corrections",
                "passages",
                "quotes",
                "quote_topics",
                "fact_groups",
                "facts",
            ):
                await conn.execute(f"DELETE FROM {table}")
            await conn.executemany(
                "INSERT INTO people (id, doc) VALUES (?, ?)",
                [(p.id, _to_doc(p)) for p in pack.people.values()],
            )
            await conn.executemany(
                "INSERT INTO sources (id, doc) VALUES (?, ?)",
                [(s.id, _to_doc(s)) for s in pack.sources.values()],
            )
            await conn.executemany(
                "INSERT INTO topics (id, name_en, name_zh, ord) VALUES (?, ?, ?, ?)",
                [(t.id, t.name.en, t.name.zh, i) for i, t in enumerate(pack.topics.values())],
            )
            await conn.executemany(
                "INSERT INTO sections (id, name_en, name_zh, ord) VALUES (?, ?, ?, ?)",
                [(s.id, s.name.en, s.name.zh, s.order) for s in pack.sections.values()],
            )
            await conn.executemany(
                "INSERT INTO corrections (ord, doc) VALUES (?, ?)",
                [(i, _to_doc(c)) for i, c in enumerate(pack.corrections)],
            )
            await conn.executemany(
                "INSERT INTO passages (id, source_id, section_id, speaker_id, turn, paragraph, ord,"
                " en, zh, en_lines, zh_lines, idx_words, idx_chars)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        p.id,
                        p.source,
                        p.section,
                        p.speaker,
                        p.turn,
                        p.paragraph,
                        p.order,
                        p.text.en,
                        p.text.zh,
                        json.dumps(p.en_lines),
                        json.dumps(p.zh_lines),
                        *index_terms(f"{p.text.en} {p.text.zh}"),
                    )
                    for p in pack.passages.values()
                ],
            )
            await conn.executemany(
                "INSERT INTO quotes (id, speaker_id, source_id, passage_id, ord, en, zh,"
                " idx_words, idx_chars, idx_tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        q.id,
                        q.speaker,
                        q.source,
                        q.passage,
                        q.order,
                        q.text.en,
                        q.text.zh,
                        *index_terms(f"{q.text.en} {q.text.zh}"),
                        _tag_terms(pack, q),
                    )
                    for q in pack.quotes.values()
                ],
            )
            await conn.executemany(
                "INSERT INTO quote_topics (quote_id, topic_id) VALUES (?, ?)",
                [(q.id, t) for q in pack.quotes.values() for t in q.topics],
            )
            await conn.executemany(
                "INSERT INTO fact_groups (id, name_en, name_zh, ord) VALUES (?, ?, ?, ?)",
                [(g.id, g.name.en, g.name.zh, g.order) for g in pack.groups.values()],
            )
            await conn.executemany(
                "INSERT INTO facts (id, grp, ord, doc) VALUES (?, ?, ?, ?)",
                [(f.id, f.group, f.order, _to_doc(f)) for f in pack.facts.values()],
            )
            await conn.executemany(
                "INSERT INTO traditional (simplified, traditional) VALUES (?, ?)",
                sorted(traditional.items()),
            )
            await conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (PACK_DIGEST_KEY, pack.digest),
            )
        return True

    # -- charts (drawn at import by a child process; served as stored) ---------------

    async def charts_key(self) -> str | None:
        value = await self.db.fetchval("SELECT value FROM meta WHERE key = ?", (CHARTS_KEY,))
        return None if value is None else str(value)

    async def replace_charts(self, key: str, charts: list[tuple[str, str, bytes, str]]) -> None:
        """Every chart at once: (group, lang, png, spec JSON); ``key`` says what they were drawn from."""
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM charts")
            await conn.executemany("INSERT INTO charts (grp, lang, png, spec) VALUES (?, ?, ?, ?)", charts)
            await conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (CHARTS_KEY, key),
            )

    async def chart_png(self, group: str, lang: str) -> bytes | None:
        """One chart's PNG, read when it is sent: the bot keeps no image in memory."""
        value = await self.db.fetchval("SELECT png FROM charts WHERE grp = ? AND lang = ?", (group, lang))
        return None if value is None else bytes(value)

    async def chart_specs(self) -> dict[tuple[str, str], str]:
        """(group, lang) → the spec drawn (JSON), for ``export`` and the tests."""
        rows = await self.db.fetchall("SELECT grp, lang, spec FROM charts ORDER BY grp, lang")
        return {(r[0], r[1]): r[2] for r in rows}

    # -- small tables, loaded whole ---------------------------------------------

    async def people(self) -> dict[str, Person]:
        rows = await self.db.fetchall("SELECT doc FROM people")
        return {p.id: p for p in (_from_doc(Person, r[0]) for r in rows)}

    async def sources(self) -> dict[str, Source]:
        rows = await self.db.fetchall("SELECT doc FROM sources")
        return {s.id: s for s in (_from_doc(Source, r[0]) for r in rows)}

    async def topics(self) -> dict[str, Topic]:
        rows = await self.db.fetchall("SELECT id, name_en, name_zh FROM topics ORDER BY ord")
        return {r[0]: Topic(r[0], Bilingual(r[1], r[2])) for r in rows}

    async def sections(self) -> dict[str, Section]:
        rows = await self.db.fetchall("SELECT id, name_en, name_zh, ord FROM sections ORDER BY ord")
        return {r[0]: Section(r[0], Bilingual(r[1], r[2]), r[3]) for r in rows}

    async def facts(self) -> dict[str, Fact]:
        rows = await self.db.fetchall("SELECT doc FROM facts ORDER BY grp, ord, id")
        return {f.id: f for f in (_from_doc(Fact, r[0]) for r in rows)}

    async def fact_groups(self) -> dict[str, FactGroup]:
        rows = await self.db.fetchall("SELECT id, name_en, name_zh, ord FROM fact_groups ORDER BY ord")
        return {r[0]: FactGroup(r[0], Bilingual(r[1], r[2]), r[3]) for r in rows}

    async def traditional(self) -> dict[str, str]:
        """Every Chinese text of the knowledge base in Traditional characters (``s2tw``)."""
        rows = await self.db.fetchall("SELECT simplified, traditional FROM traditional")
        return {r[0]: r[1] for r in rows}

    async def corrections(self) -> list[Correction]:
        rows = await self.db.fetchall("SELECT doc FROM corrections ORDER BY ord")
        return [_from_doc(Correction, r[0]) for r in rows]

    async def topic_counts(self) -> dict[str, int]:
        rows = await self.db.fetchall("SELECT topic_id, count(*) FROM quote_topics GROUP BY topic_id")
        return {r[0]: int(r[1]) for r in rows}

    async def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for table in ("quotes", "facts", "passages", "sources", "topics", "people", "corrections"):
            out[table] = int(await self.db.fetchval(f"SELECT count(*) FROM {table}"))
        return out

    # -- quotes and passages ------------------------------------------------------

    _QUOTE_COLS = (
        "q.id, q.speaker_id, q.source_id, q.passage_id, q.ord, q.en, q.zh,"
        " (SELECT group_concat(topic_id) FROM quote_topics t WHERE t.quote_id = q.id) AS topics"
    )

    @staticmethod
    def _quote(row: Row) -> Quote:
        topics = tuple(sorted(row["topics"].split(","))) if row["topics"] else ()
        return Quote(
            id=row["id"],
            speaker=row["speaker_id"],
            source=row["source_id"],
            text=Bilingual(row["en"], row["zh"]),
            topics=topics,
            passage=row["passage_id"],
            order=row["ord"],
        )

    @staticmethod
    def _passage(row: Row) -> Passage:
        return Passage(
            id=row["id"],
            source=row["source_id"],
            section=row["section_id"],
            speaker=row["speaker_id"],
            turn=row["turn"],
            paragraph=row["paragraph"],
            text=Bilingual(row["en"], row["zh"]),
            en_lines=tuple(json.loads(row["en_lines"])),
            zh_lines=tuple(json.loads(row["zh_lines"])),
            order=row["ord"],
        )

    async def quote(self, quote_id: str) -> Quote | None:
        row = await self.db.fetchone(
            f"SELECT {self._QUOTE_COLS} FROM quotes q WHERE q.id = ?",
            (quote_id,),
        )
        return None if row is None else self._quote(row)

    async def quotes_by_ids(self, ids: list[str]) -> list[Quote]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = await self.db.fetchall(
            f"SELECT {self._QUOTE_COLS} FROM quotes q WHERE q.id IN ({marks})",
            ids,
        )
        by_id = {r["id"]: self._quote(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    async def all_quotes(self) -> list[Quote]:
        rows = await self.db.fetchall(f"SELECT {self._QUOTE_COLS} FROM quotes q ORDER BY q.ord")
        return [self._quote(r) for r in rows]

    async def quote_ids(self, topic: str | None = None) -> list[str]:
        if topic:
            rows = await self.db.fetchall(
                "SELECT quote_id FROM quote_topics WHERE topic_id = ? ORDER BY quote_id", (topic,)
            )
        else:
            rows = await self.db.fetchall("SELECT id FROM quotes ORDER BY id")
        return [r[0] for r in rows]

    async def random_quote(
        self, topic: str | None = None, exclude: str | None = None, rng: random.Random | None = None
    ) -> Quote | None:
        """A uniformly random quote (of a topic), not ``exclude`` unless it is the only one.

        Counts, then picks by offset on an index: no list of every id in memory.
        """
        where, params = ("FROM quote_topics WHERE topic_id = ?", [topic]) if topic else ("FROM quotes", [])
        column = "quote_id" if topic else "id"
        clause = f" {'AND' if topic else 'WHERE'} {column} != ?" if exclude else ""
        count = int(
            await self.db.fetchval(
                f"SELECT count(*) {where}{clause}", [*params, *([exclude] if exclude else [])]
            )
        )
        if count == 0 and exclude:
            return await self.quote(exclude) if await self.quote(exclude) else None
        if count == 0:
            return None
        offset = (rng or random).randrange(count)
        chosen = await self.db.fetchval(
            f"SELECT {column} {where}{clause} ORDER BY {column} LIMIT 1 OFFSET ?",
            [*params, *([exclude] if exclude else []), offset],
        )
        return await self.quote(str(chosen))

    async def passage(self, passage_id: str) -> Passage | None:
        row = await self.db.fetchone("SELECT * FROM passages WHERE id = ?", (passage_id,))
        return None if row is None else self._passage(row)

    async def all_passages(self) -> list[Passage]:
        rows = await self.db.fetchall("SELECT * FROM passages ORDER BY source_id, ord")
        return [self._passage(r) for r in rows]

    async def search_quotes(self, match: str, topic: str | None, limit: int) -> list[SearchHit]:
        """``match`` is an FTS5 expression built by ``bot.search`` from escaped terms.

        Ranked and limited inside the full-text index first, joined after: a common
        word can match tens of thousands of rows, and only the best few are needed.
        """
        topic_filter = ""
        params: list[Any] = [match]
        if topic:
            topic_filter = (
                " AND rowid IN (SELECT q.rowid FROM quote_topics t"
                " JOIN quotes q ON q.id = t.quote_id WHERE t.topic_id = ?)"
            )
            params.append(topic)
        rows = await self.db.fetchall(
            f"SELECT {self._QUOTE_COLS}, f.rank FROM ("
            "  SELECT rowid, bm25(quotes_fts, 1.0, 1.0, 0.4) AS rank FROM quotes_fts"
            f"  WHERE quotes_fts MATCH ?{topic_filter} ORDER BY rank LIMIT ?"
            ") f JOIN quotes q ON q.rowid = f.rowid ORDER BY f.rank",
            [*params, limit],
        )
        return [SearchHit(r["id"], float(r["rank"]), self._quote(r)) for r in rows]

    async def search_passages(self, match: str, limit: int) -> list[SearchHit]:
        rows = await self.db.fetchall(
            "SELECT p.id, f.rank FROM ("
            "  SELECT rowid, bm25(passages_fts) AS rank FROM passages_fts"
            "  WHERE passages_fts MATCH ? ORDER BY rank LIMIT ?"
            ") f JOIN passages p ON p.rowid = f.rowid ORDER BY f.rank",
            (match, limit),
        )
        return [SearchHit(r[0], float(r[1])) for r in rows]

    async def vocabulary(self) -> list[str]:
        """Latin words of the indexed quotes and passages, for correcting typos."""
        words: set[str] = set()
        for row in await self.db.fetchall("SELECT idx_words FROM quotes"):
            words.update(w for w in row[0].split() if w.isascii() and w.isalpha())
        for row in await self.db.fetchall("SELECT idx_words FROM passages"):
            words.update(w for w in row[0].split() if w.isascii() and w.isalpha())
        return sorted(words)


def chinese_texts(pack: Pack) -> list[str]:
    """Every Chinese string an answer can show, exactly as it is shown."""
    texts = [p.name.zh for p in pack.people.values()]
    texts += [s.title.zh for s in pack.sources.values()]
    texts += [t.name.zh for t in pack.topics.values()]
    texts += [s.name.zh for s in pack.sections.values()]
    texts += [p.text.zh for p in pack.passages.values()]
    texts += [q.text.zh for q in pack.quotes.values()]
    texts += [g.name.zh for g in pack.groups.values()]
    for fact in pack.facts.values():
        texts += [fact.label.zh, fact.value.zh, fact.evidence.zh, *fact.aliases_zh]
        texts += [field.zh for field in (fact.period, fact.cites) if field is not None]
    return texts


def _tag_terms(pack: Pack, quote: Quote) -> str:
    names: list[str] = []
    for topic_id in quote.topics:
        topic = pack.topics.get(topic_id)
        if topic:
            names += [topic.id, topic.name.en, topic.name.zh]
    person = pack.people.get(quote.speaker)
    if person:
        names += [person.name.en, person.name.zh]
    words, chars = index_terms(" ".join(names))
    return f"{words} {chars}"
