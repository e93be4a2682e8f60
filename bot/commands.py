"""The slash commands as data, and the one dispatcher both Discord and ``ask`` go through."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer import Answer
from bot.errors import MissingOption, TooLong, UserError
from bot.i18n import error_message
from bot.knowledge import Knowledge, QuoteQuery
from bot.lang import Lang, decide
from bot.user_input import clean_options

# Options of each command, first option first (text with no `name:` fills it).
COMMAND_OPTIONS: dict[str, tuple[str, ...]] = {
    "quote": ("about", "topic", "lang", "id"),
    "fact": ("query", "lang"),
    "topics": ("lang",),
    "about": ("lang",),
}
REQUIRED: dict[str, tuple[str, ...]] = {"fact": ("query",)}
# The longest value each option takes (Discord enforces the same limits in its picker).
OPTION_LIMITS: dict[str, int] = {"about": 200, "topic": 100, "lang": 20, "id": 100, "query": 200}
_OPTION_RE = re.compile(r"^([a-z_]+):(.*)$", re.DOTALL)


class UsageError(ValueError):
    """An unknown command or option: the caller's words are off (exit 2 on the command line)."""


@dataclass(frozen=True, slots=True)
class CommandLine:
    command: str
    options: dict[str, str]


def parse_command_line(line: str) -> CommandLine:
    """``/fact anthropic revenue 2024 lang:zh`` → fact {query: "anthropic revenue 2024", lang: "zh"}."""
    words = line.strip().split()
    if not words or not words[0].startswith("/"):
        raise UsageError(f"A command starts with '/': one of {_command_list()}.")
    command = words[0][1:].lower()
    if command not in COMMAND_OPTIONS:
        raise UsageError(f"Unknown command /{command}; commands: {_command_list()}.")
    allowed = COMMAND_OPTIONS[command]
    options: dict[str, list[str]] = {}
    current: str | None = None
    for word in words[1:]:
        found = _OPTION_RE.match(word)
        if found and found.group(1) in allowed:
            current = found.group(1)
            if current in options:
                raise UsageError(f"Option {current}: is given twice.")
            options[current] = [found.group(2)] if found.group(2) else []
            continue
        if found and word.isascii() and not found.group(2).startswith("//"):
            raise UsageError(
                f"/{command} has no option {found.group(1)!r}; options: "
                + ", ".join(f"{o}:" for o in allowed)
            )
        if current is None:
            current = allowed[0]
            if current in options:
                raise UsageError(f"Option {current}: is given twice.")
            options[current] = []
        options[current].append(word)
    return CommandLine(command, {k: " ".join(v) for k, v in options.items()})


def _command_list() -> str:
    return ", ".join(f"/{c}" for c in COMMAND_OPTIONS)


async def dispatch(
    knowledge: Knowledge,
    command: str,
    options: dict[str, str],
    *,
    user_locale: str | None = None,
    server_setting: str | None = None,
    server_locale: str | None = None,
) -> Answer:
    """Answer one command. Bad input becomes an ``error`` answer; nothing is changed."""
    lang = decide(None, server_setting, user_locale, server_locale)
    try:
        options = clean_options(options)  # the one edge for typed text, Discord and ask alike
        for name, value in options.items():
            limit = OPTION_LIMITS.get(name, 200)
            if len(value) > limit:
                raise TooLong(name, limit)
        explicit = options.get("lang")
        if explicit:
            lang = decide(explicit)
        for name in REQUIRED.get(command, ()):
            if not options.get(name, "").strip():
                raise MissingOption(command, name)
        if command == "quote":
            query = QuoteQuery(
                about=options.get("about"), topic=options.get("topic"), quote_id=options.get("id")
            )
            return await knowledge.quote(query, lang)
        if command == "fact":
            return knowledge.fact(options["query"], lang)
        if command == "topics":
            return knowledge.topics_answer(lang)
        if command == "about":
            return knowledge.about_answer(lang)
        raise UsageError(f"Unknown command /{command}.")
    except UserError as exc:
        return error_answer(command, lang, exc)


def error_answer(command: str, lang: Lang, error: UserError) -> Answer:
    """A user error as an answer in the reader's language: the one way errors are shown."""
    return Answer(
        command,
        lang,
        "error",
        [],
        error_message(error, lang),
        private=True,
        extra={"suggestions": error.suggestions(lang)},
        echo=error.echo,
    )
