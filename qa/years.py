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

from .chinese import CLAUSE_BREAK, to_simplified

_YEAR = r"(?<!\d)(1\d{3}|20\d{2})"
_NAMED = re.compile(_YEAR + r"(?=\s*年)(?!\s*年代)")  # "1950年代" is a decade, not a year
_RANGE = re.compile(r"(?:" + _YEAR + r"\s*[-–—~至到]\s*)?" + _YEAR + r"\s*年(?!代)")
_LONGEST_CLAUSE = 500  # characters looked at on either side of a span for its clause's bounds
_ANY = re.compile(_YEAR + r"(?!\d)")
_CHINESE_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=\s*年)")
_CHINESE_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_RELATIVE = {"今年": 0, "本年": 0, "去年": -1, "前年": -2, "明年": 1}
# A figure's own year, written right before it: "2014年的3.6万亿元", "2023年底约50家".
_FIGURE_YEAR = re.compile(_YEAR + r"\s*年(?:底|末|初|时)?(?:的)?(?:预计|约|达|为|仅)?$")  # matched on simplified text
DIGIT = re.compile(r"[0-9０-９]")  # a digit, half or full width


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


_RELATIVE_WORD = re.compile("|".join(_RELATIVE))


def dated(span: str, date: str | None) -> str | None:
    """``span`` with the relative year it gives (今年, 去年…) read against its article's ``date``
    ("今年7月" of an article dated 2022-09-04 → "2022年7月"), or None when it gives none or the date
    gives no year."""
    word = _RELATIVE_WORD.search(to_simplified(span))
    year = _ANY.search(date or "")
    if not word or not year:
        return None
    return f"{span[:word.start()]}{int(year.group(1)) + _RELATIVE[word.group(0)]}年{span[word.end():]}"


def unstated_year(question_years: list[str], text: str, date: str | None = None) -> str | None:
    """The first of ``question_years`` that ``text`` (with its article's ``date``) does not state,
    or None when it states them all."""
    if not question_years:
        return None
    stated = stated_years(text, date)
    return next((y for y in question_years if y not in stated), None)


def other_year_in_clause(question_years: list[str], text: str, start: int, end: int) -> str | None:
    """A year that the clause where ``text[start:end]`` begins states outside the span, about the
    span, when that clause states none of ``question_years``; else None.

    "1999年成为第一个国家级科技园区,2009年成为第一个国家自主创新示范区": asked about 2009, a span
    in the first clause speaks of 1999. Clauses end at commas, semicolons and full stops (not at
    the enumeration comma 、, whose items share the year written before them). A year in a phrase
    that only describes the span ("创立于1956年的信心纪念路德会": a 的 between them) does not count.
    A figure's own year, written right before it (``figure_year``), decides alone: "从2014年的3.6万亿元
    提高到2023年的8.6万亿元" states 2023, yet asked about 2023 the first figure speaks of 2014.
    """
    if not question_years:
        return None
    own = figure_year(text, start, end)
    if own:
        return None if own in question_years else own
    ends = [m.end() for m in CLAUSE_BREAK.finditer(text, max(0, start - _LONGEST_CLAUSE), start)]
    clause_start = ends[-1] if ends else max(0, start - _LONGEST_CLAUSE)
    after = CLAUSE_BREAK.search(text, start, start + _LONGEST_CLAUSE)
    clause_end = after.start() if after else min(len(text), start + _LONGEST_CLAUSE)
    if set(clause_years(text[clause_start:clause_end])) & set(question_years):
        return None
    before = _arabic(text[clause_start:start])
    found = _years_with_ends(before)
    describing = {y for y, at in found if "的" in before[at:]}
    outside = [y for y, _ in found if y not in describing]
    outside += clause_years(text[min(end, clause_end):clause_end])
    return outside[0] if outside else None


def figure_year(text: str, start: int, end: int) -> str | None:
    """The year written right before the figure ``text[start:end]`` ("从2014年的3.6万亿元提高到2023年的
    8.6万亿元": 2014 for the first figure), or None (also when the span is no figure)."""
    if not DIGIT.search(text, start, end):
        return None
    match = _FIGURE_YEAR.search(_arabic(to_simplified(text[max(0, start - 16):start])))
    return match.group(1) if match else None


def clause_years(text: str) -> list[str]:
    """The years ``text`` writes with 年 ("1999年", both ends of "2012-2013年"), in order."""
    return [y for y, _ in _years_with_ends(_arabic(text))]


def _years_with_ends(text: str) -> list[tuple[str, int]]:
    """The years ``text`` (already in ``_arabic`` form) writes with 年, in order, each with the
    offset where its 年 ends."""
    found = []
    for m in _RANGE.finditer(text):
        found += [(y, m.end()) for y in m.groups() if y]
    return sorted(found, key=lambda x: x[1])
