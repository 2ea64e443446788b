"""Average the weights of readers fine-tuned from the same base into one reader; print its dev figures.

    python bench/average_readers.py /tmp/base /tmp/cont --out models/reader

Readers fine-tuned from one starting point (here: the 4-epoch reader, and the same reader trained
one more epoch on real + synthetic questions) usually lie in one basin of the loss, and the mean
of their weights tends to generalise better than either ("model soup"). The average is taken in
float32 and written in float16 with the first reader's tokenizer; ``training.json`` keeps every
input's own training facts and the average's dev figures (passage given, as ``train_reader.py``
prints them). Refit the choice rule afterwards: ``python bench/calibrate_reader.py --write``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def average(folders: list[Path]):
    """The first reader's model, holding the mean of all the readers' weights (float32)."""
    import torch
    from transformers import AutoModelForQuestionAnswering

    models = [AutoModelForQuestionAnswering.from_pretrained(str(f), dtype=torch.float32) for f in folders]
    states = [m.state_dict() for m in models]
    if any(s.keys() != states[0].keys() or any(s[k].shape != states[0][k].shape for k in s) for s in states):
        raise SystemExit("average_readers: the readers do not share one architecture")
    mean = {k: sum(s[k] for s in states) / len(states) for k in states[0]}
    models[0].load_state_dict(mean)
    return models[0]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("readers", type=Path, nargs="+", help="reader folders (at least two)")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    if len(args.readers) < 2:
        raise SystemExit("average_readers: give at least two reader folders")
    import torch
    from transformers import AutoTokenizer

    from train_reader import evaluate, save_weights, training_facts, window_shape

    torch.set_num_threads(args.threads)
    model = average(args.readers)
    tokenizer = AutoTokenizer.from_pretrained(str(args.readers[0]))
    facts = [training_facts(f) for f in args.readers]
    figures = evaluate(model, tokenizer, window_shape(facts[0]), 0)
    print(f"dev split, passage given (all questions): {json.dumps(figures, ensure_ascii=False)}", flush=True)
    save_weights(model, tokenizer, args.out, {
        "averaged": [{"folder": str(f), **fact} for f, fact in zip(args.readers, facts)],
        "dev_passage_given": figures})


if __name__ == "__main__":
    main()
