"""Keyword search over quotes and passages, in English and Chinese.

A query is analysed once (``bot.query``: variants, segmentation, typos,
glossary, stop words) into terms. Candidates come from SQLite FTS5 with BM25
(any term may match, each term as the OR of its forms, every form quoted so
user text never reaches FTS5 syntax); a term that most of the index holds is
left out of that first pass when rarer terms exist, so a common word cannot
flood it. Candidates are then ordered by how much of the query they hold,
each term weighed by its rarity (inverse document frequency): a text holding
only "AI" never ranks above one holding the rare word the reader asked for.
BM25 breaks ties. ``Match.terms`` lists the words each text actually holds.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

from bot.models import Quote
from bot.query import Analyzer, Query, Term
from bot.store.content import ContentStore, SearchHit

# The FTS5 columns a word may match in each index (passages have no topic tags).
WORD_COLUMNS = {"quote": "{idx_words idx_tags}", "passage": "idx_words"}
CANDIDATES = 60
COMMON = 0.25  # a term in more than this share of the index does not select candidates alone
OTHER_NAME = 0.8  # a term held only under another of its names (glossary) counts for this much
TAG_ONLY = 0.4  # a term that only names one of the quote's topics counts for this much
GLOSSARY_BOOST = 1.3
# The company and its model are what the whole interview is about: a reader names them as
# context ("Claude's constitution"), and the other words say what is asked.
CONTEXT_WORDS = frozenset({"anthrop", "claud", "ai"})
CONTEXT = 0.5
# At most this many matching texts are ranked by BM25 for one query: a word most of a large
# collection holds would otherwise cost a BM25 evaluation per holder (hundreds of ms at 100k).
SCAN = 3000
RESULTS_KEPT = 512  # recent searches remembered (the data cannot change while the bot runs)
COUNTS_KEPT = 200_000
SINGLE_CHARACTER = 0.5


@dataclass(frozen=True, slots=True)
class Match:
    id: str
    rank: float  # BM25 as SQLite gives it: lower is better
    mode: str  # "all" terms held, or "any"
    terms: tuple[str, ...]  # the query's words this text holds
    corrected: tuple[tuple[str, str], ...]
    quote: Quote | None = None
    score: float = 0.0  # the share of the query's weight (rarity) this text holds, 0..1


class Searcher:
    """Ranks quotes or passages for a query analysed by ``bot.query.Analyzer``."""

    def __init__(self, content: ContentStore, analyzer: Analyzer) -> None:
        self.content = content
        self.analyzer = analyzer
        self._sizes: dict[str, int] = {}
        # The knowledge base does not change while the bot runs: what was counted or found stays true.
        self._counts: dict[tuple[str, str], int] = {}
        self._found: OrderedDict[tuple[str, str, str | None, int], list[Match]] = OrderedDict()

    def analyze(self, text: str) -> Query:
        return self.analyzer.analyze(text)

    async def _size(self, kind: str) -> int:
        if kind not in self._sizes:
            self._sizes[kind] = await self.content.row_count(kind)
        return self._sizes[kind]

    async def _document_frequency(self, kind: str, terms: list[Term]) -> list[int]:
        """Per term, about how many texts hold it (a phrase: its rarest token; of its names, the commonest).

        Not the sum over its names: every text is indexed in both languages, so a term's English and
        Chinese names mostly occur in the same texts."""
        tokens = sorted({tok for term in terms for form in term.forms for tok in form.index_tokens()})
        missing = [tok for tok in tokens if (kind, tok) not in self._counts]
        if missing:
            if len(self._counts) > COUNTS_KEPT:
                self._counts.clear()
            found = await self.content.document_counts(kind, missing)
            self._counts.update({(kind, tok): found.get(tok, 0) for tok in missing})
        counts = {tok: self._counts[(kind, tok)] for tok in tokens}
        return [
            max(min((counts.get(tok, 0) for tok in f.index_tokens()), default=0) for f in t.forms)
            for t in terms
        ]

    async def _run(self, kind: str, expression: str, topic: str | None, scan: int | None) -> list[SearchHit]:
        if kind == "quote":
            return await self.content.search_quotes(expression, topic, CANDIDATES, scan)
        return await self.content.search_passages(expression, CANDIDATES, scan)

    async def search(
        self,
        query: str | Query,
        *,
        kind: str = "quote",
        topic: str | None = None,
        limit: int = 10,
    ) -> list[Match]:
        analysed = query if isinstance(query, Query) else self.analyze(query)
        key = (analysed.text, kind, topic, limit)
        if key in self._found:
            self._found.move_to_end(key)
            return self._found[key]
        found = await self._search(analysed, kind, topic, limit)
        self._found[key] = found
        if len(self._found) > RESULTS_KEPT:
            self._found.popitem(last=False)
        return found

    async def _search(self, analysed: Query, kind: str, topic: str | None, limit: int) -> list[Match]:
        terms = analysed.terms
        if not terms:
            return []
        size = max(1, await self._size(kind))
        df = await self._document_frequency(kind, terms)
        weights = [term_weight(t, n, size) for t, n in zip(terms, df, strict=True)]
        present = [t for t, n in zip(terms, df, strict=True) if n > 0]
        columns = WORD_COLUMNS[kind]
        prefix = False
        if present:
            rare = [(t, n) for t, n in zip(terms, df, strict=True) if 0 < n <= COMMON * size]
            if rare:
                expression = _any([t for t, _ in rare], columns)
                scan = SCAN if sum(n for _, n in rare) > SCAN else None
            else:  # every word is common: texts holding all of them first
                expression = " AND ".join(_group(t, columns) for t in present)
                scan = SCAN if min(n for n in df if n) > SCAN else None
            hits = await self._run(kind, expression, topic, scan)
            if not hits and not rare and len(present) > 1:
                hits = await self._run(kind, _any(present, columns), topic, SCAN)
        else:
            hits = []
        if not hits and any(t.prefixable for t in terms):
            # Nothing holds the words whole: perhaps the reader stopped typing mid-word.
            prefix = True
            hits = await self._run(kind, _any(terms, columns, prefix=True), topic, SCAN)
        total = sum(weights) or 1.0
        strong = any(not t.weak for t in terms)
        matches: list[Match] = []
        for hit in hits:
            held = [
                (term, weight * _held(term, hit, prefix)) for term, weight in zip(terms, weights, strict=True)
            ]
            in_text = [term.shown for term, _ in held if _in_text(term, hit, prefix)]
            score = sum(share for _, share in held)
            if not score or (strong and not any(share and not term.weak for term, share in held)):
                continue  # nothing, or only a stray character of a question that has real words
            if not strong and len(in_text) < len(terms):
                continue  # a question of single characters (品質, a word we never use): all of them
            matches.append(
                Match(
                    hit.id,
                    hit.rank,
                    "all" if len(in_text) == len(terms) else "any",
                    tuple(in_text),
                    tuple(analysed.corrected.items()),
                    hit.quote,
                    round(score / total, 4),
                )
            )
        matches.sort(key=lambda m: (-m.score, m.rank))
        return matches[:limit]


def term_weight(term: Term, df: int, size: int) -> float:
    """A term's weight: its rarity (BM25's inverse document frequency), more for a glossary term
    (the interview's own key words, common here because they are the subject), less for a lone
    Chinese character (a morpheme more than a word)."""
    weight = math.log(1 + (size - df + 0.5) / (df + 0.5))
    if term.forms[0].text in CONTEXT_WORDS:
        return weight * CONTEXT
    if term.glossary:
        weight *= GLOSSARY_BOOST
    elif term.forms[0].kind == "char":
        weight *= SINGLE_CHARACTER
    return weight


def _in_text(term: Term, hit: SearchHit, prefix: bool) -> bool:
    return any(f.found_in(hit.words, hit.chars, prefix and term.prefixable) for f in term.forms)


def _held(term: Term, hit: SearchHit, prefix: bool) -> float:
    """How much of a term a text holds: under the reader's own word, another of its names, or a topic."""
    typed, *others = term.forms
    if typed.found_in(hit.words, hit.chars, prefix and term.prefixable):
        return 1.0
    if any(f.found_in(hit.words, hit.chars) for f in others):
        return OTHER_NAME
    if hit.tags and any(f.found_in(hit.tags, "") for f in term.forms):
        return TAG_ONLY
    return 0.0


def _group(term: Term, columns: str, prefix: bool = False) -> str:
    forms = [f.fts(columns, prefix and term.prefixable and f.kind == "words") for f in term.forms]
    return forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")"


def _any(terms: list[Term], columns: str, prefix: bool = False) -> str:
    return " OR ".join(_group(t, columns, prefix) for t in terms)
