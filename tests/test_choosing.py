"""Choosing the answer span: the calibrated threshold, confidence, disagreements, sentence bounds."""
from __future__ import annotations

import json

import pytest

from qa.choosing import Calibration, choose, coverage, figure, find_rival, question_words, unit
from qa.reader import Reading, Span


@pytest.fixture(scope="module")
def data(seed_index):
    return seed_index[2]


def _doc(data, source):
    return next(d for d in data.documents.values() if d.source == source)


def _span(doc, text, score):
    start = doc.text.index(text)
    return Span(doc.id, start, start + len(text), text, score)


RULE = Calibration(slope=1.0, bias=-5.0, answer_above=0.5)  # answer when the margin is above 5


def test_answers_when_the_confidence_reaches_the_threshold(data):
    doc = _doc(data, "000_a68577dcd4f9715c.txt")
    reading = Reading([_span(doc, "15家", 8.0)], null=2.0)
    choice = choose(reading, data, RULE)
    assert choice.best is not None and choice.best.text == "15家"
    assert choice.best.margin == 6.0 and not choice.abstained


def test_abstains_below_the_threshold_and_keeps_the_candidates(data):
    doc = _doc(data, "000_a68577dcd4f9715c.txt")
    reading = Reading([_span(doc, "15家", 8.0)], null=4.0)
    choice = choose(reading, data, RULE)
    assert choice.abstained and choice.candidates[0].text == "15家"


def test_confidence_rises_with_the_margin_and_the_words_found():
    c = Calibration(slope=0.8, coverage=3.0, bias=-2.0)
    assert c.probability(-5) < c.probability(0) < c.probability(5)
    assert c.probability(2, 0.2) < c.probability(2, 0.9)
    assert 0.0 < c.probability(-1000) < c.probability(1000) <= 1.0


def test_missing_question_words_lower_the_confidence(data):
    doc = _doc(data, "000_a68577dcd4f9715c.txt")
    rule = Calibration(slope=1.0, coverage=10.0, bias=-13.0, answer_above=0.5)
    reading = Reading([_span(doc, "15家", 8.0)], null=2.0)
    assert not choose(reading, data, rule, "北京经开区有多少家市级孵化器?").abstained
    assert choose(reading, data, rule, "上海浦东新区有多少家市级孵化器?").abstained


def test_question_words_leave_out_the_asking_words():
    words = question_words("北京经开区有多少家市级孵化器?")
    assert "多少" not in words and "孵化器" in words
    assert coverage(["孵化器", "上海"], "市级孵化器15家") == 0.6
    assert coverage([], "任何文字") == 1.0


def test_calibration_loads_from_the_reader_folder(tmp_path):
    (tmp_path / "calibration.json").write_text(json.dumps({"answer_above": 0.4, "slope": 0.7, "bias": -1}))
    assert Calibration.load(tmp_path) == Calibration(slope=0.7, bias=-1.0, answer_above=0.4)
    assert Calibration.load(tmp_path / "missing") == Calibration()
    assert Calibration.load(None) == Calibration()


def test_span_is_placed_in_its_sentence(data):
    doc = _doc(data, "000_a68577dcd4f9715c.txt")
    at = doc.text.index("15家")
    a, b = choose(Reading([_span(doc, "15家", 8.0)], null=2.0), data, RULE).best.sentence
    assert a <= at < at + 3 <= b and "15家" in doc.text[a:b]
    assert not any(mark in doc.text[a:b - 1] for mark in "。！？")


def test_different_figure_of_another_article_is_a_rival(data):
    d2, d3 = _doc(data, "002_bde3a3d1ed10fc72.txt"), _doc(data, "003_ef3a641ba3817a34.txt")
    reading = Reading([_span(d2, "1万多家", 9.0), _span(d3, "9500家", 8.0)], null=0.0)
    choice = choose(reading, data, Calibration(slope=1.0, bias=-2.0, answer_above=0.5, conflict_gap=3.0))
    assert choice.rival is not None and choice.rival.doc_id == d3.id


def test_rival_must_be_close_in_score_and_from_another_article(data):
    d2, d3 = _doc(data, "002_bde3a3d1ed10fc72.txt"), _doc(data, "003_ef3a641ba3817a34.txt")
    rule = Calibration(slope=1.0, bias=-2.0, answer_above=0.5)
    far = choose(Reading([_span(d2, "1万多家", 9.0), _span(d3, "9500家", 2.5)], 0.0), data, rule)
    assert far.rival is None
    same = choose(Reading([_span(d2, "1万多家", 9.0), _span(d2, "6758项", 8.5)], 0.0), data, rule)
    assert same.rival is None


def test_words_are_never_rivals(data):
    d2 = _doc(data, "002_bde3a3d1ed10fc72.txt")
    rule = Calibration(slope=1.0, bias=-2.0, answer_above=0.5)
    choice = choose(Reading([_span(d2, "中关村", 9.0)], 0.0), data, rule)
    assert find_rival(choice.best, choice.candidates, rule) is None


def test_figure_and_unit_forms():
    assert unit("1万多家") == "家" and unit("超過9500家") == "家"
    assert figure("约50%") == "50%" and figure("超过600项") == "600项"
