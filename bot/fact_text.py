"""How a fact's label, period and value read together, in the reader's language.

The data keeps a label free of its period (``check`` refuses a label that
repeats it), so the period is said exactly once, beside the label.
"""

from __future__ import annotations

from bot.answer import Item
from bot.lang import Lang

ELLIPSIS = "…"


def with_period(label: str, period: str | None, lang: Lang) -> str:
    """``Anthropic headcount (February 2026)``, ``Anthropic 员工人数（2026 年 2 月）``."""
    if not period:
        return label
    return f"{label} ({period})" if lang is Lang.EN else f"{label}（{period}）"


def label_value(label: str, value: str, lang: Lang) -> str:
    return f"{label}: {value}" if lang is Lang.EN else f"{label}：{value}"


def named(item: Item, lang: Lang) -> str:
    """A fact item's label with its period."""
    return with_period(item["label"], item.get("period"), lang)


def cut(text: str, limit: int) -> str:
    """Text within ``limit`` characters, cut at a word boundary with an ellipsis when too long.

    Chinese has no spaces: it is cut at a character, which is a word boundary enough.
    """
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " " and " " in head and head[-1].isascii():
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:(（") + ELLIPSIS
