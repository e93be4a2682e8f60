"""Text normalisation and tokenisation shared by search, facts and checks.

One normal form for everything we compare: NFKC (full-width to half-width),
case-folded, Traditional, Taiwan and Hong Kong wording converted to Simplified
at the phrase level (OpenCC ``tw2sp`` then ``hk2s``: 程式設計師 → 程序员,
資料中心 → 数据中心), whitespace collapsed. Chinese has no spaces, so it is
indexed as character bigrams (and single characters), the approach of Lucene's
CJK analyzer: any Chinese word is a phrase of bigrams, so the index needs no
segmentation (queries are segmented, see ``bot.lexicon``). Latin text is
indexed as Snowball (Porter 2) stems, so ``laws`` meets ``law``.
"""

from __future__ import annotations

import contextlib
import ctypes
import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

import opencc
import Stemmer

# For text written in Traditional characters: Taiwan phrases and variants (it converts the
# characters too), then Hong Kong variants. Never for Simplified text: Taiwan's 程序 is the
# mainland's 进程, so tw2sp would turn a mainland reader's 程序员 into 进程员.
_TW2SP = opencc.OpenCC("tw2sp")
_HK2S = opencc.OpenCC("hk2s")
# PyStemmer: the Snowball (Porter 2) stemmer compiled (1.2 MB resident; the pure-Python package: 2.8 MB).
_STEMMER = Stemmer.Stemmer("english")

# Bumped when what ``index_terms`` produces changes, so existing databases re-import.
INDEX_VERSION = "2"


@cache
def _converter(profile: str) -> opencc.OpenCC:
    """Simplified → Traditional dictionaries cost ~45 MB: loaded on the first Traditional reader."""
    return opencc.OpenCC(profile)


_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(rf"[{_HAN}]+|[0-9]+(?:[.,][0-9]+)*|[^\W\d_{_HAN}]+(?:'[a-z]+)?", re.UNICODE)
_HAN_RE = re.compile(rf"^[{_HAN}]+$")
_HAN_RUN_RE = re.compile(rf"[{_HAN}]+")
_SPACE_RE = re.compile(r"\s+")


def to_simplified(text: str) -> str:
    """Simplified Chinese in mainland wording, whatever script or region the text was written in.

    Run by run: a run written in Traditional characters gets the regional phrase mapping
    (資料中心 → 数据中心, 程式設計師 → 程序员); a Simplified run is left as it is.
    """
    return _HAN_RUN_RE.sub(_run_to_simplified, text)


def _run_to_simplified(match: re.Match[str]) -> str:
    run = match.group(0)
    if str(_HK2S.convert(run)) == run:  # no Traditional character in it
        return run
    return str(_HK2S.convert(str(_TW2SP.convert(run))))


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """The Snowball English stem of a normalised Latin word; numbers and Chinese unchanged."""
    if not word.isascii() or not word.isalpha():
        return word
    return str(_STEMMER.stemWord(word))


def to_traditional(text: str) -> str:
    """Character-level Simplified → Traditional (Taiwan glyphs), for quoted words.

    ``s2tw`` converts characters only; it never swaps vocabulary, so a quote
    keeps its words.
    """
    return str(_converter("s2tw").convert(text))


def to_traditional_phrases(text: str) -> str:
    """Phrase-level conversion (``s2twp``) for interface text, never for quotes."""
    return str(_converter("s2twp").convert(text))


def traditional_table(texts: Iterable[str]) -> dict[str, str]:
    """``s2tw`` of every text, computed with a converter that is released afterwards.

    Done once per data import, so a running bot can answer Traditional readers
    from a table instead of keeping OpenCC's Simplified→Traditional dictionaries
    (about 45 MB) in memory.
    """
    converter = opencc.OpenCC("s2tw")
    table = {text: str(converter.convert(text)) for text in set(texts) if text}
    del converter
    _release_freed_memory()
    return table


def _release_freed_memory() -> None:
    """Give freed heap back to the system (glibc keeps it otherwise); a no-op elsewhere."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """The one normal form used to compare user input with our data."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = to_simplified(text)
    return _SPACE_RE.sub(" ", text).strip()


@lru_cache(maxsize=8192)
def squash(text: str) -> str:
    """Text without any whitespace: how verbatim checks compare strings."""
    return _SPACE_RE.sub("", unicodedata.normalize("NFC", text))


def is_han(token: str) -> bool:
    return bool(_HAN_RE.match(token))


def tokens(text: str) -> list[str]:
    """Normalised tokens: Latin words, numbers, and runs of Han characters."""
    return _TOKEN_RE.findall(normalise(text))


def han_bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_terms(text: str) -> tuple[str, str]:
    """The two indexed columns for a text: (words and Han bigrams, Han single characters).

    Both are space-separated so SQLite's ``unicode61`` tokenizer keeps them
    as they are; bigrams keep their order, so a phrase query of bigrams finds
    a Chinese word anywhere in a sentence.
    """
    words: list[str] = []
    chars: list[str] = []
    for tok in tokens(text):
        if is_han(tok):
            words.extend(han_bigrams(tok))
            chars.extend(tok)
        else:
            words.append(stem(tok.replace("'", "")))
    return " ".join(words), " ".join(chars)
