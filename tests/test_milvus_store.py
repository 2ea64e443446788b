"""qa.milvus_store: the same behaviour as the index folder, held by Milvus Lite in a temporary .db."""
from __future__ import annotations

import pytest

from qa import store


@pytest.fixture
def milvus_settings(tmp_path, small_corpus, settings_for):
    return settings_for(small_corpus, tmp_path / "unused-index", store=str(tmp_path / "milvus.db"), reader="none")


@pytest.fixture
def milvus_build(milvus_settings, encoder):
    from qa.building import build_index

    def run(full: bool = False):
        return build_index(milvus_settings, full=full, progress=False, encoder=encoder)

    return run


def test_missing_milvus_index_names_qa_build(milvus_settings):
    with pytest.raises(store.IndexMissing, match="qa build --store"):
        store.open_store(milvus_settings)


def test_milvus_store_holds_the_articles_with_offsets(milvus_settings, milvus_build):
    from dataclasses import replace

    report = milvus_build()
    assert report.full and report.written and report.articles == 3
    # opening with a token (QA_MILVUS_TOKEN) works; Milvus Lite has no users and accepts any
    data = store.open_store(replace(milvus_settings, milvus_token="root:Milvus"))
    try:
        assert (data.manifest.articles, data.manifest.chunks, data.manifest.sentences) == (3, report.chunks, report.sentences)
        assert sorted(a.source for a in data.articles()) == ["a_kejiao.txt", "b_zhongguancun.txt", "c_jingjinji.txt"]
        assert sum(d["chunks"] for d in data.manifest.documents.values()) == report.chunks
        for art in data.articles():
            doc = data.documents[art.id]
            assert [c.text for c in data.chunks_of(art.id)] == [doc.text[c.start:c.end] for c in data.chunks_of(art.id)]
            assert all(doc.text[s.start:s.end] == s.text for s in data.sentences[art.id])
    finally:
        data.close()


def test_listing_milvus_lite_articles_logs_no_traceback(milvus_settings, milvus_build, caplog):
    milvus_build()
    data = store.open_store(milvus_settings)
    try:
        with caplog.at_level("ERROR"):
            assert len(data.articles()) == 3
    finally:
        data.close()
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records]


def test_milvus_retrieval_finds_the_article_by_meaning_and_by_keyword(milvus_settings, milvus_build, encoder):
    from qa.retrieval import Retriever, make_query

    milvus_build()
    data = store.open_store(milvus_settings)
    try:
        retriever = Retriever(data)
        hits = retriever.run(make_query("中关村论坛创办于哪一年?", encoder), 3)
        assert data.documents[hits[0].chunk.doc_id].source == "b_zhongguancun.txt"
        assert hits[0].dense_rank is not None  # the nearest sentence; keyword and chunk vectors: next test
        only = retriever.run(make_query("中关村论坛创办于哪一年?", encoder), 3, sources=["c_jingjinji.txt"])
        assert only and {data.documents[h.chunk.doc_id].source for h in only} == {"c_jingjinji.txt"}
    finally:
        data.close()


def test_milvus_fuses_vectors_and_bm25_in_its_engine_with_the_fusion_weights(milvus_settings, milvus_build, encoder):
    from qa.fusion import fuse
    from qa.retrieval import make_query

    milvus_build()
    data = store.open_store(milvus_settings)
    try:
        query = make_query("联合工作办公室在哪天揭牌?", encoder)
        vec = query.vector.tolist()
        found = data.candidates(query, 10)
        # the three rankings asked one by one, fused in Python as the FAISS store fuses them
        dense = data.client.search("qa_chunks", [vec], anns_field="vec", limit=10, search_params={"metric_type": "IP"})[0]
        keyword = data.client.search("qa_chunks", [query.key], anns_field="sparse", limit=10,
                                     search_params={"metric_type": "BM25"})[0]
        assert keyword, "Milvus's BM25 finds the chunks that share the question's words"
        expected = fuse({"dense": [h["id"] for h in dense], "keyword": [h["id"] for h in keyword],
                         "sentence": data._sentence_ranking(vec, 10, "")})
        assert [c.chunk_id for c in found] == [c.chunk_id for c in expected]
        assert [c.score for c in found] == pytest.approx([c.score for c in expected], rel=1e-5)
        assert data.documents[data.chunk(found[0].chunk_id).doc_id].source == "c_jingjinji.txt"
    finally:
        data.close()


def test_milvus_rebuild_embeds_only_changed_articles_and_drops_removed_ones(milvus_settings, milvus_build, small_corpus):
    first = milvus_build()
    (small_corpus / "a_kejiao.txt").write_text("经开区新闻\n经开区发布新的科技政策。\n", encoding="utf-8")
    (small_corpus / "c_jingjinji.txt").unlink()
    report = milvus_build()
    assert not report.full and (report.changed, report.removed, report.unchanged) == (1, 1, 1)
    assert report.embedded_chunks == 1 < first.chunks
    data = store.open_store(milvus_settings)
    try:
        assert sorted(a.source for a in data.articles()) == ["a_kejiao.txt", "b_zhongguancun.txt"]
        assert data.manifest.articles == 2 and data.manifest.chunks == report.chunks
    finally:
        data.close()
    assert not milvus_build().written


def test_milvus_answer_matches_the_faiss_store(milvus_settings, milvus_build, tmp_path, small_corpus, build):
    from qa.answering import Engine

    milvus_build()
    build(small_corpus, tmp_path / "faiss-index")
    question = "联合工作办公室在哪天揭牌?"
    from dataclasses import replace

    milvus = Engine(milvus_settings, build_if_missing=False).answer(question)
    faiss = Engine(replace(milvus_settings, store="faiss", index_dir=tmp_path / "faiss-index"),
                   build_if_missing=False).answer(question)
    assert milvus.citations[0].source == faiss.citations[0].source == "c_jingjinji.txt"
    assert milvus.text == faiss.text


def test_an_english_question_is_glossed_in_the_words_of_a_milvus_store(milvus_settings, milvus_build):
    from qa.answering import Engine

    milvus_build()
    answer = Engine(milvus_settings, build_if_missing=False).answer(
        "When was the Beijing-Tianjin-Hebei coordinated development joint working office set up?")
    assert answer.glossed and "京津冀" in answer.asked_as
    assert answer.citations[0].source == "c_jingjinji.txt"
