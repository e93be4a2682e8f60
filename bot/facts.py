"""Resolving what a reader types (`revenue`, `估值`, `anthropic revenue 2024`) to key numbers.

Facts are few, so they are resolved in memory. Each fact has keys (its id,
group, labels and aliases in both languages, and its period); a query's
tokens are scored against them, typo-tolerantly for Latin words and by
containment for Chinese. The outcome is one fact, a whole group (a
timeline), a short list of candidates, or nothing (with suggestions): never a
guess presented with confidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from rapidfuzz import fuzz

from bot.models import Fact
from bot.text import is_han, normalise, tokens

# Words that say nothing about which number is meant.
FACT_STOPWORDS = frozenset(
    (
        "anthropic anthropics s the a an of in for what whats is was are how much many "
        "by at to on number figure dario amodei 的 是 多少 有 公司 达里奥 年"
    ).split()
)


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
class _KeySet:
    words: frozenset[str]  # Latin words and numbers
    han: tuple[str, ...]  # Chinese keys, longest first


@dataclass(frozen=True, slots=True)
class _Keys:
    fact: Fact
    strong: _KeySet  # id, group, aliases, period: what names the number
    label: _KeySet  # words of the labels: they describe it, and weigh less
    phrases: tuple[str, ...]  # whole keys, normalised, for autocomplete


LABEL_WEIGHT = 0.85


def _key_set(texts: list[str]) -> _KeySet:
    words: set[str] = set()
    han: set[str] = set()
    for text in texts:
        toks = tokens(text.replace("-", " "))
        for tok in toks:
            (han if is_han(tok) else words).add(tok)
        han.add("".join(t for t in toks if is_han(t)))
    han.discard("")
    return _KeySet(frozenset(words), tuple(sorted(han, key=len, reverse=True)))


def _keys(fact: Fact) -> _Keys:
    strong = [fact.id.removeprefix("f-"), fact.group, *fact.aliases_en, *fact.aliases_zh]
    if fact.period:
        strong += [fact.period.en, fact.period.zh]
    label = [fact.label.en, fact.label.zh]
    phrases = tuple(dict.fromkeys(normalise(t) for t in [*label, *strong] if t))
    return _Keys(fact, _key_set(strong), _key_set(label), phrases)


def _key_score(token: str, key: str) -> float:
    """How well one query token matches one key: exact, contained (Chinese), prefix or typo (Latin)."""
    if token == key:
        return 1.0
    if is_han(token):
        if not is_han(key):
            return 0.0
        if len(token) >= 2 and token in key:
            return 0.9 * len(token) / len(key) + 0.1
        if len(key) >= 2 and key in token:
            return 0.9 * len(key) / len(token) + 0.05
        return 0.0
    if token.isdigit() or is_han(key):
        return 0.0
    if len(token) >= 3 and key.startswith(token):
        return 0.92
    if len(token) >= 4:
        ratio = fuzz.ratio(token, key) / 100
        if ratio >= 0.8:
            return ratio * 0.95
    return 0.0


def _key_owners(key_sets: list[_KeySet]) -> dict[str, list[int]]:
    owners: dict[str, list[int]] = {}
    for index, key_set in enumerate(key_sets):
        for key in (*key_set.words, *key_set.han):
            owners.setdefault(key, []).append(index)
    return owners


def _group_or_fact(facts: list[Fact]) -> Resolution:
    if len(facts) == 1:
        return Resolution(Outcome.FACT, (facts[0],))
    return Resolution(Outcome.GROUP, tuple(sorted(facts, key=lambda f: (f.order, f.id))))


class FactIndex:
    def __init__(self, facts: list[Fact]) -> None:
        self.facts = sorted(facts, key=lambda f: (f.group, f.order, f.id))
        self.by_id = {f.id: f for f in self.facts}
        self._keys = [_keys(f) for f in self.facts]
        # Each distinct key is scored once per query token, then credited to its facts.
        self._strong_owners = _key_owners([k.strong for k in self._keys])
        self._label_owners = _key_owners([k.label for k in self._keys])
        self._token_cache: dict[str, list[float]] = {}

    def _token_scores(self, token: str) -> list[float]:
        """Per fact, how well ``token`` names it (its strong keys) or describes it (its label)."""
        cached = self._token_cache.get(token)
        if cached is not None:
            return cached
        scores = [0.0] * len(self._keys)
        for owners, weight in ((self._strong_owners, 1.0), (self._label_owners, LABEL_WEIGHT)):
            for key, indices in owners.items():
                score = _key_score(token, key) * weight
                if score:
                    for index in indices:
                        scores[index] = max(scores[index], score)
        if len(self._token_cache) < 10_000:
            self._token_cache[token] = scores
        return scores

    def group(self, group: str) -> list[Fact]:
        return [f for f in self.facts if f.group == group]

    def _scores(self, query: str) -> list[tuple[float, _Keys]]:
        toks = [t for t in tokens(query.replace("-", " ")) if t not in FACT_STOPWORDS]
        if not toks:
            return []
        per_token = [self._token_scores(t) for t in toks]
        scored = [
            (sum(column[i] for column in per_token) / len(toks), keys) for i, keys in enumerate(self._keys)
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
        if not scored or scored[0][0] < 0.6:
            suggestions = tuple(k.fact for s, k in scored[:5] if s > 0.2)
            return Resolution(Outcome.NONE, (), suggestions or tuple(self._group_heads()[:5]))
        best = scored[0][0]
        top = [k.fact for s, k in scored if s >= best - 0.04 and s >= 0.6]
        groups = {f.group for f in top}
        if len(groups) > 1:
            # A word most of one group answers to (收入 for revenue) names that group,
            # even when a few facts elsewhere also mention it.
            coverage = sorted(
                ((sum(f.group == g for f in top) / len(self.group(g)), g) for g in groups),
                reverse=True,
            )
            if coverage[0][0] >= 0.6 and coverage[0][0] > coverage[1][0] + 0.2:
                top = [f for f in top if f.group == coverage[0][1]]
            else:
                return Resolution(Outcome.CANDIDATES, tuple(top[:10]))
        return _group_or_fact(top)

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
