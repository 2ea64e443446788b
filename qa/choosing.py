"""Choose the answer among the reader's spans, decide whether to abstain, and spot disagreements.

Each span's evidence (``span_evidence``) is weighed twice, with weights that
``bench/calibrate_reader.py`` fits on the dev split and stores in the reader's
``calibration.json``: a ranking score picks the span (fitted so the picked span matches the
reference answers best), and a confidence, a logistic function of that score and of the span's
evidence, decides whether to answer (fitted on dev questions asked as is, with their article
withheld, and as near misses: their article there, the sentences that state the answer cut out).
The span is answered when its confidence reaches the calibrated threshold; otherwise the answer
abstains. A question that names a year is answered only from a passage that
states it (``years``): the spans of other passages are passed over, and so are spans whose clause
speaks of another year ("1999年成为第一个…, 2009年成为第一个…" asked about 2009). Names likewise
(``names``): a span whose article does not mention a place, organisation or model the question
gives is passed over. A counting question answered with a figure of an enumeration gets the item
whose label names what it counts (``enumerations``). Two articles disagree when the best span is a
figure and a span of another article, scored almost as high, gives a different figure in the same
unit.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .chinese import CLAUSE_BREAK, normalize
from .completing import HEDGE_WORDS
from .enumerations import asked_item, figures, first_item, measured_item
from .names import key as name_key
from .names import given_names, sure_names, unstated_name
from .reader import Reading
from .span_evidence import FEATURES, SpanEvidence, weigh
from .store import IndexData
from .types import Chunk, SpanCandidate
from .windows import RankedSentence
from .years import figure_year, named_years, other_year_in_clause, unstated_year

# Check a span's passage for the question's years, and its clause for another year
# (bench/year_check.py measures both; off to measure without).
CHECK_YEARS = True
CHECK_CLAUSE_YEARS = True
# Move a counting question's answer to the figure of its enumeration whose label names what is
# counted (bench/enumeration_check.py measures it; off to measure without).
CHECK_ENUMERATIONS = True
# Answer a question that names a place, organisation or model (or a person a retrieved article
# names) only from an article that names it too (bench/name_check.py; off to measure without).
CHECK_NAMES = True

_NUMERALS = "0-9０-９一二三四五六七八九十百千万亿两零〇"
_FIGURE = re.compile(rf"[{_NUMERALS}]")
_FIGURES = re.compile(rf"[{_NUMERALS}.．]+")  # runs of numerals, decimal points inside
# What may stand before a figure without changing it: the hedges a completed span carries, and totals.
_QUALIFIERS = re.compile(r"^(" + HEDGE_WORDS + r"|多达|高达|达|共|累计|仅)")


@dataclass(frozen=True)
class Calibration:
    """The decision rule, fitted on the dev split.

    rank score = Σ ``rank[f]`` · evidence f; confidence = sigmoid(Σ ``confidence[f]`` · f + ``bias``),
    where f is an evidence field or ``"rank"`` (the rank score). The best-ranked span is answered
    when its confidence is at least ``answer_above``. ``conflict_gap``: how far (in margin) below
    the best span a rival figure may score and still be shown. ``reread``: the rule for a second
    reading with a window around every one of the best sentences, taken when this rule abstains on
    windows around only those close to the best (None: no second reading).
    """

    rank: dict[str, float] = field(default_factory=lambda: {"margin": 1.0})
    confidence: dict[str, float] = field(default_factory=lambda: {"margin": 0.5})
    bias: float = 0.0
    answer_above: float = 0.5
    conflict_gap: float = 3.0
    reread: "Calibration | None" = None

    def __post_init__(self) -> None:
        unknown = (set(self.rank) | set(self.confidence)) - set(FEATURES) - {"rank"}
        if unknown or "rank" in self.rank:
            raise ValueError(f"unknown features in the calibration: {sorted(unknown | ({'rank'} & set(self.rank)))}")

    @classmethod
    def load(cls, folder: Path | None) -> "Calibration":
        """The calibration stored beside a reader's weights, or the defaults when there is none."""
        path = folder / "calibration.json" if folder else None
        if path is None or not path.is_file():
            return cls()
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def from_dict(cls, data: dict) -> "Calibration":
        """The rule a ``calibration.json`` holds (its ``reread`` rule nested in the same form)."""
        kept = {k: data[k] for k in ("rank", "confidence") if k in data}
        if "slope" in data and "rank" not in data:  # the earlier form: sigmoid(slope·margin + coverage·c + bias)
            kept = {"rank": {"margin": float(data["slope"]), "coverage": float(data.get("coverage", 0.0))},
                    "confidence": {"rank": 1.0}}
        kept.update({k: float(data[k]) for k in ("bias", "answer_above", "conflict_gap") if k in data})
        if data.get("reread"):
            kept["reread"] = cls.from_dict(data["reread"])
        return cls(**kept)

    def score(self, evidence: SpanEvidence) -> float:
        """The ranking score: the best-scored span is the answer."""
        return sum(w * evidence.get(name) for name, w in self.rank.items())

    def probability(self, evidence: SpanEvidence) -> float:
        """The calibrated chance that the span's sentence answers the question."""
        score = self.score(evidence)
        z = self.bias + sum(w * (score if name == "rank" else evidence.get(name)) for name, w in self.confidence.items())
        return 1 / (1 + math.exp(-max(min(z, 50.0), -50.0)))


