"""Judging a source's passage files against its raw text and its decisions.

``audit`` is what ``python -m bot check`` runs for every folder under ``data/transcript/``: the
files must be exactly what the decisions build, and every raw line must be used by a passage or
named by a correction that says why not. Loose hints for the curator (figures that differ between
the two languages, a translation much longer or shorter than its English) are ``notes``, never
problems: a translation may legitimately drop a figure.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bot.curate.build import Built, RawText, build, raw_file
from bot.curate.decisions import (
    CORRECTIONS,
    DECISIONS,
    PASSAGES,
    TRANSCRIPT_DIR,
    DecisionError,
    load_decisions,
    transcript_dir,
)
from bot.pack import Problem

_SPACE_RE = re.compile(r"\s+")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")


@dataclass(slots=True)
class Audit:
    source: str
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    built: Built | None = None


def sources_with_transcripts(data_dir: Path) -> list[str]:
    """Every folder under ``data/transcript/``: one source each."""
    root = data_dir / TRANSCRIPT_DIR
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def audit_all(data_dir: Path) -> list[Problem]:
    return [
        problem
        for source in sources_with_transcripts(data_dir)
        for problem in audit(data_dir, source).problems
    ]


def build_source(data_dir: Path, source: str) -> Built:
    """Build a source's files from its decisions (without writing them)."""
    decisions = load_decisions(data_dir, source)
    name = raw_file(data_dir, source)
    try:
        text = (data_dir / name).read_text(encoding="utf-8")
    except OSError as exc:
        raise DecisionError(f"{data_dir / name}: cannot read: {exc.strerror}") from exc
    return build(decisions, RawText(text, decisions.speakers), name)


def write_source(data_dir: Path, source: str) -> Built:
    built = build_source(data_dir, source)
    folder = transcript_dir(data_dir, source)
    (folder / PASSAGES).write_text(built.passages_yaml, encoding="utf-8")
    (folder / CORRECTIONS).write_text(built.corrections_yaml, encoding="utf-8")
    return built


def audit(data_dir: Path, source: str) -> Audit:
    result = Audit(source)
    folder = f"{TRANSCRIPT_DIR}/{source}"
    passages_file = f"{folder}/{PASSAGES}"
    try:
        built = build_source(data_dir, source)
        raw = RawText((data_dir / raw_file(data_dir, source)).read_text(encoding="utf-8"), {})
    except DecisionError as exc:
        result.problems.append(Problem(f"{folder}/{DECISIONS}", "-", str(exc)))
        return result
    result.built = built
    run = f"python -m bot.curate build {source}"
    for name, wanted in ((PASSAGES, built.passages_yaml), (CORRECTIONS, built.corrections_yaml)):
        path = data_dir / folder / name
        if not path.is_file():
            result.problems.append(Problem(f"{folder}/{name}", "-", f"missing: run `{run}`"))
        elif path.read_text(encoding="utf-8") != wanted:
            result.problems.append(
                Problem(f"{folder}/{name}", "-", f"stale: not what {DECISIONS} builds; run `{run}`")
            )
    explained: dict[int, set[str]] = defaultdict(set)
    for c in built.corrections:
        for n in c["lines"]:
            explained[n].add(c["kind"])
    for n in range(1, len(raw) + 1):
        rest = _uncovered(raw.text(n), built.cover.get(n, []))
        if not rest:
            continue
        if n in explained:
            result.notes.append(f"line {n} partly unused [{', '.join(sorted(explained[n]))}]: {rest[:80]!r}")
        else:
            result.problems.append(
                Problem(
                    passages_file,
                    f"line {n}",
                    f"not used by any passage nor named by a correction: {rest[:60]!r}",
                )
            )
    for p in built.passages:
        for lang in ("en", "zh"):
            for n in p[f"{lang}_lines"]:
                if raw.is_zh(n) != (lang == "zh"):
                    result.problems.append(
                        Problem(passages_file, p["id"], f"{lang}_lines: line {n} is not {lang}")
                    )
    # Passages follow the English; a translation out of step may run in another order (a note).
    for lang in ("en", "zh"):
        firsts = [(p[f"{lang}_lines"][0], p["id"]) for p in built.passages if p[f"{lang}_lines"]]
        for (a, _), (b, pid) in itertools.pairwise(firsts):
            if b >= a:
                continue
            if lang == "en":
                result.problems.append(
                    Problem(
                        passages_file,
                        pid,
                        f"out of conversation order: its en starts at line {b}, before {a}",
                    )
                )
            else:
                result.notes.append(
                    f"{pid}: its Chinese (line {b}) comes before the previous passage's ({a})"
                )
    result.notes += _hints(built)
    return result


def _uncovered(text: str, spans: list[tuple[int, int]]) -> str:
    used = [False] * len(text)
    for a, b in spans:
        for k in range(a, b):
            used[k] = True
    return _SPACE_RE.sub("", "".join(ch for ch, u in zip(text, used, strict=True) if not u))


def _hints(built: Built) -> list[str]:
    notes = []
    for p in built.passages:
        if not p["en"]:
            continue
        en, zh = (set(_NUMBER_RE.findall(p[k].replace(",", ""))) for k in ("en", "zh"))
        if len(en ^ zh) > 3 or (en and not en & zh):
            notes.append(
                f"{p['id']}: figures differ: en-only {sorted(en - zh)[:8]}, zh-only {sorted(zh - en)[:8]}"
            )
        ratio = len(p["zh"]) / max(1, len(p["en"]))
        if not 0.2 < ratio < 0.55:
            notes.append(f"{p['id']}: Chinese is {ratio:.2f} times the English's length")
    speakers = Counter(p["speaker"] for p in built.passages)
    kinds = Counter(c["kind"] for c in built.corrections)
    only_zh = sum(1 for p in built.passages if not p["en"])
    notes.append(f"passages {len(built.passages)} {dict(speakers)}, Chinese-only {only_zh}")
    notes.append(f"corrections {dict(kinds)}")
    return notes
