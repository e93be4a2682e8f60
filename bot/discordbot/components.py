"""Buttons and menus whose state lives in their ``custom_id``, so they work after a restart and on any shard.

custom_id formats (≤ 100 characters, namespaced ``exp:``):
- ``exp:lang:<ref>:<en|zh>``: switch the card of quote/passage ``ref`` to English or Chinese, in place.
- ``exp:ctx:<ref>``: the surrounding passage, only to the one who clicked.
- ``exp:more:<lang>:<topic or ->:<exclude ref>:<about…>``: another quote with the same filter.
- ``exp:fact:<lang>``: a menu of fact ids (candidates); picking one shows its card in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import discord

from bot.answer import Answer, CommandError
from bot.commands import error_answer
from bot.discordbot.replies import client_of, reader_lang, send
from bot.fact_text import cut, named
from bot.i18n import t
from bot.knowledge import QuoteQuery
from bot.lang import Lang, from_locale

CUSTOM_ID_MAX = 100
_REF = r"[a-z0-9-]{1,60}"


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    """What "Another" repeats: the topic and the `about` text of the original request."""

    topic: str | None = None
    about: str | None = None


def _more_id(lang: Lang, flt: QuoteFilter, exclude: str) -> str:
    head = f"exp:more:{lang.value}:{flt.topic or '-'}:{exclude}:"
    about = (flt.about or "").replace("\n", " ")
    return head + about[: max(0, CUSTOM_ID_MAX - len(head))]


class AnotherButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"exp:more:(?P<lang>en|zh-Hans|zh-Hant):(?P<topic>{_REF}|-):(?P<exclude>{_REF}):(?P<about>.*)",
):
    def __init__(self, lang: Lang, flt: QuoteFilter, exclude: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=t("another", lang),
                style=discord.ButtonStyle.primary,
                custom_id=_more_id(lang, flt, exclude),
                emoji="🔁",
            )
        )
        self.lang, self.filter, self.exclude = lang, flt, exclude

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AnotherButton:
        topic = None if match["topic"] == "-" else match["topic"]
        return cls(Lang(match["lang"]), QuoteFilter(topic, match["about"] or None), match["exclude"])

    async def callback(self, interaction: discord.Interaction) -> None:
        query = QuoteQuery(about=self.filter.about, topic=self.filter.topic, exclude=self.exclude)
        answer = await _quote_or_error(interaction, query, self.lang)
        await send(interaction, answer, quote_view(answer, self.filter) if answer.kind != "error" else None)


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
        if self.to == "en":
            lang = Lang.EN
        else:
            # Traditional for a reader whose Discord is in Traditional Chinese, else Simplified.
            clicked = from_locale(interaction.locale.value)
            lang = Lang.ZH_HANT if clicked is Lang.ZH_HANT else Lang.ZH_HANS
        answer = await _quote_or_error(interaction, QuoteQuery(quote_id=self.ref), lang)
        flt = filter_from_message(interaction.message)
        view = quote_view(answer, flt) if answer.kind != "error" else None
        await send(interaction, answer, view, edit=answer.kind != "error")


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
        lang = await reader_lang(interaction)
        try:
            answer = await client_of(interaction).knowledge.context(self.ref, lang)
        except Exception:
            answer = error_answer("context", lang, t("error.expired", lang))
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
        values = self.item.values
        knowledge = client_of(interaction).knowledge
        fact = knowledge.fact_by_id(str(values[0])) if values else None
        if fact is None:
            await send(interaction, error_answer("fact", self.lang, t("error.expired", self.lang)))
            return
        answer = Answer("fact", self.lang, "fact", [knowledge.fact_item(fact, self.lang)])
        await send(interaction, answer, None, edit=True)


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


def quote_view(answer: Answer, flt: QuoteFilter) -> discord.ui.View:
    item = answer.items[0]
    lang = answer.lang
    view = discord.ui.View(timeout=None)
    view.add_item(AnotherButton(lang, flt, item["id"]))
    view.add_item(LanguageButton(item["id"], "zh" if lang is Lang.EN else "en"))
    view.add_item(ContextButton(item["id"], lang))
    return view


def filter_from_message(message: discord.Message | None) -> QuoteFilter:
    """Recover the Another button's filter from a card, so switching language keeps it."""
    if message is None:
        return QuoteFilter()
    for row in message.components:
        for component in getattr(row, "children", [row]):
            custom_id = getattr(component, "custom_id", None) or ""
            found = re.fullmatch(AnotherButton.__discord_ui_compiled_template__, custom_id)
            if found:
                topic = None if found["topic"] == "-" else found["topic"]
                return QuoteFilter(topic, found["about"] or None)
    return QuoteFilter()


async def _quote_or_error(interaction: discord.Interaction, query: QuoteQuery, lang: Lang) -> Answer:
    try:
        return await client_of(interaction).knowledge.quote(query, lang)
    except CommandError as exc:
        return error_answer("quote", lang, exc.message, exc.suggestions, echo=exc.echo)


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    AnotherButton,
    LanguageButton,
    ContextButton,
    FactMenu,
)
