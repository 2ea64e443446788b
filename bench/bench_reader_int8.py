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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--reader", default=None)
    args = ap.parse_args()
    import torch

    from qa.answering import READ_CHUNKS, Engine
    from qa.chinese import to_simplified
    from qa.config import Settings
    from qa.reader import MAX_LENGTH, STRIDE, Reader
    from train_reader import evaluate

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
        passages = engine.evidence(engine.query(q), READ_CHUNKS).windows
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
    windows = argparse.Namespace(max_length=MAX_LENGTH, stride=STRIDE)  # as answer() reads
    for name, reader in (("float32", fp32), ("int8", int8)):
        figures = evaluate(reader.model, reader.tokenizer, windows)
        print(f"{name:8s} dev split, passage given: " +
              " | ".join(f"{d} EM {f['em']:.3f} F1 {f['f1']:.3f}" for d, f in figures.items()), flush=True)


if __name__ == "__main__":
    main()
