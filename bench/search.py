"""Lookup latency of /quote about:… and /fact, on the shipped data and on a generated 100k-quote pack.

Beside a naive baseline measured in the same run: a rapidfuzz scan of every
quote's normalised text (``process.extract(query, texts, scorer=partial_ratio,
limit=10)``). Prints figures only; never asserts on timings.

    .venv/bin/python -m bench.search            # table
    .venv/bin/python -m bench.search --json     # one JSON object
    .venv/bin/python -m bench.search --quotes 20000 --rounds 5   # quicker

Goals (issue): p99 ≤ 5 ms on the shipped data, ≤ 30 ms at 100,000 quotes, and
at least 10x faster than the naive scan at 100,000 quotes.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import io
import logging
import random
import re
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bench._stats import ratio, run_and_report, summary, table
from bot.answer import CommandError
from bot.knowledge import Knowledge, QuoteQuery
from bot.lang import Lang
from bot.models import Bilingual, Pack, Quote
from bot.pack import DEFAULT_DATA_DIR, load_pack
from bot.service import open_knowledge
from bot.store import Store
from bot.text import normalise

EN, HANS, HANT = Lang.EN, Lang.ZH_HANS, Lang.ZH_HANT

# (kind, query, reader language). Kinds group the report rows.
QUOTE_QUERIES: list[tuple[str, str, Lang]] = [
    *[("en-word", q, EN) for q in ("scaling", "revenue", "compute", "exponential", "safety",
                                    "robotics", "China", "coding", "data", "RL")],
    *[("en-multi", q, EN) for q in ("country of geniuses", "end of the exponential", "data center",
                                     "continual learning", "diffusion of AI into the economy",
                                     "how much compute", "what is the revenue")],
    *[("typo", q, EN) for q in ("exponantial", "scalling", "revnue", "geniusses", "compte",
                                 "robotcs", "diffusoin")],
    *[("zh-2char", q, HANS) for q in ("估值", "收入", "规模", "算力", "编程", "安全")],
    *[("zh-long", q, HANS) for q in ("指数增长", "数据中心", "天才之国", "持续学习")],
    *[("zh-trad", q, HANT) for q in ("規模", "營收", "資料中心", "編程", "國家", "指數增長")],
    *[("mixed", q, HANS) for q in ("anthropic 估值", "claude 编程", "AI 安全", "scaling 规模",
                                    "compute 算力 2027")],
    *[("no-match", q, EN) for q in ("zzqx plutonium", "量子纠缠猫咪")],
]

FACT_QUERIES: list[tuple[str, str, Lang]] = [
    *[("fact-en", q, EN) for q in ("revenue", "valuation", "anthropic revenue 2024", "compute",
                                    "claude code", "training cost", "openai revenue",
                                    "how much compute 2027", "probability", "margin")],
    *[("fact-typo", q, EN) for q in ("revenu", "valuaton", "compte", "employes")],
    *[("fact-zh", q, HANS) for q in ("估值", "收入", "规模", "算力", "毛利率", "anthropic 估值")],
    *[("fact-trad", q, HANT) for q in ("營收", "規模", "估值")],
    *[("fact-id", q, EN) for q in ("f-revenue-2024", "f-revenue-2023")],
    *[("fact-none", q, EN) for q in ("zzqx plutonium",)],
]

# Extra rows, outside the goals: quote without keyword (random / random in a topic).
EXTRA_QUERIES: list[tuple[str, QuoteQuery, Lang]] = [
    ("random", QuoteQuery(), EN),
    ("random-topic", QuoteQuery(topic="scaling"), EN),
    ("random-topic", QuoteQuery(topic="安全"), HANS),
]

GOAL_P99_MS = {"shipped": 5.0, "generated": 30.0}
GOAL_SPEEDUP = 10.0

_EN_SENT = re.compile(r"(?<=[.?!])\s+")
_ZH_SENT = re.compile(r"(?<=[。?!?!])")


def _sentences(text: str, pattern: re.Pattern[str]) -> list[str]:
    return [s.strip() for s in pattern.split(text) if len(s.strip()) >= 4]


def generate_pack(base: Pack, n: int, seed: int) -> Pack:
    """``base`` with its quotes replaced by ``n`` quotes recombined from its passages' sentences."""
    rng = random.Random(seed)
    passages = [p for p in base.passages.values() if p.text.en and p.text.zh]
    en_by_passage = [_sentences(p.text.en, _EN_SENT) for p in passages]
    zh_by_passage = [_sentences(p.text.zh, _ZH_SENT) for p in passages]
    topics = list(base.topics)
    people = list(base.people)

    def pick(sentences: list[str]) -> str:
        if not sentences:
            return ""
        k = rng.randint(1, min(3, len(sentences)))
        start = rng.randrange(len(sentences) - k + 1)
        return " ".join(sentences[start : start + k])

    quotes: dict[str, Quote] = {}
    for i in range(n):
        j = rng.randrange(len(passages))
        en, zh = pick(en_by_passage[j]), pick(zh_by_passage[j]).replace(" ", "")
        if rng.random() < 0.3:  # recombine with a sentence of another passage
            k = rng.randrange(len(passages))
            en = f"{en} {pick(en_by_passage[k])}".strip()
            zh = zh + pick(zh_by_passage[k]).replace(" ", "")
        qid = f"q-gen-{i:06d}"
        quotes[qid] = Quote(
            id=qid,
            speaker=rng.choice(people),
            source=passages[j].source,
            text=Bilingual(en, zh),
            topics=tuple(sorted(rng.sample(topics, rng.randint(1, 3)))),
            passage=passages[j].id,
            order=i,
        )
    return dataclasses.replace(base, quotes=quotes, digest=f"bench-{uuid.uuid4().hex}")


