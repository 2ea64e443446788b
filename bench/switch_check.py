"""The shared part of the bench scripts that ask questions with one step of the answer path off and
on (``enumeration_check.py``, ``measure_word_check.py``): asking, scoring, printing, and the loop
over the benchmark sets."""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import reader_data  # noqa: E402


def ask_both(engine, asked: list, switch: Callable[[bool], None]) -> tuple[dict[str, list], list[str]]:
    """Ask every (question, text) pair of ``asked`` as ``text``, with ``switch(False)`` then
    ``switch(True)``; the step is left on. Returns the EM, char-F1 and span-hit totals of each
    state, and a line for each question whose span the step changed."""
    from qa.evaluation import span_holds_answer
    from qa.metrics import char_f1, exact_match

    totals = {state: [0.0, 0.0, 0] for state in ("off", "on")}
    changed = []
    for q, text in asked:
        spans = {}
        for state in ("off", "on"):
            switch(state == "on")
            a = engine.answer(text, 5)
            span = None if a.abstained else a.span
            spans[state] = span
            totals[state][0] += exact_match(span, q.answers)
            totals[state][1] += char_f1(span, q.answers)
            totals[state][2] += span_holds_answer(span, q.answers)
        if spans["off"] != spans["on"]:
            shown = f"{q.id}" if text == q.question else f"{q.id} {text}"
            changed.append(f"    {shown}: {spans['off']} -> {spans['on']} (reference {' | '.join(q.answers)})")
    switch(True)
    return totals, changed


def print_figures(title: str, step: str, count: int, totals: dict[str, list], changed: list[str]) -> None:
    """Print ``title``, the EM / char-F1 / span hit of each state of ``step`` over ``count``
    questions, and the changed spans."""
    n = max(count, 1)
    print(f"{title}; EM / char-F1 / span hit")
    for state, (em, f1, hit) in totals.items():
        print(f"  {step} {state:3}  {em / n:.3f} / {f1 / n:.3f} / {hit:4d}")
    print(f"  spans changed: {len(changed)}")
    print("\n".join(changed))


def main(doc: str, run_set: Callable[[Path], None], seeds: list[Path]) -> None:
    """Parse ``--split`` and ``--seeds`` and run ``run_set`` on each benchmark set they name."""
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--split", choices=("dev", "all", "none"), default="dev")
    p.add_argument("--seeds", action="store_true", help="also the seed questions, against the built index")
    args = p.parse_args()
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        if args.split != "none":
            for folder in reader_data.benchmark_folders(args.split, Path(tmp)).values():
                run_set(folder)
    if args.seeds:
        for path in seeds:
            run_set(path)
    print(f"({time.time() - started:.0f} s)")
