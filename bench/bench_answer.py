"""Answer latency: warm ``answer()`` p50/p95 on the seed index, next to its two model calls alone:
embedding the question, and the reader's forward pass over the same windows ``answer()`` reads (both
sets of windows for a question it reads again after abstaining).

    python bench/bench_answer.py [--index DIR] [--rounds 5] [--reader DIR]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def host() -> str:
    """The CPU this run measured on (model, cores, widest vector instructions): the same code runs
    about 2.5x slower on some hosts of this workplace, so a figure needs its machine."""
    import os
    import platform

    info = Path("/proc/cpuinfo").read_text(encoding="utf-8") if Path("/proc/cpuinfo").exists() else ""
    fields: dict[str, str] = {}
    for line in info.splitlines():  # the first core's lines
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    model = fields.get("model name") or platform.processor() or "unknown CPU"
    flags = set(fields.get("flags", "").split())
    vector = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    return f"{model}, {os.cpu_count()} cores, {vector}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", default=None)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--reader", default=None)
    ap.add_argument("--read-gap", type=float, help="qa.answering.READ_GAP (default: as shipped)")
    args = ap.parse_args()
    import qa.answering
    from qa.answering import READ_CHUNKS, Engine
    from qa.chinese import normalize, to_simplified
    from qa.config import Settings

    if args.read_gap is not None:
        qa.answering.READ_GAP = args.read_gap
    engine = Engine(Settings.from_env(index_dir=args.index, reader=args.reader))
    if engine.reader is None:
        sys.exit("no reader: this benchmark measures the reader path")
    questions = [json.loads(line)["question"] for line in
                 (ROOT.parent / "shared" / "bench" / "seed-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    for q in questions:  # warm up: model, jieba, caches
        engine.answer(q)
    features: dict[str, list] = {}
    for q in questions:  # the windows answer() reads (twice when it reads again), encoded once
        found = engine.evidence(engine.query(q), READ_CHUNKS)
        _, read = engine.choose(q, found)
        passes = [found] if read is found else [found, read]
        features[q] = [engine.reader.encode(to_simplified(q), e.windows) for e in passes if e.windows]
    answer_ms, embed_ms, forward_ms, windows, tokens = [], [], [], [], []
    for _ in range(args.rounds):
        for q in questions:
            t = time.perf_counter()
            engine.encoder.encode([normalize(q)])
            embed_ms.append((time.perf_counter() - t) * 1000)
            if features[q]:
                t = time.perf_counter()
                for batch in features[q]:
                    engine.reader.forward(batch)
                forward_ms.append((time.perf_counter() - t) * 1000)
                windows.append(sum(len(batch["input_ids"]) for batch in features[q]))
                tokens.append(sum(len(ids) for batch in features[q] for ids in batch["input_ids"]))
            t = time.perf_counter()
            engine.answer(q)
            answer_ms.append((time.perf_counter() - t) * 1000)
    a50, a95 = statistics.median(answer_ms), percentile(answer_ms, 0.95)
    e50, f50 = statistics.median(embed_ms), statistics.median(forward_ms)
    print(f"host: {host()}")
    print(f"questions: {len(questions)} x {args.rounds} rounds; reader windows per question: "
          f"median {statistics.median(windows):.0f}, at most {max(windows)}; padded tokens read per question: median "
          f"{statistics.median(tokens):.0f}; read again with every window: {sum(len(f) > 1 for f in features.values())} "
          "questions")
    print(f"answer()  p50 {a50:.1f} ms   p95 {a95:.1f} ms  (target p50 <= 200 ms)")
    print(f"embed question alone  median {e50:.1f} ms")
    print(f"reader forward pass alone (same windows)  median {f50:.1f} ms")
    print(f"ratio answer p50 / forward median: {a50 / f50:.2f}  (target <= 1.5)")
    print(f"ratio answer p50 / (embed + forward) medians: {a50 / (e50 + f50):.2f}")


if __name__ == "__main__":
    main()
