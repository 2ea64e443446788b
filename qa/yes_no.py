"""Questions that ask yes or no ("中关村有40家独角兽企业吗？"), and spans that answer one.

A span reader answers "how many", "who", "when" with a span of the passage. Asked yes or no, it
still takes a span: "中关村有40家独角兽企业吗？" got "1669家" at 0.95, a bold figure that answers
nothing asked. The articles rarely write 是 or 不是 for a claim; they state the fact, and the asker
judges. So a yes-or-no question is answered with the sentence the reader chose, unmarked, unless
the span itself says yes or no ("能否…？" → "不能", as encyclopedia passages sometimes do).
"""
from __future__ import annotations

import re

from .chinese import to_simplified
from .questions import ASKING

_YES_NO = re.compile(r"吗[呢啊呀]*[？?！!。.\s]*$|是否|能否|可否|是不是|有没有|会不会|能不能|可不可以|对不对")
# "…是否有高血压的方法是？" asks what the method is: a question ending in 是 or 为 asks for a thing.
_ASKS_WHAT = re.compile(r"(?:是|为|叫|叫做|指)[？?]?\s*$")
# What a span says when it answers yes or no itself.
_SAYS = {"是", "不是", "能", "不能", "可以", "不可以", "会", "不会", "有", "没有", "对", "不对", "否", "可", "不可"}


def asks_yes_or_no(question: str) -> bool:
    """True for a question that asks yes or no (吗 at its end, 是否, 能否, 是不是, 有没有…) and
    nothing else: "中关村有多少家独角兽企业吗" asks how many."""
    simple = to_simplified(question).strip()
    return bool(_YES_NO.search(simple)) and not ASKING.search(simple) and not _ASKS_WHAT.search(simple)


def says_yes_or_no(span: str) -> bool:
    """True for a span that is itself a yes or a no ("不能", "是")."""
    return to_simplified(span).strip("，,。.！!？? ") in _SAYS
