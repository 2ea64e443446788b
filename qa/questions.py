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
# The words that ask (what, how many, which, who, how, why), the one list of them.
ASKING = re.compile(r"什么|多少|哪|谁|几|何|怎|为什么|如何")
# Those and the words that ask for yes or no, a size, a length of time, or what (啥).
ASKS = re.compile(ASKING.pattern + r"|吗|是否|多大|多长|多久|多高|多远|多重|啥")
_TOPIC_ASKS = re.compile(r"的|呢")  # what turns a bare topic into a question without an asking word
_CLOSING = re.compile(r"[呢啊呀哈啦哦]*[？?。.！!\s]*$")
_FOLLOWS_UP = re.compile(r"呢[？?]$")


def asks_nothing(question: str) -> bool:
    """True for a bare topic typed as a question ("中关村", "中关村论坛？"): no word that asks, no 的
    naming what is wanted of it ("龙芯3A6000的发布时间" asks), no 呢 ("那区级孵化器呢？" asks about it),
    and at most two words to look for. A span taken for it would answer nothing that was asked.
    ``question`` is in Chinese (simplified or traditional)."""
    simple = to_simplified(question)
    return not ASKS.search(simple) and not _TOPIC_ASKS.search(simple) and len(content_words(simple)) <= 2


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
    asking word, 吗, 是否…, or 呢 closing a follow-up); a part that does not stays with the question
    before it.

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
    """True for a part of a message that asks: an asking word, or a follow-up closed by 呢
    ("那上市企业呢？")."""
    simple = to_simplified(part)
    return bool(ASKS.search(simple) or _FOLLOWS_UP.search(simple))


def plain_question(question: str) -> str:
    """What the models read of a tidied question: without the words that wrap it and the particle
    that closes it, ending with a question mark: the asker's (？ or ?), else ? ("请问经开区有多少家
    孵化器呢？" → "经开区有多少家孵化器？", "我想知道…。" → "…?"). A question without Chinese is
    left as it is."""
    simple = to_simplified(question)
    if not CJK_RE.search(simple):
        return question
    start = _FRAME.match(simple).end()
    end = _CLOSING.search(simple, start).start()
    marks = [ch for ch in simple[end:] if ch in "？?"]
    if start and simple.endswith("吗", start, end) and ASKING.search(simple, start, end):
        end -= 1  # "你知道…有多少家吗？": the 吗 belongs to the wrapping
    core = question[start:end].strip()
    if not any(ch.isalnum() for ch in core):
        return question
    return core + (marks[-1] if marks else "?")
