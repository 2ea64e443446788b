"""What dynamic int8 quantization of the reader would buy and cost: forward-pass time on the windows
``answer()`` reads for the seed questions, and EM / char-F1 on the dev split with the passage given,
float32 and int8 side by side in one run.

    python bench/bench_reader_int8.py [--rounds 5] [--reader DIR]

The int8 reader is ``torch.ao.quantization.quantize_dynamic`` over every linear layer (weights int8,
activations quantized on the fly); nothing is written to disk.
"""
from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def dev_figures(reader) -> dict[str, tuple[float, float]]:
    """EM and char-F1 of the reader's best span per data set, passage given."""
    import reader_data

    from qa.chinese import to_simplified
    from qa.metrics import char_f1, exact_match
    from qa.reader import Passage

    out = {}
    for dataset in reader_data.SETS:
        dev = reader_data.examples(dataset, "dev")
        em = f1 = 0.0
        for ex in dev:
            reading = reader.run(to_simplified(ex.question), [Passage(ex.passage_id, 0, to_simplified(ex.context))], 1)
            pred = ex.context[reading.spans[0].start:reading.spans[0].end] if reading.spans else ""
            em += exact_match(pred, ex.answers)
            f1 += char_f1(pred, ex.answers)
        out[dataset] = (em / len(dev), f1 / len(dev))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--reader", default=None)
    args = ap.parse_args()
    import torch

    from qa.answering import READ_CHUNKS, Engine
    from qa.chinese import to_simplified
    from qa.config import Settings
    from qa.reader import Reader

    engine = Engine(Settings.from_env(reader=args.reader))
    if engine.reader is None:
        sys.exit("no reader: this benchmark measures the reader")
    engine.reader.warm_up()
    fp32 = engine.reader
    int8 = Reader.from_model(torch.ao.quantization.quantize_dynamic(copy.deepcopy(fp32.model), {torch.nn.Linear},
                                                                    dtype=torch.qint8), fp32.tokenizer)
    questions = [json.loads(line)["question"] for line in
                 (ROOT.parent / "shared" / "bench" / "seed-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    features = []
    for q in questions:
        _, _, passages = engine.evidence(engine.query(q), READ_CHUNKS)
        if passages:
            features.append(fp32.encode(to_simplified(q), passages))
    times: dict[str, list[float]] = {"float32": [], "int8": []}
    for f in features:  # warm up both
        fp32.forward(f), int8.forward(f)
    for _ in range(args.rounds):
        for f in features:
            for name, reader in (("float32", fp32), ("int8", int8)):
                t = time.perf_counter()
                reader.forward(f)
                times[name].append((time.perf_counter() - t) * 1000)
    medians = {k: statistics.median(v) for k, v in times.items()}
    print(f"forward pass over the seed questions' windows ({len(features)} x {args.rounds}), median: "
          f"float32 {medians['float32']:.1f} ms, int8 {medians['int8']:.1f} ms, "
          f"ratio {medians['int8'] / medians['float32']:.2f}")
    for name, reader in (("float32", fp32), ("int8", int8)):
        figures = dev_figures(reader)
        print(f"{name:8s} dev split, passage given: " +
              " | ".join(f"{d} EM {em:.3f} F1 {f1:.3f}" for d, (em, f1) in figures.items()), flush=True)


if __name__ == "__main__":
    main()
