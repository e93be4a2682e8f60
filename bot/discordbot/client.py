"""The bot: settings and store come in, extensions load in ``setup_hook``, commands sync when changed."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import math
import time
from typing import Any

import discord
import yarl
from discord.ext import commands

from bot.discordbot.components import DYNAMIC_ITEMS
from bot.discordbot.cooldowns import MemberCooldowns
from bot.discordbot.events import interaction_received
from bot.discordbot.translator import ExponentTranslator
from bot.discordbot.tree import ExponentTree
from bot.knowledge import Knowledge
from bot.settings import DISCORD_API, Settings
from bot.store import Store
from bot.telemetry import ShardState, Telemetry

log = logging.getLogger(__name__)

DATABASE_PROBE_SECONDS = 2.0
# On shutdown, how long interactions already received may take to be answered.
DRAIN_SECONDS = 3.0
# discord.py runs each interaction in a task named like these (app commands, autocomplete,
# buttons and select menus); the shutdown test breaks if a discord.py release renames them.
_INTERACTION_TASK_NAMES = ("CommandTree-invoker", "discord-ui-view-dispatch", "discord-ui-dynamic-item")


def interactions_in_flight() -> set[asyncio.Task[object]]:
    return {
        task
        for task in asyncio.all_tasks()
        if not task.done() and task.get_name().startswith(_INTERACTION_TASK_NAMES)
    }


# Every module in cogs/ is listed here (a test checks it).
EXTENSIONS: tuple[str, ...] = (
    "cogs.quotes",
    "cogs.facts",
    "cogs.info",
    "cogs.settings",
    "cogs.daily",
)


class ExponentBot(commands.AutoShardedBot):
    def __init__(
        self,
        settings: Settings,
        store: Store,
        knowledge: Knowledge,
        telemetry: Telemetry | None = None,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents(guilds=True),  # no message content, no members
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=ExponentTree,
            shard_count=settings.shard_count,
            shard_ids=list(settings.shard_ids) if settings.shard_ids is not None else None,  # type: ignore[arg-type]
            help_command=None,
            **options,
        )
        self.settings = settings
        self.store = store
        self.knowledge = knowledge
        self.telemetry = telemetry or Telemetry(tick_seconds=settings.daily_tick_seconds)
        self._winding_down: asyncio.Task[None] | None = None
        self.cooldowns = MemberCooldowns(*settings.cooldown)

    async def setup_hook(self) -> None:
        if self.settings.api_base != DISCORD_API:
            # A plain client never asks for the gateway URL; ask the configured API for it.
            _, url, _ = await self.http.get_bot_gateway()
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        await self.tree.set_translator(ExponentTranslator())
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        await self.sync_commands_if_changed()

    async def command_payload(self, guild: discord.abc.Snowflake | None) -> list[dict[str, Any]]:
        translator = self.tree.translator
        payload = []
        for command in self.tree.get_commands(guild=guild):
            if translator is not None:
                payload.append(await command.get_translated_payload(self.tree, translator))
            else:
                payload.append(command.to_dict(self.tree))
        return payload

    async def sync_commands_if_changed(self) -> None:
        guild = discord.Object(self.settings.dev_guild) if self.settings.dev_guild else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        payload = await self.command_payload(guild)
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
        key = f"commands:{self.application_id}:{guild.id if guild else 'global'}"
        if await self.store.meta.get(key) == digest:
            log.info("application commands unchanged; not syncing")
            return
        synced = await self.tree.sync(guild=guild)
        await self.store.meta.set(key, digest)
        log.info("synced %d application commands (%s)", len(synced), key)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        # discord.py waits 5 s between identifies to respect Discord's limit; a fake has none.
        if self.settings.api_base == DISCORD_API:
            await super().before_identify_hook(shard_id, initial=initial)

    async def close(self) -> None:
        """Shut down in order: stop taking interactions (close the gateway), let those in flight
        be answered and the daily posts being sent finish (both bounded), then close REST."""
        if self._winding_down is None:
            self._winding_down = asyncio.create_task(self._wind_down(), name="exponent-shutdown")
        await asyncio.shield(self._winding_down)

    async def _wind_down(self) -> None:
        started = time.monotonic()
        self.telemetry.stopping = True
        for shard in list(self.shards.values()):
            with contextlib.suppress(Exception):
                await shard.disconnect()
        pending = interactions_in_flight()
        log.info("shutting down: gateway closed, %d interaction(s) in flight", len(pending))
        unfinished: set[asyncio.Task[object]] = set()

        async def drain() -> None:
            nonlocal unfinished
            if pending:
                _, unfinished = await asyncio.wait(pending, timeout=DRAIN_SECONDS)

        async def unload() -> None:
            # Extensions own background work (the daily dispatcher); unloading stops it.
            for extension in tuple(self.extensions):
                try:
                    await self.unload_extension(extension)
                except Exception:
                    log.exception("unloading %s failed during shutdown", extension)

        await asyncio.gather(drain(), unload())
        if unfinished:
            log.warning(
                "shutting down: %d interaction(s) still unanswered after %.0f s",
                len(unfinished),
                DRAIN_SECONDS,
            )
        await super().close()
        log.info(
            "shut down in %.2f s: %d interaction(s) answered while stopping, daily dispatcher stopped",
            time.monotonic() - started,
            len(pending) - len(unfinished),
        )

    # -- what /healthz and /metrics read (bot.status_http.StatusSource) ----------------

    def shard_states(self) -> list[ShardState]:
        return [
            ShardState(
                shard_id,
                not info.is_closed(),
                info.latency if math.isfinite(info.latency) else None,
            )
            for shard_id, info in sorted(self.shards.items())
        ]

    async def database_problem(self) -> str | None:
        try:
            await asyncio.wait_for(self.store.db.fetchval("SELECT 1"), DATABASE_PROBE_SECONDS)
        except TimeoutError:
            return f"no answer within {DATABASE_PROBE_SECONDS:g} s"
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"
        return None

    async def refresh_metrics(self) -> None:
        self.telemetry.set_shards(self.shard_states())
        self.telemetry.set_pack(await self.store.content.pack_digest(), self.knowledge.counts)
        self.telemetry.set_schedules(await self.store.daily.schedule_counts())

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        interaction_received(interaction)

    async def on_ready(self) -> None:
        log.info("ready as %s in %d guilds (shards %s)", self.user, len(self.guilds), self.shard_ids)
