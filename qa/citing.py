"""Cite the passages behind an answer, each with its role and offsets in the article text.

The passage that states the chosen span comes first (role "answer"), then the passage of a
disagreeing article ("conflicting"), then the other retrieved passages ("supporting"), each
marked at its best sentence. A passage is cited once: retrieved chunks that mostly repeat an
already cited passage are left out.
"""
from __future__ import annotations

from .choosing import Choice
from .store import IndexData
from .types import Chunk, Citation, Hit, SpanCandidate
from .windows import RankedSentence


def cite(choice: Choice, hits: list[Hit], ranked: list[RankedSentence], data: IndexData,
         limit: int) -> list[Citation]:
    """At most ``limit`` citations (never fewer than the answer's own evidence).

    Args:
        choice: the chosen span and rival (both None when abstaining); for a yes-or-no question
            their sentences are marked, not their spans.
        hits: the retrieved chunks, best first.
        ranked: the sentences of those chunks, best first (marks the supporting passages).
        data: the loaded index.
        limit: how many passages to cite.
    """
    citations: list[Citation] = []
    for cand, role in ((choice.best, "answer"), (choice.rival, "conflicting")):
        if cand is not None:
            chunk = _chunk_holding(cand, hits, data)
            span = None if choice.yes_no else (cand.start, cand.end)
            citations.append(_citation(chunk, data, role, cand.sentence, span, cand.probability))
    best_sentence = {}
    for r in ranked:
        best_sentence.setdefault((r.sentence.doc_id, r.hit_rank), r)
    for rank, hit in enumerate(hits):
        if len(citations) >= max(limit, 1 + (choice.rival is not None)):
            break
        if any(_overlap(hit.chunk, c, data) for c in citations):
            continue
        r = best_sentence.get((hit.chunk.doc_id, rank))
        highlight = (r.sentence.start, r.sentence.end) if r else None
        citations.append(_citation(hit.chunk, data, "supporting", highlight, None, hit.score))
    return citations


def _chunk_holding(cand: SpanCandidate, hits: list[Hit], data: IndexData) -> Chunk:
    """The retrieved chunk that holds the span (the index's chunk when no hit does)."""
    pool = [h.chunk for h in hits if h.chunk.doc_id == cand.doc_id] or \
        data.chunks_of(cand.doc_id)
    holding = [c for c in pool if c.start <= cand.start and cand.end <= c.end]
    if holding:
        # Prefer the chunk where the answer sentence is most complete.
        a, b = cand.sentence
        return max(holding, key=lambda c: min(b, c.end) - max(a, c.start))
    return max(pool, key=lambda c: min(cand.end, c.end) - max(cand.start, c.start))


def _overlap(chunk: Chunk, citation: Citation, data: IndexData) -> bool:
    """Whether ``chunk`` mostly repeats the cited passage (same article, over half shared)."""
    if data.documents[chunk.doc_id].source != citation.source:
        return False
    shared = min(chunk.end, citation.end) - max(chunk.start, citation.start)
    return shared > 0.5 * min(chunk.end - chunk.start, citation.end - citation.start)


def _citation(chunk: Chunk, data: IndexData, role: str, highlight: tuple[int, int] | None,
              span: tuple[int, int] | None, score: float) -> Citation:
    doc = data.documents[chunk.doc_id]
    if highlight is not None:
        highlight = (max(highlight[0], chunk.start), min(highlight[1], chunk.end))
        if highlight[0] >= highlight[1]:
            highlight = None
    return Citation(source=doc.source, title=doc.title, date=doc.date, passage=chunk.text,
                    start=chunk.start, end=chunk.end, highlight=highlight, score=round(float(score), 4),
                    role=role, span=span)
