"""Shared option metadata for the slash commands (localised by the translator)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str as _

from bot.discordbot.replies import client_of

LANG_CHOICES = [
    app_commands.Choice(name=_("English"), value="en"),
    app_commands.Choice(name=_("Simplified Chinese"), value="zh-Hans"),
    app_commands.Choice(name=_("Traditional Chinese"), value="zh-Hant"),
]


everywhere_installs = app_commands.allowed_installs(guilds=True, users=True)
everywhere_contexts = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)


def check_cooldown(interaction: discord.Interaction) -> bool:
    """Per member: enough for a conversation, not enough to flood a channel (buttons included)."""
    cooldowns = client_of(interaction).cooldowns
    retry_after = cooldowns.retry_after(interaction.user.id)
    if retry_after > 0:
        raise app_commands.CommandOnCooldown(
            app_commands.Cooldown(cooldowns.rate, cooldowns.per), retry_after
        )
    return True


per_user_cooldown = app_commands.check(check_cooldown)
