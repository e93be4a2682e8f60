"""EXPONENT_HTTP through the real bot and the fake Discord: /healthz follows the gateway, /metrics
counts what members did."""

from __future__ import annotations

import asyncio
import os
import socket
from pathlib import Path
from typing import Any

import aiohttp

from tests.e2e_support import copy_database, start_bot
from tests.fakediscord import FakeConfig, FakeDiscord
from tests.test_ops import run_cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def get(session: aiohttp.ClientSession, url: str) -> tuple[int, str, Any]:
    async with session.get(url) as response:
        text = await response.text()
        body = await response.json() if response.content_type == "application/json" else None
        return response.status, text, body


async def wait_for_status(session: aiohttp.ClientSession, url: str, status: int, within: float = 15) -> Any:
    last: Any = None
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        code, _, last = await get(session, url)
        if code == status:
            return last
        await asyncio.sleep(0.2)
    raise AssertionError(f"{url} never answered {status}; last body {last}")


async def test_healthz_and_metrics(tmp_path: Path, shipped_template: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    fake = FakeDiscord(FakeConfig())
    await fake.start()
    bot = await start_bot(
        fake, copy_database(shipped_template, tmp_path / "bot.sqlite3"), tmp_path / "bot.log",
        EXPONENT_HTTP=f"127.0.0.1:{port}", EXPONENT_DAILY_TICK_SECONDS="0.5",
    )
    try:
        async with aiohttp.ClientSession() as session:
            body = await wait_for_status(session, f"{base}/healthz", 200)
            assert body["status"] == "ok" and body["database"] == "ok"
            # What Docker's HEALTHCHECK runs.
            code, out, _ = await run_cli("health", env={**os.environ, "EXPONENT_HTTP": f"0.0.0.0:{port}"})
            assert code == 0 and '"status": "ok"' in out
            assert body["gateway"][0]["shard"] == 0 and body["gateway"][0]["connected"] is True

            await fake.slash("quote", {"about": "scaling"}, timeout=10)
            await fake.slash("quote", {"about": "scaling"}, timeout=10)
            await fake.slash("fact", {"query": "zzzz nothing like this"}, timeout=10)
            await fake.autocomplete("fact", "query", "reven", timeout=10)
            status, text, _ = await get(session, f"{base}/metrics")
            assert status == 200
            assert 'exponent_interactions_total{command="quote",outcome="ok"} 2.0' in text
            assert 'exponent_interactions_total{command="fact",outcome="error_reply"} 1.0' in text
            assert 'exponent_interactions_total{command="fact",outcome="autocomplete"} 1.0' in text
            assert 'exponent_answer_seconds_count{command="quote"} 2.0' in text
            assert 'exponent_gateway_connected{shard="0"} 1.0' in text
            assert "exponent_gateway_latency_seconds" in text
            assert 'exponent_daily_schedules{state="active"} 0.0' in text
            assert 'exponent_data_pack_items{kind="quotes"}' in text and "exponent_data_pack_info{digest=" in text

            # Discord goes away: health names the gateway.
            await fake.close()
            body = await wait_for_status(session, f"{base}/healthz", 503)
            assert "gateway: shard(s) 0 not connected" in body["failing"]
            code, out, _ = await run_cli("health", env={**os.environ, "EXPONENT_HTTP": f"127.0.0.1:{port}"})
            assert code == 1 and "not connected" in out
        log = bot.log
        assert "events: answered command=quote guild=" in log and " outcome=ok ms=" in log
    finally:
        await bot.stop()
        await fake.close()
