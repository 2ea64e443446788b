"""Citations: roles, one coordinate system (the article text), no repeated passages."""
from __future__ import annotations

import pytest

from qa.answering import Engine


@pytest.fixture(scope="module")
def engine(seed_index):
    settings, _, _ = seed_index
    return Engine(settings, build_if_missing=False)


def test_answer_passage_first_with_span_and_sentence_in_article_offsets(engine):
    a = engine.answer("北京经开区有多少家市级孵化器?")
    first = a.citations[0]
    assert first.role == "answer"
    doc = next(d for d in engine.data.documents.values() if d.source == first.source)
    assert doc.text[first.start:first.end] == first.passage
    assert doc.text[first.span[0]:first.span[1]] == a.span == "15家"
    assert first.highlight[0] <= first.span[0] < first.span[1] <= first.highlight[1]
    assert first.start <= first.highlight[0] and first.highlight[1] <= first.end


def test_other_passages_support_and_are_not_repeated(engine):
    a = engine.answer("中关村论坛创办于哪一年?", top_k=5)
    assert [c.role for c in a.citations].count("answer") == 1
    assert all(c.role == "supporting" and c.span is None for c in a.citations[1:])
    for i, c in enumerate(a.citations):
        for d in a.citations[i + 1:]:
            if c.source == d.source:
                shared = min(c.end, d.end) - max(c.start, d.start)
                assert shared <= 0.5 * min(c.end - c.start, d.end - d.start)


def test_a_yes_or_no_answer_marks_its_sentence_but_no_span(engine):
    a = engine.answer("中关村有40家独角兽企业吗？")
    first = a.citations[0]
    assert first.role == "answer" and first.span is None and first.highlight is not None
    doc = next(d for d in engine.data.documents.values() if d.source == first.source)
    assert "独角兽企业40家" in doc.text[first.highlight[0]:first.highlight[1]]


def test_at_most_top_k_citations(engine):
    assert len(engine.answer("中关村论坛创办于哪一年?", top_k=2).citations) <= 2


def test_abstention_lists_the_closest_passages_unmarked(engine):
    a = engine.answer("上海浦东新区2023年的财政收入是多少?")
    assert a.abstained
    assert a.citations and all(c.role == "supporting" and c.span is None for c in a.citations)
