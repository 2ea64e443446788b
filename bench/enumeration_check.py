"""What moving a counting question's answer within its enumeration (``qa/enumerations.py``) does;
prints the figures.

    python bench/enumeration_check.py [--split dev|all|none] [--seeds]

Each data set's split is indexed as one corpus (``--split all``: the whole CMRC 2018 and DRCD dev
folders, whose non-dev part the reader was trained on); ``--seeds`` also asks the seed questions
against the built index, and the questions of ``bench/data/enumeration-questions.jsonl`` (most
listed figures of the seed articles, each asked for by its label; written after the rule's first
form, which they measured held out: 14 → 18 of 22; three later changes were chosen on them).
Every question that counts (多少, 几) is asked with the move off and on; the script prints span
EM, char-F1 and span hit (the span holds a reference answer) for both, and each question whose
span the move changed.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import reader_data  # noqa: E402

SEEDS = [ROOT.parent / "shared" / "bench" / "seed-dev.jsonl", ROOT / "bench" / "data" / "enumeration-questions.jsonl"]


def run_set(path: Path) -> None:
    """Ask the counting questions of the benchmark at ``path`` with the move off and on; print the figures."""
    import qa.choosing
    from qa.answering import Engine
    from qa.benchmark_files import load_questions
    from qa.config import Settings
    from qa.enumerations import asked_phrase
    from qa.evaluation import index_corpus, span_holds_answer
    from qa.metrics import char_f1, exact_match

    questions, documents = load_questions(path)
    settings = Settings.from_env() if documents is None else index_corpus(documents)
    engine = Engine(settings, build_if_missing=False)
    counting = [q for q in questions if q.source and asked_phrase(q.question)]
    totals = {state: [0.0, 0.0, 0] for state in ("off", "on")}
    changed = []
    for q in counting:
        spans = {}
        for state in ("off", "on"):
            qa.choosing.CHECK_ENUMERATIONS = state == "on"
            a = engine.answer(q.question, 5)
            span = None if a.abstained else a.span
            spans[state] = span
            totals[state][0] += exact_match(span, q.answers)
            totals[state][1] += char_f1(span, q.answers)
            totals[state][2] += span_holds_answer(span, q.answers)
        if spans["off"] != spans["on"]:
            changed.append(f"    {q.id}: {spans['off']} -> {spans['on']} (reference {' | '.join(q.answers)})")
    qa.choosing.CHECK_ENUMERATIONS = True
    n = max(len(counting), 1)
    print(f"{path.name}: {len(counting)} counting questions of {len(questions)}; EM / char-F1 / span hit")
    for state, (em, f1, hit) in totals.items():
        print(f"  move {state:3}  {em / n:.3f} / {f1 / n:.3f} / {hit:4d}")
    print(f"  spans changed: {len(changed)}")
    print("\n".join(changed))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--split", choices=("dev", "all", "none"), default="dev")
    p.add_argument("--seeds", action="store_true", help="also the seed questions, against the built index")
    args = p.parse_args()
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        if args.split != "none":
            for folder in reader_data.benchmark_folders(args.split, Path(tmp)).values():
                run_set(folder)
    if args.seeds:
        for path in SEEDS:
            run_set(path)
    print(f"({time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
