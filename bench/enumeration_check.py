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

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from switch_check import ask_both, main, print_figures  # noqa: E402

SEEDS = [ROOT.parent / "shared" / "bench" / "seed-dev.jsonl", ROOT / "bench" / "data" / "enumeration-questions.jsonl"]


def run_set(path: Path) -> None:
    """Ask the counting questions of the benchmark at ``path`` with the move off and on; print the figures."""
    import qa.choosing
    from qa.answering import Engine
    from qa.benchmark_files import load_questions
    from qa.config import Settings
    from qa.enumerations import asked_phrase
    from qa.evaluation import index_corpus

    questions, documents = load_questions(path)
    settings = Settings.from_env() if documents is None else index_corpus(documents)
    engine = Engine(settings, build_if_missing=False)
    counting = [(q, q.question) for q in questions if q.source and asked_phrase(q.question)]
    totals, changed = ask_both(engine, counting, lambda on: setattr(qa.choosing, "CHECK_ENUMERATIONS", on))
    print_figures(f"{path.name}: {len(counting)} counting questions of {len(questions)}", "move", len(counting),
                  totals, changed)


if __name__ == "__main__":
    main(__doc__, run_set, SEEDS)
