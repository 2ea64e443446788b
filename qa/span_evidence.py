"""What the choice weighs for each span the reader proposed, computed once per span.

The reader alone picks the right sentence for 80–81% of dev questions; what it cannot see is
whether the span's sentence speaks of what the question asks. Each span therefore carries, beside
the reader's margin, how many of the question's words its sentence holds (all of them, and those
not already in the article's headline: words of the headline say which article, not which
sentence), how the windows ranked its sentence, and whether it is its sentence's best span.
``choosing`` weighs these with the weights ``bench/calibrate_reader.py`` fits on the dev split.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, fields

from .chinese import normalize, tokenize
from .reader import Reading, Span
from .store import IndexData
from .windows import RankedSentence

ASKING = {"多少", "什么", "哪", "哪些", "哪个", "哪里", "哪儿", "哪一", "哪一年", "哪年", "哪天", "哪一天", "谁",
          "几", "何时", "何地", "如何", "怎么", "怎样", "为什么", "为何", "是否", "吗", "呢", "请问", "什么样"}


@dataclass(frozen=True)
class SpanEvidence:
    """The facts about one span that its ranking and confidence are weighed from.

    Attributes:
        margin: the reader's span score minus its no-answer score.
        coverage: share of the question's words (by length) in the span's sentence and its neighbours.
        sentence_words: the same share in the span's sentence alone.
        focus: share of the question's words that are not in the article's headline, in the sentence.
        sentence_score: the windows' ranking score of the sentence (dense + bigrams + rank prior).
        top_sentence: 1 when the windows ranked the sentence first.
        read_sentence: 1 when the sentence is one a window was built around.
        sentence_best: the reader's best span score inside the same sentence.
        best_in_sentence: 1 when this span is that best.
    """

    margin: float
    coverage: float
    sentence_words: float
    focus: float
    sentence_score: float
    top_sentence: float
    read_sentence: float
    sentence_best: float
    best_in_sentence: float

    def get(self, name: str) -> float:
        """The value of the feature ``name`` (a field name)."""
        return float(getattr(self, name))


FEATURES = tuple(f.name for f in fields(SpanEvidence))


@dataclass(frozen=True)
class WeighedSpan:
    """A proposed span in article coordinates, its sentence bounds, and its evidence."""

    span: Span
    sentence: tuple[int, int]
    evidence: SpanEvidence


def question_words(question: str) -> list[str]:
    """The question's words (jieba, simplified) without the words that only ask."""
    return [w for w in tokenize(question) if w not in ASKING and not w.isspace()]


def coverage(words: list[str], text: str) -> float:
    """Share of the question's words (weighted by length) that occur in ``text``; 1.0 for none."""
    total = sum(len(w) for w in words)
    if not total:
        return 1.0
    return sum(len(w) for w in words if w in text) / total


def sentence_range(starts: list[int], start: int, end: int) -> tuple[int, int]:
    """Indices of the first and last sentence that ``[start, end)`` touches, given the sentences'
    start offsets."""
    first = max(bisect.bisect_right(starts, start) - 1, 0)
    return first, max(bisect.bisect_left(starts, end) - 1, first)


def weigh(reading: Reading, data: IndexData, question: str, ranked: list[RankedSentence] | None = None,
          read_count: int = 3) -> list[WeighedSpan]:
    """The reader's spans, in its order, each with its sentence bounds and evidence.

    Args:
        reading: the reader's spans and no-answer score.
        data: the loaded index (the spans' articles and sentences are read).
        question: the question as asked.
        ranked: the windows' ranked sentences (None: no sentence ranking is known).
        read_count: how many of the best ranked sentences had a window built around them.
    """
    words = question_words(question)
    ranked = ranked or []
    position = {(r.sentence.doc_id, r.sentence.index): (i, r.score) for i, r in enumerate(ranked)}
    floor = min((r.score for r in ranked), default=0.1) - 0.1
    starts: dict[str, list[int]] = {}
    placed = []
    for span in reading.spans:
        sentences = data.sentences.get(span.doc_id, [])
        if span.doc_id not in starts:
            starts[span.doc_id] = [s.start for s in sentences]
        first, last = sentence_range(starts[span.doc_id], span.start, span.end)
        if sentences:
            bounds = (min(sentences[first].start, span.start), max(sentences[last].end, span.end))
            near = sentences[max(first - 1, 0)].start, sentences[min(last + 1, len(sentences) - 1)].end
        else:
            bounds = near = (span.start, span.end)
        placed.append((span, first, bounds, near))
    best_score: dict[tuple[str, tuple[int, int]], float] = {}
    for span, _, bounds, _ in placed:
        key = (span.doc_id, bounds)
        best_score[key] = max(best_score.get(key, float("-inf")), span.score)
    headlines: dict[str, list[str]] = {}
    out = []
    for span, first, bounds, near in placed:
        key = data.documents[span.doc_id].key
        if span.doc_id not in headlines:
            headline = normalize(data.documents[span.doc_id].title or "")
            headlines[span.doc_id] = [w for w in words if w not in headline]
        sentence = key[bounds[0]:bounds[1]].lower()
        rank, score = position.get((span.doc_id, first), (len(ranked), floor))
        best = best_score[(span.doc_id, bounds)]
        evidence = SpanEvidence(
            margin=span.score - reading.null,
            coverage=coverage(words, key[near[0]:near[1]].lower()),
            sentence_words=coverage(words, sentence),
            focus=coverage(headlines[span.doc_id], sentence),
            sentence_score=score,
            top_sentence=float(rank == 0),
            read_sentence=float(rank < read_count),
            sentence_best=best,
            best_in_sentence=float(span.score >= best),
        )
        out.append(WeighedSpan(span, bounds, evidence))
    return out
