"""``EXPONENT_HTTP``: ``GET /healthz`` and ``GET /metrics`` on a small aiohttp server (off by default).

The server knows nothing of Discord: the bot hands it a :class:`StatusSource`, which says
how the gateway and the database are and refreshes the gauges read at scrape time.
"""

from __future__ import annotations

import json
import logging
from typing import Protocol

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.settings import HttpAddress
from bot.telemetry import ShardState, Telemetry

log = logging.getLogger(__name__)


class StatusSource(Protocol):
    telemetry: Telemetry

    def shard_states(self) -> list[ShardState]: ...

    async def database_problem(self) -> str | None:
        """None when the database answers; otherwise what went wrong, in a few words."""
        ...

    async def refresh_metrics(self) -> None: ...


class StatusServer:
    def __init__(self, address: HttpAddress, source: StatusSource) -> None:
        self.address = address
        self.source = source
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        self.port: int | None = None

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.address.host, self.address.port)
        await site.start()
        server = site._server  # the bound port, when 0 asked for any free one
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else self.address.port
        log.info("health and metrics on http://%s:%s/healthz and /metrics", self.address.host, self.port)

    async def stop(self) -> None:
        await self._runner.cleanup()

    async def _healthz(self, request: web.Request) -> web.Response:
        health = self.source.telemetry.health(
            self.source.shard_states(), await self.source.database_problem()
        )
        return web.Response(
            status=200 if health.ok else 503,
            body=json.dumps(health.body).encode(),
            content_type="application/json",
            headers={"Cache-Control": "no-store"},
        )

    async def _metrics(self, request: web.Request) -> web.Response:
        await self.source.refresh_metrics()
        response = web.Response(body=self.source.telemetry.render())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response
