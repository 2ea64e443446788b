"""Calibrate when the reader answers, on the dev split, and print the precision/recall curve.

    python bench/calibrate_reader.py [--reader models/reader] [--write]

Each data set's dev split is indexed as one corpus. Every dev question is asked twice: as is
(answerable), and with every passage of its own article withheld from retrieval (the articles no
longer answer it; the right output is to abstain). The confidence is a logistic fit, over those
readings, of "answered with a sentence holding a reference answer" on the reader's margin (best
span score minus no-answer score), with or without the share of the question's words found around
the span; the form kept is the one that does better on held-out halves of the dev articles (fitted
on one half, scored on the other). The threshold on the confidence maximises the utility +1 for a
right answer or a right abstention, -1 for a wrong answer or an answer to a withheld question, 0
for abstaining on an answerable one. It prints, for each threshold:

* answer recall: share of answerable questions answered;
* answer precision: share of answered answerable questions whose answer sentence holds a reference;
* abstention precision / recall: share of abstentions that were on withheld questions / share of
  withheld questions abstained on.

``--write`` stores the fit and the threshold in the reader's ``calibration.json``.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import reader_data  # noqa: E402


@dataclass
class Row:
    dataset: str
    article: str
    withheld: bool
    margin: float
    coverage: float
    sentence_hit: bool
    em: float
    f1: float


def run_dataset(folder: Path, dataset: str, reader: str | None, limit: int) -> list[Row]:
    from qa.answering import Engine
    from qa.building import build_index
    from qa.config import Settings
    from qa.evaluation import answer_hit, corpus_index_dir, load_questions
    from qa.metrics import char_f1, exact_match

    questions, documents = load_questions(folder)
    settings = Settings.from_env(reader=reader)
    settings = Settings.from_env(index_dir=corpus_index_dir(documents, settings), reader=reader)
    build_index(settings, documents=documents, progress=False)
    engine = Engine(settings, build_if_missing=False)
    titles = {d.source: d.title for d in documents}
    by_title: dict[str, list[str]] = {}
    for source, title in titles.items():
        by_title.setdefault(title, []).append(source)
    rows = []
    for q in questions[: limit or None]:
        article = titles[q.source]
        others = [s for s in titles if titles[s] != article]
        for withheld, sources in ((False, None), (True, others)):
            began = time.perf_counter()
            answer, _ = engine.answer_and_hits(q.question, 5, sources)
            if not withheld:
                LATENCY.append((time.perf_counter() - began) * 1000)
            best = answer.spans[0] if answer.spans else None
            margin = best.margin if best else float("-inf")
            sentence = engine.data.documents[best.doc_id].text[best.sentence[0]:best.sentence[1]] if best else ""
            text = best.text if best else None
            rows.append(Row(dataset, article, withheld, margin, best.coverage if best else 0.0,
                            answer_hit(sentence, q.answers) and not withheld,
                            exact_match(text, q.answers), char_f1(text, q.answers)))
    return rows


def utility(rows: list[Row], probs: np.ndarray, t: float) -> float:
    """+1 right answer or right abstention, -1 wrong answer or answer to a withheld question."""
    total = 0
    for r, p in zip(rows, probs):
        answered = p >= t
        if r.withheld:
            total += -1 if answered else 1
        elif answered:
            total += 1 if r.sentence_hit else -1
    return total / max(len(rows), 1)


LATENCY: list[float] = []
GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


def features(rows: list[Row], with_coverage: bool) -> np.ndarray:
    margins = np.array([r.margin if np.isfinite(r.margin) else -20.0 for r in rows])
    cols = [margins, np.array([r.coverage for r in rows])] if with_coverage else [margins]
    return np.stack(cols, axis=1)


def fit(rows: list[Row], with_coverage: bool) -> tuple[np.ndarray, float]:
    """Logistic weights (last one the bias) and the confidence threshold of best utility."""
    X = features(rows, with_coverage)
    y = np.array([float(r.sentence_hit) for r in rows])
    w = fit_logistic(X, y)
    probs = predict(X, w)
    t = float(max(GRID, key=lambda g: (utility(rows, probs, g), -abs(g - 0.5))))
    return w, t


def predict(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(X @ w[:-1] + w[-1])))


def curve(rows: list[Row], probs: np.ndarray, t: float) -> dict[str, float]:
    answerable = [(r, p) for r, p in zip(rows, probs) if not r.withheld]
    withheld = [(r, p) for r, p in zip(rows, probs) if r.withheld]
    answered = [r for r, p in answerable if p >= t]
    abstained = [r for r, p in zip(rows, probs) if p < t]
    return {
        "threshold": float(t),
        "answer_recall": len(answered) / max(len(answerable), 1),
        "answer_precision": sum(r.sentence_hit for r in answered) / max(len(answered), 1),
        "abstain_precision": sum(r.withheld for r in abstained) / max(len(abstained), 1),
        "abstain_recall": sum(p < t for _, p in withheld) / max(len(withheld), 1),
        "utility": utility(rows, probs, t),
    }


def fit_logistic(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Weights of P(y=1) = sigmoid(X·w + bias), by Newton's method (bias last)."""
    X = np.concatenate([X, np.ones((len(X), 1))], axis=1)
    w = np.zeros(X.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-X @ w))
        grad = X.T @ (p - y)
        hess = X.T @ (X * (p * (1 - p))[:, None]) + 1e-6 * np.eye(X.shape[1])
        w -= np.linalg.solve(hess, grad)
    return w


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reader", default=str(ROOT / "models" / "reader"))
    p.add_argument("--limit", type=int, default=0, help="questions per data set (0: all)")
    p.add_argument("--write", action="store_true", help="store the calibration beside the reader")
    p.add_argument("--sentences", type=int, help="sentences read per question (default: qa.answering's)")
    p.add_argument("--width", type=int, help="characters per window (default: qa.answering's)")
    args = p.parse_args()
    from qa import answering

    answering.READ_SENTENCES = args.sentences or answering.READ_SENTENCES
    answering.WINDOW_CHARS = args.width or answering.WINDOW_CHARS
    print(f"reading windows of {answering.WINDOW_CHARS} characters around the {answering.READ_SENTENCES} "
          f"best sentences of the {answering.READ_CHUNKS} best chunks")
    started = time.time()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        reader_data.write_split(Path(tmp))
        for dataset in reader_data.SETS:
            rows += run_dataset(Path(tmp) / dataset, dataset, args.reader, args.limit)
    print(f"{len(rows)} readings ({sum(r.withheld for r in rows)} with the article withheld) "
          f"in {time.time() - started:.0f} s; answer() median {np.median(LATENCY):.0f} ms")
    for dataset in reader_data.SETS:
        mine = [r for r in rows if r.dataset == dataset and not r.withheld]
        print(f"{dataset}: reader over retrieved windows, no abstention: EM {np.mean([r.em for r in mine]):.3f}, "
              f"F1 {np.mean([r.f1 for r in mine]):.3f}, sentence hit {np.mean([r.sentence_hit for r in mine]):.3f}")
    halves = [[r for r in rows if reader_data.is_dev("half", r.article) == (h == 0)] for h in (0, 1)]
    held_out = {}
    for with_coverage in (False, True):
        name = "margin + word coverage" if with_coverage else "margin only"
        scores = []
        for h in (0, 1):
            w, t = fit(halves[h], with_coverage)
            other = halves[1 - h]
            scores.append(utility(other, predict(features(other, with_coverage), w), t))
        held_out[with_coverage] = float(np.mean(scores))
        print(f"{name}: fitted on one half of the dev articles, utility on the other half "
              f"{scores[0]:.3f} / {scores[1]:.3f}")
    with_coverage = held_out[True] > held_out[False]
    w, t = fit(rows, with_coverage)
    probs = predict(features(rows, with_coverage), w)
    print(f"kept: {'margin + word coverage' if with_coverage else 'margin only'}; confidence = sigmoid("
          f"{w[0]:.3f} · margin" + (f" + {w[1]:.3f} · coverage" if with_coverage else "") + f" + {w[-1]:.3f})")
    print("confidence ≥  ans.recall  ans.precision  abst.precision  abst.recall  utility")
    for g in GRID[::2].tolist() + [t]:
        c = curve(rows, probs, g)
        mark = "  <- kept" if g == t else ""
        print(f"{c['threshold']:12.3f}  {c['answer_recall']:10.3f}  {c['answer_precision']:13.3f}  "
              f"{c['abstain_precision']:14.3f}  {c['abstain_recall']:11.3f}  {c['utility']:7.3f}{mark}")
    if args.write:
        path = Path(args.reader) / "calibration.json"
        path.write_text(json.dumps({
            "slope": round(float(w[0]), 4), "coverage": round(float(w[1]), 4) if with_coverage else 0.0,
            "bias": round(float(w[-1]), 4), "answer_above": t, "conflict_gap": 3.0,
            "fitted_on": "dev split of CMRC 2018 dev + DRCD dev: answerable and article-withheld questions "
                         "(bench/calibrate_reader.py)"}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"written: {path}")


if __name__ == "__main__":
    main()
