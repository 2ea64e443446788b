"""Choose what the reader reads: short windows around the sentences that bear most on the question.

The reader's cost grows with the tokens it reads, so it does not read whole chunks: the sentences
of the retrieved chunks are ranked by how close their vector is to the question's and how many of
the question's character bigrams they share, and the best few (those scored close to the best) are
read with their neighbours (up to ``width`` characters), in the simplified form the reader was
trained on.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .chinese import char_bigrams
from .enumerations import counted_things, counting_unit
from .reader import Passage
from .store import IndexData
from .types import Hit, Sentence

# Weight of bigram overlap beside the dense similarity, and of the retrieval rank (1/(1+rank)).
LEXICAL_WEIGHT = 0.3
RANK_WEIGHT = 0.05
# Added for a sentence that counts what a counting question counts ("政策法规294条").
COUNT_WEIGHT = 0.1


@dataclass(frozen=True)
class RankedSentence:
    """A sentence of a retrieved chunk, with the score that ranked it and the hit it came from."""

    sentence: Sentence
    hit_rank: int
    score: float


def rank_sentences(question_key: str, hits: list[Hit], data: IndexData, vector: np.ndarray) -> list[RankedSentence]:
    """The sentences of ``hits``, best first.

    Args:
        question_key: the question's matching form (simplified).
        hits: the retrieved chunks, best first.
        data: the loaded index (only these chunks' articles and sentence vectors are read).
        vector: the question's vector.
    """
    grams = {g for g in char_bigrams(question_key, simplified=True) if len(g) == 2}
    things = counted_things(question_key) if COUNT_WEIGHT else []
    wanted: dict[tuple[str, int], int] = {}
    for rank, hit in enumerate(hits):
        count = len(data.sentences.get(hit.chunk.doc_id, []))
        for idx in range(hit.chunk.first_sentence, min(hit.chunk.last_sentence + 1, count)):
            wanted.setdefault((hit.chunk.doc_id, idx), rank)
    dense: dict[tuple[str, int], float] = {}
    for doc_id in dict.fromkeys(d for d, _ in wanted):
        indices = [i for d, i in wanted if d == doc_id]
        dense.update(zip(((doc_id, i) for i in indices), data.sentence_similarity(doc_id, indices, vector).tolist()))
    seen: list[RankedSentence] = []
    for (doc_id, idx), rank in wanted.items():
        s = data.sentences[doc_id][idx]
        shared = len(grams & char_bigrams(s.key, simplified=True)) / len(grams) if grams else 0.0
        score = dense[(doc_id, idx)] + LEXICAL_WEIGHT * shared + RANK_WEIGHT / (1 + rank)
        if things and counting_unit(things, s.key):
            score += COUNT_WEIGHT
        seen.append(RankedSentence(s, rank, score))
    return sorted(seen, key=lambda r: -r.score)


def read_count(ranked: list[RankedSentence], count: int = 3, gap: float = float("inf")) -> int:
    """How many of the best sentences get a window: at most ``count``, and none scored more than
    ``gap`` below the best."""
    return sum(1 for r in ranked[:count] if r.score >= ranked[0].score - gap) if ranked else 0


def reading_windows(ranked: list[RankedSentence], data: IndexData, count: int = 3,
                    width: int = 160) -> list[Passage]:
    """Windows around the ``count`` best sentences: each sentence grown by its neighbours in the
    same article while the window stays within ``width`` characters; overlapping windows merge."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for r in ranked[:count]:
        sentences = data.sentences[r.sentence.doc_id]
        lo = hi = r.sentence.index
        while True:
            grown = False
            for a, b in ((lo, hi + 1), (lo - 1, hi)):
                if 0 <= a and b < len(sentences) and sentences[b].end - sentences[a].start <= width:
                    lo, hi, grown = a, b, True
                    break
            if not grown:
                break
        start, end = sentences[lo].start, sentences[hi].end
        end = min(end, start + 3 * width)  # one very long sentence: its start, read in strides
        spans.setdefault(r.sentence.doc_id, []).append((start, end))
    passages = []
    for doc_id, ranges in spans.items():
        key = data.documents[doc_id].key
        for start, end in _merge(sorted(ranges)):
            passages.append(Passage(doc_id, start, key[start:end]))
    return passages


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in ranges:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
