"""Schema migrations, in order. Never edit a published one: add the next."""

from __future__ import annotations

_CONTENT = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE people (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE sources (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE topics (id TEXT PRIMARY KEY, name_en TEXT NOT NULL, name_zh TEXT NOT NULL, ord INTEGER NOT NULL);
CREATE TABLE sections (id TEXT PRIMARY KEY, name_en TEXT NOT NULL, name_zh TEXT NOT NULL, ord INTEGER NOT NULL);
CREATE TABLE corrections (ord INTEGER PRIMARY KEY, doc TEXT NOT NULL);

CREATE TABLE passages (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source_id TEXT NOT NULL,
    section_id TEXT NOT NULL,
    speaker_id TEXT NOT NULL,
    turn INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    ord INTEGER NOT NULL,
    en TEXT NOT NULL,
    zh TEXT NOT NULL,
    en_lines TEXT NOT NULL,
    zh_lines TEXT NOT NULL,
    idx_words TEXT NOT NULL,
    idx_chars TEXT NOT NULL
);
CREATE INDEX passages_ord ON passages (source_id, ord);

CREATE TABLE quotes (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    speaker_id TEXT NOT NULL,
    source_id TEXT NOT NULL,
    passage_id TEXT NOT NULL,
    ord INTEGER NOT NULL,
    en TEXT NOT NULL,
    zh TEXT NOT NULL,
    idx_words TEXT NOT NULL,
    idx_chars TEXT NOT NULL,
    idx_tags TEXT NOT NULL
);

CREATE TABLE quote_topics (
    quote_id TEXT NOT NULL,
    topic_id TEXT NOT NULL,
    PRIMARY KEY (quote_id, topic_id)
) WITHOUT ROWID;
CREATE INDEX quote_topics_topic ON quote_topics (topic_id, quote_id);

CREATE TABLE facts (id TEXT PRIMARY KEY, grp TEXT NOT NULL, ord REAL NOT NULL, doc TEXT NOT NULL);

CREATE VIRTUAL TABLE quotes_fts USING fts5(
    idx_words, idx_chars, idx_tags,
    content='quotes', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts (rowid, idx_words, idx_chars, idx_tags)
    VALUES (new.rowid, new.idx_words, new.idx_chars, new.idx_tags);
END;
CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, idx_words, idx_chars, idx_tags)
    VALUES ('delete', old.rowid, old.idx_words, old.idx_chars, old.idx_tags);
END;
CREATE TRIGGER quotes_au AFTER UPDATE ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, idx_words, idx_chars, idx_tags)
    VALUES ('delete', old.rowid, old.idx_words, old.idx_chars, old.idx_tags);
    INSERT INTO quotes_fts (rowid, idx_words, idx_chars, idx_tags)
    VALUES (new.rowid, new.idx_words, new.idx_chars, new.idx_tags);
END;

CREATE VIRTUAL TABLE passages_fts USING fts5(
    idx_words, idx_chars,
    content='passages', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts (rowid, idx_words, idx_chars) VALUES (new.rowid, new.idx_words, new.idx_chars);
END;
CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts (passages_fts, rowid, idx_words, idx_chars)
    VALUES ('delete', old.rowid, old.idx_words, old.idx_chars);
END;
CREATE TRIGGER passages_au AFTER UPDATE ON passages BEGIN
    INSERT INTO passages_fts (passages_fts, rowid, idx_words, idx_chars)
    VALUES ('delete', old.rowid, old.idx_words, old.idx_chars);
    INSERT INTO passages_fts (rowid, idx_words, idx_chars) VALUES (new.rowid, new.idx_words, new.idx_chars);
END;

CREATE TABLE guild_settings (
    guild_id INTEGER PRIMARY KEY,
    language TEXT NOT NULL DEFAULT 'auto',
    updated_at TEXT NOT NULL
);
"""

_DAILY = """
-- One row per server: where and when the daily quote goes. The source of truth the
-- dispatcher re-arms from; next_run_utc is ISO 8601 UTC at whole seconds
-- ('2025-03-09T07:00:00+00:00'), so text order is time order.
CREATE TABLE daily_schedules (
    guild_id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL,
    local_time TEXT NOT NULL,
    timezone TEXT NOT NULL,
    lang TEXT,
    topic TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    paused_reason TEXT,
    next_run_utc TEXT NOT NULL,
    last_local_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX daily_schedules_due ON daily_schedules (enabled, next_run_utc);

-- The claim: at most one row per (server, local date), taken before sending.
CREATE TABLE daily_posts (
    guild_id INTEGER NOT NULL,
    local_date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'retry', 'sent', 'failed')),
    claimed_by TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    quote_id TEXT,
    message_id INTEGER,
    error TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, local_date)
) WITHOUT ROWID;

