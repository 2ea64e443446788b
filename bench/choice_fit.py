"""Fit the choice rule on readings, and measure it held out.

The readings (``dev_readings.py``) are the dev questions as the answer path read them. The rule
fitted is the answer path's own ``qa.choosing.Calibration``, measured through its own ``score``
and ``probability``, so the figures printed are those of the rule the answer path applies. It has
three parts:

* the ranking: weights over evidence features, fitted as a conditional logit over each
  question's spans (target char-F1 squared) on answerable readings;
* the confidence: a logistic fit of "the chosen span's sentence holds a reference answer" on the
  ranking score and the chosen span's evidence (``CONFIDENCE``); readings of questions the
  articles do not answer (article withheld, or a near miss: the answer's sentences cut out of the
  windows) count as wrong, and weigh ``NEGATIVE_WEIGHT`` together against one answerable reading;
* the threshold on that confidence that maximises the utility, so weighted (averaged over
  neighbouring thresholds, see ``steady_threshold``): +1 for a right answer or a right abstention,
  -1 for a wrong answer or an answer to a withheld question, 0 for abstaining on an answerable one.

A second rule of the same three parts is fitted on the readings taken again with every window
(``Readings.wider``); it decides the questions the first rule abstains on (``two_pass``).
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass, replace

import numpy as np

import reader_data
from dev_readings import Asked, Readings
from qa.choosing import Calibration
from qa.span_evidence import FEATURES

# What the confidence weighs: the ranking score and the span's evidence. Measured against
# ("rank", "margin", "coverage") with near misses in the fit: fewer of them answered at the same
# answer rate (docs/reader-log.md, "Near misses"). best_in_sentence is left out: it is 1 for
# nearly every chosen span, a second bias.
CONFIDENCE = ("rank", "margin", "coverage", "sentence_words", "focus", "sentence_score", "top_sentence",
              "read_sentence", "sentence_best")
# The kinds of reading a rule is fitted on (every kind is measured): as is, article withheld, near miss.
FIT_KINDS = ("asked", "article", "sentence")
# How much the unanswerable readings of a question weigh together against its answerable one.
# 0.3 answers as many answerable dev questions as the rule fitted without near misses did (held
# out, 8 halvings: 0.865 / 0.894 against 0.868 / 0.885); 1 abstains on a fifth of them.
NEGATIVE_WEIGHT = 0.3
GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
SMOOTH = 2  # grid steps either side averaged when the threshold is picked (0: the bare argmax)


def columns(evidence: np.ndarray, features: list[str]) -> np.ndarray:
    """The evidence columns of the named features."""
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


def fit_logistic(X: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> np.ndarray:
    """Weights of P(y=1) = sigmoid(X·w + bias), by Newton's method (bias last); ``weight``: each
    row's weight (default 1)."""
    X = np.concatenate([X, np.ones((len(X), 1))], axis=1)
    c = np.ones(len(X)) if weight is None else weight
    w = np.zeros(X.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-X @ w))
        hess = X.T @ (X * (c * p * (1 - p))[:, None]) + 1e-6 * np.eye(X.shape[1])
        w -= np.linalg.solve(hess, X.T @ (c * (p - y)))
    return w


def weights(asked: list[Asked]) -> np.ndarray:
    """Each reading's weight: 1 for a question asked as is; the unanswerable readings of one
    question share ``NEGATIVE_WEIGHT``, whatever their kinds (article withheld, near miss), so the
    two sides weigh as set however many ways the questions were withheld."""
    kinds = {a.kind for a in asked if a.withheld}
    return np.array([NEGATIVE_WEIGHT / len(kinds) if a.withheld else 1.0 for a in asked])


def chosen(rule: Calibration, a: Asked) -> int | None:
    """Index of the span the rule picks (the first of equals, as the answer path's stable sort)."""
    scores = [rule.score(e) for e in a.spans]
    return int(np.argmax(scores)) if scores else None


def pick(rule: Calibration, a: Asked) -> tuple[int | None, float]:
    """The span the rule picks in one reading and its confidence in it (0 when there is none)."""
    i = chosen(rule, a)
    return i, 0.0 if i is None else rule.probability(a.spans[i])


def decide(rule: Calibration, asked: list[Asked]) -> list[tuple[int | None, float]]:
    """For each reading, the span the rule picks and its confidence in it."""
    return [pick(rule, a) for a in asked]


def right(a: Asked, i: int | None) -> bool:
    """Whether the picked span's sentence holds a reference answer."""
    return i is not None and bool(a.sentence_hit[i])


def gain(a: Asked, i: int | None, p: float, t: float) -> int:
    """+1 right answer or right abstention, -1 wrong answer or answer to a withheld question, 0 for
    abstaining on an answerable one."""
    if a.withheld:
        return -1 if p >= t else 1
    if p >= t:
        return 1 if right(a, i) else -1
    return 0


