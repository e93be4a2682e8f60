"""Reading one source's ``decisions.yaml`` into typed decisions, with clear errors.

The file is the whole of the curator's judgement: which raw lines make each passage, whose words
they are and why when the raw label says otherwise, where a line is cut, and the corrections that
no rule can derive (splits, joins, repeats, rewordings). Everything else is computed by ``build``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DECISIONS = "decisions.yaml"
PASSAGES = "passages.yaml"
CORRECTIONS = "corrections.yaml"
TRANSCRIPT_DIR = "transcript"
CORRECTION_KINDS = (
    "relabel",
    "missing-original",
    "realign",
    "split",
    "join",
    "duplicate",
    "alternate-wording",
)
PAIRINGS = ("zh-first", "en-first")  # where a paragraph's translation sits: the line before, or after
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

_TOP = {"source", "speakers", "pairing", "notes", "gaps", "tails", "sections", "passages", "corrections"}
_NOTES = {"zh_label", "zh_only_label"}
_SECTION = {"id", "first_line", "en", "zh"}
_PASSAGE = {"id", "speaker", "en_lines", "zh_lines", "en_from", "en_to", "zh_from", "zh_to", "why", "gap"}
_CORRECTION = {"lines", "kind", "passages", "reason"}


class DecisionError(Exception):
    """A decisions file that cannot be built from; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class SectionDecision:
    id: str
    first_line: int  # the first English line of the section
    en: str
    zh: str


@dataclass(frozen=True, slots=True)
class PassageDecision:
    id: str
    speaker: str
    en_lines: list[int]
    zh_lines: list[int]
    en_from: str | None = None  # cut the joined English from this phrase (inclusive)
    en_to: str | None = None  # ... to this phrase (inclusive)
    zh_from: str | None = None
    zh_to: str | None = None
    why: str | None = None  # why the speaker is not the raw label's
    gap: str | None = None  # Chinese-only: the name of the gap in `gaps` its English fell into


@dataclass(frozen=True, slots=True)
class CorrectionDecision:
    lines: list[int]
    kind: str
    passages: list[str]
    reason: str


@dataclass(slots=True)
class Decisions:
    source: str
    speakers: dict[str, str]  # raw label -> person id
    sections: list[SectionDecision]
    passages: list[PassageDecision]
    corrections: list[CorrectionDecision]
    notes: dict[str, str] = field(default_factory=dict)
    gaps: dict[str, str] = field(default_factory=dict)
    tails: dict[int, str] = field(default_factory=dict)
    pairing: str = "zh-first"
    path: Path = Path()


def transcript_dir(data_dir: Path, source: str) -> Path:
    return data_dir / TRANSCRIPT_DIR / source


def load_decisions(data_dir: Path, source: str) -> Decisions:
    path = transcript_dir(data_dir, source) / DECISIONS
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DecisionError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise DecisionError(f"{path}: not valid YAML: {exc}") from exc
    return parse_decisions(doc, path, source)


def parse_decisions(doc: Any, path: Path, source: str) -> Decisions:
    where = str(path)
    top = _mapping(doc, where, _TOP)
    if top.get("source") != source:
        raise DecisionError(f"{where}: `source` is {top.get('source')!r}, but the folder is {source!r}")
    speakers = _str_map(top.get("speakers"), f"{where}: speakers")
    if not speakers:
        raise DecisionError(f"{where}: `speakers` maps each raw label to a person id; it is empty")
    notes = _str_map(top.get("notes", {}), f"{where}: notes")
    for unknown in sorted(set(notes) - _NOTES):
        raise DecisionError(f"{where}: notes: unknown note `{unknown}`")
    tails = {int(k): v for k, v in _str_map(top.get("tails", {}), f"{where}: tails", int_keys=True).items()}
    decisions = Decisions(
        source=source,
        speakers=speakers,
        notes=notes,
        gaps=_str_map(top.get("gaps", {}), f"{where}: gaps"),
        tails=tails,
        pairing=_pairing(top.get("pairing", "zh-first"), where),
        sections=[_section(raw, where) for raw in _list(top.get("sections"), f"{where}: sections")],
        passages=[_passage(raw, where, speakers) for raw in _list(top.get("passages"), f"{where}: passages")],
        corrections=[_correction(raw, where) for raw in _list(top.get("corrections", []), f"{where}")],
        path=path,
    )
    seen: set[str] = set()
    for p in decisions.passages:
        if p.id in seen:
            raise DecisionError(f"{where}: passage {p.id}: duplicate id")
        seen.add(p.id)
        if p.gap is not None and p.gap not in decisions.gaps:
            raise DecisionError(f"{where}: passage {p.id}: unknown gap {p.gap!r}")
    for c in decisions.corrections:
        for pid in c.passages:
            if pid not in seen:
                raise DecisionError(f"{where}: correction at lines {c.lines}: unknown passage {pid!r}")
    return decisions


