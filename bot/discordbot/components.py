"""Buttons and menus whose state lives in their ``custom_id``, so they work after a restart and on any shard.

custom_id formats (≤ 100 characters, namespaced ``exp:``):
- ``exp:lang:<ref>:<en|zh>``: switch the card of quote/passage ``ref`` to English or Chinese.
- ``exp:ctx:<ref>``: the surrounding passage, only to the one who clicked.
- ``exp:more:<lang>:<topic or ->:<first ref>:<seed>.<step>:<about…>``: the next card of a
  shuffled walk over the same filter (``bot.walk``); buttons made before the walk existed
  (no ``<seed>.<step>:``) start a walk of their own.
- ``exp:fact:<lang>``: a menu of fact ids (candidates); picking one shows its card.

Whose card is it: the member whose command (or click) made the message changes it in
place; anyone else gets their own copy, only to them, in their language. Every error
goes through the tree's one error reporter, in the clicker's language.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.answer import Answer
from bot.discordbot.replies import client_of, reader_lang, send
from bot.discordbot.tree import report_error
from bot.errors import Cooldown, Expired
from bot.fact_text import cut, named
from bot.i18n import t
from bot.knowledge import QuoteQuery
from bot.lang import Lang, from_locale
from bot.walk import SEED_MAX, Walk, another

CUSTOM_ID_MAX = 100
_REF = r"[a-z0-9-]{1,60}"
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = _BASE36[rest] + digits
        if not number:
            return digits


def _more_id(lang: Lang, walk: Walk) -> str:
    head = f"exp:more:{lang.value}:{walk.topic or '-'}:{walk.first}:{_base36(walk.seed)}.{walk.step}:"
    about = (walk.about or "").replace("\n", " ")
    return head + about[: max(0, CUSTOM_ID_MAX - len(head))]


def _is_private(interaction: discord.Interaction) -> bool:
    return interaction.message is not None and interaction.message.flags.ephemeral


def is_owner(interaction: discord.Interaction) -> bool:
    """Whether the clicker is the member whose command or click made this card."""
    message = interaction.message
    metadata = message.interaction_metadata if message is not None else None
    return metadata is not None and metadata.user.id == interaction.user.id


async def _guarded(interaction: discord.Interaction, work: Callable[[], Awaitable[None]]) -> None:
    """discord.py only logs a failing item callback; route it to the tree's reporter instead."""
    try:
        await work()
    except Exception as exc:
        await report_error(interaction, exc)


class AnotherButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=(
        rf"exp:more:(?P<lang>en|zh-Hans|zh-Hant):(?P<topic>{_REF}|-):(?P<first>{_REF}):"
        r"(?:(?P<seed>[0-9a-z]{1,6})\.(?P<step>[0-9]{1,5}):)?(?P<about>.*)"
    ),
):
    def __init__(self, lang: Lang, walk: Walk) -> None:
        super().__init__(
            discord.ui.Button(
                label=t("another", lang),
                style=discord.ButtonStyle.primary,
                custom_id=_more_id(lang, walk),
                emoji="🔁",
            )
        )
        self.lang, self.walk = lang, walk

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AnotherButton:
        return cls(Lang(match["lang"]), walk_from_match(match))

    async def callback(self, interaction: discord.Interaction) -> None:
        await _guarded(interaction, lambda: self._another(interaction))

    async def _another(self, interaction: discord.Interaction) -> None:
        client = client_of(interaction)
        retry_after = client.cooldowns.retry_after(interaction.user.id)
        if retry_after > 0:
            raise Cooldown(math.ceil(retry_after))
        owner = is_owner(interaction)
        lang = self.lang if owner else await reader_lang(interaction)
        answer = await another(client.knowledge, self.walk, lang)
        answer.private = not owner or _is_private(interaction)  # a private card's next stays private
        await send(interaction, answer, quote_view(answer, self.walk.advanced()))


class LanguageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"exp:lang:(?P<ref>{_REF}):(?P<to>en|zh)",
):
    def __init__(self, ref: str, to: str) -> None:
        label = t("switch_to_en", Lang.EN) if to == "en" else t("switch_to_zh", Lang.ZH_HANS)
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"exp:lang:{ref}:{to}",
                emoji="🌐",
            )
        )
        self.ref, self.to = ref, to

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> LanguageButton:
        return cls(match["ref"], match["to"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await _guarded(interaction, lambda: self._switch(interaction))

    async def _switch(self, interaction: discord.Interaction) -> None:
        if self.to == "en":
            lang = Lang.EN
        else:
            # Traditional for a reader whose Discord is in Traditional Chinese, else Simplified.
            clicked = from_locale(interaction.locale.value)
            lang = Lang.ZH_HANT if clicked is Lang.ZH_HANT else Lang.ZH_HANS
        answer = await client_of(interaction).knowledge.quote(QuoteQuery(quote_id=self.ref), lang)
        walk = walk_from_message(interaction.message) or Walk.start(None, None, self.ref)
        if is_owner(interaction):
            await send(interaction, answer, quote_view(answer, walk), edit=True)
        else:
            answer.private = True
            await send(interaction, answer, quote_view(answer, walk))


class ContextButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"exp:ctx:(?P<ref>{_REF})",
):
    def __init__(self, ref: str, lang: Lang) -> None:
        super().__init__(
            discord.ui.Button(
                label=t("context", lang),
                style=discord.ButtonStyle.secondary,
                custom_id=f"exp:ctx:{ref}",
                emoji="📜",
            )
        )
        self.ref = ref

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ContextButton:
        return cls(match["ref"], Lang.EN)

    async def callback(self, interaction: discord.Interaction) -> None:
        await _guarded(interaction, lambda: self._context(interaction))

    async def _context(self, interaction: discord.Interaction) -> None:
        lang = await reader_lang(interaction)
        answer = await client_of(interaction).knowledge.context(self.ref, lang, radius=2)
        await send(interaction, answer)


class FactMenu(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=r"exp:fact:(?P<lang>en|zh-Hans|zh-Hant)",
):
    def __init__(self, lang: Lang, options: list[discord.SelectOption] | None = None) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"exp:fact:{lang.value}",
                options=options or [discord.SelectOption(label="-")],
                min_values=1,
                max_values=1,
            )
        )
        self.lang = lang

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> FactMenu:
        options = item.options if isinstance(item, discord.ui.Select) else None
        return cls(Lang(match["lang"]), options)

    async def callback(self, interaction: discord.Interaction) -> None:
        await _guarded(interaction, lambda: self._pick(interaction))

    async def _pick(self, interaction: discord.Interaction) -> None:
        values = self.item.values
        knowledge = client_of(interaction).knowledge
        fact = knowledge.fact_by_id(str(values[0])) if values else None
        if fact is None:
            raise Expired()
        owner = is_owner(interaction)
        lang = self.lang if owner else await reader_lang(interaction)
        answer = Answer("fact", lang, "fact", [knowledge.fact_item(fact, lang)])
        answer.private = not owner
        await send(interaction, answer, None, edit=owner)


def fact_menu_view(answer: Answer) -> discord.ui.View:
    options = [
        discord.SelectOption(
            label=cut(named(item, answer.lang), 100),
            description=cut(item["value"], 100),
            value=item["id"],
        )
        for item in answer.items[:25]
    ]
    view = discord.ui.View(timeout=None)
    view.add_item(FactMenu(answer.lang, options))
    return view


def quote_view(answer: Answer, walk: Walk) -> discord.ui.View:
    item = answer.items[0]
    lang = answer.lang
    view = discord.ui.View(timeout=None)
    view.add_item(AnotherButton(lang, walk))
    view.add_item(LanguageButton(item["id"], "zh" if lang is Lang.EN else "en"))
    view.add_item(ContextButton(item["id"], lang))
    return view


def first_view(answer: Answer, topic: str | None, about: str | None) -> discord.ui.View:
    """The buttons of a card a command (or the daily post) just showed: a new walk starts at it."""
    return quote_view(answer, Walk.start(topic, about, answer.items[0]["id"]))


def walk_from_match(match: re.Match[str]) -> Walk:
    topic = None if match["topic"] == "-" else match["topic"]
    about = match["about"] or None
    if match["seed"] is None:  # a button made before walks: start one from its card
        return Walk(topic, about, match["first"], random.Random(match["first"]).randint(0, SEED_MAX))
    return Walk(topic, about, match["first"], int(match["seed"], 36), int(match["step"]))


def walk_from_message(message: discord.Message | None) -> Walk | None:
    """The Another button's walk on a card, so switching language keeps it."""
    if message is None:
        return None
    for row in message.components:
        for component in getattr(row, "children", [row]):
            custom_id = getattr(component, "custom_id", None) or ""
            found = re.fullmatch(AnotherButton.__discord_ui_compiled_template__, custom_id)
            if found:
                return walk_from_match(found)
    return None


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    AnotherButton,
    LanguageButton,
    ContextButton,
    FactMenu,
)