def utility(asked: list[Asked], picks: list[tuple[int | None, float]], t: float,
            w: np.ndarray | None = None) -> float:
    """The mean gain over the readings at threshold ``t``, weighted (``w``: their ``weights``,
    computed here when not given)."""
    w = weights(asked) if w is None else w
    return float(sum(c * gain(a, i, p, t) for c, a, (i, p) in zip(w, asked, picks)) / max(w.sum(), 1e-9))


def fit_with_reread(readings: Readings, features: list[str]) -> Calibration:
    """The rule fitted on the readings, with its ``reread`` rule fitted on the wider readings (none
    when the dump has no wider readings)."""
    rule = fit(readings.asked, features)
    return replace(rule, reread=fit(readings.widened, features)) if readings.wider is not None else rule


def fit(asked: list[Asked], features: list[str]) -> Calibration:
    """The ranking, then the confidence and its threshold, fitted on ``asked``; weights are
    rounded to 4 decimals before anything is measured, so the figures are those of the rule written.
    Only readings of ``FIT_KINDS`` are fitted on."""
    asked = [a for a in asked if a.kind in FIT_KINDS]
    ranking = fit_ranking(asked, features) if features else np.zeros(0)
    rank = {f: round(float(w), 4) for f, w in zip(features, ranking)}
    rule = Calibration(rank=rank, confidence={})
    picked = [(a, chosen(rule, a), c) for a, c in zip(asked, weights(asked))]
    picked = [(a, i, c) for a, i, c in picked if i is not None]
    X = np.array([[rule.score(a.spans[i])] + [a.spans[i].get(f) for f in CONFIDENCE[1:]] for a, i, _ in picked])
    y = np.array([float(a.sentence_hit[i]) for a, i, _ in picked])
    w = fit_logistic(X, y, np.array([c for *_, c in picked])).round(4)
    rule = replace(rule, confidence=dict(zip(CONFIDENCE, w[:-1].tolist())), bias=float(w[-1]))
    return replace(rule, answer_above=steady_threshold(asked, decide(rule, asked)))


def steady_threshold(asked: list[Asked], picks: list[tuple[int | None, float]], reach: int = SMOOTH) -> float:
    """The grid threshold whose utility, averaged with its ``reach`` neighbours either side, is
    highest (ties: the one nearest 0.5). The utility curve is flat near its top, so its bare
    argmax moves with a handful of questions; the average keeps the pick in the plateau's middle."""
    w = weights(asked)
    values = np.array([utility(asked, picks, g, w) for g in GRID])
    smooth = np.convolve(np.pad(values, reach, mode="edge"), np.ones(2 * reach + 1) / (2 * reach + 1), mode="valid")
    best = max(range(len(GRID)), key=lambda k: (round(float(smooth[k]), 9), -abs(GRID[k] - 0.5)))
    return float(GRID[best])


@dataclass(frozen=True)
class Outcome:
    """What a rule did with one reading: the picked span's EM, F1 and sentence hit (0 when the
    reader proposed nothing; what it gives without abstaining), whether it answered, its gain."""

    em: float
    f1: float
    sentence: float
    answered: bool
    gain: int


Pick = tuple[Asked, "int | None", float, float]  # the reading decided on, span picked, confidence, threshold


def two_pass(readings: Readings, first: list[Calibration], second: list[Calibration] | None) -> list[Pick]:
    """Each question's pick as the answer path makes it: by its rule (``first[k]``) on its reading;
    when that abstains and there is a wider reading, by the reread rule (``second[k]``) on it if
    that one answers."""
    out = []
    wider = readings.wider or [None] * len(readings.asked)
    for k, (a, w) in enumerate(zip(readings.asked, wider)):
        rule = first[k]
        i, p = pick(rule, a)
        if p < rule.answer_above and w is not None and second is not None:
            j, q = pick(second[k], w)
            if q >= second[k].answer_above:
                out.append((w, j, q, second[k].answer_above))
                continue
        out.append((a, i, p, rule.answer_above))
    return out


def outcomes(picks: list[Pick]) -> list[Outcome]:
    """Each pick's outcome, in order."""
    out = []
    for a, i, p, t in picks:
        got = (a.em[i], a.f1[i], a.sentence_hit[i]) if i is not None else (0, 0, 0)
        out.append(Outcome(*map(float, got), p >= t, gain(a, i, p, t)))
    return out


