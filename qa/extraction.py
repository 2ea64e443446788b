"""Pick the answer from the sentences of the retrieved passages, or abstain.

Every sentence of the retrieved chunks is scored on evidence that generalises:

* ``dense``   cosine similarity of the sentence vector (computed at build time) to the question;
* ``lexical`` share of the question's IDF-weighted character bigrams found in the sentence;
* ``context`` the same share for its neighbours (the sentence before and after);
* ``kind``    whether it holds the kind of thing asked for (a number with unit, a date, a person…);
* ``prior``   how high retrieval ranked the passage it stands in.

The best sentence is the answer; for factoid questions a short span inside it is picked. When the
best evidence is too weak (threshold calibrated on dev data, see README) the answer abstains.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .answer_types import asked_unit, find_typed_spans, has_list, question_kind
from .chinese import char_bigrams, normalize, to_simplified
from .retrieval import QueryVectors, Retriever
from .types import Answer, Citation, Hit, Sentence

_QUESTION_WORDS = re.compile(
    r"多少|几|什么|哪些|哪个|哪里|哪儿|哪一|哪|谁|何时|何地|如何|怎么|怎样|为什么|是否|请问|呢|吗|吧|[?？!！。,，]"
)


@dataclass(frozen=True)
class Weights:
    """Weights of the sentence features, and the abstention threshold on the combined score."""

    dense: float = 1.0
    lexical: float = 1.0
    context: float = 0.15
    kind: float = 0.15
    prior: float = 0.1
    abstain_below: float = 0.75
    conflict_margin: float = 0.08


@dataclass
class Candidate:
    sentence: Sentence
    hit: Hit
    hit_rank: int
    dense: float
    lexical: float
    context: float = 0.0
    kind: float = 0.0
    score: float = 0.0


class Extractor:
    """Scores sentences of retrieved chunks and builds the ``Answer``.

    Args:
        retriever: the retriever over the same index (gives sentence rows and vectors).
        weights: feature weights and thresholds.
    """

    def __init__(self, retriever: Retriever, weights: Weights | None = None) -> None:
        self.retriever = retriever
        self.data = retriever.data
        self.weights = weights or Weights()
        df: Counter[str] = Counter()
        self._grams: dict[tuple[str, int], frozenset[str]] = {}
        for doc_id, sentences in self.data.sentences.items():
            for s in sentences:
                grams = frozenset(char_bigrams(s.key, simplified=True))
                self._grams[(doc_id, s.index)] = grams
                df.update(grams)
        self._n = max(len(self._grams), 1)
        self._df = df

    def idf(self, gram: str) -> float:
        return math.log(1 + self._n / (1 + self._df.get(gram, 0)))

    def _question_grams(self, query: QueryVectors) -> dict[str, float]:
        core = _QUESTION_WORDS.sub(" ", query.key)
        grams = {g for g in char_bigrams(core) if len(g) == 2 and " " not in g}
        if not grams:
            grams = {g for g in char_bigrams(core)}
        return {g: self.idf(g) for g in grams}

    def _coverage(self, grams: dict[str, float], text_grams: set[str]) -> float:
        total = sum(grams.values())
        if not total:
            return 0.0
        return sum(w for g, w in grams.items() if g in text_grams) / total

    def candidates(self, query: QueryVectors, hits: list[Hit], sentence_scores: np.ndarray) -> list[Candidate]:
        """All sentences of the hit chunks, scored; best first."""
        w = self.weights
        grams = self._question_grams(query)
        kind = question_kind(query.key)
        seen: dict[tuple[str, int], Candidate] = {}
        for rank, hit in enumerate(hits):
            chunk = hit.chunk
            sentences = self.data.sentences.get(chunk.doc_id, [])
            for idx in range(chunk.first_sentence, chunk.last_sentence + 1):
                key = (chunk.doc_id, idx)
                if key in seen or idx >= len(sentences):
                    continue
                s = sentences[idx]
                row = self.retriever.sentence_row(chunk.doc_id, idx)
                cand = Candidate(s, hit, rank, float(sentence_scores[row]),
                                 self._coverage(grams, self._grams[key]))
                cand.context = max(
                    (self._coverage(grams, self._grams[(chunk.doc_id, j)])
                     for j in (idx - 1, idx + 1) if 0 <= j < len(sentences)),
                    default=0.0,
                )
                cand.kind = _kind_score(s.key, kind, query.key)
                cand.score = (
                    w.dense * cand.dense + w.lexical * cand.lexical + w.context * cand.context
                    + w.kind * cand.kind + w.prior / (1 + rank)
                )
                seen[key] = cand
        return sorted(seen.values(), key=lambda c: -c.score)

    def run(self, query: QueryVectors, hits: list[Hit], sentence_scores: np.ndarray) -> Answer:
        """The answer to ``query`` from ``hits``: best sentence, span, citations, or an abstention."""
        w = self.weights
        cands = self.candidates(query, hits, sentence_scores)
        if not cands:
            return _abstain(query.text, "没有检索到相关文章段落。", 0.0)
        best = cands[0]
        confidence = 1 / (1 + math.exp(-(best.score - w.abstain_below) * 12))
        if best.score < w.abstain_below:
            return _abstain(query.text, "文章中没有找到能回答这个问题的内容。", confidence)
        kind = question_kind(query.key)
        span = pick_span(best.sentence.text, kind, query.key, best.sentence.key)
        chosen = [best]
        conflict = False
        if kind in ("number", "date") and span:
            rival = self._rival(best, span, kind, query, cands)
            if rival is not None:
                chosen.append(rival)
                conflict = True
        citations = [self._citation(c) for c in chosen]
        used = {c.hit.chunk.id for c in chosen}
        for cand in cands:
            if cand.hit.chunk.id not in used and cand.score >= w.abstain_below:
                used.add(cand.hit.chunk.id)
                citations.append(self._citation(cand))
        text = "\n".join(c.sentence.text for c in chosen)
        if conflict:
            spans = [pick_span(c.sentence.text, kind, query.key, c.sentence.key) for c in chosen]
            span = " / ".join(s for s in spans if s)
        return Answer(query.text, text, span, False, confidence, conflict, citations,
                      "不同文章给出的数字不一致。" if conflict else None)

    def _rival(self, best: Candidate, span: str, kind: str, query: QueryVectors, cands: list[Candidate]):
        """A strong candidate from another article that gives a different figure, if any."""
        w = self.weights
        for cand in cands[1:]:
            if cand.score < best.score - w.conflict_margin:
                break
            if cand.sentence.doc_id == best.sentence.doc_id or cand.lexical < 0.85 * best.lexical:
                continue
            other = pick_span(cand.sentence.text, kind, query.key, cand.sentence.key)
            if other and _figure(other) != _figure(span) and _unit(other) == _unit(span):
                return cand
        return None

    def _citation(self, cand: Candidate) -> Citation:
        chunk = cand.hit.chunk
        doc = self.data.documents[chunk.doc_id]
        s = cand.sentence
        return Citation(
            source=doc.source, title=doc.title, date=doc.date, passage=chunk.text,
            start=chunk.start, end=chunk.end,
            highlight=(max(s.start, chunk.start) - chunk.start, min(s.end, chunk.end) - chunk.start),
            score=round(float(cand.score), 4),
        )


def _unit(span: str) -> str:
    """The measure word that ends a figure: ``1万多家`` → ``家``."""
    match = re.search(r"([^\d.,%多余万亿千百以上左右之]+)$", normalize(span))
    return match.group(1) if match else normalize(span)[-1:]


def _figure(span: str) -> str:
    """Comparable form of a figure: simplified, digits and units only (``约50%`` → ``50%``)."""
    text = normalize(span)
    return re.sub(r"^(约|近|超过|超|逾|达|共|累计|仅|不到|不足|将近|接近|大约)", "", text)


def _kind_score(key: str, kind: str | None, question: str) -> float:
    """1 when the sentence holds a new thing of the asked kind (in the asked unit), 0.5 for
    the kind in another unit, else 0."""
    if kind is None:
        return 0.0
    if kind == "list":
        return 1.0 if has_list(key) else 0.0
    q = normalize(question)
    spans = [m.group(0) for m in find_typed_spans(key, kind) if normalize(m.group(0)) not in q]
    if not spans:
        return 0.0
    unit = asked_unit(q) if kind == "number" else None
    if unit is None or any(unit in sp for sp in spans):
        return 1.0
    return 0.5


def pick_span(sentence: str, kind: str | None, question: str, key: str | None = None) -> str | None:
    """The short answer inside ``sentence``: the typed span nearest to the words the question shares."""
    if kind in (None, "list"):
        return None
    q = normalize(question)
    key = to_simplified(sentence) if key is None else key
    spans = [m for m in find_typed_spans(key, kind) if normalize(m.group(0)) not in q]
    if kind == "number" and (unit := asked_unit(q)):
        spans = [m for m in spans if unit in m.group(0)] or spans
    if not spans:
        return None
    anchors = [i for i in range(len(key) - 1) if key[i : i + 2] in q and key[i : i + 2].strip()]

    def distance(m) -> int:
        if not anchors:
            return 0
        return min(min(abs(a - m.start()), abs(a - m.end())) for a in anchors)

    best = min(spans, key=distance)
    return sentence[best.start() : best.end()].strip()


def _abstain(question: str, reason: str, confidence: float) -> Answer:
    return Answer(question, "", None, True, min(confidence, 0.5), False, [], reason)
