"""Complete a proposed span to the whole expression it cuts short.

The reader often stops a word early: at the year of a date the question asks to the day
(``2013年`` of ``2013年9月30日``, ``今年`` of ``今年7月``), before the hedge or the "more than" that a figure carries
(``50家`` of ``近50家``, ``9年`` of ``9年多``), or at the first word of a quoted name or at its
opening quote, or with a quote whose partner lies just outside it (``管家式”精准服务``), or before
the kind a "which" question asks for (``淮河`` of ``淮河流域``, asked "哪一个流域"). A span
that holds a whole quoted name, quotes and all, keeps them: CMRC 2018's
references often include the quotes (dropping them lost 9 of 431 dev answers whose span held the
reference). A figure without its hedge states a different fact, so each span is completed to its
whole expression before the spans are weighed; spans that become the same span are kept once, at
their best score.
"""
from __future__ import annotations

import re

from .chinese import CLAUSE_BREAK, cut
from .reader import Reading, Span
from .store import IndexData
from .years import DIGIT

# The question asks for a day (not only a year): 哪一天, 何时, 什么时候, 几月几日, 日期.
ASKS_DAY = re.compile(r"哪一?天|哪一?日|几月几|何时|什么时候|什么时间|日期")
HEDGE_WORDS = r"将近|接近|大约|超过|不到|不足|近|约|逾|超"  # longest first: 将近 before 近
HEDGE = re.compile(r"(" + HEDGE_WORDS + r")$")
MONTH_AFTER_YEAR = re.compile(r"[0-9０-９]{1,2}月(?:[0-9０-９]{1,2}[日号])?")
DAY_AFTER_MONTH = re.compile(r"[0-9０-９]{1,2}[日号]")
RELATIVE_YEAR = re.compile(r"(?:今|去|明|前|后)年")
MORE = re.compile(r"[多余]")
BARE_FIGURE_END = re.compile(r"[0-9０-９万亿千百]$")
MEASURED_FIGURE_END = re.compile(r"[0-9０-９][\u4e00-\u9fff]$")
NOT_MEASURE = "的年月日之来以"
NOT_MORE = {"多样", "多元", "多种", "多数", "多少", "多么", "多彩", "多次", "多方", "余下", "余额", "余地", "余热", "余震"}
QUOTES = {"“": "”", "《": "》", "「": "」", "『": "』"}
LONGEST_NAME = 40
SPEECH_VERBS = {"说", "称", "表示", "指出", "透露", "坦言", "强调", "介绍", "认为", "告诉"}
CLOSING_QUOTES = set(QUOTES.values())
PAIRS = {**QUOTES, "（": "）", "(": ")"}  # what a span must not hold half of
# Complete a span that stops before the kind a "which" question asks for (docs/reader-log.md;
# off to measure without).
COMPLETE_KIND = True
_ASKED_KIND = re.compile(r"哪(?![里儿些怕])一?[个种类位项条部座家所支件场本首只样]?")
_KIND_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
_COUNTS = re.compile(r"[一二三四五六七八九十两几多数]")


def complete(reading: Reading, data: IndexData, question: str) -> Reading:
    """The reading with each span completed (``complete_span``), duplicates dropped, order kept.

    Args:
        reading: the reader's spans, best first.
        data: the loaded index (the spans' articles are read).
        question: the question, simplified.
    Returns:
        A reading with the same no-answer score.
    """
    asks_day = bool(ASKS_DAY.search(question))
    kind = asked_kind(question) if COMPLETE_KIND else ""
    seen: set[tuple[str, int, int]] = set()
    spans = []
    for span in reading.spans:
        doc = data.documents.get(span.doc_id)
        done = complete_span(span, doc.key, asks_day) if doc else span
        if doc and kind:
            done = _with_kind(done, doc.key, kind)
        key = (done.doc_id, done.start, done.end)
        if key not in seen:
            seen.add(key)
            spans.append(done)
    return Reading(spans, reading.null)


def asked_kind(question: str) -> str:
    """The kind of thing a "which" question asks for, the word right after 哪 (哪一, 哪个, 哪种…):
    "哪一个流域" → "流域"; "" when there is none, or when it counts (哪两种 asks for two things)."""
    match = _ASKED_KIND.search(question)
    if not match:
        return ""
    words = cut(question[match.end():match.end() + 12])
    word = words[0] if words else ""
    return word if _KIND_WORD.fullmatch(word) and not _COUNTS.search(word) else ""


def _with_kind(span: Span, key: str, kind: str) -> Span:
    """``span`` with the ``kind`` word that follows it ("淮河" + "流域" asked "哪一个流域"): the name
    and its kind are one answer. A span that closes a quote or a title (《中外法学》) is whole."""
    end = span.end
    if end <= span.start or not key.startswith(kind, end) or key.endswith(kind, span.start, end) \
            or key[end - 1] in CLOSING_QUOTES:
        return span
    return Span(span.doc_id, span.start, end + len(kind), key[span.start:end + len(kind)], span.score)


