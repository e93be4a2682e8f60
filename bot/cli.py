"""``python -m bot``: run the bot, or answer, check, export and count offline.

Exit codes: 0 success, 1 a failed check or an answer that is an error,
2 a usage error (unknown command or option, missing token).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot import ops
from bot.answer import Answer
from bot.charts import decide_all
from bot.commands import UsageError, dispatch, parse_command_line
from bot.curate.audit import audit_all
from bot.knowledge import Knowledge
from bot.logs import configure
from bot.pack import PackError, chart_rules, load_pack
from bot.render_text import render
from bot.service import open_knowledge
from bot.settings import Settings, SettingsError
from bot.store.database import DatabaseUnavailable
from bot.user_input import argv_problem
from bot.verify import verify

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument(
        "--db", type=Path, help="SQLite file (default: EXPONENT_DATABASE, else var/ of this checkout)"
    )
    parser.add_argument("--data", type=Path, help="data directory (default: the shipped data/)")
    sub = parser.add_subparsers(dest="cmd", required=True)
    ask = sub.add_parser("ask", help='answer a slash command offline, e.g. ask "/fact revenue"')
    ask.add_argument("line", help='the command as typed in Discord: "/quote about:scaling lang:zh"')
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--locale", help="the asker's Discord locale, e.g. zh-TW")
    ask.add_argument(
        "--chart", type=Path, metavar="PNG", help="also write the timeline's chart (as the bot sends it) here"
    )
    sub.add_parser("check", help="validate the data pack; non-zero exit on any problem")
    sub.add_parser("export", help="the whole knowledge base as JSON on stdout")
    stats = sub.add_parser("stats", help="counts by kind, topic, source and language")
    stats.add_argument("--json", action="store_true")
    sub.add_parser("run", help="run the Discord bot (needs DISCORD_TOKEN)")
    sub.add_parser("health", help="ask the running bot's /healthz (EXPONENT_HTTP); exit 0 when healthy")
    invite = sub.add_parser("invite", help="print the links that add the bot to a server or install it")
    invite.add_argument("--client-id", type=int, help="the Application ID (default: asked from Discord)")
    backup = sub.add_parser("backup", help="a consistent copy of the database, safe while the bot runs")
    backup.add_argument("path", type=Path, help="the new file, or a folder to put a dated copy in")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    problem = argv_problem(sys.argv[1:] if argv is None else argv)
    if problem is not None:  # checked once, before anything reads the arguments
        print(f"error: {problem}", file=sys.stderr)
        return 2
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    database = args.db or settings.database
    data_dir = args.data or settings.data_dir
    configure(settings.log_level if args.cmd == "run" else "WARNING", settings.log_format)
    if args.cmd == "check":
        return _check(data_dir)
    if args.cmd in ("health", "invite", "backup"):
        return _ops(args, settings, database)
    if args.cmd == "run":
        from bot.runner import run  # imports discord.py only when running the bot

        return run(settings)
    if str(database) != ":memory:" and not database.exists():
        # The first use imports the data pack and draws its charts: say why it takes a while.
        print(f"first use: importing the data pack into {database} (a few seconds)...", file=sys.stderr)
    try:
        return asyncio.run(_offline(args, database, data_dir))
    except PackError as exc:
        check = f"{ops.python_command()} -m bot check"
        print(f"error: the data pack has problems; run `{check}`.\n{exc}", file=sys.stderr)
        return 1
    except DatabaseUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _ops(args: argparse.Namespace, settings: Settings, database: Path) -> int:
    try:
        if args.cmd == "health":
            return ops.health(settings)
        if args.cmd == "invite":
            print(ops.invite_text(args.client_id or ops.application_id(settings)), end="")
            return 0
        done = ops.backup(database, args.path)
    except ops.OpsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    print(f"backed up {database} to {done.path} ({done.size} bytes, {done.schedules} daily schedules)")
    return 0


def _check(data_dir: Path) -> int:
    pack, problems = load_pack(data_dir)
    problems += verify(pack, data_dir)
    problems += audit_all(data_dir)  # every transcript current and covering its raw lines
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found in {data_dir}", file=sys.stderr)
        return 1
    print(
        f"ok: {len(pack.quotes)} quotes, {len(pack.facts)} facts, {len(pack.passages)} passages, "
        f"{len(pack.corrections)} corrections, {len(pack.sources)} sources, {len(pack.topics)} topics"
    )
    return 0


async def _offline(args: argparse.Namespace, database: Path, data_dir: Path) -> int:
    if args.cmd == "ask":
        try:
            line = parse_command_line(args.line)
        except UsageError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    store, knowledge = await open_knowledge(database, data_dir)
    try:
        if args.cmd == "ask":
            answer = await dispatch(knowledge, line.command, line.options, user_locale=args.locale)
            if args.json:
                print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
            else:
                print(render(answer), end="")
            if args.chart is not None and answer.kind != "error":
                await _write_chart(knowledge, answer, data_dir, args.chart)
            return 1 if answer.kind == "error" else 0
        if args.cmd == "export":
            export = await knowledge.export()
            export["charts"] = await _chart_list(knowledge, data_dir)
            print(json.dumps(export, ensure_ascii=False, indent=2))
            return 0
        if args.cmd == "stats":
            stats = await _stats(knowledge)
            if args.json:
                print(json.dumps(stats, ensure_ascii=False, indent=2))
            else:
                _print_stats(stats)
            return 0
    finally:
        await store.close()
    return 2


async def _write_chart(knowledge: Knowledge, answer: Answer, data_dir: Path, target: Path) -> None:
    """The chart the bot attaches to this answer, or why there is none (on stderr)."""
    group = str(answer.items[0].get("group") or "") if answer.items else ""
    content = knowledge.store.content
    png = await content.chart_png(group, answer.lang.value) if answer.kind == "facts" else None
    if png is None:
        charts = {c["group"]: c for c in await _chart_list(knowledge, data_dir)}
        why = charts[group]["why"] if answer.kind == "facts" and group in charts else ""
        print(f"no chart: {why or 'only a group of figures (a timeline) has one'}", file=sys.stderr)
        return
    await asyncio.to_thread(target.write_bytes, png)
    print(f"chart written to {target} ({len(png):,} bytes)", file=sys.stderr)


async def _chart_list(knowledge: Knowledge, data_dir: Path) -> list[dict[str, Any]]:
    """Every fact group: whether it has a chart, in which languages, its figures, or why not."""
    stored = await knowledge.store.content.chart_specs()
    decisions = decide_all(knowledge.facts.facts, chart_rules(data_dir))
    out: list[dict[str, Any]] = []
    for group, decision in decisions.items():
        langs = [lang for (g, lang) in stored if g == group]
        out.append(
            {
                "group": group,
                "chart": bool(langs),
                "languages": langs,
                "figures": [f.id for f in decision.figures],
                "why": "" if langs else decision.why or "not drawn yet (see the bot's log)",
            }
        )
    return out


async def _stats(knowledge: Knowledge) -> dict[str, Any]:
    quotes = await knowledge.store.content.all_quotes()
    facts = knowledge.facts.facts
    by_source: dict[str, dict[str, int]] = {}
    for q in quotes:
        by_source.setdefault(q.source, {"quotes": 0, "facts": 0})["quotes"] += 1
    for f in facts:
        by_source.setdefault(f.source, {"quotes": 0, "facts": 0})["facts"] += 1
    by_speaker: dict[str, int] = {}
    for q in quotes:
        by_speaker[q.speaker] = by_speaker.get(q.speaker, 0) + 1
    languages = {
        "quotes_en": sum(1 for q in quotes if q.text.en),
        "quotes_zh": sum(1 for q in quotes if q.text.zh),
        "facts_evidence_en": sum(1 for f in facts if f.evidence.en),
        "facts_evidence_zh": sum(1 for f in facts if f.evidence.zh),
    }
    by_standing: dict[str, int] = {}
    by_group: dict[str, int] = {}
    for f in facts:
        by_standing[f.standing] = by_standing.get(f.standing, 0) + 1
        by_group[f.group] = by_group.get(f.group, 0) + 1
    return {
        "counts": knowledge.counts,
        "quotes_by_topic": {tid: knowledge.topic_counts.get(tid, 0) for tid in knowledge.topics},
        "quotes_by_speaker": by_speaker,
        "by_source": by_source,
        "by_language": languages,
        "facts_by_standing": by_standing,
        "facts_by_group": by_group,
    }


def _print_stats(stats: dict[str, Any]) -> None:
    for title, table in stats.items():
        print(f"{title}:")
        for key, value in table.items():
            print(f"  {key:<28} {value}")
