"""What a reader's words mean to search: content words, their other names, their typos fixed.

One analysis for quotes, passages and facts, in both languages:

1. normalise (width, case; Traditional, Taiwan and Hong Kong wording to
   Simplified at the phrase level: 程式設計師 → 程序员);
2. cut Chinese into words with the knowledge base's own words (``bot.lexicon``),
   fixing homophone typos (强化学系 → 强化学习) by pinyin;
3. fix Latin typos word by word against the vocabulary (rapidfuzz), even
   when the other words are spelt right;
4. recognise glossary terms (``data/glossary.yaml``), so a term searches all
   its names in both languages (扩展定律 ↔ "scaling law");
5. drop stop words (question words included) in both languages.

Each resulting ``Term`` is one thing the reader asked about, with every
``Form`` it may take in the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.lexicon import Lexicon
from bot.models import GlossaryEntry
from bot.text import han_bigrams, is_han, normalise, stem, tokens

STOPWORDS_EN = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been before being
    below between both but by can can't could did didn't do does doesn't doing don't down during each
    few for from further had has have having he her here hers herself him himself his how i if in into
    is isn't it it's its itself just let's me more most my myself no nor not of off on once only or
    other ought our ours ourselves out over own same she should so some such than that that's the their
    theirs them themselves then there there's these they this those through to too under until up very
    was we were what what's whats when where which while who whom why will with would you your yours
    yourself yourselves s t ll re ve d m tell says say said think thinks thought view views opinion
    quote quotes dario amodei dwarkesh patel get gets getting got go goes going make makes thing things
    really actually also like lot lots even right become becomes ever still way yes well kind sort
    """.split()
)
STOPWORDS_ZH = frozenset(
    """
    的 了 是 吗 呢 吧 啊 呀 么 嘛 着 过 地 得 之 与 和 及 或 或者 而 并 且 也 都 就 还 又 才 在 对 把 被 让 给
    从 到 于 向 跟 同 比 这 那 这个 那个 这些 那些 这样 那样 哪 哪个 哪些 哪里 什么 怎么 怎样 怎么样 如何
    为什么 为何 什么时候 何时 多久 多少 谁 几 吗 会 会不会 能 能不能 能否 可以 可不可以 要 是否 是不是 有没有
    有 没有 没 不 我 你 您 他 她 它 我们 你们 他们 她们 它们 说 讲 谈 谈谈 说说 认为 觉得 看法 观点 关于
    一个 一下 一些 请问 请 问 里 中 上 下 时候 这么 那么 多么 很 太 更 最 真 真的 到底 究竟
    啥 咋 已经 应该 用 得 个 些
    达里奥 阿莫迪 德瓦克什
    """.split()
)
STOPWORDS = STOPWORDS_EN | STOPWORDS_ZH
MIN_TYPO_LENGTH = 5  # shorter Latin words are too ambiguous to correct ("bold" is not a typo of "old")
LONG_WORD = 8  # from this length a word may hold two slips
ANALYSED_KEPT = 2048


@dataclass(frozen=True, slots=True)
class Form:
    """One way a term can appear in the index: stemmed words, a Chinese word, or one Chinese character."""

    kind: Literal["words", "han", "char"]
    text: str

    def index_tokens(self) -> list[str]:
        if self.kind == "han":
            return han_bigrams(self.text)
        return self.text.split()

    def fts(self, word_columns: str, prefix: bool = False) -> str:
        column = "idx_chars" if self.kind == "char" else word_columns
        phrase = '"' + " ".join(self.index_tokens()).replace('"', '""') + '"'
        return f"{column} : {phrase}{' *' if prefix else ''}"

    def found_in(self, words: str, chars: str, prefix: bool = False) -> bool:
        """Whether indexed text (space-separated, see ``bot.text.index_terms``) holds this form."""
        if self.kind == "char":
            return f" {self.text} " in f" {chars} "
        needle = " " + " ".join(self.index_tokens())
        if prefix:
            return needle in " " + words
        return needle + " " in f" {words} "


@dataclass(frozen=True, slots=True)
class Term:
    shown: str  # the word as searched, after corrections: what the card says matched
    forms: tuple[Form, ...]
    prefixable: bool = False  # one Latin word the reader may not have finished ("scal")
    glossary: str | None = None

    @property
    def weak(self) -> bool:
        """A lone Chinese character or a one- or two-letter word: a morpheme, not what was asked about."""
        typed = self.forms[0]
        return self.glossary is None and (
            typed.kind == "char" or (typed.kind == "words" and len(typed.text) <= 2)
        )


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    terms: list[Term]
    corrected: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Token:
    text: str  # normalised surface: a Latin word, a number or a Chinese word
    key: str  # what glossary matching compares: the stem of a Latin word, else the text


def _token(text: str) -> _Token:
    return _Token(text, text if is_han(text) else stem(text.replace("'", "")))


def form_of(word: str) -> Form:
    """How a normalised word is looked for in the index."""
    if is_han(word):
        return Form("char" if len(word) == 1 else "han", word)
    return Form("words", " ".join(stem(t.replace("'", "")) for t in tokens(word)))


def _essential(forms: tuple[Form, ...]) -> tuple[Form, ...]:
    """The forms without those that contain another (a text holding the longer holds the shorter).

    The first form, the reader's own word, always stays first.
    """
    padded = [" " + " ".join(f.index_tokens()) + " " for f in forms]
    keep = [
        form
        for i, form in enumerate(forms)
        if i == 0
        or not any(
            j != i and other.kind == form.kind and padded[j] in padded[i] and padded[j] != padded[i]
            for j, other in enumerate(forms)
        )
    ]
    return tuple(keep)


