"""The daily quote through the real bot and the fake Discord: /daily commands and scheduled posts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from bot.daily import daily_nonce
from bot.store import Store
from tests.e2e_support import BotProcess, copy_database, running_bot
from tests.fakediscord import ChannelConfig, FakeConfig, FakeDiscord, GuildConfig, UserConfig
from tests.fakediscord.server import MEMBER_PERMISSIONS

pytestmark = pytest.mark.asyncio(loop_scope="module")

EPHEMERAL = 64
MANAGE_GUILD = 1 << 5
ADMIN = UserConfig(id=200000000000000009, username="admin", permissions=MEMBER_PERMISSIONS | MANAGE_GUILD)
# Three servers on shard 0 of 1: one that posts, one whose channel was deleted, one forbidden.
POSTS = GuildConfig(
    id=300000000000000101, name="Posts",
    channels=[ChannelConfig(id=330000000000000001, name="quotes")],
)
GONE = GuildConfig(
    id=300000000000000202, name="Gone",
    channels=[ChannelConfig(id=330000000000000002, name="quotes", state="missing")],
)
LOCKED = GuildConfig(
    id=300000000000000303, name="Locked",
    channels=[ChannelConfig(id=330000000000000003, name="quotes", state="forbidden")],
)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake() -> AsyncIterator[FakeDiscord]:
    config = FakeConfig(guilds=[POSTS, GONE, LOCKED])
    config.users.append(ADMIN)
    async with FakeDiscord(config) as server:
        yield server


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def db(tmp_path_factory: pytest.TempPathFactory, shipped_template: Path) -> Path:
    """Schedules whose time today has passed, as after downtime: each is due at once."""
    path = copy_database(shipped_template, tmp_path_factory.mktemp("daily") / "bot.sqlite3")
    store = await Store.open(path)
    now = datetime.now(UTC)
    zone = ZoneInfo("UTC")
    earlier = (now - timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    if earlier > now.time():  # just after midnight: keep it today
        earlier = now.time().replace(hour=0, minute=0, second=0, microsecond=0)
    set_at = now.replace(hour=0, minute=0, second=0, microsecond=0)
    for guild in (POSTS, GONE, LOCKED):
        await store.daily.set_schedule(guild.id, guild.channels[0].id, earlier, zone, now=set_at)
    await store.close()
    return path


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(fake: FakeDiscord, db: Path) -> AsyncIterator[BotProcess]:
    async with running_bot(
        fake, db, db.with_suffix(".log"), EXPONENT_DAILY_TICK_SECONDS="0.2", EXPONENT_COOLDOWN="100/60"
    ) as process:
        yield process


def _text(message: dict[str, Any]) -> str:
    embed = message["embeds"][0]
    return " ".join(
        [embed.get("description", ""), *(f"{f['name']} {f['value']}" for f in embed.get("fields", []))]
    )


async def test_a_missed_post_of_today_arrives_once_with_its_card_and_nonce(fake: FakeDiscord, bot: BotProcess) -> None:
    channel = POSTS.channels[0].id
    message = await fake.wait_for_message(lambda m: int(m["channel_id"]) == channel, timeout=20)
    card = message["embeds"][0]
    assert card["footer"]["text"].startswith("Quote q-")
    assert "youtube.com/watch?v=n1E9IZfvGMA" in _text(message)
    posts = fake.requests_to("POST", f"/channels/{channel}/messages")
    today = datetime.now(UTC).date()
    assert posts[0].json["nonce"] == daily_nonce(POSTS.id, today)
    assert posts[0].json["enforce_nonce"] is True
    # Several more ticks pass: still one post today.
    await asyncio.sleep(1.0)
    assert len(fake.channel_messages(channel)) == 1


async def test_deleted_and_forbidden_channels_pause_after_one_attempt(fake: FakeDiscord, bot: BotProcess) -> None:
    await fake.wait_for_message(lambda m: int(m["channel_id"]) == POSTS.channels[0].id, timeout=20)
    await asyncio.sleep(1.0)
    for guild in (GONE, LOCKED):
        attempts = fake.requests_to("POST", f"/channels/{guild.channels[0].id}/messages")
        assert len(attempts) == 1, guild.name
    shown = await fake.slash("daily", {}, subcommand="show", guild_id=GONE.id, user_id=ADMIN.id, timeout=10)
    text = _text(shown.callback["data"])
    assert "Paused" in text and "The channel no longer exists" in text
    locked = await fake.slash("daily", {}, subcommand="show", guild_id=LOCKED.id, user_id=ADMIN.id, timeout=10)
    assert "I may no longer post" in _text(locked.callback["data"])
    # The reason is stored as a code: a Chinese admin reads it in Chinese.
    for locale, words in (("zh-CN", "频道已不存在"), ("zh-TW", "頻道已不存在")):
        shown = await fake.slash(
            "daily", {}, subcommand="show", guild_id=GONE.id, user_id=ADMIN.id, locale=locale, timeout=10
        )
        text = _text(shown.callback["data"])
        assert words in text and "channel" not in text.replace("/daily", ""), text


async def test_daily_show_reports_next_post_last_post_and_progress(fake: FakeDiscord, bot: BotProcess) -> None:
    await fake.wait_for_message(lambda m: int(m["channel_id"]) == POSTS.channels[0].id, timeout=20)
    await asyncio.sleep(0.5)
    shown = await fake.slash("daily", {}, subcommand="show", guild_id=POSTS.id, user_id=ADMIN.id, timeout=10)
    data = shown.callback["data"]
    assert data["flags"] & EPHEMERAL
    text = _text(data)
    assert "<t:" in text and ":R>" in text  # next post as a Discord timestamp
    assert "sent" in text
    assert "1 / " in text  # rotation progress


async def test_daily_set_refuses_a_channel_it_cannot_post_in(fake: FakeDiscord, bot: BotProcess) -> None:
    refused = await fake.slash(
        "daily", {"channel": LOCKED.channels[0].id, "time": "09:00", "timezone": "Asia/Shanghai"},
        subcommand="set", guild_id=LOCKED.id, user_id=ADMIN.id, timeout=10,
    )
    data = refused.callback["data"]
    assert data["flags"] & EPHEMERAL
    assert "Send Messages" in data["content"] and "Nothing was changed" in data["content"]


async def test_daily_set_validates_time_and_zone_then_saves(fake: FakeDiscord, bot: BotProcess) -> None:
    bad_time = await fake.slash(
        "daily", {"channel": POSTS.channels[0].id, "time": "25:00", "timezone": "Asia/Shanghai"},
        subcommand="set", guild_id=POSTS.id, user_id=ADMIN.id, timeout=10,
    )
    assert bad_time.callback["data"]["flags"] & EPHEMERAL
    bad_zone = await fake.slash(
        "daily", {"channel": POSTS.channels[0].id, "time": "09:00", "timezone": "Asia/Shangai"},
        subcommand="set", guild_id=POSTS.id, user_id=ADMIN.id, timeout=10,
    )
    assert "Asia/Shanghai" in bad_zone.callback["data"]["content"]
    done = await fake.slash(
        "daily", {"channel": POSTS.channels[0].id, "time": "09:30", "timezone": "Asia/Shanghai", "lang": "zh-Hant"},
        subcommand="set", guild_id=POSTS.id, user_id=ADMIN.id, timeout=10,
    )
    text = _text(done.callback["data"])
    assert "09:30" in text and "Asia/Shanghai" in text and "Traditional Chinese" in text
    preview = await fake.slash("daily", {}, subcommand="preview", guild_id=POSTS.id, user_id=ADMIN.id, timeout=10)
    data = preview.callback["data"]
    assert data["flags"] & EPHEMERAL
    assert data["embeds"][0]["footer"]["text"].startswith("語錄 q-")


async def test_timezone_autocomplete(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.autocomplete(
        "daily", "timezone", "shang", subcommand="set", guild_id=POSTS.id, user_id=ADMIN.id, timeout=10,
    )
    assert record.choices[0]["value"] == "Asia/Shanghai"


async def test_daily_commands_need_manage_server(fake: FakeDiscord, bot: BotProcess) -> None:
    refused = await fake.slash("daily", {}, subcommand="show", guild_id=POSTS.id, timeout=10)
    assert "Manage Server" in refused.callback["data"]["content"]


async def test_daily_set_with_an_unknown_topic_changes_nothing(fake: FakeDiscord, bot: BotProcess) -> None:
    before = await fake.slash("daily", {}, subcommand="show", guild_id=POSTS.id, user_id=ADMIN.id, timeout=10)
    refused = await fake.slash(
        "daily",
        {"channel": POSTS.channels[0].id, "time": "10:00", "timezone": "Europe/London", "topic": "astrology"},
        subcommand="set", guild_id=POSTS.id, user_id=ADMIN.id, timeout=10,
    )
    data = refused.callback["data"]
    assert data["flags"] & EPHEMERAL
    assert "Unknown topic" in data["content"] and "astrology" in data["content"]
    after = await fake.slash("daily", {}, subcommand="show", guild_id=POSTS.id, user_id=ADMIN.id, timeout=10)
    assert _text(after.callback["data"]) == _text(before.callback["data"])


async def test_topic_autocomplete_for_daily_set(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.autocomplete(
        "daily", "topic", "saf", subcommand="set", guild_id=POSTS.id, user_id=ADMIN.id, timeout=10,
    )
    assert [c["value"] for c in record.choices] == ["safety"]
