"""The typed records that cross module boundaries, in the order data flows through them."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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
    """A retrieved chunk with its fused score and the ranks that produced it (None = not found)."""

    chunk: Chunk
    score: float
    dense_rank: int | None
    keyword_rank: int | None


@dataclass
class Citation:
    """A source passage cited by an answer; ``highlight`` is (start, end) inside ``passage``."""

    source: str
    title: str
    date: str | None
    passage: str
    start: int
    end: int
    highlight: tuple[int, int] | None
    score: float

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["highlight"] = list(self.highlight) if self.highlight else None
        return data


@dataclass
class Answer:
    """What ``qa.answer`` returns: the answer text, its short span and the cited evidence."""

    question: str
    text: str
    span: str | None
    abstained: bool
    confidence: float
    conflict: bool
    citations: list[Citation] = field(default_factory=list)
    reason: str | None = None

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
            "citations": [c.to_dict() for c in self.citations],
        }
