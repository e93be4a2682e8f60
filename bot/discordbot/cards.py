"""Answers as Discord embeds: one card builder per kind of answer, within Discord's limits.

Limits (Discord's): title 256, description 4096, field value 1024, footer 2048,
25 fields, 6000 characters in all. Long text is never cut silently: it ends
with an explicit ellipsis and a note pointing at the Context button.
"""

from __future__ import annotations

from collections.abc import Callable

import discord

from bot.answer import Answer, Item
from bot.fact_text import label_value, named
from bot.i18n import t
from bot.lang import Lang

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_MAX = 1024
FOOTER_MAX = 2048
FIELDS_MAX = 25
TOTAL_MAX = 6000
ELLIPSIS = "…"

QUOTE_COLOUR = discord.Colour(0x5865F2)
FACT_COLOUR = discord.Colour(0x2ECC71)
ERROR_COLOUR = discord.Colour(0xE67E22)


def clip(text: str, limit: int) -> tuple[str, bool]:
    """Text within ``limit`` characters, ending in an ellipsis when shortened."""
    if len(text) <= limit:
        return text, False
    if limit <= 1:
        return ELLIPSIS[:limit], True
    return text[: limit - 1].rstrip() + ELLIPSIS, True


def escape(text: str) -> str:
    """User text echoed back: no markdown, no pings."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def message_of(answer: Answer) -> str:
    """The answer's message with the user's own words quoted and escaped."""
    return answer.text(lambda echo: f"“{escape(clip(echo, 200)[0])}”")


def _source_value(item: Item, lang: Lang) -> str:
    src = item.get("source") or {}
    title = src.get("title", "")
    line = f"[{title}]({src['url']})" if src.get("url") else title
    if src.get("date"):
        line += f" · {src['date']}"
    if src.get("section"):
        line += f"\n{src['section']}"
        if src.get("turn"):
            line += f" ({t('turn', lang, turn=src['turn'], paragraph=src['paragraph'])})"
    return clip(line, FIELD_MAX)[0]


def quote_card(item: Item, lang: Lang, *, note: str = "") -> discord.Embed:
    open_, close = ("“", "”") if lang is Lang.EN else ("「", "」")
    body, cut = clip(f"{open_}{item['text']}{close}", DESCRIPTION_MAX - 200)
    if cut:
        body += f"\n\n*{t('ellipsis_note', lang)}*"
    if note:
        body = f"*{note}*\n\n{body}"
    embed = discord.Embed(description=body, colour=QUOTE_COLOUR)
    embed.set_author(name=clip(f"— {item['speaker']}", TITLE_MAX)[0])
    embed.add_field(name=t("source", lang), value=_source_value(item, lang), inline=False)
    id_key = "passage_id" if item["type"] == "passage" else "quote_id"
    footer = t(id_key, lang, id=item["id"])
    if item.get("topics"):
        footer += " · " + ", ".join(tp["name"] for tp in item["topics"])
    if item.get("converted"):
        footer += "\n" + t("converted", lang)
    match = item.get("match")
    if match:
        footer += "\n" + t("matched", lang, terms=", ".join(match["terms"]))
        if match["corrected"]:
            fixes = ", ".join(f"{a} → {b}" for a, b in match["corrected"].items())
            footer += " · " + t("corrected", lang, fixes=fixes)
    embed.set_footer(text=clip(footer, FOOTER_MAX)[0])
    return embed


def fact_card(item: Item, lang: Lang) -> discord.Embed:
    description = f"## {item['value']}"
    if item.get("period"):
        description += f"\n{t('period', lang)}: {item['period']}"
    description += f"\n{t('standing', lang)}: {item['standing_text']}"
    embed = discord.Embed(
        title=clip(item["label"], TITLE_MAX)[0], description=description, colour=FACT_COLOUR
    )
    embed.add_field(name=t("evidence", lang), value=clip(f"> {item['text']}", FIELD_MAX)[0], inline=False)
    embed.add_field(name=t("source", lang), value=_source_value(item, lang), inline=False)
    embed.set_footer(text=t("fact_id", lang, id=item["id"]))
    return embed


def facts_card(answer: Answer) -> discord.Embed:
    """A group of facts as a timeline: one field per figure, its evidence beneath.

    What every figure shares (its standing, its source) is said once, not in each
    field. The space is shared evenly, so every figure shows; evidence that does not
    fit is shortened with an ellipsis, and the fact id under it opens the full card.
    """
    lang = answer.lang
    embed = discord.Embed(title=clip(message_of(answer), TITLE_MAX)[0], colour=FACT_COLOUR)
    items = answer.items[:FIELDS_MAX]
    standings = {item["standing_text"] for item in items}
    shared = standings.pop() if len(standings) == 1 and len(items) > 1 else None
    if shared:
        embed.description = f"{t('standing', lang)}: {shared}"
    source = answer.items[0]["source"].get("title", "") if answer.items else ""
    footer = clip(source, 300)[0]
    if len(answer.items) > FIELDS_MAX:
        footer += f" · +{len(answer.items) - FIELDS_MAX}"
    budget = TOTAL_MAX - len(embed.title or "") - len(embed.description or "") - len(footer) - 50
    for index, item in enumerate(items):
        head = f"{item['period']} · " if item.get("period") else ""
        name = clip(head + label_value(item["label"], item["value"], lang), 200)[0]
        standing = "" if shared else f"{item['standing_text']}\n"
        share = min(FIELD_MAX, (budget // (len(items) - index)) - len(name))
        frame = f"{standing}> \n`{item['id']}`"
        evidence = clip(item["text"], max(1, share - len(frame)))[0]
        value = clip(f"{standing}> {evidence}\n`{item['id']}`", FIELD_MAX)[0]
        budget -= len(name) + len(value)
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text=footer)
    return embed


def list_card(answer: Answer, render_line: Callable[[Item, Lang], str]) -> discord.Embed:
    lines = [render_line(item, answer.lang) for item in answer.items]
    body = clip("\n".join(lines), DESCRIPTION_MAX)[0]
    return discord.Embed(title=clip(message_of(answer), TITLE_MAX)[0], description=body, colour=FACT_COLOUR)


def candidate_line(item: Item, lang: Lang) -> str:
    return f"• {label_value(f'**{named(item, lang)}**', item['value'], lang)} — `{item['id']}`"


def topic_line(item: Item, lang: Lang) -> str:
    return f"• {t('topics_line', lang, name=item['name'], count=item['count'])} — `{item['id']}`"


def about_card(answer: Answer) -> discord.Embed:
    embed = discord.Embed(
        title=t("about_title", answer.lang), description=message_of(answer), colour=QUOTE_COLOUR
    )
    sources = "\n".join(f"[{s['title']}]({s['url']}) · {s['date']}" for s in answer.items)
    embed.add_field(name=t("source", answer.lang), value=clip(sources, FIELD_MAX)[0], inline=False)
    return embed


def context_card(answer: Answer) -> discord.Embed:
    embed = discord.Embed(title=clip(message_of(answer), TITLE_MAX)[0], colour=QUOTE_COLOUR)
    budget = TOTAL_MAX - len(embed.title or "") - 100
    for item in answer.items:
        name = ("▶ " if item.get("focus") else "") + f"{item['speaker']} · {item['id']}"
        value, _ = clip(item["text"], min(FIELD_MAX, max(0, budget - len(name))))
        if not value:
            break
        budget -= len(name) + len(value)
        embed.add_field(name=name, value=value, inline=False)
    if answer.items:
        embed.set_footer(text=clip(answer.items[0]["source"].get("title", ""), FOOTER_MAX)[0])
    return embed


def error_text(answer: Answer) -> str:
    """An error as short ephemeral text, with suggestions when we have them."""
    lines = [message_of(answer)]
    for suggestion in answer.extra.get("suggestions", [])[:10]:
        if suggestion.get("type") == "fact":
            lines.append(candidate_line(suggestion, answer.lang))
        else:
            lines.append(topic_line(suggestion, answer.lang))
    return clip("\n".join(lines), 2000)[0]


def embeds_for(answer: Answer) -> list[discord.Embed]:
    """The embeds of an answer; an error has none (it is text)."""
    if answer.kind == "quote":
        embeds = [quote_card(answer.items[0], answer.lang, note=message_of(answer))]
    elif answer.kind == "fact":
        embeds = [fact_card(answer.items[0], answer.lang)]
    elif answer.kind == "facts":
        embeds = [facts_card(answer)]
    elif answer.kind == "candidates":
        embeds = [list_card(answer, candidate_line)]
    elif answer.kind == "topics":
        embeds = [list_card(answer, topic_line)]
    elif answer.kind == "about":
        embeds = [about_card(answer)]
    elif answer.kind == "context":
        embeds = [context_card(answer)]
    else:
        embeds = []
    return embeds
