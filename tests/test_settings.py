"""Settings come from the environment or .env; the token never shows; bad values are refused clearly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import DISCORD_API, Settings, SettingsError, default_database

ROOT = Path(__file__).resolve().parent.parent


def test_only_a_token_gives_the_embedded_defaults(tmp_path: Path) -> None:
    settings = Settings.from_env({"DISCORD_TOKEN": "abc.def.ghi"}, env_file=tmp_path / "none")
    assert settings.token.get() == "abc.def.ghi"
    assert settings.database == default_database()
    assert settings.api_base == DISCORD_API
    assert settings.shard_count is None and settings.shard_ids is None
    assert settings.cooldown == (5, 20.0)
    assert settings.log_format == "text"


def test_the_default_database_does_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = default_database()
    monkeypatch.chdir(tmp_path)
    assert default_database() == first
    assert first.is_absolute()
    # In a source checkout it is the checkout's var/, where scripts/run.sh always kept it.
    assert first == ROOT / "var" / "exponent.sqlite3"


def test_the_token_never_appears_in_a_repr_or_str(tmp_path: Path) -> None:
    settings = Settings.from_env({"DISCORD_TOKEN": "very-secret-token"}, env_file=tmp_path / "none")
    assert "very-secret-token" not in repr(settings)
    assert "very-secret-token" not in str(settings.token)
    assert "very-secret-token" not in f"{settings.token!r}"


def test_env_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# comment\nDISCORD_TOKEN='from-file'\nexport EXPONENT_LOG_LEVEL=debug\nDISCORD_API_BASE=http://127.0.0.1:9/api/v10/\n",
        encoding="utf-8",
    )
    settings = Settings.from_env({"EXPONENT_LOG_LEVEL": "warning"}, env_file=env_file)
    assert settings.token.get() == "from-file"
    assert settings.log_level == "WARNING"
    assert settings.api_base == "http://127.0.0.1:9/api/v10"


def test_good_values_of_every_setting_are_taken(tmp_path: Path) -> None:
    env = {
        "DISCORD_TOKEN": "t",
        "EXPONENT_DATABASE": str(tmp_path / "new" / "db.sqlite3"),
        "EXPONENT_DATA_DIR": str(tmp_path),
        "DISCORD_API_BASE": "http://127.0.0.1:5000/api/v10",
        "EXPONENT_DEV_GUILD": "123456789012345678",
        "EXPONENT_LOG_LEVEL": "debug",
        "EXPONENT_LOG_FORMAT": "JSON",
        "EXPONENT_SHARD_COUNT": "4",
        "EXPONENT_SHARD_IDS": "1, 3",
        "EXPONENT_DAILY_TICK_SECONDS": "0.5",
        "EXPONENT_COOLDOWN": "3/10",
    }
    s = Settings.from_env(env, env_file=tmp_path / "none")
    assert s.database == tmp_path / "new" / "db.sqlite3"
    assert s.data_dir == tmp_path
    assert s.dev_guild == 123456789012345678
    assert (s.log_level, s.log_format) == ("DEBUG", "json")
    assert (s.shard_count, s.shard_ids) == (4, (1, 3))
    assert s.daily_tick_seconds == 0.5
    assert s.cooldown == (3, 10.0)


BAD = [
    ("EXPONENT_DAILY_TICK_SECONDS", "soon", "a number of seconds from 0.1 to 3600"),
    ("EXPONENT_DAILY_TICK_SECONDS", "0", "a number of seconds from 0.1 to 3600"),
    ("EXPONENT_DAILY_TICK_SECONDS", "nan", "a number of seconds from 0.1 to 3600"),
    ("EXPONENT_DAILY_TICK_SECONDS", "86400", "a number of seconds from 0.1 to 3600"),
    ("EXPONENT_LOG_LEVEL", "LOUD", "DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ("EXPONENT_LOG_FORMAT", "xml", "text or json"),
    ("EXPONENT_SHARD_COUNT", "two", "a whole number from 1 to 10000"),
    ("EXPONENT_SHARD_COUNT", "0", "a whole number from 1 to 10000"),
    ("EXPONENT_COOLDOWN", "fast", "RATE/SECONDS"),
    ("EXPONENT_COOLDOWN", "0/20", "RATE/SECONDS"),
    ("EXPONENT_COOLDOWN", "5/0", "RATE/SECONDS"),
    ("EXPONENT_DEV_GUILD", "my server", "a server id"),
    ("EXPONENT_DEV_GUILD", "-5", "a server id"),
    ("DISCORD_API_BASE", "discord.com/api", "an http:// or https:// URL"),
    ("EXPONENT_DATA_DIR", "/no/such/folder", "an existing directory"),
]


@pytest.mark.parametrize(("name", "value", "allowed"), BAD)
def test_a_bad_value_names_the_setting_the_value_and_what_is_allowed(
    tmp_path: Path, name: str, value: str, allowed: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({name: value}, env_file=tmp_path / "none")
    message = str(raised.value)
    assert message.startswith(f"{name}={value!r} is not allowed: ")
    assert allowed in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "env",
    [
        {"EXPONENT_SHARD_IDS": "0,1"},  # no count
        {"EXPONENT_SHARD_IDS": "0,2", "EXPONENT_SHARD_COUNT": "2"},  # out of range
        {"EXPONENT_SHARD_IDS": "1,1", "EXPONENT_SHARD_COUNT": "2"},  # repeated
        {"EXPONENT_SHARD_IDS": "a", "EXPONENT_SHARD_COUNT": "2"},
    ],
)
def test_bad_shard_ids_are_refused(tmp_path: Path, env: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match=r"^EXPONENT_SHARD_IDS=.*below EXPONENT_SHARD_COUNT"):
        Settings.from_env(env, env_file=tmp_path / "none")


def test_a_database_path_that_is_a_folder_or_under_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    for value in (str(tmp_path), str(tmp_path / "file" / "db.sqlite3")):
        with pytest.raises(SettingsError, match=r"^EXPONENT_DATABASE="):
            Settings.from_env({"EXPONENT_DATABASE": value}, env_file=tmp_path / "none")


def test_a_token_with_spaces_is_refused_without_showing_it(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"DISCORD_TOKEN": "Bot secret-part"}, env_file=tmp_path / "none")
    assert "secret-part" not in str(raised.value)
    assert str(raised.value).startswith("DISCORD_TOKEN=")


def test_the_cli_prints_one_line_and_exits_2_without_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "EXPONENT_DAILY_TICK_SECONDS": "soon"}
    for argv in (["run"],):
        done = subprocess.run(
            [sys.executable, "-m", "bot", *argv],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2, argv
        assert done.stderr.strip().splitlines() == [
            "error: EXPONENT_DAILY_TICK_SECONDS='soon' is not allowed: a number of seconds from 0.1 to 3600"
        ], argv
        assert "Traceback" not in done.stderr


def test_every_setting_is_documented_in_env_example() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    source = (ROOT / "bot" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'(?<![.\w])(?:get|parsed)\(\s*"([A-Z_]+)"', source))
    assert len(names) >= 11, names
    for name in names:
        assert name in example, name
