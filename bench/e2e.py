"""Interaction-to-response latency and memory of the real bot, through the fake Discord, beside a bare bot.

Two fake Discords on 127.0.0.1 (one per bot, so their global command syncs do
not overwrite each other), driven from this process. The real bot runs as
``python -m bot run`` (``tests.e2e_support.start_bot``) on a temporary
database with the shipped data; the floor is ``bench.bare_bot`` (one ``/ping``
answering a constant). Interactions are sent one at a time, interleaved across
``/ping``, ``/quote about:…``, ``/fact …`` and ``/fact revenue`` (a whole
timeline, in three languages) so both bots see the same machine noise, then
(optionally) a concurrent burst of each.

Latency: ``time.monotonic()`` just before the fake dispatches INTERACTION_CREATE
(to the gateway socket) to the ``time`` the fake recorded on the bot's callback
POST ``/interactions/{id}/{token}/callback`` (``RecordedRequest.time``, also
``time.monotonic()``, taken when the request body has been read).

Memory: VmRSS / VmHWM from ``/proc/<pid>/status`` after start and after the run.

    .venv/bin/python -m bench.e2e            # table
    .venv/bin/python -m bench.e2e --json     # one JSON object
    .venv/bin/python -m bench.e2e -n 200 --burst 0   # quicker

Goals (issue): p50 within 1.3x of the floor; memory within floor + 30 MB.
"""

# ruff: noqa: ASYNC109
from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import itertools
import logging
import re
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._stats import ratio, run_and_report, summary, table
from tests.e2e_support import BotProcess, start_bot
from tests.fakediscord import FakeConfig, FakeDiscord
from tests.fakediscord.server import UserConfig

GOAL_P50_RATIO = 1.3
GOAL_EXTRA_MB = 30.0
EPHEMERAL = 64

