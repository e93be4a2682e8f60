"""Truth checks on a loaded pack: every word verbatim from its source, every word its speaker's.

``verify`` runs after ``load_pack``; together they are ``python -m bot check``.
It also fills in what the checks establish (the passage a fact's evidence
comes from), so the store imports what was verified.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from pathlib import Path

from bot.models import EDITOR, Pack
from bot.numbers import states_number
from bot.pack import Problem, passages_holding
from bot.text import squash

_LABEL_RE = re.compile(r"^\*\*[^*]+:\*\*\s*")
FACTS_FILE = "facts.yaml"


@cache
def _raw_lines(path: Path) -> tuple[str, ...]:
    text = path.read_text(encoding="utf-8")
    return tuple(_LABEL_RE.sub("", line) for line in text.splitlines())


@cache
def _squashed_file(path: Path) -> str:
    return squash(path.read_text(encoding="utf-8"))


def verify(pack: Pack, data_dir: Path) -> list[Problem]:
    problems: list[Problem] = []
    problems += _verify_passages(pack, data_dir)
    problems += _verify_quotes(pack)
    problems += _verify_facts(pack, data_dir)
    return problems


def _lines_text(lines: tuple[str, ...], wanted: tuple[int, ...]) -> str | None:
    if any(n < 1 or n > len(lines) for n in wanted):
        return None
    return "".join(squash(lines[n - 1]) for n in wanted)


def _verify_passages(pack: Pack, data_dir: Path) -> list[Problem]:
    problems: list[Problem] = []
    for passage in pack.passages.values():
        source = pack.sources.get(passage.source)
        if source is None or source.file is None:
            continue
        lines = _raw_lines(data_dir / source.file)
        where = f"transcript/{passage.source}/passages.yaml"
        for lang, text, cited in (
            ("en", passage.text.en, passage.en_lines),
            ("zh", passage.text.zh, passage.zh_lines),
        ):
            if not text:
                continue
            joined = _lines_text(lines, cited)
            if joined is None:
                problems.append(Problem(where, passage.id, f"{lang}_lines {list(cited)} out of range"))
            elif squash(text) not in joined:
                problems.append(
                    Problem(
                        where,
                        passage.id,
                        f"{lang} text is not verbatim in raw lines {list(cited)} of {source.file}",
                    )
                )
    return problems


def _verify_quotes(pack: Pack) -> list[Problem]:
    problems: list[Problem] = []
    for quote in pack.quotes.values():
        where = f"quotes/*.yaml: {quote.id}"
        passage = pack.passages.get(quote.passage)
        if passage is None:
            continue  # the loader already reported it
        for lang, text, held in (
            ("en", quote.text.en, passage.text.en),
            ("zh", quote.text.zh, passage.text.zh),
        ):
            if text and squash(text) not in squash(held):
                problems.append(Problem(where, "-", f"{lang} text is not verbatim in passage {passage.id}"))
        if quote.speaker != passage.speaker:
            problems.append(
                Problem(
                    where,
                    "-",
                    f"speaker is {quote.speaker} but passage {passage.id} is {passage.speaker}'s",
                )
            )
    return problems


def _verify_facts(pack: Pack, data_dir: Path) -> list[Problem]:
    problems: list[Problem] = []
    for fact_id, fact in list(pack.facts.items()):
        source = pack.sources.get(fact.source)
        if source is None:
            continue
        if source.file:
            whole = _squashed_file(data_dir / source.file)
            for lang, text in (("en", fact.evidence.en), ("zh", fact.evidence.zh)):
                if text and squash(text) not in whole:
                    problems.append(
                        Problem(FACTS_FILE, fact_id, f"evidence.{lang} is not verbatim in {source.file}")
                    )
        if fact.number is not None and not (
            states_number(fact.evidence.en, fact.number) or states_number(fact.evidence.zh, fact.number)
        ):
            problems.append(
                Problem(FACTS_FILE, fact_id, f"number {fact.number:g} does not appear in its evidence")
            )
        if source.kind == "transcript":
            if fact.by == EDITOR:
                problems.append(
                    Problem(FACTS_FILE, fact_id, "a transcript figure is a speaker's, not an editor's")
                )
                continue
            holders = passages_holding(pack, source.id, fact.evidence.en, fact.evidence.zh)
            if not holders:
                problems.append(
                    Problem(
                        FACTS_FILE,
                        fact_id,
                        "evidence (en and zh together) is not within one passage of the repaired transcript",
                    )
                )
            elif all(p.speaker != fact.by for p in holders):
                problems.append(
                    Problem(
                        FACTS_FILE,
                        fact_id,
                        f"`by` is {fact.by} but the evidence is {holders[0].speaker}'s "
                        f"(passage {holders[0].id})",
                    )
                )
            else:
                holder = next(p for p in holders if p.speaker == fact.by)
                if holder.text.en and not fact.evidence.en:
                    problems.append(
                        Problem(
                            FACTS_FILE,
                            fact_id,
                            f"evidence.en is missing (passage {holder.id} has English)",
                        )
                    )
                pack.facts[fact_id] = dataclasses.replace(fact, passage=holder.id)
    return problems
