"""``python -m bot run``: lifetimes in one place. Store and knowledge open around ``bot.start``."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys

import discord

from bot.ops import python_command
from bot.pack import PackError
from bot.service import open_knowledge
from bot.settings import DISCORD_API, Settings
from bot.status_http import StatusServer
from bot.store.database import DatabaseUnavailable

log = logging.getLogger(__name__)

NO_TOKEN = """\
DISCORD_TOKEN is not set, so the bot cannot log in.

1. Open https://discord.com/developers/applications and create an application (or pick yours).
2. Under "Bot", press "Reset Token" and copy the token.
3. Put it in the environment or in a .env file (in this folder or the checkout's):
       DISCORD_TOKEN=your-token-here
   (.env.example lists every setting.)
4. Invite the bot: {python} -m bot invite
   prints the link (scopes bot and applications.commands; permissions View Channel,
   Send Messages and Embed Links). Then run again.

Without Discord, try the answers offline:  {python} -m bot ask "/fact revenue"
"""


def run(settings: Settings) -> int:
    if not settings.token:
        print(NO_TOKEN.format(python=python_command()), file=sys.stderr)
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

    stop = _stop_on_signals()
    if settings.api_base != DISCORD_API:
        # Every REST route, interaction callbacks and webhooks included, is built from this base.
        discord.http.Route.BASE = settings.api_base
        log.info("using Discord API at %s", settings.api_base)
    store, knowledge = await open_knowledge(settings.database, settings.data_dir)
    try:
        if stop.is_set():
            return
        bot = ExponentBot(settings, store, knowledge)
        status = StatusServer(settings.http, bot) if settings.http else None
        if status is not None:
            await status.start()
        try:
            async with bot:
                running = asyncio.ensure_future(bot.start(settings.token.get()))
                stopping = asyncio.ensure_future(stop.wait())
                await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if stop.is_set():
                    await bot.close()
                stopping.cancel()
                await running  # re-raises what ended the bot (a refused token, …)
        finally:
            if status is not None:
                await status.stop()
    finally:
        await store.close()
        log.info("database closed; exiting")


def _stop_on_signals() -> asyncio.Event:
    """SIGTERM (docker stop, systemctl stop) and SIGINT (Ctrl-C) ask for a clean shutdown;
    a second one while it runs exits at once (SQLite's WAL keeps the database consistent)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_signal(sig: signal.Signals) -> None:
        if stop.is_set():
            log.warning("%s again: exiting without waiting", sig.name)
            os._exit(1)
        log.info("%s received: shutting down", sig.name)
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, on_signal, sig)
    return stop
