"""What kind of thing a question asks for, and where such things stand in a sentence.

>>> question_kind("北京经开区有多少家市级孵化器?")
'number'
>>> [m.group(0) for m in find_typed_spans("已有139项成果实现转化,培育硬科技企业105家", "number")]
['139项', '105家']
"""
from __future__ import annotations

import re

from .chinese import pos_tag

_KINDS = [
    ("date", re.compile(r"哪一?年|哪一?天|何时|什么时候|什么时间|哪个月|几月|何年|日期|年份|哪一日|when", re.I)),
    ("number", re.compile(r"多少|几[个家项条名位人件次年岁倍种款届所座辆台只颗层亿万千百十]?|多[大高长远重久深宽快]|百分之|比例|比重|占比|数量|规模|how (many|much)", re.I)),
    ("person", re.compile(r"谁|哪位|哪个人|什么人|何人|who", re.I)),
    ("place", re.compile(r"哪里|在哪|哪儿|什么地方|何地|何处|哪个(国家|城市|省|地区|地方)|where", re.I)),
    ("list", re.compile(r"哪些|有什么|包括什么|包含什么|哪几")),
    ("description", re.compile(r"怎样|怎么样|如何|什么样|为什么|为何|什么原因|原因是|怎么|how|why", re.I)),
]

_NUM = r"(?:\d+(?:[.,]\d+)*|[一二两三四五六七八九十百千万亿零〇]+)"
_UNIT = (
    r"(?:%|％|‰|个百分点|倍|余|多|万|亿|千|百|"
    r"美元|欧元|英镑|日元|港元|港币|新台币|人民币|元|"
    r"平方公里|平方千米|平方米|平方英里|公顷|立方米|公里|千米|厘米|毫米|公分|英尺|英寸|英里|海里|米|"
    r"千克|公斤|公吨|吨|克|磅|毫升|升|千瓦|兆瓦|瓦|伏|摄氏度|华氏度|度|℃|"
    r"小时|分钟|秒钟|秒|天|日|个月|月|周|星期|年|岁|世纪|"
    r"人次|家次|家|项|条|个|名|位|人|件|次|款|届|所|座|辆|台|只|颗|层|种|部|篇|支|户|套|股|张|份|场|"
    r"轮|批|期|代|号|亩|栋|间|处|块|枚|艘|架|匹|头|根|首|册|卷|集|章|节|本|幅|门|扇|级|季|局|"
    r"盘|杯|瓶|场|席|票|分|册|部|株|棵|对|双|片|粒|座|尊|口|只|群|道|所|期)"
)
NUMBER_RE = re.compile(
    rf"(?:约|近|超过|超|逾|达|共|累计|仅|不到|不足|将近|接近|大约)?{_NUM}(?:\s*{_UNIT})+(?:以上|左右|之多)?"
    rf"|{_NUM}(?:\.\d+)?(?:%|％)"
)
DATE_RE = re.compile(
    r"(?:公元前?)?\d{1,4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*[日号])?"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{1,2}世纪\d{0,2}年代|[一二三四五六七八九十〇零]{2,4}年"
    r"|\d{4}-\d{1,2}-\d{1,2}"
)
_POS = {"person": ("nr",), "place": ("ns",)}


def question_kind(question: str) -> str | None:
    """``date``, ``number``, ``person``, ``place``, ``list``, ``description`` (how / why / what is
    it like: answered by a short passage) or None for other questions."""
    for kind, pattern in _KINDS:
        if pattern.search(question):
            if kind == "number" and re.search(r"第几|几月|几日|几号", question):
                return "date" if re.search(r"几月|几日|几号", question) else None
            return kind
    return None


class _Span:
    """A match-like (start, end, text) for spans found without a regex."""

    def __init__(self, start: int, end: int, text: str) -> None:
        self._start, self._end, self._text = start, end, text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, _: int = 0) -> str:
        return self._text


_YEAR_ONLY = re.compile(r"(?:19|20)\d{2}\s*年(?:代|底|初|末|前|后|以来)?$")


def asked_unit(question: str) -> str | None:
    """The measure word a number question asks in: ``多少家`` → ``家``, ``几项`` → ``项``."""
    match = re.search(r"(?:多少|几)\s*(个百分点|平方公里|万元|亿元|[^\s\w]?[\u4e00-\u9fff%])", question)
    if not match:
        return None
    unit = match.group(1)
    return unit if re.fullmatch(_UNIT, unit) else None


def find_typed_spans(text: str, kind: str | None) -> list:
    """Spans of ``text`` holding the kind of thing asked for, in order of position.

    ``text`` should be simplified Chinese (use a sentence's ``key``); offsets carry over.
    """
    if kind == "number":
        return [m for m in NUMBER_RE.finditer(text) if not _YEAR_ONLY.match(m.group(0).strip())]
    if kind == "date":
        return list(DATE_RE.finditer(text))
    if kind in _POS:
        spans, pos = [], 0
        for word, flag in pos_tag(text):
            if flag.startswith(_POS[kind]) and len(word) >= 2:
                spans.append(_Span(pos, pos + len(word), word))
            pos += len(word)
        return spans
    return []


def has_list(text: str) -> bool:
    """True when ``text`` enumerates several things (、 or 和/及 joined items)."""
    return text.count("、") >= 1 or bool(re.search(r"[：:].+[，,、].+", text))
