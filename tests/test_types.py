"""qa.types: offsets between article and passage, and the JSON form of an answer."""
from __future__ import annotations

import json

from qa.types import Answer, Citation, SpanCandidate

ARTICLE = "经开区新闻。北京经开区有市级孵化器15家。另有众创空间8家。"


def citation(start: int, end: int, span: tuple[int, int] | None = None) -> Citation:
    return Citation("a.txt", "经开区新闻", None, ARTICLE[start:end], start, end, (start, end), 1.0, "answer", span)


def test_article_offsets_become_passage_offsets():
    at = ARTICLE.index("15家")
    c = citation(6, 21, (at, at + 3))
    first, last = c.local(c.span)
    assert c.passage[first:last] == "15家"


def test_offsets_reaching_past_the_passage_are_clipped_to_it():
    c = citation(6, 21)
    assert c.local((0, 40)) == (0, len(c.passage))
    assert c.local(None) is None


def test_an_answer_is_json_ready_with_rounded_scores():
    at = ARTICLE.index("15家")
    span = SpanCandidate("d1", "a.txt", at, at + 3, "15家", (6, 21), 7.123456, 0.987654, 0.912345, 1.234567)
    answer = Answer("有多少家市级孵化器?", ARTICLE[6:21], "15家", False, 0.912345, False,
                    [citation(6, 21, (at, at + 3))], spans=[span])
    data = json.loads(json.dumps(answer.to_dict(), ensure_ascii=False))
    assert data["span"] == "15家" and data["confidence"] == 0.9123
    assert data["citations"][0]["span"] == [at, at + 3] and data["citations"][0]["role"] == "answer"
    assert data["spans"][0] == {"doc_id": "d1", "source": "a.txt", "start": at, "end": at + 3, "text": "15家",
                                "sentence": [6, 21], "margin": 7.1235, "coverage": 0.9877,
                                "probability": 0.9123, "score": 1.2346}


def test_an_abstention_has_no_span_in_its_json():
    data = Answer("海淀区区长是谁?", "", None, True, 0.1, False, reason="not_stated").to_dict()
    assert data["span"] is None and data["abstained"] is True and data["citations"] == [] and data["spans"] == []
