"""How the answer path copes with the words users wrap a question in; prints the figures.

    python bench/question_forms.py [--limit N] [--forms NAME ...]

The CMRC 2018 and DRCD questions the reader learnt from are bare ("经开区有多少家孵化器？"); users
write "请问…", "我想知道…。", "你知道…吗？", close with "呢", or end with either question mark
(CMRC writes the full-width ？, DRCD the ASCII ?) or none. Each dev question (each data set's
dev split indexed as one corpus) is asked in every form below through ``Engine.answer``, with the
models reading the question as typed and as ``questions.plain_question`` leaves it, and the span
EM / char-F1 and the abstentions of each are printed.
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


def _bare(question: str) -> str:
    return question.rstrip("？?")


FORMS = {
    "as written": lambda q: q,
    "请问…": lambda q: "请问" + q,
    "我想知道…。": lambda q: "我想知道" + _bare(q) + "。",
    "你知道…吗？": lambda q: "你知道" + _bare(q) + "吗？",
    "…呢？": lambda q: _bare(q) + "呢？",
    "能告诉我…吗": lambda q: "能告诉我" + _bare(q) + "吗",
    "您好，请问…": lambda q: "您好，请问" + q,
    "想问一下，…": lambda q: "想问一下，" + q,
    "…？": lambda q: _bare(q) + "？",
    "…?": lambda q: _bare(q) + "?",
    "no mark": _bare,
}


def run(folder: Path, limit: int | None, forms: list[str]) -> None:
    """Print, per form, the figures with the question read as typed and read plain."""
    from qa import answering
    from qa.answering import Engine
    from qa.benchmark_files import load_questions
    from qa.evaluation import index_corpus
    from qa.metrics import char_f1, exact_match
    from qa.questions import plain_question

    questions, documents = load_questions(folder)
    questions = questions[:limit]
    engine = Engine(index_corpus(documents), build_if_missing=False)
    for name in forms:
        form, line = FORMS[name], []
        for label, step in (("as typed", lambda q: q), ("plain", plain_question)):
            answering.plain_question = step
            em = f1 = abstained = 0.0
            for q in questions:
                a = engine.answer(form(q.question))
                if a.span:
                    em, f1 = em + exact_match(a.span, q.answers), f1 + char_f1(a.span, q.answers)
                abstained += a.abstained
            n = max(len(questions), 1)
            line.append(f"{label} EM {em / n:.3f} F1 {f1 / n:.3f} abstained {abstained:.0f}")
        answering.plain_question = plain_question
        print(f"  {name:12} " + " | ".join(line), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions of each set")
    parser.add_argument("--forms", nargs="+", choices=list(FORMS), default=list(FORMS), help="the forms to ask in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        reader_data.write_split(Path(tmp))
        for dataset in reader_data.SETS:
            started = time.perf_counter()
            print(f"{dataset} dev split", flush=True)
            run(Path(tmp) / dataset, args.limit, args.forms)
            print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
