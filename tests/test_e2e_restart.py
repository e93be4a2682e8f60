"""Restarts: buttons on old cards keep working, commands are not re-synced, no token is explained.

Separate from test_e2e_bot.py because each test here owns its fake Discord's gateway sessions.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.e2e_support import copy_database, start_bot
from tests.fakediscord import FakeConfig, FakeDiscord
from tests.test_e2e_bot import custom_ids


async def test_buttons_work_after_restart_and_commands_are_not_resynced(tmp_path: Path, shipped_template: Path) -> None:
    async with FakeDiscord(FakeConfig()) as fake:
        await _restart_scenario(fake, tmp_path, shipped_template)


async def _restart_scenario(fake: FakeDiscord, directory: Path, template: Path) -> None:
    db = copy_database(template, directory / "bot.sqlite3")
    first = await start_bot(fake, db, directory / "first.log")
    try:
        record = await fake.slash("quote", {"about": "diffusion"}, timeout=10)
    finally:
        await first.stop()
    message = record.original
    assert message is not None
    syncs_before = len(fake.requests_to("PUT", "/applications/"))
    second = await start_bot(fake, db, directory / "second.log")
    try:
        lang_button = next(i for i in custom_ids(message) if i.startswith("exp:lang:"))
        click = await fake.click(message, lang_button, timeout=15)
        assert click.callback_type == 7
        assert "语录" in click.callback["data"]["embeds"][0]["footer"]["text"]
        assert len(fake.requests_to("PUT", "/applications/")) == syncs_before
    finally:
        await second.stop()


async def test_run_without_token_says_what_to_do(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    assert proc.returncode == 2
    assert "DISCORD_TOKEN is not set" in err.decode()
    assert "discord.com/developers" in err.decode()
