"""Time from SIGTERM to exit of the real bot under load, through the fake Discord.

Each round starts ``python -m bot run`` on one database, keeps ``--rate`` interactions per
second arriving (``/quote about:`` and ``/fact``, rotating users), sends SIGTERM after
``--load-seconds`` and measures until the process has exited. ``--hold`` makes Discord answer
every reply before the signal with a 429 asking to wait that long (a busy Discord: every reply
is in flight when the signal comes; the retries go through). Reported: seconds to exit, exit
code, interactions in flight at the signal (from the bot's own log line) and whether every
interaction the bot received was answered exactly once.

    .venv/bin/python -m bench.shutdown                 # table
    .venv/bin/python -m bench.shutdown --json
    .venv/bin/python -m bench.shutdown --rounds 3 --rate 200 --hold 1.0
"""

from __future__ import annotations

import argparse
import asyncio
import io
import itertools
import re
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._stats import run_and_report, table
from bench.e2e import FACT_QUERY, QUOTE_ABOUT, _config
from tests.e2e_support import start_bot
from tests.fakediscord import FakeDiscord

_IN_FLIGHT = re.compile(r"gateway closed, (\d+) interaction\(s\) in flight")
_STOPPED = re.compile(r"shut down in ([0-9.]+) s")


async def one_round(fake: FakeDiscord, db: Path, log: Path, args: argparse.Namespace) -> dict[str, Any]:
    bot = await start_bot(fake, db, log, EXPONENT_COOLDOWN="1000000/1")
    await asyncio.sleep(2.5)  # on_ready and the first daily tick
    users = itertools.cycle([u.id for u in fake.config.users])
    queries = itertools.cycle(
        [("quote", {"about": q}) for q in QUOTE_ABOUT] + [("fact", {"query": q}) for q in FACT_QUERY]
    )
    sent: list[int] = []
    stop_sending = asyncio.Event()

    async def load() -> None:
        interval = 1.0 / args.rate
        while not stop_sending.is_set():
            name, options = next(queries)
            try:
                record = await fake.slash(name, options, user_id=next(users), wait=False)
            except Exception:  # the gateway is closed: nothing more reaches the bot
                break
            sent.append(record.id)
            await asyncio.sleep(interval)

    if args.hold:
        fake.fail_next("POST", "/interactions/", 429, count=10**6, body={"retry_after": args.hold})
    loader = asyncio.create_task(load())
    await asyncio.sleep(args.load_seconds)
    before = set(sent)
    started = time.monotonic()
    bot.proc.send_signal(signal.SIGTERM)
    fake._faults.clear()  # --hold: each reply waited once; its retry goes through
    code = await asyncio.wait_for(bot.proc.wait(), 60)
    seconds = time.monotonic() - started
    stop_sending.set()
    await loader
    text = bot.log
    in_flight = int(m.group(1)) if (m := _IN_FLIGHT.search(text)) else -1
    answered = {
        int(r.path.split("/")[2]) for r in fake.requests_to("POST", "/interactions/") if r.status == 200
    }
    twice = len([r for r in fake.requests_to("POST", "/interactions/") if r.status == 200]) - len(answered)
    return {
        "exit_s": seconds,
        "code": code,
        "sent": len(before),
        "in_flight": in_flight,
        "answered": len(answered & before),
        "answered_twice": twice,
        "logged_s": float(m.group(1)) if (m := _STOPPED.search(text)) else None,
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"config": vars(args).copy(), "rounds": []}
    with tempfile.TemporaryDirectory(prefix="exponent-shutdown-bench-") as tmp:
        directory = Path(tmp)
        async with FakeDiscord(_config(20)) as fake:
            for i in range(args.rounds):
                fake.requests.clear()
                log = directory / f"{i}.log"
                out["rounds"].append(await one_round(fake, directory / "bot.sqlite3", log, args))
    return out


def render(out: dict[str, Any]) -> str:
    buf = io.StringIO()
    cfg = out["config"]
    held = f"; Discord holds each reply {cfg['hold']} s" if cfg["hold"] else ""
    print(f"\n{cfg['rate']:g} interactions/s for {cfg['load_seconds']:g} s, then SIGTERM{held}", file=buf)
    rows = [
        [
            i + 1,
            r["exit_s"],
            r["logged_s"] if r["logged_s"] is not None else "-",
            r["code"],
            r["sent"],
            r["in_flight"],
            r["answered"],
            r["answered_twice"],
        ]
        for i, r in enumerate(out["rounds"])
    ]
    headers = ["round", "SIGTERM->exit s", "bot's s", "exit", "sent before", "in flight", "answered", "twice"]
    print(table(headers, rows), file=buf)
    print(
        "\nsent before: interactions dispatched before the signal; answered: of those, with an accepted"
        " callback;\ntwice: a second accepted callback for one interaction; bot's s: its own log line",
        file=buf,
    )
    return buf.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rate", type=float, default=100.0, help="interactions per second")
    parser.add_argument("--load-seconds", type=float, default=2.0)
    parser.add_argument("--hold", type=float, default=0.0, help="seconds Discord makes each reply wait (429)")
    args = parser.parse_args(argv)
    run_and_report(run, render, args)


if __name__ == "__main__":
    main()
