"""The adapter to the index storage: the article list and the live generation."""
from __future__ import annotations


def test_index_generation_is_the_live_folder(seed_index, tmp_path):
    from qa.web.library import index_generation

    settings, _, data = seed_index
    assert index_generation(settings.index_dir) == data.path.name
    assert index_generation(tmp_path) is None


def test_list_articles_has_headline_date_size_and_chunks(seed_index):
    from qa.answering import Engine
    from qa.web.library import engine_generation, list_articles

    settings, _, data = seed_index
    engine = Engine(settings, build_if_missing=False)
    assert engine_generation(engine) == data.path.name
    rows = list_articles(engine, settings.seeds_dir)
    assert sorted(r.source for r in rows) == sorted(d.source for d in data.documents.values())
    for row in rows:
        doc = next(d for d in data.documents.values() if d.source == row.source)
        assert row.title == doc.title and row.date == doc.date
        assert row.chunks == sum(1 for c in data.chunks if c.doc_id == doc.id) > 0
        assert row.size == (settings.seeds_dir / row.source).stat().st_size and row.added
    assert set(rows[0].to_dict()) >= {"source", "title", "date", "chunks"}
