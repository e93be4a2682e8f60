"""Relevance of /quote about: and /fact on an evaluation set written from the seeds, blind to the code.

``python -m bench.relevance [--set queries|heldout|both] [--failures]`` prints top-1 and top-3 by
language and kind. Each query names its acceptable answers by verbatim substrings of the transcript
(quotes: any passage holding one is the right moment, so a quote from that passage counts) or of a
fact's evidence, so the set survives id changes. Goals (issue 7): quotes >= 90 % top-3 in English
and in Chinese separately; facts >= 95 % top-1 in each language.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from bot.answer import CommandError
from bot.knowledge import Knowledge, QuoteQuery
from bot.lang import Lang
from bot.pack import DEFAULT_DATA_DIR
from bot.service import open_knowledge
from bot.text import squash

HERE = Path(__file__).parent


def _load(name: str) -> list[dict[str, Any]]:
    return list(yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8")))


def _holders(knowledge: Knowledge, accept: list[str]) -> set[str]:
    """Passage ids whose English or Chinese text holds any accepted substring."""
    wanted = [squash(a) for a in accept]
    return {
        p.id
        for p in knowledge.passages
        if any(w in squash(p.text.en) or w in squash(p.text.zh) for w in wanted)
    }


def _fact_ok(item: dict[str, Any], knowledge: Knowledge, accept: list[str]) -> bool:
    fact = knowledge.fact_by_id(item["id"])
    if fact is None:
        return False
    evidence = squash(fact.evidence.en) + "\n" + squash(fact.evidence.zh)
    return any(squash(a) in evidence for a in accept)


async def _quote_ranks(knowledge: Knowledge, entry: dict[str, Any]) -> tuple[list[bool], str]:
    holders = _holders(knowledge, entry["accept"])
    lang = Lang.EN if entry["lang"] == "en" else Lang.ZH_HANS
    try:
        answer = await knowledge.quote(QuoteQuery(about=entry["q"]), lang)
    except CommandError:
        return [], "(no answer)"
    items = [*answer.items, *answer.extra.get("more", [])]
    oks = [(item.get("source") or {}).get("passage") in holders for item in items]
    return oks, (items[0].get("original") or items[0].get("text") or "")[:90] if items else ""


def _fact_ranks(knowledge: Knowledge, entry: dict[str, Any]) -> tuple[list[bool], str]:
    lang = Lang.EN if entry["lang"] == "en" else Lang.ZH_HANS
    try:
        answer = knowledge.fact(entry["q"], lang)
    except CommandError:
        return [], "(no answer)"
    oks = [_fact_ok(item, knowledge, entry["accept"]) for item in answer.items]
    if answer.kind == "facts":  # a timeline is right when it is mostly what was asked for
        right = sum(oks) >= max(1, len(oks) / 2)
        return [right], f"timeline {answer.items[0]['group']} ({len(oks)})"
    return oks, f"{answer.kind}: " + ", ".join(i["id"] for i in answer.items[:3])


async def evaluate(names: list[str], show_failures: bool) -> dict[tuple[str, str], list[int]]:
    with tempfile.TemporaryDirectory() as tmp:
        store, knowledge = await open_knowledge(Path(tmp) / "relevance.sqlite3", DEFAULT_DATA_DIR)
        try:
            totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
            for name in names:
                for entry in _load(name):
                    if entry["kind"] == "quote":
                        oks, shown = await _quote_ranks(knowledge, entry)
                    else:
                        oks, shown = _fact_ranks(knowledge, entry)
                    top1, top3 = any(oks[:1]), any(oks[:3])
                    for key in ((entry["kind"], entry["lang"]), (entry["kind"], entry["style"])):
                        totals[key][0] += 1
                        totals[key][1] += top1
                        totals[key][2] += top3
                    if show_failures and not (top3 if entry["kind"] == "quote" else top1):
                        print(f"MISS [{entry['kind']}/{entry['style']}] {entry['q']!r} -> {shown}")
            return totals
        finally:
            await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("queries", "heldout", "both"), default="queries")
    parser.add_argument("--failures", action="store_true", help="print each query that misses its goal")
    args = parser.parse_args()
    names = ["queries", "heldout"] if args.set == "both" else [args.set]
    totals = asyncio.run(evaluate(names, args.failures))
    print(f"{'kind':6} {'group':14} {'n':>4} {'top-1':>7} {'top-3':>7}")
    for (kind, group), (n, top1, top3) in sorted(
        totals.items(), key=lambda kv: (kv[0][0], len(kv[0][1]) > 2, kv[0][1])
    ):
        print(f"{kind:6} {group:14} {n:4d} {100 * top1 / n:6.1f}% {100 * top3 / n:6.1f}%")


if __name__ == "__main__":
    main()
