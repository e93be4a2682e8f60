"""`python -m bot check` rejects each kind of broken pack, naming file, entry and reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.pack import load_pack
from bot.verify import verify


def problems_of(pack_dir: Path) -> list[str]:
    pack, problems = load_pack(pack_dir)
    return [str(p) for p in problems + verify(pack, pack_dir)]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_clean_pack_has_no_problems(minipack: Path) -> None:
    assert problems_of(minipack) == []


def test_check_command_exits_zero_on_clean_pack(
    minipack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data", str(minipack), "check"]) == 0
    assert "ok: 3 quotes, 3 facts, 3 passages" in capsys.readouterr().out


BROKEN = [
    pytest.param(
        "facts.yaml",
        "    group: growth\n",
        "",
        r"facts.yaml: f-growth-10x: missing `group`",
        id="schema-missing-field",
    ),
    pytest.param(
        "quotes/quotes.yaml",
        "topics: [revenue]\n  - id: q-scaling",
        "topics: [revnue]\n  - id: q-scaling",
        r"quotes/quotes.yaml: q-revenue-10x: unknown topic 'revnue'",
        id="unknown-topic",
    ),
    pytest.param(
        "topics.yaml",
        "en: Revenue and growth,",
        "en: Revenue, and growth,",
        r"topics.yaml: revenue: unknown field `and growth`",
        id="unknown-field-from-an-unquoted-comma",
    ),
    pytest.param(
        "quotes/quotes.yaml",
        "id: q-how-is-revenue",
        "id: q-revenue-10x",
        r"quotes/quotes.yaml: q-revenue-10x: duplicate id 'q-revenue-10x'",
        id="duplicate-id",
    ),
    pytest.param(
        "transcript/talk/passages.yaml",
        "en: How is revenue growing?",
        "en: How is revenue growing so fast?",
        r"transcript/talk/passages.yaml: p001: en text is not verbatim in raw lines \[2\]",
        id="passage-not-verbatim",
    ),
    pytest.param(
        "transcript/talk/passages.yaml",
        "en_lines: [2]",
        "en_lines: [4]",
        r"transcript/talk/passages.yaml: p001: en text is not verbatim in raw lines \[4\]",
        id="passage-wrong-lines",
    ),
    pytest.param(
        "quotes/quotes.yaml",
        "en: Our revenue grows 10x a year.",
        "en: Our revenue grows tenfold a year.",
        r"q-revenue-10x: text is not verbatim in any passage",
        id="quote-not-verbatim",
    ),
    pytest.param(
        "quotes/quotes.yaml",
        "speaker: dwarkesh-patel",
        "speaker: dario-amodei",
        r"q-how-is-revenue: -: speaker is dario-amodei but passage p001 is dwarkesh-patel's",
        id="quote-wrong-speaker",
    ),
    pytest.param(
        "facts.yaml",
        "evidence: {en: In 2023 it was about $100 million.",
        "evidence: {en: In 2023 it was roughly $100 million.",
        r"facts.yaml: f-revenue-2023: evidence.en is not verbatim in sources/talk.txt",
        id="evidence-not-verbatim",
    ),
    pytest.param(
        "facts.yaml",
        "number: 1000000000\n",
        "number: 2000000000\n",
        r"facts.yaml: f-revenue-2024: number 2e\+09 does not appear in its evidence",
        id="number-not-in-evidence",
    ),
    pytest.param(
        "quotes/quotes.yaml",
        "    zh: 我们的收入每年增长10倍。\n",
        "",
        r"q-revenue-10x: missing `zh`",
        id="missing-language",
    ),
    pytest.param(
        "facts.yaml",
        "    by: dario-amodei\n    standing: stated",
        "    by: dwarkesh-patel\n    standing: stated",
        r"f-growth-10x: `by` is dwarkesh-patel but the evidence is dario-amodei's",
        id="fact-wrong-speaker",
    ),
    pytest.param(
        "facts.yaml",
        "    by: dario-amodei\n    standing: stated",
        "    by: dario-amodei\n    standing: rumour",
        r"f-growth-10x: `standing` is 'rumour'",
        id="bad-standing",
    ),
    pytest.param(
        "sources.yaml",
        "    url: https://example.invalid/talk\n",
        "",
        r"sources.yaml: talk: a source without its own `url` needs `what`",
        id="source-without-address-or-description",
    ),
    pytest.param(
        "facts.yaml",
        'period: {en: "2023", zh: 2023 年}',
        'period: "2023"',
        r"facts.yaml: f-revenue-2023: `period` must be a mapping with en and zh",
        id="period-in-one-language",
    ),
    pytest.param(
        "facts.yaml",
        'period: {en: "2024", zh: 2024 年}',
        'period: {en: "2024"}',
        r"facts.yaml: f-revenue-2024: `period.zh` is missing",
        id="period-without-chinese",
    ),
    pytest.param(
        "facts.yaml",
        "    by: dario-amodei\n    standing: stated",
        "    by: editor\n    cites: Bloomberg\n    standing: editor",
        r"facts.yaml: f-growth-10x: `cites` must be a mapping with en and zh",
        id="cites-in-one-language",
    ),
    pytest.param(
        "facts.yaml",
        "  - {id: growth, name: {en: Revenue growth, zh: 收入增长}}\n",
        "",
        r"facts.yaml: f-growth-10x: unknown group 'growth'",
        id="group-without-a-name",
    ),
    pytest.param(
        "facts.yaml",
        "name: {en: Revenue growth, zh: 收入增长}",
        "name: {en: Revenue growth}",
        r"facts.yaml: growth: `name.zh` is missing",
        id="group-name-without-chinese",
    ),
    pytest.param(
        "facts.yaml",
        "label: {en: Revenue, zh: 收入}",
        "label: {en: Revenue in 2023, zh: 收入}",
        r"facts.yaml: f-revenue-2023: `label.en` repeats its period '2023'",
        id="label-repeats-its-period",
    ),
    pytest.param(
        "facts.yaml",
        "value: {en: about $1 billion, zh: 约 10 亿美元}",
        "value: {en: about $1 billion in 2024, zh: 约 10 亿美元}",
        r"facts.yaml: f-revenue-2024: `value.en` repeats its period '2024'",
        id="value-repeats-its-period",
    ),
    pytest.param(
        "facts.yaml",
        "value: {en: 10x a year, zh: 每年 10 倍}",
        "value: {en: 10x a year, zh: '每年 10 倍 (估计)'}",
        r"facts.yaml: f-growth-10x: `value.zh` has ASCII '\('",
        id="chinese-with-ascii-punctuation",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), BROKEN)
def test_broken_pack_is_reported(
    minipack: Path, file: str, old: str, new: str, expected: str
) -> None:
    edit(minipack / file, old, new)
    found = problems_of(minipack)
    assert any(re.search(expected, p) for p in found), found


def test_check_command_exits_nonzero_naming_the_problem(
    minipack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(minipack / "quotes/quotes.yaml", "speaker: dwarkesh-patel", "speaker: dario-amodei")
    assert main(["--data", str(minipack), "check"]) == 1
    assert "q-how-is-revenue" in capsys.readouterr().out


def test_invalid_yaml_is_reported_not_raised(minipack: Path) -> None:
    (minipack / "facts.yaml").write_text("facts: [unclosed\n", encoding="utf-8")
    assert any("facts.yaml: -: not valid YAML" in p for p in problems_of(minipack))
