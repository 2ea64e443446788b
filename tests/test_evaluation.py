"""``qa eval`` figures on a small passages/questions folder, through the real pipeline."""
from __future__ import annotations

import json

from qa.evaluation import evaluate

PASSAGES = [
    {"id": "p1", "title": "经开区孵化器", "text": "截至目前，北京经开区已有市级孵化器15家，国家级孵化器8家。"},
    {"id": "p2", "title": "中关村论坛", "text": "創辦於2007年的中關村論壇，以「創新與發展」為永久主題，已成功舉辦14屆。"},
    {"id": "p3", "title": "天气", "text": "北京今天多云转晴，最高气温二十五度，傍晚有零星小雨。"},
]
QUESTIONS = [
    {"id": "q1", "question": "北京经开区有多少家市级孵化器？", "answers": ["15家"], "passage_id": "p1"},
    {"id": "q2", "question": "中关村论坛创办于哪一年？", "answers": ["2007年"], "passage_id": "p2"},
]


def write_bench(folder, questions):
    folder.mkdir()
    for name, rows in (("passages.jsonl", PASSAGES), ("questions.jsonl", questions)):
        (folder / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return folder


def test_folder_benchmark_reports_span_em_f1_and_sentence_hit(tmp_path):
    report = evaluate(write_bench(tmp_path / "bench", QUESTIONS), progress=False, index_dir=tmp_path / "index")
    assert report.questions == 2 and report.recall_at_1 == 1.0
    assert report.answer_hit_at_1 == 1.0
    assert 0.5 <= report.span_em <= report.span_f1
    text = report.to_text()
    for line in ("span EM", "span char-F1", "sentence hit@1", "recall@5", "abstention precision", "p50 / p95"):
        assert line in text


def test_a_right_sentence_with_a_wrong_span_is_a_miss(tmp_path):
    # the reference is in the answer's sentence, but the short answer the reader takes is "2007年"
    wrong_span = dict(QUESTIONS[1], id="q3", answers=["永久主题"])
    report = evaluate(write_bench(tmp_path / "bench", [QUESTIONS[1], wrong_span]), progress=False,
                      index_dir=tmp_path / "index")
    assert report.answer_hit_at_1 == 1.0
    assert [(m["id"], m["miss"], m["span"]) for m in report.misses] == [("q3", "wrong span", "2007年")]
