"""What the year check (``qa/years.py``) does to questions that name a year; prints the figures.

    python bench/year_check.py [--split dev|all]

Each data set's split is indexed as one corpus (``--split all``: the whole CMRC 2018 and DRCD dev
folders, whose non-dev part the reader was trained on). Every question that names a year is asked
through the answer path three times: with the check off, with the passage check only, and with the
passage and clause checks (``choosing.CHECK_YEARS``, ``choosing.CHECK_CLAUSE_YEARS``):

* as written: the articles answer it; a right answer the check turns into an abstention is its cost;
* with its year moved to the nearest one its own article never mentions (±1, ±2, ...): the articles
  no longer state the answer, and any answer is wrong; the abstentions it adds are its gain.
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

SHIFTS = (1, -1, 2, -2, 3, -3, 4, -4, 5, -5)


def moved(question: str, year: str, article: str) -> str | None:
    """``question`` with ``year`` moved to the nearest year ``article`` never mentions."""
    for shift in SHIFTS:
        other = str(int(year) + shift)
        if other not in article:
            return question.replace(year, other)
    return None


STATES = {"off": (False, False), "passage": (True, False), "passage+clause": (True, True)}


def run_set(folder: Path) -> dict[str, list[int]]:
    """Counts per (asked form, check) of [answered right, answered wrong, abstained, short answer right]."""
    import qa.choosing
    from qa.answering import Engine
    from qa.benchmark_files import load_questions
    from qa.evaluation import answer_hit, index_corpus, span_holds_answer
    from qa.years import named_years

    questions, documents = load_questions(folder)
    engine = Engine(index_corpus(documents), build_if_missing=False)
    articles: dict[str, str] = {}
    for d in documents:
        articles[d.title] = articles.get(d.title, "") + "\n" + d.text
    title = {d.source: d.title for d in documents}
    counts = {f"{form}, check {state}": [0, 0, 0, 0] for form in ("as written", "year moved") for state in STATES}
    for q in questions:
        years = named_years(q.question)
        if not years:
            continue
        shifted = moved(q.question, years[0], articles[title[q.source]])
        for form, text in (("as written", q.question), ("year moved", shifted)):
            if text is None:
                continue
            for state, (passage, clause) in STATES.items():
                qa.choosing.CHECK_YEARS, qa.choosing.CHECK_CLAUSE_YEARS = passage, clause
                a = engine.answer(text, 5)
                right = form == "as written" and not a.abstained and answer_hit(a.text, q.answers)
                counts[f"{form}, check {state}"][2 if a.abstained else 0 if right else 1] += 1
                if right and span_holds_answer(a.span, q.answers):
                    counts[f"{form}, check {state}"][3] += 1
    qa.choosing.CHECK_YEARS = qa.choosing.CHECK_CLAUSE_YEARS = True
    return counts


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--split", choices=("dev", "all"), default="dev")
    args = p.parse_args()
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        for name, folder in reader_data.benchmark_folders(args.split, Path(tmp)).items():
            counts = run_set(folder)
            print(f"{name} ({args.split}), questions naming a year: right (its span right) / wrong / abstained")
            for key, (right, wrong, abstained, span_right) in counts.items():
                print(f"  {key:34} {right:4d} ({span_right:4d}) / {wrong:4d} / {abstained:4d}")
    print(f"({time.time() - started:.0f} s; an answer is right when its sentence holds a reference answer, "
          "its span right when the span does)")


if __name__ == "__main__":
    main()
