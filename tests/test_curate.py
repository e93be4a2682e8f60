"""A curator adds a second bilingual source: its decisions build its passage files, and
`python -m bot check` refuses them once they are stale or leave a raw line unexplained."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.cli import main as bot_main
from bot.curate.__main__ import main as curate_main
from bot.curate.audit import audit
from bot.pack import DEFAULT_DATA_DIR, load_pack
from bot.service import open_knowledge

PANEL = Path(__file__).parent / "fixtures" / "panel"
Capsys = pytest.CaptureFixture[str]


def add_panel(pack: Path) -> Path:
    """Add the panel as data/README.md's "Adding a source" says: raw file, sources.yaml entries,
    decisions. Returns the source's transcript folder."""
    shutil.copy(PANEL / "panel-2025.txt", pack / "sources" / "panel-2025.txt")
    sources = yaml.safe_load((pack / "sources.yaml").read_text(encoding="utf-8"))
    extra = yaml.safe_load((PANEL / "sources.yaml").read_text(encoding="utf-8"))
    for key in ("people", "sources"):
        sources[key] += extra[key]
    (pack / "sources.yaml").write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    folder = pack / "transcript" / "panel-2025"
    folder.mkdir()
    shutil.copy(PANEL / "decisions.yaml", folder / "decisions.yaml")
    return folder


def check(pack: Path, capsys: Capsys) -> tuple[int, str]:
    code = bot_main(["--data", str(pack), "check"])
    return code, capsys.readouterr().out


def build(pack: Path, capsys: Capsys) -> int:
    code = curate_main(["--data", str(pack), "build", "panel-2025"])
    capsys.readouterr()
    return code


def test_second_source_builds_with_its_repairs_and_passes_check(minipack: Path, capsys: Capsys) -> None:
    folder = add_panel(minipack)
    code, out = check(minipack, capsys)
    assert code == 1 and "transcript/panel-2025/passages.yaml: -: missing" in out

    assert build(minipack, capsys) == 0
    code, out = check(minipack, capsys)
    assert code == 0, out
    assert "9 passages" in out  # the minipack's 3 and the panel's 6, side by side

    pack, _ = load_pack(minipack)
    answer = pack.passages["panel-p3"]
    assert answer.speaker == "tom-berg" and answer.text.en.startswith("About 90%.")  # relabelled
    question = pack.passages["panel-p4"]
    assert (question.text.en, question.text.zh) == ("So what comes next?", "那么下一步是什么?")  # realigned
    corrections = yaml.safe_load((folder / "corrections.yaml").read_text(encoding="utf-8"))["corrections"]
    by_kind = {(c["kind"], tuple(c["passages"])): c for c in corrections}
    assert set(by_kind) == {
        ("relabel", ("panel-p3",)),
        ("realign", ("panel-p4",)),
        ("realign", ("panel-p5",)),
        ("duplicate", ("panel-p5",)),
    }
    assert by_kind[("relabel", ("panel-p3",))]["reason"] == (
        "Line 6 is labelled Mei Lin; line 5 is labelled Mei Lin, but it answers the host's question "
        'with the figure ("About 90%"): Tom Berg.'
    )
    assert by_kind[("realign", ("panel-p4",))]["reason"] == (
        "The Chinese beside line 8 is line 7, which belongs to panel-p5; this paragraph's translation is line 9."
    )


def test_check_refuses_files_that_no_longer_match_their_decisions(minipack: Path, capsys: Capsys) -> None:
    folder = add_panel(minipack)
    assert build(minipack, capsys) == 0
    decisions = folder / "decisions.yaml"
    text = decisions.read_text(encoding="utf-8")
    decisions.write_text(text.replace('("About 90%")', '("About 90%", a figure)'), encoding="utf-8")
    code, out = check(minipack, capsys)
    assert code == 1
    assert "transcript/panel-2025/corrections.yaml: -: stale: not what decisions.yaml builds" in out
    assert "passages.yaml: -: stale" not in out  # only the reason changed

    assert build(minipack, capsys) == 0
    passages = folder / "passages.yaml"
    passages.write_text(passages.read_text(encoding="utf-8").replace("speaker: tom-berg", "speaker: mei-lin"))
    code, out = check(minipack, capsys)
    assert code == 1 and "transcript/panel-2025/passages.yaml: -: stale" in out


def test_check_refuses_a_raw_line_no_passage_uses_and_no_correction_names(
    minipack: Path, capsys: Capsys
) -> None:
    folder = add_panel(minipack)
    decisions = folder / "decisions.yaml"
    text = decisions.read_text(encoding="utf-8")
    decisions.write_text(text[: text.index("corrections:")], encoding="utf-8")  # forget the repeat
    assert build(minipack, capsys) == 0
    code, out = check(minipack, capsys)
    assert code == 1
    assert (
        "transcript/panel-2025/passages.yaml: line 11: not used by any passage nor named by a correction"
        in out
    )


