"""Text a user typed, made safe once at the edge, before any of it is searched, converted or shown.

Two edges take text from outside: the dispatcher shared by the bot and ``ask``
(:func:`clean_options`), and the command line's arguments (:func:`argv_problem`).

* A lone surrogate (``\\ud800``) is not a character: OpenCC, SQLite and every output
  encoder refuse it. It reaches us from Discord's JSON (``"\\ud800"`` is valid JSON) and
  from a command line that is not valid UTF-8 (Python keeps each bad byte as a surrogate).
  Such text is refused with a clear message naming the option; nothing is guessed.
* Control characters (other than tab and newline) mean nothing in a query and can hide
  text from the reader: each becomes a space.

Autocomplete cannot answer with an error, so :func:`clean_typed` replaces instead of
refusing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.errors import UserError

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"


class InvalidText(UserError):
    """An option holds characters that are not valid Unicode text."""

    KEY = "error.invalid_text"

    def __init__(self, option: str) -> None:
        super().__init__(option=option)
        self.option = option


def has_surrogates(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def clean_text(text: str, option: str) -> str:
    """``text`` with control characters as spaces; raises :class:`InvalidText` for surrogates."""
    if has_surrogates(text):
        raise InvalidText(option)
    return _CONTROL.sub(" ", text)


def clean_options(options: Mapping[str, str]) -> dict[str, str]:
    """Every option cleaned by :func:`clean_text`; the first bad one is refused."""
    return {name: clean_text(value, name) for name, value in options.items()}


def clean_typed(text: str) -> str:
    """What autocomplete was given, never refused: surrogates become U+FFFD, controls spaces."""
    return _CONTROL.sub(" ", _SURROGATE.sub(REPLACEMENT, text))


def argv_problem(argv: Sequence[str]) -> str | None:
    """Why the command line cannot be read, or None: an argument that was not valid UTF-8
    (Python decodes each bad byte to a surrogate) is named with its bytes."""
    for arg in argv:
        if not has_surrogates(arg):
            continue
        try:  # the bytes as typed: b"caf\xe9" shows as 'caf\\xe9'
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "backslashreplace").decode("utf-8")
        return (
            f"the argument '{shown}' is not valid UTF-8 text; "
            "retype it, or set your terminal to UTF-8 (e.g. LANG=C.UTF-8)"
        )
    return None


__all__ = ["InvalidText", "argv_problem", "clean_options", "clean_text", "clean_typed", "has_surrogates"]
