"""``python -m bot run``: lifetimes in one place. Store and knowledge open around ``bot.start``."""

from __future__ import annotations

import asyncio
import logging
import sys

import discord

from bot.pack import PackError
from bot.service import open_knowledge
from bot.settings import DISCORD_API, Settings
from bot.store.database import DatabaseUnavailable

log = logging.getLogger(__name__)

NO_TOKEN = """\
DISCORD_TOKEN is not set, so the bot cannot log in.

1. Open https://discord.com/developers/applications and create an application (or pick yours).
2. Under "Bot", press "Reset Token" and copy the token.
3. Put it in the environment or in a .env file next to where you run the bot:
       DISCORD_TOKEN=your-token-here
   (.env.example lists every setting.)
4. Invite the bot with the "bot" and "applications.commands" scopes, then run again.

Without Discord, try the answers offline:  python -m bot ask "/fact revenue"
"""


def run(settings: Settings) -> int:
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    try:
        asyncio.run(_main(settings))
    except PackError as exc:
        log.error("refusing to start: %s", exc)
        return 1
    except DatabaseUnavailable as exc:
        log.error("refusing to start: %s", exc)
        return 1
    except discord.LoginFailure:
        log.error("Discord refused the token (401). Check DISCORD_TOKEN.")
        return 2
    except KeyboardInterrupt:
        pass
    return 0


async def _main(settings: Settings) -> None:
    from bot.discordbot.client import ExponentBot

    if settings.api_base != DISCORD_API:
        # Every REST route, interaction callbacks and webhooks included, is built from this base.
        discord.http.Route.BASE = settings.api_base
        log.info("using Discord API at %s", settings.api_base)
    store, knowledge = await open_knowledge(settings.database, settings.data_dir)
    try:
        bot = ExponentBot(settings, store, knowledge)
        async with bot:
            await bot.start(settings.token.get())
    finally:
        await store.close()