ERRORS: dict[str, str] = {}  # kind -> first unexpected exception seen (a bug, not a timing)


async def _timed(fn: Callable[[], Awaitable[Any]], kind: str = "") -> tuple[int, bool]:
    """(nanoseconds, failed). CommandError ("nothing found") is an answer; anything else is counted."""
    start = time.perf_counter_ns()
    failed = False
    try:
        await fn()
    except CommandError:
        pass
    except Exception as exc:  # the bench reports bugs instead of dying on them
        failed = True
        ERRORS.setdefault(kind, f"{type(exc).__name__}: {exc}")
    return time.perf_counter_ns() - start, failed


def _quote_call(k: Knowledge, q: str | QuoteQuery, lang: Lang) -> Callable[[], Awaitable[Any]]:
    query = q if isinstance(q, QuoteQuery) else QuoteQuery(about=q)
    return lambda: k.quote(query, lang)


def _fact_call(k: Knowledge, q: str, lang: Lang) -> Callable[[], Awaitable[Any]]:
    async def call() -> Any:
        return k.fact(q, lang)

    return call


async def measure_exponent(k: Knowledge, rounds: int, seed: int) -> dict[str, list[float]]:
    """Latency samples in ms, by kind; each round runs every query once, in a shuffled order."""
    calls: list[tuple[str, Callable[[], Awaitable[Any]]]] = []
    calls += [(kind, _quote_call(k, q, lang)) for kind, q, lang in QUOTE_QUERIES]
    calls += [(kind, _fact_call(k, q, lang)) for kind, q, lang in FACT_QUERIES]
    calls += [(kind, _quote_call(k, q, lang)) for kind, q, lang in EXTRA_QUERIES]
    for kind, call in calls:  # warm up: caches, SQLite pages, code paths
        await _timed(call, kind)
        await _timed(call, kind)
    rng = random.Random(seed)
    samples: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for _ in range(rounds):
        rng.shuffle(calls)
        for kind, call in calls:
            ns, failed = await _timed(call, kind)
            samples[kind].append(ns / 1e6)
            errors[kind] += failed
    samples["_errors"] = errors  # type: ignore[assignment]
    return samples


def measure_naive(texts: list[str], rounds: int, scorer: Callable[..., float]) -> dict[str, list[float]]:
    """The baseline: score every quote text against the normalised query, keep the best 10."""
    queries = [(kind, normalise(q)) for kind, q, _ in QUOTE_QUERIES]
    process.extract(queries[0][1], texts, scorer=scorer, limit=10)  # warm up
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(rounds):
        for kind, q in queries:
            start = time.perf_counter_ns()
            process.extract(q, texts, scorer=scorer, limit=10)
            samples[kind].append((time.perf_counter_ns() - start) / 1e6)
    return samples


