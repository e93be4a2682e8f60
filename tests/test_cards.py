"""Cards stay within Discord's limits and never cut text silently."""

from __future__ import annotations

from bot.answer import Answer
from bot.discordbot.cards import (
    DESCRIPTION_MAX,
    ELLIPSIS,
    FIELD_MAX,
    TOTAL_MAX,
    embeds_for,
    error_text,
    message_of,
)
from bot.lang import Lang


def quote_item(text: str) -> dict[str, object]:
    return {
        "type": "quote", "id": "q-long", "text": text, "original": text, "converted": False,
        "speaker": "Dario Amodei", "speaker_id": "dario-amodei", "topics": [{"id": "scaling", "name": "Scaling"}],
        "source": {"title": "A talk", "date": "2026-02-13", "url": "https://example.invalid", "section": "One"},
    }


def fact_item(n: int, evidence: str) -> dict[str, object]:
    return {
        "type": "fact", "id": f"f-x-{n}", "label": f"Figure {n}", "value": "$1 billion", "period": str(2000 + n),
        "text": evidence, "standing_text": "stated by Dario Amodei",
        "source": {"title": "A talk", "date": "2026-02-13", "url": "https://example.invalid"},
    }


def test_a_long_quote_ends_with_an_ellipsis_and_points_to_context() -> None:
    answer = Answer("quote", Lang.EN, "quote", [quote_item("word " * 3000)])
    embed = embeds_for(answer)[0]
    assert embed.description is not None
    assert len(embed.description) <= DESCRIPTION_MAX
    assert ELLIPSIS in embed.description
    assert "Context" in embed.description
    assert len(embed) <= TOTAL_MAX


def test_a_short_quote_is_whole() -> None:
    embed = embeds_for(Answer("quote", Lang.EN, "quote", [quote_item("Short and whole.")]))[0]
    assert embed.description == "“Short and whole.”"


def test_a_long_timeline_fits_discords_total_limit() -> None:
    items = [fact_item(n, "evidence " * 200) for n in range(25)]
    answer = Answer("fact", Lang.EN, "facts", items, "revenue: 25 figures")
    embed = embeds_for(answer)[0]
    assert len(embed) <= TOTAL_MAX
    assert all(len(field.value or "") <= FIELD_MAX for field in embed.fields)
    assert len(embed.fields) == 25
    assert all(ELLIPSIS in (field.value or "") for field in embed.fields)
    assert all((field.value or "").endswith(f"`f-x-{n}`") for n, field in enumerate(embed.fields))


def test_echoed_user_text_cannot_ping_or_format() -> None:
    answer = Answer("fact", Lang.EN, "error", [], "No key number matches \x00echo\x00.", echo="@everyone **x**")
    text = error_text(answer)
    assert "@everyone" not in text
    assert "\\*\\*x\\*\\*" in text
    assert message_of(answer) == text


def test_a_timeline_says_a_standing_all_its_figures_share_once() -> None:
    items = [fact_item(n, "Some evidence.") for n in range(3)]
    embed = embeds_for(Answer("fact", Lang.EN, "facts", items, "Revenue: 3 figures"))[0]
    assert embed.description is not None and "stated by Dario Amodei" in embed.description
    assert not any("stated by" in (field.value or "") for field in embed.fields)
    assert embed.fields[0].name == "2000 · Figure 0: $1 billion"


def test_a_timeline_of_mixed_standings_gives_each_its_own() -> None:
    items = [fact_item(n, "Some evidence.") for n in range(2)]
    items[1] = items[1] | {"standing_text": "editor's figure"}
    embed = embeds_for(Answer("fact", Lang.EN, "facts", items, "Revenue: 2 figures"))[0]
    assert embed.description is None
    assert (embed.fields[0].value or "").startswith("stated by Dario Amodei")
    assert (embed.fields[1].value or "").startswith("editor's figure")


def test_a_chinese_candidate_line_puts_the_period_in_chinese_brackets() -> None:
    item = fact_item(1, "x") | {"label": "收入", "value": "10 亿美元", "period": "2024 年"}
    embed = embeds_for(Answer("fact", Lang.ZH_HANS, "candidates", [item], "哪一个？"))[0]
    assert embed.description == "• **收入（2024 年）**：10 亿美元 — `f-x-1`"


def test_a_source_without_an_address_says_what_it_is_instead_of_a_link() -> None:
    item = fact_item(1, "x") | {
        "source": {"title": "一篇摘要", "date": "2025-07-30", "url": None, "what": "访谈的中文摘要；仅存文本，网址不详。"}
    }
    embed = embeds_for(Answer("fact", Lang.ZH_HANS, "fact", [item]))[0]
    source = next(f.value or "" for f in embed.fields if f.name == "来源")
    assert "](" not in source and "http" not in source
    assert source.startswith("一篇摘要 · 2025-07-30\n访谈的中文摘要")
