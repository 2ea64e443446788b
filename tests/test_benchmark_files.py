"""Reading benchmarks: both formats, optional fields, and a one-line Chinese message for every bad file."""
from __future__ import annotations

import json

import pytest

from qa.benchmark_files import load_questions


def write_lines(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def test_a_jsonl_file_needs_only_the_question(tmp_path):
    path = write_lines(tmp_path / "q.jsonl", [
        {"id": "a", "question": "谁?", "answers": ["甲"], "source": "x.txt"},
        "",
        {"question": "几点?", "answers": "三点", "source": None},
    ])
    questions, documents = load_questions(path)
    assert documents is None
    assert [(q.id, q.answers, q.source) for q in questions] == [("a", ["甲"], "x.txt"), ("line-3", ["三点"], None)]


def test_a_folder_brings_its_passages(tmp_path):
    folder = tmp_path / "bench"
    folder.mkdir()
    write_lines(folder / "passages.jsonl", [{"id": 7, "title": "标题", "text": " 正文。 "}])
    write_lines(folder / "questions.jsonl", [{"id": "q", "question": "问?", "answers": ["正文"], "passage_id": 7}])
    questions, documents = load_questions(folder)
    assert [(d.source, d.title, d.text) for d in documents] == [("7", "标题", "正文。")]
    assert questions[0].source == "7"


@pytest.mark.parametrize("rows, expected", [
    (['{"question": "好"}', "not json"], "第 2 行不是有效的 JSON"),
    (["[1, 2]"], "第 1 行应为 JSON 对象"),
    ([{"id": "x"}], "第 1 行缺少字段 question"),
    ([{"question": "  "}], "第 1 行缺少字段 question"),
    ([{"question": "好", "answers": 5}], "第 1 行的 answers 应为文字列表"),
    (["", " "], "中没有问题"),
])
def test_a_bad_jsonl_file_is_named_with_its_line(tmp_path, rows, expected):
    with pytest.raises(ValueError, match=expected):
        load_questions(write_lines(tmp_path / "q.jsonl", rows))


def test_a_file_that_is_not_utf8_says_so(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_bytes('{"question": "中关村"}'.encode("gb18030"))
    with pytest.raises(ValueError, match="不是 UTF-8"):
        load_questions(path)


def test_a_missing_path_or_incomplete_folder_says_what_is_expected(tmp_path):
    with pytest.raises(ValueError, match="评测数据不存在"):
        load_questions(tmp_path / "nowhere.jsonl")
    folder = tmp_path / "bench"
    folder.mkdir()
    write_lines(folder / "questions.jsonl", [{"question": "问?"}])
    with pytest.raises(ValueError, match="缺少 passages.jsonl"):
        load_questions(folder)
    write_lines(folder / "passages.jsonl", [{"title": "无编号", "text": "正文"}])
    with pytest.raises(ValueError, match="第 1 行缺少字段 id"):
        load_questions(folder)
