"""What a counting question counts, in which measure word, and which figure of an enumeration it asks for.

A counting question names what it counts beside its asking word ("多少**前瞻项目**", "**独角兽企业**有
多少"); the passages count it with a figure and a measure word ("前瞻性项目208项"). The measure word
is lent to a question that leaves it out (``with_unit``: the reader reads it), and a sentence that
counts the thing is read first (``windows``).

News lists figures side by side: "新增北京市知识产权优势单位28家、知识产权试点单位57家",
"培育硬科技企业105家,其中上市企业9家". A small reader finds the right sentence and the right kind of
figure but often the wrong item: asked "有几家是上市企业", it gives "105家". In such a list each
figure ends its clause and follows its label, and a counting question names what it counts right
beside its asking word ("几家**是上市企业**", "**上市企业**有多少家"). So among the figures of the
answer's sentence in the same unit that end their clause, the one whose label ends with more of
that phrase than the chosen figure's label does is the one asked for. The chosen figure may also be
one followed by its label ("斩获15项中国专利奖,包括银奖3项、优秀奖12项"); figures inside a clause
are never chosen instead ("约有70队乐队参加,只有10队可以晋级"; "香港700萬人口的7%,…便有7人"):
what tells them apart is a verb or a year, not a label.
"""
from __future__ import annotations

import re
from collections import Counter

from .chinese import normalize
from .completing import HEDGE_WORDS

_COUNTING = re.compile(r"(多少|几)")
_AFTER_ASKING = re.compile(r"(?:多少|几)[万亿千百]?[^\s\d.,，、；;。！？!?:：%（）()“”\"《》]?(?:是|为)?")
_QUESTION_END = re.compile(r"[?？。!！,，;；]")
_CLAUSE_MARK = re.compile(r"[,，、;；。:：!！?？\n]")
_DIGITS = r"\d+(?:[.,]\d+)*|[一二三四五六七八九十百千两零〇]+"
_HEDGE = r"(?:" + HEDGE_WORDS + r")?"  # as the completed span carries it
_MAGNITUDE = re.compile(r"[\d万亿千百]")
_BEFORE_VERB = re.compile(r"(?:共有|有|共|是|为|达|约)$")
MEASURE_WORDS = "个家项名位款条件所座人次种台辆只株篇本部场届批间队"  # what counting questions count in
_MEASURE_ASKED = re.compile(rf"(?<!哪)(?:几|多少)([{MEASURE_WORDS}])")  # 哪几个 asks which ones
_SEVERAL = re.compile(r"分别|各自|、")  # a question that asks for each, or lists what it counts
_UNMEASURED = re.compile(rf"(?<!哪)(?:多少|几)(?![{MEASURE_WORDS}万亿千百])")
_COUNTED = re.compile(rf"(?<!哪)(?:多少|几)[{MEASURE_WORDS}]?")
_COUNT = r"[\d.,]+[万亿千百]?(?:余|多)?"


def asked_phrase(question: str) -> str:
    """The phrase a counting question counts, in simplified form: the words after its asking word
    ("多少家上市企业" → "上市企业"), or, when it ends there, the words before it ("上市企业有多少家"
    → "上市企业"); "" for a question that does not count."""
    key = normalize(question)
    match = _COUNTING.search(key)
    if not match:
        return ""
    after = _AFTER_ASKING.match(key, match.start())
    tail = _QUESTION_END.split(key[after.end() if after else match.end():])[0]
    if len(tail) >= 2:
        return tail
    head = _QUESTION_END.split(key[:match.start()])[-1]
    return _BEFORE_VERB.sub("", head)


def with_unit(question: str, passages: str) -> str:
    """``question`` with a measure word after its 多少 or 几 when it has none: the one ``passages``
    count the asked thing in ("中关村有多少独角兽企业？" → "中关村有多少家独角兽企业？" where they
    say "独角兽企业40家"). The reader reads the measure word: without it, that question was answered
    wrongly. As it is when it has one, or the passages never count the thing.

    Args:
        question: the question as the models read it.
        passages: the retrieved passages, simplified.
    """
    match = _UNMEASURED.search(normalize(question))
    if not match:
        return question
    unit = counting_unit(counted_things(question), passages)
    return question[:match.end()] + unit + question[match.end():]


def counted_things(question: str) -> list[str]:
    """The names a counting question may give what it counts, most specific first: the words after
    its asking word (after a measure word, if any), their first four characters and their last two
    (its head noun: "多少前瞻项目" is counted in "前瞻性项目208项"), or the words before it
    ("独角兽企业有多少？"); [] for a question that does not count."""
    key = normalize(question)
    match = _COUNTED.search(key)
    if not match:
        return []
    after = _QUESTION_END.split(key[match.end():])[0]
    before = _BEFORE_VERB.sub("", _QUESTION_END.split(key[:match.start()])[-1])
    things = [after, after[:4], after[-2:]] if len(after) >= 2 else [before, before[-4:]]
    return [t for t in dict.fromkeys(things) if len(t) >= 2]


def counting_unit(things: list[str], passages: str) -> str:
    """The measure word ``passages`` count the first of ``things`` in that they count at all
    ("独角兽企业40家", "3614条原创内容"), the most common one; "" when they count none.

    Args:
        things: names of what is counted, most specific first ("独角兽企业", "独角兽").
        passages: the text to look in, simplified.
    """
    for thing in things:
        before = rf"{_COUNT}([{MEASURE_WORDS}]){re.escape(thing)}"
        after = rf"{re.escape(thing)}[^，。；,;！？!?]{{0,4}}?{_COUNT}([{MEASURE_WORDS}])"
        units = Counter(m.group(1) for pattern in (before, after) for m in re.finditer(pattern, passages))
        if units:
            return units.most_common(1)[0][0]
    return ""


