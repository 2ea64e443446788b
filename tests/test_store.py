"""qa.store: the index folder — loading, checking, errors that name the fix (the opened FAISS
store's searches are in test_faiss_store; builds killed part-way are in test_faults)."""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from qa import store

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"


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


def test_missing_index_raises_index_missing_naming_qa_build(tmp_path):
    with pytest.raises(store.IndexMissing, match="qa build"):
        store.load(tmp_path / "index")


def test_read_manifest_of_missing_index_raises_index_missing(tmp_path):
    with pytest.raises(store.IndexMissing, match="qa build"):
        store.read_manifest(tmp_path / "index")


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
    (store.live_path(index) / "records.sqlite").unlink()
    with pytest.raises(store.IndexCorrupt, match="qa build --full"):
        store.load(index)


def test_truncated_vector_file_is_corrupt_at_load(small_index):
    index, _ = small_index
    path = store.live_path(index) / "sentences.npy"
    path.write_bytes(path.read_bytes()[:-512])
    with pytest.raises(store.IndexCorrupt, match="sentences.npy.*qa build --full"):
        store.load(index)


def test_check_finds_flipped_bits_that_loading_does_not(small_index):
    index, _ = small_index
    assert store.check(index) == []
    path = store.live_path(index) / "chunks.npy"
    raw = bytearray(path.read_bytes())
    raw[-7] ^= 0xFF
    path.write_bytes(bytes(raw))
    store.load(index).close()  # sizes agree: the fast check passes
    problems = store.check(index)
    assert any("chunks.npy" in p for p in problems), problems


def test_manifest_records_every_file_and_the_model(small_index):
    index, _ = small_index
    manifest = store.read_manifest(index)
    live = store.live_path(index)
    on_disk = sorted(p.relative_to(live).as_posix() for p in live.rglob("*") if p.is_file() and p.name != "manifest.json")
    assert sorted(manifest.files) == on_disk
    assert all(len(f["sha256"]) == 64 for f in manifest.files.values())
    assert manifest.model_identity["name"] == "m3e-small" and len(manifest.model_identity["fingerprint"]) == 64


def test_reading_in_a_loop_while_builds_swap_generations_never_fails(small_index, small_corpus, build):
    index, _ = small_index
    errors: list[BaseException] = []
    done = threading.Event()

    def rebuild():
        try:
            for i in range(6):
                (small_corpus / "a_kejiao.txt").write_text(f"经开区新闻\n经开区发布第{i}批科技政策。\n", encoding="utf-8")
                build(small_corpus, index)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            done.set()

    builder = threading.Thread(target=rebuild)
    builder.start()
    reads = 0
    try:
        while not done.is_set():
            data = store.load(index)
            assert len(data.documents) == 3
            assert data.documents[data.articles()[0].id].text
            data.close()
            reads += 1
    finally:
        builder.join()
    assert not errors, errors
    assert reads > 10
