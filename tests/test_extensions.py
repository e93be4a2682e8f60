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
    """The Docker image installs the project (not editable): no subpackage may be left out."""
    import tomllib

    from setuptools import find_packages

    root = COGS.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    shipped = set(find_packages(where=str(root), include=include))
    on_disk = {
        ".".join(p.parent.relative_to(root).parts)
        for top in ("bot", "cogs")
        for p in (root / top).rglob("__init__.py")
    }
    assert on_disk <= shipped
