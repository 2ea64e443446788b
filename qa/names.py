"""The names a question gives (places, people, organisations, models), and whether an article states them.

Asked "经开区有多少家独角兽企业？" or "上海有多少家独角兽企业？", the reader, which weighs a
question's subject lightly, answered with the 中关村 figure from an article that never mentions
经开区 or 上海. Like a year (``years``), a name the question gives must appear in the article an
answer comes from (``choosing``).

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
NAME_ENDS = "地区|新区|区|县|市|省|镇|村|州|国|公司|集团|大学|学院|医院|银行|协会|委员会|政府"
_NAME_ENDS = re.compile(rf"(?:{NAME_ENDS})$")
_PLACE_WORD = re.compile(r"[\u3400-\u9fff]{1,2}(?:区|县|市|省|镇|村|州)")
CODE = re.compile(r"(?=[a-z\d-]*[a-z])(?=[a-z\d-]*\d)[a-z\d][a-z\d-]*", re.I)  # a model: 3A6000, RTX-4090
_CJK = re.compile(r"^[\u3400-\u9fff]+$")
_NUMERAL = re.compile(r"[一二三四五六七八九十两零〇百千万第]")
_LEADING = set("了在时于从到对与和向被把将由令")
_FUNCTION = _LEADING | set("的是有为及或")
_POINTING = set("该本此其各")  # 该国, 本市: a place pointed at, not named
_COUNTED_PLACES = re.compile(r"[一两][区县市省镇村州国岸]")  # 两国, 一区: places counted, not named
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
    return [name for name, _ in _names(question)]


def sure_names(question: str) -> list[str]:
    """Those of ``given_names`` that are surely names: models, and places and organisations in
    jieba's dictionary or joined from its pieces (经 / 开区). The others (people, words jieba put
    together outside its dictionary) may be a mis-cut of common words (曾效力) or an alias."""
    return [name for name, sure in _names(question) if sure]


@lru_cache(maxsize=1024)
def _names(question: str) -> tuple[tuple[str, bool], ...]:
    """Each name ``question`` gives (matching form) and whether it is surely one."""
    import jieba.posseg

    text = key(question)
    words = tagged(text)
    found: dict[str, bool] = {}
    for i, (word, tag) in enumerate(words):
        if len(word) > 2 and word[0] in _LEADING:
            word = word[1:]  # jieba glues a particle to a name: 了 / 常州
        if (len(word) < 2 or not _CJK.match(word) or word in _NOT_NAMES or ASKING.search(word)
                or _NAME_ENDS.fullmatch(word) or word[0] in _POINTING or _COUNTED_PLACES.fullmatch(word)
                or _asked_kind(words, i)):
            continue
        before = words[i - 1][0] if i else ""
        if (tag not in PLACE_TAGS + PERSON_TAGS and len(word) == 2 and len(before) == 1
                and _PLACE_WORD.fullmatch(before + word)
                and before not in _FUNCTION and not ASKING.search(before) and not _NUMERAL.match(before)):
            found.setdefault(before + word, True)  # jieba splits short places: 经 / 开区
            continue
        in_dictionary = word in jieba.posseg.dt.word_tag_tab
        if tag in PLACE_TAGS:
            found.setdefault(word, in_dictionary)
        elif tag in PERSON_TAGS and _person(word):
            found.setdefault(word, False)
        elif _NAME_ENDS.search(word) and not in_dictionary:  # 工业区, 示范区 are kinds: in the dictionary as nouns
            found.setdefault(word, False)
    for m in CODE.finditer(text):
        found.setdefault(m.group(0), True)
    return tuple(found.items())


def _asked_kind(words: tuple[tuple[str, str], ...], i: int) -> bool:
    """True when ``words[i]`` is the kind an asking word asks for (哪一**行政区**, 哪个**州**): the
    answer, not a name."""
    before = [w for w, _ in words[max(0, i - 2):i]]
    if before and before[-1] in ("一", "个"):
        before = before[:-1]
    return bool(before) and bool(ASKING.search(before[-1]))


def _person(word: str) -> bool:
    """True for a word jieba tags as a person that is likely one: three characters or more, or
    not in jieba's dictionary."""
    import jieba.posseg

    return len(word) >= 3 or word not in jieba.posseg.dt.word_tag_tab


def unstated_name(names: list[str], text: str) -> str | None:
    """The first of ``names`` that ``text`` (in matching form) does not mention, or None. A name
    counts as mentioned without its last character when two or more are left (jieba glues the
    next word's character to a name: 李翰 / 曾; 海淀 for 海淀区), and without its place or
    organisation word (英 for 英国, 联邦 for 联邦政府), and a long name when the place it begins
    with is mentioned (中关村 for 中关村科技园区)."""
    return next((n for n in names if not _mentioned(n, text)), None)


def _mentioned(name: str, text: str) -> bool:
    if name in text or (len(name) >= 3 and name[:-1] in text):
        return True
    stem = _NAME_ENDS.sub("", name)
    if stem != name and stem and stem in text:
        return True
    lead = _leading_place(name)
    return lead is not None and lead in text


@lru_cache(maxsize=1024)
def _leading_place(name: str) -> str | None:
    """The place a long name begins with, the longest one in jieba's dictionary (中关村 of
    中关村科技园区, which articles also call 中关村示范区), or None."""
    import jieba.posseg

    if len(name) < 4:
        return None
    tags = jieba.posseg.dt.word_tag_tab
    return next((name[:end] for end in range(len(name) - 1, 1, -1) if tags.get(name[:end]) in PLACE_TAGS), None)