def complete_span(span: Span, key: str, asks_day: bool) -> Span:
    """``span`` widened to the whole figure, date or quoted name it cuts (``key``: the article's
    simplified text)."""
    start, end = span.start, span.end
    if asks_day and RELATIVE_YEAR.fullmatch(key, start, end):
        month = MONTH_AFTER_YEAR.match(key, end)
        end = month.end() if month else end
    elif DIGIT.search(key[start:end]):
        end = _whole_date(key, start, end) if asks_day else end
        end = _more_than(key, start, end)
        start = _hedge(key, start)
    else:
        if end - start > 1 and key[start] in QUOTES and QUOTES[key[start]] not in key[start:end]:
            start += 1  # the span begins at the opening quote: the name inside is the answer
        end = _quoted_name(key, start, end)
        end = _without_speech_verb(key, start, end)
    start, end = _partner_quotes(key, start, end)
    if (start, end) == (span.start, span.end):
        return span
    return Span(span.doc_id, start, end, key[start:end], span.score)


def _without_speech_verb(key: str, start: int, end: int) -> int:
    """End of the span without the speech verb that closes it ("夏林茂说" → "夏林茂"): news quotes
    its speakers, and the verb is no part of who spoke. A word that ends in one (传说, 小说) stays."""
    words = cut(key[start:end])
    if len(words) > 1 and words[-1] in SPEECH_VERBS:
        return end - len(words[-1])
    return end


def _whole_date(key: str, start: int, end: int) -> int:
    """End of the date when the span stops at its year or month."""
    text = key[start:end]
    if re.search(r"[0-9０-９]{4}年$", text):
        match = MONTH_AFTER_YEAR.match(key, end)
    elif re.search(r"[0-9０-９]{1,2}月$", text):
        match = DAY_AFTER_MONTH.match(key, end)
    else:
        return end
    return match.end() if match else end


def _more_than(key: str, start: int, end: int) -> int:
    """End of ``9年多`` / ``3000多组`` when the span stops before a 多 or 余 that means "more than"
    (jieba keeps it a word of its own or with its measure word, unlike 多元化 or 多样)."""
    text = key[start:end]
    bare = BARE_FIGURE_END.search(text)  # 3000, 1.6万: no measure word yet
    if not MORE.match(key, end) or not (bare or MEASURED_FIGURE_END.search(text)):
        return end
    word = cut(key[end:end + 8])[0]
    if len(word) > 2 or word in NOT_MORE:
        return end
    if bare and len(word) == 2 and word[1] not in NOT_MEASURE:
        return end + 2  # the measure word after 多: 3000多组
    return end + 1


def _hedge(key: str, start: int) -> int:
    """Start of the hedge (近, 约, 超过 …) right before a figure."""
    if not DIGIT.match(key, start):
        return start
    match = HEDGE.search(key, max(start - 2, 0), start)
    return match.start() if match else start


def _quoted_name(key: str, start: int, end: int) -> int:
    """End of a quoted name whose opening quote comes right before the span, when the name is
    short and holds no clause break."""
    close = QUOTES.get(key[start - 1]) if start > 0 else None
    if close is None or close in key[start:end]:
        return end
    stop = key.find(close, end, start + LONGEST_NAME + 1)
    if stop < 0 or CLAUSE_BREAK.search(key, end, stop):
        return end
    return stop


def _partner_quotes(key: str, start: int, end: int) -> tuple[int, int]:
    """The span widened to take in the partner of a quote or bracket it holds alone: the opening
    one right before it ("管家式”精准服务" → "“管家式”精准服务"), and the closing one of a short name
    or note it opens and cuts ("以“创新与发展" → "以“创新与发展”", "藤州（今兴安省金洞县" →
    "藤州（今兴安省金洞县）"; "彭冠中」及「彭比得" → "「彭冠中」及「彭比得」")."""
    for opening, closing in PAIRS.items():
        unopened, unclosed = _unmatched(key[start:end], opening, closing)
        if unopened and start > 0 and key[start - 1] == opening:
            start -= 1
        if unclosed:
            stop = key.find(closing, end, end + LONGEST_NAME)
            if stop >= 0 and not CLAUSE_BREAK.search(key, end, stop):
                end = stop + 1
    return start, end


def _unmatched(text: str, opening: str, closing: str) -> tuple[int, int]:
    """How many closing marks of ``text`` have no opening one before them, and how many opening
    marks are left unclosed."""
    unopened = depth = 0
    for ch in text:
        if ch == opening:
            depth += 1
        elif ch == closing:
            unopened, depth = (unopened, depth - 1) if depth else (unopened + 1, depth)
    return unopened, depth
