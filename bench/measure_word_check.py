"""What reading a counting question with the measure word the passages use (``enumerations.with_unit``)
does for questions that leave it out; prints the figures.

    python bench/measure_word_check.py [--split dev|all|none] [--seeds]

Every counting question that writes its measure word right after 多少 or 几 ("多少家上市企业") is
asked without it ("多少上市企业"), as users often write, with the step off and on
(``answering.ADD_UNIT``). Each data set's split is indexed as one corpus (``--split all``: the whole
CMRC 2018 and DRCD dev folders, whose non-dev part the reader was trained on); ``--seeds`` also
asks the seed, enumeration, year-figure and follow-up questions against the built index. Prints
span EM, char-F1 and span hit (the span holds a reference answer) for both, and each question whose
span the step changed.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from switch_check import ask_both, main, print_figures  # noqa: E402

DATA = ROOT / "bench" / "data"
SEEDS = [ROOT.parent / "shared" / "bench" / "seed-dev.jsonl", DATA / "enumeration-questions.jsonl",
         DATA / "year-figure-questions.jsonl", DATA / "followup-questions.jsonl"]


def unmeasured(question: str) -> str | None:
    """``question`` without the measure word after its 多少 or 几, or None when it writes none."""
    from qa.chinese import to_simplified
    from qa.enumerations import MEASURE_WORDS

    match = re.search(rf"(?<!哪)(?:多少|几)([{MEASURE_WORDS}])", to_simplified(question))
    return question[:match.start(1)] + question[match.end(1):] if match else None


def run_set(path: Path) -> None:
    """Ask the counting questions of the benchmark at ``path`` without their measure word, the step
    off and on; print the figures."""
    from qa import answering
    from qa.answering import Engine
    from qa.benchmark_files import load_questions
    from qa.config import Settings
    from qa.evaluation import index_corpus

    questions, documents = load_questions(path)
    settings = Settings.from_env() if documents is None else index_corpus(documents)
    engine = Engine(settings, build_if_missing=False)
    asked = [(q, unmeasured(q.question)) for q in questions if q.source and q.answers]
    asked = [(q, bare) for q, bare in asked if bare]
    totals, changed = ask_both(engine, asked, lambda on: setattr(answering, "ADD_UNIT", on))
    print_figures(f"{path.name}: {len(asked)} counting questions of {len(questions)} asked without their measure word",
                  "step", len(asked), totals, changed)


if __name__ == "__main__":
    main(__doc__, run_set, SEEDS)
