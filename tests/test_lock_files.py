"""The lock files pin every dependency pyproject.toml declares, with hashes, so installs are reproducible."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def _pinned(lock: Path) -> dict[str, str]:
    text = lock.read_text(encoding="utf-8")
    pins = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", text, flags=re.MULTILINE))
    return {k.lower().replace("_", "-").replace(".", "-"): v for k, v in pins.items()}


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME = [_name(r) for r in PROJECT["project"]["dependencies"]]
DEV = [_name(r) for r in PROJECT["project"]["optional-dependencies"]["dev"]]
BUILD = [_name(r) for r in PROJECT["build-system"]["requires"]]


@pytest.mark.parametrize(
    ("lock", "names"),
    [("requirements.lock", RUNTIME + BUILD), ("requirements-dev.lock", RUNTIME + DEV + BUILD)],
)
def test_every_declared_dependency_is_pinned_with_hashes(lock: str, names: list[str]) -> None:
    path = ROOT / lock
    pinned = _pinned(path)
    missing = [n for n in names if n not in pinned]
    assert not missing, f"{lock} lacks {missing}: run scripts/lock.sh (README: Reproducible installs)"
    blocks = re.split(r"^(?=[A-Za-z0-9_.\-]+==)", path.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]
    assert all("--hash=sha256:" in block for block in blocks), "every pin carries its hashes"
