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


def _cooldown(interaction: discord.Interaction) -> app_commands.Cooldown:
    rate, per = client_of(interaction).settings.cooldown
    return app_commands.Cooldown(rate, per)


# Per member (the key): enough for a conversation, not enough to flood a channel.
per_user_cooldown = app_commands.checks.dynamic_cooldown(_cooldown, key=lambda i: i.user.id)
