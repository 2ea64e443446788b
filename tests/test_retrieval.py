"""qa.retrieval: hybrid retrieval over the seed index, the article filter and the headline lift."""
from __future__ import annotations

import numpy as np
import pytest

from qa import retrieval
from qa.retrieval import Retriever, make_query


@pytest.fixture(scope="module")
def seeds(seed_index):
    return seed_index[2]


def test_the_passage_with_the_answer_comes_first(seeds, encoder):
    hits = Retriever(seeds).run(make_query("北京经开区有多少家市级孵化器?", encoder), 5)
    assert "市级孵化器15家" in hits[0].chunk.text
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_hits_carry_their_article_and_point_into_its_text(seeds, encoder):
    for hit in Retriever(seeds).run(make_query("中关村论坛创办于哪一年?", encoder), 5):
        doc = seeds.documents[hit.chunk.doc_id]
        assert (hit.source, hit.title) == (doc.source, doc.title)
        assert doc.text[hit.chunk.start:hit.chunk.end] == hit.chunk.text


def test_sources_limit_the_hits_to_the_named_articles(seeds, encoder):
    source = seeds.articles()[0].source
    hits = Retriever(seeds).run(make_query("北京经开区有多少家市级孵化器?", encoder), 5, sources=[source])
    assert hits and {h.source for h in hits} == {source}
    assert Retriever(seeds).run(make_query("北京经开区有多少家市级孵化器?", encoder), 5, sources=["无此文章.txt"]) == []


def test_no_hits_are_asked_for_none_are_given(seeds, encoder):
    assert Retriever(seeds).run(make_query("中关村", encoder), 0) == []


def test_headline_words_lift_only_their_article(seeds, encoder, monkeypatch):
    titled = next(a for a in seeds.articles() if "服贸会" in a.title)
    query = make_query("服贸会上发布了什么?", encoder)
    rows = list(range(seeds.manifest.chunks))
    bonus = Retriever(seeds)._headline_bonus(query, rows)
    lifted = {seeds.chunk(i).doc_id for i, b in bonus.items() if b > 0}
    assert lifted == {titled.id}
    with_lift = {h.chunk.id: h.score for h in Retriever(seeds).run(query, 20)}
    monkeypatch.setattr(retrieval, "HEADLINE_WEIGHT", 0.0)
    without = {h.chunk.id: h.score for h in Retriever(seeds).run(query, 20)}
    for chunk_id in with_lift.keys() & without.keys():
        assert with_lift[chunk_id] - without[chunk_id] == pytest.approx(bonus[chunk_id])


def test_a_question_is_embedded_and_tokenized_once_in_simplified_form(encoder):
    query = make_query("中關村論壇創辦於哪一年?", encoder)
    assert query.text == "中關村論壇創辦於哪一年?" and query.key.startswith("中关村论坛创办于")
    assert query.vector.shape == (512,) and np.linalg.norm(query.vector) == pytest.approx(1.0, abs=1e-5)
    assert "中关村" in query.tokens
