"""qa.dense: exact search for small sets, fast-scan IVF with tuned probes above them, filters by row."""
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


def test_large_sets_use_fast_scan_ivf_with_recall_against_exact(seed_index, encoder, tmp_path):
    import faiss

    _, _, data = seed_index
    vectors = np.asarray(data.sentence_index.vectors)
    params = dense.build(vectors, tmp_path / "s.faiss", flat_limit=100)
    assert params.kind == "ivf-pq" and params.recall >= 0.99 and 1 <= params.nprobe <= params.nlist
    index = dense.DenseIndex(vectors, tmp_path / "s.faiss", params)
    assert isinstance(index.index, faiss.IndexIVFPQFastScan)
    queries = encoder.encode(QUESTIONS)
    truth = dense.exact_top(vectors, queries, 10)
    found = [index.search(q, 10)[0] for q in queries]
    assert dense.recall_at(found, truth) >= 0.99


def test_indexes_of_8_bit_codes_built_earlier_still_load(seed_index, encoder, tmp_path):
    import faiss

    _, _, data = seed_index
    vectors = np.ascontiguousarray(data.sentence_index.vectors, dtype=np.float32)
    older = faiss.index_factory(vectors.shape[1], "IVF16,SQ8", faiss.METRIC_INNER_PRODUCT)
    older.train(vectors)
    older.add(vectors)
    faiss.write_index(older, str(tmp_path / "s.faiss"))
    index = dense.DenseIndex(vectors, tmp_path / "s.faiss", dense.DenseParams("ivf", 16, 16, 1.0))
    q = encoder.encode(QUESTIONS[:1])[0]
    rows, scores = index.search(q, 5)
    assert list(rows) == list(dense.exact_top(vectors, q[None, :], 5)[0])


def test_search_keeps_to_the_allowed_rows(seed_index, encoder):
    _, _, data = seed_index
    q = encoder.encode(QUESTIONS[:1])[0]
    allowed = np.arange(10, 20)
    rows, scores = data.sentence_index.search(q, 5, allowed)
    assert set(rows) <= set(allowed.tolist()) and len(rows) == 5
    assert list(scores) == sorted(scores, reverse=True)


def _resident_kb(array: np.ndarray) -> int:
    """Resident size of the mapping that holds ``array`` (from /proc/self/smaps)."""
    address, inside = array.ctypes.data, False
    for line in open("/proc/self/smaps"):
        head = line.split()
        if head and "-" in head[0] and not head[0].endswith(":"):
            start, end = (int(x, 16) for x in head[0].split("-"))
            inside = start <= address < end
        elif inside and head[0] == "Rss:":
            return int(head[1])
    raise AssertionError("not a mapping")


def test_rows_a_question_needs_are_read_without_making_the_vector_file_resident(seed_index, encoder):
    _, _, data = seed_index
    vectors = np.load(data.path / "sentences.npy", mmap_mode="r")  # a mapping of its own
    params = dense.DenseParams(**data.manifest.dense["sentences"])
    index = dense.DenseIndex(vectors, data.path / "sentences.faiss", params)
    in_memory = np.load(data.path / "sentences.npy")
    queries = encoder.encode(QUESTIONS)
    rows = np.array([3, 4, 5, 40, 41, 90, len(vectors) - 1])
    assert np.array_equal(index.rows.take(rows), in_memory[rows])
    for q in queries:
        found, scores = index.search(q, 5, np.arange(0, len(vectors), 3))
        assert np.allclose(scores, in_memory[found] @ q, atol=1e-5)
        assert np.allclose(index.scores(rows[::-1], q), in_memory[rows[::-1]] @ q, atol=1e-5)
    assert _resident_kb(vectors) == 0
    index.close()
