"""Resolving what a reader types (`revenue`, `估值`, `odds models stop getting better`) to key numbers.

Facts are few, so they are ranked in memory. A query is analysed like every
search (``bot.query``: variants, segmentation, typos, glossary, stop words);
each fact is scored by how much of the query's weight it holds, each term
weighed by its rarity among facts and by where the fact holds it: its names
(id, group, aliases, period) count most, its label and value less, its
evidence sentence least. The outcome is one fact, a whole group (a timeline),
a short list of candidates best first, or nothing (with suggestions): never a
guess presented with confidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from rapidfuzz import fuzz

from bot.models import Fact
from bot.query import Analyzer, Form, Term, form_of
from bot.search import OTHER_NAME
from bot.text import index_terms, is_han, normalise, tokens

# Words that say nothing about which number is meant (besides the common stop words).
FACT_STOPWORDS = frozenset(
    "anthropic anthropics number numbers figure figures much many 多少 数字 公司 几 是多少 年".split()
)
FIELD_WEIGHTS = {"names": 1.0, "label": 0.85, "evidence": 0.6}
DEPTH = 0.02  # each further field holding a term: orders equally named facts, never splits a tie (TIE)
CONFIDENT = 0.6  # a fact holding this share of the query is the answer
PLAUSIBLE = 0.4  # below this share, no fact is offered as an answer (suggestions only)
LEADING = 0.5  # a fact holding this share of the query, clearly ahead of the next, is the answer
CLEAR_LEAD = 0.15
TIE = 0.04  # scores this close to the best are as good as it


class Outcome(Enum):
    FACT = "fact"
    GROUP = "facts"
    CANDIDATES = "candidates"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Resolution:
    outcome: Outcome
    facts: tuple[Fact, ...]
    suggestions: tuple[Fact, ...] = ()


@dataclass(frozen=True, slots=True)
class _Field:
    words: str  # indexed like quotes (stems, Han bigrams): see ``bot.text.index_terms``
    chars: str


@dataclass(frozen=True, slots=True)
class _Keys:
    fact: Fact
    fields: dict[str, _Field]
    phrases: tuple[str, ...]  # whole keys, normalised, for autocomplete


def _field(texts: list[str]) -> _Field:
    return _Field(*index_terms(" ".join(t.replace("-", " ") for t in texts if t)))


def _keys(fact: Fact) -> _Keys:
    names = [fact.group, *fact.aliases_en, *fact.aliases_zh]
    if fact.period:
        names += [fact.period.en, fact.period.zh]
    # The id's words are a curator's shorthand (…-speedup-now): they describe, like the label.
    label = [fact.id.removeprefix("f-"), fact.label.en, fact.label.zh, fact.value.en, fact.value.zh]
    evidence = [fact.evidence.en, fact.evidence.zh]
    fields = {"names": _field(names), "label": _field(label), "evidence": _field(evidence)}
    phrases = tuple(dict.fromkeys(normalise(t) for t in [fact.label.en, fact.label.zh, *names] if t))
    return _Keys(fact, fields, phrases)


def _group_or_fact(facts: list[Fact]) -> Resolution:
    if len(facts) == 1:
        return Resolution(Outcome.FACT, (facts[0],))
    return Resolution(Outcome.GROUP, tuple(sorted(facts, key=lambda f: (f.order, f.id))))


class FactIndex:
    def __init__(self, facts: list[Fact], analyzer: Analyzer) -> None:
        self.facts = sorted(facts, key=lambda f: (f.group, f.order, f.id))
        self.by_id = {f.id: f for f in self.facts}
        self.analyzer = analyzer
        self._keys = [_keys(f) for f in self.facts]
        self._columns: dict[tuple[Form, ...], list[float]] = {}  # per term: how each fact holds it

    def _held_by_each(self, term: Term) -> list[float]:
        column = self._columns.get(term.forms)
        if column is None:
            column = [self._held(term, keys) for keys in self._keys]
            if len(self._columns) > 4096:
                self._columns.clear()
            self._columns[term.forms] = column
        return column

    def _held(self, term: Term, keys: _Keys) -> float:
        """How strongly a fact holds a term: its best field holding it, under the reader's word or not,
        and a little more for each other field holding it too (it is what the fact is about)."""
        held = []
        typed = term.forms[0]
        for name, field in keys.fields.items():
            if typed.found_in(field.words, field.chars):
                held.append(FIELD_WEIGHTS[name])
            elif any(form.found_in(field.words, field.chars) for form in term.forms[1:]):
                held.append(FIELD_WEIGHTS[name] * OTHER_NAME)
        if not held:
            return 0.0
        return max(held) + DEPTH * (sum(held) - max(held))

    def group(self, group: str) -> list[Fact]:
        return [f for f in self.facts if f.group == group]

    def _scores(self, query: str) -> list[tuple[float, _Keys]]:
        terms = self.analyzer.analyze(query, extra_stopwords=FACT_STOPWORDS).terms
        if not terms:
            return []
        held = [self._held_by_each(term) for term in terms]
        size = len(self._keys)
        weights = []
        for column in held:
            df = sum(1 for h in column if h)
            weights.append(math.log(1 + (size - df + 0.5) / (df + 0.5)))
        total = sum(weights) or 1.0
        scored = [
            (sum(w * column[i] for w, column in zip(weights, held, strict=True)) / total, keys)
            for i, keys in enumerate(self._keys)
        ]
        scored.sort(key=lambda s: (-s[0], s[1].fact.group, s[1].fact.order))
        return scored

    def resolve(self, query: str) -> Resolution:
        text = query.strip()
        direct = self.by_id.get(normalise(text))
        if direct is not None:
            return Resolution(Outcome.FACT, (direct,))
        words = [t for t in tokens(text.replace("-", " ")) if t not in FACT_STOPWORDS]
        named_group = self._named_group(words[0]) if len(words) == 1 else []
        if named_group:
            return _group_or_fact(named_group)
        scored = self._scores(text)
        if not scored or scored[0][0] < PLAUSIBLE:
            suggestions = tuple(k.fact for s, k in scored[:5] if s > 0.2)
            return Resolution(Outcome.NONE, (), suggestions or tuple(self._group_heads()[:5]))
        best = scored[0][0]
        top = [k.fact for s, k in scored if s >= best - TIE]
        groups = {f.group for f in top}
        named = [g for g in groups if self._names_group(text, g)]
        if len(groups) > 1 and len(named) == 1:
            # The reader said the group's own name, in some language (收入, ARR: revenue).
            return _group_or_fact([f for f in top if f.group == named[0]])
        if len(groups) > 1:
            # A word most of one group answers to (收入 for revenue) names that group,
            # even when a few facts elsewhere also mention it.
            coverage = sorted(
                ((sum(f.group == g for f in top) / len(self.group(g)), g) for g in groups),
                reverse=True,
            )
            leader = coverage[0][1]
            if (
                coverage[0][0] >= 0.6
                and coverage[0][0] > coverage[1][0] + 0.2
                and sum(f.group == leader for f in top) >= 2  # a group, not one fact that is all of it
            ):
                return _group_or_fact([f for f in top if f.group == leader])
            return Resolution(Outcome.CANDIDATES, tuple(top[:10]))
        if len(top) > 1:
            if len(top) < 0.6 * len(self.group(top[0].group)):
                # A few figures of a larger group hold the question equally: let the reader pick.
                return Resolution(Outcome.CANDIDATES, tuple(top[:10]))
            return _group_or_fact(top)
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        if best >= CONFIDENT or (best >= LEADING and best - runner_up >= CLEAR_LEAD):
            return Resolution(Outcome.FACT, (top[0],))
        # Plausible but not clear: a short list, best first.
        return Resolution(Outcome.CANDIDATES, tuple(k.fact for s, k in scored[:5] if s >= best - 0.2))

    def _names_group(self, query: str, group: str) -> bool:
        name = form_of(group.replace("-", " "))
        terms = self.analyzer.analyze(query, extra_stopwords=FACT_STOPWORDS).terms
        return any(name in term.forms for term in terms)

    def _named_group(self, word: str) -> list[Fact]:
        """The group a single word names, allowing a typo (``revenu``)."""
        groups = {f.group for f in self.facts}
        if word in groups:
            return self.group(word)
        if is_han(word) or len(word) < 5:
            return []
        best = max(groups, key=lambda g: fuzz.ratio(word, g), default=None)
        if best is not None and fuzz.ratio(word, best) >= 85:
            return self.group(best)
        return []

    def _group_heads(self) -> list[Fact]:
        """The first figure of each group, biggest groups first: what to suggest."""
        heads: dict[str, Fact] = {}
        sizes: dict[str, int] = {}
        for fact in self.facts:
            heads.setdefault(fact.group, fact)
            sizes[fact.group] = sizes.get(fact.group, 0) + 1
        return sorted(heads.values(), key=lambda f: (-sizes[f.group], f.group))

    def complete(self, prefix: str, limit: int = 25) -> list[Fact]:
        """Facts for autocomplete: all groups' first entries when empty, else best matches."""
        if not prefix.strip():
            return self._group_heads()[:limit]
        needle = normalise(prefix)
        starts = [k.fact for k in self._keys if any(p.startswith(needle) for p in k.phrases)]
        contains = [
            k.fact for k in self._keys if k.fact not in starts and any(needle in p for p in k.phrases)
        ]
        fuzzy = [k.fact for s, k in self._scores(prefix) if s >= 0.5]
        ordered = list(dict.fromkeys([*starts, *contains, *fuzzy]))
        return ordered[:limit]
