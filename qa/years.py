"""The years a question names, and whether the passage an answer comes from states them.

News tells the same event year after year: asked about the 2025 forum, a reader happily takes the
2024 theme from a passage that never mentions 2025. A question that names a year is answered only
from a passage that mentions it (or whose article's date gives it, with 今年, 去年, 明年 or 前年
read against that date). Dev questions whose year was moved to one their article never mentions
were answered (wrongly) 56 times in 64 without this check, twice with it; it cost one right answer
of 55 to the questions as written (``bench/year_check.py``).
"""
from __future__ import annotations

import re
import unicodedata

_YEAR = r"(?<!\d)(1\d{3}|20\d{2})"
_NAMED = re.compile(_YEAR + r"(?=\s*年)(?!\s*年代)")  # "1950年代" is a decade, not a year
_ANY = re.compile(_YEAR + r"(?!\d)")
_CHINESE_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=\s*年)")
_CHINESE_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_RELATIVE = {"今年": 0, "本年": 0, "去年": -1, "前年": -2, "明年": 1}


def _arabic(text: str) -> str:
    """``text`` in half-width forms (NFKC), its years in Chinese numerals written in digits (both
    scripts write years and 今年, 去年, 明年, 前年 alike, so no conversion to simplified is needed)."""
    text = unicodedata.normalize("NFKC", text)
    return _CHINESE_YEAR.sub(lambda m: m.group(0).translate(_CHINESE_DIGITS), text)


def named_years(question: str) -> list[str]:
    """The years a question names ("2025年", "二〇二五年"; not the decade "1950年代"), in order, each once."""
    return list(dict.fromkeys(_NAMED.findall(_arabic(question))))


def stated_years(text: str, date: str | None = None) -> set[str]:
    """Every year ``text`` mentions, plus its article's year (``date``) and the years 今年, 去年,
    明年 and 前年 stand for there."""
    text = _arabic(text)
    years = set(_ANY.findall(text))
    dated = _ANY.search(date or "")
    if dated:
        year = int(dated.group(1))
        years.add(str(year))
        years.update(str(year + shift) for word, shift in _RELATIVE.items() if word in text)
    return years


def unstated_year(question_years: list[str], text: str, date: str | None = None) -> str | None:
    """The first of ``question_years`` that ``text`` (with its article's ``date``) does not state,
    or None when it states them all."""
    if not question_years:
        return None
    stated = stated_years(text, date)
    return next((y for y in question_years if y not in stated), None)
