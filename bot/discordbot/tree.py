"""The command tree owns every error: a short private reply in the reader's language, and a log line.

User errors (``bot.errors``) are raised where they happen (the core, a cog, a check) and
rendered here once; anything unexpected is logged with the command and its options, and
the reader gets a short apology in their language.
"""

from __future__ import annotations

import logging
import math

import discord
from discord import app_commands

from bot.discordbot.events import mark_outcome
from bot.discordbot.replies import reader_lang, send_error
from bot.errors import BadOptionValue, Cooldown, GuildOnly, MissingPermission, UserError
from bot.lang import Lang, decide

log = logging.getLogger(__name__)


# How an error reply is counted in metrics and logs (bot.discordbot.events); others: error_reply.
_OUTCOMES: dict[type[UserError], str] = {
    Cooldown: "cooldown",
    MissingPermission: "denied",
    GuildOnly: "denied",
}


def user_error_of(error: BaseException) -> UserError | None:
    """The user error behind an app-command error, or None when it is unexpected."""
    original = getattr(error, "original", error)
    if isinstance(original, UserError):
        return original
    if isinstance(error, app_commands.CommandOnCooldown):
        return Cooldown(math.ceil(error.retry_after))
    if isinstance(error, app_commands.MissingPermissions):
        return MissingPermission(error.missing_permissions)
    if isinstance(error, app_commands.NoPrivateMessage):
        return GuildOnly()
    if isinstance(error, app_commands.TransformerError):
        return BadOptionValue()
    return None


async def lang_for_error(interaction: discord.Interaction) -> Lang:
    """The reader's language, even when deciding it is what failed (a bad ``lang`` value)."""
    try:
        return await reader_lang(interaction)
    except UserError:
        return decide(None, None, interaction.locale.value)
    except Exception:
        log.warning("could not decide the reader's language for an error reply", exc_info=True)
        return decide(None, None, interaction.locale.value)


def describe(interaction: discord.Interaction) -> str:
    """The command (or component) and its options, for a log line."""
    if interaction.command is not None:
        options = dict(interaction.namespace.__dict__)
        return f"/{interaction.command.qualified_name} {options}"
    data: dict[str, object] = dict(interaction.data or {})
    return f"component {data.get('custom_id')!r} values {data.get('values')}"


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the one who asked, privately and in their language; log what we did not expect."""
    lang = await lang_for_error(interaction)
    user_error = user_error_of(error)
    mark_outcome(interaction, _OUTCOMES.get(type(user_error), "error_reply") if user_error else "failed")
    if user_error is None:
        log.error(
            "%s failed (guild %s, user %s)",
            describe(interaction),
            interaction.guild_id,
            interaction.user.id,
            exc_info=getattr(error, "original", error),
        )
        user_error = UserError()
    try:
        await send_error(interaction, lang, user_error)
    except discord.HTTPException:
        log.warning("could not tell the user about an error", exc_info=True)


class ExponentTree(app_commands.CommandTree[discord.Client]):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report_error(interaction, error)
