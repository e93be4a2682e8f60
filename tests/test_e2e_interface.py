"""What only Discord shows: who sees an answer, who may change which card, in whose language.

A bot that always defers first (``EXPONENT_DEFER_AFTER_SECONDS=0``), so every answer
takes the slow path where Discord keeps the deferral's visibility for the first followup.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.e2e_support import BotProcess, copy_database, running_bot
from tests.fakediscord import FakeConfig, FakeDiscord, UserConfig
from tests.fakediscord.server import MEMBER_PERMISSIONS

pytestmark = pytest.mark.asyncio(loop_scope="module")

EPHEMERAL = 64
MANAGE_GUILD = 1 << 5
ADMIN = UserConfig(id=200000000000000019, username="admin", permissions=MEMBER_PERMISSIONS | MANAGE_GUILD)
CAROL = UserConfig(id=200000000000000021, username="carol", permissions=MEMBER_PERMISSIONS)
DAVE = UserConfig(id=200000000000000022, username="dave", permissions=MEMBER_PERMISSIONS)
ERIN = UserConfig(id=200000000000000023, username="erin", permissions=MEMBER_PERMISSIONS)
FRANK = UserConfig(id=200000000000000024, username="frank", permissions=MEMBER_PERMISSIONS)
COOLDOWN_RATE = 3


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake() -> AsyncIterator[FakeDiscord]:
    config = FakeConfig()
    config.users += [ADMIN, CAROL, DAVE, ERIN, FRANK]
    async with FakeDiscord(config) as server:
        yield server


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(
    fake: FakeDiscord, tmp_path_factory: pytest.TempPathFactory, shipped_template: Path
) -> AsyncIterator[BotProcess]:
    directory = tmp_path_factory.mktemp("e2e-interface")
    async with running_bot(
        fake,
        copy_database(shipped_template, directory / "bot.sqlite3"),
        directory / "bot.log",
        EXPONENT_DEFER_AFTER_SECONDS="0",
        EXPONENT_COOLDOWN=f"{COOLDOWN_RATE}/600",
    ) as process:
        yield process


def custom_ids(message: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message.get("components", []) for c in row.get("components", [])]


def footer(message: dict[str, Any]) -> str:
    return str(message["embeds"][0]["footer"]["text"])


async def test_an_error_after_a_public_deferral_reaches_only_the_asker(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("fact", {"query": "zzqx plutonium"}, user_id=CAROL.id, timeout=10)
    assert record.callback_type == 5 and not record.callback.get("data", {}).get("flags")  # public "thinking…"
    reply = await record.wait_followup(timeout=10)
    assert reply["flags"] & EPHEMERAL
    assert "No key number matches" in reply["content"]
    assert record.deleted  # the public placeholder is gone: nobody else sees the mistake
    public = [m for m in fake.messages.values() if m.get("interaction_metadata", {}).get("id") == str(record.id)]
    assert all(m["flags"] & EPHEMERAL for m in public)


async def test_a_slow_answer_after_a_deferral_stays_public(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("fact", {"query": "revenue"}, user_id=CAROL.id, timeout=10)
    assert record.callback_type == 5
    final = await record.wait_final(timeout=10)
    assert final is not None and not final["flags"] & EPHEMERAL and final["embeds"]
    assert not record.deleted


async def test_an_error_in_chinese_for_a_chinese_reader_after_a_deferral(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("quote", {"topic": "安全感觉"}, locale="zh-TW", user_id=DAVE.id, timeout=10)
    reply = await record.wait_followup(timeout=10)
    assert reply["flags"] & EPHEMERAL
    assert reply["content"].startswith("沒有主題")
    lines = reply["content"].splitlines()
    assert "(safety)" in lines[1] or "`safety`" in lines[1], lines[:3]  # the closest topic first


async def test_another_member_switching_language_gets_a_private_copy(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("quote", {"id": "q-big-blob-of-compute"}, user_id=ADMIN.id, timeout=10)
    card = await record.wait_final(timeout=10)
    assert card is not None and footer(card).startswith("Quote q-big-blob-of-compute")
    switch = next(i for i in custom_ids(card) if i.startswith("exp:lang:"))
    click = await fake.click(card, switch, user_id=CAROL.id, locale="zh-TW", timeout=10)
    assert click.callback_type == 4 and click.callback["data"]["flags"] & EPHEMERAL
    assert footer(click.callback["data"]).startswith("語錄 q-big-blob-of-compute")
    assert footer(fake.messages[int(card["id"])]).startswith("Quote ")  # the asker's card is unchanged
    # The asker switches their own card in place.
    mine = await fake.click(card, switch, user_id=ADMIN.id, locale="en-US", timeout=10)
    assert mine.callback_type == 7
    assert footer(fake.messages[int(card["id"])]).startswith("语录 ")


async def test_another_member_pressing_another_gets_a_private_card_in_their_language(
    fake: FakeDiscord, bot: BotProcess
) -> None:
    record = await fake.slash("quote", {"topic": "rl"}, user_id=ADMIN.id, timeout=10)
    card = await record.wait_final(timeout=10)
    assert card is not None
    more = next(i for i in custom_ids(card) if i.startswith("exp:more:"))
    click = await fake.click(card, more, user_id=DAVE.id, locale="zh-CN", timeout=10)
    assert click.callback["data"]["flags"] & EPHEMERAL
    assert footer(click.callback["data"]).startswith("语录 q-")
    assert footer(click.callback["data"]) != footer(card).replace("Quote", "语录")


async def test_another_member_picking_from_a_fact_menu_gets_a_private_card(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("fact", {"query": "openai deal"}, user_id=ADMIN.id, timeout=10)
    menu = await record.wait_final(timeout=10)
    assert menu is not None and menu["components"]
    pick = "f-openai-amd-deal"
    click = await fake.click(menu, "exp:fact:en", values=[pick], user_id=CAROL.id, locale="zh-CN", timeout=10)
    assert click.callback_type == 4 and click.callback["data"]["flags"] & EPHEMERAL
    assert footer(click.callback["data"]) == f"数据 {pick}"
    assert fake.messages[int(menu["id"])]["components"]  # the asker's menu is still there


async def test_a_stale_button_answers_in_the_clickers_language(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("quote", {"id": "q-big-blob-of-compute"}, user_id=CAROL.id, timeout=10)
    card = await record.wait_final(timeout=10)
    assert card is not None
    stale = {**card, "components": [
        {"type": 1, "components": [
            {**c, "custom_id": c["custom_id"].replace("q-big-blob-of-compute", "q-removed-quote")}
            for c in row["components"]
        ]}
        for row in card["components"]
    ]}
    fake.messages[int(card["id"])] = stale
    for locale, words in (("en-US", "There is no quote with id"), ("zh-TW", "沒有編號為")):
        click = await fake.click(stale, "exp:lang:q-removed-quote:zh", user_id=CAROL.id, locale=locale, timeout=10)
        assert click.callback["data"]["flags"] & EPHEMERAL
        assert words in click.callback["data"]["content"]


async def test_another_shares_the_members_cooldown(fake: FakeDiscord, bot: BotProcess) -> None:
    bob = fake.config.users[1]
    record = await fake.slash("quote", {"topic": "safety"}, user_id=bob.id, timeout=10)
    card = await record.wait_final(timeout=10)
    assert card is not None
    replies = []
    for _ in range(COOLDOWN_RATE):
        more = next(i for i in custom_ids(card) if i.startswith("exp:more:"))
        click = await fake.click(card, more, user_id=bob.id, timeout=10)
        replies.append(click.callback["data"])
        card = click.original or card
    assert all(r.get("embeds") for r in replies[:-1])
    assert replies[-1]["flags"] & EPHEMERAL and replies[-1]["content"].startswith("Slow down a little")


async def test_settings_language_answers_the_admin_in_their_own_language(fake: FakeDiscord, bot: BotProcess) -> None:
    guild = fake.config.guilds[1]
    done = await fake.slash(
        "settings", {"value": "zh-Hant"}, subcommand="language", guild_id=guild.id, user_id=ADMIN.id, timeout=10
    )
    reply = await done.wait_final(timeout=10) if done.callback_type == 5 else done.callback["data"]
    assert reply is not None
    assert reply["content"] == "The server's language is now Traditional Chinese."
    await fake.slash("settings", {"value": "auto"}, subcommand="language", guild_id=guild.id, user_id=ADMIN.id)


async def test_missing_permission_is_named_as_discord_names_it(fake: FakeDiscord, bot: BotProcess) -> None:
    guild = fake.config.guilds[1]
    for locale, words in (("en-US", "Manage Server"), ("zh-CN", "管理服务器"), ("zh-TW", "管理伺服器")):
        refused = await fake.slash(
            "settings", {"value": "en"}, subcommand="language", guild_id=guild.id, user_id=CAROL.id,
            locale=locale, timeout=10,
        )
        data = refused.callback["data"]
        assert data["flags"] & EPHEMERAL and words in data["content"], data["content"]


def daily_set(timezone: str, time: str = "09:00", **extra: str) -> dict[str, Any]:
    return {"channel": 310000000000000002, "time": time, "timezone": timezone, **extra}


async def test_daily_set_reads_offsets_as_people_mean_them_and_says_when_it_posts(
    fake: FakeDiscord, bot: BotProcess
) -> None:
    for locale, fixed_words in (("en-US", "no daylight saving"), ("zh-CN", "没有夏令时"), ("zh-TW", "沒有夏令時間")):
        done = await fake.slash("daily", daily_set("GMT+8"), subcommand="set", user_id=ADMIN.id, locale=locale)
        reply = await done.wait_final(timeout=10) if done.callback_type == 5 else done.callback["data"]
        assert reply is not None and reply["flags"] & EPHEMERAL
        assert "09:00" in reply["content"] and "UTC+08:00" in reply["content"], reply["content"]
        assert fixed_words in reply["content"]
    city = await fake.slash("daily", daily_set("上海"), subcommand="set", user_id=ADMIN.id, locale="zh-CN")
    content = city.callback["data"]["content"]
    assert "Asia/Shanghai" in content and "UTC+08:00" in content and "夏令时" not in content
    await fake.slash("daily", {}, subcommand="off", user_id=ADMIN.id)


async def test_daily_set_errors_are_in_the_admins_language(fake: FakeDiscord, bot: BotProcess) -> None:
    cases = (
        ("zh-CN", daily_set("Asia/Shanghai", time="25:00"), "小时须在 00 到 23 之间"),
        ("zh-TW", daily_set("Mars/Olympus"), "未知的時區"),
        ("en-US", daily_set("PST"), "America/Los_Angeles"),
        ("zh-CN", daily_set("Asia/Shanghai", topic="nonexistent"), "没有话题"),
    )
    for locale, options, words in cases:
        refused = await fake.slash("daily", options, subcommand="set", user_id=ADMIN.id, locale=locale, timeout=10)
        data = refused.callback["data"]
        assert data["flags"] & EPHEMERAL and words in data["content"], data["content"]
    listed = (await fake.slash(
        "daily", daily_set("Asia/Shanghai", topic="nonexistent"), subcommand="set", user_id=ADMIN.id, timeout=10
    )).callback["data"]["content"]
    assert listed.count("\n• ") >= 10  # every topic is listed, not nothing


async def test_timezone_autocomplete_offers_the_cities_of_an_offset_first(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.autocomplete(
        "daily", "timezone", "GMT+8", subcommand="set", user_id=ADMIN.id, timeout=10
    )
    values = [c["value"] for c in record.choices]
    assert values[:4] == ["Asia/Shanghai", "Asia/Taipei", "Asia/Hong_Kong", "Asia/Singapore"]
    assert "Etc/GMT+8" not in values
    assert record.choices[0]["name"] == "Asia/Shanghai (UTC+08:00)"


async def test_a_private_copy_stays_private_and_only_its_reader_can_press_it(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("quote", {"topic": "scaling"}, user_id=FRANK.id, timeout=10)
    card = await record.wait_final(timeout=10)
    assert card is not None
    more = next(i for i in custom_ids(card) if i.startswith("exp:more:"))
    copy = await fake.click(card, more, user_id=ERIN.id, locale="zh-TW", timeout=10)
    private = copy.original
    assert private is not None and private["flags"] & EPHEMERAL
    again = next(i for i in custom_ids(private) if i.startswith("exp:more:"))
    nxt = await fake.click(private, again, user_id=ERIN.id, locale="zh-TW", timeout=10)
    assert nxt.callback["data"]["flags"] & EPHEMERAL  # Erin's walk goes on privately
    assert footer(nxt.callback["data"]).startswith("語錄 q-")
    with pytest.raises(ValueError, match="ephemeral"):
        await fake.click(private, again, user_id=CAROL.id, timeout=10)