def _quote_texts(pack: Pack) -> list[str]:
    return [normalise(f"{q.text.en} {q.text.zh}") for q in pack.quotes.values()]


def _report(exp: dict[str, list[float]], naive: dict[str, list[float]]) -> dict[str, Any]:
    quote_kinds = list(dict.fromkeys(kind for kind, _, _ in QUOTE_QUERIES))
    fact_kinds = list(dict.fromkeys(kind for kind, _, _ in FACT_QUERIES))
    extra_kinds = list(dict.fromkeys(kind for kind, _, _ in EXTRA_QUERIES))
    rows: dict[str, Any] = {}
    errors = exp.get("_errors", {})
    for kind in [*quote_kinds, *fact_kinds, *extra_kinds]:
        row = summary(exp[kind])
        row["errors"] = int(errors.get(kind, 0))
        if kind in naive:
            nv = summary(naive[kind])
            row["naive_p50"], row["naive_p99"] = nv["p50"], nv["p99"]
            row["speedup_p50"] = ratio(nv["p50"], row["p50"])
        rows[kind] = row
    all_quote = [v for kind in quote_kinds for v in exp[kind]]
    all_naive = [v for kind in quote_kinds for v in naive.get(kind, [])]
    all_fact = [v for kind in fact_kinds for v in exp[kind]]
    q, n, f = summary(all_quote), summary(all_naive), summary(all_fact)
    return {
        "by_kind": rows,
        "quote_all": q,
        "fact_all": f,
        "naive_all": n,
        "speedup_p50": ratio(n["p50"], q["p50"]),
        "speedup_p99": ratio(n["p99"], q["p99"]),
        "speedup_mean": ratio(n["mean"], q["mean"]),
    }


async def _size(store: Store) -> int:
    pages = await store.db.fetchval("PRAGMA page_count")
    size = await store.db.fetchval("PRAGMA page_size")
    return int(pages) * int(size)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    scorer = getattr(fuzz, args.naive_scorer)
    out: dict[str, Any] = {
        "config": {
            "quotes": args.quotes,
            "rounds_shipped": args.rounds_shipped,
            "rounds": args.rounds,
            "naive_rounds": args.naive_rounds,
            "naive_scorer": args.naive_scorer,
            "seed": args.seed,
            "python": sys.version.split()[0],
        },
        "goals": {"p99_ms": GOAL_P99_MS, "speedup_vs_naive": GOAL_SPEEDUP},
    }
    with tempfile.TemporaryDirectory(prefix="exponent-bench-") as tmp:
        # -- shipped data, opened the way the bot opens it -------------------------------
        start = time.perf_counter()
        store, knowledge = await open_knowledge(Path(tmp) / "shipped.sqlite3", DEFAULT_DATA_DIR)
        open_s = time.perf_counter() - start
        try:
            base, problems = load_pack(DEFAULT_DATA_DIR)
            assert not problems, problems
            exp = await measure_exponent(knowledge, args.rounds_shipped, args.seed)
            naive = measure_naive(_quote_texts(base), args.naive_rounds_shipped, scorer)
            out["shipped"] = {
                "quotes": len(base.quotes),
                "facts": len(base.facts),
                "open_knowledge_s": open_s,
                "db_bytes": await _size(store),
                **_report(exp, naive),
            }
        finally:
            await store.close()

        # -- generated pack ---------------------------------------------------------------
        start = time.perf_counter()
        big = generate_pack(base, args.quotes, args.seed)
        gen_s = time.perf_counter() - start
        store = await Store.open(Path(tmp) / "generated.sqlite3")
        try:
            start = time.perf_counter()
            await store.content.import_pack(big)
            import_s = time.perf_counter() - start
            start = time.perf_counter()
            knowledge = await Knowledge.load(store)
            load_s = time.perf_counter() - start
            exp = await measure_exponent(knowledge, args.rounds, args.seed)
            texts = _quote_texts(big)
            naive = measure_naive(texts, args.naive_rounds, scorer)
            out["generated"] = {
                "quotes": len(big.quotes),
                "generate_s": gen_s,
                "import_s": import_s,
                "knowledge_load_s": load_s,
                "vocabulary": len(knowledge.searcher.analyzer.vocabulary),
                "db_bytes": await _size(store),
                **_report(exp, naive),
            }
        finally:
            await store.close()
    for name in ("shipped", "generated"):
        part = out[name]
        part["goal_p99_met"] = part["quote_all"]["p99"] <= GOAL_P99_MS[name] and (
            part["fact_all"]["p99"] <= GOAL_P99_MS[name]
        )
    out["generated"]["goal_speedup_met"] = out["generated"]["speedup_p50"] >= GOAL_SPEEDUP
    out["errors"] = dict(ERRORS)
    return out


