"""Check and tidy a question before it reaches the models: one clear message for what cannot be asked."""
from __future__ import annotations

import re
import unicodedata

from .chinese import CJK_RE, content_words, to_simplified
from .messages import say

MAX_QUESTION_CHARS = 1000

# Bytes that were not UTF-8 arrive from the command line as U+DC80..U+DCFF (surrogateescape);
# any other lone surrogate cannot be encoded either.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SPACES = re.compile(r"\s+")


class BadQuestion(ValueError):
    """A question that cannot be asked; the message says why, in one line, for the user."""


def check_question(question: object) -> str:
    """The question as it will be asked: control and format characters removed, runs of space
    made one; ``BadQuestion`` with a one-line message when nothing askable is left.

    Args:
        question: what the user typed (any object: scripts pass anything).

    Returns:
        the tidied question.
    """
    if isinstance(question, bytes):
        try:
            question = question.decode("utf-8")
        except UnicodeDecodeError:
            raise BadQuestion(say("question_not_utf8")) from None
    if not isinstance(question, str):
        raise BadQuestion(say("question_not_text", kind=type(question).__name__))
    if _SURROGATE.search(question):
        raise BadQuestion(say("question_not_utf8"))
    kept = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch not in "\u200d" else ch
        for ch in question
    )
    text = _SPACES.sub(" ", kept).strip()
    text = re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)
    if not text:
        raise BadQuestion(say("question_empty"))
    if len(text) > MAX_QUESTION_CHARS:
        raise BadQuestion(say("question_too_long", length=len(text), limit=MAX_QUESTION_CHARS))
    return text


# Words that wrap a question without asking anything ("请问…", "我想知道…。", "你知道…吗？"), matched
# on the simplified form. The reader learnt from bare questions ending in a question mark, and
# reads wrapped ones and ones without the mark worse (bench/question_forms.py).
_GREETING = r"(?:你好|您好|hello(?![a-z])|hi(?![a-z]))[，,！!。.\s]*"
_DOWN = r"下(?![一二两个午周星月届次半年季期步轮场属面])"  # 问下 "ask", not 下一届 "the next"
_WRAPPING = (
    rf"(?:我?想)?(?:请问|请教|咨询|打听)(?:一下|{_DOWN})?|(?:我?想)?问(?:问|一下|{_DOWN})|我?想问"
    r"|我?想(?:了解|知道)(?:一下)?|我很?好奇"
    rf"|麻烦(?:你|您)?(?:问一下|问{_DOWN}|告诉我|说一下)?"
    rf"|(?:请|能不能|能|可以|可不可以)?(?:你|您)?(?:帮我)?(?:告诉|说说|讲讲|查查|查一下|查{_DOWN}|看看|看一下)我?"
    r"|[你您]知道(?:不)?"
)
_FRAME = re.compile(rf"^(?:{_GREETING})?(?:(?:{_WRAPPING})[，,：:\s]*)?", re.IGNORECASE)
# The words that ask (what, how many, which, who, how, why), the one list of them; 甚么 is how
# Taiwan writes 什么 (甚麼, simplified character by character).
ASKING = re.compile(r"什么|甚么|多少|哪|谁|几|何|怎|为什么|如何")
# Those and the words that ask for yes or no, a size, a length of time, or what (啥).
ASKS = re.compile(ASKING.pattern + r"|吗|是否|多大|多长|多久|多高|多远|多重|啥")
_TOPIC_ASKS = re.compile(r"的|呢")  # what turns a bare topic into a question without an asking word
_CLOSING = re.compile(r"[呢啊呀哈啦哦]*[？?。.！!\s]*$")
_FOLLOWS_UP = re.compile(r"呢[？?]$")
# A phrase typed as into a search box ("中关村独角兽企业数量", "龙芯中科创始人") names what it wants by
# its last word; the reader, trained on questions, reads it better asked ("…数量是多少?").
_PHRASE_ASKS = (
    (re.compile(r"(?:数量|数目|个数|人数|总数|次数|规模|面积|人口|金额|总额|产值|收入|营收|估值|比例|占比|比重|增速|"
                r"增幅|[率额]|(?:拥有|总|产|销|销售|存|流|储|保有|出货|交易|吞吐|装机|排放|发行)量|gdp)$", re.I), "是多少"),
    (re.compile(r"(?:时间|日期|年份|年代)$"), "是什么时候"),
    (re.compile(r"(?:地点|地址|位置|所在地|总部)$"), "在哪里"),
    (re.compile(r"(?:创始人|创办人|董事长|负责人|作者|主任|局长|市长|区长|总裁|总经理|院长|校长|主席|书记|发明人|"
                r"设计者|领导人|ceo)$", re.I), "是谁"),
    (re.compile(r"(?:名字|名称)$"), "是什么"),
)


