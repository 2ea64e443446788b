"""qa.dense: exact search for small sets, IVF with tuned probes above them, filters by row."""
from __future__ import annotations

import numpy as np

from qa import dense

QUESTIONS = ["北京经开区有多少家市级孵化器?", "中关村论坛创办于哪一年?", "京津冀协同发展联合工作办公室何时揭牌?"]


def test_small_sets_are_searched_exactly(seed_index, tmp_path):
    _, _, data = seed_index
    vectors = np.asarray(data.sentence_index.vectors)
    params = dense.build(vectors, tmp_path / "s.faiss")
    assert params.kind == "flat"
    index = dense.DenseIndex(vectors, tmp_path / "s.faiss", params)
    q = vectors[7]
    rows, scores = index.search(q, 3)
    assert rows[0] == 7 and abs(scores[0] - 1.0) < 1e-4


def test_large_sets_use_ivf_with_recall_against_exact(seed_index, encoder, tmp_path):
    _, _, data = seed_index
    vectors = np.asarray(data.sentence_index.vectors)
    params = dense.build(vectors, tmp_path / "s.faiss", flat_limit=100)
    assert params.kind == "ivf" and params.recall >= 0.99 and 1 <= params.nprobe <= params.nlist
    index = dense.DenseIndex(vectors, tmp_path / "s.faiss", params)
    queries = encoder.encode(QUESTIONS)
    truth = dense.exact_top(vectors, queries, 10)
    found = [index.search(q, 10)[0] for q in queries]
    assert dense.recall_at(found, truth) >= 0.99


def test_search_keeps_to_the_allowed_rows(seed_index, encoder):
    _, _, data = seed_index
    q = encoder.encode(QUESTIONS[:1])[0]
    allowed = np.arange(10, 20)
    rows, scores = data.sentence_index.search(q, 5, allowed)
    assert set(rows) <= set(allowed.tolist()) and len(rows) == 5
    assert list(scores) == sorted(scores, reverse=True)
