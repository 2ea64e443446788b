"""Chinese text rules: scripts, sentence ends, tokens. The one place that knows them.

>>> to_simplified("學習中關村")
'学习中关村'
>>> [text[s:e] for text in ["他说：“好。”然后走了！"] for s, e in sentence_spans(text)]
['他说：“好。”', '然后走了！']
"""
from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

# Sentence-final marks, and the closing quotes/brackets that stay with the sentence they close.
SENTENCE_END = "。！？!?；;…"
CLOSERS = "”’」』）)》】\"'"
_SENTENCE_RE = re.compile(
    rf"[^{SENTENCE_END}\n]*(?:[{SENTENCE_END}]+[{CLOSERS}]*|\n+|$)"
)
# A quotation closed by its sentence mark ("……。”"), and a short attribution after it ("郭萌说。"):
# the attribution belongs to the sentence it attributes.
_QUOTE_CLOSED = re.compile(rf"[{SENTENCE_END}][”」』\"']$")
ATTRIBUTION = re.compile(
    r"[^“”「」『』\"。！？!?，,\n]{1,24}?"
    r"(?:说|說|表示|称|稱|介绍|介紹|指出|强调|強調|坦言|透露|回忆|回憶|补充|補充|解释|解釋|感叹|感嘆"
    r"|告诉记者|告訴記者|写道|寫道|问|問|答|回答)道?[。！!]"
)
CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Marks that end a clause (not the enumeration comma 、, whose items belong together).
CLAUSE_BREAK = re.compile(r"[，,；;。！？!?\n]")
_converter_lock = threading.Lock()


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # opencc-python-reimplemented

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Simplified form of ``text`` with the same length, so offsets carry over unchanged."""
    if not text or not CJK_RE.search(text):
        return text
    if len(text) <= 64:
        return _to_simplified_short(text)
    return _convert(text)


@lru_cache(maxsize=65536)
def _to_simplified_short(text: str) -> str:
    return _convert(text)


def _convert(text: str) -> str:
    with _converter_lock:
        converted = _t2s().convert(text)
        if len(converted) != len(text):
            converted = "".join(_t2s().convert(ch) if CJK_RE.match(ch) else ch for ch in text)
    if len(converted) != len(text):  # a single character mapped to several: keep the original
        return text
    return converted


def normalize(text: str) -> str:
    """Matching form: NFKC (full-width → half-width), simplified, lower case, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", to_simplified(text)).strip().lower()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence in ``text``, white space trimmed, empty ones dropped; a short
    attribution after a closed quotation ("……。”郭萌说。") stays with the quotation."""
    spans: list[tuple[int, int]] = []
    for match in _SENTENCE_RE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        if spans and _attributes(text, spans[-1], start, end):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _attributes(text: str, previous: tuple[int, int], start: int, end: int) -> bool:
    """Whether ``text[start:end]`` only says who spoke the quotation that ``previous`` closes."""
    return (_QUOTE_CLOSED.search(text, previous[0], previous[1]) is not None
            and "\n" not in text[previous[1]:start]
            and ATTRIBUTION.fullmatch(text, start, end) is not None)


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


_STOP = set(
    "的 了 是 在 和 与 及 或 也 都 而 就 被 把 将 对 于 为 以 其 之 这 那 有 个 等 中 上 下 "
    "吗 呢 吧 啊 哪 什么 多少 几 谁 哪里 哪些 哪个 哪年 何时 怎么 怎样 如何 为什么 是否 "
    "请问 一下 呢 么 年 月 日".split()
)
STOP_WORDS = frozenset(_STOP)  # left out of keyword tokens (also by the Milvus store's analyzer)
_TOKEN_RE = re.compile(r"[\w\u3400-\u9fff]")


def tokenize(text: str, simplified: bool = False) -> list[str]:
    """Keyword tokens of simplified ``text`` for BM25: jieba search-mode words, no punctuation.
    ``simplified=True`` skips the script conversion for text that is simplified already (a
    document's ``key``), which costs as much as the word splitting.

    >>> tokenize("中关村示范区的企业")
    ['中关', '关村', '中关村', '示范', '示范区', '企业']
    """
    if simplified:
        text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()
    else:
        text = normalize(text)
    words = _jieba().lcut_for_search(text)
    return [w for w in words if _TOKEN_RE.search(w) and w not in _STOP]


def cut(text: str) -> list[str]:
    """Precise-mode jieba words of ``text`` as written (no normalizing, no filtering)."""
    return _jieba().lcut(text)


def content_words(text: str) -> list[str]:
    """Distinct precise-mode jieba words of a question, without question words and stop words."""
    words = _jieba().lcut(normalize(text))
    seen: dict[str, None] = {}
    for w in words:
        if _TOKEN_RE.search(w) and w not in _STOP:
            seen.setdefault(w, None)
    return list(seen)


def char_bigrams(text: str, simplified: bool = False) -> set[str]:
    """Character bigrams and single characters of the matching form of ``text``, punctuation
    removed; ``simplified=True`` skips script conversion for text that is simplified already."""
    text = text.lower() if simplified else normalize(text)
    t = "".join(ch for ch in text if _TOKEN_RE.match(ch))
    return {t[i : i + 2] for i in range(len(t) - 1)} | set(t)