def render(out: dict[str, Any]) -> str:
    buf = io.StringIO()
    cfg = out["config"]
    for name, title in (("shipped", "shipped data"), ("generated", "generated pack")):
        part = out[name]
        print(f"\n== {title}: {part['quotes']:,} quotes ==", file=buf)
        if name == "shipped":
            print(f"open_knowledge (load+verify+import+load): {part['open_knowledge_s']:.2f} s, "
                  f"db {part['db_bytes'] / 1e6:.1f} MB", file=buf)
        else:
            print(f"generate {part['generate_s']:.1f} s, import_pack {part['import_s']:.1f} s, "
                  f"Knowledge.load {part['knowledge_load_s']:.2f} s, vocabulary {part['vocabulary']:,} "
                  f"words, db {part['db_bytes'] / 1e6:.0f} MB", file=buf)
        rows = []
        for kind, r in part["by_kind"].items():
            rows.append([kind, r["n"], r["errors"], r["p50"], r["p90"], r["p99"], r["max"],
                         r.get("naive_p50", float("nan")), r.get("naive_p99", float("nan")),
                         r.get("speedup_p50", float("nan"))])
        for label, key in (("ALL quote about:", "quote_all"), ("ALL fact", "fact_all")):
            r = part[key]
            naive = part["naive_all"] if key == "quote_all" else None
            rows.append([label, r["n"], "", r["p50"], r["p90"], r["p99"], r["max"],
                         naive["p50"] if naive else float("nan"), naive["p99"] if naive else float("nan"),
                         part["speedup_p50"] if naive else float("nan")])
        print(table(["kind (ms)", "n", "err", "p50", "p90", "p99", "max", "naive p50", "naive p99", "x p50"],
                    rows), file=buf)
    print(f"\nnaive = rapidfuzz process.extract(limit=10, scorer={cfg['naive_scorer']}) over every "
          "quote's normalised en+zh text, same run.", file=buf)
    print("random / random-topic rows are extra (no keyword), outside the goals.", file=buf)
    for kind, message in out.get("errors", {}).items():
        print(f"ERROR in {kind!r} calls (a bug; timings of those calls are of the failure): {message}",
              file=buf)
    print("\n== goals ==", file=buf)
    goal_rows = []
    for name in ("shipped", "generated"):
        part = out[name]
        goal_rows.append([f"{name}: quote p99 <= {GOAL_P99_MS[name]:g} ms", part["quote_all"]["p99"],
                          "yes" if part["quote_all"]["p99"] <= GOAL_P99_MS[name] else "NO"])
        goal_rows.append([f"{name}: fact p99 <= {GOAL_P99_MS[name]:g} ms", part["fact_all"]["p99"],
                          "yes" if part["fact_all"]["p99"] <= GOAL_P99_MS[name] else "NO"])
    g = out["generated"]
    goal_rows.append([f"generated: naive/ours p50 >= {GOAL_SPEEDUP:g}x", g["speedup_p50"],
                      "yes" if g["goal_speedup_met"] else "NO"])
    goal_rows.append(["generated: naive/ours p99 (info)", g["speedup_p99"], ""])
    print(table(["goal", "measured", "met"], goal_rows), file=buf)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quotes", type=int, default=100_000, help="quotes in the generated pack")
    parser.add_argument("--rounds-shipped", type=int, default=30, help="rounds over all queries, shipped")
    parser.add_argument("--rounds", type=int, default=8, help="rounds over all queries, generated pack")
    parser.add_argument("--naive-rounds-shipped", type=int, default=10)
    parser.add_argument("--naive-rounds", type=int, default=1)
    parser.add_argument("--naive-scorer", default="partial_ratio",
                        choices=["partial_ratio", "WRatio", "token_set_ratio", "ratio"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    gc.collect()
    run_and_report(run, render, args)


if __name__ == "__main__":
    main()