-- Per-server shuffled order of quote ids; posted_seq is NULL until posted in this cycle.
CREATE TABLE daily_rotation (
    guild_id INTEGER NOT NULL,
    quote_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    posted_seq INTEGER,
    PRIMARY KEY (guild_id, quote_id)
) WITHOUT ROWID;
"""

_CYCLES = """
-- The no-repeat rotation, one row per server (it replaces daily_rotation's row per quote
-- and server). The current cycle is the server's 'sent' daily_posts after started_after
-- (a local date; NULL: all of them); its order sorts quote ids by blake2b(seed, id);
-- last_quote_id closed the previous cycle, so the next one never opens with it.
CREATE TABLE daily_cycles (
    guild_id INTEGER PRIMARY KEY,
    cycle INTEGER NOT NULL,
    seed TEXT NOT NULL,
    started_after TEXT,
    last_quote_id TEXT
);

-- Carry each server's current cycle over: it began with the quote of the lowest
-- posted_seq, whose latest sent post is in this cycle, so the cycle started after the
-- sent post before that one. No quote posted yet: after the latest sent post.
INSERT INTO daily_cycles (guild_id, cycle, seed, started_after, last_quote_id)
SELECT r.guild_id, 1, lower(hex(randomblob(8))),
    (SELECT max(p.local_date) FROM daily_posts AS p
     WHERE p.guild_id = r.guild_id AND p.status = 'sent' AND p.local_date < coalesce(
        (SELECT max(f.local_date) FROM daily_posts AS f
         WHERE f.guild_id = r.guild_id AND f.status = 'sent' AND f.quote_id = r.first_quote),
        '9999-12-31')),
    NULL
FROM (
    SELECT g.guild_id,
        (SELECT x.quote_id FROM daily_rotation AS x
         WHERE x.guild_id = g.guild_id AND x.posted_seq IS NOT NULL
         ORDER BY x.posted_seq LIMIT 1) AS first_quote
    FROM (SELECT DISTINCT guild_id FROM daily_rotation) AS g
) AS r;

UPDATE daily_cycles SET last_quote_id = (
    SELECT p.quote_id FROM daily_posts AS p
    WHERE p.guild_id = daily_cycles.guild_id AND p.local_date = daily_cycles.started_after
) WHERE started_after IS NOT NULL;

DROP TABLE daily_rotation;
"""

_TRADITIONAL = """
CREATE TABLE traditional (simplified TEXT PRIMARY KEY, traditional TEXT NOT NULL) WITHOUT ROWID;
"""

_FACT_GROUPS = """
CREATE TABLE fact_groups (id TEXT PRIMARY KEY, name_en TEXT NOT NULL, name_zh TEXT NOT NULL, ord INTEGER NOT NULL);
"""

_CHARTS = """
-- Charts of fact groups (issue 13), drawn once per data import and language in a child
-- process, so the bot never loads the plotting library. spec is the ChartSpec drawn (JSON):
-- its points carry the facts' machine values. meta 'charts_key' says which import and
-- drawing style they belong to.
CREATE TABLE charts (
    grp TEXT NOT NULL,
    lang TEXT NOT NULL,
    png BLOB NOT NULL,
    spec TEXT NOT NULL,
    PRIMARY KEY (grp, lang)
);
"""

_SEARCH = """
CREATE TABLE search_words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL, pinyin TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX search_words_pinyin ON search_words (pinyin) WHERE pinyin != '';
CREATE TABLE char_pinyin (ch TEXT PRIMARY KEY, readings TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE glossary (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE VIRTUAL TABLE quotes_vocab USING fts5vocab(quotes_fts, 'row');
CREATE VIRTUAL TABLE passages_vocab USING fts5vocab(passages_fts, 'row');
"""

_QUOTES_BY_PASSAGE = """
CREATE INDEX quotes_passage ON quotes (passage_id);
CREATE TABLE search_df (kind TEXT NOT NULL, token TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (kind, token)) WITHOUT ROWID;
"""

MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "knowledge base and guild settings", _CONTENT),
    (2, "daily quote schedules, claims and rotation", _DAILY),
    (3, "daily rotation: one cycle row per server instead of a row per quote", _CYCLES),
    (4, "Traditional Chinese of the knowledge base, converted at import", _TRADITIONAL),
    (5, "search lexicon (words, pinyin), glossary, index statistics", _SEARCH),
    (7, "charts of fact groups, drawn at import", _CHARTS),
    (10, "names of fact groups in both languages, from the data", _FACT_GROUPS),
    (11, "quotes by passage (a guest's answer); how many texts hold each token", _QUOTES_BY_PASSAGE),
]