def _phrase_asks(simple: str) -> str:
    """The words that ask for what the phrase ``simple`` names by its last word before any closing
    particle or mark ("是多少" after 数量), or ""."""
    bare = _CLOSING.sub("", simple)
    return next((words for pattern, words in _PHRASE_ASKS if pattern.search(bare)), "")


def asks_nothing(question: str) -> bool:
    """True for a bare topic typed as a question ("中关村", "中关村论坛？"): no word that asks, no 的
    naming what is wanted of it ("龙芯3A6000的发布时间" asks), no 呢 ("那区级孵化器呢？" asks about it),
    no closing word that names it ("龙芯创始人"), and at most two words to look for. A span taken for
    it would answer nothing that was asked. ``question`` is in Chinese (simplified or traditional)."""
    simple = to_simplified(question)
    return (not ASKS.search(simple) and not _TOPIC_ASKS.search(simple)
            and not _phrase_asks(simple) and len(content_words(simple)) <= 2)


MAX_QUESTIONS = 5  # questions of one message answered one by one; the rest stay with the last
_OPENERS = "《〈「『“‘（(【[{"
_CLOSERS = "》〉」』”’）)】]}"


def _ends_of_questions(message: str) -> list[int]:
    """Where each question mark outside brackets and quotes ends a part of ``message``: a mark in
    a title ("《物体惯性与其所含能量有关吗?》") or a quotation belongs to it."""
    ends, depth = [], 0
    for i, ch in enumerate(message):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(depth - 1, 0)
        elif ch in "？?" and depth == 0 and not message.startswith(("？", "?"), i + 1):
            ends.append(i + 1)
    return ends


def _parts(message: str) -> list[str]:
    """``message`` cut after each question mark that ends a part, spaces after it dropped."""
    parts, start = [], 0
    for end in _ends_of_questions(message):
        parts.append(message[start:end])
        start = end
    parts.append(message[start:])
    return [p.strip() for p in parts if p.strip()]


def split_questions(message: str) -> list[str]:
    """The questions of a chat message that asks several ("中关村有多少家独角兽企业？龙芯的创始人是谁？"),
    each ending with its own question mark (not one inside a title or a quotation), in order;
    ``[message]`` when it asks one. A part counts as a question when it holds Chinese and asks (an
    asking word, 吗, 是否…, 呢 closing a follow-up, or a closing word that names what a phrase wants);
    a part that does not stays with the question before it.

    Args:
        message: a tidied message (``check_question``).
    """
    parts: list[str] = []
    for part in _parts(message):
        if parts and CJK_RE.search(part) and _asks(part) and len(parts) < MAX_QUESTIONS:
            parts.append(part)
        elif parts:
            parts[-1] += part
        else:
            parts.append(part)
    return parts if len(parts) > 1 and all(_asks(p) for p in parts) else [message]


def _asks(part: str) -> bool:
    """True for a part of a message that asks: an asking word, a follow-up closed by 呢
    ("那上市企业呢？"), or a phrase closed by what it wants ("中关村独角兽企业数量？")."""
    simple = to_simplified(part)
    return bool(ASKS.search(simple) or _FOLLOWS_UP.search(simple) or _phrase_asks(simple))


def plain_question(question: str) -> str:
    """What the models read of a tidied question: without the words that wrap it and the particle
    that closes it, ending with a question mark: the asker's (？ or ?), else ? ("请问经开区有多少家
    孵化器呢？" → "经开区有多少家孵化器？", "我想知道…。" → "…?"). A phrase that asks nothing but
    names what it wants by its last word gets the words that ask for it ("中关村独角兽企业数量" →
    "中关村独角兽企业数量是多少?", "龙芯中科创始人" → "龙芯中科创始人是谁?"), and 甚麼 is read as 什麼.
    A question without Chinese is left as it is."""
    simple = to_simplified(question)
    if not CJK_RE.search(simple):
        return question
    start = _FRAME.match(simple).end()
    end = _CLOSING.search(simple, start).start()
    marks = [ch for ch in simple[end:] if ch in "？?"]
    if start and simple.endswith("吗", start, end) and ASKING.search(simple, start, end):
        end -= 1  # "你知道…有多少家吗？": the 吗 belongs to the wrapping
    core = question[start:end].strip().replace("甚麼", "什麼").replace("甚么", "什么")
    if not any(ch.isalnum() for ch in core):
        return question
    if not ASKS.search(simple) and "呢" not in simple[end:]:
        core += _phrase_asks(to_simplified(core))
    return core + (marks[-1] if marks else "?")
