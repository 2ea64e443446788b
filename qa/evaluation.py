"""Measure retrieval and answers on a benchmark file or a passages/questions folder.

A JSONL file is asked against the index in ``QA_INDEX_DIR``; a folder's passages are first indexed
into a temporary index (``benchmark_files`` reads both formats).
"""
from __future__ import annotations

import hashlib
import json
import statistics
import tempfile
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from .benchmark_files import Question, load_questions
from .chinese import to_simplified
from .config import Settings
from .types import Answer, Document

MAX_ANSWER_CHARS = 200


@dataclass
class Report:
    """Figures of one evaluation run."""

    questions: int = 0
    answerable: int = 0
    recall_at_1: float = 0.0
    recall_at_5: float = 0.0
    mrr: float = 0.0
    answer_hit_at_1: float = 0.0
    span_em: float = 0.0
    span_f1: float = 0.0
    span_hit: float = 0.0
    first_citation_right: float = 0.0
    abstention_precision: float | None = None
    abstention_recall: float | None = None
    wrongly_abstained: int = 0
    longest_answer: int = 0
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def to_text(self) -> str:
        def pct(v: float | None) -> str:
            return "n/a" if v is None else f"{v:.3f}"

        return "\n".join([
            f"questions            {self.questions} ({self.answerable} answerable)",
            f"recall@1             {pct(self.recall_at_1)}",
            f"recall@5             {pct(self.recall_at_5)}",
            f"MRR                  {pct(self.mrr)}",
            f"sentence hit@1       {pct(self.answer_hit_at_1)}",
            f"span EM              {pct(self.span_em)}",
            f"span char-F1         {pct(self.span_f1)}",
            f"span hit             {pct(self.span_hit)}",
            f"first citation right {pct(self.first_citation_right)}",
            f"abstention precision {pct(self.abstention_precision)}",
            f"abstention recall    {pct(self.abstention_recall)}",
            f"wrongly abstained    {self.wrongly_abstained}",
            f"longest answer       {self.longest_answer} chars",
            f"latency p50 / p95    {self.latency_p50_ms:.1f} / {self.latency_p95_ms:.1f} ms",
        ])


def norm(text: str) -> str:
    """Comparison form: NFKC, simplified, no white space, lower case."""
    return "".join(to_simplified(unicodedata.normalize("NFKC", text)).split()).lower()


def span_holds_answer(span: str | None, answers: list[str]) -> bool:
    """The short answer contains a reference answer."""
    return bool(span) and any(norm(a) in norm(span) for a in answers if norm(a))


def answer_hit(text: str, answers: list[str]) -> bool:
    """The answer text (at most 200 characters) contains a reference answer."""
    if not text or len(text) > MAX_ANSWER_CHARS:
        return False
    t = norm(text)
    return any(norm(a) and norm(a) in t for a in answers)


def corpus_index_dir(documents: list[Document], settings: Settings) -> Path:
    """A temporary index folder for a benchmark's passages (kept between runs, keyed by content)."""
    digest = hashlib.sha256()
    for d in documents:
        digest.update(d.id.encode())
    from .store import FORMAT_VERSION

    digest.update(f"{settings.model}|{settings.chunk_size}|{settings.chunk_overlap}|{FORMAT_VERSION}".encode())
    return Path(tempfile.gettempdir()) / "qa-eval" / digest.hexdigest()[:16]


def index_corpus(documents: list[Document], index_dir: Path | None = None, reader: str | None = None,
                 progress: bool = False) -> Settings:
    """Index a benchmark's passages (into ``corpus_index_dir`` unless ``index_dir`` is given; an
    unchanged corpus is not embedded again) and return the settings that open that index."""
    from .building import build_index

    settings = Settings.from_env(index_dir=index_dir, reader=reader)
    settings = Settings.from_env(index_dir=index_dir or corpus_index_dir(documents, settings), reader=reader)
    build_index(settings, documents=documents, progress=progress)
    return settings


