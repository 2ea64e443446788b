"""Pick the answer from the sentences of the retrieved passages, or abstain.

Every sentence of the retrieved chunks is scored on evidence that generalises:

* ``dense``   cosine similarity of the sentence vector (computed at build time) to the question;
* ``lexical`` share of the question's IDF-weighted character bigrams found in the sentence;
* ``context`` the same share for its neighbours (the sentence before and after), and ``window``
  for the sentence with its neighbours;
* ``focus``   the share of the question's words that are not in the article's headline (the
  answer sentence often names the topic only implicitly), in the sentence and in its window;
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

MAX_ANSWER_CHARS = 200
_WORD_CHAR = re.compile(r"[\w\u3400-\u9fff]")
_QUESTION_WORDS = re.compile(
    r"多少|几|什么|哪些|哪个|哪里|哪儿|哪一|哪|谁|何时|何地|如何|怎么|怎样|为什么|是否|请问|呢|吗|吧|[?？!！。,，]"
)


@dataclass(frozen=True)
class Weights:
    """Weights of the sentence features, and the abstention threshold on the combined score."""

    dense: float = 1.0
    lexical: float = 0.1
    context: float = 0.05
    window: float = 0.1
    focus: float = 0.5
    focus_window: float = 0.1
    kind: float = 0.1
    prior: float = 0.1
    slot_boost: float = 1.0
    conflict_margin: float = 0.08
    hedge_margin: float = 0.04
    # Abstention: a logistic model on the best sentence, fitted by bench/calibrate_abstention.py on
    # CMRC dev (answerable vs. the same questions with their passage withheld); answer when its
    # probability is at least ``answer_above``, the level that keeps 98% of answerable questions.
    abstain_bias: float = -15.446
    abstain_dense: float = 17.362
    abstain_lexical: float = 5.376
    abstain_focus: float = 0.0
    answer_above: float = 0.2


@dataclass
class Candidate:
    sentence: Sentence
    hit: Hit
    hit_rank: int
    dense: float
    lexical: float
    context: float = 0.0
    window: float = 0.0
    focus: float = 0.0
    focus_window: float = 0.0
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
        """IDF weights of the question's character bigrams; those next to the question word
        (the slot the answer fills) weigh more."""
        near_slot = _slot_weights(query.key, self.weights.slot_boost, skip_question_words=True)
        grams = {pair: self.idf(pair) * boost for pair, boost in near_slot.items()}
        if not grams:
            grams = {g: self.idf(g) for g in char_bigrams(query.key)}
        return grams

    def _coverage(self, grams: dict[str, float], text_grams: set[str]) -> float:
        total = sum(grams.values())
        if not total:
            return 0.0
        return sum(w for g, w in grams.items() if g in text_grams) / total

    def candidates(self, query: QueryVectors, hits: list[Hit], sentence_scores: np.ndarray,
                   grams: dict[str, float] | None = None) -> list[Candidate]:
        """All sentences of the hit chunks, scored; best first."""
        w = self.weights
        grams = grams or self._question_grams(query)
        kind = question_kind(query.key)
        seen: dict[tuple[str, int], Candidate] = {}
        focus_by_doc: dict[str, dict[str, float]] = {}
        for rank, hit in enumerate(hits):
            chunk = hit.chunk
            sentences = self.data.sentences.get(chunk.doc_id, [])
            if chunk.doc_id not in focus_by_doc:
                # The question's words minus the article's topic (its headline): what the answer
                # sentence must speak of, since it often names the topic only implicitly.
                title = self.retriever.title_grams(chunk.doc_id)
                focus_by_doc[chunk.doc_id] = {g: v for g, v in grams.items() if g not in title} or grams
            focus = focus_by_doc[chunk.doc_id]
            for idx in range(chunk.first_sentence, chunk.last_sentence + 1):
                key = (chunk.doc_id, idx)
                if key in seen or idx >= len(sentences):
                    continue
                s = sentences[idx]
                row = self.retriever.sentence_row(chunk.doc_id, idx)
                cand = Candidate(s, hit, rank, float(sentence_scores[row]),
                                 self._coverage(grams, self._grams[key]))
                near = [self._grams[(chunk.doc_id, j)] for j in (idx - 1, idx + 1) if 0 <= j < len(sentences)]
                cand.context = max((self._coverage(grams, g) for g in near), default=0.0)
                cand.window = self._coverage(grams, self._grams[key].union(*near))
                cand.focus = self._coverage(focus, self._grams[key])
                cand.focus_window = self._coverage(focus, self._grams[key].union(*near))
                cand.kind = _kind_score(s.key, kind, query.key)
                cand.score = (
                    w.dense * cand.dense + w.lexical * cand.lexical + w.context * cand.context
                    + w.window * cand.window + w.focus * cand.focus + w.focus_window * cand.focus_window
                    + w.kind * cand.kind + w.prior / (1 + rank)
                )
                seen[key] = cand
        return sorted(seen.values(), key=lambda c: -c.score)

    def run(self, query: QueryVectors, hits: list[Hit], sentence_scores: np.ndarray) -> Answer:
        """The answer to ``query`` from ``hits``: best sentence, span, citations, or an abstention."""
        w = self.weights
        grams = self._question_grams(query)
        cands = self.candidates(query, hits, sentence_scores, grams)
        if not cands:
            return _abstain(query.text, "没有检索到相关的文章段落。", 0.0)
        best = cands[0]
        confidence = self.confidence(best)
        if confidence < w.answer_above:
            return _abstain(query.text, "这些文章里没有找到能回答这个问题的内容。", confidence)
        kind = question_kind(query.key)
        chosen = [best]
        span = pick_span(best.sentence.text, kind, query.key, best.sentence.key)
        conflict = False
        if kind in ("number", "date") and span:
            rival = self._rival(best, span, kind, query, cands)
            if rival is not None:
                chosen.append(rival)
                conflict = True
        if not conflict and kind != "description":
            runner_up = self._runner_up(best, cands)
            if runner_up is not None:
                chosen.append(runner_up)
        limit = MAX_ANSWER_CHARS // len(chosen) - 1
        excerpts = [self._excerpt(c, grams, kind, query.key, limit) for c in chosen]
        citations = [self._citation(c, excerpt) for c, excerpt in zip(chosen, excerpts)]
        used = {c.hit.chunk.id for c in chosen}
        for cand in cands[1:]:
            if cand.hit.chunk.id not in used and self.confidence(cand) >= w.answer_above:
                used.add(cand.hit.chunk.id)
                citations.append(self._citation(cand, (cand.sentence.start, cand.sentence.end)))
        texts = [self.data.documents[c.sentence.doc_id].text[a:b] for c, (a, b) in zip(chosen, excerpts)]
        if len(chosen) == 2 and not conflict:
            # Two sentences of one article: show them in reading order.
            order = sorted(range(2), key=lambda i: excerpts[i][0])
            adjacent = abs(chosen[0].sentence.index - chosen[1].sentence.index) == 1
            text = ("" if adjacent else "\n").join(texts[i] for i in order)
        else:
            text = "\n".join(texts)
        if conflict:
            spans = [pick_span(t, kind, query.key) for t in texts]
            span = " / ".join(s for s in spans if s) or None
        elif span and span not in texts[0]:
            span = pick_span(texts[0], kind, query.key)
        return Answer(query.text, text, span, False, confidence, conflict, citations,
                      "不同文章给出的数字不一致，两种说法都列出。" if conflict else None)

    def confidence(self, cand: Candidate) -> float:
        """Probability-like confidence that ``cand`` answers the question (calibrated on dev data)."""
        w = self.weights
        z = w.abstain_bias + w.abstain_dense * cand.dense + w.abstain_lexical * cand.lexical + w.abstain_focus * cand.focus
        return 1 / (1 + math.exp(-z))

    def _passage_around(self, cand: Candidate, grams: dict[str, float], limit: int) -> tuple[int, int]:
        """(start, end) of the answer sentence grown by its neighbours in the same paragraph, the
        better-matching side first, up to ``limit`` characters: a how / why question is answered
        by a short passage rather than one sentence."""
        doc = self.data.documents[cand.sentence.doc_id]
        sentences = self.data.sentences[cand.sentence.doc_id]

        def fits(a: int, b: int) -> bool:
            text = doc.text[sentences[a].start : sentences[b].end]
            return len(text) <= limit and "\n" not in text

        lo, hi = _grow(cand.sentence.index, len(sentences), fits,
                       lambda i: self._coverage(grams, self._grams[(doc.id, i)]))
        return sentences[lo].start, sentences[hi].end

    def _excerpt(self, cand: Candidate, grams: dict[str, float], kind: str | None, question: str,
                 limit: int) -> tuple[int, int]:
        """(start, end) in the article of the answer: the sentence, or when it is longer than
        ``limit`` the run of its clauses that best covers the question."""
        s = cand.sentence
        if len(s.text) <= limit:
            if kind == "description":
                return self._passage_around(cand, grams, limit)
            return s.start, s.end
        bounds = [0] + [m.end() for m in re.finditer(r"[，,；;：:、]", s.text) if m.end() < len(s.text)] + [len(s.text)]
        clauses = list(zip(bounds, bounds[1:]))
        span = pick_span(s.text, kind, question, s.key)

        def value(c: tuple[int, int]) -> float:
            text = s.key[c[0] : c[1]]
            return self._coverage(grams, char_bigrams(text, simplified=True)) + (1.0 if span and span in s.text[c[0] : c[1]] else 0.0)

        best = max(range(len(clauses)), key=lambda k: value(clauses[k]))
        lo, hi = _grow(best, len(clauses), lambda a, b: clauses[b][1] - clauses[a][0] <= limit,
                       lambda k: value(clauses[k]))
        start, end = clauses[lo][0], min(clauses[hi][1], clauses[lo][0] + limit)
        return s.start + start, s.start + end

    def _runner_up(self, best: Candidate, cands: list[Candidate]) -> Candidate | None:
        """A second sentence of the same article whose score is within ``hedge_margin`` of the
        best: the evidence is split between the two, so the answer shows both. Measured on CMRC
        dev, a margin of 0.04 adds a second sentence to about one answer in nine."""
        w = self.weights
        for cand in cands[1:]:
            if cand.score < best.score - w.hedge_margin:
                return None
            if cand.sentence.doc_id == best.sentence.doc_id and cand.sentence.index != best.sentence.index:
                if len(best.sentence.text) + len(cand.sentence.text) < MAX_ANSWER_CHARS:
                    return cand
                return None
        return None

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

    def _citation(self, cand: Candidate, excerpt: tuple[int, int]) -> Citation:
        chunk = cand.hit.chunk
        doc = self.data.documents[chunk.doc_id]
        return Citation(
            source=doc.source, title=doc.title, date=doc.date, passage=chunk.text,
            start=chunk.start, end=chunk.end,
            highlight=(max(excerpt[0], chunk.start) - chunk.start, min(excerpt[1], chunk.end) - chunk.start),
            score=round(float(cand.score), 4),
        )


def _grow(start: int, count: int, fits, value) -> tuple[int, int]:
    """Grow the window ``[start, start]`` of ``count`` items one neighbour at a time, taking the
    side whose item has the higher ``value`` (the later one on ties), while ``fits(lo, hi)``."""
    lo = hi = start
    while True:
        options = []
        if lo > 0 and fits(lo - 1, hi):
            options.append((value(lo - 1), lo - 1, hi))
        if hi + 1 < count and fits(lo, hi + 1):
            options.append((value(hi + 1) + 1e-6, lo, hi + 1))
        if not options:
            return lo, hi
        _, lo, hi = max(options)


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
    if kind == "description":
        return 0.0
    q = normalize(question)
    spans = [m.group(0) for m in find_typed_spans(key, kind) if normalize(m.group(0)) not in q]
    if not spans:
        return 0.0
    unit = asked_unit(q) if kind == "number" else None
    if unit is None or any(unit in sp for sp in spans):
        return 1.0
    return 0.5


def _slot_weights(question: str, boost: float = 2.0, skip_question_words: bool = False) -> dict[str, float]:
    """Each word bigram of the question, weighted ``1 + boost·e^(-d/3)`` where ``d`` is its distance
    to the question word (the slot the answer fills); question words themselves are left out when
    ``skip_question_words``."""
    asked = [False] * len(question)
    slots = []
    for m in _QUESTION_WORDS.finditer(question):
        if skip_question_words:
            asked[m.start() : m.end()] = [True] * (m.end() - m.start())
        if _WORD_CHAR.match(m.group(0)):
            slots.append((m.start() + m.end()) / 2)
    weights: dict[str, float] = {}
    for i in range(len(question) - 1):
        pair = question[i : i + 2]
        if asked[i] or asked[i + 1] or not (_WORD_CHAR.match(pair[0]) and _WORD_CHAR.match(pair[1])):
            continue
        weight = 1.0 + (boost * math.exp(-min(abs(i + 1 - p) for p in slots) / 3) if slots else 0.0)
        weights[pair] = max(weights.get(pair, 0.0), weight)
    return weights


def pick_span(sentence: str, kind: str | None, question: str, key: str | None = None) -> str | None:
    """The short answer inside ``sentence``: the typed span nearest to the words the question shares."""
    if kind in (None, "list", "description"):
        return None
    q = normalize(question)
    key = to_simplified(sentence) if key is None else key
    spans = [m for m in find_typed_spans(key, kind) if normalize(m.group(0)) not in q]
    if kind == "number" and (unit := asked_unit(q)):
        spans = [m for m in spans if unit in m.group(0)] or spans
    if not spans:
        return None
    near_slot = _slot_weights(q)
    matched = [near_slot.get(key[i : i + 2], 0.0) for i in range(len(key) - 1)]

    def run_before(pos: int) -> float:
        """Weight of the run of question words ending just before ``pos`` (one char of gap allowed)."""
        best = 0.0
        for gap in (0, 1):
            i, total = pos - 2 - gap, 0.0
            while i >= 0 and matched[i]:
                total += matched[i]
                i -= 1
            best = max(best, total - gap)
        return best

    def run_after(pos: int) -> float:
        best = 0.0
        for gap in (0, 1):
            i, total = pos + gap, 0.0
            while i < len(matched) and matched[i]:
                total += matched[i]
                i += 1
            best = max(best, total - gap)
        return best

    anchors = [i for i, m in enumerate(matched) if m]

    def distance(m) -> float:
        # Chinese puts the figure right after what it counts ("市级孵化器15家"): the longest run of
        # question words just before the span wins, then one just after, then plain nearness.
        near = 0
        if anchors:
            before = [m.start() - (a + 2) for a in anchors if a + 2 <= m.start()]
            after = [2 * (a - m.end()) + 1 for a in anchors if a >= m.end()]
            near = min(before + after, default=len(key))
        return -max(run_before(m.start()), 0.8 * run_after(m.end())) * 100 + near

    best = min(spans, key=distance)
    return sentence[best.start() : best.end()].strip()


def _abstain(question: str, reason: str, confidence: float) -> Answer:
    return Answer(question, "", None, True, min(confidence, 0.5), False, [], reason)
