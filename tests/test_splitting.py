"""qa.splitting: sentences and chunks with exact offsets, cut only at sentence ends when possible."""
from __future__ import annotations

import pytest

from qa.chinese import to_simplified
from qa.splitting import split_chunks, split_sentences
from qa.types import Document


def make_doc(text: str) -> Document:
    return Document(id="d1", source="d1.txt", title="t", date=None, text=text, key=to_simplified(text))


def chunks_of(doc: Document, size: int, overlap: int, first_id: int = 0):
    sentences = split_sentences(doc)
    return sentences, split_chunks(doc, sentences, size, overlap, first_id)


def boundary_violations(doc, sentences, chunks, size):
    """Chunk edges that fall inside a sentence that would have fitted in a chunk."""
    starts = {s.start for s in sentences}
    ends = {s.end for s in sentences}
    bad = []
    for c in chunks:
        for pos, edges in ((c.start, starts), (c.end, ends)):
            if pos in edges:
                continue
            inside = [s for s in sentences if s.start < pos < s.end]
            if not inside or len(inside[0].text) <= size:
                bad.append((c.id, doc.text[max(0, pos - 10):pos] + "|" + doc.text[pos:pos + 10]))
    return bad


QUOTED = (
    "他说：“我们做到了。”随后离开。“这是真的吗？”她问。"
    "记者写道：“改革释放活力！”"
    "有人评论：‘机制激发动力；’"
    "故事还在继续……"
    "最后一句没有标点"
)


def test_sentences_end_at_chinese_marks_and_keep_closing_quotes():
    assert [s.text for s in split_sentences(make_doc(QUOTED))] == [
        "他说：“我们做到了。”",
        "随后离开。",
        "“这是真的吗？”她问。",
        "记者写道：“改革释放活力！”",
        "有人评论：‘机制激发动力；’",
        "故事还在继续……",
        "最后一句没有标点",
    ]


def test_sentence_records_carry_offsets_index_and_simplified_key():
    doc = make_doc("中關村論壇開幕。\n  集體學習走出中南海！")
    sentences = split_sentences(doc)
    assert [s.index for s in sentences] == [0, 1]
    assert all(doc.text[s.start:s.end] == s.text for s in sentences)
    assert [s.key for s in sentences] == ["中关村论坛开幕。", "集体学习走出中南海！"]


def test_chunk_never_separates_a_closing_quote_from_its_sentence():
    doc = make_doc(QUOTED * 6)
    sentences, chunks = chunks_of(doc, 40, 10)
    assert len(chunks) > 3
    assert not [c.text for c in chunks if c.text[0] in "”’"]
    assert boundary_violations(doc, sentences, chunks, 40) == []


def test_only_a_sentence_longer_than_the_chunk_size_is_cut():
    long_sentence = "经开区" + ",".join(f"第{i}项重点任务稳步推进" for i in range(12)) + "。"
    short = "这是一个短句。" * 6
    doc = make_doc(short + long_sentence + short)
    sentences, chunks = chunks_of(doc, 60, 10)
    assert len(long_sentence) > 60
    cut = [c for c in chunks if doc.text.find(long_sentence) < c.start < doc.text.find(long_sentence) + len(long_sentence)]
    assert cut, "the long sentence must be split"
    assert all(len(c.text) <= 60 for c in chunks)
    assert boundary_violations(doc, sentences, chunks, 60) == []


def test_cut_inside_a_long_sentence_falls_after_a_clause_mark():
    long_sentence = "经开区" + ",".join(f"第{i}项重点任务稳步推进" for i in range(12)) + "。"
    doc = make_doc(long_sentence)
    _, chunks = chunks_of(doc, 60, 10)
    assert len(chunks) > 1
    assert all(c.text[-1] in ",。" for c in chunks)


def test_chunk_ids_start_at_first_id_and_keys_are_simplified():
    doc = make_doc("中關村論壇開幕。" * 30)
    _, chunks = chunks_of(doc, 50, 10, first_id=7)
    assert [c.id for c in chunks] == list(range(7, 7 + len(chunks)))
    assert all(c.key == doc.key[c.start:c.end] and "关" in c.key for c in chunks)


def test_consecutive_chunks_overlap_by_at_most_the_overlap():
    doc = make_doc("".join(f"第{i}句话讲述一件事。" for i in range(40)))
    _, chunks = chunks_of(doc, 60, 20)
    overlaps = [a.end - b.start for a, b in zip(chunks, chunks[1:])]
    assert any(o > 0 for o in overlaps)
    assert all(o <= 20 for o in overlaps)


def test_chunk_sentence_range_matches_its_text():
    doc = make_doc("".join(f"第{i}句话讲述一件事。" for i in range(40)))
    sentences, chunks = chunks_of(doc, 60, 20)
    for c in chunks:
        assert sentences[c.first_sentence].start == c.start
        assert sentences[c.last_sentence].end == c.end


def test_seed_sentences_have_exact_offsets(seed_documents):
    for doc in seed_documents:
        for s in split_sentences(doc):
            assert doc.text[s.start:s.end] == s.text
            assert doc.key[s.start:s.end] == s.key


@pytest.mark.parametrize("size, overlap", [(300, 60), (120, 20)])
def test_seed_chunks_have_exact_offsets_and_fit_the_size(seed_documents, size, overlap):
    for doc in seed_documents:
        _, chunks = chunks_of(doc, size, overlap)
        for c in chunks:
            assert doc.text[c.start:c.end] == c.text
            assert 0 < len(c.text) <= size


@pytest.mark.parametrize("size, overlap", [(300, 60), (120, 20), (60, 10)])
def test_seed_chunks_cut_only_inside_over_long_sentences(seed_documents, size, overlap):
    for doc in seed_documents:
        sentences, chunks = chunks_of(doc, size, overlap)
        assert boundary_violations(doc, sentences, chunks, size) == [], doc.source


def test_seed_chunks_cover_the_whole_article(seed_documents):
    for doc in seed_documents:
        _, chunks = chunks_of(doc, 300, 60)
        covered = set()
        for c in chunks:
            covered.update(range(c.start, c.end))
        assert [i for i, ch in enumerate(doc.text) if i not in covered and not ch.isspace()] == []
