"""Choose the answer among the reader's spans, decide whether to abstain, and spot disagreements.

A span's confidence is a logistic function, fitted on the dev split by ``bench/calibrate_reader.py``
(stored in the reader's ``calibration.json``), of two things: the reader's margin (span score minus
no-answer score) and how many of the question's words occur around the span. The span is answered
when its confidence reaches the threshold calibrated on the same data; otherwise the answer abstains.
Two articles disagree when the best span is a figure and a span of another article, scored almost
as high, gives a different figure in the same unit.
"""
from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .chinese import normalize, tokenize
from .reader import Reading
from .store import IndexData
from .types import SpanCandidate

_FIGURE = re.compile(r"[0-9０-９一二三四五六七八九十百千万亿两零〇]")
ASKING = {"多少", "什么", "哪", "哪些", "哪个", "哪里", "哪儿", "哪一", "哪一年", "哪年", "哪天", "哪一天", "谁",
          "几", "何时", "何地", "如何", "怎么", "怎样", "为什么", "为何", "是否", "吗", "呢", "请问", "什么样"}
_HEDGES = re.compile(r"^(约|近|超过|超|逾|达|共|累计|仅|不到|不足|将近|接近|大约|多达|高达)")


@dataclass(frozen=True)
class Calibration:
    """The reader's decision rule, fitted on the dev split.

    confidence = sigmoid(slope · margin + coverage · share of the question's words found around
    the span + bias); the span is answered when the confidence is at least ``answer_above``.
    ``conflict_gap``: how far (in margin) below the best span a rival figure may score and still
    be shown.
    """

    slope: float = 0.5
    coverage: float = 0.0
    bias: float = 0.0
    answer_above: float = 0.5
    conflict_gap: float = 3.0

    @classmethod
    def load(cls, folder: Path | None) -> "Calibration":
        """The calibration stored beside a reader's weights, or the defaults when there is none."""
        path = folder / "calibration.json" if folder else None
        if path is None or not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        names = ("slope", "coverage", "bias", "answer_above", "conflict_gap")
        return cls(**{k: float(data[k]) for k in names if k in data})

    def probability(self, margin: float, coverage: float = 1.0) -> float:
        z = self.slope * margin + self.coverage * coverage + self.bias
        return 1 / (1 + math.exp(-max(min(z, 50.0), -50.0)))


@dataclass
class Choice:
    """The chosen answer span (None when abstaining), a disagreeing span if any, all candidates."""

    best: SpanCandidate | None
    rival: SpanCandidate | None
    candidates: list[SpanCandidate] = field(default_factory=list)

    @property
    def abstained(self) -> bool:
        return self.best is None

    @property
    def confidence(self) -> float:
        """The most confident candidate's probability (0 when the reader proposed nothing)."""
        return self.candidates[0].probability if self.candidates else 0.0


def to_candidates(reading: Reading, data: IndexData, calibration: Calibration,
                  question_words: list[str]) -> list[SpanCandidate]:
    """The reader's spans in article coordinates, with their sentence, margin and probability."""
    out = []
    for span in reading.spans:
        doc = data.documents[span.doc_id]
        margin = span.score - reading.null
        first, last = sentence_range(data, span.doc_id, span.start, span.end)
        sentences = data.sentences.get(span.doc_id, [])
        if sentences:
            sentence = (min(sentences[first].start, span.start), max(sentences[last].end, span.end))
            a, b = sentences[max(first - 1, 0)].start, sentences[min(last + 1, len(sentences) - 1)].end
        else:
            sentence = a, b = span.start, span.end
        found = coverage(question_words, doc.key[a:b].lower())  # the sentence and its neighbours
        out.append(SpanCandidate(span.doc_id, doc.source, span.start, span.end, doc.text[span.start:span.end],
                                 sentence, margin, found, calibration.probability(margin, found)))
    return out


def choose(reading: Reading, data: IndexData, calibration: Calibration, question: str = "") -> Choice:
    """The answer span when its calibrated confidence reaches ``answer_above``, else an abstention."""
    candidates = to_candidates(reading, data, calibration, question_words(question))
    if not candidates:
        return Choice(None, None, [])
    # Ranked by confidence, not by the reader's score alone: the question's words around the span
    # pick the right sentence more often (dev: sentence hit 0.815 -> 0.840 CMRC, 0.840 -> 0.885 DRCD).
    candidates.sort(key=lambda c: -c.probability)
    best = candidates[0]
    if best.probability < calibration.answer_above:
        return Choice(None, None, candidates)
    return Choice(best, find_rival(best, candidates, calibration), candidates)


def question_words(question: str) -> list[str]:
    """The question's words (jieba, simplified) without the words that only ask."""
    return [w for w in tokenize(question) if w not in ASKING and not w.isspace()]


def coverage(words: list[str], text: str) -> float:
    """Share of the question's words (weighted by length) that occur in ``text``; 1.0 for none."""
    total = sum(len(w) for w in words)
    if not total:
        return 1.0
    return sum(len(w) for w in words if w in text) / total


def find_rival(best: SpanCandidate, candidates: list[SpanCandidate], calibration: Calibration) -> SpanCandidate | None:
    """A span of another article, scored within ``conflict_gap`` of the best and above the
    threshold, whose sentence holds about as many of the question's words, and that gives a
    different figure in the same unit as the best span."""
    if not _FIGURE.search(best.text):
        return None
    for cand in candidates[1:]:
        if cand.margin < best.margin - calibration.conflict_gap:
            continue
        if cand.probability < calibration.answer_above:
            continue
        if cand.doc_id == best.doc_id or not _FIGURE.search(cand.text) or cand.coverage < 0.9 * best.coverage:
            continue  # a rival speaks of the same thing: its sentence holds the question's words too
        if figure(cand.text) != figure(best.text) and unit(cand.text) == unit(best.text):
            if figure(cand.text) not in figure(best.text) and figure(best.text) not in figure(cand.text):
                return cand
    return None


def sentence_range(data: IndexData, doc_id: str, start: int, end: int) -> tuple[int, int]:
    """Indices of the first and last sentence of the article that ``[start, end)`` touches."""
    starts = [s.start for s in data.sentences.get(doc_id, [])]
    first = max(bisect.bisect_right(starts, start) - 1, 0)
    return first, max(bisect.bisect_left(starts, end) - 1, first)


def unit(span: str) -> str:
    """The measure word that ends a figure: ``1万多家`` → ``家``."""
    match = re.search(r"([^\d.,%多余万亿千百以上左右之]+)$", normalize(span))
    return match.group(1) if match else normalize(span)[-1:]


def figure(span: str) -> str:
    """Comparable form of a figure: simplified, without hedges (``约50%`` → ``50%``)."""
    return _HEDGES.sub("", normalize(span))
