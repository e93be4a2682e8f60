"""`python -m bot ask|export|stats|check`: what a curator sees in the terminal, and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.text import to_traditional


@pytest.fixture
def db(shipped_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("EXPONENT_DATABASE", "EXPONENT_DATA_DIR", "EXPONENT_SHARD_IDS"):
        monkeypatch.delenv(name, raising=False)
    target = tmp_path / "exponent.sqlite3"
    shutil.copyfile(shipped_db, target)
    return target


Capsys = pytest.CaptureFixture[str]


def run(db: Path, capsys: Capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def ask_json(db: Path, capsys: Capsys, line: str) -> dict[str, Any]:
    code, out, _ = run(db, capsys, "ask", line, "--json")
    data = json.loads(out)
    assert code == (1 if data["kind"] == "error" else 0)
    return data


# -- text cards -------------------------------------------------------------------------------


def test_random_quote_card(db: Path, capsys: Capsys) -> None:
    code, out, err = run(db, capsys, "ask", "/quote")
    assert code == 0, err
    assert out.startswith("“")
    assert "  — " in out
    assert "https://" in out
    assert "Quote q-" in out


def test_quote_about_scaling_in_chinese(db: Path, capsys: Capsys) -> None:
    code, out, _ = run(db, capsys, "ask", "/quote about:scaling lang:zh")
    assert code == 0
    assert out.startswith("「")
    assert "— 达里奥·阿莫迪" in out or "— 德瓦克什" in out
    assert "语录 q-" in out
    assert "(匹配：scaling)" in out


def test_fact_revenue_card_is_a_timeline(db: Path, capsys: Capsys) -> None:
    code, out, _ = run(db, capsys, "ask", "/fact revenue")
    assert code == 0
    assert out.splitlines()[0].endswith("figures")
    assert out.index("(2023)") < out.index("(2024)") < out.index("(2025)")
    assert "So in 2023, it was zero to $100 million." in out
    assert "stated by Dario Amodei" in out
    assert "Fact f-revenue-2023" in out


def test_fact_in_traditional_chinese(db: Path, capsys: Capsys) -> None:
    code, out, _ = run(db, capsys, "ask", "/fact 估值 lang:zh-TW")
    assert code == 0
    assert "數據 f-valuation-2026-02" in out
    assert to_traditional("投后估值 3800 亿美元") in out
    for simplified in ("亿", "数据", "编者"):
        assert simplified not in out


def test_locale_option_chooses_the_language(db: Path, capsys: Capsys) -> None:
    code, out, _ = run(db, capsys, "ask", "/fact f-revenue-2024", "--locale", "zh-CN")
    assert code == 0
    assert "2024 年是从 1 亿到 10 亿美元。" in out


# -- JSON --------------------------------------------------------------------------------------


def test_quote_json_has_a_stable_shape(db: Path, capsys: Capsys) -> None:
    data = ask_json(db, capsys, "/quote about:exponential")
    assert set(data) >= {"command", "lang", "kind", "items", "message"}
    assert (data["command"], data["lang"], data["kind"]) == ("quote", "en", "quote")
    item = data["items"][0]
    assert set(item) >= {"id", "text", "speaker", "source"}
    assert set(item["source"]) >= {"title", "date", "url", "section"}
    assert item["id"].startswith("q-")
    assert item["source"]["url"].startswith("https://")
    assert item["source"]["date"] == "2026-02-13"
    assert item["source"]["section"]


def test_fact_json_items_carry_their_value(db: Path, capsys: Capsys) -> None:
    data = ask_json(db, capsys, "/fact revenue")
    assert (data["command"], data["kind"]) == ("fact", "facts")
    for item in data["items"]:
        assert set(item) >= {"id", "text", "speaker", "source", "value"}
        assert set(item["source"]) >= {"title", "date", "url", "section"}
        assert item["value"]


def test_json_lang_is_the_readers_language(db: Path, capsys: Capsys) -> None:
    data = ask_json(db, capsys, "/fact revenue lang:zh-TW")
    assert data["lang"] == "zh-Hant"
    assert "億" in data["items"][0]["value"]


def test_positional_text_fills_the_first_option(db: Path, capsys: Capsys) -> None:
    data = ask_json(db, capsys, "/fact anthropic revenue 2024")
    assert data["kind"] == "fact"
    assert [i["id"] for i in data["items"]] == ["f-revenue-2024"]
    quote = ask_json(db, capsys, "/quote exponential lang:zh")
    assert quote["lang"] == "zh-Hans"
    assert quote["items"][0]["match"]["terms"] == ["exponential"]


# -- errors and exit codes -------------------------------------------------------------------


def test_unknown_command_exits_2(db: Path, capsys: Capsys) -> None:
    code, out, err = run(db, capsys, "ask", "/nope")
    assert code == 2
    assert out == ""
    assert "Unknown command /nope" in err
    assert "/quote" in err and "/fact" in err


def test_line_without_a_slash_exits_2(db: Path, capsys: Capsys) -> None:
    code, _, err = run(db, capsys, "ask", "fact revenue")
    assert code == 2
    assert "starts with '/'" in err


def test_unknown_option_exits_2(db: Path, capsys: Capsys) -> None:
    code, out, err = run(db, capsys, "ask", "/fact foo:bar")
    assert code == 2
    assert out == ""
    assert "/fact has no option 'foo'" in err
    assert "query:" in err and "lang:" in err


def test_option_given_twice_exits_2(db: Path, capsys: Capsys) -> None:
    code, _, err = run(db, capsys, "ask", "/fact revenue query:growth")
    assert code == 2
    assert "given twice" in err


def test_error_answer_exits_1(db: Path, capsys: Capsys) -> None:
    code, out, _ = run(db, capsys, "ask", "/fact zzqx")
    assert code == 1
    assert "No key number matches zzqx" in out
    code, out, _ = run(db, capsys, "ask", "/fact revenue lang:xx")
    assert code == 1
    assert "Unknown language xx" in out


def test_error_answer_json_exits_1(db: Path, capsys: Capsys) -> None:
    code, out, _ = run(db, capsys, "ask", "/quote id:q-does-not-exist", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["kind"] == "error"
    assert data["items"] == []
    assert "q-does-not-exist" in data["message"]


# -- export, stats, check ----------------------------------------------------------------------


def test_export_prints_the_whole_knowledge_base(db: Path, capsys: Capsys) -> None:
    code, out, _ = run(db, capsys, "export")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"sources", "topics", "quotes", "facts", "passages", "counts"}
    counts = data["counts"]
    for kind in ("sources", "topics", "quotes", "facts", "passages"):
        assert counts[kind] == len(data[kind]) > 0, kind
    quote = data["quotes"][0]
    assert quote["en"]["id"] == quote["zh"]["id"]
    assert quote["en"]["text"] != quote["zh"]["text"]
    assert {"en_lines", "zh_lines", "zh"} <= set(data["passages"][0])
    assert all("value" in f["en"] for f in data["facts"])


def test_stats_as_text(db: Path, capsys: Capsys) -> None:
    code, out, _ = run(db, capsys, "stats")
    assert code == 0
    for title in ("counts:", "quotes_by_topic:", "quotes_by_speaker:", "facts_by_group:"):
        assert title in out
    assert "dario-amodei" in out


def test_stats_as_json(db: Path, capsys: Capsys) -> None:
    code, out, _ = run(db, capsys, "stats", "--json")
    assert code == 0
    stats = json.loads(out)
    assert stats["counts"]["quotes"] == sum(stats["quotes_by_speaker"].values())
    assert stats["counts"]["facts"] == sum(stats["facts_by_group"].values())
    assert stats["by_language"]["quotes_en"] == stats["by_language"]["quotes_zh"]
    assert stats["facts_by_group"]["revenue"] >= 4


def test_check_exits_zero_on_shipped_data(db: Path, capsys: Capsys) -> None:
    code, out, err = run(db, capsys, "check")
    assert code == 0, out + err
    assert out.startswith("ok: ")


def test_ask_refuses_a_broken_pack_with_exit_1(minipack: Path, tmp_path: Path, capsys: Capsys) -> None:
    quotes = minipack / "quotes" / "quotes.yaml"
    quotes.write_text(quotes.read_text().replace("speaker: dwarkesh-patel", "speaker: dario-amodei"))
    code = main(["--db", str(tmp_path / "broken.sqlite3"), "--data", str(minipack), "ask", "/quote"])
    err = capsys.readouterr().err
    assert code == 1
    assert "python -m bot check" in err
    assert "q-how-is-revenue" in err


def test_ask_writes_the_timelines_chart_and_says_why_a_single_figure_has_none(
    db: Path, capsys: Capsys, tmp_path: Path
) -> None:
    target = tmp_path / "revenue.png"
    code, out, err = run(db, capsys, "ask", "/fact 收入 lang:zh", "--chart", str(target))
    assert code == 0 and out.startswith("Anthropic 收入")
    assert target.read_bytes().startswith(b"\x89PNG") and f"chart written to {target}" in err
    lonely = tmp_path / "valuation.png"
    code, _, err = run(db, capsys, "ask", "/fact valuation", "--chart", str(lonely))
    assert code == 0 and not lonely.exists()
    assert "no chart: only a group of figures (a timeline) has one" in err
    code, _, err = run(db, capsys, "ask", "/fact coding", "--chart", str(lonely))
    assert code == 0 and not lonely.exists()
    assert "no chart: fewer than 3 figures of one unit" in err


def test_export_lists_every_groups_chart_or_why_it_has_none(db: Path, capsys: Capsys) -> None:
    code, out, _ = run(db, capsys, "export")
    assert code == 0
    charts = {c["group"]: c for c in json.loads(out)["charts"]}
    assert {g for g, c in charts.items() if c["chart"]} == {"revenue", "compute"}
    assert charts["revenue"]["languages"] == ["en", "zh-Hans", "zh-Hant"]
    assert charts["revenue"]["figures"][0] == "f-revenue-2023"
    assert all(c["why"] for c in charts.values() if not c["chart"])
    assert "different measures" in charts["productivity"]["why"]
