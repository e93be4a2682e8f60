"""What an answer is, independent of where it is shown (Discord embed, CLI text, JSON).

Items are plain dicts in the stable JSON shape documented in the README, so
``ask --json``, ``export`` and the Discord cards all read the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.errors import ECHO, UserError
from bot.lang import Lang

Item = dict[str, Any]

__all__ = ["ECHO", "KINDS", "Answer", "CommandError", "Item"]

KINDS = ("quote", "fact", "facts", "candidates", "topics", "about", "context", "settings", "error")


# The base of user errors, under the name the core has used for them (bot/errors.py).
CommandError = UserError


def _plain(text: str) -> str:
    return text


@dataclass(slots=True)
class Answer:
    command: str
    lang: Lang
    kind: str
    items: list[Item] = field(default_factory=list)
    message: str = ""
    private: bool = False  # shown only to the one who asked
    extra: dict[str, Any] = field(default_factory=dict)
    echo: str = ""  # what the user typed, where ECHO stands in the message

    def text(self, escape: Callable[[str], str] = _plain) -> str:
        """The message with the user's words put back, escaped by the renderer."""
        return self.message.replace(ECHO, escape(self.echo))

    def to_json(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "lang": self.lang.value,
            "kind": self.kind,
            "message": self.text(),
            "items": self.items,
            **self.extra,
        }
