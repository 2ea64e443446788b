"""qa.store: the index folder — loading, keyword and dense search parts, errors that name the fix
(builds killed part-way are in test_faults)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa import store
from qa.chinese import tokenize

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
TRADITIONAL_SOURCE = "003_ef3a641ba3817a34.txt"


def keyword_search(data: store.IndexData, query: str, k: int = 3):
    """Top ``k`` (chunk, score) of the BM25 index for ``query``, tokenized as the index was built."""
    tokens = tokenize(query)
    assert tokens
    # The index was built from lists of string tokens, so bm25s takes a list of token lists.
    results = data.bm25.retrieve([tokens], k=k, show_progress=False)
    return [(data.chunks[int(i)], float(s)) for i, s in zip(results.documents[0], results.scores[0])]


def test_seed_index_loads_consistently(seed_index):
    _, report, data = seed_index
    assert len(data.documents) == 5 == len(data.manifest.documents)
    assert len(data.chunks) == report.chunks == data.chunk_vectors.shape[0] == data.faiss_index.ntotal
    assert sum(len(v) for v in data.sentences.values()) == report.sentences
    assert [c.id for c in data.chunks] == list(range(len(data.chunks)))


def test_seed_index_chunks_point_into_their_documents(seed_index):
    _, _, data = seed_index
    for c in data.chunks:
        doc = data.documents[c.doc_id]
        assert doc.text[c.start:c.end] == c.text
        assert doc.key[c.start:c.end] == c.key


def test_seed_index_sentences_point_into_their_documents(seed_index):
    _, _, data = seed_index
    for doc_id, sentences in data.sentences.items():
        doc = data.documents[doc_id]
        assert [s.index for s in sentences] == list(range(len(sentences)))
        for s in sentences:
            assert doc.text[s.start:s.end] == s.text


def test_seed_index_vectors_are_normalised_and_aligned(seed_index):
    _, _, data = seed_index
    assert data.chunk_vectors.dtype == np.float32
    assert data.chunk_vectors.shape[1] == data.manifest.dimension == 512
    assert np.allclose(np.linalg.norm(data.chunk_vectors, axis=1), 1.0, atol=1e-3)
    for doc_id, vectors in data.sentence_vectors.items():
        assert len(vectors) == len(data.sentences[doc_id])


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


def test_missing_index_raises_index_missing_naming_qa_build(tmp_path):
    with pytest.raises(store.IndexMissing, match="qa build"):
        store.load(tmp_path / "index")


def test_read_manifest_of_missing_index_raises_index_missing(tmp_path):
    with pytest.raises(store.IndexMissing, match="qa build"):
        store.read_manifest(tmp_path / "index")


@pytest.fixture
def small_index(tmp_path, small_corpus, build):
    """A freshly built index of the three short articles; returns (index folder, build report)."""
    index = tmp_path / "index"
    return index, build(small_corpus, index)


def test_corrupt_manifest_raises_index_corrupt_naming_full_rebuild(small_index):
    index, _ = small_index
    live = store.live_path(index)
    (live / "manifest.json").write_text("{ not json at all", encoding="utf-8")
    with pytest.raises(store.IndexCorrupt, match="qa build --full"):
        store.load(index)


def test_manifest_with_unknown_fields_is_corrupt(small_index):
    index, _ = small_index
    (store.live_path(index) / "manifest.json").write_text('{"colour": "blue"}', encoding="utf-8")
    with pytest.raises(store.IndexCorrupt, match="qa build --full"):
        store.load(index)


def test_pointer_to_missing_generation_is_corrupt(small_index):
    index, _ = small_index
    (index / store.CURRENT).write_text("gen-does-not-exist", encoding="utf-8")
    with pytest.raises(store.IndexCorrupt, match="qa build --full"):
        store.load(index)


def test_damaged_faiss_file_is_corrupt(small_index):
    index, _ = small_index
    (store.live_path(index) / "chunks.faiss").write_bytes(b"garbage")
    with pytest.raises(store.IndexCorrupt, match="qa build --full"):
        store.load(index)


def test_missing_records_file_is_corrupt(small_index):
    index, _ = small_index
    (store.live_path(index) / "records.json").unlink()
    with pytest.raises(store.IndexCorrupt, match="qa build --full"):
        store.load(index)


def test_index_keeps_only_the_live_generation(small_index, small_corpus, build):
    index, _ = small_index
    (small_corpus / "a_kejiao.txt").write_text("经开区新闻\n经开区发布新的科技政策。\n", encoding="utf-8")
    build(small_corpus, index)
    entries = sorted(p.name for p in index.iterdir() if p.name != store.LOCK_FILE)
    live = store.live_path(index)
    assert entries == sorted([store.CURRENT, live.name])
