"""Operator commands: the invite link, backups taken while the bot writes, the health probe."""

from __future__ import annotations

import asyncio
import os
import shlex
import sqlite3
import sys
from datetime import UTC, datetime, time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import discord
import pytest

from bot import ops
from bot.store import Store
from tests.fakediscord import FakeConfig, FakeDiscord

ROOT = Path(__file__).resolve().parent.parent


async def run_cli(*argv: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *argv, env=env or dict(os.environ), cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


# -- invite ------------------------------------------------------------------------------


def test_invite_link_has_exactly_the_scopes_and_permissions_needed() -> None:
    links = ops.invite_links(123456789012345678)
    query = parse_qs(urlsplit(links.server).query)
    assert urlsplit(links.server).netloc == "discord.com"
    assert query["client_id"] == ["123456789012345678"]
    assert query["scope"] == ["bot applications.commands"]
    expected = discord.Permissions(
        view_channel=True, send_messages=True, embed_links=True, read_message_history=True
    )
    assert int(query["permissions"][0]) == expected.value == 84992
    user = parse_qs(urlsplit(links.user).query)
    assert user["scope"] == ["applications.commands"] and user["integration_type"] == ["1"]


def test_invite_asks_for_every_permission_daily_set_checks() -> None:
    from cogs.daily import NEEDED

    granted = discord.Permissions(ops.permission_integer())
    assert all(getattr(granted, flag) for flag in NEEDED)
    assert ops.permission_integer() == discord.Permissions(**dict.fromkeys(NEEDED, True)).value


async def test_invite_asks_discord_for_the_application_id_with_the_token(tmp_path: Path) -> None:
    async with FakeDiscord(FakeConfig(token="the-token")) as fake:
        code, out, _ = await run_cli("invite", env=fake.subprocess_env(token="the-token"), cwd=tmp_path)
        assert code == 0
        assert f"client_id={fake.config.application_id}&scope=bot+applications.commands&permissions=84992" in out
        assert "View Channel, Send Messages, Embed Links" in out
        code, out, err = await run_cli("invite", env=fake.subprocess_env(token="wrong"), cwd=tmp_path)
        assert code == 2 and "refused the token" in err and "wrong" not in err + out


async def test_invite_without_a_token_says_to_give_the_client_id(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    code, _, err = await run_cli("invite", env=env, cwd=tmp_path)
    assert code == 2 and "--client-id" in err
    code, out, _ = await run_cli("invite", "--client-id", "42", env=env, cwd=tmp_path)
    assert code == 0 and "client_id=42&" in out


# -- backup ------------------------------------------------------------------------------


async def test_a_backup_taken_during_writes_holds_every_schedule_written_before_it(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite3"
    store = await Store.open(path)
    now = datetime(2025, 1, 10, tzinfo=UTC)
    written: list[int] = []
    keep_writing = True
    enough = asyncio.Event()

    async def writer() -> None:
        guild = 1
        while keep_writing:
            await store.daily.set_schedule(guild, guild + 1, time(9, 0), ZoneInfo("UTC"), now=now)
            written.append(guild)
            if len(written) >= 200:
                enough.set()
            guild += 1

    task = asyncio.create_task(writer())
    await enough.wait()
    before = set(written)
    result = await asyncio.to_thread(ops.backup, path, tmp_path / "copy.sqlite3")
    during = len(written)
    keep_writing = False
    await task
    await store.close()
    assert during > len(before), "the writer kept writing while the backup ran"

    copy = sqlite3.connect(result.path)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    saved = {row[0] for row in copy.execute("SELECT guild_id FROM daily_schedules")}
    copy.close()
    assert before <= saved
    assert result.schedules == len(saved)
    assert not (tmp_path / "copy.sqlite3.partial").exists()
    restored = await Store.open(result.path)  # opens and migrates like the live one
    try:
        for guild in sorted(before)[:: max(1, len(before) // 20)]:
            assert await restored.daily.get_schedule(guild) is not None
    finally:
        await restored.close()


async def test_backup_cli_writes_a_dated_copy_into_a_folder_and_never_overwrites(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    store = await Store.open(db)
    await store.daily.set_schedule(7, 8, time(9, 0), ZoneInfo("Asia/Shanghai"), now=datetime.now(UTC))
    await store.close()
    folder = tmp_path / "backups"
    folder.mkdir()
    code, out, err = await run_cli("--db", str(db), "backup", str(folder), cwd=tmp_path)
    assert code == 0, err
    [copy] = folder.glob("exponent-*.sqlite3")
    assert "1 daily schedules" in out and str(copy) in out
    code, _, err = await run_cli("--db", str(db), "backup", str(copy), cwd=tmp_path)
    assert code == 2 and "already exists" in err
    code, _, err = await run_cli("--db", str(tmp_path / "none.sqlite3"), "backup", str(folder), cwd=tmp_path)
    assert code == 1 and "no database at" in err


# -- health ------------------------------------------------------------------------------


@pytest.mark.parametrize(("host", "expected"), [("0.0.0.0", "127.0.0.1:8080"), ("::", "[::1]:8080"),
                                                 ("10.0.0.5", "10.0.0.5:8080")])
def test_health_probe_reaches_a_wildcard_listener_on_loopback(host: str, expected: str) -> None:
    from bot.settings import HttpAddress

    assert ops._local(HttpAddress(host, 8080)) == expected


async def test_health_without_exponent_http_says_so(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "EXPONENT_HTTP"}
    code, _, err = await run_cli("health", env=env, cwd=tmp_path)
    assert code == 2 and "EXPONENT_HTTP is not set" in err


# -- suggested commands --------------------------------------------------------------------


def _runs_this_interpreter(command: str, cwd: Path) -> bool:
    interpreter, *rest = shlex.split(command)
    return (cwd / interpreter).resolve() == Path(sys.executable).resolve() and rest[:2] == ["-m", "bot"]


async def test_the_commands_the_no_token_message_suggests_run_this_interpreter(tmp_path: Path) -> None:
    """Not a bare ``python`` (outside the venv it lacks the dependencies): this very interpreter,
    as a path that works from the folder the operator is in. (test_ask_cli runs ``ask`` itself.)"""
    cwd = tmp_path  # not the checkout: a relative .venv/bin/python would not be found from here
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    code, _, err = await run_cli("run", env=env, cwd=cwd)
    assert code == 2
    suggested = [line.split("offline:", 1)[1].strip() for line in err.splitlines() if "offline:" in line]
    invite = [line.split(":", 1)[1].strip() for line in err.splitlines() if "-m bot invite" in line]
    for command in suggested + invite:
        assert _runs_this_interpreter(command, cwd), command
    assert [shlex.split(c)[3:] for c in suggested] == [["ask", "/fact revenue"]]
    assert [shlex.split(c)[3:] for c in invite] == [["invite"]]
