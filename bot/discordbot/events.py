"""One log line and one metric per interaction: what was asked, where, and how it ended.

``on_interaction`` stamps each interaction when it arrives; :func:`record_answer` is called
where the answer is sent (``replies.send``), with the outcome the error handler set, if any.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import discord

from bot.telemetry import Telemetry

log = logging.getLogger(__name__)

RECEIVED = "exponent.received"
OUTCOME = "exponent.outcome"


def command_label(interaction: discord.Interaction) -> str:
    """A bounded label: the command's name, or the button's kind (``exp:more`` → ``button:more``)."""
    if interaction.command is not None:
        return interaction.command.qualified_name
    if interaction.type == discord.InteractionType.component:
        custom_id = str(_data(interaction).get("custom_id", ""))
        parts = custom_id.split(":")
        return f"button:{parts[1]}" if len(parts) > 1 and parts[0] == "exp" else "component"
    return str(_data(interaction).get("name") or interaction.type.name)


def _data(interaction: discord.Interaction) -> dict[str, Any]:
    return dict(interaction.data or {})


def _telemetry(interaction: discord.Interaction) -> Telemetry | None:
    telemetry = getattr(interaction.client, "telemetry", None)
    return telemetry if isinstance(telemetry, Telemetry) else None


def interaction_received(interaction: discord.Interaction) -> None:
    interaction.extras[RECEIVED] = time.monotonic()
    if interaction.type == discord.InteractionType.autocomplete:
        # Answered by discord.py from the callback's choices; counted, not timed, not logged at INFO.
        command = command_label(interaction)
        telemetry = _telemetry(interaction)
        if telemetry is not None:
            telemetry.interaction(command, "autocomplete", None)
        log.debug("autocomplete %s", command, extra={"command": command, "guild": interaction.guild_id})


def mark_outcome(interaction: discord.Interaction, outcome: str) -> None:
    """Set by the error handler before it replies: ``cooldown``, ``denied``, ``failed``…"""
    interaction.extras[OUTCOME] = outcome


def record_answer(interaction: discord.Interaction, default_outcome: str) -> None:
    outcome = str(interaction.extras.get(OUTCOME, default_outcome))
    received = interaction.extras.get(RECEIVED)
    seconds = time.monotonic() - received if isinstance(received, float) else None
    command = command_label(interaction)
    telemetry = _telemetry(interaction)
    if telemetry is not None:
        telemetry.interaction(command, outcome, seconds)
    log.info(
        "answered",
        extra={
            "command": command,
            "guild": interaction.guild_id,
            "outcome": outcome,
            "ms": None if seconds is None else round(seconds * 1000, 1),
        },
    )
