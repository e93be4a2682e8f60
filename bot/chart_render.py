"""Drawing the charts: run as a child process, once per data import (``python -m bot.chart_render``).

The bot never imports this module: matplotlib and numpy would stay in its memory
for good (tens of MB) to draw a handful of images that only change with the
data. ``bot.service.sync_charts`` starts this as a child, which reads the
database and ``data/charts.yaml``, draws every chart in every language with
matplotlib's non-interactive Agg backend, and prints them as one JSON object;
the parent stores the PNGs.

Chinese words are set in Noto Sans CJK (SC for Simplified, TC for Traditional)
from the ``noto-cjk-sans-otc`` package, so a chart looks the same on a machine
with no Chinese fonts installed.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import itertools
import json
import logging
import sys
import textwrap
from importlib import resources
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator
from PIL import Image

from bot.charts import ChartSpec, format_value, specs
from bot.lang import Lang, zh_for

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 4.8, 125  # 1000 x 600 px: sharp in an embed
PALETTE_COLOURS = 64
LATIN_FALLBACK = "DejaVu Sans"  # ships with matplotlib

# Colour tells who (one per speaker, in order; editors apart), shape and line tell standing.
SPEAKER_COLOURS = ("#0b5cad", "#6a3d9a", "#1b7837")
EDITOR_COLOUR = "#d55e00"
MARKERS: dict[str, tuple[str, bool]] = {  # standing: (marker, filled)
    "stated": ("o", True),
    "estimate": ("o", False),
    "projection": ("s", False),
    "paraphrase": ("^", False),
    "example": ("D", False),
    "probability": ("v", False),
    "editor": ("s", True),
}
LINES: dict[str, Any] = {"stated": "-", "example": ":"}  # anything else: dashed


def _register_cjk_font() -> None:
    # Noto Sans CJK Regular has no bold face; matplotlib would warn on every bold label.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    font = resources.files("noto_cjk_sans_otc").joinpath("NotoSansCJK-Regular.ttc")
    with resources.as_file(font) as path:
        font_manager.fontManager.addfont(str(path))


def _wrap(text: str, width: int) -> str:
    """Lines of about ``width`` characters at spaces; Chinese with no spaces, between characters."""
    if " " in text.strip() or not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text
    step = max(1, width // 2)
    return "\n".join(text[i : i + step] for i in range(0, len(text), step))


def render(spec: ChartSpec) -> bytes:
    """One chart as PNG bytes."""
    lang = Lang(spec.lang)
    family = [spec.font, LATIN_FALLBACK] if spec.font else [LATIN_FALLBACK]

    def fmt(number: float) -> str:
        text = format_value(number, spec.unit, lang)
        return zh_for(lang, text) if lang is not Lang.EN else text

    with plt.rc_context({"font.family": family, "font.size": 11, "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
        try:
            _draw(fig, ax, spec, fmt)
            drawn = io.BytesIO()
            fig.savefig(drawn, format="png", dpi=DPI, metadata={"Software": None})
        finally:
            plt.close(fig)
    return _small_png(drawn)


def _small_png(drawn: io.BytesIO) -> bytes:
    """The chart in 64 colours: it looks the same (flat colours on white) at a third of the bytes.

    Every send holds its copy of the PNG until Discord has it, so a burst of timelines
    costs the bot memory in proportion (~25 KB a chart instead of ~80 KB).
    """
    drawn.seek(0)
    with Image.open(drawn) as image:
        palette = image.convert("RGB").quantize(
            colors=PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _draw(fig: Any, ax: Any, spec: ChartSpec, fmt: Any) -> None:
    points = spec.points
    xs = list(range(len(points)))
    speakers = list(dict.fromkeys(p.by for p in points if p.speaker))
    colour = {by: SPEAKER_COLOURS[i % len(SPEAKER_COLOURS)] for i, by in enumerate(speakers)}

    # Each speaker's figures joined in timeline order; a segment is drawn in the
    # style of the figure it leads to (solid to a stated one, dotted to an example).
    for by in speakers:
        mine = [(x, p) for x, p in zip(xs, points, strict=True) if p.speaker and p.by == by]
        for (x0, p0), (x1, p1) in itertools.pairwise(mine):
            ax.plot(
                [x0, x1],
                [p0.number, p1.number],
                color=colour[by],
                linewidth=1.6,
                linestyle=LINES.get(p1.standing, "--"),
                zorder=2,
            )

    legend: dict[str, Line2D] = {}
    for x, p in zip(xs, points, strict=True):
        c = colour[p.by] if p.speaker else EDITOR_COLOUR
        marker, filled = MARKERS.get(p.standing, ("o", False))
        if p.low is not None:  # a stated range: a bar from its bottom up to the plotted top
            ax.errorbar(
                [x],
                [p.number],
                yerr=[[p.number - p.low], [0.0]],
                fmt="none",
                ecolor=c,
                elinewidth=1.6,
                capsize=5,
                capthick=1.6,
                zorder=3,
            )
        ax.plot(
            [x],
            [p.number],
            marker=marker,
            markersize=8,
            markeredgewidth=1.8,
            color=c,
            markerfacecolor=c if filled else "white",
            linestyle="none",
            zorder=3,
        )
        above = p.speaker
        ax.annotate(
            p.value,
            (x, p.number),
            xytext=(0, 9 if above else -11),
            textcoords="offset points",
            ha="center",
            va="bottom" if above else "top",
            fontsize=9.5,
            color=c,
            zorder=4,
            fontweight="bold" if p.standing == "stated" else "normal",
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        )
        if p.series not in legend:
            legend[p.series] = Line2D(
                [],
                [],
                color=c,
                marker=marker,
                markersize=7,
                markeredgewidth=1.6,
                markerfacecolor=c if filled else "white",
                linestyle=LINES.get(p.standing, "--") if p.speaker else "none",
            )

    ax.set_xticks(xs, [_wrap(p.period, 11) for p in points], fontsize=9)
    ax.set_xlim(-0.6, len(points) - 0.4)
    if spec.log:
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10))
        ax.yaxis.set_minor_locator(NullLocator())
        low = min(p.number if p.low is None else p.low for p in points)
        high = max(p.number for p in points)
        ax.set_ylim(low / 3, high * 4)
    else:
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
        high = max(p.number for p in points)
        ax.set_ylim(0, high * 1.2)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v) if v > 0 else "0"))
    ax.set_ylabel(_wrap(spec.axis, 36), fontsize=9.5)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.suptitle(spec.title, fontsize=14, fontweight="bold", x=0.02, ha="left")
    ax.set_xlabel(spec.order_note, fontsize=8.5, color="#555555", loc="right")
    if spec.scale_note:
        ax.set_title(spec.scale_note, fontsize=9, loc="left", color="#555555")
    ax.legend(
        handles=list(legend.values()),
        labels=list(legend),
        fontsize=8.5,
        loc="best",
        frameon=True,
        framealpha=0.9,
        edgecolor="#cccccc",
    )
    fig.tight_layout()


async def _specs(database: Path, data_dir: Path) -> list[ChartSpec]:
    from bot.knowledge import Knowledge
    from bot.pack import chart_rules
    from bot.store import Store

    store = await Store.open(database)
    try:
        knowledge = await Knowledge.load(store)
        rules = chart_rules(data_dir)
        return specs(knowledge, rules)
    finally:
        await store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args(argv)
    _register_cjk_font()
    out: list[dict[str, Any]] = []
    for spec in asyncio.run(_specs(args.db, args.data)):
        png = render(spec)
        out.append(
            {
                "group": spec.group,
                "lang": spec.lang,
                "spec": spec.to_json(),
                "png": base64.b64encode(png).decode("ascii"),
            }
        )
    json.dump({"charts": out}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
