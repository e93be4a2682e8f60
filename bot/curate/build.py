"""Building a source's ``passages.yaml`` and ``corrections.yaml`` from its decisions.

Pure: reads the raw text and the decisions, returns the two files' text and which part of each
raw line the passages use (``Built.cover``). The rules that turn decisions into corrections
(a relabel wherever a passage's speaker differs from the raw label, a realign wherever its Chinese
is not the line just before its English, a missing-original for each Chinese-only passage) are
the same for every source; only their inputs are in the decisions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.curate.decisions import CORRECTION_KINDS, DecisionError, Decisions, PassageDecision

LABEL_RE = re.compile(r"^\*\*([^*]+):\*\*\s*")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
# Said when only the Chinese line's label is wrong and the decisions give no note of their own.
_ZH_LABEL = "the Chinese line's label is not its speaker's"
_ZH_ONLY_LABEL = "the Chinese label is wrong"


class RawText:
    """The raw transcript: one paragraph a line, each line optionally opening with ``**Name:**``,
    each Chinese line beside its English one (before it, or after it: the decisions' ``pairing``)."""

    def __init__(self, text: str, speakers: dict[str, str]) -> None:
        self.lines = text.splitlines()
        self.speakers = speakers

    def __len__(self) -> int:
        return len(self.lines)

    def text(self, n: int) -> str:
        """Line ``n`` (from 1) without its label."""
        return LABEL_RE.sub("", self.lines[n - 1])

    def label(self, n: int) -> str | None:
        m = LABEL_RE.match(self.lines[n - 1])
        if m is None:
            return None
        name = m.group(1)
        if name not in self.speakers:
            raise DecisionError(f"line {n}: label {name!r} is not in the decisions' `speakers`")
        return self.speakers[name]

    def effective_label(self, n: int) -> tuple[str | None, bool]:
        """The label line ``n`` carries, or inherits from the nearest labelled line before it."""
        for k in range(n, 0, -1):
            found = self.label(k)
            if found:
                return found, k != n
        return None, False

    def is_zh(self, n: int) -> bool:
        return 1 <= n <= len(self.lines) and bool(_HAN_RE.search(self.text(n)))


@dataclass(slots=True)
class _Passage:
    decision: PassageDecision
    section: str
    en: str
    zh: str
    turn: int = 0
    paragraph: int = 0

    @property
    def id(self) -> str:
        return self.decision.id


@dataclass(frozen=True, slots=True)
class Built:
    passages_yaml: str
    corrections_yaml: str
    cover: dict[int, list[tuple[int, int]]]  # raw line -> spans of its label-less text used by passages
    passages: list[dict[str, Any]]
    corrections: list[dict[str, Any]]


def raw_file(data_dir: Path, source: str) -> str:
    """The source's raw file, relative to ``data_dir``, as ``sources.yaml`` names it."""
    doc = yaml.safe_load((data_dir / "sources.yaml").read_text(encoding="utf-8"))
    for entry in doc.get("sources", []) if isinstance(doc, dict) else []:
        if isinstance(entry, dict) and entry.get("id") == source:
            file = entry.get("file")
            if not isinstance(file, str):
                raise DecisionError(f"source {source!r} in sources.yaml has no `file` (its raw text)")
            return file
    raise DecisionError(f"no source {source!r} in {data_dir / 'sources.yaml'}")


def build(decisions: Decisions, raw: RawText, raw_name: str) -> Built:
    cover: dict[int, list[tuple[int, int]]] = defaultdict(list)
    passages: list[_Passage] = []
    for d in decisions.passages:
        en, start, end = _cut(raw, d.en_lines, " ", d.en_from, d.en_to, d.id)
        zh, zstart, zend = _cut(raw, d.zh_lines, "", d.zh_from, d.zh_to, d.id)
        for lines, joiner, (a, b) in ((d.en_lines, " ", (start, end)), (d.zh_lines, "", (zstart, zend))):
            offset = 0
            for n in lines:
                length = len(raw.text(n))
                lo, hi = max(a, offset), min(b, offset + length)
                if lo < hi:
                    cover[n].append((lo - offset, hi - offset))
                offset += length + len(joiner)
        passages.append(_Passage(d, _section_of(decisions, d, passages), en, zh))
    turn, para, prev = 0, 0, None
    for p in passages:
        if p.decision.speaker != prev:
            turn += 1
            para = 0
        para += 1
        prev = p.decision.speaker
        p.turn, p.paragraph = turn, para
    corrections = _corrections(decisions, raw, passages)
    out_passages = [
        {
            "id": p.id,
            "section": p.section,
            "speaker": p.decision.speaker,
            "turn": p.turn,
            "paragraph": p.paragraph,
            "en": p.en,
            "en_lines": p.decision.en_lines,
            "zh": p.zh,
            "zh_lines": p.decision.zh_lines,
        }
        for p in passages
    ]
    doc = {
        "source": decisions.source,
        "sections": [{"id": s.id, "en": s.en, "zh": s.zh} for s in decisions.sections],
        "passages": out_passages,
    }
    header_p = (
        f"# Repaired transcript of data/{raw_name} (see data/README.md).\n"
        "# Generated from hand-made decisions; every repair is listed in corrections.yaml.\n"
    )
    header_c = f"# Every repair made to data/{raw_name}, with its reason.\n"
    return Built(
        passages_yaml=_dump(doc, header_p),
        corrections_yaml=_dump({"corrections": corrections}, header_c),
        cover=dict(cover),
        passages=out_passages,
        corrections=corrections,
    )


def _dump(obj: Any, header: str) -> str:
    return header + yaml.safe_dump(
        obj, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None
    )


def _cut(
    raw: RawText, lines: list[int], joiner: str, start: str | None, stop: str | None, pid: str
) -> tuple[str, int, int]:
    """The joined lines, cut from phrase ``start`` to phrase ``stop`` (both inclusive)."""
    if not lines:
        return "", 0, 0  # a Chinese-only passage: no English
    if any(n > len(raw) for n in lines):
        raise DecisionError(f"passage {pid}: lines {lines} beyond the raw file's {len(raw)}")
    text = joiner.join(raw.text(n) for n in lines)
    s = _find(text, start, 0, pid, lines) if start else 0
    e = _find(text, stop, s, pid, lines) + len(stop) if stop else len(text)
    return text[s:e], s, e


def _find(text: str, phrase: str, at: int, pid: str, lines: list[int]) -> int:
    found = text.find(phrase, at)
    if found < 0:
        raise DecisionError(f"passage {pid}: {phrase!r} is not in lines {lines}")
    return found


def _section_of(decisions: Decisions, d: PassageDecision, before: list[_Passage]) -> str:
    """The last section starting at or before the passage's English; a Chinese-only passage stays
    in the section of the passage before it."""
    if d.en_lines:
        started = [s.id for s in decisions.sections if d.en_lines[0] >= s.first_line]
        if started:
            return started[-1]
        raise DecisionError(f"passage {d.id}: line {d.en_lines[0]} is before the first section")
    if not before:
        raise DecisionError(f"passage {d.id}: a Chinese-only passage cannot open the transcript")
    return before[-1].section


def _snippet(text: str, k: int = 14) -> str:
    return text if len(text) <= 2 * k + 1 else text[:k] + "…" + text[-k:]


def _corrections(decisions: Decisions, raw: RawText, passages: list[_Passage]) -> list[dict[str, Any]]:
    name = {person: label for label, person in decisions.speakers.items()}
    by_zh: dict[int, list[str]] = defaultdict(list)
    for p in passages:
        for n in p.decision.zh_lines:
            by_zh[n].append(p.id)
    out: list[dict[str, Any]] = []

    def add(lines: list[int], kind: str, pids: list[str], reason: str) -> None:
        out.append({"lines": sorted(set(lines)), "kind": kind, "passages": pids, "reason": reason})

    for p in passages:  # relabel: the speaker is not the raw label's
        d = p.decision
        if not d.en_lines:
            continue  # Chinese-only: its speaker is explained in its missing-original
        bad = []
        for n in d.en_lines + d.zh_lines:
            label, inherited = raw.effective_label(n)
            if label != d.speaker:
                bad.append((n, label, inherited))
        if not bad:
            continue
        why = d.why
        if not why:
            en_bad = [n for n, _, _ in bad if n in d.en_lines]
            if en_bad:
                raise DecisionError(
                    f"passage {d.id}: line {en_bad[0]} is labelled {name.get(str(bad[0][1]), bad[0][1])}, "
                    f"but the speaker is {name[d.speaker]}: say why (`why`)"
                )
            why = decisions.notes.get("zh_label", _ZH_LABEL)
        parts = [
            f"line {n} "
            + (f"(unlabelled, after a {name[str(lab)]} line)" if inh else f"is labelled {name[str(lab)]}")
            for n, lab, inh in bad
        ]
        joined = "; ".join(parts)
        add(
            [n for n, _, _ in bad],
            "relabel",
            [d.id],
            f"{joined[0].upper() + joined[1:]}, but {why}: {name[d.speaker]}.",
        )

    for c in decisions.corrections:  # what no rule derives, as the curator wrote it
        add(c.lines, c.kind, c.passages, c.reason)

    wrong = decisions.notes.get("zh_only_label", _ZH_ONLY_LABEL)
    for p in passages:  # missing-original: a Chinese-only passage
        d = p.decision
        if d.en_lines:
            continue
        n = d.zh_lines[0]
        shared = any(len(by_zh[z]) > 1 for z in d.zh_lines)
        where = f"line {n}" + (f' ("{_snippet(p.zh)}")' if shared else "")
        label = raw.effective_label(n)[0]
        labelled = name.get(str(label), "nobody")
        who = (
            f"line {n} is labelled {labelled}, rightly"
            if label == d.speaker
            else f"line {n} is labelled {labelled}, wrongly ({wrong})"
        )
        tail = f"; {decisions.tails[n]}" if n in decisions.tails else ""
        reason = (
            f"The English original of {where} is absent from the raw file: {decisions.gaps[str(d.gap)]}. "
            f"So it is a Chinese-only passage (no `en`){tail}. Speaker {name[d.speaker]}: {who}; {d.why}."
        )
        others = [q for q in passages if n in decisions.tails and q.id != d.id and n in q.decision.zh_lines]
        lines = d.zh_lines + [m for q in others for m in q.decision.en_lines]
        add(lines, "missing-original", [d.id] + [q.id for q in others], reason)

    zh_first = decisions.pairing == "zh-first"
    side = "before" if zh_first else "after"
    for p in passages:  # realign: the Chinese is not the line just before (or after) the English
        zl, el = p.decision.zh_lines, p.decision.en_lines
        if not el:
            continue
        at = el[0] if zh_first else el[-1]
        beside = at - 1 if zh_first else at + 1
        if zl == [beside]:
            continue
        part = " (its matching part)" if any(len(by_zh[z]) > 1 for z in zl) else ""
        zr = ", ".join(map(str, zl))
        if not raw.is_zh(beside):
            reason = (
                f"Line {at} has no Chinese line of its own {side} it (line {beside} is English); "
                f"its translation is line {zr}{part}."
            )
        elif beside in zl:
            reason = (
                f"The English (line(s) {', '.join(map(str, el))}) is one paragraph while its Chinese is "
                f"split over lines {zr}; paired with all of them."
            )
        else:
            owners = by_zh.get(beside, [])
            whose = f"belongs to {', '.join(owners)}" if owners else "has no English original in the file"
            reason = (
                f"The Chinese beside line {at} is line {beside}, which {whose}; "
                f"this paragraph's translation is line {zr}{part}."
            )
        add(el + zl, "realign", [p.id], reason)

    order = {kind: i for i, kind in enumerate(CORRECTION_KINDS)}
    out.sort(key=lambda c: (c["lines"][0], order[c["kind"]]))
    return out