@dataclass
class Choice:
    """The chosen answer span (None when abstaining), a disagreeing span if any, all candidates
    (best-ranked first), and the year the question names that no confident span's passage states
    when that is why it abstained, or else the name it gives that the confident span's article
    does not mention; ``unread`` says why the question was not read at all ("not_chinese",
    "not_a_question", "several_questions"), when it was not; ``yes_no`` marks a question that asks yes or no, answered
    with the best span's sentence and no span (``yes_no.py``)."""

    best: SpanCandidate | None
    rival: SpanCandidate | None
    candidates: list[SpanCandidate] = field(default_factory=list)
    unstated_year: str | None = None
    unstated_name: str | None = None
    unread: str | None = None
    yes_no: bool = False

    @property
    def abstained(self) -> bool:
        return self.best is None

    @property
    def confidence(self) -> float:
        """The best-ranked candidate's probability (0 when the reader proposed nothing)."""
        return self.candidates[0].probability if self.candidates else 0.0


def to_candidates(reading: Reading, data: IndexData, calibration: Calibration, question: str,
                  ranked: list[RankedSentence] | None = None, read_count: int = 3) -> list[SpanCandidate]:
    """The reader's spans in article coordinates, with their sentence, margin, score and
    probability, best-ranked first."""
    out = []
    for weighed in weigh(reading, data, question, ranked, read_count):
        span, ev = weighed.span, weighed.evidence
        doc = data.documents[span.doc_id]
        out.append(SpanCandidate(span.doc_id, doc.source, span.start, span.end, doc.text[span.start:span.end],
                                 weighed.sentence, ev.margin, ev.coverage, calibration.probability(ev),
                                 calibration.score(ev)))
    return sorted(out, key=lambda c: -c.score)


