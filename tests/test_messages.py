"""Every message the code asks for exists, and fills in."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa.messages import MESSAGES, say

QA = Path(__file__).resolve().parent.parent / "qa"


def _keys_used() -> set[str]:
    used = set()
    for path in QA.rglob("*.py"):
        used |= set(re.findall(r"""\bsay\(\s*["']([a-z0-9_]+)["']""", path.read_text(encoding="utf-8")))
    return used


def test_every_key_the_code_uses_exists():
    assert _keys_used() - set(MESSAGES) == set()


def test_a_message_fills_its_fields():
    assert say("question_too_long", length=1200, limit=1000) == "问题太长：1200 字，最多 1000 字。"


def test_an_unknown_key_is_an_error():
    with pytest.raises(KeyError):
        say("no_such_message")
