"""The typed records that cross module boundaries, in the order data flows through them."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np


@dataclass
class QueryVectors:
    """A question in the forms retrieval and extraction need: as asked, simplified (``key``),
    embedded, and as keyword tokens."""

    text: str
    key: str
    vector: "np.ndarray"
    tokens: list[str]


@dataclass(frozen=True)
class Document:
    """One cleaned article.

    ``text`` is what users see (the article's own script); every offset elsewhere points into it.
    ``key`` is the same text in simplified Chinese, of equal length, used for matching.
    """

    id: str
    source: str
    title: str
    date: str | None
    text: str
    key: str


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document: ``doc.text[start:end] == text``."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    key: str


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: ``doc.text[start:end] == text``; sentences ``first..last`` (inclusive)."""

    id: int
    doc_id: str
    start: int
    end: int
    text: str
    key: str
    first_sentence: int
    last_sentence: int


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the ranks that produced it (None = not found),
    and the article it comes from: its file name, headline and date."""

    chunk: Chunk
    score: float
    dense_rank: int | None
    keyword_rank: int | None
    source: str = ""
    title: str = ""
    date: str | None = None


@dataclass(frozen=True)
class SpanCandidate:
    """A short answer the reader proposed: ``text == document.text[start:end]`` of article
    ``source``; ``sentence`` is the (start, end) of the sentence holding it, in the same article
    text; ``margin`` is the reader's span score minus its no-answer score; ``coverage`` the share of
    the question's words around it; ``probability`` the calibrated chance that the span is right;
    ``score`` the ranking score the answer was chosen by (``choosing.Calibration.score``)."""

    doc_id: str
    source: str
    start: int
    end: int
    text: str
    sentence: tuple[int, int]
    margin: float
    coverage: float
    probability: float
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["sentence"] = list(self.sentence)
        data["margin"] = round(self.margin, 4)
        data["coverage"] = round(self.coverage, 4)
        data["probability"] = round(self.probability, 4)
        data["score"] = round(self.score, 4)
        return data


@dataclass
class Citation:
    """A source passage cited by an answer.

    Every offset is into the cleaned article text: ``passage == text[start:end]``; ``highlight``
    is the marked sentence and ``span`` the short answer inside it (None when there is none).
    ``role``: "answer" (states the answer), "supporting" (related evidence) or "conflicting"
    (states a different figure for the same thing).
    """

    source: str
    title: str
    date: str | None
    passage: str
    start: int
    end: int
    highlight: tuple[int, int] | None
    score: float
    role: str = "supporting"
    span: tuple[int, int] | None = None

    def local(self, offsets: tuple[int, int] | None) -> tuple[int, int] | None:
        """``offsets`` (article coordinates) as a slice of ``passage``."""
        if offsets is None:
            return None
        return max(offsets[0], self.start) - self.start, min(offsets[1], self.end) - self.start

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["highlight"] = list(self.highlight) if self.highlight else None
        data["span"] = list(self.span) if self.span else None
        return data


# Why an answer abstained: no passage was retrieved; the passages do not state it; they do not
# speak of the year the question names; those that name what it names do not state it; the
# question has no Chinese for the reader to read; it names a topic but asks nothing of it; it
# asks several questions at once, each with its own question mark.
ABSTENTIONS = ("no_passages", "not_stated", "year_not_stated", "name_not_stated", "not_chinese", "not_a_question",
               "several_questions")


@dataclass
class Answer:
    """What ``qa.answer`` returns: the answer sentence, its short span and the cited evidence.

    ``spans`` holds the reader's scored candidates, best first (the first is the answer unless
    it abstained); ``span`` is the answer's exact text (for a disagreement, the figures joined
    by " / "). ``abstention`` says why it abstained (one of ``ABSTENTIONS``; None when it answered),
    ``reason`` says it in words. ``asked_as`` is the question read in full when ``question`` followed
    up on the one before it ("那市级孵化器呢？" → "北京经开区有几家市级孵化器？"), or, when ``glossed``,
    the Chinese gloss of a question asked in English; else None. ``yes_no`` marks an answer to a
    question that asks yes or no: ``text`` is the sentence that bears on it, ``span`` None and
    ``reason`` says to judge from it. ``dated`` is ``span`` with the relative year it gives read
    against its article's date ("今年7月" → "2022年7月"), else None; ``date`` is that article's date.
    """

    question: str
    text: str
    span: str | None
    abstained: bool
    confidence: float
    conflict: bool
    citations: list[Citation] = field(default_factory=list)
    reason: str | None = None
    spans: list[SpanCandidate] = field(default_factory=list)
    abstention: str | None = None
    asked_as: str | None = None
    glossed: bool = False
    yes_no: bool = False
    dated: str | None = None
    date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: ``json.dumps(answer.to_dict(), ensure_ascii=False)``."""
        return {
            "question": self.question,
            "text": self.text,
            "span": self.span,
            "abstained": self.abstained,
            "confidence": round(self.confidence, 4),
            "conflict": self.conflict,
            "reason": self.reason,
            "abstention": self.abstention,
            "asked_as": self.asked_as,
            "glossed": self.glossed,
            "yes_no": self.yes_no,
            "dated": self.dated,
            "date": self.date,
            "citations": [c.to_dict() for c in self.citations],
            "spans": [s.to_dict() for s in self.spans],
        }
