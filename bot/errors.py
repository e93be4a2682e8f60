"""What a user can get wrong, as a typed family: a message key and its parameters.

Raised where the problem is found (the core, a cog, a button) and rendered once, in the
reader's language, by ``bot.i18n.error_message``: the tree's error handler and ``ask``
both go through it, so each message is written once, in every language. Nothing here
knows a language; a parameter that must itself be said in the reader's language is a
``Localized`` (a function of the language), and suggestions may be one too.

The text the user typed is never put into a message directly: the parameter holds
``ECHO`` and the error keeps the text in ``echo``, so each renderer escapes it its own way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from bot.lang import Lang

# Stands in a message for text the user typed, so each renderer can escape it its own way.
ECHO = "\x00echo\x00"

Item = dict[str, Any]
Localized = Callable[["Lang"], str]
Suggestions = Sequence[Item] | Callable[["Lang"], Sequence[Item]]


class UserError(Exception):
    """Bad input or a refused action: answered privately with a clear message; nothing changed."""

    KEY: ClassVar[str] = "error.generic"

    def __init__(
        self, *, key: str | None = None, echo: str = "", suggestions: Suggestions = (), **params: object
    ) -> None:
        self.key = key or self.KEY
        super().__init__(f"{self.key} {params}")
        self.params = params
        self.echo = echo
        self._suggestions = suggestions

    def suggestions(self, lang: Lang) -> list[Item]:
        found = self._suggestions(lang) if callable(self._suggestions) else self._suggestions
        return list(found)


class UnknownTopic(UserError):
    KEY = "error.unknown_topic"

    def __init__(self, typed: str, suggestions: Suggestions = ()) -> None:
        super().__init__(topic=ECHO, echo=typed, suggestions=suggestions)
        self.typed = typed


class EmptyTopic(UserError):
    KEY = "error.empty_topic"

    def __init__(self, topic: Localized) -> None:
        super().__init__(topic=topic)


class NoQuoteId(UserError):
    KEY = "error.no_quote_id"

    def __init__(self, typed: str) -> None:
        super().__init__(id=ECHO, echo=typed)


class NoQuote(UserError):
    KEY = "error.no_quote"

    def __init__(self, typed: str, suggestions: Suggestions = ()) -> None:
        super().__init__(query=ECHO, echo=typed, suggestions=suggestions)


class NoFact(UserError):
    KEY = "error.no_fact"

    def __init__(self, typed: str, suggestions: Suggestions = ()) -> None:
        super().__init__(query=ECHO, echo=typed, suggestions=suggestions)


class BadLanguage(UserError):
    KEY = "error.bad_lang"

    def __init__(self, typed: str) -> None:
        super().__init__(value=ECHO, echo=typed)
        self.value = typed


class TooLong(UserError):
    KEY = "error.too_long"

    def __init__(self, option: str, limit: int) -> None:
        super().__init__(option=option, limit=limit)


class MissingOption(UserError):
    KEY = "error.missing_option"

    def __init__(self, command: str, option: str) -> None:
        super().__init__(command=command, option=option)


class BadTime(UserError):
    """A daily time that is not a 24-hour HH:MM; ``problem`` says which part is off."""

    KEY = "error.bad_time.format"
    PROBLEMS: ClassVar[tuple[str, ...]] = ("format", "hour", "minute", "midnight")

    def __init__(self, typed: str, problem: str = "format") -> None:
        assert problem in self.PROBLEMS, problem
        super().__init__(key=f"error.bad_time.{problem}", time=ECHO, echo=typed)
        self.problem = problem


class UnknownZone(UserError):
    KEY = "error.unknown_zone"

    def __init__(self, typed: str, suggestions: Sequence[str] = ()) -> None:
        zones = tuple(suggestions)
        key = "error.unknown_zone_hint" if zones else self.KEY
        super().__init__(key=key, zone=ECHO, echo=typed, zones=", ".join(zones))
        self.typed = typed
        self.zones = zones


class MissingPermission(UserError):
    """The member lacks a permission (names are Discord's attribute names, e.g. ``manage_guild``)."""

    KEY = "error.permission"

    def __init__(self, permissions: Sequence[str]) -> None:
        super().__init__(perms=tuple(permissions))
        self.permissions = tuple(permissions)


class BotMissingPermission(UserError):
    """The bot cannot post where it was asked to (a channel mention, Discord's permission names)."""

    KEY = "error.bot_permission"

    def __init__(self, channel: str, permissions: Sequence[str]) -> None:
        super().__init__(channel=channel, perms=tuple(permissions))
        self.permissions = tuple(permissions)


class NotTextChannel(UserError):
    KEY = "error.not_text_channel"

    def __init__(self, channel: str) -> None:
        super().__init__(channel=channel)


class Cooldown(UserError):
    KEY = "error.cooldown"

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds=seconds)
        self.seconds = seconds


class GuildOnly(UserError):
    KEY = "error.guild_only"


class Expired(UserError):
    """A button or menu whose card's item no longer exists (data re-imported without it)."""

    KEY = "error.expired"


class NoSchedule(UserError):
    KEY = "daily.none"


class NoEligibleQuotes(UserError):
    KEY = "daily.no_quotes"


class BadOptionValue(UserError):
    """A value Discord could not turn into what the option expects (e.g. a channel of another kind)."""

    KEY = "error.bad_value"
