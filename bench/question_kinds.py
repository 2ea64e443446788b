"""How many questions of each benchmark file the reader is not asked to take a span for; prints
the counts and the yes-or-no questions.

    python bench/question_kinds.py [FILE ...]

A bare topic ("中关村论坛", ``questions.asks_nothing``) is not read; a yes-or-no question
(``yes_no.asks_yes_or_no``) is answered with its sentence unless its span says yes or no. Both
rules must leave the public questions, which are span questions, alone.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared" / "bench"
FILES = [SHARED / "cmrc2018-dev" / "questions.jsonl", SHARED / "drcd-dev" / "questions.jsonl",
         SHARED / "seed-dev.jsonl", *sorted((ROOT / "bench" / "data").glob("*.jsonl"))]


def main() -> None:
    from qa.questions import asks_nothing
    from qa.yes_no import asks_yes_or_no

    for path in [Path(p) for p in sys.argv[1:]] or FILES:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        questions = [(r["question"], r.get("answers")) for r in rows]
        bare = [q for q, _ in questions if asks_nothing(q)]
        yes_no = [(q, a) for q, a in questions if asks_yes_or_no(q)]
        print(f"{path.parent.name}/{path.name}: {len(questions)} questions, {len(bare)} bare topics, "
              f"{len(yes_no)} yes or no")
        for q, a in yes_no:
            print(f"    {q} → {a}")


if __name__ == "__main__":
    main()
