"""Answer latency: warm ``answer()`` p50/p95 on the seed index next to embedding the question alone.

    python bench/bench_answer.py [--index DIR] [--rounds 5]
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", default=None)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    from qa.answering import Engine
    from qa.chinese import normalize
    from qa.config import Settings

    engine = Engine(Settings.from_env(index_dir=args.index))
    questions = [json.loads(line)["question"] for line in
                 (ROOT.parent / "shared" / "bench" / "seed-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    for q in questions:  # warm up: model, jieba, caches
        engine.answer(q)
    answer_ms, embed_ms = [], []
    for _ in range(args.rounds):
        for q in questions:
            t = time.perf_counter()
            engine.encoder.encode([normalize(q)])
            embed_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            engine.answer(q)
            answer_ms.append((time.perf_counter() - t) * 1000)
    a50, a95 = statistics.median(answer_ms), percentile(answer_ms, 0.95)
    e50 = statistics.median(embed_ms)
    print(f"questions: {len(questions)} x {args.rounds} rounds")
    print(f"answer()  p50 {a50:.1f} ms   p95 {a95:.1f} ms")
    print(f"embed question alone  median {e50:.1f} ms")
    print(f"ratio answer p50 / embed median: {a50 / e50:.2f}  (target <= 1.5)")


if __name__ == "__main__":
    main()