def _pairing(raw: Any, where: str) -> str:
    if raw not in PAIRINGS:
        raise DecisionError(f"{where}: `pairing` is {raw!r}; it is one of {', '.join(PAIRINGS)}")
    return str(raw)


def _mapping(raw: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise DecisionError(f"{where}: expected a mapping")
    for unknown in sorted(set(raw) - allowed, key=str):
        raise DecisionError(f"{where}: unknown field `{unknown}`")
    return raw


def _list(raw: Any, where: str) -> list[Any]:
    if not isinstance(raw, list):
        raise DecisionError(f"{where}: expected a list")
    return raw


def _str_map(raw: Any, where: str, int_keys: bool = False) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(
        isinstance(v, str) and (isinstance(k, int) if int_keys else isinstance(k, str))
        for k, v in raw.items()
    ):
        kind = "line numbers" if int_keys else "names"
        raise DecisionError(f"{where}: expected a mapping of {kind} to text")
    return raw


def _text(raw: dict[str, Any], key: str, where: str, required: bool = True) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise DecisionError(f"{where}: `{key}` must be non-empty text")
    return value


def _lines(raw: dict[str, Any], key: str, where: str) -> list[int]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(n, int) and n >= 1 for n in value):
        raise DecisionError(f"{where}: `{key}` must be a list of line numbers (from 1)")
    return value


def _section(raw: Any, where: str) -> SectionDecision:
    label = raw.get("id") if isinstance(raw, dict) else raw
    at = f"{where}: section {label}"
    entry = _mapping(raw, at, _SECTION)
    first = entry.get("first_line")
    if not isinstance(first, int):
        raise DecisionError(f"{at}: `first_line` must be a line number")
    return SectionDecision(
        id=str(_text(entry, "id", at)),
        first_line=first,
        en=str(_text(entry, "en", at)),
        zh=str(_text(entry, "zh", at)),
    )


def _passage(raw: Any, where: str, speakers: dict[str, str]) -> PassageDecision:
    label = raw.get("id") if isinstance(raw, dict) else raw
    at = f"{where}: passage {label}"
    entry = _mapping(raw, at, _PASSAGE)
    pid = str(_text(entry, "id", at))
    if not _ID_RE.match(pid):
        raise DecisionError(f"{at}: id must be lowercase [a-z0-9-]")
    speaker = str(_text(entry, "speaker", at))
    if speaker not in speakers.values():
        raise DecisionError(f"{at}: speaker {speaker!r} is not one of `speakers`")
    passage = PassageDecision(
        id=pid,
        speaker=speaker,
        en_lines=_lines(entry, "en_lines", at),
        zh_lines=_lines(entry, "zh_lines", at),
        en_from=_text(entry, "en_from", at, required=False),
        en_to=_text(entry, "en_to", at, required=False),
        zh_from=_text(entry, "zh_from", at, required=False),
        zh_to=_text(entry, "zh_to", at, required=False),
        why=_text(entry, "why", at, required=False),
        gap=_text(entry, "gap", at, required=False),
    )
    if not passage.zh_lines:
        raise DecisionError(f"{at}: a passage needs its Chinese lines (`zh_lines`)")
    if not passage.en_lines and (passage.gap is None or passage.why is None):
        raise DecisionError(f"{at}: a Chinese-only passage needs the `gap` its English fell into and a `why`")
    return passage


def _correction(raw: Any, where: str) -> CorrectionDecision:
    at = f"{where}: correction {raw.get('lines') if isinstance(raw, dict) else raw}"
    entry = _mapping(raw, at, _CORRECTION)
    kind = str(_text(entry, "kind", at))
    if kind not in CORRECTION_KINDS:
        raise DecisionError(f"{at}: kind {kind!r} is not one of {', '.join(CORRECTION_KINDS)}")
    lines = _lines(entry, "lines", at)
    passages = entry.get("passages")
    if not lines or not isinstance(passages, list) or not all(isinstance(p, str) for p in passages):
        raise DecisionError(f"{at}: needs `lines` and `passages` (a list of passage ids)")
    return CorrectionDecision(
        lines=sorted(set(lines)), kind=kind, passages=passages, reason=str(_text(entry, "reason", at))
    )
