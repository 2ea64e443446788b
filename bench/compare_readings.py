"""Compare readers question by question on the same dev readings; print each difference with its
95% interval.

    python bench/compare_readings.py SHIPPED.pkl OTHER.pkl [MORE.pkl ...]

Each file is a dump of dev readings written by ``calibrate_reader.py --readings FILE`` (the same
questions in the same order, one dump per reader). For every dump the choice rule is fitted and
measured held out, as ``calibrate_reader.py`` does (all the evidence), and each question's outcome
is compared with the first dump's on the same question: EM, F1 and sentence hit without abstaining
(answerable questions), and the utility (every reading), per data set and over both. The interval
comes from resampling whole dev articles (2,000 draws), because questions on one article stand or
fall together; a difference whose interval spans zero is not one this dev split can tell apart from
chance. With ``--halvings N`` each question's outcome is its mean over N draws of the two halves the
rules are fitted on, so a difference does not rest on where one draw happened to split the articles.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import reader_data  # noqa: E402
from choice_fit import add_halvings, held_out_outcomes  # noqa: E402
from dev_readings import Readings, load_readings  # noqa: E402

# (label, measured on every reading rather than on the answerable ones), in per_question's column order
METRICS = (("em", False), ("f1", False), ("sentence", False), ("utility", True))


def per_question(readings: Readings, halvings: int = 1) -> np.ndarray:
    """Rows of (em, f1, sentence, gain) per question, under the held-out rule over all evidence
    (reading again when it abstains, where the dump holds the wider readings); with several
    ``halvings``, each question's mean over that many draws of the halves."""
    from qa.span_evidence import FEATURES

    return np.mean([[(o.em, o.f1, o.sentence, o.gain) for o in held_out_outcomes(readings, list(FEATURES), h)]
                    for h in range(halvings)], axis=0)


def interval(diff: np.ndarray, articles: np.ndarray, draws: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95% interval of the mean of ``diff``, resampling whole articles."""
    names, groups = np.unique(articles, return_inverse=True)
    sums = np.bincount(groups, weights=diff, minlength=len(names))
    counts = np.bincount(groups, minlength=len(names))
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(names), size=(draws, len(names)))
    means = sums[picks].sum(axis=1) / np.maximum(counts[picks].sum(axis=1), 1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def difference(label: str, base: np.ndarray, other: np.ndarray, groups: np.ndarray) -> str:
    """``label``'s mean before and after, the mean difference with its 95% interval (resampling
    ``groups``), and how many questions got better / worse; ``base`` and ``other`` are paired."""
    diff = other - base
    low, high = interval(diff, groups)
    return (f"{label} {base.mean():.3f} -> {other.mean():.3f} ({diff.mean():+.3f} [{low:+.3f}, {high:+.3f}], "
            f"{(diff > 0).sum()}/{(diff < 0).sum()})")


def described(readings: Readings) -> str:
    """How a dump was read, in words."""
    again = ", read again with every window when abstaining" if readings.wider is not None else ""
    return f"read through {readings.windows}{again}"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dumps", type=Path, nargs="+", help="readings dumps; the first is the one compared against")
    add_halvings(p)
    args = p.parse_args()
    if len(args.dumps) < 2:
        raise SystemExit("compare_readings: give at least two readings dumps")
    loaded = [load_readings(path) for path in args.dumps]
    keys = [[(a.dataset, a.article, a.withheld) for a in r.asked] for r in loaded]
    if any(k != keys[0] for k in keys[1:]):
        raise SystemExit("compare_readings: the dumps do not hold the same questions in the same order")
    first = loaded[0].asked
    articles = np.array([f"{a.dataset}/{a.article}" for a in first])
    answerable = np.array([not a.withheld for a in first])
    rows = [per_question(r, args.halvings) for r in loaded]
    over = f", averaged over {args.halvings} halvings" if args.halvings > 1 else ""
    print(f"against {args.dumps[0]}, {described(loaded[0])} (held out{over}; difference [95% interval over "
          "articles], questions better / worse):")
    for path, row, readings in zip(args.dumps[1:], rows[1:], loaded[1:]):
        print(f"{path}, {described(readings)}:")
        for dataset in (*reader_data.SETS, "both"):
            mine = np.array([dataset == "both" or a.dataset == dataset for a in first])
            parts = []
            for m, (label, every) in enumerate(METRICS):
                keep = mine if every else mine & answerable
                parts.append(difference(label, rows[0][keep, m], row[keep, m], articles[keep]))
            print(f"  {dataset:9s} " + "; ".join(parts))


if __name__ == "__main__":
    main()
