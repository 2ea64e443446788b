"""Fit how the answer span is chosen and when the reader answers, on the dev split; print figures.

    python bench/calibrate_reader.py [--reader models/reader] [--write] [--limit N]

Each data set's dev split is indexed as one corpus. Every dev question is asked twice: as is
(answerable), and with every passage of its own article withheld from retrieval (the articles no
longer answer it; the right output is to abstain). For each reading, every span the reader proposes
is described by its evidence (``qa/span_evidence.py``). Two things are fitted:

* the ranking: weights over the evidence such that the best-scored span matches the reference
  answers best (a conditional logit over each question's spans, target char-F1 squared, fitted on
  the answerable questions);
* the confidence: a logistic fit of "the chosen span's sentence holds a reference answer" on the
  ranking score, the reader's margin and the word coverage (withheld questions count as wrong), and
  the threshold on it that maximises the utility +1 for a right answer or a right abstention, -1
  for a wrong answer or an answer to a withheld question, 0 for abstaining on an answerable one.

Every figure printed for a rule is held out: fitted on one half of the dev articles and measured on
the other half, both ways. The kept rule is then fitted on all dev articles; ``--write`` stores it
in the reader's ``calibration.json``. The precision/recall curve printed is:

* answer recall: share of answerable questions answered;
* answer precision: share of answered answerable questions whose answer sentence holds a reference;
* abstention precision / recall: share of abstentions that were on withheld questions / share of
  withheld questions abstained on.
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

CONFIDENCE = ("rank", "margin", "coverage")
GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
LATENCY: list[float] = []


@dataclass
class Asked:
    """One dev question asked once: its spans' evidence (rows, in FEATURES order) and labels."""

    dataset: str
    article: str
    withheld: bool
    evidence: np.ndarray
    em: np.ndarray
    f1: np.ndarray
    sentence_hit: np.ndarray


def run_dataset(folder: Path, dataset: str, reader: str | None, limit: int) -> list[Asked]:
    from qa.answering import READ_SENTENCES, Engine
    from qa.building import build_index
    from qa.config import Settings
    from qa.evaluation import answer_hit, corpus_index_dir, load_questions
    from qa.metrics import char_f1, exact_match
    from qa.span_evidence import FEATURES, weigh

    questions, documents = load_questions(folder)
    settings = Settings.from_env(reader=reader)
    settings = Settings.from_env(index_dir=corpus_index_dir(documents, settings), reader=reader)
    build_index(settings, documents=documents, progress=False)
    engine = Engine(settings, build_if_missing=False)
    data = engine.data
    titles = {d.source: d.title for d in documents}
    out = []
    for q in questions[: limit or None]:
        others = [s for s in titles if titles[s] != titles[q.source]]
        for withheld, sources in ((False, None), (True, others)):
            began = time.perf_counter()
            _, ranked, windows = engine.evidence(engine.query(q.question), 5, sources)
            weighed = weigh(engine.read(q.question, windows), data, q.question, ranked, READ_SENTENCES)
            if not withheld:
                LATENCY.append((time.perf_counter() - began) * 1000)
            texts = [data.documents[w.span.doc_id].text for w in weighed]
            out.append(Asked(
                dataset, titles[q.source], withheld,
                np.array([[w.evidence.get(f) for f in FEATURES] for w in weighed]).reshape(-1, len(FEATURES)),
                np.array([exact_match(t[w.span.start:w.span.end], q.answers) for w, t in zip(weighed, texts)]),
                np.array([char_f1(t[w.span.start:w.span.end], q.answers) for w, t in zip(weighed, texts)]),
                np.array([answer_hit(t[w.sentence[0]:w.sentence[1]], q.answers) and not withheld
                          for w, t in zip(weighed, texts)], dtype=bool)))
    return out


def fit_ranking(asked: list[Asked], columns: list[int], l2: float = 1e-2) -> np.ndarray:
    """Weights (raw units) of a conditional logit that puts the spans with high char-F1 first."""
    from scipy.optimize import minimize

    groups = [(a.evidence[:, columns], a.f1 ** 2) for a in asked if not a.withheld and a.f1.sum() > 0]
    stacked = np.concatenate([x for x, _ in groups])
    mean, scale = stacked.mean(0), stacked.std(0) + 1e-9
    groups = [((x - mean) / scale, t / t.sum()) for x, t in groups]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for x, t in groups:
            z = x @ w
            top = z.max()
            p = np.exp(z - top)
            norm = p.sum()
            total += t @ z - top - np.log(norm)
            grad += x.T @ (t - p / norm)
        return -total / len(groups) + l2 * w @ w, -grad / len(groups) + 2 * l2 * w

    return minimize(loss, np.zeros(len(columns)), jac=True, method="L-BFGS-B").x / scale


