"""Text that is not clean Unicode is refused or replaced once, at the edge, with a clear message.

Issue 9 #4: a lone surrogate reached OpenCC and the output encoder (``UnicodeEncodeError``),
and invalid UTF-8 in an ``ask`` argument printed a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.commands import dispatch
from bot.discordbot.cards import error_text
from bot.knowledge import Knowledge
from bot.lang import Lang
from bot.render_text import render
from bot.store import Store
from bot.user_input import clean_typed

SURROGATES = ["\ud800", "a\udfffb", "scaling \udc80", "\ud83d"]  # lone halves, high and low


@pytest.mark.parametrize("bad", SURROGATES)
@pytest.mark.parametrize(
    ("command", "option"),
    [("quote", "about"), ("quote", "topic"), ("quote", "id"), ("fact", "query"), ("topics", "lang")],
)
async def test_lone_surrogates_in_any_option_get_a_clear_error_in_every_output(
    shipped: tuple[Store, Knowledge], command: str, option: str, bad: str
) -> None:
    _, knowledge = shipped
    answer = await dispatch(knowledge, command, {option: bad})
    assert answer.kind == "error"
    as_json = json.dumps(answer.to_json(), ensure_ascii=False)
    for text in (render(answer), error_text(answer), as_json):
        text.encode("utf-8")  # the bug: UnicodeEncodeError here
        assert "not valid text" in text
    assert json.loads(as_json)["kind"] == "error"


async def test_the_invalid_text_message_exists_in_three_languages(shipped: tuple[Store, Knowledge]) -> None:
    _, knowledge = shipped
    messages = {
        lang: render(await dispatch(knowledge, "fact", {"query": "\ud800"}, user_locale=locale))
        for lang, locale in ((Lang.EN, "en-US"), (Lang.ZH_HANS, "zh-CN"), (Lang.ZH_HANT, "zh-TW"))
    }
    assert "retype" in messages[Lang.EN]
    assert "请重新输入" in messages[Lang.ZH_HANS]
    assert "請重新輸入" in messages[Lang.ZH_HANT]


async def test_control_characters_are_spaces_and_the_command_still_answers(
    shipped: tuple[Store, Knowledge],
) -> None:
    _, knowledge = shipped
    answer = await dispatch(knowledge, "fact", {"query": "revenue\x00\x1b[31m"})
    assert answer.kind != "error" or "\x00" not in answer.echo
    assert "\x00" not in render(answer) and "\x1b" not in render(answer)


def test_autocomplete_text_is_replaced_never_refused() -> None:
    assert clean_typed("a\ud800b\x07c") == "a\ufffdb c"
    assert clean_typed("社区 safety") == "社区 safety"


def _ask(tmp_path: Path, *args: str | bytes) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "EXPONENT_DATABASE": str(tmp_path / "db.sqlite3")}
    return subprocess.run(
        [sys.executable, "-m", "bot", "ask", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_ask_with_invalid_utf8_bytes_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    done = _ask(tmp_path, b"/quote about:caf\xe9 \xed\xa0\x80")
    assert done.returncode == 2
    err = done.stderr.decode()
    assert "Traceback" not in err
    assert err.strip().splitlines() == [
        "error: the argument '/quote about:caf\\xe9 \\xed\\xa0\\x80' is not valid UTF-8 text; retype it, or set your terminal to UTF-8 (e.g. LANG=C.UTF-8)"
    ]
    assert done.stdout == b""
