"""Keyword search over quotes and passages, in English and Chinese.

User text is normalised (width, case, Traditional → Simplified) and turned
into an FTS5 expression over our own index columns (``bot.text.index_terms``):
Latin words as prefix terms, Chinese as phrases of character bigrams, single
Chinese characters against the character column. Every term is quoted, so
user text can never inject FTS5 syntax. Two-character Chinese words such as
``估值`` are one bigram: they match exactly, never "everything" as a trigram
tokenizer's short terms would.

When nothing matches, Latin words are corrected against the vocabulary of the
index (rapidfuzz) and the search is tried again; when all terms together match
nothing, any of them may match, best first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.models import Quote
from bot.store.content import ContentStore, SearchHit
from bot.text import han_bigrams, is_han, tokens

STOPWORDS = frozenset(
    (
        "a an the of in on to and or is are was what who how why about for with by at it "
        "that this do does did be 的 了 是 吗 呢"
    ).split()
)


# The FTS5 columns a word may match in each index (passages have no tags).
WORD_COLUMNS = {"quote": "{idx_words idx_tags}", "passage": "idx_words"}


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    phrase: str  # an escaped FTS5 phrase
    chars: bool = False  # a single Chinese character: matched against idx_chars
    prefixable: bool = False  # a Latin word, which may also match as a prefix ("scal" → scaling)

    def fts(self, kind: str, prefix: bool = False) -> str:
        star = " *" if prefix and self.prefixable else ""
        return f"{'idx_chars' if self.chars else WORD_COLUMNS[kind]} : {self.phrase}{star}"


@dataclass(slots=True)
class QueryPlan:
    terms: list[Term]
    corrected: dict[str, str] = field(default_factory=dict)

    def expression(self, kind: str, any_term: bool = False, prefix: bool = False) -> str:
        joiner = " OR " if any_term else " AND "
        return joiner.join(t.fts(kind, prefix) for t in self.terms)

    def modes(self) -> list[tuple[str, bool]]:
        """Strictest first: all terms as words, then as prefixes, then any term."""
        prefixes = (False, True) if any(t.prefixable for t in self.terms) else (False,)
        joins = ("all", "any") if len(self.terms) > 1 else ("all",)
        return [(join, prefix) for join in joins for prefix in prefixes]


@dataclass(frozen=True, slots=True)
class Match:
    id: str
    rank: float
    mode: str  # "all" terms, "any" term
    terms: tuple[str, ...]
    corrected: tuple[tuple[str, str], ...]
    quote: Quote | None = None


def _quote_fts(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _term(token: str) -> Term | None:
    if token in STOPWORDS:
        return None
    if is_han(token):
        if len(token) == 1:
            return Term(token, _quote_fts(token), chars=True)
        return Term(token, _quote_fts(" ".join(han_bigrams(token))))
    word = token.replace("'", "")
    if not word or word in STOPWORDS:
        return None
    if word.isdigit():
        return Term(word, _quote_fts(word))
    return Term(word, _quote_fts(word), prefixable=True)


def plan(query: str) -> QueryPlan:
    terms = [t for t in (_term(tok) for tok in tokens(query)) if t is not None]
    return QueryPlan(list({t.text: t for t in terms}.values()))


class Searcher:
    """Ranks quotes or passages for a keyword query; ``vocabulary`` feeds typo correction."""

    def __init__(self, content: ContentStore, vocabulary: list[str]) -> None:
        self.content = content
        self.vocabulary = vocabulary
        self._vocab_set = frozenset(vocabulary)

    def correct(self, query_plan: QueryPlan) -> QueryPlan | None:
        corrected: dict[str, str] = {}
        terms: list[Term] = []
        for term in query_plan.terms:
            if is_han(term.text) or term.text.isdigit() or term.text in self._vocab_set:
                terms.append(term)
                continue
            if len(term.text) < 4:  # too short to correct with any confidence
                terms.append(term)
                continue
            best = process.extractOne(term.text, self.vocabulary, scorer=fuzz.ratio, score_cutoff=75)
            if best is None:
                terms.append(term)
                continue
            corrected[term.text] = best[0]
            fixed = _term(best[0])
            if fixed is not None:
                terms.append(fixed)
        if not corrected:
            return None
        return QueryPlan(terms, corrected)

    async def _run(self, kind: str, expression: str, topic: str | None, limit: int) -> list[SearchHit]:
        if kind == "quote":
            return await self.content.search_quotes(expression, topic, limit)
        return await self.content.search_passages(expression, limit)

    async def search(
        self, query: str, *, kind: str = "quote", topic: str | None = None, limit: int = 10
    ) -> list[Match]:
        query_plan = plan(query)
        if not query_plan.terms:
            return []
        attempts: list[QueryPlan] = [query_plan]
        for attempt in attempts:
            for mode, prefix in attempt.modes():
                expression = attempt.expression(kind, mode == "any", prefix)
                hits = await self._run(kind, expression, topic, limit)
                if hits:
                    return [
                        Match(
                            h.id,
                            h.rank,
                            mode,
                            tuple(t.text for t in attempt.terms),
                            tuple(attempt.corrected.items()),
                            h.quote,
                        )
                        for h in hits
                    ]
            if attempt is query_plan:
                fixed = self.correct(query_plan)
                if fixed is not None:
                    attempts.append(fixed)
        return []
