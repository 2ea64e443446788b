"""How often the answer path answers a question its articles come close to but do not answer.

    python bench/near_miss.py [--limit N] [--reader models/reader]

The abstention rule is fitted on dev questions asked as is and with their whole article withheld
(``calibrate_reader.py``). A harder unanswerable question is a near miss: its article is retrieved
and speaks of the subject, but the sentence that states the answer is not there ("京津冀国家技术创新
中心成立于哪一年?" of an article that tells the centre's results, not its founding). This asks every
dev question three ways through the answer path's windows and rule: as is, with its article
withheld, and with its answer's sentences cut out of every window (any sentence of its article
holding a reference answer: the reader never sees one). A question the rule abstains on is read
again with every window, as the answer path does. It prints, per data set, how often each is
answered, and some of the near misses answered, with what. Every figure is of the rule fitted on
all dev questions (the near misses among them): held-out figures are ``calibrate_reader.py``'s.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import reader_data  # noqa: E402


def cut_out(windows, gone: list[tuple[int, int]]):
    """The windows with the ``gone`` ranges (offsets into the article) removed: each window is
    split into the pieces around them."""
    from qa.reader import Passage

    out = []
    for w in windows:
        pieces, start = [], w.offset
        end = w.offset + len(w.text)
        for a, b in sorted(gone):
            if b <= start or a >= end:
                continue
            if a > start:
                pieces.append((start, a))
            start = max(start, b)
        if start < end:
            pieces.append((start, end))
        out += [Passage(w.doc_id, a, w.text[a - w.offset:b - w.offset]) for a, b in pieces
                if w.text[a - w.offset:b - w.offset].strip()]
    return out


def answer_sentences(engine, doc_id: str, answers: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every sentence of the article ``doc_id`` that holds one of ``answers``."""
    from qa.chinese import normalize

    wanted = [normalize(a) for a in answers if normalize(a)]
    return [(s.start, s.end) for s in engine.data.sentences[doc_id] if any(a in normalize(s.text) for a in wanted)]


def cut_evidence(engine, found, gone: list[tuple[int, int]], doc_id: str, wide: bool = False):
    """``found`` without the sentences ``gone`` of article ``doc_id``: they are not ranked and every
    window is cut around them. The windows are those of the best remaining sentences close to the
    best, or with ``wide`` a window around each of the best three (None when that reads the same)."""
    from qa import answering
    from qa.answering import Evidence
    from qa.windows import read_count, reading_windows

    ranked = [r for r in found.ranked if not (r.sentence.doc_id == doc_id and (r.sentence.start, r.sentence.end) in gone)]
    count = read_count(ranked, answering.READ_SENTENCES, answering.READ_GAP)
    if wide:
        if count >= min(answering.READ_SENTENCES, len(ranked)):
            return None
        count = min(answering.READ_SENTENCES, len(ranked))
    windows = reading_windows(ranked, engine.data, count, answering.WINDOW_CHARS)
    windows = cut_out([w for w in windows if w.doc_id == doc_id], gone) + [w for w in windows if w.doc_id != doc_id]
    return Evidence(found.hits, ranked, windows, count)


def run(folder: Path, reader: str | None, limit: int | None) -> dict[str, object]:
    """Per way of asking, the share of ``folder``'s questions answered; and the near misses answered."""
    from qa.answering import Engine
    from qa.benchmark_files import load_questions
    from qa.evaluation import index_corpus

    questions, documents = load_questions(folder)
    engine = Engine(index_corpus(documents, reader=reader), build_if_missing=False)
    by_source = {d.source: d for d in engine.data.documents.values()}
    counts = {"as is": 0, "article withheld": 0, "answer sentence cut": 0}
    examples = []
    asked = questions[:limit]
    for q in asked:
        doc = by_source[q.source]
        gone = answer_sentences(engine, doc.id, q.answers)
        others = [s for s in by_source if by_source[s].title != doc.title]
        query = engine.query(q.question)
        found = engine.evidence(query, 5)
        counts["as is"] += not engine.choose(q.question, found)[0].abstained
        counts["article withheld"] += not engine.choose(q.question, engine.evidence(query, 5, others))[0].abstained
        # the answer path's two readings, both without the answer's sentences
        choice, _ = engine.choose(q.question, cut_evidence(engine, found, gone, doc.id),
                                  lambda _: cut_evidence(engine, found, gone, doc.id, wide=True))
        if not choice.abstained:
            counts["answer sentence cut"] += 1
            examples.append((q.question, choice.best.text, round(choice.best.probability, 2)))
    return {"questions": len(asked), **{k: v / max(len(asked), 1) for k, v in counts.items()}, "examples": examples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions of each set")
    parser.add_argument("--reader", default=None, help="reader folder (default: the shipped one)")
    parser.add_argument("--examples", type=int, default=10, help="near misses answered to print per set")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        reader_data.write_split(Path(tmp))
        for dataset in reader_data.SETS:
            started = time.perf_counter()
            out = run(Path(tmp) / dataset, args.reader, args.limit)
            print(f"\n{dataset} dev split, {out['questions']} questions ({time.perf_counter() - started:.0f} s): answered "
                  + ", ".join(f"{k} {out[k]:.3f}" for k in ("as is", "article withheld", "answer sentence cut")))
            for question, span, p in out["examples"][: args.examples]:
                print(f"  {question} -> {span} ({p})", flush=True)


if __name__ == "__main__":
    main()
