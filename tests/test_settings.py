"""Settings come from the environment or .env; the token never shows; bad values are refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import DISCORD_API, Settings, SettingsError


def test_only_a_token_gives_the_embedded_defaults(tmp_path: Path) -> None:
    settings = Settings.from_env({"DISCORD_TOKEN": "abc.def.ghi"}, env_file=tmp_path / "none")
    assert settings.token.get() == "abc.def.ghi"
    assert settings.database == Path("var/exponent.sqlite3")
    assert settings.api_base == DISCORD_API
    assert settings.shard_count is None and settings.shard_ids is None
    assert settings.cooldown == (5, 20.0)


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


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EXPONENT_SHARD_COUNT": "two"}, "EXPONENT_SHARD_COUNT must be a whole number"),
        ({"EXPONENT_SHARD_IDS": "0,1"}, "needs EXPONENT_SHARD_COUNT"),
        ({"EXPONENT_SHARD_IDS": "0,2", "EXPONENT_SHARD_COUNT": "2"}, "below EXPONENT_SHARD_COUNT"),
        ({"EXPONENT_COOLDOWN": "fast"}, "EXPONENT_COOLDOWN must look like 5/20"),
        ({"EXPONENT_DEV_GUILD": "my server"}, "EXPONENT_DEV_GUILD must be a whole number"),
    ],
)
def test_bad_settings_are_refused_with_the_reason(tmp_path: Path, env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env, env_file=tmp_path / "none")


def test_every_setting_is_documented_in_env_example() -> None:
    example = (Path(__file__).resolve().parent.parent / ".env.example").read_text(encoding="utf-8")
    source = (Path(__file__).resolve().parent.parent / "bot" / "settings.py").read_text(encoding="utf-8")
    import re

    names = set(re.findall(r'get\("([A-Z_]+)"\)|int_or_none\("([A-Z_]+)"\)', source))
    flat = {n for pair in names for n in pair if n}
    assert flat, "no settings found"
    for name in flat:
        assert name in example, name
