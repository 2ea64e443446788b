"""How the answer path copes with a question typed as a search phrase; prints the figures.

    python bench/phrase_questions.py [--limit N]

Users type "中关村独角兽企业数量" or "龙芯中科创始人" as into a search box, where the dev questions
ask "《战栗游戏》的作者是谁？". Each dev question of the form "X是谁/什么/多少/哪里/什么时候？" (each data
set's dev split indexed as one corpus) is asked three ways through ``Engine.answer``: as written;
as the phrase X alone, read as typed (``questions._PHRASE_ASKS`` emptied); and as the phrase X with
the words that ask for its last word added (``questions.plain_question``: "…数量" → "…数量是多少?").
Span EM / char-F1 and abstentions are printed for each, and how many phrases the rule completed.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import reader_data  # noqa: E402

ASKED = re.compile(r"^(.{4,}?)(?:是|为|為)(?:谁|誰|什么|什麼|甚麼|多少|哪里|哪裡|什么时候|什麼時候|何时|何時)[？?]$")


def run(folder: Path, limit: int | None) -> None:
    """Print the figures of the three ways of asking for the phrase questions of one folder."""
    from qa import questions
    from qa.answering import Engine
    from qa.chinese import CJK_RE, to_simplified
    from qa.benchmark_files import load_questions
    from qa.evaluation import index_corpus
    from qa.metrics import char_f1, exact_match

    asked, documents = load_questions(folder)
    phrased = [(q, m.group(1)) for q in asked if (m := ASKED.match(q.question))][:limit]
    engine = Engine(index_corpus(documents, progress=False), build_if_missing=False)
    rule = questions._PHRASE_ASKS
    completed = sum(bool(CJK_RE.search(p) and questions._phrase_asks(to_simplified(p))) for _, p in phrased)
    ways = (("question as written", lambda q, p: q.question, rule), ("phrase, read as typed", lambda q, p: p, ()),
            ("phrase, completed", lambda q, p: p, rule))
    for label, ask, phrase_rule in ways:
        questions._PHRASE_ASKS = phrase_rule
        em = f1 = abstained = 0.0
        for q, p in phrased:
            a = engine.answer(ask(q, p))
            em, f1 = em + exact_match(a.span, q.answers), f1 + char_f1(a.span, q.answers)
            abstained += a.abstained
        n = max(len(phrased), 1)
        print(f"  {label:22} EM {em / n:.3f} F1 {f1 / n:.3f} abstained {abstained:.0f}", flush=True)
    questions._PHRASE_ASKS = rule
    print(f"  ({len(phrased)} phrase questions; the rule completed {completed} of them)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N phrase questions of each set")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        reader_data.write_split(Path(tmp))
        for dataset in reader_data.SETS:
            print(f"{dataset} dev split", flush=True)
            run(Path(tmp) / dataset, args.limit)


if __name__ == "__main__":
    main()
