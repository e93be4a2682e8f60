"""The knowledge base in SQLite: import of a verified pack, and the queries answering needs."""

from __future__ import annotations

import dataclasses
import json
import random
from typing import Any

from bot.lexicon import build_lexicon
from bot.models import (
    Bilingual,
    Correction,
    Fact,
    FactGroup,
    GlossaryEntry,
    Pack,
    Passage,
    Person,
    Quote,
    Section,
    Source,
    Topic,
)
from bot.store.database import Database, Row
from bot.text import index_terms, is_han, normalise, tokens, traditional_table

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
    words: str = ""  # the indexed words and bigrams: which query words it holds is checked on these
    chars: str = ""  # the indexed single Chinese characters
    tags: str = ""  # a quote's topic names and speaker, indexed


class ContentStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._charts: dict[tuple[str, str], bytes | None] = {}

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
        chinese = chinese_texts(pack)
        traditional = traditional_table(chinese)
        lexicon = await build_lexicon([normalise(text) for text in chinese], lexicon_words(pack))
        latin: dict[str, int] = {}
        for text in english_texts(pack):
            for token in tokens(text):
                if token.isascii() and token.isalpha():
                    latin[token] = latin.get(token, 0) + 1
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
                "search_words",
                "glossary",
                "search_df",
            ):
                await conn.execute(f"DELETE FROM {table}")
            await conn.executemany(
                "INSERT INTO search_words (word, freq, pinyin) VALUES (?, ?, ?)",
                [(w, n, key) for w, (n, key) in lexicon.words.items()]
                + [(w, n, "") for w, n in latin.items() if w not in lexicon.words],
            )
            # Readings of characters do not depend on the data: written once.
            if not await (await conn.execute("SELECT 1 FROM char_pinyin LIMIT 1")).fetchone():
                await conn.executemany(
                    "INSERT INTO char_pinyin (ch, readings) VALUES (?, ?)", sorted(lexicon.chars.items())
                )
            await conn.executemany(
                "INSERT INTO glossary (id, doc) VALUES (?, ?)",
                [(g.id, _to_doc(g)) for g in pack.glossary.values()],
            )
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
            # How many texts hold each token, read once here: fts5vocab scans its whole vocabulary.
            for kind, vocab in (("quote", "quotes_vocab"), ("passage", "passages_vocab")):
                await conn.execute(
                    f"INSERT INTO search_df (kind, token, n) SELECT ?, term, doc FROM {vocab}", (kind,)
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
            self._charts.clear()
            await conn.execute("DELETE FROM charts")
            await conn.executemany("INSERT INTO charts (grp, lang, png, spec) VALUES (?, ?, ?, ?)", charts)
            await conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (CHARTS_KEY, key),
            )

    async def chart_png(self, group: str, lang: str) -> bytes | None:
        """One chart's PNG, read once and then kept (a few charts of ~80 KB each).

        Kept like the rest of what this process answers from, which is loaded at start:
        a process serves the charts of the data it answers with.
        """
        key = (group, lang)
        if key not in self._charts:
            value = await self.db.fetchval("SELECT png FROM charts WHERE grp = ? AND lang = ?", key)
            self._charts[key] = None if value is None else bytes(value)
        return self._charts[key]

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

    async def glossary(self) -> dict[str, GlossaryEntry]:
        rows = await self.db.fetchall("SELECT doc FROM glossary ORDER BY id")
        return {g.id: g for g in (_from_doc(GlossaryEntry, r[0]) for r in rows)}

    async def chinese_words(self) -> dict[str, tuple[int, str]]:
        """The knowledge base's Chinese words: how often each occurs, and its toneless pinyin."""
        rows = await self.db.fetchall("SELECT word, freq, pinyin FROM search_words WHERE pinyin != ''")
        return {r[0]: (int(r[1]), r[2]) for r in rows}

    async def char_readings(self) -> dict[str, str]:
        """Toneless readings of the characters an input method types (GB 2312), for homophone typos."""
        rows = await self.db.fetchall("SELECT ch, readings FROM char_pinyin")
        return {r[0]: r[1] for r in rows}

    async def document_counts(self, kind: str, terms: list[str]) -> dict[str, int]:
        """How many quotes (or passages) hold each indexed token: what makes a word rare."""
        if not terms:
            return {}
        marks = ",".join("?" * len(terms))
        rows = await self.db.fetchall(
            f"SELECT token, n FROM search_df WHERE kind = ? AND token IN ({marks})", [kind, *terms]
        )
        return {r[0]: int(r[1]) for r in rows}

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

    async def quotes_in_passages(
        self, passage_ids: list[str], topic: str | None = None, limit: int = 20
    ) -> list[Quote]:
        """The first curated quotes taken from these passages (of one topic), in conversation order."""
        if not passage_ids:
            return []
        marks = ",".join("?" * len(passage_ids))
        where = f"q.passage_id IN ({marks})"
        params: list[Any] = list(passage_ids)
        if topic:
            where += " AND q.id IN (SELECT quote_id FROM quote_topics WHERE topic_id = ?)"
            params.append(topic)
        rows = await self.db.fetchall(
            f"SELECT {self._QUOTE_COLS} FROM quotes q WHERE {where} ORDER BY q.ord LIMIT ?", [*params, limit]
        )
        return [self._quote(r) for r in rows]

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

    async def search_quotes(
        self, match: str, topic: str | None, limit: int, scan: int | None = None
    ) -> list[SearchHit]:
        """``match`` is an FTS5 expression built by ``bot.search`` from escaped terms.

        Ranked and limited inside the full-text index first, joined after: a common
        word can match tens of thousands of rows, and only the best few are needed.
        With ``scan``, only that many matching rows are ranked at all (BM25 per row is
        what a very common word makes expensive).
        """
        topic_filter = _scan_filter("quotes_fts", scan)
        params: list[Any] = [match, *([match, scan] if scan else [])]
        if topic:
            topic_filter += (
                " AND rowid IN (SELECT q.rowid FROM quote_topics t"
                " JOIN quotes q ON q.id = t.quote_id WHERE t.topic_id = ?)"
            )
            params.append(topic)
        rows = await self.db.fetchall(
            f"SELECT {self._QUOTE_COLS}, q.idx_words, q.idx_chars, q.idx_tags, f.rank FROM ("
            "  SELECT rowid, bm25(quotes_fts, 1.0, 1.0, 0.4) AS rank FROM quotes_fts"
            f"  WHERE quotes_fts MATCH ?{topic_filter} ORDER BY rank LIMIT ?"
            ") f JOIN quotes q ON q.rowid = f.rowid ORDER BY f.rank",
            [*params, limit],
        )
        return [
            SearchHit(
                r["id"], float(r["rank"]), self._quote(r), r["idx_words"], r["idx_chars"], r["idx_tags"]
            )
            for r in rows
        ]

    async def search_passages(self, match: str, limit: int, scan: int | None = None) -> list[SearchHit]:
        rows = await self.db.fetchall(
            "SELECT p.id, p.idx_words, p.idx_chars, f.rank FROM ("
            "  SELECT rowid, bm25(passages_fts) AS rank FROM passages_fts"
            f"  WHERE passages_fts MATCH ?{_scan_filter('passages_fts', scan)} ORDER BY rank LIMIT ?"
            ") f JOIN passages p ON p.rowid = f.rowid ORDER BY f.rank",
            (match, *([match, scan] if scan else []), limit),
        )
        return [SearchHit(r["id"], float(r["rank"]), None, r["idx_words"], r["idx_chars"]) for r in rows]

    async def row_count(self, kind: str) -> int:
        table = {"quote": "quotes", "passage": "passages"}[kind]
        return int(await self.db.fetchval(f"SELECT count(*) FROM {table}"))

    async def vocabulary(self) -> list[str]:
        """Latin words of the knowledge base as written (not stemmed), most frequent first."""
        rows = await self.db.fetchall(
            "SELECT word FROM search_words WHERE pinyin = '' ORDER BY freq DESC, word"
        )
        return [r[0] for r in rows]


