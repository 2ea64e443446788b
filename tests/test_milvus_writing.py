"""qa.milvus_writing: the collections of the Milvus store written into Milvus Lite (a temporary .db)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from qa import milvus_writing
from qa.milvus_writing import PREFIX


@pytest.fixture
def lite(tmp_path):
    from pymilvus import MilvusClient

    client = MilvusClient(uri=str(tmp_path / "w.db"))
    yield client
    client.close()


@pytest.fixture
def articles(small_corpus, encoder):
    """The three small articles as a build hands them over: entries and their vectors, in order."""
    from qa.generations import Entry
    from qa.reading import read_folder
    from qa.splitting import split_chunks, split_sentences

    documents, _ = read_folder(small_corpus)
    entries = []
    for d in documents:
        sentences = split_sentences(d)
        entries.append(Entry(d, sentences, split_chunks(d, sentences, 300, 60)))
    chunks = encoder.encode([c.key for e in entries for c in e.chunks])
    sentences = encoder.encode([s.key for e in entries for s in e.sentences])
    return entries, chunks, sentences


def _manifest():
    from qa.store import Manifest

    return Manifest(model="m3e-small", dimension=512, chunk_size=300, chunk_overlap=60)


def test_write_holds_every_article_chunk_and_sentence_and_records_the_counts(lite, articles):
    entries, chunks, sentences = articles
    manifest = _manifest()
    milvus_writing.write(lite, manifest, [], entries, chunks, sentences)
    expected = (len(entries), len(chunks), len(sentences))
    assert milvus_writing.counts(lite) == expected == (manifest.articles, manifest.chunks, manifest.sentences)
    first = entries[0]
    rows = lite.query(PREFIX + "chunks", filter=f'doc_id == "{first.document.id}"', output_fields=["idx", "start", "end", "vec"])
    assert sorted((r["idx"], r["start"], r["end"]) for r in rows) == [(k, c.start, c.end) for k, c in enumerate(first.chunks)]
    assert np.allclose(sorted(rows, key=lambda r: r["idx"])[0]["vec"], chunks[0], atol=1e-6)
    raw = lite.query(PREFIX + "meta", filter="id == 0", output_fields=["manifest"])[0]["manifest"]
    recorded = json.loads(raw) if isinstance(raw, str) else raw
    assert (recorded["articles"], recorded["chunks"], recorded["sentences"]) == expected


def test_write_deletes_the_removed_articles_and_keeps_the_others(lite, articles):
    entries, chunks, sentences = articles
    milvus_writing.write(lite, _manifest(), [], entries, chunks, sentences)
    gone = entries[1]
    milvus_writing.write(lite, _manifest(), [gone.document.id], [], chunks[:0], sentences[:0])
    kept = [e for e in entries if e is not gone]
    assert milvus_writing.counts(lite) == (2, sum(len(e.chunks) for e in kept), sum(len(e.sentences) for e in kept))
    assert not lite.query(PREFIX + "sentences", filter=f'doc_id == "{gone.document.id}"', output_fields=["id"])


def test_keyword_analyzer_splits_in_search_mode_without_stop_words_or_punctuation(lite, articles):
    entries, chunks, sentences = articles
    milvus_writing.write(lite, _manifest(), [], entries, chunks, sentences)

    def bm25(text):
        found = lite.search(PREFIX + "chunks", data=[text], anns_field="sparse", limit=5,
                            search_params={"metric_type": "BM25"}, output_fields=["key"])[0]
        return [h["entity"]["key"] for h in found]

    assert any("中关村" in key for key in bm25("关村"))  # search mode: 中关村 is also indexed as 中关 and 关村
    assert bm25("的 是 什么 哪里") == []  # question and stop words match nothing
    assert bm25("，。“”") == []