def choose(reading: Reading, data: IndexData, calibration: Calibration, question: str = "",
           ranked: list[RankedSentence] | None = None, read_count: int = 3) -> Choice:
    """The best-ranked span when its calibrated confidence reaches ``answer_above``, else an
    abstention. When the question names a year, the best-ranked span whose passage states it and
    whose clause does not speak of another year."""
    candidates = to_candidates(reading, data, calibration, question, ranked, read_count)
    named = named_years(question)
    years = named if CHECK_YEARS else []
    eligible, unstated, unnamed = candidates, None, None
    confident = bool(candidates) and candidates[0].probability >= calibration.answer_above
    if CHECK_NAMES and candidates:
        lacking = _unnamed(candidates, question, data, ranked or [])
        eligible = [c for c, m in zip(candidates, lacking) if m is None]
        unnamed = lacking[0] if confident else None  # the reason when no span naming it is confident
    if years and candidates:
        chunks: dict[str, list[Chunk]] = {}
        by_sentence: dict[tuple, str | None] = {}
        missing = {id(c): _unstated(c, years, data, chunks, by_sentence) for c in candidates}
        eligible = [c for c in eligible if missing[id(c)] is None
                    and not (CHECK_CLAUSE_YEARS and other_year_in_clause(years, data.documents[c.doc_id].text, c.start, c.end))]
        unstated = missing[id(candidates[0])] if confident else None
    if not eligible or eligible[0].probability < calibration.answer_above:
        return Choice(None, None, candidates, unstated, unnamed)
    best = eligible[0]
    if CHECK_ENUMERATIONS:
        best = asked_figure(best, question, named, data)
    others = [c for c in candidates if (c.doc_id, c.start, c.end) != (best.doc_id, best.start, best.end)]
    return Choice(best, find_rival(best, eligible, calibration), [best] + others)


def asked_figure(best: SpanCandidate, question: str, years: list[str], data: IndexData) -> SpanCandidate:
    """``best``, or the figure of its sentence that the counting question asks for, with ``best``'s
    scores (the sentence is the same): the one figure in the measure word the question names when
    ``best`` lacks it (``enumerations.measured_item``); ``best`` cut to its first figure when it
    runs on into an enumeration's next items (``enumerations.first_item``), or to the figure of the
    year the question names when it holds one of another year (``dated_figure``); then the item of the
    enumeration whose label names what is counted (``enumerations.asked_item``). A figure whose
    clause speaks of another year than the question's ``years`` is not moved to."""
    doc, (a, b) = data.documents[best.doc_id], best.sentence
    measured = measured_item(question, doc.key[a:b], (best.start - a, best.end - a))
    if measured and not other_year_in_clause(years, doc.text, a + measured[0], a + measured[1]):
        start, end = a + measured[0], a + measured[1]
        best = replace(best, start=start, end=end, text=doc.text[start:end])
    if not _FIGURE.search(best.text):
        return best
    dated = dated_figure(best, years, doc.key)
    if dated:
        return replace(best, start=dated[0], end=dated[1], text=doc.text[dated[0]:dated[1]])
    one = first_item(question, doc.key[best.start:best.end], unit(best.text))
    if one:
        best = replace(best, end=best.start + one, text=doc.text[best.start:best.start + one])
    item = asked_item(question, doc.key[a:b], (best.start - a, best.end - a), unit(best.text))
    if item is None:
        return best
    start, end = a + item[0], a + item[1]
    if other_year_in_clause(years, doc.text, start, end):
        return best
    return replace(best, start=start, end=end, text=doc.text[start:end])


def dated_figure(best: SpanCandidate, years: list[str], key: str) -> tuple[int, int] | None:
    """The figure of ``best``'s sentence, in its unit, written right after a year the question
    names (``years.figure_year``), when ``best`` holds a dated figure and is not just that figure:
    "从2014年48.2件提高到2023年262.9件" asked about 2023, a span "…从2014年48.2件" moves to 262.9件
    (asked about 2014, to 48.2件); "1897家增加到2022年的4245家" asked about 2012 to 1897家; of
    several, the nearest. ``key`` is the article's simplified text; offsets in the article; None when
    there is no such figure."""
    if not years:
        return None
    a, b = best.sentence
    items = [(a + s, a + e) for s, e in figures(key[a:b], unit(best.text))]
    dated = {span: figure_year(key, *span) for span in items}
    held = [span for span in items if best.start <= span[0] and span[1] <= best.end and dated[span]]
    if not held or held == [(best.start, best.end)]:
        return None
    asked = [span for span, y in dated.items() if y in years]
    return min(asked, key=lambda span: max(span[0] - best.end, best.start - span[1], 0), default=None)