# Queries answered normally on the shipped data (bench.search exercises the odd ones).
QUOTE_ABOUT = [
    "scaling", "revenue", "compute", "exponential", "safety", "robotics", "China", "coding",
    "country of geniuses", "end of the exponential", "data center", "continual learning",
    "exponantial", "scalling", "revnue", "收入", "规模", "算力", "编程", "指数增长", "数据中心",
    "規模", "編程", "anthropic 估值", "claude 编程", "AI 安全",
]
FACT_QUERY = [
    "revenue", "valuation", "anthropic revenue 2024", "compute", "claude code", "training cost",
    "revenu", "valuaton", "估值", "收入", "算力", "營收", "規模", "f-revenue-2024", "margin",
]
# The timeline of one group (with its chart, where it has one), in each language.
FACT_GROUP_QUERY = ["revenue", "收入", "營收"]
LOCALES = {"en": "en-US", "zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}

_CALLBACK_RE = re.compile(r"^/interactions/(\d+)/[^/]+/callback$")


def _locale_for(text: str) -> str:
    if any(ch in text for ch in "規營編國資數"):
        return LOCALES["zh-Hant"]
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return LOCALES["zh-Hans"]
    return LOCALES["en"]


def memory_kb(pid: int) -> dict[str, int]:
    out: dict[str, int] = {}
    with contextlib.suppress(OSError), Path(f"/proc/{pid}/status").open(encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    return out


class Timed:
    """A fake whose INTERACTION_CREATE dispatch times are recorded, keyed by interaction id."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.sent: dict[int, float] = {}
        original = fake.dispatch

        async def dispatch(event: str, data: Any, **kwargs: Any) -> Any:
            if event == "INTERACTION_CREATE":
                self.sent[int(data["id"])] = time.monotonic()
            return await original(event, data, **kwargs)

        fake.dispatch = dispatch  # type: ignore[method-assign]

    def callback_times(self) -> dict[int, float]:
        out: dict[int, float] = {}
        for rec in self.fake.requests:
            if rec.method == "POST":
                found = _CALLBACK_RE.match(rec.path)
                if found:
                    out.setdefault(int(found.group(1)), rec.time)
        return out

    def latencies_ms(self, ids: list[int]) -> list[float]:
        done = self.callback_times()
        return [(done[i] - self.sent[i]) * 1000 for i in ids if i in done and i in self.sent]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _scrape(address: str, out: dict[str, Any], every: float = 1.0) -> None:
    """With --http: GET /healthz and /metrics every second, as a (busy) Prometheus would;
    keeps the last /metrics text in ``out["metrics"]``."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        while True:
            async with session.get(f"http://{address}/healthz") as response:
                out["healthz_status"] = response.status
            async with session.get(f"http://{address}/metrics") as response:
                out["metrics"] = await response.text()
            out["scrapes"] = out.get("scrapes", 0) + 1
            await asyncio.sleep(every)


def _config(users: int) -> FakeConfig:
    config = FakeConfig()
    config.users.extend(
        UserConfig(id=300000000000000000 + i, username=f"reader{i}") for i in range(users)
    )
    return config


async def start_bare(fake: FakeDiscord, log_path: Path) -> BotProcess:
    """The floor: bench/bare_bot.py, started the same way as the real bot."""
    return await start_bot(
        fake, log_path.with_suffix(".sqlite3"), log_path, command=("bench.bare_bot",),
        EXPONENT_LOG_LEVEL="WARNING",
    )


class Driver:
    """Sends one kind of interaction to one bot, rotating users so no cooldown is hit."""

    def __init__(self, name: str, timed: Timed, command: str, option: str | None, values: list[str]) -> None:
        self.name = name
        self.timed = timed
        self.command = command
        self.option = option
        self.values = itertools.cycle(values)
        self.users = itertools.cycle([u.id for u in timed.fake.config.users])
        self.errors = 0
        self.timeouts = 0

    async def one(self, *, wait: bool = True) -> int:
        value = next(self.values)
        options = {self.option: value} if self.option else {}
        locale = _locale_for(value) if self.option else "en-US"
        rec = await self.timed.fake.slash(
            self.command, options, user_id=next(self.users), locale=locale, wait=False
        )
        if wait:
            await self.finish(rec.id)
        return rec.id

    async def finish(self, interaction_id: int, timeout: float = 15.0) -> None:
        try:
            rec = await self.timed.fake.response_for(interaction_id, timeout=timeout)
        except TimeoutError:
            self.timeouts += 1
            return
        data = (rec.callback or {}).get("data") or {}
        if int(data.get("flags") or 0) & EPHEMERAL:
            self.errors += 1  # errors and "nothing found" are private replies


async def run(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {
        "config": {"n": args.n, "burst": args.burst, "warmup": args.warmup, "users": args.users,
                   "http": args.http, "print_metrics": args.print_metrics, "python": sys.version.split()[0]},
        "goals": {"p50_ratio": GOAL_P50_RATIO, "extra_mb": GOAL_EXTRA_MB},
    }
    with tempfile.TemporaryDirectory(prefix="exponent-e2e-bench-") as tmp:
        directory = Path(tmp)
        async with (
            FakeDiscord(_config(args.users)) as fake_bare,
            FakeDiscord(_config(args.users)) as fake_bot,
        ):
            bare_timed, bot_timed = Timed(fake_bare), Timed(fake_bot)
            t0 = time.monotonic()
            bare = await start_bare(fake_bare, directory / "bare.log")
            bare_start = time.monotonic() - t0
            try:
                t0 = time.monotonic()
                http = {"EXPONENT_HTTP": f"127.0.0.1:{_free_port()}"} if args.http else {}
                bot = await start_bot(
                    fake_bot, directory / "bot.sqlite3", directory / "bot.log",
                    EXPONENT_COOLDOWN="1000/1", **http,  # no reader is slowed down
                )
                bot_start = time.monotonic() - t0
                scraper = asyncio.create_task(_scrape(http["EXPONENT_HTTP"], out)) if http else None
                try:
                    if fake_bare.command("ping", None) is None:
                        await fake_bare.wait_for_request(
                            lambda r: r.method == "PUT" and r.path.endswith("/commands"), timeout=15
                        )
                    mem_start = {"bare": memory_kb(bare.proc.pid), "bot": memory_kb(bot.proc.pid)}
                    drivers = {
                        "ping (floor)": Driver("ping", bare_timed, "ping", None, [""]),
                        "quote about:": Driver("quote", bot_timed, "quote", "about", QUOTE_ABOUT),
                        "fact": Driver("fact", bot_timed, "fact", "query", FACT_QUERY),
                        "fact revenue": Driver("fact", bot_timed, "fact", "query", FACT_GROUP_QUERY),
                    }
                    # Warm up: imports on first use, SQLite pages, caches; also waits out on_ready.
                    for driver in drivers.values():
                        for _ in range(args.warmup):
                            await driver.one()
                        driver.errors = driver.timeouts = 0
                    ids: dict[str, list[int]] = {k: [] for k in drivers}
                    order = list(drivers)
                    t0 = time.monotonic()
                    for i in range(args.n):
                        rot = order[i % len(order):] + order[: i % len(order)]
                        for key in rot:
                            ids[key].append(await drivers[key].one())
                    sequential_s = time.monotonic() - t0
                    burst_ids: dict[str, list[int]] = {k: [] for k in drivers}
                    burst_wall: dict[str, float] = {}
                    if args.burst:
                        for key, driver in drivers.items():
                            t0 = time.monotonic()
                            sent = [await driver.one(wait=False) for _ in range(args.burst)]
                            await asyncio.gather(*(driver.finish(i, timeout=60) for i in sent))
                            burst_wall[key] = time.monotonic() - t0
                            burst_ids[key] = sent
                    mem_end = {"bare": memory_kb(bare.proc.pid), "bot": memory_kb(bot.proc.pid)}
                finally:
                    if scraper is not None:
                        scraper.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await scraper
                    await bot.stop()
                    bot_log = bot.log
            finally:
                await bare.stop()
            timed_of = dict.fromkeys(drivers, bot_timed) | {"ping (floor)": bare_timed}
            results: dict[str, Any] = {}
            for key, driver in drivers.items():
                seq = summary(timed_of[key].latencies_ms(ids[key]))
                row: dict[str, Any] = {
                    "sequential": seq, "errors": driver.errors, "timeouts": driver.timeouts
                }
                if args.burst:
                    row["burst"] = summary(timed_of[key].latencies_ms(burst_ids[key]))
                    row["burst_wall_s"] = burst_wall[key]
                    row["burst_per_s"] = args.burst / burst_wall[key] if burst_wall[key] else 0.0
                results[key] = row
    floor = results["ping (floor)"]["sequential"]
    for row in results.values():
        row["p50_vs_floor"] = ratio(row["sequential"]["p50"], floor["p50"])
        row["p99_vs_floor"] = ratio(row["sequential"]["p99"], floor["p99"])
        if args.burst:
            row["burst_p50_vs_floor"] = ratio(row["burst"]["p50"], results["ping (floor)"]["burst"]["p50"])
    mb = {
        name: {
            "rss_start_mb": mem_start[name].get("VmRSS", 0) / 1024,
            "rss_end_mb": mem_end[name].get("VmRSS", 0) / 1024,
            "hwm_end_mb": mem_end[name].get("VmHWM", 0) / 1024,
        }
        for name in ("bare", "bot")
    }
    extra = mb["bot"]["rss_end_mb"] - mb["bare"]["rss_end_mb"]
    worst = max(results["quote about:"]["p50_vs_floor"], results["fact"]["p50_vs_floor"])
    out.update(
        {
            "start_s": {"bare": bare_start, "bot": bot_start},
            "sequential_wall_s": sequential_s,
            "latency_ms": results,
            "memory": mb,
            "memory_extra_mb": extra,
            "memory_extra_hwm_mb": mb["bot"]["hwm_end_mb"] - mb["bare"]["hwm_end_mb"],
            "goal_p50_met": worst <= GOAL_P50_RATIO,
            "goal_memory_met": extra <= GOAL_EXTRA_MB,
            "bot_log_errors": sum("ERROR" in line for line in bot_log.splitlines()),
        }
    )
    return out


def render(out: dict[str, Any]) -> str:
    buf = io.StringIO()
    cfg = out["config"]
    print(f"\nstart to connected: bare {out['start_s']['bare']:.2f} s, bot {out['start_s']['bot']:.2f} s; "
          f"{cfg['n']} sequential interactions of each kind, interleaved, "
          f"in {out['sequential_wall_s']:.1f} s", file=buf)
    rows = []
    for key, row in out["latency_ms"].items():
        s = row["sequential"]
        rows.append([key, s["n"], row["errors"], row["timeouts"], s["p50"], s["p90"], s["p99"], s["max"],
                     s["mean"], row["p50_vs_floor"], row["p99_vs_floor"]])
    print("\n== sequential: INTERACTION_CREATE dispatched -> callback POST received (ms) ==", file=buf)
    headers = ["command", "n", "private", "t/o", "p50", "p90", "p99", "max", "mean", "p50/floor", "p99/floor"]
    print(table(headers, rows), file=buf)
    if cfg["burst"]:
        rows = []
        for key, row in out["latency_ms"].items():
            b = row["burst"]
            rows.append([key, b["n"], b["p50"], b["p99"], b["max"], row["burst_wall_s"] * 1000,
                         row["burst_per_s"], row["burst_p50_vs_floor"]])
        print(f"\n== burst: {cfg['burst']} dispatched at once, per kind (ms) ==", file=buf)
        print(table(["command", "n", "p50", "p99", "max", "wall", "per s", "p50/floor"], rows), file=buf)
    rows = []
    for name, label in (("bare", "bare bot (floor)"), ("bot", "Exponent bot")):
        m = out["memory"][name]
        rows.append([label, m["rss_start_mb"], m["rss_end_mb"], m["hwm_end_mb"]])
    print("\n== memory (MB, /proc/<pid>/status) ==", file=buf)
    print(table(["process", "RSS after start", "RSS after run", "peak (VmHWM)"], rows), file=buf)
    q = out["latency_ms"]["quote about:"]["p50_vs_floor"]
    f = out["latency_ms"]["fact"]["p50_vs_floor"]
    print("\n== goals ==", file=buf)
    print(table(["goal", "measured", "met"], [
        [f"/quote about: p50 <= {GOAL_P50_RATIO}x floor", q, "yes" if q <= GOAL_P50_RATIO else "NO"],
        [f"/fact p50 <= {GOAL_P50_RATIO}x floor", f, "yes" if f <= GOAL_P50_RATIO else "NO"],
        [f"RSS after run <= floor + {GOAL_EXTRA_MB:g} MB", out["memory_extra_mb"],
         "yes" if out["goal_memory_met"] else "NO"],
        ["peak RSS over floor's peak (info)", out["memory_extra_hwm_mb"], ""],
    ]), file=buf)
    print("\nprivate = ephemeral replies (errors, or nothing found: /fact 規模 has no match); "
          "t/o = no callback within 15 s", file=buf)
    if cfg.get("http"):
        print(f"\nEXPONENT_HTTP on: /healthz and /metrics scraped {out.get('scrapes', 0)} times "
              f"(last /healthz: {out.get('healthz_status')})", file=buf)
        if cfg.get("print_metrics"):
            print("\n== last /metrics ==\n" + out.get("metrics", ""), file=buf)
    if out["bot_log_errors"]:
        print(f"\nthe bot logged {out['bot_log_errors']} ERROR line(s) during the run", file=buf)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("-n", type=int, default=1000, help="sequential interactions per kind")
    parser.add_argument("--burst", type=int, default=100, help="concurrent burst size per kind (0: none)")
    parser.add_argument("--warmup", type=int, default=30, help="untimed interactions per kind first")
    parser.add_argument("--users", type=int, default=20, help="extra fake users to rotate through")
    parser.add_argument("--http", action="store_true", help="serve EXPONENT_HTTP, scrape it every second")
    parser.add_argument("--print-metrics", action="store_true", help="with --http: print the last /metrics")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    run_and_report(run, render, args)


if __name__ == "__main__":
    main()
