"""Fit the choice rule on readings, and measure it held out.

A reading is one question asked once, with the evidence of every span the reader proposed
(``qa/span_evidence.py``) and how well each span matches the reference. The rule has three parts:

* the ranking: weights over evidence features, fitted as a conditional logit over each
  question's spans (target char-F1 squared) on answerable readings;
* the confidence: a logistic fit of "the chosen span's sentence holds a reference answer" on the
  ranking score, the reader's margin and the word coverage (readings with the article withheld
  count as wrong);
* the threshold on that confidence that maximises the utility: +1 for a right answer or a right
  abstention, -1 for a wrong answer or an answer to a withheld question, 0 for abstaining on an
  answerable one.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import reader_data

CONFIDENCE = ("rank", "margin", "coverage")
GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


@dataclass
class Asked:
    """One question asked once: its spans' evidence (rows, in FEATURES order) and labels."""

    dataset: str
    article: str
    withheld: bool
    evidence: np.ndarray
    em: np.ndarray
    f1: np.ndarray
    sentence_hit: np.ndarray


def columns(evidence: np.ndarray, features: list[str]) -> np.ndarray:
    """The evidence columns of the named features."""
    from qa.span_evidence import FEATURES

    return evidence[:, [FEATURES.index(name) for name in features]]


def fit_ranking(asked: list[Asked], features: list[str], l2: float = 1e-2) -> np.ndarray:
    """Weights (raw units) of a conditional logit that puts the spans with high char-F1 first."""
    from scipy.optimize import minimize

    groups = [(columns(a.evidence, features), a.f1 ** 2) for a in asked if not a.withheld and a.f1.sum() > 0]
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

    return minimize(loss, np.zeros(len(features)), jac=True, method="L-BFGS-B").x / scale


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
    """A fitted rule: ranking weights over evidence features, confidence weights (bias last), threshold."""

    features: list[str]
    rank: np.ndarray
    confidence: np.ndarray
    threshold: float

    def scores(self, a: Asked) -> np.ndarray:
        """The ranking score of each of the reading's spans."""
        return columns(a.evidence, self.features) @ self.rank if self.features else np.zeros(len(a.evidence))

    def chosen(self, a: Asked) -> int | None:
        return int(np.argmax(self.scores(a))) if len(a.evidence) else None

    def confidence_inputs(self, a: Asked, i: int) -> np.ndarray:
        from qa.span_evidence import FEATURES

        return np.array([self.scores(a)[i]] + [a.evidence[i, FEATURES.index(f)] for f in CONFIDENCE[1:]])

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


def fit(asked: list[Asked], features: list[str]) -> Rule:
    """The ranking, then the confidence and its threshold, fitted on ``asked``."""
    ranking = fit_ranking(asked, features) if features else np.zeros(0)
    rule = Rule(features, ranking, np.zeros(len(CONFIDENCE) + 1), 0.5)
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


def held_out(asked: list[Asked], features: list[str]) -> dict[str, dict[str, float]]:
    """Figures per data set, each half of the dev articles scored by the rule fitted on the other."""
    halves = [[a for a in asked if reader_data.is_dev("half", a.article) == (h == 0)] for h in (0, 1)]
    out = {}
    for dataset in reader_data.SETS:
        parts = []
        for h in (0, 1):
            rule = fit(halves[h], features)
            other = [a for a in halves[1 - h] if a.dataset == dataset]
            parts.append((len([a for a in other if not a.withheld]), figures(other, rule)))
        total = sum(n for n, _ in parts)
        out[dataset] = {k: sum(n * f[k] for n, f in parts) / total for k in parts[0][1]}
    return out


def curve(asked: list[Asked], rule: Rule, t: float) -> dict[str, float]:
    """Answer recall and precision, abstention precision and recall, and utility at threshold ``t``."""
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