def fit_logistic(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Weights of P(y=1) = sigmoid(X·w + bias), by Newton's method (bias last)."""
    X = np.concatenate([X, np.ones((len(X), 1))], axis=1)
    w = np.zeros(X.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-X @ w))
        hess = X.T @ (X * (p * (1 - p))[:, None]) + 1e-6 * np.eye(X.shape[1])
        w -= np.linalg.solve(hess, X.T @ (p - y))
    return w


@dataclass
class Rule:
    """A fitted rule: ranking weights over evidence columns, confidence weights (bias last), threshold."""

    columns: list[int]
    rank: np.ndarray
    confidence: np.ndarray
    threshold: float

    def chosen(self, a: Asked) -> int | None:
        return int(np.argmax(a.evidence[:, self.columns] @ self.rank)) if len(a.evidence) else None

    def confidence_inputs(self, a: Asked, i: int) -> np.ndarray:
        from qa.span_evidence import FEATURES

        rank = float(a.evidence[i, self.columns] @ self.rank)
        return np.array([rank] + [a.evidence[i, FEATURES.index(f)] for f in CONFIDENCE[1:]])

    def probability(self, a: Asked) -> float:
        i = self.chosen(a)
        if i is None:
            return 0.0
        z = self.confidence_inputs(a, i) @ self.confidence[:-1] + self.confidence[-1]
        return float(1 / (1 + np.exp(-z)))


def utility(asked: list[Asked], rule: Rule, probs: list[float], t: float) -> float:
    """+1 right answer or right abstention, -1 wrong answer or answer to a withheld question."""
    total = 0
    for a, p in zip(asked, probs):
        if a.withheld:
            total += -1 if p >= t else 1
        elif p >= t:
            i = rule.chosen(a)
            total += 1 if i is not None and a.sentence_hit[i] else -1
    return total / max(len(asked), 1)


def fit(asked: list[Asked], columns: list[int]) -> Rule:
    """The ranking, then the confidence and its threshold, fitted on ``asked``."""
    rule = Rule(columns, fit_ranking(asked, columns) if columns else np.zeros(0), np.zeros(len(CONFIDENCE) + 1), 0.5)
    picked = [(a, rule.chosen(a)) for a in asked]
    picked = [(a, i) for a, i in picked if i is not None]
    X = np.array([rule.confidence_inputs(a, i) for a, i in picked])
    y = np.array([float(a.sentence_hit[i]) for a, i in picked])
    rule.confidence = fit_logistic(X, y)
    probs = [rule.probability(a) for a in asked]
    rule.threshold = float(max(GRID, key=lambda g: (utility(asked, rule, probs, g), -abs(g - 0.5))))
    return rule


def figures(asked: list[Asked], rule: Rule) -> dict[str, float]:
    """EM, F1 and sentence hit of the chosen span over answerable questions, without abstaining
    and with it, the share answered, and the utility."""
    mine = [a for a in asked if not a.withheld]
    probs = [rule.probability(a) for a in mine]
    picks = [rule.chosen(a) for a in mine]
    got = [(a.em[i], a.f1[i], a.sentence_hit[i]) if i is not None else (0, 0, 0) for a, i in zip(mine, picks)]
    kept = [g if p >= rule.threshold else (0, 0, 0) for g, p in zip(got, probs)]
    out = dict(zip(("em", "f1", "sentence"), np.mean(got, axis=0)))
    out.update(zip(("em_abstaining", "f1_abstaining", "sentence_abstaining"), np.mean(kept, axis=0)))
    out["answered"] = float(np.mean([p >= rule.threshold for p in probs]))
    out["utility"] = utility(asked, rule, [rule.probability(a) for a in asked], rule.threshold)
    return out


