"""Reading the numbers a sentence states: what `check` compares a fact's number against."""

from __future__ import annotations

import pytest

from bot.numbers import states_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("We got the vaccine out to everyone, but it took a year and a half.", 1.5),
        ("我们把疫苗送到了每个人手中,但花了一年半。", 1.5),
        ("two and a half years", 2.5),
        ("两个半月", 2.5),
        ("那额外的 200 亿美元", 20_000_000_000),
        ("I think I listed seven of them.", 7),
    ],
)
def test_a_stated_quantity_is_read(text: str, value: float) -> None:
    assert states_number(text, value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一半一半", 1.5),  # 一半 is "a half", not one and a half
        ("half of it", 1.5),
        ("a year", 1.5),
    ],
)
def test_a_half_alone_is_not_one_and_a_half(text: str, value: float) -> None:
    assert not states_number(text, value)
