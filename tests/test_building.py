"""qa.building: full and incremental builds over real files with the real model."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from qa import generations, store
from qa.building import EmptySeeds

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
GLOSS_RE = re.compile(rf"[\u4e00-\u9fff]\([a-z{TONED}]+\)")
MOJIBAKE_RE = re.compile(r"\?!|[\u4e00-\u9fff]\?[\u4e00-\u9fff]")
BOILERPLATE = [
    "我在听,请说话", "首页 > 政务公开", "相关阅读", "相关新闻", "最新评论", ".jpg", "融媒体中心张磊/摄",
    "ICP备", "CopyRight", "【本文地址】", "您访问的链接即将离开",
]


def chunks_of(data: store.IndexData, source: str):
    doc_ids = [d.id for d in data.documents.values() if d.source == source]
    assert len(doc_ids) == 1, source
    return [c for c in data.chunks if c.doc_id == doc_ids[0]]


# --- the seed articles --------------------------------------------------------------------------

def test_first_build_of_seeds_is_full_and_embeds_everything(seed_index):
    _, report, _ = seed_index
    assert report.full and report.full_reason == "还没有索引"
    assert report.written
    assert (report.articles, report.added, report.changed, report.removed) == (5, 5, 0, 0)
    assert report.embedded_chunks == report.chunks > 0
    assert report.embedded_sentences == report.sentences > 0
    assert report.skipped == []


def test_seed_chunks_have_no_pinyin_glosses(seed_index):
    _, _, data = seed_index
    assert [c.text for c in data.chunks if GLOSS_RE.search(c.text)] == []


def test_seed_chunks_have_no_mojibake(seed_index):
    _, _, data = seed_index
    assert [c.text for c in data.chunks if MOJIBAKE_RE.search(c.text)] == []


@pytest.mark.parametrize("phrase", BOILERPLATE)
def test_seed_chunks_have_no_boilerplate(seed_index, phrase):
    _, _, data = seed_index
    assert [c.text for c in data.chunks if phrase in c.text] == []


def test_rebuild_without_changes_embeds_nothing_and_writes_nothing(seed_index, encoder):
    from qa.building import build_index

    settings, first, _ = seed_index
    generation = store.live_path(settings.index_dir)
    report = build_index(settings, progress=False, encoder=encoder)
    assert not report.full and not report.written
    assert (report.embedded_chunks, report.embedded_sentences) == (0, 0)
    assert (report.unchanged, report.chunks) == (5, first.chunks)
    assert store.live_path(settings.index_dir) == generation


# --- incremental builds on a small temporary corpus ---------------------------------------------

def test_editing_one_article_reembeds_only_its_chunks(tmp_path, small_corpus, build):
    index = tmp_path / "index"
    build(small_corpus, index)
    (small_corpus / "a_kejiao.txt").write_text(
        "经开区发布科技创新政策\n9月3日,北京经开区科技创新生态主题发布会在首钢园举办。\n"
        "会上还发布了新的人才政策,吸引更多科技人才落户经开区。\n", encoding="utf-8")

    report = build(small_corpus, index)
    after = store.load(index)
    edited = chunks_of(after, "a_kejiao.txt")
    assert (report.changed, report.added, report.removed, report.unchanged) == (1, 0, 0, 2)
    assert not report.full
    assert report.embedded_chunks == len(edited) > 0
    assert report.embedded_sentences == len(after.sentences[edited[0].doc_id])
    assert "人才政策" in after.documents[edited[0].doc_id].text


def test_unchanged_articles_keep_their_vectors(tmp_path, small_corpus, build):
    index = tmp_path / "index"
    build(small_corpus, index)
    before = store.load(index)
    (small_corpus / "a_kejiao.txt").write_text("经开区新闻\n经开区发布新的科技政策。\n", encoding="utf-8")
    build(small_corpus, index)
    after = store.load(index)
    for source in ("b_zhongguancun.txt", "c_jingjinji.txt"):
        old = [before.chunk_vectors[c.id] for c in chunks_of(before, source)]
        new = [after.chunk_vectors[c.id] for c in chunks_of(after, source)]
        assert np.array_equal(np.array(old), np.array(new))


def test_deleting_one_article_removes_its_chunks(tmp_path, small_corpus, build):
    index = tmp_path / "index"
    build(small_corpus, index)
    before = store.load(index)
    gone = chunks_of(before, "c_jingjinji.txt")
    (small_corpus / "c_jingjinji.txt").unlink()

    report = build(small_corpus, index)
    after = store.load(index)
    assert (report.removed, report.changed, report.added) == (1, 0, 0)
    assert report.embedded_chunks == 0
    assert len(after.chunks) == len(before.chunks) - len(gone) == report.chunks
    assert "c_jingjinji.txt" not in {d.source for d in after.documents.values()}
    assert after.faiss_index.ntotal == len(after.chunks)


def test_adding_one_article_embeds_only_it(tmp_path, small_corpus, build):
    index = tmp_path / "index"
    build(small_corpus, index)
    (small_corpus / "d_new.txt").write_text(
        "北京发布人工智能政策\n北京发布通用人工智能产业支持政策,建设人工智能产业集聚区。\n", encoding="utf-8")
    report = build(small_corpus, index)
    after = store.load(index)
    assert (report.added, report.changed, report.unchanged) == (1, 0, 3)
    assert report.embedded_chunks == len(chunks_of(after, "d_new.txt"))


def test_renamed_article_is_not_reembedded(tmp_path, small_corpus, build):
    index = tmp_path / "index"
    build(small_corpus, index)
    (small_corpus / "b_zhongguancun.txt").rename(small_corpus / "b_renamed.txt")
    report = build(small_corpus, index)
    after = store.load(index)
    assert report.embedded_chunks == 0 and report.written
    assert "b_renamed.txt" in {d.source for d in after.documents.values()}
    assert "b_zhongguancun.txt" not in {d.source for d in after.documents.values()}


def _count_calls(monkeypatch, module, name):
    calls = []
    real = getattr(module, name)

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_unchanged_files_are_not_read_again(tmp_path, small_corpus, build, monkeypatch):
    import qa.reading

    index = tmp_path / "index"
    first = build(small_corpus, index)
    (small_corpus / "d_new.txt").write_text("新文章标题\n北京经开区发布新的科技政策。\n", encoding="utf-8")
    reads = _count_calls(monkeypatch, qa.reading, "read_document")
    report = build(small_corpus, index)
    assert [p.name for p in reads] == ["d_new.txt"]
    assert report.articles == 4 and report.unchanged == 3 and report.chunks == first.chunks + 1
    data = store.load(index)
    assert sorted(a.source for a in data.articles())[:3] == ["a_kejiao.txt", "b_zhongguancun.txt", "c_jingjinji.txt"]
    data.close()


def test_files_are_read_again_when_the_reading_rules_change(tmp_path, small_corpus, build, monkeypatch):
    import qa.building
    import qa.reading

    index = tmp_path / "index"
    build(small_corpus, index)
    (small_corpus / "d_new.txt").write_text("新文章标题\n北京经开区发布新的科技政策。\n", encoding="utf-8")
    monkeypatch.setattr(qa.building, "reading_rules", lambda: "other rules")
    reads = _count_calls(monkeypatch, qa.reading, "read_document")
    build(small_corpus, index)
    assert len(reads) == 4


def test_keyword_tokens_of_unchanged_articles_are_reused_as_they_were(tmp_path, small_corpus, build, monkeypatch):
    import qa.building

    index, fresh = tmp_path / "index", tmp_path / "fresh"
    build(small_corpus, index)
    (small_corpus / "d_new.txt").write_text("新文章标题\n北京经开区发布新的科技政策。\n", encoding="utf-8")
    tokenized = _count_calls(monkeypatch, qa.building, "tokenize")
    build(small_corpus, index)
    assert len(tokenized) == 1  # the new article's one chunk
    monkeypatch.undo()
    build(small_corpus, fresh, full=True)
    tokens = (store.live_path(index) / "tokens.txt").read_text(encoding="utf-8")
    assert tokens == (store.live_path(fresh) / "tokens.txt").read_text(encoding="utf-8")


def test_gb18030_and_big5_files_are_indexed_with_their_text(tmp_path, build):
    folder = tmp_path / "articles"
    folder.mkdir()
    simplified = "经开区科技创新成果丰硕\n今年以来,经开区累计承接科技成果转化项目超过六百项。"
    traditional = "中關村論壇年會開幕\n創辦於2007年的中關村論壇,以“創新與發展”為永久主題。"
    (folder / "gb.txt").write_bytes(simplified.encode("gb18030"))
    (folder / "big5.txt").write_bytes(traditional.encode("big5"))

    report = build(folder, tmp_path / "index")
    data = store.load(tmp_path / "index")
    texts = {d.source: d.text for d in data.documents.values()}
    assert report.skipped == []
    assert texts == {"gb.txt": simplified, "big5.txt": traditional}


def test_empty_and_binary_files_are_skipped_not_fatal(tmp_path, small_corpus, build):
    (small_corpus / "empty.txt").write_bytes(b"")
    (small_corpus / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    report = build(small_corpus, tmp_path / "index")
    assert sorted(s.path for s in report.skipped) == ["empty.txt", "picture.txt"]
    assert report.articles == 3 and report.written
    assert "跳过 2 个文件：empty.txt（空文件）；picture.txt（二进制内容，不是文本）" in report.summary()


def test_same_article_under_two_names_is_indexed_once(tmp_path, small_corpus, small_articles, build):
    (small_corpus / "copy_of_b.txt").write_text(small_articles["b_zhongguancun.txt"], encoding="utf-8")
    report = build(small_corpus, tmp_path / "index")
    data = store.load(tmp_path / "index")
    assert report.articles == len(data.documents) == 3
    assert [(s.path, s.reason) for s in report.skipped] == [("copy_of_b.txt", "与 b_zhongguancun.txt 内容相同")]
    assert len({c.doc_id for c in data.chunks}) == 3


def test_changed_chunk_setting_forces_full_rebuild(tmp_path, small_corpus, build):
    index = tmp_path / "index"
    build(small_corpus, index)
    report = build(small_corpus, index, chunk_size=40, chunk_overlap=10)
    assert report.full
    assert "分块设置" in report.full_reason and "300/60" in report.full_reason
    assert report.embedded_chunks == report.chunks
    manifest = store.read_manifest(index)
    assert (manifest.chunk_size, manifest.chunk_overlap) == (40, 10)
    assert all(len(c.text) <= 40 for c in store.load(index).chunks)


def test_index_split_under_other_rules_is_rebuilt_whole(tmp_path, small_corpus, build):
    import json

    index = tmp_path / "index"
    first = build(small_corpus, index)
    assert not build(small_corpus, index).written
    manifest = store.live_path(index) / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["rules"] = "an older splitter"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    report = build(small_corpus, index)
    assert report.full and report.full_reason == "切分句子和段落的规则已更新"
    assert report.embedded_chunks == first.chunks == report.chunks
    assert not build(small_corpus, index).written


def test_model_changed_in_place_forces_full_rebuild(tmp_path, small_corpus, build):
    import os

    from qa.embedding import resolve_model

    shipped = Path(resolve_model("m3e-small"))
    model = tmp_path / "model"
    model.mkdir()
    for f in shipped.iterdir():
        os.link(f, model / f.name) if f.name != "tokenizer_config.json" else shutil.copy(f, model / f.name)
    index = tmp_path / "index"
    build(small_corpus, index, model=str(model))
    assert not build(small_corpus, index, model=str(model)).written
    with open(model / "tokenizer_config.json", "a", encoding="utf-8") as fh:
        fh.write("\n")  # the tokenizer changed: its vectors may differ
    report = build(small_corpus, index, model=str(model))
    assert report.full and report.full_reason == f"模型 {model} 的文件已改变"
    assert report.embedded_chunks == report.chunks


def test_full_flag_rebuilds_everything(tmp_path, small_corpus, build):
    index = tmp_path / "index"
    first = build(small_corpus, index)
    report = build(small_corpus, index, full=True)
    assert report.full and report.full_reason == "指定了 --full"
    assert report.embedded_chunks == first.chunks == report.chunks


def test_build_over_corrupt_index_rebuilds_it(tmp_path, small_corpus, build):
    index = tmp_path / "index"
    first = build(small_corpus, index)
    (store.live_path(index) / "manifest.json").write_text("garbage", encoding="utf-8")
    report = build(small_corpus, index)
    assert report.full and report.full_reason == "原索引无法读取"
    assert len(store.load(index).chunks) == first.chunks


def test_manifest_records_settings_and_documents(tmp_path, small_corpus, build):
    index = tmp_path / "index"
    report = build(small_corpus, index)
    manifest = store.load(index).manifest
    assert manifest.model == "m3e-small" and manifest.dimension == 512
    assert (manifest.articles, manifest.chunks, manifest.sentences) == (3, report.chunks, report.sentences)
    assert sorted(d["source"] for d in manifest.documents.values()) == sorted(
        ["a_kejiao.txt", "b_zhongguancun.txt", "c_jingjinji.txt"])
    assert sum(d["chunks"] for d in manifest.documents.values()) == report.chunks


def test_summary_names_the_counts(tmp_path, small_corpus, build):
    summary = build(small_corpus, tmp_path / "index").summary()
    assert summary.startswith("3 篇文章（新增 3，修改 0，删除 0，未变 0）")
    assert "全量重建（还没有索引）" in summary


def test_missing_articles_folder_raises(tmp_path, build):
    with pytest.raises(FileNotFoundError):
        build(tmp_path / "nope", tmp_path / "index")


def test_empty_articles_folder_never_empties_an_index(tmp_path, small_corpus, build):
    index = tmp_path / "index"
    build(small_corpus, index)
    for path in small_corpus.iterdir():
        path.unlink()
    (small_corpus / "notes.docx").write_bytes(b"PK")
    with pytest.raises(EmptySeeds, match="--allow-empty"):
        build(small_corpus, index)
    assert len(store.load(index).documents) == 3


def test_allow_empty_does_empty_the_index(tmp_path, small_corpus, encoder, settings_for):
    from qa.building import build_index

    index = tmp_path / "index"
    build_index(settings_for(small_corpus, index), progress=False, encoder=encoder)
    report = build_index(settings_for(tmp_path / "gone", index), progress=False, encoder=encoder, allow_empty=True)
    assert report.written and report.articles == 0
    assert store.load(index).documents == {}


def test_a_build_that_will_not_wait_names_the_build_holding_the_lock(tmp_path, small_corpus, encoder, settings_for):
    from qa.building import build_index

    settings = settings_for(small_corpus, tmp_path / "index")
    with generations.build_lock(settings.index_dir):
        with pytest.raises(store.BuildBusy, match="另一个构建正在更新"):
            build_index(settings, progress=False, encoder=encoder, wait=False)


def test_garbled_pointer_is_named_and_repaired_by_the_next_build(tmp_path, small_corpus, build):
    index = tmp_path / "index"
    build(small_corpus, index)
    (index / "CURRENT").write_bytes(b"\x89\xff\xfe\x00")
    with pytest.raises(store.IndexCorrupt, match="CURRENT 指针.*乱码.*qa build --full"):
        store.load(index)
    report = build(small_corpus, index)
    assert report.full and len(store.load(index).documents) == 3


def test_skipped_files_are_named_with_their_reasons_in_the_summary(tmp_path, small_corpus, build):
    import os

    os.mkfifo(small_corpus / "pipe.txt")
    (small_corpus / "dead.md").symlink_to(tmp_path / "nowhere.md")
    (small_corpus / "report.docx").write_bytes(b"PK")
    summary = build(small_corpus, tmp_path / "index").summary()
    for name in ("pipe.txt（不是普通文件", "dead.md（链接指向的文件不存在", "report.docx（不支持的文件类型 .docx"):
        assert name in summary


def test_concurrent_builds_take_turns_and_leave_a_loadable_index(tmp_path, small_corpus, encoder, settings_for):
    import threading

    from qa import store
    from qa.building import build_index

    settings = settings_for(small_corpus, tmp_path / "index")
    reports, errors = [], []

    def run():
        try:
            reports.append(build_index(settings, progress=False, encoder=encoder))
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(r.written for r in reports) == 1  # the later builds found nothing to do
    assert len(store.load(settings.index_dir).documents) == 3