def _unnamed(candidates: list[SpanCandidate], question: str, data: IndexData,
             ranked: list[RankedSentence]) -> list[str | None]:
    """For each candidate, the first name the question gives (``names.given_names``, as the
    question writes it) that its article (headline and text) does not mention. A sure name
    (``names.sure_names``: a place, organisation or model) always counts; another (a person, a
    word jieba put together) only when an article retrieved for the question mentions it (one of
    the ``ranked`` sentences' or the candidates'): it may be a mis-cut or an alias."""
    names = given_names(question)
    if not names:
        return [None] * len(candidates)
    texts = {}
    for doc_id in [c.doc_id for c in candidates] + [r.sentence.doc_id for r in ranked]:
        if doc_id not in texts:
            doc = data.documents[doc_id]
            texts[doc_id] = name_key(doc.title) + "\n" + doc.key.lower()
    sure = set(sure_names(question))
    known = [n for n in names if n in sure or any(unstated_name([n], t) is None for t in texts.values())]
    asked = name_key(question)
    lacking = [unstated_name(known, texts[c.doc_id]) for c in candidates]
    return [None if n is None else question[asked.find(n):asked.find(n) + len(n)] for n in lacking]


def _unstated(cand: SpanCandidate, years: list[str], data: IndexData, chunks: dict[str, list[Chunk]],
              by_sentence: dict[tuple, str | None]) -> str | None:
    """The first of ``years`` that the passage holding the span (the chunks over its sentence, with
    its article's headline and date) does not state. ``chunks`` and ``by_sentence`` keep each
    article's chunks and each sentence's answer for the spans that follow."""
    key = (cand.doc_id, cand.sentence)
    if key not in by_sentence:
        if cand.doc_id not in chunks:
            chunks[cand.doc_id] = data.chunks_of(cand.doc_id)
        doc, (a, b) = data.documents[cand.doc_id], cand.sentence
        over = [c for c in chunks[cand.doc_id] if c.start < b and c.end > a]
        start, end = min([a] + [c.start for c in over]), max([b] + [c.end for c in over])
        by_sentence[key] = unstated_year(years, f"{doc.title}\n{doc.text[start:end]}", doc.date)
    return by_sentence[key]


def find_rival(best: SpanCandidate, candidates: list[SpanCandidate], calibration: Calibration) -> SpanCandidate | None:
    """A span of another article, scored within ``conflict_gap`` of the best and above the
    threshold, whose sentence holds about as many of the question's words, and that gives a
    different figure in the same unit as the best span; both spans are one figure each."""
    if not _one_figure(best.text):
        return None
    for cand in candidates[1:]:
        if cand.margin < best.margin - calibration.conflict_gap:
            continue
        if cand.probability < calibration.answer_above:
            continue
        if cand.doc_id == best.doc_id or not _one_figure(cand.text) or cand.coverage < 0.9 * best.coverage:
            continue  # a rival speaks of the same thing: its sentence holds the question's words too
        if figure(cand.text) != figure(best.text) and unit(cand.text) == unit(best.text):
            if figure(cand.text) not in figure(best.text) and figure(best.text) not in figure(cand.text):
                return cand
    return None


def _one_figure(span: str) -> bool:
    """True for a span that gives one figure ("1万多家", "约50%"), not a clause holding several
    ("四倍多,從2014年48.2件"): a disagreement is shown figure against figure."""
    return len(_FIGURES.findall(span)) == 1 and not CLAUSE_BREAK.search(span)


def unit(span: str) -> str:
    """The measure word that ends a figure: ``1万多家`` → ``家``."""
    match = re.search(r"([^\d.,%多余万亿千百以上左右之]+)$", normalize(span))
    return match.group(1) if match else normalize(span)[-1:]


def figure(span: str) -> str:
    """Comparable form of a figure: simplified, without hedges (``约50%`` → ``50%``)."""
    return _QUALIFIERS.sub("", normalize(span))
