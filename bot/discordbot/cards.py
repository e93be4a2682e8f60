"""Answers as Discord embeds: one card builder per kind of answer, within Discord's limits.

Limits (Discord's): title 256, description 4096, field value 1024, footer 2048,
25 fields, 6000 characters in all. Long text is never cut silently: it ends
with an explicit ellipsis and a note pointing at the Context button.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import discord

from bot.answer import Answer, Item
from bot.fact_text import label_value, named
from bot.i18n import listing, parens, t
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


# A "[" after an even number of backslashes (none included) would still open a link.
_UNESCAPED_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*)\[")


def escape(text: str) -> str:
    """User text echoed back: no markdown, no pings, no masked links. (discord.py escapes
    only the first of several ``[text](url)`` links, so every ``[`` is escaped here.)"""
    escaped = discord.utils.escape_markdown(text)
    return discord.utils.escape_mentions(_UNESCAPED_BRACKET.sub(r"\1\\[", escaped))


def message_of(answer: Answer) -> str:
    """The answer's message with the user's own words quoted and escaped."""
    open_, close = ("「", "」") if answer.lang is Lang.ZH_HANT else ("“", "”")
    return answer.text(lambda echo: f"{open_}{escape(clip(echo, 200)[0])}{close}")


def _source_value(item: Item, lang: Lang) -> str:
    src = item.get("source") or {}
    title = src.get("title", "")
    line = f"[{title}]({src['url']})" if src.get("url") else title
    if src.get("date"):
        line += f" · {src['date']}"
    if not src.get("url") and src.get("what"):
        line += f"\n{src['what']}"
    if src.get("section"):
        line += f"\n{src['section']}"
        if src.get("turn"):
            line += parens(lang, t("turn", lang, turn=src["turn"], paragraph=src["paragraph"]))
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
        footer += " · " + listing(lang, (tp["name"] for tp in item["topics"]))
    if item.get("converted"):
        footer += "\n" + t("converted", lang)
    match = item.get("match")
    if match:
        footer += "\n" + t("matched", lang, terms=listing(lang, match["terms"]))
        if match["corrected"]:
            fixes = listing(lang, (f"{a} → {b}" for a, b in match["corrected"].items()))
            footer += " · " + t("corrected", lang, fixes=fixes)
    embed.set_footer(text=clip(footer, FOOTER_MAX)[0])
    return embed


def fact_card(item: Item, lang: Lang) -> discord.Embed:
    description = f"## {item['value']}"
    if item.get("period"):
        description += "\n" + label_value(t("period", lang), item["period"], lang)
    description += "\n" + label_value(t("standing", lang), item["standing_text"], lang)
    embed = discord.Embed(
        title=clip(item["label"], TITLE_MAX)[0], description=description, colour=FACT_COLOUR
    )
    embed.add_field(
        name=evidence_label(item, lang), value=clip(f"> {item['text']}", FIELD_MAX)[0], inline=False
    )
    embed.add_field(name=t("source", lang), value=_source_value(item, lang), inline=False)
    embed.set_footer(text=t("fact_id", lang, id=item["id"]))
    return embed


def in_chinese_for_english(item: Item, lang: Lang) -> bool:
    """An English reader shown evidence that exists only in Chinese (the source's own words)."""
    return lang is Lang.EN and item.get("evidence_language") == "zh"


def evidence_label(item: Item, lang: Lang) -> str:
    """ "Evidence", or for English readers of Chinese-only evidence, that it is the original Chinese."""
    return t("evidence_zh", lang) if in_chinese_for_english(item, lang) else t("evidence", lang)


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
        embed.description = label_value(t("standing", lang), shared, lang)
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
        original = f"*{t('evidence_zh_short', lang)}:* " if in_chinese_for_english(item, lang) else ""
        frame += original
        evidence = original + clip(item["text"], max(1, share - len(frame)))[0]
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
    sources = "\n".join(
        f"[{s['title']}]({s['url']}) · {s['date']}" if s.get("url") else f"{s['title']} · {s['date']}"
        for s in answer.items
    )
    embed.add_field(name=t("source", answer.lang), value=clip(sources, FIELD_MAX)[0], inline=False)
    return embed


def context_card(answer: Answer) -> discord.Embed:
    """The conversation around a quote, as one text: the quote always shows, in bold.

    The quoted passage comes first in the budget (windowed around the quote when it is
    long), then its neighbours, nearest first: the one before keeps its end, the one
    after its beginning, so what shows is what was said next to the quote.
    """
    embed = discord.Embed(title=clip(message_of(answer), TITLE_MAX)[0], colour=QUOTE_COLOUR)
    items = answer.items
    heads = [_context_head(item) for item in items]
    budget = DESCRIPTION_MAX - sum(len(h) + 2 for h in heads) - 8
    texts: dict[int, str] = {}
    focus = next((i for i, item in enumerate(items) if item.get("focus")), None)
    if focus is not None:
        texts[focus] = marked_window(items[focus]["text"], items[focus].get("quote"), budget)
        budget -= len(texts[focus])
    others = sorted((i for i in range(len(items)) if i != focus), key=lambda i: abs(i - (focus or 0)))
    for i in others:
        if budget <= 20:
            break
        keep_end = focus is not None and i < focus
        texts[i] = _clip_side(items[i]["text"], budget, keep_end=keep_end)
        budget -= len(texts[i])
    blocks = [f"{heads[i]}\n{texts[i]}" for i in range(len(items)) if i in texts]
    embed.description = "\n\n".join(blocks)
    if items:
        embed.set_footer(text=clip(items[0]["source"].get("title", ""), FOOTER_MAX)[0])
    return embed


def _context_head(item: Item) -> str:
    return ("▶ " if item.get("focus") else "") + f"**{escape(item['speaker'])}** · `{item['id']}`"


def _clip_side(text: str, limit: int, *, keep_end: bool) -> str:
    """``text`` within ``limit``: its end (``…end``) or its beginning (``beginning…``)."""
    if len(text) <= limit:
        return text
    if keep_end:
        return ELLIPSIS + text[len(text) - limit + 1 :].lstrip()
    return clip(text, limit)[0]


def marked_window(text: str, quote: str | None, limit: int) -> str:
    """``text`` with ``quote`` in bold, cut to ``limit`` around the quote (never cutting it) when long."""
    start = text.find(quote) if quote else -1
    if quote is None or start < 0:
        return clip(text, limit)[0]
    end = start + len(quote)
    marked_quote = f"**{quote.strip()}**"
    if len(marked_quote) > limit:
        return clip(marked_quote[:-2], limit - 2)[0] + "**"
    room = limit - len(marked_quote)
    before, after = text[:start], text[end:]
    take_before = min(len(before), room // 2)
    take_after = min(len(after), room - take_before)
    take_before = min(len(before), room - take_after)
    head = before[len(before) - take_before :]
    tail = after[:take_after]
    if take_before < len(before):
        head = ELLIPSIS + head[1:]
    if take_after < len(after):
        tail = tail[:-1] + ELLIPSIS if tail else ""
    return f"{head}{marked_quote}{tail}"


def error_text(answer: Answer) -> str:
    """An error as short ephemeral text, with suggestions when we have them."""
    lines = [message_of(answer)]
    for suggestion in answer.extra.get("suggestions", [])[:25]:  # all topics: there are 16
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