def figures(sentence: str, unit: str) -> list[tuple[int, int]]:
    """The (start, end) of every figure in ``unit`` in ``sentence`` (hedges such as 约 and 近 included)."""
    return [m.span() for m in _figure(unit).finditer(sentence)]


def _figure(unit: str) -> re.Pattern:
    return re.compile(_HEDGE + r"(?:" + _DIGITS + r")(?:余|多)?[万亿千百]?(?:余|多)?" + re.escape(unit))


def label_match(phrase: str, sentence: str, items: list[tuple[int, int]], i: int) -> int:
    """How well the label of figure ``items[i]`` of ``sentence`` matches the asked ``phrase``: the
    length of the longest end of the label found in the phrase. The label is the text between the
    nearest clause mark or figure before it and the figure; its start is often the subject that all
    the items share ("中心累计培育高新技术企业80余家"), so only the words next to the figure count."""
    return _run(phrase, _label(sentence, items, i)[::-1], reverse=True)


def _label(sentence: str, items: list[tuple[int, int]], i: int, after: bool = False) -> str:
    """The text between figure ``items[i]`` and the nearest clause mark or neighbouring figure
    before it (``after``: after it)."""
    if after:
        start = items[i][1]
        mark = _CLAUSE_MARK.search(sentence, start)
        end = min([mark.start() if mark else len(sentence)] + ([items[i + 1][0]] if i + 1 < len(items) else []))
        return sentence[start:end]
    end = items[i][0]
    marks = [m.end() for m in _CLAUSE_MARK.finditer(sentence, 0, end)]
    return sentence[max([marks[-1] if marks else 0] + ([items[i - 1][1]] if i else [])):end]


def _run(phrase: str, text: str, reverse: bool = False) -> int:
    """The length of the longest start of ``text`` (read backwards when ``reverse``) found in ``phrase``."""
    n = 0
    while n < len(text) and (text[n::-1] if reverse else text[:n + 1]) in phrase:
        n += 1
    return n


def asked_measure(question: str) -> str:
    """The measure word a counting question names ("几次" → "次", "多少家" → "家"), or ""."""
    match = _MEASURE_ASKED.search(normalize(question))
    return match.group(1) if match else ""


def measured_item(question: str, sentence: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The figure of ``sentence`` in the measure word the counting question names, when the chosen
    ``span`` is not one ("几次" answered "2019年" beside "三次"): the only such figure of the
    sentence; None when the span has the measure word, or the sentence has none or several, and
    for a question that asks which ones (哪几个) or for each of several things (分别, "发送、到达").

    Args:
        question: the question as asked.
        sentence: the answer's sentence, simplified (offsets as in the article).
        span: the chosen span's offsets in ``sentence``.
    """
    measure = asked_measure(question)
    if not measure or measure in sentence[span[0]:span[1]] or _SEVERAL.search(normalize(question)):
        return None
    found = figures(sentence, measure)
    return found[0] if len(found) == 1 else None


def first_item(question: str, span: str, unit: str) -> int | None:
    """The length of the figure ``span`` starts with, when a counting question's span runs on past
    it into the next items of an enumeration ("3项、中国专利优秀奖12项" → 2): one figure answers
    such a question, unless it asks for each (分别) or lists what it counts ("年发送、到达旅客…多少").
    None when the span is one item.

    Args:
        question: the question as asked.
        span: the chosen span, simplified.
        unit: the measure word that ends the span's last figure.
    """
    key = normalize(question)
    mark = _CLAUSE_MARK.search(span)
    if not mark or not unit or not _COUNTING.search(key) or _SEVERAL.search(key):
        return None
    pattern = _figure(unit)
    if not pattern.fullmatch(span, 0, mark.start()) or not pattern.search(span, mark.end()):
        return None
    return mark.start()


def asked_item(question: str, sentence: str, span: tuple[int, int], unit: str, lead: int = 1) -> tuple[int, int] | None:
    """The figure of ``sentence`` that a counting question asks for, when it is not the chosen
    ``span`` (offsets into ``sentence``): of the figures in the same ``unit`` that end their clause,
    the one whose label matches the asked phrase by at least ``lead`` more than the chosen
    figure's label does (before it, or for a figure inside its clause, before or after it); else None.

    Args:
        question: the question as asked.
        sentence: the answer's sentence, simplified (offsets as in the article).
        span: the chosen span's offsets in ``sentence``; it must be one whole figure.
        unit: the chosen figure's measure word (家, 个, %, 亿元...).
        lead: how much better the other label must match.
    """
    phrase = asked_phrase(question)
    if len(phrase) < 2 or not unit or _MAGNITUDE.search(unit):
        return None
    items = figures(sentence, unit)
    if span not in items:
        return None
    listed = [i for i, (_, end) in enumerate(items) if end == len(sentence) or _CLAUSE_MARK.match(sentence, end)]
    chosen = items.index(span)
    if not listed or listed == [chosen]:
        return None
    mine = label_match(phrase, sentence, items, chosen)
    if chosen not in listed:  # a figure followed by its label: "斩获15项中国专利奖,包括…"
        mine = max(mine, _run(phrase, _label(sentence, items, chosen, after=True)))
    best, where = max((label_match(phrase, sentence, items, i), i) for i in listed)
    return items[where] if where != chosen and best >= mine + lead else None
