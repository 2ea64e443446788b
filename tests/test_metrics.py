"""CMRC-style span metrics: normalisation, exact match, character F1."""
from __future__ import annotations

from qa.metrics import char_f1, exact_match, normalize_answer


def test_normalize_strips_punctuation_space_and_folds_script():
    assert normalize_answer(" 「戰史演武」, ") == "战史演武"
    assert normalize_answer("ＡＢＣ １２") == "abc12"


def test_exact_match_against_any_reference():
    assert exact_match("光荣和ω-force", ["光荣", "光荣和ω-force"]) == 1.0
    assert exact_match("光荣", ["光荣和ω-force"]) == 0.0


def test_no_prediction_scores_zero():
    assert exact_match(None, ["x"]) == 0.0 and char_f1(None, ["x"]) == 0.0
    assert char_f1("", ["x"]) == 0.0


def test_char_f1_counts_the_longest_common_substring():
    # "1万" is the common run: precision 2/4, recall 2/4.
    assert abs(char_f1("超过1万", ["1万多家"]) - 0.5) < 1e-9
    assert char_f1("15家", ["15家"]) == 1.0


def test_char_f1_takes_the_best_reference():
    assert char_f1("北京", ["上海", "北京市"]) > 0.79
