"""What the reader reads: ranked sentences of the retrieved chunks and windows around the best."""
from __future__ import annotations

from dataclasses import replace

import pytest

from qa.answering import Engine
from qa.windows import rank_sentences, read_count, reading_windows


@pytest.fixture(scope="module")
def engine(seed_index):
    settings, _, _ = seed_index
    return Engine(settings, build_if_missing=False)


def _ranked(engine, question, k=5):
    query = engine.query(question)
    hits = engine.retriever.run(query, k)
    return rank_sentences(query.key, hits, engine.data, query.vector)


def test_answer_sentence_ranks_among_the_first(engine):
    ranked = _ranked(engine, "北京经开区有多少家市级孵化器?")
    assert any("15家" in r.sentence.text for r in ranked[:3])
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


def test_a_sentence_that_counts_what_the_question_counts_gets_a_window(engine, monkeypatch):
    from qa import windows

    def read(question):
        ranked = _ranked(engine, question)
        return [r.sentence.text for r in ranked[:read_count(ranked, 3, 0.1)]]

    question = "国际科技创新中心网络服务平台发布了多少条政策法规?"
    assert any("政策法规294条" in text for text in read(question))
    monkeypatch.setattr(windows, "COUNT_WEIGHT", 0.0)
    assert not any("政策法规294条" in text for text in read(question))


def test_each_sentence_ranked_once(engine):
    ranked = _ranked(engine, "中关村论坛", k=10)
    keys = [(r.sentence.doc_id, r.sentence.index) for r in ranked]
    assert len(keys) == len(set(keys))


def test_windows_are_simplified_slices_within_width(engine):
    ranked = _ranked(engine, "中共中央政治局集体学习是哪一天走进中关村的?")
    windows = reading_windows(ranked, engine.data, count=3, width=160)
    assert 1 <= len(windows) <= 3
    for w in windows:
        doc = engine.data.documents[w.doc_id]
        assert doc.key[w.offset:w.offset + len(w.text)] == w.text
        assert len(w.text) <= 3 * 160
    traditional = [w for w in windows if engine.data.documents[w.doc_id].text != engine.data.documents[w.doc_id].key]
    assert traditional, "the traditional article is read in its simplified form"


def test_overlapping_windows_merge(engine):
    ranked = _ranked(engine, "北京经开区有多少家市级孵化器?")
    windows = reading_windows(ranked, engine.data, count=len(ranked), width=400)
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for w in windows:
        by_doc.setdefault(w.doc_id, []).append((w.offset, w.offset + len(w.text)))
    for ranges in by_doc.values():
        ranges.sort()
        assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:]))


def test_sentences_far_below_the_best_get_no_window(engine):
    ranked = _ranked(engine, "北京经开区有多少家市级孵化器?")
    scores = [1.0, 0.95, 0.5, 0.49]
    ranked = [replace(r, score=s) for r, s in zip(ranked, scores)]
    assert read_count(ranked, count=3, gap=0.1) == 2
    assert read_count(ranked, count=3) == 3
    assert read_count(ranked, count=1, gap=1.0) == 1
    assert read_count([], count=3, gap=0.1) == 0
