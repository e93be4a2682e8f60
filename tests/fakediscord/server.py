"""A small fake Discord (REST + gateway) on 127.0.0.1 for end-to-end tests of the real discord.py.

Facts it relies on are recorded in ``/work/shared/FAKE_DISCORD.md``.

Quick start (in-process bot)
----------------------------
::

    from tests.fakediscord import FakeDiscord, FakeConfig

    async with FakeDiscord(FakeConfig()) as fake:
        discord.http.Route.BASE = fake.api_base            # all REST, incl. interaction callbacks
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
        bot = MyBot(..., guild_ready_timeout=0.05)
        task = asyncio.create_task(bot.start("fake-token"))
        await fake.wait_for_shards(1)                      # READY + GUILD_CREATE sent
        await asyncio.wait_for(bot.wait_until_ready(), 5)
        resp = await fake.slash("quote", options={"topic": "safety"}, guild_id=fake.guild.id)
        assert resp.callback["type"] == 4
        ...
        await bot.close(); await task                      # restore Route.BASE / DEFAULT_GATEWAY

Running the bot as a SUBPROCESS
-------------------------------
Pass ``DISCORD_API_BASE=fake.api_base`` and ``DISCORD_TOKEN=<anything>`` (``fake.subprocess_env()``
returns a copy of ``os.environ`` with both set). The bot must, before ``start()``:

* set ``discord.http.Route.BASE = os.environ["DISCORD_API_BASE"]`` (never call
  ``discord.http._set_api_version``: it resets BASE to discord.com), and
* point the gateway at the fake: after ``login()`` (e.g. in ``setup_hook``) fetch
  ``GET {api_base}/gateway/bot`` (``await bot.http.get_bot_gateway()`` works, it returns
  ``(shards, url, session_start_limit)``) and set
  ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)``. An ``AutoShardedClient``
  with ``shard_count=None`` does that fetch itself but still needs DEFAULT_GATEWAY for
  INVALIDATE_SESSION re-identifies.

Then in the test: ``await fake.wait_for_shards(n, timeout=15)`` (a subprocess needs ~1-2 s to
import and connect; ``on_ready`` fires ``guild_ready_timeout`` (2 s default) later), drive it with
the same helpers, and terminate the process at the end. ``fake.requests`` shows everything it did.

Configuration (dataclasses)
---------------------------
``FakeConfig(application_id, bot_user_id, bot_username, token=None, users=[UserConfig...],
guilds=[GuildConfig(id, name, preferred_locale, channels=[ChannelConfig(id, name, type,
position, state)], member_ids=None, owner_id=None)], nonce_window=300.0,
heartbeat_interval=41250)``.
``token=None`` accepts any token; otherwise other tokens get 401 (``LoginFailure``) and close 4004.
``ChannelConfig.state``: ``"ok"``; ``"forbidden"`` (POST messages -> 403 code 50013, and the
channel carries an overwrite denying the bot SEND_MESSAGES); ``"no_access"`` (every channel
route -> 403 code 50001); ``"missing"`` (404 code 10003, and left out of GUILD_CREATE).
``UserConfig(id, username, global_name=None, permissions=MEMBER_PERMISSIONS, dm_open=True)``;
``dm_open=False`` makes sending to its DM channel 403 code 50007.
Defaults: two guilds (``fake.guild`` is the first; with 2 shards they land on shards 0 and 1),
each with channels ``general`` and ``announcements``; users ``alice`` and ``bob``
(``fake.user`` is alice).

REST (prefix ``/api/v10``) -- JSON bodies sent with Content-Type exactly ``application/json``
------------------------------------------------------------------------------------------------
``GET /users/@me``, ``GET /oauth2/applications/@me``, ``GET /gateway``, ``GET /gateway/bot``;
``GET|PUT|POST /applications/{app}/commands`` and ``.../guilds/{gid}/commands`` (ids kept
stable per name; ``DELETE|PATCH .../commands/{id}``); ``POST /interactions/{id}/{token}/callback``
(answers ``with_response``); ``POST /webhooks/{app}/{token}`` (followups) and
``GET|PATCH|DELETE /webhooks/{app}/{token}/messages/{@original|id}``;
``GET|POST /channels/{id}/messages``, ``GET|PATCH|DELETE /channels/{id}/messages/{mid}``,
``GET /channels/{id}``, ``POST /users/@me/channels`` (DM), ``GET /users/{id}``,
``GET /guilds/{id}``, ``/guilds/{id}/channels``, ``/guilds/{id}/roles``,
``/guilds/{id}/members/{uid}``. Multipart bodies (files) are parsed: ``payload_json`` becomes
the recorded json (``RecordedRequest.files`` keeps filename, size and data), files become
attachments. Anything else: recorded, 404 ``{"message": "Unknown", "code": 0}``, listed in
``fake.unknown_requests``.

``POST /channels/{id}/messages`` honours ``nonce`` + ``enforce_nonce``: the same nonce in the
same channel within ``nonce_window`` seconds returns the SAME message (no new one is stored).

Inspection
----------
* ``fake.requests: list[RecordedRequest]`` (method, path (after /api/v10), query, json, time
  (``time.monotonic()``), status, files); ``fake.requests_to(method, path_prefix)``;
  ``fake.mark() -> int`` then ``await fake.wait_for_request(pred, timeout=5, since=mark)``;
  ``fake.unknown_requests``.
* ``fake.messages: dict[int, dict]`` (every message, current state);
  ``fake.channel_messages(channel_id)``; ``await fake.wait_for_message(pred, timeout=5)``.
* ``fake.commands(guild_id=None) -> list[dict]`` (last synced), ``fake.command(name, guild_id)``.
* ``fake.interactions: dict[int, InteractionRecord]``.

Fault injection
---------------
* ``fake.set_channel_state(channel_id, "ok"|"forbidden"|"no_access"|"missing")`` (REST only;
  does not dispatch gateway events).
* ``fake.rate_limit_messages(limit=5, per=1.0, *, scope="channel"|"global", advertise=True)``:
  a fixed-window limiter on ``POST /channels/{id}/messages``, per channel or one global. With
  ``advertise=True`` successes carry X-RateLimit-* headers, so discord.py pre-emptively waits;
  ``advertise=False`` hides them so the client actually hits 429s. 429s carry X-RateLimit-Limit,
  -Remaining, -Reset, -Reset-After, -Bucket, -Scope, Retry-After and ``Via`` (without ``Via``
  discord.py treats a 429 as a Cloudflare ban); global ones also X-RateLimit-Global and
  ``"global": true``. ``fake.clear_rate_limits()``.
* ``fake.fail_next(method, path_prefix, status=500, *, count=1, body=None, headers=None)``:
  the next ``count`` matching requests get that reply (``status=429`` adds the rate-limit
  headers and a ``retry_after`` of 0.05 s unless ``body`` gives one).

Gateway (``ws://127.0.0.1:PORT/gateway``, TEXT frames)
------------------------------------------------------
HELLO; op 11 for every op 1; IDENTIFY -> READY (shard from IDENTIFY) + GUILD_CREATE for the
shard's guilds (``(guild_id >> 22) % shard_count``); RESUME -> replays missed dispatches +
RESUMED (unknown session -> op 9 false); op 8 -> GUILD_MEMBERS_CHUNK.

* ``fake.sessions: dict[int, GatewaySession]`` (latest per shard id: shard_id, shard_count,
  session_id, seq, intents, identify, connected); ``await fake.wait_for_shards(count_or_ids,
  timeout=10)``; ``fake.identify_count``; ``await fake.wait_for_identify(count, timeout=10)``.
* discord.py sleeps 5 s in ``before_identify_hook`` before every non-initial IDENTIFY (after
  op 9, and between shards of an AutoShardedClient): override it in test bots.
* ``await fake.dispatch(event, data, *, shard_id=None, guild_id=None)``;
  ``await fake.add_guild(GuildConfig)`` (GUILD_CREATE), ``await fake.remove_guild(gid)``
  (GUILD_DELETE; its REST then 404s); ``await fake.request_reconnect(shard_id=0)`` (op 7:
  the client RESUMEs); ``await fake.invalidate_session(shard_id=0, resumable=False)`` (op 9);
  ``await fake.drop_connection(shard_id=0)`` (closes the socket with 4000; discord.py
  reconnects after its backoff and RESUMEs).
* Helpers: ``fake.snowflake()``, ``fake.dm_channel_id(user_id)``, ``fake.get_user(id)``,
  ``fake.get_guild(id)``; permission constants ``SEND_MESSAGES``, ``EVERYONE_PERMISSIONS`` ...

Interactions
------------
All return an :class:`InteractionRecord` after the bot's callback arrived (``wait=True``;
``TimeoutError`` after ``timeout``), or immediately with ``wait=False``.

* ``await fake.slash(name, options=None, *, guild_id=<first guild>, user_id=<alice>,
  locale="en-US", guild_locale=None, channel_id=None, dm=False, subcommand=None,
  wait=True, timeout=5)`` -- type 2. ``options`` is a dict (types taken from the synced
  command's schema, else inferred: str 3, bool 5, int 4, float 10) or a raw list. User (6),
  channel (7), role (8) and mentionable (9) options get ``data.resolved`` from the config.
  ``subcommand="sub"`` or ``"group sub"``. The command must have been synced (global or to
  that guild); guild-scoped ones get ``data.guild_id``. ``dm=True`` sends a DM interaction
  (``user``, a type-1 channel, ``context`` 1); otherwise ``member``, ``channel``,
  ``app_permissions`` (SEND_MESSAGES removed for "forbidden" channels), ``context`` 0.
* ``await fake.autocomplete(name, focused, value, options=None, **same)`` -- type 4; the
  record's ``choices`` holds the returned choices.
* ``await fake.click(message, custom_id, *, values=None, user_id=..., locale=..., wait=True,
  timeout=5)`` -- type 3; ``message`` is a message dict or id (from ``fake.messages``); the
  component must be in its components (ValueError otherwise).
* ``await fake.submit_modal(custom_id, values: dict[str, str], *, ...)`` -- type 5.
* ``await fake.response_for(interaction_id, timeout=5)``;
  ``await fake.send_interaction(payload, original_id=None, wait=True, timeout=5)`` for a
  hand-built payload (it must carry id, type, token, version, application_id and
  attachment_size_limit, or the bot's gateway task dies).

``InteractionRecord``: ``id, token, type, payload`` (what was dispatched), ``callback`` (body
of the callback POST), ``callback_type``, ``original`` (current state of the @original message,
None if none), ``followups`` (message dicts, in order), ``edits`` (PATCH bodies to @original),
``deleted``; ``content`` / ``embeds`` / ``components`` / ``ephemeral`` (of original),
``choices`` (autocomplete); ``await rec.wait_callback(timeout)``,
``await rec.wait_followup(n=1, timeout)`` (returns the n-th followup),
``await rec.wait_edit(n=1, timeout)``, ``await rec.wait_final(timeout)`` (the callback and, for
a defer (type 5), the first followup or edit that fills it; returns the visible message dict).
"""

