"""qa.records: articles, chunks and sentences written to SQLite and read back by id."""
from __future__ import annotations

from qa import records
from qa.splitting import split_chunks, split_sentences


def test_records_round_trip_with_offsets(seed_documents, tmp_path):
    entries = []
    for doc in seed_documents[:2]:
        sentences = split_sentences(doc)
        entries.append((doc, sentences, split_chunks(doc, sentences, 300, 60)))
    counts = records.write(tmp_path / "r.sqlite", entries)
    r = records.Records(tmp_path / "r.sqlite")
    assert counts == r.counts() == (2, sum(len(e[2]) for e in entries), sum(len(e[1]) for e in entries))
    doc, sentences, chunks = entries[1]
    assert r.documents[doc.id] == doc
    assert r.sentences[doc.id] == sentences
    assert [(c.start, c.end, c.text, c.key) for c in r.chunks_of(doc.id)] == [(c.start, c.end, c.text, c.key) for c in chunks]
    assert r.chunks[len(entries[0][2])].doc_id == doc.id  # ids are global rows
    assert r.ids_for_sources([doc.source]) == [doc.id]
    assert [a.id for a in r.articles()] == [d.id for d, _, _ in entries]
    assert doc.id in r.documents and "nope" not in r.documents
