"""Reciprocal rank fusion of the chunk rankings: the weights, and the fused candidates a store returns.

Three rankings of the chunks are fused: chunk vectors ("dense"), the chunks holding the nearest
sentence vectors ("sentence") and BM25 over the words ("keyword"). Each chunk gets
``weight / (RRF_K + rank)`` from every ranking that holds it (rank counted from 1). The FAISS store
fuses in Python with ``fuse``; the Milvus store lets the engine fuse dense and keyword (its
``RRFRanker``, the weights given by repeating requests: ``engine_repeats``) and adds the sentence
ranking's votes with ``vote``.
"""
from __future__ import annotations

from dataclasses import dataclass

RRF_K = 60
# Weight of each ranking in the fusion (in units of a rank-1 vote). Measured on CMRC 2018 dev
# (3,219 questions, 848 passages): keyword-heavy fusion with a small headline bonus gave recall@1
# 0.976 / recall@5 0.997, against 0.970 / 0.995 for equal weights.
FUSION_WEIGHTS = {"dense": 0.5, "sentence": 1.0, "keyword": 1.5}


@dataclass(frozen=True)
class Candidate:
    """A chunk found by retrieval: its fused score and its rank (from 0) in the dense rankings
    (chunk or sentence vectors, the better of the two) and in the keyword ranking; None = not
    found there, or fused by the engine without saying."""

    chunk_id: int
    score: float
    dense_rank: int | None = None
    keyword_rank: int | None = None


def vote(name: str, rank: int) -> float:
    """What ranking ``name`` gives the chunk at ``rank`` (from 0)."""
    return FUSION_WEIGHTS[name] / (RRF_K + rank + 1)


def fuse(rankings: dict[str, list[int]]) -> list[Candidate]:
    """Fuse chunk rankings (name → chunk ids, best first) into candidates, best first (ties: lower id)."""
    scores: dict[int, float] = {}
    for name, order in rankings.items():
        for rank, chunk_id in enumerate(order):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + vote(name, rank)
    ranks = {name: {c: r for r, c in enumerate(order)} for name, order in rankings.items()}
    out = []
    for chunk_id in sorted(scores, key=lambda c: (-scores[c], c)):
        dense = [r for r in (ranks.get("dense", {}).get(chunk_id), ranks.get("sentence", {}).get(chunk_id))
                 if r is not None]
        out.append(Candidate(chunk_id, scores[chunk_id], min(dense, default=None),
                             ranks.get("keyword", {}).get(chunk_id)))
    return out


def engine_repeats(names: tuple[str, ...]) -> tuple[float, dict[str, int]]:
    """How to get weighted RRF from an engine whose RRF weighs every request alike: send request
    ``name`` ``repeats[name]`` times; the engine's score times ``unit`` is then the weighted sum."""
    unit = min(FUSION_WEIGHTS[n] for n in names)
    repeats = {n: round(FUSION_WEIGHTS[n] / unit) for n in names}
    if any(abs(repeats[n] * unit - FUSION_WEIGHTS[n]) > 1e-9 for n in names):
        raise ValueError(f"fusion weights {FUSION_WEIGHTS} are not whole multiples of {unit}")
    return unit, repeats