# The helpers take timeout= on purpose (tests read better); each one is bounded.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

API_PREFIX = "/api/v10"
DISCORD_EPOCH_MS = 1420070400000

# Permission bits (subset).
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_EXTERNAL_EMOJIS = 1 << 18
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38
EVERYONE_PERMISSIONS = (
    ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)
MEMBER_PERMISSIONS = EVERYONE_PERMISSIONS
ADMINISTRATOR = 1 << 3

EPHEMERAL = 1 << 6
LOADING = 1 << 7

CHANNEL_STATES = ("ok", "forbidden", "no_access", "missing")

_OPTION_TYPES_WITH_RESOLVED = {6, 7, 8, 9}


# --------------------------------------------------------------------------- config


@dataclass
class ChannelConfig:
    id: int
    name: str = "general"
    type: int = 0
    position: int = 0
    state: str = "ok"
    topic: str | None = None


@dataclass
class GuildConfig:
    id: int
    name: str = "Test Guild"
    preferred_locale: str = "en-US"
    channels: list[ChannelConfig] = field(default_factory=list)
    member_ids: list[int] | None = None  # None: every configured user is a member
    owner_id: int | None = None  # None: the first configured user


@dataclass
class UserConfig:
    id: int
    username: str
    global_name: str | None = None
    permissions: int = MEMBER_PERMISSIONS
    dm_open: bool = True


def _default_users() -> list[UserConfig]:
    return [
        UserConfig(id=200000000000000001, username="alice", global_name="Alice"),
        UserConfig(id=200000000000000002, username="bob", global_name="Bob"),
    ]


def _default_guilds() -> list[GuildConfig]:
    return [
        GuildConfig(
            id=300000000000000001,
            name="Alpha",
            preferred_locale="en-US",
            channels=[
                ChannelConfig(id=310000000000000001, name="general", position=0),
                ChannelConfig(id=310000000000000002, name="announcements", position=1),
            ],
        ),
        GuildConfig(
            # Lands on shard 1 of 2 ((id >> 22) % 2), the first guild on shard 0.
            id=300000000004194305,
            name="Beta",
            preferred_locale="zh-CN",
            channels=[
                ChannelConfig(id=320000000000000001, name="general", position=0),
                ChannelConfig(id=320000000000000002, name="announcements", position=1),
            ],
        ),
    ]


@dataclass
class FakeConfig:
    application_id: int = 100000000000000001
    bot_user_id: int = 100000000000000001
    bot_username: str = "Exponent"
    token: str | None = None
    users: list[UserConfig] = field(default_factory=_default_users)
    guilds: list[GuildConfig] = field(default_factory=_default_guilds)
    nonce_window: float = 300.0
    heartbeat_interval: int = 41250
    attachment_size_limit: int = 10485760


# --------------------------------------------------------------------------- records


@dataclass
class RecordedRequest:
    method: str
    path: str  # after /api/v10, e.g. "/channels/1/messages"
    query: dict[str, str]
    json: Any
    time: float
    status: int = 0
    files: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


class _Signal:
    """An edge-triggered wake-up for waiters on mutable state."""

    def __init__(self) -> None:
        self._cond = asyncio.Condition()

    async def notify(self) -> None:
        async with self._cond:
            self._cond.notify_all()

    async def wait_until(self, check: Callable[[], Any], timeout: float) -> Any:
        async def _wait() -> Any:
            async with self._cond:
                while True:
                    result = check()
                    if result:
                        return result
                    await self._cond.wait()

        return await asyncio.wait_for(_wait(), timeout)


@dataclass
class InteractionRecord:
    id: int
    token: str
    type: int
    payload: dict[str, Any]
    callback: dict[str, Any] | None = None
    original: dict[str, Any] | None = None
    original_id: int | None = None
    followups: list[dict[str, Any]] = field(default_factory=list)
    edits: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False
    _signal: _Signal = field(default_factory=_Signal, repr=False)
    _filled_defer: bool = False

    @property
    def callback_type(self) -> int | None:
        return None if self.callback is None else self.callback.get("type")

    @property
    def content(self) -> str | None:
        return None if self.original is None else self.original.get("content")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return [] if self.original is None else self.original.get("embeds", [])

    @property
    def components(self) -> list[dict[str, Any]]:
        return [] if self.original is None else self.original.get("components", [])

    @property
    def ephemeral(self) -> bool:
        return bool(self.original and self.original.get("flags", 0) & EPHEMERAL)

    @property
    def choices(self) -> list[dict[str, Any]]:
        if self.callback is None:
            return []
        return (self.callback.get("data") or {}).get("choices", [])

    async def wait_callback(self, timeout: float = 5.0) -> dict[str, Any]:
        return await self._signal.wait_until(lambda: self.callback, timeout)

    async def wait_followup(self, n: int = 1, timeout: float = 5.0) -> dict[str, Any]:
        await self._signal.wait_until(lambda: len(self.followups) >= n, timeout)
        return self.followups[n - 1]

    async def wait_edit(self, n: int = 1, timeout: float = 5.0) -> dict[str, Any]:
        await self._signal.wait_until(lambda: len(self.edits) >= n, timeout)
        return self.edits[n - 1]

    async def wait_final(self, timeout: float = 5.0) -> dict[str, Any] | None:
        """The visible answer: after a defer, waits for the followup/edit that fills it."""

        def done() -> bool:
            if self.callback is None:
                return False
            if self.callback_type == 5:
                return self._filled_defer
            return True

        await self._signal.wait_until(done, timeout)
        return self.original


@dataclass
class GatewaySession:
    session_id: str
    shard_id: int
    shard_count: int
    intents: int
    identify: dict[str, Any]
    seq: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    ws: web.WebSocketResponse | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    @property
    def connected(self) -> bool:
        return self.ws is not None and not self.ws.closed


class _Window:
    def __init__(self, limit: int, per: float) -> None:
        self.limit = limit
        self.per = per
        self.start = 0.0
        self.count = 0

    def hit(self, now: float) -> tuple[bool, int, float]:
        """Returns (allowed, remaining, reset_after)."""
        if now >= self.start + self.per:
            self.start = now
            self.count = 0
        reset_after = self.start + self.per - now
        if self.count >= self.limit:
            return False, 0, reset_after
        self.count += 1
        return True, self.limit - self.count, reset_after


@dataclass
class _RateLimit:
    limit: int
    per: float
    scope: str
    advertise: bool
    windows: dict[Any, _Window] = field(default_factory=dict)


@dataclass
class _Fault:
    method: str
    prefix: str
    status: int
    count: int
    body: Any
    headers: dict[str, str]
    after_handling: bool = False  # Discord did the work, then the reply failed
    delay: float = 0.0  # seconds before the reply


class _HTTPError(Exception):
    def __init__(self, status: int, message: str, code: int) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"message": message, "code": code}


def _json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    # Exactly "application/json": discord.py's json_or_text() compares the header string.
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        content_type="application/json",
        headers=headers,
    )


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


# --------------------------------------------------------------------------- server


