"""Span metrics in the CMRC 2018 style: exact match and character F1 over normalised text.

Normalisation strips white space and punctuation, folds full-width forms (NFKC), traditional to
simplified and case, so "「战史演武」" and "戰史演武" compare equal.

>>> exact_match("1万多家", ["1万多家"]), round(char_f1("超过1万家", ["1万多家"]), 2)
(1.0, 0.44)
"""
from __future__ import annotations

import unicodedata
from difflib import SequenceMatcher

from .chinese import to_simplified


def normalize_answer(text: str) -> str:
    """Comparison form: NFKC, simplified, lower case, no white space or punctuation."""
    text = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    return "".join(ch for ch in text if not ch.isspace() and not unicodedata.category(ch).startswith("P"))


def exact_match(prediction: str | None, references: list[str] | tuple[str, ...]) -> float:
    """1.0 when the prediction equals one of the references after normalisation."""
    if prediction is None:
        return 0.0
    pred = normalize_answer(prediction)
    return float(any(pred == normalize_answer(r) for r in references))


def char_f1(prediction: str | None, references: list[str] | tuple[str, ...]) -> float:
    """Best character F1 against the references, counted on their longest common substring."""
    if prediction is None:
        return 0.0
    pred = normalize_answer(prediction)
    best = 0.0
    for ref in references:
        gold = normalize_answer(ref)
        if not pred or not gold:
            continue
        match = SequenceMatcher(None, pred, gold, autojunk=False).find_longest_match(0, len(pred), 0, len(gold))
        if match.size:
            precision, recall = match.size / len(pred), match.size / len(gold)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best