class Analyzer:
    def __init__(
        self,
        lexicon: Lexicon,
        glossary: list[GlossaryEntry],
        vocabulary: list[str],
    ) -> None:
        self.lexicon = lexicon
        self.vocabulary = vocabulary
        self._vocab_set = frozenset(vocabulary)
        self.glossary = {g.id: g for g in glossary}
        # Each glossary word as the token keys a query would produce for it.
        self._phrases: dict[tuple[str, ...], str] = {}
        for entry in glossary:
            for word in entry.words:
                keys = tuple(t.key for t in self._tokens(normalise(word)))
                if keys:
                    self._phrases.setdefault(keys, entry.id)
        self._longest = max((len(k) for k in self._phrases), default=1)
        self._glossary_words = frozenset(t for keys in self._phrases for t in keys if not is_han(t))
        self._analysed: dict[tuple[str, frozenset[str]], Query] = {}

    def _tokens(self, normalised: str) -> list[_Token]:
        out: list[_Token] = []
        for tok in tokens(normalised):
            if is_han(tok):
                out += [_token(w) for w in self.lexicon.segment(tok)]
            else:
                out.append(_token(tok))
        return out

    def analyze(self, text: str, *, extra_stopwords: frozenset[str] = frozenset()) -> Query:
        key = (text, extra_stopwords)
        cached = self._analysed.get(key)
        if cached is None:
            cached = self._analyze(text, extra_stopwords)
            if len(self._analysed) >= ANALYSED_KEPT:
                self._analysed.clear()
            self._analysed[key] = cached
        return cached

    def _analyze(self, text: str, extra_stopwords: frozenset[str]) -> Query:
        normalised = normalise(text)
        corrected: dict[str, str] = {}
        pieces: list[str] = []
        for tok in tokens(normalised):
            if is_han(tok):
                pieces.append(self._fix_homophones(tok, corrected))
            else:
                pieces.append(self._fix_spelling(tok, corrected))
        toks = self._tokens(" ".join(pieces))
        stop = STOPWORDS | extra_stopwords
        terms: list[Term] = []
        i = 0
        while i < len(toks):
            match = self._glossary_at(toks, i)
            if match is not None:
                length, gid = match
                shown = (
                    " ".join(t.text for t in toks[i : i + length])
                    if not is_han(toks[i].text)
                    else "".join(t.text for t in toks[i : i + length])
                )
                # The reader's own word first: holding it counts more than holding another name.
                names = [shown, *self.glossary[gid].words]
                forms = _essential(tuple(dict.fromkeys(form_of(normalise(w)) for w in names)))
                terms.append(Term(shown, forms, glossary=gid))
                i += length
                continue
            word = toks[i]
            i += 1
            if word.text in stop or word.key in stop:
                continue
            prefixable = not is_han(word.text) and not word.text.isdigit()
            terms.append(Term(word.text, (form_of(word.text),), prefixable=prefixable))
        unique = list({t.forms: t for t in terms}.values())
        return Query(text, unique, corrected)

    def _glossary_at(self, toks: list[_Token], i: int) -> tuple[int, str] | None:
        for length in range(min(self._longest, len(toks) - i), 0, -1):
            gid = self._phrases.get(tuple(t.key for t in toks[i : i + length]))
            if gid is not None:
                return length, gid
        return None

    def _fix_spelling(self, word: str, corrected: dict[str, str]) -> str:
        """A Latin word the knowledge base does not hold, replaced by the closest one it does."""
        if (
            len(word) < MIN_TYPO_LENGTH
            or not word.isascii()
            or not word.isalpha()
            or word in self._vocab_set
            or word in STOPWORDS
            or stem(word) in self._glossary_words
        ):
            return word
        # A typo is one or two slips (insert, delete, swap a letter), not another word inside it:
        # "lawmaking" is no misspelling of "making". The vocabulary is most frequent first, so
        # of equally close words the commoner wins.
        edits = 1 if len(word) < LONG_WORD else 2
        best = process.extractOne(word, self.vocabulary, scorer=Levenshtein.distance, score_cutoff=edits)
        if best is None:
            return word
        corrected[word] = best[0]
        return str(best[0])

    def _fix_homophones(self, run: str, corrected: dict[str, str]) -> str:
        """Stretches of a Chinese run that are no known word, replaced by known words that sound the same.

        A stretch is whole segments, holds a character no known word covers, and no stop word:
        多少钱 is 多少 + 钱, and 少钱 (which sounds like 烧钱) is no stretch of it.
        """
        segments = self.lexicon.segment(run)
        starts = [0]
        for word in segments:
            starts.append(starts[-1] + len(word))
        fixed = list(run)
        taken: set[int] = set()
        stretches = [
            (i, j)
            for i in range(len(segments))
            for j in range(i + 1, len(segments) + 1)
            if 2 <= starts[j] - starts[i] <= 4
            and any(len(w) == 1 for w in segments[i:j])
            and not any(w in STOPWORDS_ZH for w in segments[i:j])
        ]
        for i, j in sorted(stretches, key=lambda ij: starts[ij[0]] - starts[ij[1]]):  # longest first
            span = set(range(starts[i], starts[j]))
            text = run[starts[i] : starts[j]]
            if span & taken or text in self.lexicon:
                continue
            options = self.lexicon.sounding(text)
            if options:
                corrected[text] = options[0]
                fixed[starts[i] : starts[j]] = list(options[0])
                taken |= span
        return "".join(fixed)
