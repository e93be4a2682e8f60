"""Operator commands: ``health`` (for Docker's HEALTHCHECK), ``invite`` and ``backup``.

Plain, synchronous and quick to start: no event loop, no Discord library import.
"""

from __future__ import annotations

import json
import shlex
import sqlite3
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from bot.settings import HttpAddress, Settings

# What the bot needs in a channel, as Discord's permission bits, with the words the
# developer portal and server settings use. /daily set checks the same three.
PERMISSIONS: tuple[tuple[int, str], ...] = (
    (1 << 10, "View Channel"),
    (1 << 11, "Send Messages"),
    (1 << 14, "Embed Links"),
    # The daily dispatcher reads the channel for its own post before any re-send.
    (1 << 16, "Read Message History"),
)
SCOPES = ("bot", "applications.commands")
AUTHORIZE = "https://discord.com/oauth2/authorize"


class OpsError(Exception):
    """A message for the operator; ``code`` is the exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        self.code = code
        super().__init__(message)


def python_command() -> str:
    """This interpreter as the operator should type it, so a suggested command works as written
    (``.venv/bin/python`` from the checkout, not a bare ``python`` that lacks the dependencies)."""
    executable = Path(sys.executable)
    try:
        shown = str(executable.relative_to(Path.cwd()))
    except ValueError:
        return shlex.quote(str(executable))
    return shlex.quote(shown if "/" in shown else f"./{shown}")


# -- health ------------------------------------------------------------------------------


def health(settings: Settings, timeout: float = 5.0) -> int:
    """GET /healthz of the running bot; print its body; 0 when healthy."""
    if settings.http is None:
        raise OpsError("EXPONENT_HTTP is not set, so the bot serves no /healthz", code=2)
    url = f"http://{_local(settings.http)}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            print(response.read().decode())
            return 0
    except urllib.error.HTTPError as exc:
        print(exc.read().decode())
        return 1
    except OSError as exc:
        print(f"unhealthy: no answer from {url} ({exc})", file=sys.stderr)
        return 1


def _local(address: HttpAddress) -> str:
    """Where to reach a server listening on ``address`` from the same machine."""
    host = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(address.host, address.host)
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{address.port}"


# -- invite ------------------------------------------------------------------------------


def permission_integer() -> int:
    value = 0
    for bit, _ in PERMISSIONS:
        value |= bit
    return value


@dataclass(frozen=True)
class InviteLinks:
    server: str  # add the bot to a server
    user: str  # install the app for oneself (commands in DMs and everywhere)


def invite_links(client_id: int) -> InviteLinks:
    server = urlencode(
        {
            "client_id": client_id,
            "scope": " ".join(SCOPES),
            "permissions": permission_integer(),
            "integration_type": 0,
        }
    )
    user = urlencode({"client_id": client_id, "scope": "applications.commands", "integration_type": 1})
    return InviteLinks(f"{AUTHORIZE}?{server}", f"{AUTHORIZE}?{user}")


def application_id(settings: Settings, timeout: float = 10.0) -> int:
    """The application id, asked from Discord (``DISCORD_API_BASE``) with the bot token."""
    if not settings.token:
        raise OpsError(
            "DISCORD_TOKEN is not set: give --client-id (the developer portal's Application ID)", 2
        )
    request = urllib.request.Request(
        f"{settings.api_base}/oauth2/applications/@me",
        headers={"Authorization": f"Bot {settings.token.get()}", "User-Agent": "Exponent (invite)"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(json.loads(response.read())["id"])
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise OpsError("Discord refused the token (401). Check DISCORD_TOKEN.", 2) from None
        raise OpsError(f"Discord answered {exc.code} when asked for the application id") from None
    except (OSError, ValueError, KeyError) as exc:
        raise OpsError(f"could not ask Discord for the application id ({exc}); give --client-id") from None


def invite_text(client_id: int) -> str:
    links = invite_links(client_id)
    words = ", ".join(name for _, name in PERMISSIONS)
    scopes = " and ".join(SCOPES)
    return (
        f"Add Exponent to a server (scopes: {scopes}; permissions {permission_integer()}: {words}):\n"
        f"  {links.server}\n"
        f"Install it for yourself (commands in DMs and any server; no permissions):\n"
        f"  {links.user}\n"
    )


# -- backup ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    schedules: int


def backup(database: Path, target: Path, *, now: datetime | None = None) -> BackupResult:
    """A consistent copy of ``database`` through SQLite's online backup API, safe while the bot
    writes: it copies one snapshot, is checked, and appears at ``target`` only when complete.

    ``target`` may be a folder: the copy is then named ``exponent-YYYYMMDD-HHMMSS.sqlite3``.
    """
    if not database.is_file():
        raise OpsError(f"no database at {database} (set EXPONENT_DATABASE or --db)")
    if target.is_dir():
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
        target = target / f"exponent-{stamp}.sqlite3"
    if target.exists():
        raise OpsError(f"{target} already exists; choose another name or remove it", 2)
    if not target.parent.is_dir():
        raise OpsError(f"no folder {target.parent} to write the backup in", 2)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)  # all pages in one step: one consistent snapshot
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise OpsError(f"the copy failed SQLite's integrity check: {'; '.join(problems[:5])}")
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            schedules = int(copy.execute("SELECT COUNT(*) FROM daily_schedules").fetchone()[0])
        finally:
            copy.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    partial.replace(target)
    return BackupResult(target, target.stat().st_size, schedules)
