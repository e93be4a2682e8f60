"""Builds the search lexicon in a child process: ``python -m bot.lexicon_build`` (JSON in, JSON out).

The knowledge base's Chinese text is segmented with rjieba (the Rust port of
jieba, with its full dictionary) and every word it yields is given its
toneless pinyin with pypinyin (phrase-aware, so 重 in 重要 is "zhong").
Loading those two costs about 33 MB and 56 MB of memory that a process never
gives back, so it happens here, once per data import, and the bot keeps only
the result: the corpus's own words, their counts and pinyin (see
``bot.lexicon``).

Input: ``{"texts": [...], "words": [...]}``, texts already normalised
(``bot.text.normalise``); ``words`` must stay whole (glossary terms, aliases).
Output: ``{"words": {word: [count, pinyin]}, "chars": {char: "reading reading"}}``.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from typing import Any

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
FORCED_COUNT = 5  # a glossary word that never occurs in the text still segments as one word


def toneless(reading: str) -> str:
    """``lǜ`` → ``lv``, ``zhōng`` → ``zhong``: what a reader's input method types."""
    reading = reading.replace("ü", "v").replace("ǖ", "v").replace("ǘ", "v").replace("ǚ", "v")
    reading = reading.replace("ǜ", "v")
    decomposed = unicodedata.normalize("NFD", reading)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _typeable(char: str) -> bool:
    """In GB 2312: the characters Chinese input methods offer first, so the ones typos are made of."""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def build(texts: list[str], forced: list[str]) -> dict[str, Any]:
    import rjieba
    from pypinyin import Style, lazy_pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    segmenter = rjieba.Jieba()
    forced_han = sorted({w for w in forced if _HAN_RUN.fullmatch(w) and len(w) >= 2})
    for word in forced_han:
        segmenter.add_word(word, 100_000, None)
    counts: Counter[str] = Counter()
    for text in texts:
        for run in _HAN_RUN.findall(text):
            counts.update(w for w in segmenter.cut(run, False) if len(w) >= 2)
    for word in forced_han:
        counts[word] = max(counts[word], FORCED_COUNT)
    words = {w: [n, " ".join(lazy_pinyin(w, style=Style.NORMAL, v_to_u=False))] for w, n in counts.items()}
    chars = {
        chr(code): " ".join(sorted({toneless(r) for r in readings.split(",")}))
        for code, readings in pinyin_dict.items()
        if 0x4E00 <= code <= 0x9FFF and _typeable(chr(code))
    }
    return {"words": words, "chars": chars}


def main() -> None:
    request = json.load(sys.stdin)
    json.dump(build(request["texts"], request["words"]), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
