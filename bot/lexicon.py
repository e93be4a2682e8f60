"""The knowledge base's Chinese words: cutting a reader's question into words, and fixing homophones.

The index holds Chinese as character bigrams, so it needs no segmentation;
a *query* does: ``模型会取代程序员吗`` must become 模型 / 会 / 取代 / 程序员 / 吗
so that 会 and 吗 can be dropped and the rest matched as words. The words come
from segmenting the whole knowledge base once per import with a real
segmenter (``bot.lexicon_build``, in a child process); the bot keeps only
those words (a few thousand) and cuts queries by jieba's own method, the most
probable path through the graph of known words. A query word that never occurs
in the knowledge base could not match anything anyway, so nothing is lost by
not knowing it.

Homophone typos (强化学系 for 强化学习) are fixed by pinyin: a stretch of the
query that is not a known word is compared, toneless, with the known words of
the same length and pinyin.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import math
import sys
from dataclasses import dataclass
from typing import Any

MAX_WORD = 8
_CACHE: dict[str, Any] = {}


@dataclass(frozen=True, slots=True)
class LexiconData:
    words: dict[str, tuple[int, str]]  # word -> (count in the knowledge base, toneless pinyin)
    chars: dict[str, str]  # character -> its toneless readings, space-separated


async def build_lexicon(texts: list[str], forced: list[str]) -> LexiconData:
    """Segment the knowledge base in a child process; the result is cached per input in this process."""
    request = json.dumps({"texts": texts, "words": sorted(set(forced))}, ensure_ascii=False)
    key = hashlib.sha256(request.encode()).hexdigest()
    result = _CACHE.get(key)
    if result is None:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.lexicon_build",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate(request.encode())
        if process.returncode != 0:
            raise RuntimeError(f"building the search lexicon failed: {err.decode(errors='replace')[-500:]}")
        result = json.loads(out)
        _CACHE[key] = result
    words = {w: (int(v[0]), str(v[1])) for w, v in result["words"].items()}
    return LexiconData(words, dict(result["chars"]))


class Lexicon:
    """Known Chinese words with their counts and pinyin: segmentation by maximum probability, homophones."""

    def __init__(self, words: dict[str, tuple[int, str]], readings: dict[str, str]) -> None:
        total = sum(n for n, _ in words.values()) + 1
        self._log_total = math.log(total)
        self._logp = {w: math.log(n) - self._log_total for w, (n, _) in words.items() if len(w) >= 2}
        self._unknown = math.log(0.5) - self._log_total
        self._max = min(MAX_WORD, max((len(w) for w in self._logp), default=1))
        self.readings = readings
        # Toneless pinyin -> known words that sound so, most frequent first.
        self._sounding: dict[str, list[str]] = {}
        for word, (_, key) in sorted(words.items(), key=lambda item: (-item[1][0], item[0])):
            if len(word) >= 2 and key:
                self._sounding.setdefault(key, []).append(word)

    def sounding(self, text: str) -> list[str]:
        """Known words of the same length that sound like ``text`` (tones ignored), most frequent first."""
        found = [w for key in pinyin_keys(text, self.readings) for w in self._sounding.get(key, [])]
        return [w for w in dict.fromkeys(found) if len(w) == len(text) and w != text]

    def __contains__(self, word: str) -> bool:
        return word in self._logp

    def __len__(self) -> int:
        return len(self._logp)

    def segment(self, run: str) -> list[str]:
        """A run of Chinese characters cut into the most probable known words (unknown: single characters)."""
        n = len(run)
        best: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
        for i in range(n - 1, -1, -1):
            # A single character is always possible; known words of 2+ characters compete with it.
            candidates = [(self._unknown + best[i + 1][0], i + 1)]
            for j in range(i + 2, min(n, i + self._max) + 1):
                logp = self._logp.get(run[i:j])
                if logp is not None:
                    candidates.append((logp + best[j][0], j))
            best[i] = max(candidates)
        words: list[str] = []
        i = 0
        while i < n:
            j = best[i][1]
            words.append(run[i:j])
            i = j
        return words


def pinyin_keys(text: str, readings: dict[str, str], limit: int = 32) -> list[str]:
    """Every toneless pinyin spelling of ``text`` (characters with several readings multiply)."""
    per_char = [readings.get(ch, "").split() for ch in text]
    if any(not options for options in per_char):
        return []
    keys = (" ".join(combo) for combo in itertools.product(*per_char))
    return list(itertools.islice(keys, limit))
