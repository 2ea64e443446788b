"""The answer text: the span's sentence, capped around the span; retrieval-only answers."""
from __future__ import annotations

import pytest

from qa.answering import Engine
from qa.composing import MAX_ANSWER_CHARS, NOT_STATED, excerpt
from qa.types import SpanCandidate


def test_long_sentence_is_cut_around_the_span():
    text = "甲" * 300 + "答案在这里" + "乙" * 300 + "。"
    start = text.index("答案")
    cand = SpanCandidate("d", "a.txt", start, start + 5, "答案在这里", (0, len(text)), 5.0, 1.0, 0.9)
    cut = excerpt(text, cand, MAX_ANSWER_CHARS)
    assert "答案在这里" in cut and len(cut) <= MAX_ANSWER_CHARS


def test_short_sentence_is_kept_whole():
    text = "前一句。北京经开区有市级孵化器15家。后一句。"
    start = text.index("15家")
    cand = SpanCandidate("d", "a.txt", start, start + 3, "15家", (4, text.index("后")), 5.0, 1.0, 0.9)
    assert excerpt(text, cand, MAX_ANSWER_CHARS) == "北京经开区有市级孵化器15家。"


@pytest.fixture(scope="module")
def retrieval_only(seed_index):
    from dataclasses import replace

    settings, _, _ = seed_index
    return Engine(replace(settings, reader="none"), build_if_missing=False)


def test_an_abstention_says_why_in_a_kind_and_in_words(seed_index):
    from qa.types import ABSTENTIONS

    settings, _, _ = seed_index
    engine = Engine(settings, build_if_missing=False)
    a = engine.answer("火星上有多少座城市?")
    assert a.abstained and a.abstention == "not_stated" and a.reason == NOT_STATED
    assert a.abstention in ABSTENTIONS and a.to_dict()["abstention"] == "not_stated"
    assert engine.answer("北京经开区有多少家市级孵化器?").abstention is None


def test_retrieval_only_answers_with_the_best_sentence_and_no_span(retrieval_only):
    assert retrieval_only.reader is None
    a = retrieval_only.answer("北京经开区有多少家市级孵化器?")
    assert "15家" in a.text and a.span is None and not a.abstained
    assert a.citations[0].role == "answer"