def summarize(asked: list[Asked], done: list[Outcome]) -> dict[str, float]:
    """EM, F1 and sentence hit over answerable questions, without abstaining and with it, the
    share answered, and the utility (over all readings)."""
    mine = [o for a, o in zip(asked, done) if not a.withheld]
    got = np.array([(o.em, o.f1, o.sentence) for o in mine]).reshape(-1, 3)
    kept = got * np.array([o.answered for o in mine], dtype=float).reshape(-1, 1)
    out = dict(zip(("em", "f1", "sentence"), got.mean(axis=0).tolist()))
    out.update(zip(("em_abstaining", "f1_abstaining", "sentence_abstaining"), kept.mean(axis=0).tolist()))
    out["answered"] = float(np.mean([o.answered for o in mine]))
    for kind in ("article", "sentence"):
        theirs = [o.answered for a, o in zip(asked, done) if a.kind == kind]
        out[f"{kind}_answered"] = float(np.mean(theirs)) if theirs else float("nan")
    w = weights(asked)
    out["utility"] = float(sum(c * o.gain for c, o in zip(w, done)) / max(w.sum(), 1e-9))
    return out


def first_half(article: str, halving: int = 0) -> bool:
    """Which half of the dev articles an article falls in, for held-out figures (one in two;
    ``reader_data.is_dev`` takes one in seven). Halving 0 is the split the model card's figures
    use; each other number draws the halves anew."""
    return reader_data.one_in(f"half/{article}" if halving == 0 else f"half{halving}/{article}", 2)


def add_halvings(parser: argparse.ArgumentParser) -> None:
    """Give a bench script the ``--halvings N`` option: held-out figures over N draws of the halves
    (``first_half``), at least one; 1, the default, is the model card's split."""
    def count(text: str) -> int:
        if not text.isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
        return int(text)

    parser.add_argument("--halvings", type=count, default=1,
                        help="average the held-out figures over this many draws of the two halves of the dev "
                             "articles (default 1: the model card's split)")


def held_out_outcomes(readings: Readings, features: list[str], halving: int = 0) -> list[Outcome]:
    """Each question's outcome under the rules (and reread rules) fitted on the other half of the
    dev articles, halved as ``first_half(…, halving)`` says."""
    asked = readings.asked
    half = [first_half(a.article, halving) for a in asked]
    if len(set(half)) < 2:
        raise SystemExit("choice_fit: every reading is on one half of the dev articles; nothing to hold out "
                         "(ask more questions: a larger --limit)")
    rules = {h: fit_with_reread(Readings(readings.windows, [a for a, x in zip(asked, half) if x == h],
                                         None if readings.wider is None else
                                         [w for w, x in zip(readings.wider, half) if x == h]), features)
             for h in (True, False)}
    first = [rules[not h] for h in half]
    second = [rule.reread for rule in first] if readings.wider is not None else None
    return outcomes(two_pass(readings, first, second))  # type: ignore[arg-type]


def held_out(readings: Readings, features: list[str], halvings: int = 1) -> dict[str, dict[str, float]]:
    """Figures per data set, each half of the dev articles scored by the rule fitted on the other;
    with several ``halvings``, the mean of the figures over that many draws of the halves (which
    steadies the part of a figure that comes from where the halves happen to fall)."""
    asked = readings.asked
    per_halving = []
    for halving in range(halvings):
        done = held_out_outcomes(readings, features, halving)
        per_halving.append({dataset: summarize([a for a in asked if a.dataset == dataset],
                                               [o for a, o in zip(asked, done) if a.dataset == dataset])
                            for dataset in reader_data.SETS})
    return {dataset: {k: float(np.mean([h[dataset][k] for h in per_halving])) for k in per_halving[0][dataset]}
            for dataset in reader_data.SETS}


def curve(asked: list[Asked], picks: list[tuple[int | None, float]], t: float) -> dict[str, float]:
    """Answer recall and precision, abstention precision and recall, and utility at threshold ``t``,
    given the rule's picks (``decide``)."""
    return figures([(a, i, p, t) for a, (i, p) in zip(asked, picks)])


def figures(picks: list[Pick]) -> dict[str, float]:
    """Answer recall and precision, abstention precision and recall, and utility of the picks, each
    answered when its confidence reaches its threshold."""
    answered = [right(a, i) for a, i, p, t in picks if not a.withheld and p >= t]
    answerable = sum(not a.withheld for a, *_ in picks)
    w = weights([a for a, *_ in picks])
    abstained = [(c, a.withheld) for c, (a, i, p, t) in zip(w, picks) if p < t]
    withheld = [(c, p < t) for c, (a, i, p, t) in zip(w, picks) if a.withheld]
    return {
        "answer_recall": len(answered) / max(answerable, 1),
        "answer_precision": sum(answered) / max(len(answered), 1),
        "abstain_precision": sum(c * x for c, x in abstained) / max(sum(c for c, _ in abstained), 1e-9),
        "abstain_recall": sum(c * x for c, x in withheld) / max(sum(c for c, _ in withheld), 1e-9),
        "utility": float(sum(c * gain(a, i, p, t) for c, (a, i, p, t) in zip(w, picks)) / max(w.sum(), 1e-9)),
    }
