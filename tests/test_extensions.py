"""Every cog is listed in the bot's extension list, imports, and has an async setup."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from bot.discordbot.client import EXTENSIONS

COGS = Path(__file__).resolve().parent.parent / "cogs"


def test_every_module_in_cogs_is_listed() -> None:
    modules = {f"cogs.{p.stem}" for p in COGS.glob("*.py") if p.stem != "__init__"}
    assert modules == set(EXTENSIONS)


def test_every_extension_imports_and_has_async_setup() -> None:
    for name in EXTENSIONS:
        module = importlib.import_module(name)
        assert inspect.iscoroutinefunction(getattr(module, "setup", None)), name


def test_the_installed_package_includes_every_subpackage() -> None:
    """The Docker image installs the project (not editable): no module may be left out of the wheel."""
    from hatchling.builders.wheel import WheelBuilder

    root = COGS.parent
    shipped = {f.distribution_path for f in WheelBuilder(str(root)).recurse_included_files()}
    on_disk = {
        p.relative_to(root).as_posix()
        for top in ("bot", "cogs")
        for p in (root / top).rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert on_disk <= shipped, sorted(on_disk - shipped)