def chinese_texts(pack: Pack) -> list[str]:
    """Every Chinese string an answer can show, exactly as it is shown."""
    texts = [p.name.zh for p in pack.people.values()]
    texts += [s.title.zh for s in pack.sources.values()]
    texts += [s.what.zh for s in pack.sources.values() if s.what is not None]
    texts += [t.name.zh for t in pack.topics.values()]
    texts += [s.name.zh for s in pack.sections.values()]
    texts += [p.text.zh for p in pack.passages.values()]
    texts += [q.text.zh for q in pack.quotes.values()]
    texts += [g.name.zh for g in pack.groups.values()]
    for fact in pack.facts.values():
        texts += [fact.label.zh, fact.value.zh, fact.evidence.zh, *fact.aliases_zh]
        texts += [field.zh for field in (fact.period, fact.cites) if field is not None]
    return texts


def _scan_filter(table: str, scan: int | None) -> str:
    if not scan:
        return ""
    return f" AND rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT ?)"


def english_texts(pack: Pack) -> list[str]:
    texts = [p.text.en for p in pack.passages.values()] + [q.text.en for q in pack.quotes.values()]
    for fact in pack.facts.values():
        texts += [fact.label.en, fact.value.en, fact.evidence.en, *fact.aliases_en]
    texts += [t.name.en for t in pack.topics.values()]
    return texts


def lexicon_words(pack: Pack) -> list[str]:
    """Chinese words that must stay whole when segmenting: the glossary, fact aliases, topic words."""
    words = [w for g in pack.glossary.values() for w in (*g.zh, *g.zh_tw)]
    words += [a for f in pack.facts.values() for a in f.aliases_zh]
    return [k for k in (normalise(w) for w in words) if is_han(k)]


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
