"""The command tree owns every error: a short ephemeral reply in the reader's language, and a log line."""

from __future__ import annotations

import logging
import math

import discord
from discord import app_commands

from bot.commands import error_answer
from bot.discordbot.replies import reader_lang, send
from bot.i18n import t
from bot.lang import Lang, UnknownLanguage

log = logging.getLogger(__name__)


class ExponentTree(app_commands.CommandTree[discord.Client]):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        try:
            lang = await reader_lang(interaction)
        except (UnknownLanguage, Exception):
            lang = Lang.EN
        original = getattr(error, "original", error)
        if isinstance(original, UnknownLanguage):
            message = t("error.bad_lang", lang, value=original.value)
        elif isinstance(error, app_commands.CommandOnCooldown):
            message = t("error.cooldown", lang, seconds=math.ceil(error.retry_after))
        elif isinstance(error, app_commands.MissingPermissions):
            message = t("error.permission", lang)
        elif isinstance(error, app_commands.NoPrivateMessage):
            message = t("error.guild_only", lang)
        elif isinstance(error, app_commands.TransformerError):
            message = str(error)
        else:
            command = interaction.command.qualified_name if interaction.command else "?"
            options = interaction.namespace.__dict__
            log.error(
                "command %s failed (options %s, guild %s, user %s)",
                command,
                options,
                interaction.guild_id,
                interaction.user.id,
                exc_info=error,
            )
            message = t("error.generic", lang)
        try:
            await send(interaction, error_answer("error", lang, message))
        except discord.HTTPException:
            log.warning("could not tell the user about an error", exc_info=True)
