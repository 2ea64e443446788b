"""What reading a follow-up with the question before it (``qa/followups.py``) does; prints the figures.

    python bench/followup_check.py [--questions FILE]

Each line of FILE (default ``bench/data/followup-questions.jsonl``, pairs on the seed articles)
holds a question (``previous``), the follow-up asked after it (``question``: "那区级孵化器呢?"), the
follow-up's reference answers and its article (``source: null`` when the articles do not answer it).
Each follow-up is asked against the built index twice: alone, and with its previous question. The
script prints, for both, how many answerable follow-ups get a span holding a reference answer (and
how many a span that is one exactly) and how many unanswerable ones abstain, then each follow-up as it was read.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=Path, default=ROOT / "bench" / "data" / "followup-questions.jsonl")
    args = parser.parse_args()

    from qa.answering import Engine
    from qa.config import Settings
    from qa.evaluation import span_holds_answer
    from qa.metrics import exact_match

    engine = Engine(Settings.from_env())
    pairs = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    answerable = [p for p in pairs if p["source"]]
    rows, totals = [], {"alone": [0, 0, 0], "with the previous question": [0, 0, 0]}
    for p in pairs:
        got = {}
        for name, previous in (("alone", None), ("with the previous question", p["previous"])):
            a = engine.answer(p["question"], previous=previous)
            right = span_holds_answer(a.span, p["answers"]) if p["source"] else a.abstained
            totals[name][0 if p["source"] else 1] += right
            totals[name][2] += bool(p["source"]) and not a.abstained and bool(exact_match(a.span, p["answers"]))
            got[name] = ("abstained" if a.abstained else a.span, right, a.asked_as)
        rows.append((p, got))
    print(f"{len(pairs)} follow-ups: {len(answerable)} the articles answer, {len(pairs) - len(answerable)} they do not")
    for name, (hits, abstained, exact) in totals.items():
        print(f"  {name:28s} span holds the answer {hits} of {len(answerable)} (is it exactly: {exact}); "
              f"abstained {abstained} of {len(pairs) - len(answerable)}")
    for p, got in rows:
        alone, joined = got["alone"], got["with the previous question"]
        print(f"  {p['id']} {p['question']} → read as {joined[2]!r}: {alone[0]} ({'right' if alone[1] else 'wrong'})"
              f" → {joined[0]} ({'right' if joined[1] else 'wrong'}); reference {p['answers'] or 'none'}")


if __name__ == "__main__":
    main()