def held_out(asked: list[Asked], columns: list[int]) -> dict[str, dict[str, float]]:
    """Figures per data set, each half of the dev articles scored by the rule fitted on the other."""
    halves = [[a for a in asked if reader_data.is_dev("half", a.article) == (h == 0)] for h in (0, 1)]
    out = {}
    for dataset in reader_data.SETS:
        parts = []
        for h in (0, 1):
            rule = fit(halves[h], columns)
            other = [a for a in halves[1 - h] if a.dataset == dataset]
            parts.append((len([a for a in other if not a.withheld]), figures(other, rule)))
        total = sum(n for n, _ in parts)
        out[dataset] = {k: sum(n * f[k] for n, f in parts) / total for k in parts[0][1]}
    return out


def curve(asked: list[Asked], rule: Rule, t: float) -> dict[str, float]:
    probs = [rule.probability(a) for a in asked]
    answerable = [(a, p) for a, p in zip(asked, probs) if not a.withheld]
    answered = [a for a, p in answerable if p >= t]
    abstained = [a for a, p in zip(asked, probs) if p < t]
    withheld = [p for a, p in zip(asked, probs) if a.withheld]
    return {
        "answer_recall": len(answered) / max(len(answerable), 1),
        "answer_precision": sum(bool(a.sentence_hit[rule.chosen(a)]) for a in answered) / max(len(answered), 1),
        "abstain_precision": sum(a.withheld for a in abstained) / max(len(abstained), 1),
        "abstain_recall": sum(p < t for p in withheld) / max(len(withheld), 1),
        "utility": utility(asked, rule, probs, t),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reader", default=str(ROOT / "models" / "reader"))
    p.add_argument("--limit", type=int, default=0, help="questions per data set (0: all)")
    p.add_argument("--write", action="store_true", help="store the calibration beside the reader")
    args = p.parse_args()
    from qa.span_evidence import FEATURES

    started = time.time()
    asked: list[Asked] = []
    with tempfile.TemporaryDirectory() as tmp:
        reader_data.write_split(Path(tmp))
        for dataset in reader_data.SETS:
            asked += run_dataset(Path(tmp) / dataset, dataset, args.reader, args.limit)
    print(f"{len(asked)} readings ({sum(a.withheld for a in asked)} with the article withheld) in "
          f"{time.time() - started:.0f} s; median {np.median(LATENCY):.0f} ms per question")
    rules = {"the reader's top span": [], "margin + coverage": [FEATURES.index("margin"), FEATURES.index("coverage")],
             "all evidence": list(range(len(FEATURES)))}
    print("held out (fitted on one half of the dev articles, measured on the other, both ways):")
    kept = "all evidence"
    for name, columns in rules.items():
        for dataset, f in held_out(asked, columns).items():
            print(f"  {name:22s} {dataset:9s} no abstention: EM {f['em']:.3f} F1 {f['f1']:.3f} sentence "
                  f"{f['sentence']:.3f} | abstaining: answered {f['answered']:.3f} EM {f['em_abstaining']:.3f} "
                  f"F1 {f['f1_abstaining']:.3f} sentence {f['sentence_abstaining']:.3f} utility {f['utility']:.3f}")
    rule = fit(asked, rules[kept])
    weights = dict(zip((FEATURES[c] for c in rule.columns), rule.rank.round(4).tolist()))
    confidence = dict(zip(CONFIDENCE, rule.confidence[:-1].round(4).tolist()))
    print(f"kept: {kept}; rank = {weights}; confidence = sigmoid({confidence} + {rule.confidence[-1]:.3f})")
    print("confidence ≥  ans.recall  ans.precision  abst.precision  abst.recall  utility")
    for g in GRID[::2].tolist() + [rule.threshold]:
        c = curve(asked, rule, g)
        mark = "  <- kept" if g == rule.threshold else ""
        print(f"{g:12.3f}  {c['answer_recall']:10.3f}  {c['answer_precision']:13.3f}  "
              f"{c['abstain_precision']:14.3f}  {c['abstain_recall']:11.3f}  {c['utility']:7.3f}{mark}")
    if args.write:
        path = Path(args.reader) / "calibration.json"
        path.write_text(json.dumps({
            "rank": weights, "confidence": confidence, "bias": round(float(rule.confidence[-1]), 4),
            "answer_above": rule.threshold, "conflict_gap": 3.0,
            "fitted_on": "dev split of CMRC 2018 dev + DRCD dev: answerable and article-withheld questions "
                         "(bench/calibrate_reader.py)"}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"written: {path}")


if __name__ == "__main__":
    main()
