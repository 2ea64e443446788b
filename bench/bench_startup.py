"""How long `qa ask` takes from a cold process, against the floor: loading the two models and
answering one question. Prints medians over several fresh processes, and the ratio.

    .venv/bin/python bench/bench_startup.py [--runs 5] [--index index]

Each figure is a separate fresh Python process, so imports and model loads are counted every time
(the operating system's file cache is warm after the first run, as it is for a user).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "北京经开区有多少家市级孵化器?"

# The floor: the two models loaded (embedding + reader) and one question encoded and read,
# without the index, the retriever or the CLI.
MODELS_ONLY = f"""
import time
t = time.perf_counter()
from qa.embedding import Encoder
from qa.reader import DEFAULT_READER, Passage, Reader
enc = Encoder(); enc.encode([{QUESTION!r}])
reader = Reader(DEFAULT_READER); reader.warm_up()
reader.run({QUESTION!r}, [Passage("d", 0, "北京经开区共有15家市级孵化器。")])
print(time.perf_counter() - t)
"""

# Where a `qa ask` process spends its time, step by step.
STEPS = f"""
import time
marks = [("start", time.perf_counter())]
from qa.config import Settings
from qa.answering import Engine
marks.append(("import qa", time.perf_counter()))
engine = Engine(Settings.from_env(index_dir=INDEX_DIR), build_if_missing=False)
marks.append(("load index", time.perf_counter()))
engine.encoder.encode(["x"])
marks.append(("load encoder", time.perf_counter()))
engine.reader.warm_up()
marks.append(("load reader", time.perf_counter()))
engine.answer({QUESTION!r})
marks.append(("first answer", time.perf_counter()))
print(";".join(f"{{name}}={{b - a:.3f}}" for (_, a), (name, b) in zip(marks, marks[1:])))
"""


def _run(args: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - started, out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--index", default=str(ROOT / "index"))
    args = p.parse_args()
    py = sys.executable
    _run([py, "-m", "qa.cli", "ask", "--index", args.index, QUESTION])  # warm the file cache

    ask, floor, bare = [], [], []
    steps: dict[str, list[float]] = {}
    for _ in range(args.runs):
        ask.append(_run([py, "-m", "qa.cli", "ask", "--index", args.index, QUESTION])[0])
        wall, out = _run([py, "-c", MODELS_ONLY])
        floor.append(wall)
        bare.append(_run([py, "-c", "pass"])[0])
        _, out = _run([py, "-c", STEPS.replace("INDEX_DIR", repr(args.index))])
        for part in out.strip().split(";"):
            name, value = part.split("=")
            steps.setdefault(name, []).append(float(value))

    med = statistics.median
    print(f"runs: {args.runs} fresh processes each (medians)")
    print(f"python start-up alone:                    {med(bare):6.2f} s")
    print(f"two models loaded + one question read:    {med(floor):6.2f} s   (the floor)")
    print(f"`qa ask` whole command:                   {med(ask):6.2f} s")
    print(f"ratio qa ask / floor:                     {med(ask) / med(floor):6.2f}")
    print("inside `qa ask`: " + ", ".join(f"{k} {med(v):.2f} s" for k, v in steps.items()))


if __name__ == "__main__":
    main()
