"""Fit the sentence-scoring weights and the abstention threshold on dev data (prints figures).

Features of every candidate sentence are dumped once per question; weights are then searched on
one half of the questions (even positions) and reported on the other half (odd positions), so the
figure quoted is measured on questions the search did not see.

    python bench/tune_extraction.py ../shared/bench/cmrc2018-dev
"""
from __future__ import annotations

import argparse
import itertools
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qa.answering import Engine  # noqa: E402
from qa.building import build_index  # noqa: E402
from qa.config import Settings  # noqa: E402
from qa.evaluation import answer_hit, corpus_index_dir, load_questions  # noqa: E402

FEATURES = ["dense", "lexical", "context", "window", "focus", "focus_window", "kind", "prior"]


def dump(path: Path, limit: int | None, top_k: int):
    questions, documents = load_questions(path)
    settings = Settings.from_env()
    if documents is not None:
        settings = Settings.from_env(index_dir=corpus_index_dir(documents, settings))
        build_index(settings, documents=documents, progress=False)
    engine = Engine(settings)
    rows = []
    random.Random(0).shuffle(questions)
    for q in questions[:limit]:
        query = engine.query(q.question)
        scores = engine.retriever.sentence_scores(query)
        hits = engine.retriever.run(query, top_k, sentence_scores=scores)
        cands = engine.extractor.candidates(query, hits, scores)
        feats = np.array([[c.dense, c.lexical, c.context, c.window, c.focus, c.focus_window, c.kind, 1 / (1 + c.hit_rank)] for c in cands])
        labels = np.array([answer_hit(c.sentence.text, q.answers) for c in cands])
        rows.append((feats, labels, q.source is not None))
    return rows


def hit_rate(rows, w) -> float:
    good = [labels[int(np.argmax(feats @ w))] for feats, labels, ok in rows if ok and len(feats)]
    return float(np.mean(good)) if good else 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", type=Path)
    ap.add_argument("--limit", type=int, default=1200)
    ap.add_argument("-k", type=int, default=5)
    args = ap.parse_args()
    rows = dump(args.path, args.limit, args.k)
    fit, held = rows[::2], rows[1::2]
    ceiling = np.mean([labels.any() for _, labels, ok in rows if ok])
    print(f"{len(rows)} questions; a right sentence among candidates: {ceiling:.3f}")
    # Coordinate ascent from equal weights; dense similarity keeps weight 1 to fix the scale.
    w = np.array([1.0, 0.1, 0.05, 0.1, 0.5, 0.1, 0.1, 0.1])
    steps = [0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0]
    score = hit_rate(fit, w)
    for _ in range(3):
        for i in range(1, len(FEATURES)):
            for value in steps + [-v for v in steps[1:4]]:
                trial = w.copy()
                trial[i] = value
                trial_score = hit_rate(fit, trial)
                if trial_score > score + 1e-9:
                    w, score = trial, trial_score
    best = (score, w)
    print("best weights", dict(zip(FEATURES, best[1].tolist())))
    print(f"answer-sentence hit@1: fit half {best[0]:.3f}, held-out half {hit_rate(held, best[1]):.3f}")


if __name__ == "__main__":
    main()
