"""The floor for bench.e2e: a bare discord.py bot with one slash command, ``/ping``, answering a constant.

Reads ``DISCORD_API_BASE`` and ``DISCORD_TOKEN`` like the real bot: sets
``discord.http.Route.BASE``, fetches the gateway from ``/gateway/bot`` in
``setup_hook`` and syncs its command. Same intents as the real bot (guilds only).

    DISCORD_API_BASE=http://127.0.0.1:PORT/api/v10 DISCORD_TOKEN=x .venv/bin/python -m bench.bare_bot
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os

import discord
import yarl
from discord.ext import commands

ANSWER = "pong"


class BareBot(commands.Bot):
    def __init__(self) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents(guilds=True),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
        )

    async def setup_hook(self) -> None:
        _, url, _ = await self.http.get_bot_gateway()
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)

        @self.tree.command(name="ping", description="Answers with a constant")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(ANSWER)

        await self.tree.sync()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None  # a fake Discord has no identify rate limit


async def _main() -> None:
    discord.http.Route.BASE = os.environ["DISCORD_API_BASE"].rstrip("/")
    bot = BareBot()
    async with bot:
        await bot.start(os.environ["DISCORD_TOKEN"])


def main() -> None:
    logging.basicConfig(level=os.environ.get("EXPONENT_LOG_LEVEL", "INFO"))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main())


if __name__ == "__main__":
    main()
