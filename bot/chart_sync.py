"""Keeping the stored charts in step with the imported data: drawn by a child process, stored as PNGs.

The bot never imports matplotlib (``bot.chart_render`` does, in a child): the
charts change only when the data or the drawing does, so they are drawn once
per data import and version of the drawing code (``charts_key``) and served from the
database. A child that fails leaves the bot without charts (logged, retried on
the next start): a chart adds to the timeline's text, it never replaces it.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import importlib.util
import json
import logging
import os
import sys
from pathlib import Path

from bot import charts as chart_words
from bot.charts import decide_all
from bot.pack import chart_rules
from bot.store import Store

log = logging.getLogger(__name__)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Discord takes attachments up to 10 MB from any bot (25 MB is a boosted server's limit);
# a chart is ~15-25 KB, so anything near a megabyte is a drawing gone wrong.
MAX_PNG_BYTES = 1_000_000
CHILD_TIMEOUT_S = 180.0
# A directory of drawn charts keyed by what they are drawn from, shared by many databases
# with the same data: the test suite sets it so the charts are drawn once per session.
CACHE_ENV = "EXPONENT_CHART_CACHE"


def charts_key(pack_digest: str) -> str:
    """What stored charts were drawn from: the data, and the code that words and draws them.

    The drawing module is hashed as a file, not imported (that would load matplotlib here).
    """
    hasher = hashlib.sha256(pack_digest.encode())
    render = importlib.util.find_spec("bot.chart_render")
    for source in (chart_words.__file__, render.origin if render else None):
        if source:
            hasher.update(Path(source).read_bytes())
    return hasher.hexdigest()


async def sync_charts(store: Store, data_dir: Path) -> bool:
    """Draw and store the charts when the imported data or the drawing changed; True if stored."""
    digest = await store.content.pack_digest()
    if digest is None:
        return False
    key = charts_key(digest)
    if await store.content.charts_key() == key:
        return False
    rules = chart_rules(data_dir)
    facts = list((await store.content.facts()).values())
    if not any(d.drawn for d in decide_all(facts, rules).values()):
        await store.content.replace_charts(key, [])
        return True
    cache_root = os.environ.get(CACHE_ENV)
    cached = Path(cache_root) / f"{key}.json" if cache_root else None
    if cached is not None and cached.is_file():
        raw = cached.read_bytes()
    else:
        drawn = await _draw_in_child(store.db.path, data_dir)
        if drawn is None:
            return False
        raw = drawn
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(raw)
            partial.replace(cached)
    charts = _parse(raw)
    await store.content.replace_charts(key, charts)
    log.info("stored %d charts (%s)", len(charts), ", ".join(sorted({c[0] for c in charts})))
    return True


async def _draw_in_child(database: str, data_dir: Path) -> bytes | None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.chart_render",
        "--db",
        database,
        "--data",
        str(data_dir),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), CHILD_TIMEOUT_S)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        log.warning("drawing the charts took over %.0f s; the bot answers without them", CHILD_TIMEOUT_S)
        return None
    if proc.returncode != 0:
        log.warning(
            "drawing the charts failed (exit %s); the bot answers without them:\n%s",
            proc.returncode,
            err.decode(errors="replace")[-2000:],
        )
        return None
    return out


def _parse(raw: bytes) -> list[tuple[str, str, bytes, str]]:
    charts: list[tuple[str, str, bytes, str]] = []
    for chart in json.loads(raw)["charts"]:
        png = base64.b64decode(chart["png"])
        if not png.startswith(PNG_SIGNATURE) or len(png) > MAX_PNG_BYTES:
            log.warning("chart %s/%s is not a small PNG; left out", chart["group"], chart["lang"])
            continue
        spec = json.dumps(chart["spec"], ensure_ascii=False)
        charts.append((chart["group"], chart["lang"], png, spec))
    return charts
