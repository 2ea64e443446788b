"""A follow-up question read with the question before it.

In a chat one asks "北京经开区有几家国家级孵化器？" and then only "那市级孵化器呢？". Asked alone the
follow-up names nothing to count; read with the question before it, it takes the place of one
phrase of that question: "北京经开区有几家市级孵化器？". Which phrase, in this order:

1. a time ("那2023年呢？") takes the place of the previous question's time, or goes before it;
2. a model ("那3A5000呢？") takes the place of the previous question's model ("龙芯3A6000");
3. a phrase whose last word ends one of the previous question's phrases ("市级**孵化器**" for
   "国家级**孵化器**", "独角兽**企业**" for "上市**企业**") takes the place of that phrase, modifiers and all;
4. another thing takes the place of what a counting question counts ("有多少家**X**").

A place, organisation or event ("那海淀区呢？") is not read into the previous question: as its new
subject, the reader (which weighs a question's subject lightly) answered with the old subject's
figure (bench/followup_check.py), so such a follow-up is asked as it stands. Only a phrase that asks nothing
itself is a follow-up (X呢, 那X呢, 那X？, 还有X呢); a question with its own asking word
("那市级孵化器有几家？") is a question of its own.

>>> follow_up("北京经开区有几家国家级孵化器？", "那市级孵化器呢？")
'北京经开区有几家市级孵化器？'
"""
from __future__ import annotations

import re

from .chinese import cut
from .enumerations import MEASURE_WORDS
from .names import CODE, NAME_ENDS, PLACE_TAGS, tagged
from .names import key as _key
from .questions import ASKS

_FOLLOW = re.compile(
    r"^(?P<lead>那么?|那要是|那如果|如果是|还有|另外)?[，,、\s]*(?:在|是|对于|关于|其中的?)?"
    r"(?P<what>[^，,。？?！!；;]{1,20}?)(?:的话|的情况|怎么样|如何)?(?P<ne>呢)?[？?。！!\s]*$"
)
# A phrase asks something of its own with an asking word, or with 吗, 是否, 多大… or 啥 (questions.ASKS).
_TIME = r"(?:\d{4}年(?:\d{1,2}月(?:\d{1,2}[日号])?)?|\d{1,2}月(?:\d{1,2}[日号])?|今年|去年|明年|前年|上半年|下半年)"
_TIME_RUN = re.compile(rf"{_TIME}+")
_COUNTED = re.compile(rf"(?:多少|几)(?P<thing>[万亿千百]?[{MEASURE_WORDS}]?[^，,。？?！!；;]+)[？?。]?$")
# Words made only of these end a noun phrase read leftwards ("有 / 多少 / 家 / 上市企业").
_FUNCTION = set("有是的了在和与及或中里为把被对从向于将已共约近超个家项名位款条件所座之其")
_NUMBER_BEFORE = re.compile(r"[\d几少多两一二三四五六七八九十百千万]$")
_PLACE_TAGS = ("ns", "nr")  # places and people; organisations by how their names end
_PLACE_ENDS = re.compile(rf"(?:{NAME_ENDS}|园|城|中心|部|局|厅|会|论坛|展|节|赛)$")  # places, organisations and events


def follow_up(previous: str, question: str) -> str | None:
    """``question`` asked in full with ``previous`` (the question before it in the chat), or
    None when it is not a follow-up or no phrase of ``previous`` can take its place.

    Args:
        previous: the question before, as it was answered (itself already read in full).
        question: the question just asked.

    Returns:
        the previous question with the follow-up's phrase in place, or None.
    """
    what = _phrase(question)
    if not what or not previous:
        return None
    key = _key(previous)
    if _TIME_RUN.fullmatch(what):
        time = _TIME_RUN.search(key)
        return previous[: time.start()] + what + previous[time.end():] if time else what + previous
    if what.endswith("的"):
        return None  # a bare modifier ("那国家级的呢"): which word it modifies is a guess
    if CODE.fullmatch(what):
        code = CODE.search(key)
        return previous[: code.start()] + what + previous[code.end():] if code else None
    what_key = _key(what)
    words = tagged(what_key)
    if _names_place(what_key, words):
        return None
    swapped = _swap_phrase(previous, key, what, what_key)
    return swapped if swapped is not None else _swap_counted(previous, key, what, words)


def _phrase(question: str) -> str | None:
    """The phrase a follow-up asks about, or None when ``question`` asks something of its own."""
    match = _FOLLOW.match(question.strip())
    if not match or not (match["lead"] or match["ne"]):
        return None
    what = match["what"].strip()
    if not what or ASKS.search(_key(what)) or not re.search(r"\w", what):
        return None
    return what


def _words(key: str) -> list[tuple[int, int, str]]:
    """(start, end, part-of-speech tag) of each jieba word of ``key``."""
    spans, at = [], 0
    for word, tag in tagged(key):
        spans.append((at, at + len(word), tag))
        at += len(word)
    return spans


def _ends_phrase(word: str) -> bool:
    """True for a word that cannot be part of a noun phrase: punctuation, figures, asking words,
    or function and measure words alone."""
    return (not re.fullmatch(r"[\u3400-\u9fff\w·]+", word) or bool(re.search(r"\d", word))
            or bool(ASKS.search(word)) or all(ch in _FUNCTION for ch in word))


def _swap_phrase(previous: str, key: str, what: str, what_key: str) -> str | None:
    """``previous`` with the phrase that ends like ``what`` (``what_key`` its matching form)
    replaced by it, its modifiers with it."""
    last = cut(what_key)[-1]
    if _ends_phrase(last):
        return None
    words = _words(key)
    ends = {end for _, end, _ in words}
    for size in range(len(what_key), 0, -1):
        head = what_key[-size:]
        if size == 1 and head in _FUNCTION:
            continue
        at = key.rfind(head)
        while at >= 0 and at + size not in ends:  # the head must end a word: 企业 is not in 企业家
            at = key.rfind(head, 0, at + size - 1)
        if at < 0:
            continue
        i = next(k for k, (s, e, _) in enumerate(words) if s <= at < e)
        start = words[i][0]
        for s, e, tag in reversed(words[:i]):
            word = key[s:e]
            if _ends_phrase(word) or tag.startswith("v") or (s == 0 and tag in PLACE_TAGS):
                break  # a place opening a search phrase is its subject ("中关村独角兽企业数量"), kept
            if word[0] in _FUNCTION and _NUMBER_BEFORE.search(key[:s]):
                start = s + 1  # jieba glued a measure word to the phrase: 多少 / 家硬 / 科技
                break
            start = s
        return previous[:start] + what + previous[at + size:]
    return None


def _names_place(what_key: str, words: tuple[tuple[str, str], ...]) -> bool:
    """True when the phrase (matching form ``what_key``, its tagged words ``words``) names a
    place, an organisation or an event ("海淀区", "服贸会")."""
    return bool(words and words[-1][1] in _PLACE_TAGS) or bool(_PLACE_ENDS.search(what_key))


def _swap_counted(previous: str, key: str, what: str, words: tuple[tuple[str, str], ...]) -> str | None:
    """``previous`` with what it counts, and the measure word that went with it ("有多少**家上市企业**"),
    replaced by ``what`` (``words`` its tagged words)."""
    match = _COUNTED.search(key)
    if not match or ASKS.search(match["thing"]) or not (words and words[-1][1].startswith("n")):
        return None  # only a thing takes the place of a thing: not "那好吧"
    return previous[: match.start("thing")] + what + previous[match.end("thing"):]
