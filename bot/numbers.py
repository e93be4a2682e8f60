"""Reading the numbers a sentence states, so a fact's value can be checked against its evidence."""

from __future__ import annotations

import re
import unicodedata

_SCALE_WORDS = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "b": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "t": 1e12,
    "tn": 1e12,
    "hundred": 1e2,
}
_ZH_SCALES = {"十": 10.0, "百": 1e2, "千": 1e3, "万": 1e4, "亿": 1e8, "萬": 1e4, "億": 1e8}
_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "half": 0.5,
    "dozen": 12,
}

_DIGIT_RE = re.compile(
    r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(thousand|million|billion|trillion|hundred|bn|mn|tn|[kmbt]\b)?\s*([万亿萬億千百])?",
    re.IGNORECASE,
)
_ZH_NUM_RE = re.compile(r"[零〇一二两兩三四五六七八九十百千万亿萬億]+")
_WORD_RE = re.compile(
    r"\b("
    + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
    + r")\b(?:[\s-]+(thousand|million|billion|trillion|hundred))?",
    re.IGNORECASE,
)

# "a year and a half", "two and a half"; 一年半, 两个半: the whole and the half together.
_HALF_RE = re.compile(
    r"\b(\d+|"
    + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
    + r")\s+(?:[a-z]+\s+)?and\s+a\s+half\b",
    re.IGNORECASE,
)
_ZH_HALF_RE = re.compile(r"(\d+|[一二两兩三四五六七八九十])(?:(?:个|個)[年月天周週]?|[年月天周週倍])半")


def _zh_numeral(text: str) -> float | None:
    """Value of a Chinese numeral such as 十亿, 一百五十, 两千五百; None if it is not one."""
    total = 0.0
    section = 0.0
    digit: float | None = None
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = float(_ZH_DIGITS[ch])
        elif ch in ("万", "亿", "萬", "億"):
            section = (section + (digit or 0.0)) or 1.0
            total = (total + section) * _ZH_SCALES[ch]
            section, digit = 0.0, None
        elif ch in _ZH_SCALES:
            section += (digit if digit is not None else 1.0) * _ZH_SCALES[ch]
            digit = None
        else:
            return None
    value = total + section + (digit or 0.0)
    return value if value else None


def numbers_in(text: str) -> set[float]:
    """Every quantity the text can be read as stating, with and without its scale word."""
    text = unicodedata.normalize("NFKC", text)
    found: set[float] = set()
    for match in _DIGIT_RE.finditer(text):
        base = float(match.group(1).replace(",", ""))
        found.add(base)
        scale = 1.0
        if match.group(2):
            scale *= _SCALE_WORDS[match.group(2).lower()]
        if match.group(3):
            scale *= _ZH_SCALES[match.group(3)]
        found.add(base * scale)
    for match in _ZH_NUM_RE.finditer(text):
        run = match.group(0)
        for start in range(len(run)):
            value = _zh_numeral(run[start:])
            if value is not None:
                found.add(value)
                break
    for match in _WORD_RE.finditer(text):
        base = float(_WORD_NUMBERS[match.group(1).lower()])
        if match.group(2):
            found.add(base * _SCALE_WORDS[match.group(2).lower()])
        elif match.group(1).lower() not in ("a", "an"):
            found.add(base)
    for match in _HALF_RE.finditer(text):
        word = match.group(1).lower()
        found.add((float(word) if word.isdigit() else float(_WORD_NUMBERS[word])) + 0.5)
    for match in _ZH_HALF_RE.finditer(text):
        whole = match.group(1)
        found.add((float(whole) if whole.isdigit() else float(_ZH_DIGITS.get(whole, 10))) + 0.5)
    return found


def states_number(text: str, value: float) -> bool:
    tolerance = max(abs(value) * 1e-9, 1e-9)
    return any(abs(found - value) <= tolerance for found in numbers_in(text))
