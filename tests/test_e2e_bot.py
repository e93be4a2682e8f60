"""The real bot process, driven through the fake Discord: sync, commands, autocomplete, buttons."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.e2e_support import TOKEN, BotProcess, copy_database, running_bot
from tests.fakediscord import FakeConfig, FakeDiscord, UserConfig
from tests.fakediscord.server import MEMBER_PERMISSIONS

pytestmark = pytest.mark.asyncio(loop_scope="module")

EPHEMERAL = 64
COOLDOWN_RATE = 40


MANAGE_GUILD = 1 << 5
ADMIN = UserConfig(id=200000000000000009, username="admin", permissions=MEMBER_PERMISSIONS | MANAGE_GUILD)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake() -> AsyncIterator[FakeDiscord]:
    config = FakeConfig()
    config.users.append(ADMIN)
    async with FakeDiscord(config) as server:
        yield server


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(
    fake: FakeDiscord, tmp_path_factory: pytest.TempPathFactory, shipped_template: Path
) -> AsyncIterator[BotProcess]:
    directory = tmp_path_factory.mktemp("e2e")
    async with running_bot(
        fake,
        copy_database(shipped_template, directory / "bot.sqlite3"),
        directory / "bot.log",
        EXPONENT_COOLDOWN=f"{COOLDOWN_RATE}/60",
        EXPONENT_LOG_LEVEL="DEBUG",  # discord.py then logs whole gateway events and REST URLs
    ) as process:
        yield process


def embed_text(embed: dict[str, Any]) -> str:
    parts = [embed.get("title", ""), embed.get("description", "")]
    parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    parts.append((embed.get("footer") or {}).get("text", ""))
    parts.append((embed.get("author") or {}).get("name", ""))
    return "\n".join(p for p in parts if p)


def custom_ids(message: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message.get("components", []) for c in row.get("components", [])]


async def test_synced_commands_are_localized_with_install_contexts(fake: FakeDiscord, bot: BotProcess) -> None:
    commands = {c["name"]: c for c in fake.commands()}
    assert set(commands) == {"quote", "fact", "topics", "about", "settings", "daily"}
    quote = commands["quote"]
    assert quote["name_localizations"] == {"zh-CN": "语录", "zh-TW": "語錄"}
    assert quote["description_localizations"]["zh-CN"].startswith("一条有出处的语录")
    assert quote["description_localizations"]["zh-TW"].startswith("一則附有出處的語錄")
    about = next(o for o in quote["options"] if o["name"] == "about")
    assert about["name_localizations"] == {"zh-CN": "关于", "zh-TW": "關於"}
    assert sorted(quote["integration_types"]) == [0, 1]
    assert sorted(quote["contexts"]) == [0, 1, 2]
    lang = next(o for o in commands["fact"]["options"] if o["name"] == "lang")
    assert {c["value"] for c in lang["choices"]} == {"en", "zh-Hans", "zh-Hant"}
    assert all("zh-TW" in c["name_localizations"] for c in lang["choices"])
    settings = commands["settings"]
    assert settings["contexts"] == [0]
    assert int(settings["default_member_permissions"]) == 32  # Manage Server


async def test_quote_about_a_keyword_answers_with_a_sourced_card(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("quote", {"about": "scaling"}, timeout=10)
    assert record.callback_type == 4 and not record.ephemeral
    card = record.embeds[0]
    assert "scal" in card["description"].lower()  # scaling, scale: one stem
    assert card["author"]["name"] in ("— Dario Amodei", "— Dwarkesh Patel")
    source = next(f for f in card["fields"] if f["name"] == "Source")
    assert "https://www.youtube.com/watch?v=n1E9IZfvGMA" in source["value"]
    assert "2026-02-13" in source["value"]
    assert card["footer"]["text"].startswith("Quote q-")
    ids = custom_ids(record.original or {})
    assert [i.split(":")[1] for i in ids] == ["more", "lang", "ctx"]


async def test_random_quote_without_options(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("quote", {}, timeout=10)
    assert record.embeds and record.embeds[0]["footer"]["text"].startswith("Quote q-")


async def test_fact_revenue_is_a_timeline(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("fact", {"query": "revenue"}, timeout=10)
    card = record.embeds[0]
    names = " ".join(f["name"] for f in card["fields"])
    for year in ("2023", "2024", "2025"):
        assert year in names
    assert len(card["fields"]) >= 4


async def test_fact_valuation_for_a_taiwanese_reader_is_in_traditional(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("fact", {"query": "估值"}, locale="zh-TW", timeout=10)
    text = embed_text(record.embeds[0])
    assert "估值" in text
    assert "億" in text and "來源" in text, text
    assert "亿" not in text and "来源" not in text, text


async def test_fact_autocomplete_offers_labels(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.autocomplete("fact", "query", "reven", timeout=10)
    choices = record.choices
    assert 1 <= len(choices) <= 25
    assert all(len(c["name"]) <= 100 for c in choices)
    assert any(c["value"].startswith("f-revenue") for c in choices)


async def test_topic_autocomplete_in_the_readers_language(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.autocomplete("quote", "topic", "", locale="zh-CN", timeout=10)
    names = [c["name"] for c in record.choices]
    assert any(n.startswith("扩展与指数增长") for n in names)
    assert {c["value"] for c in record.choices} >= {"scaling", "safety"}


async def test_language_button_switches_the_card_in_place(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("quote", {"about": "exponential"}, timeout=10)
    message = record.original
    assert message is not None
    lang_button = next(i for i in custom_ids(message) if i.startswith("exp:lang:"))
    click = await fake.click(message, lang_button, timeout=10)
    assert click.callback_type == 7
    edited = click.callback["data"]["embeds"][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in edited["description"])
    assert edited["footer"]["text"].startswith("语录 q-")
    # The edited card offers English back and keeps the Another filter.
    new_ids = custom_ids(click.callback["data"])
    assert any(i.endswith(":en") for i in new_ids if i.startswith("exp:lang:"))
    assert any(i.startswith("exp:more:zh-Hans:-:") and i.endswith(":exponential") for i in new_ids)


async def test_context_button_answers_only_the_one_who_clicked(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("quote", {"about": "country of geniuses"}, timeout=10)
    message = record.original
    assert message is not None
    ctx = next(i for i in custom_ids(message) if i.startswith("exp:ctx:"))
    click = await fake.click(message, ctx, timeout=10)
    assert click.callback["data"]["flags"] & EPHEMERAL
    description = click.callback["data"]["embeds"][0]["description"]
    assert "▶ " in description and "**" in description  # the quoted passage, the quote in bold


async def test_another_button_posts_a_different_quote(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("quote", {"topic": "safety"}, timeout=10)
    message = record.original
    assert message is not None
    first_id = record.embeds[0]["footer"]["text"].split()[1]
    more = next(i for i in custom_ids(message) if i.startswith("exp:more:"))
    assert more.startswith("exp:more:en:safety:")
    click = await fake.click(message, more, timeout=10)
    assert click.callback_type == 4
    second = click.callback["data"]["embeds"][0]
    assert second["footer"]["text"].split()[1] != first_id


async def test_unknown_fact_gets_private_suggestions(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("fact", {"query": "zzqx plutonium"}, timeout=10)
    data = record.callback["data"]
    assert data["flags"] & EPHEMERAL
    assert "No key number matches" in data["content"]
    assert "`f-" in data["content"]  # suggestions name fact ids


async def test_bad_option_value_is_refused_clearly(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("quote", {"lang": "klingon"}, timeout=10)
    data = record.callback["data"]
    assert data["flags"] & EPHEMERAL
    assert "Unknown language" in data["content"]


async def test_user_text_echoed_back_cannot_ping(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("fact", {"query": "@everyone <@123> **bold**"}, timeout=10)
    data = record.callback["data"]
    assert data["allowed_mentions"] == {"parse": []}
    assert "@everyone" not in data["content"].replace("@\u200beveryone", "")


async def test_quote_works_in_a_dm(fake: FakeDiscord, bot: BotProcess) -> None:
    record = await fake.slash("quote", {"about": "revenue"}, dm=True, timeout=10)
    assert record.callback_type == 4
    assert record.embeds[0]["footer"]["text"].startswith("Quote q-")


async def test_settings_language_needs_manage_server(fake: FakeDiscord, bot: BotProcess) -> None:
    guild = fake.config.guilds[1]
    refused = await fake.slash(
        "settings", {"value": "zh-Hant"}, subcommand="language", guild_id=guild.id, timeout=10
    )
    assert refused.callback["data"]["flags"] & EPHEMERAL
    assert "Manage Server" in refused.callback["data"]["content"]
    after = await fake.slash("fact", {"query": "revenue"}, guild_id=guild.id, timeout=10)
    assert "revenue" in embed_text(after.embeds[0]).lower()


@pytest.mark.parametrize(
    ("command", "subcommand", "options"),
    [("settings", "language", {"value": "en"}), ("daily", "show", {}), ("daily", "off", {})],
)
async def test_server_commands_in_a_dm_say_only_in_a_server_not_manage_server(
    fake: FakeDiscord, bot: BotProcess, command: str, subcommand: str, options: dict[str, str]
) -> None:
    bob = fake.config.users[1]  # no Manage Server anywhere
    refused = await fake.slash(command, options, subcommand=subcommand, dm=True, user_id=bob.id, timeout=10)
    content = refused.callback["data"]["content"]
    assert refused.callback["data"]["flags"] & EPHEMERAL
    assert "only in a server" in content and "Manage Server" not in content


async def test_settings_language_sets_the_servers_default(fake: FakeDiscord, bot: BotProcess) -> None:
    guild = fake.config.guilds[1]
    done = await fake.slash(
        "settings", {"value": "zh-Hant"}, subcommand="language", guild_id=guild.id,
        user_id=ADMIN.id, timeout=10,
    )
    assert done.callback["data"]["flags"] & EPHEMERAL
    answer = await fake.slash("fact", {"query": "revenue"}, guild_id=guild.id, timeout=10)
    assert "收入" in embed_text(answer.embeds[0])
    # An explicit option still wins over the server's default; other servers are unaffected.
    explicit = await fake.slash("fact", {"query": "revenue", "lang": "en"}, guild_id=guild.id, timeout=10)
    assert "Revenue" in embed_text(explicit.embeds[0])
    other = await fake.slash("fact", {"query": "revenue"}, timeout=10)
    assert "Revenue" in embed_text(other.embeds[0])
    await fake.slash(
        "settings", {"value": "auto"}, subcommand="language", guild_id=guild.id,
        user_id=ADMIN.id, timeout=10,
    )


async def test_about_and_topics(fake: FakeDiscord, bot: BotProcess) -> None:
    about = await fake.slash("about", {}, timeout=10)
    assert "quotes" in about.embeds[0]["description"]
    topics = await fake.slash("topics", {"lang": "zh-Hans"}, timeout=10)
    assert "话题" in topics.embeds[0]["title"]


async def test_token_never_logged(bot: BotProcess) -> None:
    assert TOKEN not in bot.log
    assert "SECRET" not in bot.log


async def test_a_member_flooding_commands_is_slowed_down(fake: FakeDiscord, bot: BotProcess) -> None:
    bob = fake.config.users[1]
    replies = [
        await fake.slash("fact", {"query": "growth"}, user_id=bob.id, timeout=10)
        for _ in range(COOLDOWN_RATE + 1)
    ]
    last = replies[-1].callback["data"]
    assert last["flags"] & EPHEMERAL
    assert last["content"].startswith("Slow down a little")
    assert all(r.embeds for r in replies[:-1][-3:])


async def test_ambiguous_fact_offers_a_menu_that_shows_the_pick(fake: FakeDiscord, bot: BotProcess) -> None:
    # Two deals hold "OpenAI" and "deal" equally: the reader picks.
    record = await fake.slash("fact", {"query": "openai deal"}, timeout=10)
    message = record.original
    assert message is not None
    assert record.embeds[0]["title"].startswith("Several facts match")
    menu = message["components"][0]["components"][0]
    assert menu["custom_id"] == "exp:fact:en"
    values = [o["value"] for o in menu["options"]]
    assert {"f-openai-nvidia-deal", "f-openai-amd-deal"} <= set(values)
    click = await fake.click(message, "exp:fact:en", values=["f-openai-amd-deal"], timeout=10)
    assert click.callback_type == 7
    card = click.callback["data"]["embeds"][0]
    assert card["footer"]["text"] == "Fact f-openai-amd-deal"
    assert "$90 billion" in card["description"]


async def test_quote_works_when_a_member_installed_the_app_in_a_server_without_the_bot(
    fake: FakeDiscord, bot: BotProcess
) -> None:
    # A user install used in a server the bot is not in: Discord sends that server's ids,
    # a channel and member the bot has never seen, and context 0 with a user owner.
    data = fake._command_data("quote", {"about": "country of geniuses"}, guild_id=None, subcommand=None)
    payload = fake._interaction_base(
        2, data, guild_id=fake.guild.id, user_id=None, channel_id=None, locale="zh-CN",
        guild_locale=None, dm=False,
    )
    stranger_guild, stranger_channel = "399999999999999999", "399999999999999998"
    payload["guild_id"] = stranger_guild
    payload["guild"] = {"id": stranger_guild, "locale": "en-US", "features": []}
    payload["channel_id"] = stranger_channel
    payload["channel"] = {**payload["channel"], "id": stranger_channel, "guild_id": stranger_guild}
    payload["authorizing_integration_owners"] = {"1": str(fake.user.id)}
    payload["context"] = 0
    record = await fake.send_interaction(payload, timeout=10)
    assert record.callback_type == 4
    card = record.embeds[0]
    assert card["footer"]["text"].startswith("语录 q-")  # the reader's zh-CN locale


def _callback_files(fake: FakeDiscord, interaction_id: int) -> list[dict[str, Any]]:
    (request,) = [
        r for r in fake.requests if r.method == "POST" and r.path.startswith(f"/interactions/{interaction_id}/")
    ]
    return request.files


async def test_fact_revenue_carries_its_chart_as_the_embed_image(fake: FakeDiscord, bot: BotProcess) -> None:
    english = await fake.slash("fact", {"query": "revenue"}, timeout=10)
    chinese = await fake.slash("fact", {"query": "收入"}, locale="zh-CN", timeout=10)
    pngs = []
    for record in (english, chinese):
        card = record.embeds[0]
        assert card["image"]["url"] == "attachment://chart-revenue.png"
        (file,) = _callback_files(fake, record.id)
        assert file["filename"] == "chart-revenue.png"
        assert file["data"].startswith(b"\x89PNG\r\n\x1a\n") and file["size"] < 1_000_000
        assert [a["filename"] for a in record.original["attachments"]] == ["chart-revenue.png"]
        # Alt text: the figures in words, for a reader who cannot see the image.
        (described,) = record.callback["data"]["attachments"]
        assert "2024" in described["description"] and card["title"] in described["description"]
        # The chart adds to the timeline: every figure is still there as text.
        assert len(card["fields"]) == 9
        pngs.append(file["data"])
    assert pngs[0] != pngs[1]  # the Chinese reader's chart is drawn in Chinese
    # A single figure, or a group with no chart, is sent as before: no attachment.
    single = await fake.slash("fact", {"query": "valuation"}, timeout=10)
    assert "image" not in single.embeds[0] and not _callback_files(fake, single.id)
    # The bot drew nothing itself: matplotlib (and numpy) never entered its memory.
    maps = await asyncio.to_thread(Path(f"/proc/{bot.proc.pid}/maps").read_text)
    assert "matplotlib" not in maps and "numpy" not in maps


async def test_interaction_tokens_are_never_logged_even_at_debug(fake: FakeDiscord, bot: BotProcess) -> None:
    """Interaction tokens answer as the bot for 15 minutes; the module's commands, clicks and
    autocompletes all ran with the log at DEBUG, where discord.py prints them."""
    await fake.slash("quote", {"topic": "safety"}, timeout=10)
    tokens = [record.token for record in fake.interactions.values()]
    assert len(tokens) > 10
    log = bot.log
    assert "INTERACTION_CREATE" in log and "[redacted]" in log  # DEBUG was on, and it was redacted
    leaked = [token for token in tokens if token in log]
    assert leaked == []
