"""The shipped span reader: exact spans, no-answer, offsets, loading offline."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa.chinese import to_simplified
from qa.reader import DEFAULT_READER, Passage, Reader, resolve_reader

PASSAGE = ("9月3日，北京经开区科技创新生态主题发布会在首钢园举办。截至目前，经开区已有市级孵化器15家，"
           "国家级孵化器8家，累计服务企业超过3000家。")


@pytest.fixture(scope="module")
def reader():
    r = Reader()
    r.warm_up()
    return r


def test_known_question_gives_the_exact_span(reader):
    reading = reader.run("北京经开区有多少家市级孵化器？", [Passage("d", 0, PASSAGE)])
    best = reading.spans[0]
    assert best.text == "15家"
    assert PASSAGE[best.start:best.end] == "15家"
    assert reading.margin > 0


def test_passage_without_the_answer_prefers_no_answer(reader):
    other = "北京今天多云转晴，最高气温二十五度，傍晚有零星小雨，市民出行请携带雨具。"
    with_answer = reader.run("北京经开区有多少家市级孵化器？", [Passage("d", 0, PASSAGE)])
    without = reader.run("北京经开区有多少家市级孵化器？", [Passage("d", 0, other)])
    assert without.margin < 0 < with_answer.margin


def test_offsets_are_document_offsets(reader):
    prefix = "无关的开头。" * 10
    reading = reader.run("北京经开区有多少家市级孵化器？", [Passage("d", len(prefix), PASSAGE)])
    text = prefix + PASSAGE
    best = reading.spans[0]
    assert text[best.start:best.end] == best.text == "15家"


def test_traditional_passage_read_in_simplified_keeps_original_offsets(reader):
    traditional = "創辦於2007年的中關村論壇，以「創新與發展」為永久主題，已成功舉辦14屆。"
    key = to_simplified(traditional)
    assert len(key) == len(traditional)
    best = reader.run("中关村论坛创办于哪一年？", [Passage("t", 0, key)]).spans[0]
    assert traditional[best.start:best.end] == "2007年"


def test_long_passage_is_read_in_strided_windows(reader):
    filler = "这是一段与问题无关的文字，用来把答案推到很后面。" * 30
    reading = reader.run("北京经开区有多少家市级孵化器？", [Passage("d", 0, filler + PASSAGE)])
    best = reading.spans[0]
    assert best.text.startswith("15家") and best.start == len(filler) + PASSAGE.index("15家")


def test_no_passages_reads_nothing(reader):
    assert reader.run("问题", []).spans == []


def test_resolve_reader_none_and_missing_folder(tmp_path):
    assert resolve_reader("none") is None and resolve_reader("NONE") is None
    assert resolve_reader("") == DEFAULT_READER
    with pytest.raises(RuntimeError, match="阅读模型不存在"):
        resolve_reader(str(tmp_path / "nothing"))


def test_shipped_weights_are_compact_safetensors():
    weights = DEFAULT_READER / "model.safetensors"
    assert weights.is_file() and weights.stat().st_size < 60 * 2**20
    assert (DEFAULT_READER / "README.md").is_file() and (DEFAULT_READER / "calibration.json").is_file()


def test_shipped_weights_load_and_answer_offline(tmp_path):
    code = ("from qa.reader import Reader, Passage\n"
            f"print(Reader().run('北京经开区有多少家市级孵化器？', [Passage('d', 0, {PASSAGE!r})]).spans[0].text)\n")
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_HOME=str(tmp_path / "hf"),
               HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9")
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "15家"
