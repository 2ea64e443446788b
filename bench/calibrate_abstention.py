"""Calibrate when to abstain, on dev data (prints figures and the fitted rule).

Positives: CMRC dev questions asked against the full CMRC index (their passage is there).
Negatives: the same questions with their own passage excluded from retrieval — the corpus then
does not answer them, yet holds many related passages, which makes them hard negatives — plus
the seed questions marked unanswerable and a few off-topic questions against the seed index.

The abstention rule is a logistic model on three features of the best candidate sentence
(dense similarity, lexical coverage of the question, coverage of the question's non-topic words);
the threshold is set so that the positives keep at least 97% answered on the fit half, and the
figures are reported on the held-out half.

    python bench/calibrate_abstention.py
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH = ROOT.parent / "shared" / "bench"

from qa.answering import Engine  # noqa: E402
from qa.building import build_index  # noqa: E402
from qa.config import Settings  # noqa: E402
from qa.evaluation import corpus_index_dir, load_questions  # noqa: E402

OFF_TOPIC = ["今天天气怎么样?", "如何做红烧肉?", "世界杯冠军是哪个国家?", "火星上有多少座城市?",
             "量子力学的创始人是谁?", "这款手机多少钱?", "明天股市会涨吗?", "周杰伦的新专辑叫什么?"]


def features(engine: Engine, question: str, sources=None) -> list[float]:
    query = engine.query(question)
    scores = engine.retriever.sentence_scores(query)
    hits = engine.retriever.run(query, 5, sources, sentence_scores=scores)
    cands = engine.extractor.candidates(query, hits, scores)
    if not cands:
        return [0.0, 0.0, 0.0]
    best = cands[0]
    return [best.dense, best.lexical, best.focus]


def main() -> None:
    questions, documents = load_questions(BENCH / "cmrc2018-dev")
    settings = Settings.from_env(index_dir=corpus_index_dir(documents, Settings.from_env()))
    build_index(settings, documents=documents, progress=False)
    engine = Engine(settings)
    all_sources = [d.source for d in documents]
    random.Random(0).shuffle(questions)
    pos, neg = [], []
    for q in questions[:600]:
        pos.append(features(engine, q.question))
        neg.append(features(engine, q.question, [s for s in all_sources if s != q.source]))
    seed_engine = Engine(Settings.from_env())
    seed = [json.loads(line) for line in (BENCH / "seed-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    seed_pos = [features(seed_engine, d["question"]) for d in seed if d["source"]]
    seed_neg = [features(seed_engine, d["question"]) for d in seed if not d["source"]]
    seed_neg += [features(seed_engine, q) for q in OFF_TOPIC]

    from sklearn.linear_model import LogisticRegression

    x = np.array(pos + neg)
    y = np.array([1] * len(pos) + [0] * len(neg))
    fit = np.arange(len(x)) % 2 == 0
    model = LogisticRegression(C=10.0).fit(x[fit], y[fit])
    p_fit = model.predict_proba(x[fit])[:, 1]
    p = model.predict_proba(x)[:, 1]
    held = ~fit
    ps = model.predict_proba(np.array(seed_pos))[:, 1]
    ns = model.predict_proba(np.array(seed_neg))[:, 1]
    print("coefficients (dense, lexical, focus):", np.round(model.coef_[0], 3).tolist(),
          "intercept:", round(float(model.intercept_[0]), 3))
    for share in (0.01, 0.02, 0.03, 0.05):
        # Threshold: the share of answerable fit-half questions we accept to lose.
        threshold = float(np.quantile(p_fit[y[fit] == 1], share))
        print(f"threshold p >= {threshold:.3f} (loses {share:.0%} of answerable fit questions): "
              f"CMRC held-out answered {np.mean(p[held & (y == 1)] >= threshold):.3f}, "
              f"excluded-passage abstained {np.mean(p[held & (y == 0)] < threshold):.3f}; "
              f"seed answered {np.mean(ps >= threshold):.3f} ({len(ps)}), "
              f"seed unanswerable/off-topic abstained {np.mean(ns < threshold):.3f} ({len(ns)})")
    print("seed answerable p:", np.round(np.sort(ps), 2).tolist())
    print("seed negative p:  ", np.round(np.sort(ns), 2).tolist())


if __name__ == "__main__":
    main()
