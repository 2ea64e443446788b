"""The names a question gives (places, people, organisations, models), and whether an article states them.

Asked "经开区有多少家独角兽企业？", the reader, which weighs a question's subject lightly, answered
with the 中关村 figure from an article that never mentions 经开区. Like a year (``years``), a name
the question gives must appear in the article an answer comes from.

>>> given_names("北京经开区有几家国家级孵化器？")
['北京', '经开区']
"""
from __future__ import annotations

import re
from functools import lru_cache

from .chinese import to_simplified
from .questions import ASKING

PLACE_TAGS = ("ns", "nt")  # jieba's places and organisations
# jieba's people. Its dictionary tags many two-character words as people (道德, 籍贯, 登基), so a
# person is a word of three characters or more, or one jieba found outside its dictionary (刘节).
PERSON_TAGS = ("nr", "nrt", "nrfg")
# A name that ends in a place or organisation word ("海淀区", "龙芯中科公司").
_NAME_ENDS = re.compile(r"(?:区|县|市|省|镇|村|州|国|公司|集团|大学|学院|医院|银行|协会|委员会|政府)$")
_PLACE_WORD = re.compile(r"[\u3400-\u9fff]{1,2}(?:区|县|市|省|镇|村|州)")
CODE = re.compile(r"(?=[a-z\d-]*[a-z])(?=[a-z\d-]*\d)[a-z\d][a-z\d-]*", re.I)  # a model: 3A6000, RTX-4090
_CJK = re.compile(r"^[\u3400-\u9fff]+$")
_LEADING = set("了在时于从到对与和向被把将")
_FUNCTION = _LEADING | set("的是有为及或")
_POINTING = set("该本此其各")  # 该国, 本市: a place pointed at, not named
# Words that are no name of a place: kinds of place, and common words jieba's dictionary tags as places.
_NOT_NAMES = set("什么 哪里 哪个 哪些 多少 这里 那里 本地 当地 全国 国家 我国 中国 各国 地区 城市 国内 国外 海外 "
                 "东西 大洋 都市 欢庆 长眠".split())


def key(text: str) -> str:
    """The matching form of ``text`` (simplified, lower case), of the same length."""
    return to_simplified(text).lower()


@lru_cache(maxsize=4096)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's words of ``text`` with their part-of-speech tags ("v" verb, "ns" place...)."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return tuple((pair.word, pair.flag) for pair in jieba.posseg.cut(text))


def given_names(question: str) -> list[str]:
    """The names ``question`` gives, in matching form, in order, each once: words jieba tags as
    places, people or organisations, words ending in a place or organisation word, and models."""
    text = key(question)
    words = tagged(text)
    found = []
    for i, (word, tag) in enumerate(words):
        if len(word) > 2 and word[0] in _LEADING:
            word = word[1:]  # jieba glues a particle to a name: 了 / 常州
        if (len(word) < 2 or not _CJK.match(word) or word in _NOT_NAMES or ASKING.search(word)
                or _NAME_ENDS.fullmatch(word) or word[0] in _POINTING):
            continue
        if tag in PLACE_TAGS or _NAME_ENDS.search(word) or (tag in PERSON_TAGS and _person(word)):
            before = words[i - 1][0] if i else ""
            if (tag not in PLACE_TAGS + PERSON_TAGS and len(word) == 2 and len(before) == 1 and before not in _FUNCTION
                    and _CJK.match(before) and _PLACE_WORD.fullmatch(before + word)):
                word = before + word  # jieba splits short places: 经 / 开区
            found.append(word)
    found += [m.group(0) for m in CODE.finditer(text)]
    return list(dict.fromkeys(found))


def _person(word: str) -> bool:
    """True for a word jieba tags as a person that is likely one: three characters or more, or
    not in jieba's dictionary."""
    import jieba.posseg

    return len(word) >= 3 or word not in jieba.posseg.dt.word_tag_tab


def unstated_name(names: list[str], text: str) -> str | None:
    """The first of ``names`` that ``text`` (in matching form) does not mention, or None. A name
    counts as mentioned without its last character when two or more are left (jieba glues the
    next word's character to a name: 李翰 / 曾; 海淀 for 海淀区), and without its place or
    organisation word (英 for 英国, 联邦 for 联邦政府)."""
    return next((n for n in names if not _mentioned(n, text)), None)


def _mentioned(name: str, text: str) -> bool:
    if name in text or (len(name) >= 3 and name[:-1] in text):
        return True
    stem = _NAME_ENDS.sub("", name)
    return stem != name and bool(stem) and stem in text
