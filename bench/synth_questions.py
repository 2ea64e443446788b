"""Synthetic training questions from the training split's passages (no generative model).

Chinese asks in place: "公司在2019年成立" becomes "公司在哪一年成立？" by putting a question word
where the answer stood. So each question here is one clause of a passage sentence (with the clause
before it, which often holds the subject) with one named thing or figure, found by jieba's part-of-
speech tags, replaced by the question word for its kind; the answer is that thing, at its offset in
the passage. Only training-split passages are used, so the dev split stays unseen.

    python bench/synth_questions.py --per-passage 3 --out /tmp/synth.jsonl   # prints counts and samples
    python bench/synth_questions.py --per-passage 6 --own-clause 0.5 --seed 15 --out /tmp/synth_own.jsonl
    python bench/synth_questions.py --per-passage 6 --seed 21 --unlike /tmp/synth.jsonl --limit 4766 \
        --sample-seed 5 --out /tmp/fresh.jsonl   # answers a reader trained on /tmp/synth.jsonl never saw
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import reader_data  # noqa: E402
from qa.chinese import sentence_spans, to_simplified  # noqa: E402

# jieba tag -> the question word put in the answer's place
_ASK = {"nr": "谁", "ns": "哪里", "nt": "哪个机构", "t": "什么时候"}
_CLAUSE_RE = re.compile(r"[^，,；;：:]+[，,；;：:]?")
_YEAR_RE = re.compile(r"^(公元前)?[0-9０-９一二三四五六七八九〇零]{2,4}年$")
_TITLE_RE = re.compile(r"《[^《》]{1,30}》")
_NUMBER_RE = re.compile(r"^[0-9０-９.．,，一二三四五六七八九十百千万亿两〇零多余几]+$")


def _things(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, question word) of each answerable thing in ``sentence``."""
    import jieba.posseg

    out = [(m.start(), m.end(), "哪部作品") for m in _TITLE_RE.finditer(sentence)]
    words = list(jieba.posseg.cut(sentence))
    pos = 0
    for i, w in enumerate(words):
        start, end = pos, pos + len(w.word)
        pos = end
        if w.flag in _ASK and len(w.word) >= 2 and not (_fragment(words, i - 1) or _fragment(words, i + 1)):
            ask = "哪一年" if w.flag == "t" and _YEAR_RE.match(w.word) else _ASK[w.flag]
            out.append((start, end, ask))
        elif w.flag == "m" and _NUMBER_RE.match(w.word) and i + 1 < len(words) and words[i + 1].flag == "q":
            # a figure and its measure word: "15家" asks "多少家", the answer keeps the measure word
            out.append((start, end + len(words[i + 1].word), "多少" + words[i + 1].word))
    return out


def _fragment(words, i: int) -> bool:
    """Whether word ``i`` is a lone character jieba split off a longer name (a name it cut wrong)."""
    return 0 <= i < len(words) and len(words[i].word) == 1 and words[i].flag in {"nr", "ns", "nrt", "nz", "x", "n", "j"} \
        and "\u4e00" <= words[i].word <= "\u9fff"


def _question(sentence: str, start: int, end: int, ask: str, before: int = 1) -> str | None:
    """The clause holding [start, end) and the ``before`` clauses before it, with the thing replaced
    by ``ask``."""
    clauses = [(m.start(), m.end()) for m in _CLAUSE_RE.finditer(sentence)]
    at = next((i for i, (a, b) in enumerate(clauses) if a <= start and end <= b), None)
    if at is None:
        return None
    first = clauses[max(0, at - before)][0]
    last = clauses[at][1]
    text = sentence[first:start] + ask + sentence[end:last]
    text = text.rstrip("，,；;：:。！!？? ")
    if not 8 <= len(text) <= 60 or ask in sentence[first:last]:
        return None
    return text + "？"


def synthesize(rng: random.Random, per_passage: int, own_clause: float = 0.0) -> list[reader_data.Example]:
    """Up to ``per_passage`` questions on each training passage of both sets, answers all different;
    a share ``own_clause`` of them ask with the answer's clause alone (else with the clause before)."""
    out = []
    for dataset in reader_data.SETS:
        for p in reader_data.passages(dataset, "train"):
            text = to_simplified(p["text"])
            found = []
            for s0, s1 in sentence_spans(text):
                sentence = text[s0:s1]
                if len(sentence) > 150:
                    continue
                for a, b, ask in _things(sentence):
                    q = _question(sentence, a, b, ask, 0 if own_clause and rng.random() < own_clause else 1)
                    if q:
                        found.append((q, sentence[a:b], s0 + a))
            rng.shuffle(found)
            seen: set[str] = set()
            for q, answer, start in found:
                if answer in seen or len(seen) >= per_passage:
                    continue
                seen.add(answer)
                out.append(reader_data.Example(f"SYN_{p['id']}_{len(seen)}", dataset, q, text, p["id"], p["title"],
                                               answer, start, (answer,)))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--per-passage", type=int, default=3)
    p.add_argument("--own-clause", type=float, default=0.0,
                   help="share of questions asked with the answer's clause alone, without the clause before it")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--unlike", type=Path, default=None,
                   help="leave out answers this file of synthetic questions already asks (same passage and "
                        "offset), for questions a reader trained on that file has not seen")
    p.add_argument("--limit", type=int, default=0,
                   help="keep the first N questions after shuffling them with --sample-seed (0: all, in order)")
    p.add_argument("--sample-seed", type=int, default=None, help="seed of that shuffle (default: --seed)")
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args()
    rows = synthesize(random.Random(args.seed), args.per_passage, args.own_clause)
    if args.unlike:
        asked = {(d["passage_id"], d["start"]) for d in reader_data.read_jsonl(args.unlike)}
        rows = [ex for ex in rows if (ex.passage_id, ex.start) not in asked]
    if args.limit:
        random.Random(args.seed if args.sample_seed is None else args.sample_seed).shuffle(rows)
        rows = rows[:args.limit]
    misplaced = [ex.id for ex in rows if ex.context[ex.start: ex.start + len(ex.answer)] != ex.answer]
    if misplaced:
        raise SystemExit(f"answer offsets wrong for {len(misplaced)} questions, e.g. {misplaced[:3]}; nothing written")
    with args.out.open("w", encoding="utf-8") as f:
        for ex in rows:
            f.write(json.dumps(asdict(ex), ensure_ascii=False) + "\n")
    for ex in rows[:: max(1, len(rows) // 12)]:
        print(f"{ex.question}  ->  {ex.answer}")
    print(f"{len(rows)} questions on training passages written to {args.out}")


if __name__ == "__main__":
    main()
