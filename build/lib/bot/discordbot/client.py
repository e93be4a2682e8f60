"""The bot: settings and store come in, extensions load in ``setup_hook``, commands sync when changed."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord
import yarl
from discord.ext import commands

from bot.discordbot.components import DYNAMIC_ITEMS
from bot.discordbot.translator import ExponentTranslator
from bot.discordbot.tree import ExponentTree
from bot.knowledge import Knowledge
from bot.settings import DISCORD_API, Settings
from bot.store import Store

log = logging.getLogger(__name__)

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

    async def on_ready(self) -> None:
        log.info("ready as %s in %d guilds (shards %s)", self.user, len(self.guilds), self.shard_ids)
