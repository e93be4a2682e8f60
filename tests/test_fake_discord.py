"""The fake Discord drives the REAL discord.py: sync, slash, autocomplete, buttons, REST faults."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands
from discord.ext import commands

from tests.fakediscord import FakeConfig, FakeDiscord

TOPICS = ["safety", "salary", "sales", "valuation"]


class Counter(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"fd:count:(?P<n>\d+)"):
    def __init__(self, n: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=f"Count {n}",
                custom_id=f"fd:count:{n}",
                style=discord.ButtonStyle.primary,
            )
        )
        self.n = n

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Button[Any],
        match: re.Match[str],
    ) -> Counter:
        return cls(int(match["n"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        self.n += 1
        self.item.label = f"Count {self.n}"
        self.custom_id = f"fd:count:{self.n}"
        await interaction.response.edit_message(content=f"count={self.n}", view=self.view)


class TinyBot(commands.Bot):
    def __init__(self, guild_id: int) -> None:
        super().__init__(
            command_prefix="!",
            intents=discord.Intents.default(),
            guild_ready_timeout=0.05,
        )
        self.guild_id = guild_id
        self.errors: list[BaseException] = []

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        # The default sleeps 5 s before every non-initial IDENTIFY (after INVALID_SESSION).
        return None

    async def setup_hook(self) -> None:
        # What a subprocess bot does: ask the fake REST API where the gateway is.
        _, url, _ = await self.http.get_bot_gateway()
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        self.add_dynamic_items(Counter)
        self.tree.add_command(quote)
        self.tree.add_command(slow)
        self.tree.add_command(ping, guild=discord.Object(self.guild_id))
        self.tree.add_command(info)
        self.tree.add_command(report)
        await self.tree.sync()
        await self.tree.sync(guild=discord.Object(self.guild_id))


@app_commands.command(description="Quote a topic")
@app_commands.describe(topic="What to quote")
async def quote(interaction: discord.Interaction, topic: str, count: int = 1) -> None:
    view = discord.ui.View(timeout=None)
    view.add_item(Counter(0))
    await interaction.response.send_message(
        f"quote:{topic}:{count}:{interaction.locale.value}", view=view
    )


@quote.autocomplete("topic")
async def quote_topic(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=t.title(), value=t) for t in TOPICS if t.startswith(current)]


@app_commands.command(description="Deferred answer")
async def slow(interaction: discord.Interaction) -> None:
    await interaction.response.defer(thinking=True)
    await interaction.followup.send("done slowly")


@app_commands.command(description="Guild-only ping")
async def ping(interaction: discord.Interaction) -> None:
    await interaction.response.send_message(f"pong from {interaction.guild_id}", ephemeral=True)


info = app_commands.Group(name="info", description="Info commands")


@info.command(description="Who is this member")
async def whois(interaction: discord.Interaction, member: discord.Member) -> None:
    await interaction.response.send_message(f"{type(member).__name__}:{member.name}")


@app_commands.command(description="Ephemeral defer, edit, then a file followup")
async def report(interaction: discord.Interaction) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    await interaction.edit_original_response(content="report ready")
    await interaction.followup.send(
        "attached", file=discord.File(io.BytesIO(b"a,b\n1,2\n"), "r.csv")
    )


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as f:
        yield f


@pytest.fixture
async def bot(fake: FakeDiscord, caplog: pytest.LogCaptureFixture) -> AsyncIterator[TinyBot]:
    caplog.set_level(logging.ERROR, logger="discord")
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base
    b = TinyBot(fake.guild.id)
    task = asyncio.create_task(b.start("fake-token"))
    try:
        shards = asyncio.ensure_future(fake.wait_for_shards(1, timeout=10))
        done, _ = await asyncio.wait({task, shards}, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            shards.cancel()
            task.result()  # re-raise why the bot died
            raise AssertionError("bot stopped before identifying")
        await shards
        await asyncio.wait_for(b.wait_until_ready(), 5)
        yield b
        assert not task.done(), "the bot died during the test"
        # caplog.records only holds the current phase (teardown here): ask for the others.
        records = caplog.get_records("setup") + caplog.get_records("call")
        errors = [r.getMessage() for r in records if r.name.startswith("discord")]
        assert errors == [], "discord.py logged errors (a handler raised?)"
    finally:
        await b.close()
        try:
            await asyncio.wait_for(task, 5)
        finally:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


async def test_login_connect_and_sync_are_recorded(fake: FakeDiscord, bot: TinyBot) -> None:
    assert fake.requests_to("GET", "/users/@me")
    assert fake.requests_to("GET", "/gateway/bot")
    session = fake.sessions[0]
    assert session.shard_count == 1
    assert session.identify["token"] == "fake-token"

    (global_sync,) = fake.requests_to("PUT", f"/applications/{fake.config.application_id}/commands")
    names = sorted(c["name"] for c in global_sync.json)
    assert names == ["info", "quote", "report", "slow"]
    quote_payload = next(c for c in global_sync.json if c["name"] == "quote")
    topic = next(o for o in quote_payload["options"] if o["name"] == "topic")
    assert topic["autocomplete"] is True
    assert topic["required"] is True

    guild_path = f"/applications/{fake.config.application_id}/guilds/{fake.guild.id}/commands"
    (guild_sync,) = fake.requests_to("PUT", guild_path)
    assert [c["name"] for c in guild_sync.json] == ["ping"]
    assert fake.command("ping", fake.guild.id)["guild_id"] == str(fake.guild.id)

    # GUILD_CREATE built real objects.
    guild = bot.get_guild(fake.guild.id)
    assert guild is not None
    assert guild.preferred_locale is discord.Locale.american_english
    assert bot.get_guild(fake.config.guilds[1].id).preferred_locale is discord.Locale.chinese
    assert bot.get_channel(fake.guild.channels[0].id).name == "general"
    assert guild.me is not None
    assert fake.unknown_requests == []


async def test_slash_command_gets_callback(fake: FakeDiscord, bot: TinyBot) -> None:
    resp = await fake.slash("quote", {"topic": "safety", "count": 3}, locale="zh-CN")
    assert resp.callback is not None
    assert resp.callback_type == 4
    assert resp.callback["data"]["content"] == "quote:safety:3:zh-CN"
    assert resp.content == "quote:safety:3:zh-CN"
    assert not resp.ephemeral
    button = resp.components[0]["components"][0]
    assert button["custom_id"] == "fd:count:0"
    # Reply headers were right: the callback was asked with_response and discord.py accepted it.
    cb = fake.requests_to("POST", f"/interactions/{resp.id}/")[0]
    assert cb.query["with_response"] in ("1", "true")


async def test_guild_command_and_ephemeral(fake: FakeDiscord, bot: TinyBot) -> None:
    resp = await fake.slash("ping")
    assert resp.content == f"pong from {fake.guild.id}"
    assert resp.ephemeral
    assert resp.payload["data"]["guild_id"] == str(fake.guild.id)


async def test_defer_then_followup_fills_thinking_message(fake: FakeDiscord, bot: TinyBot) -> None:
    resp = await fake.slash("slow")
    assert resp.callback_type == 5
    final = await resp.wait_final(timeout=5)
    assert final is not None
    assert final["content"] == "done slowly"
    assert final["flags"] & 128 == 0  # no longer "thinking"
    assert len(resp.followups) == 1


async def test_autocomplete_returns_choices(fake: FakeDiscord, bot: TinyBot) -> None:
    resp = await fake.autocomplete("quote", focused="topic", value="sa")
    assert resp.callback_type == 8
    assert resp.choices == [
        {"name": "Safety", "value": "safety"},
        {"name": "Salary", "value": "salary"},
        {"name": "Sales", "value": "sales"},
    ]


async def test_dynamic_button_click_edits_message(fake: FakeDiscord, bot: TinyBot) -> None:
    resp = await fake.slash("quote", {"topic": "sales"})
    message_id = resp.original_id
    assert message_id is not None

    click = await fake.click(resp.original, "fd:count:0")
    assert click.callback_type == 7
    assert click.callback["data"]["content"] == "count=1"
    stored = fake.messages[message_id]
    assert stored["content"] == "count=1"
    assert stored["components"][0]["components"][0]["custom_id"] == "fd:count:1"
    assert stored["edited_timestamp"] is not None

    # The edited message's new button works too (state lives in custom_id).
    again = await fake.click(message_id, "fd:count:1")
    assert again.content == "count=2"

    with pytest.raises(ValueError):
        await fake.click(message_id, "fd:count:99")


async def test_nonce_enforced_send_yields_one_message(fake: FakeDiscord, bot: TinyBot) -> None:
    channel = bot.get_channel(fake.guild.channels[0].id)
    assert isinstance(channel, discord.TextChannel)
    first = await channel.send("daily post", nonce="daily-2025-01-01")
    second = await channel.send("daily post", nonce="daily-2025-01-01")
    assert first.id == second.id
    assert len(fake.channel_messages(channel.id)) == 1
    posts = fake.requests_to("POST", f"/channels/{channel.id}/messages")
    assert len(posts) == 2
    assert all(p.json["enforce_nonce"] is True for p in posts)
    assert posts[0].json["nonce"] == "daily-2025-01-01"
    other = await channel.send("daily post", nonce="daily-2025-01-02")
    assert other.id != first.id


async def test_forbidden_and_missing_channels(fake: FakeDiscord, bot: TinyBot) -> None:
    channel = bot.get_channel(fake.guild.channels[1].id)
    assert isinstance(channel, discord.TextChannel)
    fake.set_channel_state(channel.id, "forbidden")
    with pytest.raises(discord.Forbidden) as forbidden:
        await channel.send("hello")
    assert forbidden.value.code == 50013
    fake.set_channel_state(channel.id, "missing")
    with pytest.raises(discord.NotFound) as missing:
        await channel.send("hello")
    assert missing.value.code == 10003
    assert fake.channel_messages(channel.id) == []


async def test_rate_limited_send_is_retried(fake: FakeDiscord, bot: TinyBot) -> None:
    channel = bot.get_channel(fake.guild.channels[0].id)
    assert isinstance(channel, discord.TextChannel)
    # Headers hidden on success, so discord.py cannot pre-empt and really gets 429s.
    fake.rate_limit_messages(limit=2, per=0.3, advertise=False)
    started = time.monotonic()
    sent = await asyncio.wait_for(
        asyncio.gather(*(channel.send(f"m{i}") for i in range(4))), timeout=10
    )
    assert sorted(m.content for m in sent) == ["m0", "m1", "m2", "m3"]
    posts = fake.requests_to("POST", f"/channels/{channel.id}/messages")
    assert [p.status for p in posts].count(429) >= 1
    assert [p.status for p in posts].count(200) == 4
    assert time.monotonic() - started >= 0.25
    assert len(fake.channel_messages(channel.id)) == 4


async def test_429_without_via_would_be_a_cloudflare_ban_but_ours_has_via(
    fake: FakeDiscord, bot: TinyBot
) -> None:
    channel = bot.get_channel(fake.guild.channels[0].id)
    assert isinstance(channel, discord.TextChannel)
    fake.fail_next("POST", f"/channels/{channel.id}/messages", 429, count=2)
    message = await channel.send("after two 429s")
    assert message.content == "after two 429s"
    statuses = [p.status for p in fake.requests_to("POST", f"/channels/{channel.id}/messages")]
    assert statuses == [429, 429, 200]


async def test_global_rate_limit_with_advertised_headers(fake: FakeDiscord, bot: TinyBot) -> None:
    fake.rate_limit_messages(limit=3, per=0.3, scope="global")
    channels = [bot.get_channel(c.id) for c in fake.guild.channels]
    sends = [ch.send(f"g{i}") for i in range(3) for ch in channels if ch is not None]
    sent = await asyncio.wait_for(asyncio.gather(*sends), timeout=10)
    assert len(sent) == 6
    statuses = [p.status for p in fake.requests_to("POST", "/channels/")]
    assert statuses.count(200) == 6
    assert 429 in statuses


async def test_gateway_resume_replays_and_keeps_bot_alive(fake: FakeDiscord, bot: TinyBot) -> None:
    resumed = asyncio.get_running_loop().create_future()

    async def on_resumed() -> None:
        if not resumed.done():
            resumed.set_result(True)

    bot.add_listener(on_resumed)
    session_id = fake.sessions[0].session_id
    await fake.request_reconnect(0)
    await asyncio.wait_for(resumed, 5)
    assert fake.sessions[0].session_id == session_id
    assert fake.identify_count == 1
    resp = await fake.slash("quote", {"topic": "valuation"})
    assert resp.content == "quote:valuation:1:en-US"


async def test_replies_are_exactly_application_json(fake: FakeDiscord) -> None:
    async with aiohttp.ClientSession() as http, http.get(fake.api_base + "/gateway/bot") as r:
        assert r.headers["Content-Type"] == "application/json"
        body = await r.json()
    assert body["url"] == fake.gateway_url
    async with aiohttp.ClientSession() as http, http.get(fake.api_base + "/nope") as r:
        assert r.status == 404
        assert await r.json() == {"message": "Unknown", "code": 0}
    assert [r.path for r in fake.unknown_requests] == ["/nope"]


async def test_dm_and_subcommand_with_resolved_member(fake: FakeDiscord, bot: TinyBot) -> None:
    dm = await fake.slash("quote", {"topic": "safety"}, dm=True)
    assert dm.content == "quote:safety:1:en-US"
    assert "guild_id" not in dm.payload
    assert dm.payload["context"] == 1

    bob = fake.config.users[1]
    resp = await fake.slash("info", {"member": bob.id}, subcommand="whois")
    assert resp.content == "Member:bob"
    assert resp.payload["data"]["options"][0]["options"][0]["value"] == str(bob.id)


async def test_auto_sharded_client_gets_each_guild_on_its_shard(fake: FakeDiscord) -> None:
    class Sharded(commands.AutoShardedBot):
        async def before_identify_hook(
            self, shard_id: int | None, *, initial: bool = False
        ) -> None:
            return None

        async def setup_hook(self) -> None:
            self.tree.add_command(ping)  # global here
            await self.tree.sync()

    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    b = Sharded(
        command_prefix="!",
        intents=discord.Intents.default(),
        shard_count=2,
        guild_ready_timeout=0.05,
    )
    task = asyncio.create_task(b.start("fake-token"))
    try:
        sessions = await fake.wait_for_shards(2, timeout=10)
        assert [s.identify["shard"] for s in sessions] == [[0, 2], [1, 2]]
        await asyncio.wait_for(b.wait_until_ready(), 5)
        beta = fake.config.guilds[1]
        guild = b.get_guild(beta.id)
        assert guild is not None
        assert guild.shard_id == 1
        assert len(fake.sessions[1].events) == 2  # READY + GUILD_CREATE of beta only
        resp = await fake.slash("ping", guild_id=beta.id)
        assert resp.content == f"pong from {beta.id}"
        assert resp.payload in [e["d"] for e in fake.sessions[1].events]
    finally:
        await b.close()
        try:
            await asyncio.wait_for(task, 5)
        finally:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


async def test_ephemeral_defer_edit_and_file_followup(fake: FakeDiscord, bot: TinyBot) -> None:
    resp = await fake.slash("report")
    final = await resp.wait_final()
    assert final is not None
    assert final["content"] == "report ready"
    assert resp.ephemeral
    followup = await resp.wait_followup(1)
    assert followup["content"] == "attached"
    assert followup["attachments"][0]["filename"] == "r.csv"
    (upload,) = fake.requests_to("POST", f"/webhooks/{fake.config.application_id}/")
    assert upload.files[0]["data"] == b"a,b\n1,2\n"


async def test_invalidated_session_reidentifies(fake: FakeDiscord, bot: TinyBot) -> None:
    first = fake.sessions[0].session_id
    await fake.invalidate_session(0)
    await fake.wait_for_identify(2)
    await fake.wait_for_shards(1)
    assert fake.sessions[0].session_id != first
    resp = await fake.slash("ping")
    assert resp.content == f"pong from {fake.guild.id}"


async def test_wrong_token_is_a_login_failure() -> None:
    async with FakeDiscord(FakeConfig(token="right")) as fake:
        old_base = discord.http.Route.BASE
        discord.http.Route.BASE = fake.api_base
        client = discord.Client(intents=discord.Intents.none())
        try:
            with pytest.raises(discord.LoginFailure):
                await client.login("wrong")
        finally:
            await client.close()
            discord.http.Route.BASE = old_base


SUBPROCESS_BOT = """
import asyncio, os
import discord, yarl
from discord import app_commands

discord.http.Route.BASE = os.environ["DISCORD_API_BASE"]

class Bot(discord.Client):
    def __init__(self):
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=0.05)
        self.tree = app_commands.CommandTree(self)

    async def setup_hook(self):
        _, url, _ = await self.http.get_bot_gateway()
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)

        @self.tree.command(description="hi")
        async def hello(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("hello from a subprocess")

        await self.tree.sync()

asyncio.run(Bot().start(os.environ["DISCORD_TOKEN"]))
"""


async def test_subprocess_bot(fake: FakeDiscord, tmp_path: Path) -> None:
    script = tmp_path / "bot.py"
    script.write_text(SUBPROCESS_BOT)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(script), env=fake.subprocess_env(), stderr=asyncio.subprocess.PIPE
    )
    try:
        await fake.wait_for_shards(1, timeout=15)
        await fake.wait_for_request(lambda r: r.method == "PUT", timeout=5)
        resp = await fake.slash("hello")
        assert resp.content == "hello from a subprocess"
    finally:
        if proc.returncode is None:
            proc.terminate()
        try:
            _, stderr = await asyncio.wait_for(proc.communicate(), 5)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            raise
    assert b"Traceback" not in stderr, stderr.decode(errors="replace")
