"""Plain-text cards for the terminal (``ask``), one renderer per kind of answer."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from bot.answer import Answer, Item
from bot.fact_text import label_value, named
from bot.i18n import STRINGS, listing, parens, t
from bot.lang import Lang


def _wrap(text: str, indent: str = "") -> str:
    # Chinese has no spaces to wrap at; leave it whole.
    if not text.isascii():
        return indent + text
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent)


def source_line(item: Item, lang: Lang) -> str:
    src = item.get("source") or {}
    parts = [src.get("title", ""), src.get("date", "")]
    if src.get("section"):
        where = src["section"]
        if src.get("turn"):
            where += parens(lang, t("turn", lang, turn=src["turn"], paragraph=src["paragraph"]))
        parts.append(where)
    line = " · ".join(p for p in parts if p)
    if src.get("url"):
        return f"{line}\n{src['url']}"
    return f"{line}\n{src['what']}" if src.get("what") else line


def _quote(item: Item, lang: Lang) -> list[str]:
    open_, close = ("“", "”") if lang is Lang.EN else ("「", "」")
    lines = [
        _wrap(f"{open_}{item['text']}{close}"),
        f"  — {item['speaker']}",
        "",
        source_line(item, lang),
    ]
    id_key = "passage_id" if item["type"] == "passage" else "quote_id"
    footer = t(id_key, lang, id=item["id"])
    if item.get("topics"):
        footer += " · " + listing(lang, (tp["name"] for tp in item["topics"]))
    lines.append(footer)
    if item.get("converted"):
        lines.append(t("converted", lang))
    match = item.get("match")
    if match:
        note = t("matched", lang, terms=listing(lang, match["terms"]))
        if match["corrected"]:
            fixes = listing(lang, (f"{a} → {b}" for a, b in match["corrected"].items()))
            note += " · " + t("corrected", lang, fixes=fixes)
        if match["mode"] == "any":
            note += " · " + t("matched_any", lang)
        lines.append(f"({note})")
    return lines


def _fact(item: Item, lang: Lang) -> list[str]:
    lines = [
        label_value(named(item, lang), item["value"], lang),
        f"  {item['standing_text']}",
        *(
            [f"  {t('evidence_zh', lang)}:"]
            if lang is Lang.EN and item.get("evidence_language") == "zh"
            else []
        ),
        _wrap(f"> {item['text']}", "  "),
        source_line(item, lang),
    ]
    lines.append(t("fact_id", lang, id=item["id"]))
    return lines


def _fact_line(item: Item, lang: Lang) -> list[str]:
    line = label_value(named(item, lang), item["value"], lang)
    note = f"{item['standing_text']}{'; ' if lang is Lang.EN else '；'}{item['id']}"
    return [f"• {line}{parens(lang, note)}"]


def _topic(item: Item, lang: Lang) -> list[str]:
    return [f"• {t('topics_line', lang, name=item['name'], count=item['count'])}{parens(lang, item['id'])}"]


def _source(item: Item, lang: Lang) -> list[str]:
    kind = t(f"kind.{item['kind']}", lang) if f"kind.{item['kind']}" in STRINGS else item["kind"]
    where = item.get("url") or item.get("what")  # its address, or what it is when it has none
    return [f"• {item['title']} · {item['date']} · {kind}", *([f"  {where}"] if where else [])]


def _passage_block(item: Item, lang: Lang) -> list[str]:
    mark = "▶ " if item.get("focus") else "  "
    text = item["text"]
    if item.get("quote") and item["quote"] in text:  # the quoted words, marked as on the card
        text = text.replace(item["quote"], f"**{item['quote'].strip()}**", 1)
    return [f"{mark}{item['speaker']} ({item['id']}):", _wrap(text, "    ")]


_ITEM_RENDERERS: dict[str, Callable[[Item, Lang], list[str]]] = {
    "quote": _quote,
    "passage": _quote,
    "fact": _fact,
    "topic": _topic,
    "source": _source,
}


def render(answer: Answer) -> str:
    lang = answer.lang
    out: list[str] = []
    if answer.message:
        out.append(answer.text())
    if answer.kind == "candidates":
        for item in answer.items:
            out += _fact_line(item, lang)
    elif answer.kind == "context":
        for item in answer.items:
            out += _passage_block(item, lang)
    elif answer.kind in ("topics", "about"):
        for item in answer.items:
            out += _ITEM_RENDERERS[item["type"]](item, lang)
    else:
        for item in answer.items:
            out += _ITEM_RENDERERS[item["type"]](item, lang)
            out.append("")
    for suggestion in answer.extra.get("suggestions", []):
        render_one = _fact_line if suggestion.get("type") == "fact" else _topic
        out += render_one(suggestion, lang)
    return "\n".join(out).rstrip() + "\n"
