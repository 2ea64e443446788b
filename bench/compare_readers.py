"""Compare readers question by question with each dev question's passage given; print each
difference with its 95% interval.

    python bench/compare_readers.py models/reader /tmp/other [/tmp/more ...]
    python bench/compare_readers.py models/reader models/reader+/tmp/other    # the mean of two readers' logits

Every reader reads the whole dev split as ``train_reader.py`` measures it after an epoch (its own
passage given, the best span, no abstention, windows as the reader was trained on). Each other
reader's EM and char-F1 are then compared with the first reader's on the same questions: the mean
difference, its 95% interval from resampling whole dev passages (2,000 draws; questions on one
passage stand or fall together), and how many questions got better and worse. This isolates the
reader from retrieval and from the choice rule; ``compare_readings.py`` measures the whole answer
path over retrieved windows.
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
from compare_readings import difference  # noqa: E402

METRICS = ("em", "f1")


def read_dev(spec: Path, sample: int = 0) -> list:
    """The ``DevResult`` for every dev question of the reader in folder ``spec``, or of the mean of
    the readers ``A+B`` names (``sample`` > 0: for a seeded sample of that many, as
    ``train_reader.py --dev-sample``); windows and tokenizer as the first reader was trained."""
    from transformers import AutoTokenizer

    from distill import MeanReader, folders
    from train_reader import dev_results, training_facts, window_shape

    paths = folders(spec)
    tokenizer = AutoTokenizer.from_pretrained(str(paths[0]))
    return dev_results(MeanReader.load(paths), tokenizer, window_shape(training_facts(paths[0])), sample)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("readers", type=Path, nargs="+",
                   help="reader folders (A+B: the mean of their logits); the first is the one compared against")
    p.add_argument("--sample", type=int, default=0, help="dev questions read (0: all)")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    if len(args.readers) < 2:
        raise SystemExit("compare_readers: give at least two reader folders")
    import torch

    torch.set_num_threads(args.threads)
    results = [read_dev(folder, args.sample) for folder in args.readers]
    first = results[0]
    if any([(r.dataset, r.passage_id) for r in res] != [(r.dataset, r.passage_id) for r in first] for res in results):
        raise SystemExit("compare_readers: the readers did not read the same questions")
    passages = np.array([r.passage_id for r in first])
    rows = [np.array([[getattr(r, m) for m in METRICS] for r in res]) for res in results]
    print(f"against {args.readers[0]} (passage given; difference [95% interval over passages], "
          "questions better / worse):")
    for folder, row in zip(args.readers[1:], rows[1:]):
        print(f"{folder}:")
        for dataset in reader_data.SETS:
            mine = np.array([r.dataset == dataset for r in first])
            parts = [difference(label, rows[0][mine, m], row[mine, m], passages[mine])
                     for m, label in enumerate(METRICS)]
            print(f"  {dataset:9s} " + "; ".join(parts))


if __name__ == "__main__":
    main()
