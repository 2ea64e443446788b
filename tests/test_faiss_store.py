"""qa.faiss_store: an opened FAISS-store index: records read on demand, the three rankings of a
question (chunk vectors, sentence vectors, BM25), and sentence similarities."""
from __future__ import annotations

import numpy as np
import pytest

from qa import store
from qa.chinese import tokenize

TRADITIONAL_SOURCE = "003_ef3a641ba3817a34.txt"


def keyword_search(data: store.IndexData, query: str, k: int = 3):
    """Top ``k`` (chunk, score) of the BM25 index for ``query``, tokenized as the index was built."""
    tokens = tokenize(query)
    assert tokens
    # The index was built from lists of string tokens, so bm25s takes a list of token lists.
    results = data.bm25.retrieve([tokens], k=k, show_progress=False)
    return [(data.chunks[int(i)], float(s)) for i, s in zip(results.documents[0], results.scores[0])]


@pytest.mark.parametrize("query, expected", [
    ("中关村论坛 2007年", "創辦于2007年的中關村論壇"),
    ("集体学习", "中共中央政治局集體學習走出中南海"),
])
def test_simplified_keywords_find_the_traditional_article(seed_index, query, expected):
    _, _, data = seed_index
    top_chunk, score = keyword_search(data, query)[0]
    assert score > 0
    assert data.documents[top_chunk.doc_id].source == TRADITIONAL_SOURCE
    assert expected in top_chunk.text


def test_dense_index_finds_the_passage_with_the_answer(seed_index, encoder):
    _, _, data = seed_index
    query = encoder.encode(["北京经开区有多少家市级孵化器?"])
    _, ids = data.faiss_index.search(query, 3)
    texts = [data.chunks[int(i)].text for i in ids[0]]
    assert any("市级孵化器15家" in t for t in texts), texts


def test_records_are_read_per_article_not_at_opening(small_index):
    index, _ = small_index
    data = store.load(index)
    assert len(data.records._docs) == 0
    article = data.articles()[0]
    doc = data.documents[article.id]
    assert len(data.records._docs) == 1
    assert [c.text for c in data.chunks_of(article.id)] == [doc.text[c.start:c.end] for c in data.chunks_of(article.id)]
    assert data.manifest.documents[article.id]["chunks"] == article.chunks == len(data.chunks_of(article.id))


def test_sentence_vectors_are_searched_through_faiss(seed_index, encoder):
    _, _, data = seed_index
    query = encoder.encode(["北京经开区有多少家市级孵化器?"])[0]
    rows, _ = data.sentence_index.search(query, 5)
    first, last = data.sentence_chunks[rows[0]]
    texts = [data.chunks[int(c)].text for c in range(int(first), int(last) + 1)]
    assert any("市级孵化器15家" in t for t in texts), texts


def test_rankings_of_named_articles_hold_only_their_chunks(seed_index, encoder):
    _, _, data = seed_index
    article = next(a for a in data.articles() if a.source == TRADITIONAL_SOURCE)
    vector = encoder.encode(["中关村论坛创办于哪一年?"])[0]
    ranks = data.rankings(vector, tokenize("中关村论坛创办于哪一年?"), 10, [article.id])
    own = set(range(article.first_chunk, article.first_chunk + article.chunks))
    assert all(ranks[name] for name in ("dense", "sentence", "keyword"))
    assert set(ranks["dense"]) | set(ranks["sentence"]) | set(ranks["keyword"]) <= own
    everywhere = data.rankings(vector, tokenize("中关村论坛创办于哪一年?"), 10)
    assert not set(everywhere["dense"]) <= own


def test_keyword_ranking_holds_only_chunks_with_a_question_word(seed_index):
    _, _, data = seed_index
    tokens = tokenize("孵化器")
    ranks = data.rankings(np.zeros(512, np.float32), tokens, 50)
    holding = [i for i in range(data.manifest.chunks) if any(t in data.chunk(i).key for t in tokens)]
    assert ranks["keyword"] and sorted(ranks["keyword"]) == holding


def test_sentence_similarity_is_the_cosine_with_the_stored_vectors(seed_index, encoder):
    _, _, data = seed_index
    article = data.articles()[1]
    vector = encoder.encode(["北京经开区有多少家市级孵化器?"])[0]
    got = data.sentence_similarity(article.id, [0, 2, 3], vector)
    stored = np.asarray(data.sentence_vectors[article.id])[[0, 2, 3]]
    assert np.allclose(got, stored @ vector, atol=2e-2)


def test_sources_name_their_article_ids(seed_index):
    _, _, data = seed_index
    first, second = data.articles()[:2]
    assert sorted(data.ids_for_sources([second.source, first.source, "无此文章.txt"])) == sorted([first.id, second.id])
    assert data.sentence_row(second.id, 0) == second.first_sentence