def evaluate(path: Path, top_k: int = 5, limit: int | None = None, index_dir: Path | None = None,
             progress: bool = True, on_answer: Callable[[Question, Answer], None] | None = None,
             reader: str | None = None) -> Report:
    """Ask every question of the benchmark at ``path`` and score the answers.

    Args:
        path: a JSONL file (asked against ``index_dir``) or a passages/questions folder (indexed first).
        top_k: passages cited per answer.
        limit: only the first questions.
        index_dir: the index for a JSONL file.
        progress: show progress bars.
        on_answer: called with each question and its answer.
        reader: the span reader folder, ``none``, or None for ``QA_READER`` / the shipped one.
    """
    from .metrics import char_f1, exact_match

    from .answering import Engine

    questions, documents = load_questions(path)
    if limit:
        questions = questions[:limit]
    if documents is None:
        settings = Settings.from_env(index_dir=index_dir, reader=reader)
    else:
        settings = index_corpus(documents, index_dir, reader, progress)
    engine = Engine(settings)
    report = Report(questions=len(questions))
    r1 = r5 = rr = hit = span_hit = cite = 0
    em = f1 = 0.0
    abstained_right = abstained_all = unanswerable = 0
    latencies = []
    iterator = questions
    if progress:
        from tqdm import tqdm

        iterator = tqdm(questions, desc="questions", unit="q")
    for q in iterator:
        started = time.perf_counter()
        answer, hits = engine.answer_and_hits(q.question, top_k, depth=10)
        latencies.append((time.perf_counter() - started) * 1000)
        if on_answer:
            on_answer(q, answer)
        report.longest_answer = max(report.longest_answer, len(answer.text))
        abstained_all += answer.abstained
        if q.source is None:
            unanswerable += 1
            abstained_right += answer.abstained
            if not answer.abstained:
                report.misses.append(miss(q, answer, "answered, though the articles do not answer it"))
            continue
        report.answerable += 1
        sources: list[str] = []
        for h in hits:
            s = engine.data.documents[h.chunk.doc_id].source
            if s not in sources:
                sources.append(s)
        if q.source in sources:
            rank = sources.index(q.source)
            r1 += rank == 0
            r5 += rank < 5
            rr += 1 / (rank + 1)
        ok = answer_hit(answer.text, q.answers)
        hit += ok
        short = None if answer.abstained else (answer.spans[0].text if answer.spans else answer.span)
        em += exact_match(short, q.answers)
        f1 += char_f1(short, q.answers)
        span_right = span_holds_answer(answer.span, q.answers)
        span_hit += span_right
        cite += bool(answer.citations) and answer.citations[0].source == q.source
        report.wrongly_abstained += answer.abstained
        if answer.abstained:
            report.misses.append(miss(q, answer, "abstained"))
        elif not ok:
            report.misses.append(miss(q, answer, "wrong sentence"))
        elif not span_right:
            report.misses.append(miss(q, answer, "wrong span"))
    n = max(report.answerable, 1)
    report.recall_at_1, report.recall_at_5, report.mrr = r1 / n, r5 / n, rr / n
    report.answer_hit_at_1, report.span_hit, report.first_citation_right = hit / n, span_hit / n, cite / n
    report.span_em, report.span_f1 = em / n, f1 / n
    report.abstention_precision = abstained_right / abstained_all if abstained_all else None
    report.abstention_recall = abstained_right / unanswerable if unanswerable else None
    if latencies:
        ordered = sorted(latencies)
        report.latency_p50_ms = statistics.median(ordered)
        report.latency_p95_ms = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return report


def miss(q: Question, answer: Answer, kind: str) -> dict[str, Any]:
    """One question answered wrongly, as ``--show-misses`` prints it: what was asked, expected, and got."""
    return {"id": q.id, "miss": kind, "question": q.question, "answers": q.answers,
            "got": answer.text[:MAX_ANSWER_CHARS], "span": answer.span, "abstained": answer.abstained}


def report_json(report: Report) -> str:
    return json.dumps(asdict(report), ensure_ascii=False, indent=1)
