"""Find the passages that bear on a question: dense + keyword search, fused by RRF.

The store returns the chunks fused from three rankings (``qa.fusion``): chunk vectors, the best
sentence vector inside each chunk, and BM25 over jieba tokens of the simplified text; the FAISS
store fuses them itself, Milvus in its engine. A question that names an article's headline words
lifts that article's candidate chunks a little.
"""
from __future__ import annotations

from functools import lru_cache

from .chinese import char_bigrams, normalize, tokenize
from .fusion import RRF_K
from .store import Store
from .types import Hit, QueryVectors

# Weight of the headline bonus, in units of a rank-1 vote (measured with the fusion weights).
HEADLINE_WEIGHT = 0.25


class Retriever:
    """Hybrid retrieval over a loaded index: the store searches (so a question costs the same
    whatever the number of articles) and fuses; this adds the headline bonus and builds the hits.

    Args:
        data: the loaded index: any store (see ``qa.store.Store``).
        depth: how many chunks each ranking contributes before fusion.
    """

    def __init__(self, data: Store, depth: int = 50) -> None:
        self.data = data
        self.depth = depth

    def run(self, query: QueryVectors, top_k: int = 5, sources: list[str] | None = None) -> list[Hit]:
        """The ``top_k`` best chunks for ``query``, optionally only from the named articles."""
        data = self.data
        n = data.manifest.chunks
        if n == 0 or top_k <= 0:
            return []
        doc_ids = None
        if sources:
            doc_ids = data.ids_for_sources(sources)
            if not doc_ids:
                return []
        depth = min(n, max(self.depth, top_k * 4))
        found = data.candidates(query, depth, doc_ids)
        fused = {c.chunk_id: c.score for c in found}
        for i, bonus in self._headline_bonus(query, list(fused)).items():
            fused[i] += bonus
        by_id = {c.chunk_id: c for c in found}
        top = sorted(fused, key=lambda i: (-fused[i], i))[:top_k]
        hits = []
        for i in top:
            if fused[i] <= 0:
                continue
            chunk = data.chunk(i)
            art = data.article(chunk.doc_id)
            hits.append(Hit(chunk, float(fused[i]), by_id[i].dense_rank, by_id[i].keyword_rank,
                            art.source if art else "", art.title if art else "", art.date if art else None))
        return hits

    def _headline_bonus(self, query: QueryVectors, rows: list[int]) -> dict[int, float]:
        """A small lift for candidate chunks whose article's headline shares the question's bigrams."""
        grams = {g for g in char_bigrams(query.key) if len(g) == 2}
        if not grams or not rows:
            return {}
        bonus: dict[str, float] = {}
        out = {}
        for i, (doc_id, title) in self.data.chunk_titles(rows).items():
            if doc_id not in bonus:
                title2 = _title_bigrams(title)
                overlap = len(grams & title2) / max(1, min(len(grams), len(title2)))
                bonus[doc_id] = HEADLINE_WEIGHT / (RRF_K + 1) * overlap
            out[i] = bonus[doc_id]
        return out


@lru_cache(maxsize=65536)
def _title_bigrams(title: str) -> frozenset[str]:
    return frozenset(g for g in char_bigrams(title) if len(g) == 2)


def make_query(question: str, encoder) -> QueryVectors:
    """Embed and tokenize a question once, for both retrieval and extraction."""
    key = normalize(question)
    vector = encoder.encode([key])[0]
    return QueryVectors(question, key, vector, tokenize(question))

