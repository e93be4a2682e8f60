"""Log lines: one per event, event fields kept, JSON for collectors."""

from __future__ import annotations

import json
import logging

from bot.logs import JsonFormatter, TextFormatter


def _record(**extra: object) -> logging.LogRecord:
    record = logging.makeLogRecord(
        {
            "name": "bot.x",
            "levelno": logging.INFO,
            "levelname": "INFO",
            "msg": "answered %s",
            "args": ("/fact",),
        }
    )
    record.__dict__.update(extra)
    return record


def test_text_lines_end_with_the_event_fields() -> None:
    line = TextFormatter().format(_record(command="fact", guild=42, outcome="ok"))
    assert "\n" not in line
    assert line.endswith("INFO bot.x: answered /fact command=fact guild=42 outcome=ok")


def test_json_lines_are_one_object_with_the_event_fields() -> None:
    line = JsonFormatter().format(_record(command="fact", guild=None, outcome="error"))
    assert "\n" not in line
    data = json.loads(line)
    assert data["message"] == "answered /fact"
    assert data["level"] == "INFO" and data["logger"] == "bot.x"
    assert (data["command"], data["guild"], data["outcome"]) == ("fact", None, "error")
    assert data["time"].endswith("+00:00")


def test_a_traceback_stays_inside_the_json_object() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = _record()
        record.exc_info = sys.exc_info()
    data = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in data["exception"]