class FakeDiscord:
    def __init__(self, config: FakeConfig | None = None) -> None:
        self.config = config or FakeConfig()
        self.requests: list[RecordedRequest] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.sessions: dict[int, GatewaySession] = {}
        self.identify_count = 0
        self._all_sessions: dict[str, GatewaySession] = {}
        self._global_commands: list[dict[str, Any]] = []
        self._guild_commands: dict[int, list[dict[str, Any]]] = {}
        self._command_ids: dict[tuple[int | None, str, int], int] = {}
        self._nonces: dict[tuple[int, str], tuple[float, int]] = {}
        self._channel_state: dict[int, str] = {}
        self._guilds: dict[int, GuildConfig] = {}
        self._channel_index: dict[int, tuple[GuildConfig, ChannelConfig]] = {}
        self._removed_guilds: set[int] = set()
        self._dm_channels: dict[int, int] = {}  # channel id -> user id
        self._rate_limits: list[_RateLimit] = []
        self._faults: list[_Fault] = []
        self._signal = _Signal()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self.port = 0
        for guild in self.config.guilds:
            self._register_guild(guild)
        self._routes = self._build_routes()

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._api)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=0.5
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        for ws in list(self._sockets):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(code=1001), 1.0)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def subprocess_env(self, token: str = "fake-token", **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env["DISCORD_API_BASE"] = self.api_base
        env["DISCORD_TOKEN"] = token
        env.update(extra)
        return env

    # ------------------------------------------------------------------ ids & lookups

    def snowflake(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (ms << 22) | (next(self._ids) % (1 << 22))

    @property
    def guild(self) -> GuildConfig:
        return self.config.guilds[0]

    @property
    def user(self) -> UserConfig:
        return self.config.users[0]

    def get_user(self, user_id: int) -> UserConfig:
        for u in self.config.users:
            if u.id == user_id:
                return u
        raise KeyError(f"unknown user {user_id}")

    def get_guild(self, guild_id: int) -> GuildConfig:
        return self._guilds[guild_id]

    def _find_channel(self, channel_id: int) -> tuple[GuildConfig | None, ChannelConfig | None]:
        found = self._channel_index.get(channel_id)
        if found is not None and found[0].id in self._guilds:
            return found
        for g in self._guilds.values():  # a channel appended to a config after registration
            for c in g.channels:
                if c.id == channel_id:
                    self._channel_index[channel_id] = (g, c)
                    return g, c
        return None, None

    def _register_guild(self, guild: GuildConfig) -> None:
        self._guilds[guild.id] = guild
        self._removed_guilds.discard(guild.id)
        for c in guild.channels:
            self._channel_index[c.id] = (guild, c)
            if c.state not in CHANNEL_STATES:
                raise ValueError(f"bad channel state {c.state!r}")
            self._channel_state[c.id] = c.state

    def set_channel_state(self, channel_id: int, state: str) -> None:
        if state not in CHANNEL_STATES:
            raise ValueError(f"state must be one of {CHANNEL_STATES}")
        self._channel_state[channel_id] = state

    # ------------------------------------------------------------------ payload builders

    def bot_user_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.config.bot_user_id),
            "username": self.config.bot_username,
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
            "bot": True,
            "verified": True,
            "mfa_enabled": False,
            "flags": 0,
            "public_flags": 0,
        }

    def user_payload(self, user_id: int) -> dict[str, Any]:
        if user_id == self.config.bot_user_id:
            return self.bot_user_payload()
        u = self.get_user(user_id)
        return {
            "id": str(u.id),
            "username": u.username,
            "discriminator": "0",
            "global_name": u.global_name,
            "avatar": None,
            "public_flags": 0,
            "flags": 0,
        }

    def _member_ids(self, guild: GuildConfig) -> list[int]:
        if guild.member_ids is not None:
            return list(guild.member_ids)
        return [u.id for u in self.config.users]

    def member_payload(
        self, guild: GuildConfig, user_id: int, *, with_user: bool = True
    ) -> dict[str, Any]:
        m: dict[str, Any] = {
            "roles": [],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "nick": None,
            "avatar": None,
            "premium_since": None,
            "communication_disabled_until": None,
        }
        if with_user:
            m["user"] = self.user_payload(user_id)
        return m

    def _channel_permissions(self, channel_id: int | None, user_id: int) -> int:
        if user_id == self.config.bot_user_id:
            perms = EVERYONE_PERMISSIONS
        else:
            try:
                perms = self.get_user(user_id).permissions
            except KeyError:
                perms = EVERYONE_PERMISSIONS
        if channel_id is not None and user_id == self.config.bot_user_id:
            state = self._channel_state.get(channel_id, "ok")
            if state == "forbidden":
                perms &= ~(SEND_MESSAGES | SEND_MESSAGES_IN_THREADS)
            elif state == "no_access":
                perms = 0
        return perms

    def channel_payload(self, guild: GuildConfig, channel: ChannelConfig) -> dict[str, Any]:
        overwrites = []
        state = self._channel_state.get(channel.id, channel.state)
        if state == "forbidden":
            overwrites.append(
                {
                    "id": str(self.config.bot_user_id),
                    "type": 1,
                    "allow": "0",
                    "deny": str(SEND_MESSAGES | SEND_MESSAGES_IN_THREADS),
                }
            )
        elif state == "no_access":
            overwrites.append(
                {
                    "id": str(self.config.bot_user_id),
                    "type": 1,
                    "allow": "0",
                    "deny": str(VIEW_CHANNEL),
                }
            )
        return {
            "id": str(channel.id),
            "type": channel.type,
            "name": channel.name,
            "position": channel.position,
            "guild_id": str(guild.id),
            "parent_id": None,
            "topic": channel.topic,
            "nsfw": False,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "permission_overwrites": overwrites,
            "flags": 0,
        }

    def everyone_role(self, guild: GuildConfig) -> dict[str, Any]:
        return {
            "id": str(guild.id),
            "name": "@everyone",
            "permissions": str(EVERYONE_PERMISSIONS),
            "position": 0,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }

    def guild_payload(self, guild: GuildConfig, *, full: bool = True) -> dict[str, Any]:
        owner = guild.owner_id or (self.config.users[0].id if self.config.users else 0)
        data: dict[str, Any] = {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "owner_id": str(owner),
            "preferred_locale": guild.preferred_locale,
            "features": [],
            "roles": [self.everyone_role(guild)],
            "emojis": [],
            "stickers": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "afk_timeout": 300,
            "afk_channel_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "premium_tier": 0,
            "premium_progress_bar_enabled": False,
            "description": None,
            "application_id": None,
        }
        if full:
            members = [self.member_payload(guild, self.config.bot_user_id)]
            members += [self.member_payload(guild, uid) for uid in self._member_ids(guild)]
            data.update(
                {
                    "channels": [
                        self.channel_payload(guild, c)
                        for c in guild.channels
                        if self._channel_state.get(c.id) != "missing"
                    ],
                    "members": members,
                    "member_count": len(members),
                    "large": False,
                    "unavailable": False,
                    "joined_at": "2024-01-01T00:00:00+00:00",
                    "threads": [],
                    "voice_states": [],
                    "presences": [],
                    "stage_instances": [],
                    "guild_scheduled_events": [],
                    "soundboard_sounds": [],
                }
            )
        return data

    def _channel_for(self, channel_id: int) -> dict[str, Any]:
        if channel_id in self._dm_channels:
            return self._dm_channel_payload(self._dm_channels[channel_id], channel_id)
        guild, channel = self._find_channel(channel_id)
        if guild is None or channel is None:
            raise KeyError(channel_id)
        return self.channel_payload(guild, channel)

    def _dm_channel_payload(self, user_id: int, channel_id: int) -> dict[str, Any]:
        return {
            "id": str(channel_id),
            "type": 1,
            "last_message_id": None,
            "flags": 0,
            "recipients": [self.user_payload(user_id)],
        }

    def dm_channel_id(self, user_id: int) -> int:
        for cid, uid in self._dm_channels.items():
            if uid == user_id:
                return cid
        cid = 400000000000000000 + user_id % 100000000000000
        self._dm_channels[cid] = user_id
        return cid

    def _make_message(
        self,
        channel_id: int,
        body: dict[str, Any],
        *,
        files: list[dict[str, Any]] | None = None,
        interaction: InteractionRecord | None = None,
        message_id: int | None = None,
        msg_type: int = 0,
    ) -> dict[str, Any]:
        guild, _ = self._find_channel(channel_id)
        attachments = [
            {
                "id": str(self.snowflake()),
                "filename": f["filename"],
                "size": f["size"],
                "url": f"{self.base_url}/attachments/{f['filename']}",
                "proxy_url": f"{self.base_url}/attachments/{f['filename']}",
                "content_type": f.get("content_type"),
            }
            for f in files or []
        ]
        msg: dict[str, Any] = {
            "id": str(message_id or self.snowflake()),
            "type": msg_type,
            "channel_id": str(channel_id),
            "content": body.get("content") or "",
            "author": self.bot_user_payload(),
            "embeds": body.get("embeds") or [],
            "attachments": attachments,
            "components": body.get("components") or [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": bool(body.get("tts", False)),
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "flags": int(body.get("flags") or 0),
        }
        if guild is not None:
            msg["guild_id"] = str(guild.id)
        if body.get("nonce") is not None:
            msg["nonce"] = body["nonce"]
        if interaction is not None:
            user = interaction.payload.get("member", {}).get("user") or interaction.payload.get(
                "user"
            )
            msg["application_id"] = str(self.config.application_id)
            msg["webhook_id"] = str(self.config.application_id)
            msg["interaction_metadata"] = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": user,
                "authorizing_integration_owners": interaction.payload.get(
                    "authorizing_integration_owners", {}
                ),
            }
            if interaction.type == 2:
                msg["interaction_metadata"]["name"] = interaction.payload["data"]["name"]
                msg["type"] = 20  # CHAT_INPUT_COMMAND
                msg["interaction"] = {
                    "id": str(interaction.id),
                    "type": 2,
                    "name": interaction.payload["data"]["name"],
                    "user": user,
                }
        self.messages[int(msg["id"])] = msg
        return msg

    @staticmethod
    def _apply_edit(
        msg: dict[str, Any], body: dict[str, Any], files: list[dict[str, Any]] | None = None
    ) -> None:
        if "content" in body:
            msg["content"] = body["content"] or ""
        for key in ("embeds", "components"):
            if key in body:
                msg[key] = body[key] or []
        if "flags" in body and body["flags"] is not None:
            # Only SUPPRESS_EMBEDS may be toggled; keep EPHEMERAL; drop LOADING.
            msg["flags"] = (msg.get("flags", 0) & EPHEMERAL) | (int(body["flags"]) & ~EPHEMERAL)
        msg["flags"] = msg.get("flags", 0) & ~LOADING
        if "attachments" in body:
            keep = {str(a.get("id")) for a in body["attachments"] or []}
            msg["attachments"] = [a for a in msg.get("attachments", []) if a["id"] in keep]
        for f in files or []:
            msg.setdefault("attachments", []).append(
                {
                    "id": str(time.time_ns()),
                    "filename": f["filename"],
                    "size": f["size"],
                    "url": f"http://127.0.0.1/attachments/{f['filename']}",
                    "proxy_url": f"http://127.0.0.1/attachments/{f['filename']}",
                }
            )
        msg["edited_timestamp"] = _now_iso()

    # ------------------------------------------------------------------ inspection

    def mark(self) -> int:
        return len(self.requests)

    def requests_to(self, method: str, path_prefix: str = "") -> list[RecordedRequest]:
        method = method.upper()
        return [
            r
            for r in self.requests
            if (method == "*" or r.method == method) and r.path.startswith(path_prefix)
        ]

    @property
    def unknown_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.status == 404 and r.headers.get("x-fake-unknown")]

    async def wait_for_request(
        self,
        predicate: Callable[[RecordedRequest], bool],
        timeout: float = 5.0,
        *,
        since: int = 0,
    ) -> RecordedRequest:
        def check() -> RecordedRequest | None:
            for r in self.requests[since:]:
                if r.status and predicate(r):
                    return r
            return None

        return await self._signal.wait_until(check, timeout)

    def channel_messages(self, channel_id: int) -> list[dict[str, Any]]:
        return [m for m in self.messages.values() if int(m["channel_id"]) == channel_id]

    async def wait_for_message(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 5.0
    ) -> dict[str, Any]:
        def check() -> dict[str, Any] | None:
            for m in self.messages.values():
                if predicate(m):
                    return m
            return None

        return await self._signal.wait_until(check, timeout)

    def commands(self, guild_id: int | None = None) -> list[dict[str, Any]]:
        if guild_id is None:
            return list(self._global_commands)
        return list(self._guild_commands.get(guild_id, []))

    def command(self, name: str, guild_id: int | None = None) -> dict[str, Any] | None:
        """The synced chat-input command ``name``: guild-scoped first, then global."""
        pools = []
        if guild_id is not None:
            pools.append(self._guild_commands.get(guild_id, []))
        pools.append(self._global_commands)
        for pool in pools:
            for c in pool:
                if c["name"] == name and c.get("type", 1) == 1:
                    return c
        return None

    # ------------------------------------------------------------------ fault injection

    def rate_limit_messages(
        self,
        limit: int = 5,
        per: float = 1.0,
        *,
        scope: str = "channel",
        advertise: bool = True,
    ) -> None:
        if scope not in ("channel", "global"):
            raise ValueError("scope must be 'channel' or 'global'")
        self._rate_limits.append(_RateLimit(limit, per, scope, advertise))

    def clear_rate_limits(self) -> None:
        self._rate_limits.clear()

    def fail_next(
        self,
        method: str,
        path_prefix: str,
        status: int = 500,
        *,
        count: int = 1,
        body: Any = None,
        headers: dict[str, str] | None = None,
        after_handling: bool = False,
        delay: float = 0.0,
    ) -> None:
        """``after_handling``: the request is carried out (a message is created) and only
        then answered with the fault; ``delay`` holds the reply that many seconds, e.g. to
        kill the bot after Discord accepted a post but before it heard back."""
        self._faults.append(
            _Fault(
                method.upper(),
                path_prefix,
                status,
                count,
                body,
                dict(headers or {}),
                after_handling,
                delay,
            )
        )

    @staticmethod
    def _ratelimit_headers(
        limit: int, remaining: int, reset_after: float, bucket: str, scope: str | None
    ) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket,
        }
        if scope is not None:
            headers["X-RateLimit-Scope"] = scope
        return headers

    def _too_many(
        self, limit: int, reset_after: float, bucket: str, is_global: bool
    ) -> web.Response:
        reset_after = max(reset_after, 0.001)
        headers = self._ratelimit_headers(
            limit, 0, reset_after, bucket, "global" if is_global else "user"
        )
        headers["Retry-After"] = str(max(1, int(reset_after + 0.999)))
        headers["Via"] = "1.1 google"
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {
            "message": "You are being rate limited.",
            "retry_after": round(reset_after, 3),
            "global": is_global,
            "code": 0,
        }
        return _json_response(body, 429, headers)

    def _check_rate_limits(self, channel_id: int) -> tuple[web.Response | None, dict[str, str]]:
        now = time.monotonic()
        extra: dict[str, str] = {}
        for rl in self._rate_limits:
            key = "global" if rl.scope == "global" else channel_id
            window = rl.windows.setdefault(key, _Window(rl.limit, rl.per))
            allowed, remaining, reset_after = window.hit(now)
            bucket = "fake-global" if rl.scope == "global" else "fake-channel-messages"
            if not allowed:
                return self._too_many(rl.limit, reset_after, bucket, rl.scope == "global"), {}
            if rl.advertise and rl.scope == "channel":
                extra = self._ratelimit_headers(rl.limit, remaining, reset_after, bucket, None)
        return None, extra

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        for fault in self._faults:
            if fault.count > 0 and fault.method in (method, "*") and path.startswith(fault.prefix):
                fault.count -= 1
                return fault
        self._faults = [f for f in self._faults if f.count > 0]
        return None

    def _fault_response(self, fault: _Fault) -> web.Response:
        if fault.status == 429:
            retry = 0.05
            if isinstance(fault.body, dict):
                retry = float(fault.body.get("retry_after", retry))
            resp = self._too_many(1, retry, "fake-fault", False)
            for k, v in fault.headers.items():
                resp.headers[k] = v
            return resp
        body = fault.body if fault.body is not None else {"message": "Fault", "code": 0}
        return _json_response(body, fault.status, fault.headers)

    # ------------------------------------------------------------------ HTTP plumbing

    async def _not_found(self, request: web.Request) -> web.Response:
        return _json_response({"message": "404: Not Found", "code": 0}, 404)

    async def _api(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        files: list[dict[str, Any]] = []
        ctype = request.headers.get("Content-Type", "")
        if ctype.startswith("multipart/"):
            body, files = await self._read_multipart(request)
        elif request.can_read_body:
            raw = await request.read()
            if raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw.decode(errors="replace")
        rec = RecordedRequest(
            method=request.method,
            path=path,
            query=dict(request.query),
            json=body,
            time=time.monotonic(),
            files=files,
        )
        self.requests.append(rec)
        try:
            resp = await self._route(request, rec)
        except _HTTPError as e:
            resp = _json_response(e.body, e.status)
        rec.status = resp.status
        if resp.headers.get("X-Fake-Unknown"):
            rec.headers["x-fake-unknown"] = "1"
        await self._signal.notify()
        return resp

    async def _read_multipart(self, request: web.Request) -> tuple[Any, list[dict[str, Any]]]:
        reader = await request.multipart()
        payload: Any = None
        files: list[dict[str, Any]] = []
        while True:
            part = await reader.next()
            if part is None:
                break
            data = await part.read()  # type: ignore[union-attr]
            if part.name == "payload_json":
                payload = json.loads(data)
            else:
                files.append(
                    {
                        "field": part.name,
                        "filename": part.filename or part.name,  # type: ignore[union-attr]
                        "size": len(data),
                        "content_type": part.headers.get("Content-Type"),
                        "data": bytes(data),
                    }
                )
        return payload, files

    async def _route(self, request: web.Request, rec: RecordedRequest) -> web.Response:
        if self.config.token is not None and not rec.path.startswith(
            ("/interactions/", "/webhooks/")
        ):
            auth = request.headers.get("Authorization", "")
            if auth != f"Bot {self.config.token}":
                return _json_response({"message": "401: Unauthorized", "code": 0}, 401)
        fault = self._take_fault(rec.method, rec.path)
        if fault is not None and not fault.after_handling:
            await asyncio.sleep(fault.delay)
            return self._fault_response(fault)
        response = await self._handle(rec)
        if fault is not None:
            await asyncio.sleep(fault.delay)
            return self._fault_response(fault)
        return response

    async def _handle(self, rec: RecordedRequest) -> web.Response:
        for method, pattern, handler in self._routes:
            if method != rec.method:
                continue
            m = pattern.fullmatch(rec.path)
            if m:
                return await handler(rec, **m.groupdict())
        return _json_response({"message": "Unknown", "code": 0}, 404, {"X-Fake-Unknown": "1"})

    def _build_routes(
        self,
    ) -> list[tuple[str, re.Pattern[str], Callable[..., Awaitable[web.Response]]]]:
        table: list[tuple[str, str, Callable[..., Awaitable[web.Response]]]] = [
            ("GET", r"/users/@me", self._h_me),
            ("GET", r"/users/(?P<user_id>\d+)", self._h_user),
            ("POST", r"/users/@me/channels", self._h_create_dm),
            ("GET", r"/oauth2/applications/@me", self._h_application),
            ("GET", r"/applications/@me", self._h_application),
            ("GET", r"/gateway", self._h_gateway),
            ("GET", r"/gateway/bot", self._h_gateway_bot),
            (
                "GET",
                r"/applications/(?P<app>\d+)(?:/guilds/(?P<gid>\d+))?/commands",
                self._h_get_commands,
            ),
            (
                "PUT",
                r"/applications/(?P<app>\d+)(?:/guilds/(?P<gid>\d+))?/commands",
                self._h_put_commands,
            ),
            (
                "POST",
                r"/applications/(?P<app>\d+)(?:/guilds/(?P<gid>\d+))?/commands",
                self._h_post_command,
            ),
            (
                "PATCH",
                r"/applications/(?P<app>\d+)(?:/guilds/(?P<gid>\d+))?/commands/(?P<cid>\d+)",
                self._h_patch_command,
            ),
            (
                "DELETE",
                r"/applications/(?P<app>\d+)(?:/guilds/(?P<gid>\d+))?/commands/(?P<cid>\d+)",
                self._h_delete_command,
            ),
            ("POST", r"/interactions/(?P<iid>\d+)/(?P<token>[^/]+)/callback", self._h_callback),
            ("POST", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)", self._h_followup),
            (
                "GET",
                r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)",
                self._h_webhook_get,
            ),
            (
                "PATCH",
                r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)",
                self._h_webhook_edit,
            ),
            (
                "DELETE",
                r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)",
                self._h_webhook_delete,
            ),
            ("GET", r"/channels/(?P<cid>\d+)", self._h_get_channel),
            ("GET", r"/channels/(?P<cid>\d+)/messages", self._h_list_messages),
            ("POST", r"/channels/(?P<cid>\d+)/messages", self._h_post_message),
            ("GET", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", self._h_get_message),
            ("PATCH", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", self._h_edit_message),
            ("DELETE", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", self._h_delete_message),
            ("POST", r"/channels/(?P<cid>\d+)/typing", self._h_typing),
            ("GET", r"/guilds/(?P<gid>\d+)", self._h_get_guild),
            ("GET", r"/guilds/(?P<gid>\d+)/channels", self._h_guild_channels),
            ("GET", r"/guilds/(?P<gid>\d+)/roles", self._h_guild_roles),
            ("GET", r"/guilds/(?P<gid>\d+)/members/(?P<uid>\d+)", self._h_guild_member),
        ]
        return [(m, re.compile(p), h) for m, p, h in table]

    # ------------------------------------------------------------------ REST handlers

    async def _h_me(self, rec: RecordedRequest) -> web.Response:
        return _json_response(self.bot_user_payload())

    async def _h_user(self, rec: RecordedRequest, user_id: str) -> web.Response:
        try:
            return _json_response(self.user_payload(int(user_id)))
        except KeyError:
            raise _HTTPError(404, "Unknown User", 10013) from None

    async def _h_create_dm(self, rec: RecordedRequest) -> web.Response:
        uid = int((rec.json or {}).get("recipient_id", 0))
        try:
            self.get_user(uid)
        except KeyError:
            raise _HTTPError(400, "Invalid Recipient(s)", 50033) from None
        cid = self.dm_channel_id(uid)
        return _json_response(self._dm_channel_payload(uid, cid))

    async def _h_application(self, rec: RecordedRequest) -> web.Response:
        owner = self.config.users[0].id if self.config.users else self.config.bot_user_id
        return _json_response(
            {
                "id": str(self.config.application_id),
                "name": self.config.bot_username,
                "icon": None,
                "description": "",
                "rpc_origins": [],
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": 0,
                "owner": self.user_payload(owner),
                "team": None,
                "summary": "",
                "bot": self.bot_user_payload(),
                "interactions_endpoint_url": None,
            }
        )

    async def _h_gateway(self, rec: RecordedRequest) -> web.Response:
        return _json_response({"url": self.gateway_url})

    async def _h_gateway_bot(self, rec: RecordedRequest) -> web.Response:
        return _json_response(
            {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 14400000,
                    "max_concurrency": 1,
                },
            }
        )

    def _check_app(self, app: str) -> None:
        if int(app) != self.config.application_id:
            raise _HTTPError(403, "Missing Access", 50001)

    def _store_command(self, gid: int | None, payload: dict[str, Any]) -> dict[str, Any]:
        key = (gid, payload["name"], int(payload.get("type", 1)))
        cid = self._command_ids.get(key)
        if cid is None:
            cid = self._command_ids[key] = self.snowflake()
        cmd = {
            "type": 1,
            "options": [],
            "description": "",
            "default_member_permissions": None,
            "nsfw": False,
            "contexts": None,
            "integration_types": [0],
            **payload,
            "id": str(cid),
            "application_id": str(self.config.application_id),
            "version": str(self.snowflake()),
        }
        if gid is not None:
            cmd["guild_id"] = str(gid)
        return cmd

    async def _h_get_commands(
        self, rec: RecordedRequest, app: str, gid: str | None
    ) -> web.Response:
        self._check_app(app)
        return _json_response(self.commands(int(gid) if gid else None))

    async def _h_put_commands(
        self, rec: RecordedRequest, app: str, gid: str | None
    ) -> web.Response:
        self._check_app(app)
        g = int(gid) if gid else None
        if g is not None and g not in self._guilds:
            raise _HTTPError(403, "Missing Access", 50001)
        stored = [self._store_command(g, c) for c in rec.json or []]
        if g is None:
            self._global_commands = stored
        else:
            self._guild_commands[g] = stored
        return _json_response(stored)

    def _pool(self, gid: str | None) -> list[dict[str, Any]]:
        if gid:
            return self._guild_commands.setdefault(int(gid), [])
        return self._global_commands

    async def _h_post_command(
        self, rec: RecordedRequest, app: str, gid: str | None
    ) -> web.Response:
        self._check_app(app)
        cmd = self._store_command(int(gid) if gid else None, rec.json)
        pool = self._pool(gid)
        pool[:] = [c for c in pool if c["id"] != cmd["id"]] + [cmd]
        return _json_response(cmd, 201)

    async def _h_patch_command(
        self, rec: RecordedRequest, app: str, gid: str | None, cid: str
    ) -> web.Response:
        self._check_app(app)
        for c in self._pool(gid):
            if c["id"] == cid:
                c.update(rec.json or {})
                return _json_response(c)
        raise _HTTPError(404, "Unknown application command", 10063)

    async def _h_delete_command(
        self, rec: RecordedRequest, app: str, gid: str | None, cid: str
    ) -> web.Response:
        self._check_app(app)
        pool = self._pool(gid)
        pool[:] = [c for c in pool if c["id"] != cid]
        return web.Response(status=204)

    # interactions -----------------------------------------------------------

    def _interaction_channel_id(self, rec: InteractionRecord) -> int:
        return int(rec.payload["channel_id"])

    async def _h_callback(self, rec: RecordedRequest, iid: str, token: str) -> web.Response:
        inter = self.interactions.get(int(iid))
        if inter is None or inter.token != token:
            raise _HTTPError(404, "Unknown interaction", 10062)
        if inter.callback is not None:
            raise _HTTPError(400, "Interaction has already been acknowledged.", 40060)
        body = rec.json or {}
        ctype = int(body.get("type", 0))
        data = body.get("data") or {}
        channel_id = self._interaction_channel_id(inter)
        message: dict[str, Any] | None = None
        if ctype == 4:
            message = self._make_message(channel_id, data, files=rec.files, interaction=inter)
            inter.original = message
        elif ctype == 5:
            flags = (int(data.get("flags") or 0) & EPHEMERAL) | LOADING
            message = self._make_message(
                channel_id, {"content": "", "flags": flags}, interaction=inter
            )
            inter.original = message
        elif ctype == 7:
            target = self.messages.get(inter.original_id or 0)
            if target is None:
                raise _HTTPError(400, "Invalid interaction type for update", 50035)
            self._apply_edit(target, data, rec.files)
            message = target
            inter.original = target
        elif ctype == 6:
            inter.original = self.messages.get(inter.original_id or 0)
        elif ctype not in (8, 9, 10, 12):
            raise _HTTPError(400, f"Invalid callback type {ctype}", 50035)
        if message is not None:
            inter.original_id = int(message["id"])
        inter.callback = body
        response: dict[str, Any] = {
            "interaction": {
                "id": str(inter.id),
                "type": inter.type,
                "response_message_id": message["id"] if message else None,
                "response_message_loading": ctype == 5,
                "response_message_ephemeral": bool(message and message["flags"] & EPHEMERAL),
            }
        }
        if message is not None:
            response["resource"] = {"type": ctype, "message": message}
        elif ctype in (6, 8, 9):
            response["resource"] = {"type": ctype}
        await inter._signal.notify()
        await self._signal.notify()
        return _json_response(response)

    def _interaction_by_token(self, app: str, token: str) -> InteractionRecord:
        if int(app) != self.config.application_id:
            raise _HTTPError(404, "Unknown Webhook", 10015)
        for inter in self.interactions.values():
            if inter.token == token:
                return inter
        raise _HTTPError(404, "Unknown Webhook", 10015)

    async def _h_followup(self, rec: RecordedRequest, app: str, token: str) -> web.Response:
        inter = self._interaction_by_token(app, token)
        if inter.callback is None:
            raise _HTTPError(404, "Unknown Webhook", 10015)
        body = rec.json or {}
        original = self.messages.get(inter.original_id or 0)
        if (
            inter.callback_type == 5
            and not inter._filled_defer
            and original is not None
            and original.get("flags", 0) & LOADING
        ):
            # The first followup after a defer fills the "thinking" message, keeping its
            # ephemerality.
            self._apply_edit(original, {k: v for k, v in body.items() if k != "flags"}, rec.files)
            inter._filled_defer = True
            msg = original
        else:
            msg = self._make_message(
                self._interaction_channel_id(inter), body, files=rec.files, interaction=inter
            )
        inter.followups.append(msg)
        await inter._signal.notify()
        await self._signal.notify()
        if rec.query.get("wait") in ("1", "true", "True"):
            return _json_response(msg)
        return web.Response(status=204)

    def _webhook_target(self, inter: InteractionRecord, mid: str) -> dict[str, Any]:
        if mid == "@original":
            msg = self.messages.get(inter.original_id or 0)
        else:
            msg = self.messages.get(int(mid))
        if msg is None or (inter.deleted and mid == "@original"):
            raise _HTTPError(404, "Unknown Message", 10008)
        return msg

    async def _h_webhook_get(
        self, rec: RecordedRequest, app: str, token: str, mid: str
    ) -> web.Response:
        inter = self._interaction_by_token(app, token)
        return _json_response(self._webhook_target(inter, mid))

    async def _h_webhook_edit(
        self, rec: RecordedRequest, app: str, token: str, mid: str
    ) -> web.Response:
        inter = self._interaction_by_token(app, token)
        msg = self._webhook_target(inter, mid)
        self._apply_edit(msg, rec.json or {}, rec.files)
        if mid == "@original" or int(msg["id"]) == inter.original_id:
            inter.edits.append(rec.json or {})
            inter.original = msg
            if inter.callback_type == 5:
                inter._filled_defer = True
        await inter._signal.notify()
        await self._signal.notify()
        return _json_response(msg)

    async def _h_webhook_delete(
        self, rec: RecordedRequest, app: str, token: str, mid: str
    ) -> web.Response:
        inter = self._interaction_by_token(app, token)
        msg = self._webhook_target(inter, mid)
        self.messages.pop(int(msg["id"]), None)
        if mid == "@original" or int(msg["id"]) == inter.original_id:
            inter.deleted = True
        await inter._signal.notify()
        return web.Response(status=204)

    # channels ---------------------------------------------------------------

    def _check_channel(self, channel_id: int, *, sending: bool = False) -> None:
        if channel_id in self._dm_channels:
            uid = self._dm_channels[channel_id]
            if sending and not self.get_user(uid).dm_open:
                raise _HTTPError(403, "Cannot send messages to this user", 50007)
            return
        guild, channel = self._find_channel(channel_id)
        if guild is None or channel is None or guild.id in self._removed_guilds:
            raise _HTTPError(404, "Unknown Channel", 10003)
        state = self._channel_state.get(channel_id, "ok")
        if state == "missing":
            raise _HTTPError(404, "Unknown Channel", 10003)
        if state == "no_access":
            raise _HTTPError(403, "Missing Access", 50001)
        if state == "forbidden" and sending:
            raise _HTTPError(403, "Missing Permissions", 50013)

    async def _h_get_channel(self, rec: RecordedRequest, cid: str) -> web.Response:
        self._check_channel(int(cid))
        return _json_response(self._channel_for(int(cid)))

    async def _h_typing(self, rec: RecordedRequest, cid: str) -> web.Response:
        self._check_channel(int(cid), sending=True)
        return web.Response(status=204)

    async def _h_list_messages(self, rec: RecordedRequest, cid: str) -> web.Response:
        """Newest first, like Discord; ``after`` gives the ``limit`` oldest messages after
        it (still newest first), ``before`` the newest before it. Discord does not keep a
        message's nonce, so listed messages carry none."""
        self._check_channel(int(cid))
        msgs = sorted(self.channel_messages(int(cid)), key=lambda m: int(m["id"]))
        limit = max(1, min(100, int(rec.query.get("limit", 50))))
        if "after" in rec.query:
            msgs = [m for m in msgs if int(m["id"]) > int(rec.query["after"])][:limit]
        else:
            if "before" in rec.query:
                msgs = [m for m in msgs if int(m["id"]) < int(rec.query["before"])]
            msgs = msgs[-limit:]
        listed = [{k: v for k, v in m.items() if k != "nonce"} for m in reversed(msgs)]
        return _json_response(listed)

    async def _h_post_message(self, rec: RecordedRequest, cid: str) -> web.Response:
        channel_id = int(cid)
        self._check_channel(channel_id, sending=True)
        limited, rl_headers = self._check_rate_limits(channel_id)
        if limited is not None:
            return limited
        body = rec.json or {}
        nonce = body.get("nonce")
        now = time.monotonic()
        if nonce is not None and body.get("enforce_nonce"):
            seen = self._nonces.get((channel_id, str(nonce)))
            if seen is not None and now - seen[0] < self.config.nonce_window:
                existing = self.messages.get(seen[1])
                if existing is not None:
                    return _json_response(existing, 200, rl_headers)
        msg = self._make_message(channel_id, body, files=rec.files)
        if nonce is not None and body.get("enforce_nonce"):
            self._nonces[(channel_id, str(nonce))] = (now, int(msg["id"]))
        await self._signal.notify()
        return _json_response(msg, 200, rl_headers)

    def _channel_message(self, cid: str, mid: str) -> dict[str, Any]:
        self._check_channel(int(cid))
        msg = self.messages.get(int(mid))
        if msg is None or msg["channel_id"] != cid:
            raise _HTTPError(404, "Unknown Message", 10008)
        return msg

    async def _h_get_message(self, rec: RecordedRequest, cid: str, mid: str) -> web.Response:
        return _json_response(self._channel_message(cid, mid))

    async def _h_edit_message(self, rec: RecordedRequest, cid: str, mid: str) -> web.Response:
        msg = self._channel_message(cid, mid)
        self._apply_edit(msg, rec.json or {}, rec.files)
        await self._signal.notify()
        return _json_response(msg)

    async def _h_delete_message(self, rec: RecordedRequest, cid: str, mid: str) -> web.Response:
        msg = self._channel_message(cid, mid)
        self.messages.pop(int(msg["id"]), None)
        return web.Response(status=204)

    # guilds -----------------------------------------------------------------

    def _guild_or_404(self, gid: str) -> GuildConfig:
        g = self._guilds.get(int(gid))
        if g is None or g.id in self._removed_guilds:
            raise _HTTPError(404, "Unknown Guild", 10004)
        return g

    async def _h_get_guild(self, rec: RecordedRequest, gid: str) -> web.Response:
        return _json_response(self.guild_payload(self._guild_or_404(gid), full=False))

    async def _h_guild_channels(self, rec: RecordedRequest, gid: str) -> web.Response:
        g = self._guild_or_404(gid)
        return _json_response(self.guild_payload(g)["channels"])

    async def _h_guild_roles(self, rec: RecordedRequest, gid: str) -> web.Response:
        return _json_response([self.everyone_role(self._guild_or_404(gid))])

    async def _h_guild_member(self, rec: RecordedRequest, gid: str, uid: str) -> web.Response:
        g = self._guild_or_404(gid)
        user_id = int(uid)
        if user_id != self.config.bot_user_id and user_id not in self._member_ids(g):
            raise _HTTPError(404, "Unknown Member", 10007)
        return _json_response(self.member_payload(g, user_id))

    # ------------------------------------------------------------------ gateway

    def _shard_of(self, guild_id: int | None, shard_count: int) -> int:
        if guild_id is None:
            return 0
        return (guild_id >> 22) % max(shard_count, 1)

    async def _send(
        self, session: GatewaySession | None, ws: web.WebSocketResponse, payload: dict[str, Any]
    ) -> None:
        if ws.closed:
            return
        text = json.dumps(payload)
        if session is not None:
            async with session.lock:
                await ws.send_str(text)
        else:
            await ws.send_str(text)

    async def _emit(self, session: GatewaySession, event: str, data: Any) -> None:
        async with session.lock:
            session.seq += 1
            payload = {"op": 0, "t": event, "s": session.seq, "d": data}
            session.events.append(payload)
            ws = session.ws
            if ws is not None and not ws.closed:
                with contextlib.suppress(ConnectionError, RuntimeError):
                    await ws.send_str(json.dumps(payload))

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        self._sockets.add(ws)
        session: GatewaySession | None = None
        try:
            await self._send(
                None,
                ws,
                {
                    "op": 10,
                    "d": {"heartbeat_interval": self.config.heartbeat_interval},
                    "s": None,
                    "t": None,
                },
            )
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                op = payload.get("op")
                d = payload.get("d")
                if op == 1:
                    await self._send(session, ws, {"op": 11, "d": None, "s": None, "t": None})
                elif op == 2:
                    session = await self._identify(ws, d)
                    if session is None:
                        break
                elif op == 6:
                    session = await self._resume(ws, d)
                elif op == 8 and session is not None:
                    await self._members_chunk(session, d)
        finally:
            self._sockets.discard(ws)
            if session is not None and session.ws is ws:
                session.ws = None
            await self._signal.notify()
        return ws

    async def _identify(
        self, ws: web.WebSocketResponse, d: dict[str, Any]
    ) -> GatewaySession | None:
        if self.config.token is not None and d.get("token") != self.config.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        shard_id, shard_count = d.get("shard") or [0, 1]
        session = GatewaySession(
            session_id=secrets.token_hex(16),
            shard_id=int(shard_id),
            shard_count=int(shard_count),
            intents=int(d.get("intents", 0)),
            identify=d,
            ws=ws,
        )
        self._all_sessions[session.session_id] = session
        self.sessions[session.shard_id] = session
        self.identify_count += 1
        guilds = [
            g
            for g in self._guilds.values()
            if g.id not in self._removed_guilds
            and self._shard_of(g.id, session.shard_count) == session.shard_id
        ]
        ready = {
            "v": 10,
            "user": self.bot_user_payload(),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.session_id,
            "resume_gateway_url": self.gateway_url,
            "session_type": "normal",
            "application": {"id": str(self.config.application_id), "flags": 0},
            "shard": [session.shard_id, session.shard_count],
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "user_settings": {},
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
        }
        await self._emit(session, "READY", ready)
        for g in guilds:
            await self._emit(session, "GUILD_CREATE", self.guild_payload(g))
        await self._signal.notify()
        return session

    async def _resume(self, ws: web.WebSocketResponse, d: dict[str, Any]) -> GatewaySession | None:
        session = self._all_sessions.get(d.get("session_id", ""))
        if session is None or (
            self.config.token is not None and d.get("token") != self.config.token
        ):
            await self._send(None, ws, {"op": 9, "d": False, "s": None, "t": None})
            return None
        seq = int(d.get("seq") or 0)
        async with session.lock:
            old = session.ws
            session.ws = ws
            for e in session.events:
                if e["s"] > seq:
                    await ws.send_str(json.dumps(e))
        await self._emit(session, "RESUMED", {})
        if old is not None and old is not ws and not old.closed:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(old.close(code=4000), 1.0)
        self.sessions[session.shard_id] = session
        await self._signal.notify()
        return session

    async def _members_chunk(self, session: GatewaySession, d: dict[str, Any]) -> None:
        gid = int(d.get("guild_id", 0))
        g = self._guilds.get(gid)
        if g is None:
            return
        members = [self.member_payload(g, self.config.bot_user_id)]
        members += [self.member_payload(g, uid) for uid in self._member_ids(g)]
        wanted = d.get("user_ids")
        if wanted:
            members = [m for m in members if m["user"]["id"] in {str(w) for w in wanted}]
        chunk: dict[str, Any] = {
            "guild_id": str(gid),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if d.get("nonce") is not None:
            chunk["nonce"] = d["nonce"]
        await self._emit(session, "GUILD_MEMBERS_CHUNK", chunk)

    async def wait_for_shards(
        self, shards: int | Iterable[int] = 1, timeout: float = 10.0
    ) -> list[GatewaySession]:
        """Wait until these shards (a count means ids 0..n-1) are identified and connected."""
        ids = list(range(shards)) if isinstance(shards, int) else list(shards)

        def check() -> list[GatewaySession] | None:
            got = [self.sessions.get(i) for i in ids]
            if all(s is not None and s.connected for s in got):
                return [s for s in got if s is not None]
            return None

        return await self._signal.wait_until(check, timeout)

    async def wait_for_identify(self, count: int = 1, timeout: float = 10.0) -> int:
        """Wait until ``count`` IDENTIFYs in total were answered (re-identifies count too)."""
        return await self._signal.wait_until(
            lambda: self.identify_count if self.identify_count >= count else 0, timeout
        )

    def _session_for(self, shard_id: int | None, guild_id: int | None) -> GatewaySession:
        if shard_id is None:
            any_session = next(iter(self.sessions.values()), None)
            if any_session is None:
                raise RuntimeError("no gateway session identified yet")
            shard_id = self._shard_of(guild_id, any_session.shard_count)
        session = self.sessions.get(shard_id)
        if session is None:
            raise RuntimeError(f"shard {shard_id} has not identified")
        return session

    async def dispatch(
        self,
        event: str,
        data: Any,
        *,
        shard_id: int | None = None,
        guild_id: int | None = None,
    ) -> GatewaySession:
        """Send a dispatch to the shard owning ``guild_id`` (or ``shard_id``; default 0)."""
        session = self._session_for(shard_id, guild_id)
        await self._emit(session, event, data)
        return session

    async def add_guild(self, guild: GuildConfig) -> None:
        self._register_guild(guild)
        if guild not in self.config.guilds:
            self.config.guilds.append(guild)
        if self.sessions:
            await self.dispatch("GUILD_CREATE", self.guild_payload(guild), guild_id=guild.id)

    async def remove_guild(self, guild_id: int) -> None:
        self._removed_guilds.add(guild_id)
        if self.sessions:
            await self.dispatch(
                "GUILD_DELETE", {"id": str(guild_id), "unavailable": False}, guild_id=guild_id
            )

    async def request_reconnect(self, shard_id: int = 0) -> None:
        session = self._session_for(shard_id, None)
        if session.ws is not None:
            await self._send(session, session.ws, {"op": 7, "d": None, "s": None, "t": None})

    async def invalidate_session(self, shard_id: int = 0, *, resumable: bool = False) -> None:
        session = self._session_for(shard_id, None)
        if not resumable:
            self._all_sessions.pop(session.session_id, None)
        if session.ws is not None:
            await self._send(session, session.ws, {"op": 9, "d": resumable, "s": None, "t": None})

    async def drop_connection(self, shard_id: int = 0, code: int = 4000) -> None:
        session = self._session_for(shard_id, None)
        if session.ws is not None:
            await session.ws.close(code=code)

    # ------------------------------------------------------------------ interaction builders

    def _interaction_base(
        self,
        itype: int,
        data: dict[str, Any],
        *,
        guild_id: int | None,
        user_id: int | None,
        channel_id: int | None,
        locale: str,
        guild_locale: str | None,
        dm: bool,
        message: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        uid = user_id if user_id is not None else self.user.id
        payload: dict[str, Any] = {
            "id": str(self.snowflake()),
            "application_id": str(self.config.application_id),
            "type": itype,
            "data": data,
            "token": "itok-" + secrets.token_urlsafe(24),
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": self.config.attachment_size_limit,
        }
        if dm or guild_id is None:
            cid = channel_id if channel_id is not None else self.dm_channel_id(uid)
            if cid not in self._dm_channels:
                self._dm_channels[cid] = uid
            payload.update(
                {
                    "user": self.user_payload(uid),
                    "channel_id": str(cid),
                    "channel": self._dm_channel_payload(uid, cid),
                    "app_permissions": str(EVERYONE_PERMISSIONS),
                    "authorizing_integration_owners": {"1": str(uid)},
                    "context": 1,
                }
            )
        else:
            guild = self._guilds[guild_id]
            cid = channel_id if channel_id is not None else guild.channels[0].id
            _, channel = self._find_channel(cid)
            if channel is None:
                raise ValueError(f"channel {cid} is not configured")
            member = self.member_payload(guild, uid)
            member["permissions"] = str(self._channel_permissions(cid, uid))
            ch = self.channel_payload(guild, channel)
            ch["permissions"] = member["permissions"]
            payload.update(
                {
                    "guild_id": str(guild.id),
                    "guild": {
                        "id": str(guild.id),
                        "locale": guild.preferred_locale,
                        "features": [],
                    },
                    "guild_locale": guild_locale or guild.preferred_locale,
                    "member": member,
                    "channel_id": str(cid),
                    "channel": ch,
                    "app_permissions": str(self._channel_permissions(cid, self.config.bot_user_id)),
                    "authorizing_integration_owners": {"0": str(guild.id)},
                    "context": 0,
                }
            )
        if message is not None:
            payload["message"] = message
        return payload

    async def send_interaction(
        self,
        payload: dict[str, Any],
        *,
        original_id: int | None = None,
        wait: bool = True,
        timeout: float = 5.0,
    ) -> InteractionRecord:
        """Dispatch a prepared INTERACTION_CREATE payload and (optionally) await the callback."""
        rec = InteractionRecord(
            id=int(payload["id"]),
            token=payload["token"],
            type=payload["type"],
            payload=payload,
            original_id=original_id,
        )
        self.interactions[rec.id] = rec
        gid = int(payload["guild_id"]) if payload.get("guild_id") else None
        await self.dispatch("INTERACTION_CREATE", payload, guild_id=gid)
        if wait:
            await rec.wait_callback(timeout)
        return rec

    async def response_for(self, interaction_id: int, timeout: float = 5.0) -> InteractionRecord:
        rec = self.interactions[int(interaction_id)]
        await rec.wait_callback(timeout)
        return rec

    def _resolve_option(
        self,
        otype: int,
        value: Any,
        resolved: dict[str, dict[str, Any]],
        guild: GuildConfig | None,
    ) -> Any:
        if otype in (6, 9):
            try:
                self.get_user(int(value))
            except KeyError:
                if otype == 9 and guild is not None and int(value) == guild.id:
                    resolved.setdefault("roles", {})[str(value)] = self.everyone_role(guild)
                return str(value)
            resolved.setdefault("users", {})[str(value)] = self.user_payload(int(value))
            if guild is not None:
                m = self.member_payload(guild, int(value), with_user=False)
                m["permissions"] = str(self.get_user(int(value)).permissions)
                resolved.setdefault("members", {})[str(value)] = m
        elif otype == 7:
            g, c = self._find_channel(int(value))
            if g is not None and c is not None:
                ch = self.channel_payload(g, c)
                ch["permissions"] = str(EVERYONE_PERMISSIONS)
                resolved.setdefault("channels", {})[str(value)] = ch
        elif otype == 8 and guild is not None and int(value) == guild.id:
            resolved.setdefault("roles", {})[str(value)] = self.everyone_role(guild)
        return str(value)

    def _build_options(
        self,
        options: dict[str, Any] | list[dict[str, Any]] | None,
        schema: list[dict[str, Any]],
        resolved: dict[str, dict[str, Any]],
        guild: GuildConfig | None,
        focused: str | None = None,
    ) -> list[dict[str, Any]]:
        if options is None:
            return []
        if isinstance(options, list):
            return options
        by_name = {o["name"]: o for o in schema}
        out = []
        for name, value in options.items():
            spec = by_name.get(name)
            if spec is not None:
                otype = int(spec["type"])
            elif isinstance(value, bool):
                otype = 5
            elif isinstance(value, int):
                otype = 4
            elif isinstance(value, float):
                otype = 10
            else:
                otype = 3
            opt: dict[str, Any] = {"name": name, "type": otype, "value": value}
            if name == focused:
                opt["focused"] = True
                opt["value"] = str(value)
            elif otype in _OPTION_TYPES_WITH_RESOLVED:
                opt["value"] = self._resolve_option(otype, value, resolved, guild)
            out.append(opt)
        return out

    def _command_data(
        self,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]] | None,
        *,
        guild_id: int | None,
        subcommand: str | None,
        focused: str | None = None,
        cmd_type: int = 1,
    ) -> dict[str, Any]:
        cmd = self.command(name, guild_id)
        if cmd is None:
            raise LookupError(f"command {name!r} was not synced (globally or to {guild_id})")
        guild = self._guilds.get(guild_id) if guild_id is not None else None
        resolved: dict[str, dict[str, Any]] = {}
        schema = cmd.get("options") or []
        path = subcommand.split() if subcommand else []
        wrappers: list[dict[str, Any]] = []
        for part in path:
            spec = next((o for o in schema if o["name"] == part), None)
            if spec is None:
                raise LookupError(f"{name!r} has no subcommand {part!r}")
            wrappers.append({"name": part, "type": int(spec["type"])})
            schema = spec.get("options") or []
        leaf = self._build_options(options, schema, resolved, guild, focused)
        for w in reversed(wrappers):
            w["options"] = leaf
            leaf = [w]
        data: dict[str, Any] = {
            "id": cmd["id"],
            "name": name,
            "type": cmd_type,
            "options": leaf,
        }
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        if resolved:
            data["resolved"] = resolved
        return data

    def _default_guild(self, guild_id: int | None, dm: bool) -> int | None:
        if dm:
            return None
        if guild_id is None:
            return self.guild.id
        return guild_id

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | list[dict[str, Any]] | None = None,
        *,
        guild_id: int | None = None,
        user_id: int | None = None,
        locale: str = "en-US",
        guild_locale: str | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        subcommand: str | None = None,
        wait: bool = True,
        timeout: float = 5.0,
    ) -> InteractionRecord:
        gid = self._default_guild(guild_id, dm)
        data = self._command_data(name, options, guild_id=gid, subcommand=subcommand)
        payload = self._interaction_base(
            2,
            data,
            guild_id=gid,
            user_id=user_id,
            channel_id=channel_id,
            locale=locale,
            guild_locale=guild_locale,
            dm=dm,
        )
        return await self.send_interaction(payload, wait=wait, timeout=timeout)

    async def autocomplete(
        self,
        name: str,
        focused: str,
        value: str,
        options: dict[str, Any] | None = None,
        *,
        guild_id: int | None = None,
        user_id: int | None = None,
        locale: str = "en-US",
        guild_locale: str | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        subcommand: str | None = None,
        wait: bool = True,
        timeout: float = 5.0,
    ) -> InteractionRecord:
        gid = self._default_guild(guild_id, dm)
        opts = dict(options or {})
        opts[focused] = value
        data = self._command_data(name, opts, guild_id=gid, subcommand=subcommand, focused=focused)
        data.pop("resolved", None)  # Discord sends no resolved data on autocomplete
        payload = self._interaction_base(
            4,
            data,
            guild_id=gid,
            user_id=user_id,
            channel_id=channel_id,
            locale=locale,
            guild_locale=guild_locale,
            dm=dm,
        )
        return await self.send_interaction(payload, wait=wait, timeout=timeout)

    @staticmethod
    def _find_component(components: list[dict[str, Any]], custom_id: str) -> dict[str, Any] | None:
        for c in components:
            if c.get("custom_id") == custom_id:
                return c
            for key in ("components", "accessory"):
                sub = c.get(key)
                if isinstance(sub, dict):
                    sub = [sub]
                if sub:
                    found = FakeDiscord._find_component(sub, custom_id)
                    if found is not None:
                        return found
        return None

    async def click(
        self,
        message: dict[str, Any] | int | str,
        custom_id: str,
        *,
        values: list[str] | None = None,
        user_id: int | None = None,
        locale: str = "en-US",
        guild_locale: str | None = None,
        wait: bool = True,
        timeout: float = 5.0,
    ) -> InteractionRecord:
        if not isinstance(message, dict):
            message = self.messages[int(message)]
        component = self._find_component(message.get("components") or [], custom_id)
        if component is None:
            raise ValueError(f"no component {custom_id!r} on message {message['id']}")
        owner = ((message.get("interaction_metadata") or {}).get("user") or {}).get("id")
        clicker = user_id if user_id is not None else self.user.id
        if message.get("flags", 0) & EPHEMERAL and owner is not None and int(owner) != clicker:
            # Discord shows an ephemeral message to one member only: nobody else can click it.
            raise ValueError(f"message {message['id']} is ephemeral: only user {owner} sees it")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        if values is not None or component["type"] != 2:
            data["values"] = list(values or [])
        channel_id = int(message["channel_id"])
        gid = int(message["guild_id"]) if message.get("guild_id") else None
        payload = self._interaction_base(
            3,
            data,
            guild_id=gid,
            user_id=user_id,
            channel_id=channel_id,
            locale=locale,
            guild_locale=guild_locale,
            dm=gid is None,
            message=message,
        )
        return await self.send_interaction(
            payload, original_id=int(message["id"]), wait=wait, timeout=timeout
        )

    async def submit_modal(
        self,
        custom_id: str,
        values: dict[str, str],
        *,
        guild_id: int | None = None,
        user_id: int | None = None,
        channel_id: int | None = None,
        locale: str = "en-US",
        dm: bool = False,
        wait: bool = True,
        timeout: float = 5.0,
    ) -> InteractionRecord:
        gid = self._default_guild(guild_id, dm)
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
            for k, v in values.items()
        ]
        data = {"custom_id": custom_id, "components": rows}
        payload = self._interaction_base(
            5,
            data,
            guild_id=gid,
            user_id=user_id,
            channel_id=channel_id,
            locale=locale,
            guild_locale=None,
            dm=dm,
        )
        return await self.send_interaction(payload, wait=wait, timeout=timeout)
