"""Every sentence a user reads (CLI, web page, toasts, errors), in one place so it can be translated.

Look a message up by its key and fill its fields: ``say("index_missing", path=p)``. Keys group by
area (``index_*``, ``build_*``, ``question_*``, ``web_*``); a new message gets a new key here.
"""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Questions
    "question_empty": "问题是空的：请输入一个中文问题。",
}


def say(key: str, **fields: object) -> str:
    """The message ``key`` with its ``{fields}`` filled in."""
    return MESSAGES[key].format(**fields)