def test_a_decision_that_cannot_be_built_is_named_and_writes_nothing(minipack: Path, capsys: Capsys) -> None:
    folder = add_panel(minipack)
    decisions = folder / "decisions.yaml"
    text = decisions.read_text(encoding="utf-8")
    decisions.write_text(
        text.replace("  why: it answers the host's question", "  en_from: Fifty\n  why: it answers"),
        encoding="utf-8",
    )
    assert curate_main(["--data", str(minipack), "build", "panel-2025"]) == 2
    assert "passage panel-p3: 'Fifty' is not in lines [6]" in capsys.readouterr().err
    assert not (folder / "passages.yaml").exists()
    code, out = check(minipack, capsys)
    assert code == 1 and "transcript/panel-2025/decisions.yaml: -:" in out


def test_a_label_change_without_a_reason_is_refused(minipack: Path, capsys: Capsys) -> None:
    folder = add_panel(minipack)
    decisions = folder / "decisions.yaml"
    text = decisions.read_text(encoding="utf-8")
    decisions.write_text(
        text.replace("""  why: it answers the host's question with the figure ("About 90%")\n""", "")
    )
    assert curate_main(["--data", str(minipack), "build", "panel-2025"]) == 2
    assert "line 6 is labelled Mei Lin, but the speaker is Tom Berg: say why" in capsys.readouterr().err


def test_the_shipped_transcript_is_what_its_decisions_build() -> None:
    result = audit(DEFAULT_DATA_DIR, "dwarkesh-2026")
    assert result.problems == []
    assert result.built is not None and len(result.built.passages) == 162


def test_verify_shows_the_curator_which_lines_are_left_out_and_why(minipack: Path, capsys: Capsys) -> None:
    add_panel(minipack)
    assert curate_main(["--data", str(minipack), "verify", "panel-2025"]) == 1  # not built yet
    assert "missing: run `python -m bot.curate build panel-2025`" in capsys.readouterr().out
    assert build(minipack, capsys) == 0
    assert curate_main(["--data", str(minipack), "verify", "panel-2025"]) == 0
    out = capsys.readouterr().out
    assert "line 11 partly unused [duplicate]" in out and out.rstrip().endswith("OK")
    assert curate_main(["--data", str(minipack), "verify", "panel"]) == 2
    assert "no folder transcript/panel in" in capsys.readouterr().err


async def test_two_transcripts_import_side_by_side_in_conversation_order(
    minipack: Path, tmp_path: Path, capsys: Capsys
) -> None:
    add_panel(minipack)
    assert build(minipack, capsys) == 0
    store, _ = await open_knowledge(tmp_path / "db.sqlite3", minipack)
    try:
        talk, panel = await store.content.passage("p003"), await store.content.passage("panel-p3")
        assert talk is not None and panel is not None
        assert (talk.source, panel.source) == ("talk", "panel-2025")
        assert panel.order != talk.order  # both are the third passage of their source
    finally:
        await store.close()
    pack, _ = load_pack(minipack)
    orders = [p.order for p in pack.passages.values()]
    assert sorted(orders) == list(range(9))  # one order across the sources, none shared


def test_a_source_with_each_translation_after_its_english_says_so_in_one_line(
    minipack: Path, capsys: Capsys
) -> None:
    folder = add_panel(minipack)
    (minipack / "sources" / "panel-2025.txt").write_text(
        "**Mei Lin:** Welcome to the show.\n**Mei Lin:** 欢迎来到节目。\n"
        "**Tom Berg:** Glad to be here.\n**Tom Berg:** 很高兴来这里。\n",
        encoding="utf-8",
    )
    decisions = (
        "source: panel-2025\nspeakers: {Mei Lin: mei-lin, Tom Berg: tom-berg}\n"
        "sections:\n- {id: panel-s1, first_line: 1, en: Welcome, zh: 欢迎}\npassages:\n"
        "- {id: panel-p1, speaker: mei-lin, en_lines: [1], zh_lines: [2]}\n"
        "- {id: panel-p2, speaker: tom-berg, en_lines: [3], zh_lines: [4]}\n"
    )
    (folder / "decisions.yaml").write_text(decisions, encoding="utf-8")
    assert build(minipack, capsys) == 0
    corrections = yaml.safe_load((folder / "corrections.yaml").read_text(encoding="utf-8"))["corrections"]
    assert [(c["kind"], c["passages"]) for c in corrections] == [
        ("realign", ["panel-p1"]),
        ("realign", ["panel-p2"]),
    ]  # read as Chinese-first, every pair looks out of step

    (folder / "decisions.yaml").write_text("pairing: en-first\n" + decisions, encoding="utf-8")
    assert build(minipack, capsys) == 0
    assert yaml.safe_load((folder / "corrections.yaml").read_text(encoding="utf-8")) == {"corrections": []}
    code, out = check(minipack, capsys)
    assert code == 0, out
