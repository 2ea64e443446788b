"""Check and tidy a question before it reaches the models: one clear message for what cannot be asked."""
from __future__ import annotations

import re
import unicodedata

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
