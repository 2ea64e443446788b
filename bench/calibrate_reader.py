"""Fit how the answer span is chosen and when the reader answers, on the dev split; print figures.

    python bench/calibrate_reader.py [--reader models/reader] [--write] [--limit N] [--readings FILE]
                                     [--halvings N] [--fit-on KINDS] [--confidence FEATURES]
                                     [--negative-weight W]

Each data set's dev split is indexed as one corpus. Every dev question is asked three times: as is
(answerable); with every passage of its own article withheld from retrieval; and as a near miss,
its article retrieved but every sentence of it that holds a reference answer cut out of the windows
(``near_miss.py``). The articles answer neither of the last two; the right output is to abstain.
For each reading, every span the reader proposes is described by its evidence
(``qa/span_evidence.py``). Two things are fitted (``choice_fit.py``):

* the ranking: weights over the evidence such that the best-scored span matches the reference
  answers best (a conditional logit over each question's spans, target char-F1 squared, fitted on
  the answerable questions);
* the confidence: a logistic fit of "the chosen span's sentence holds a reference answer" on the
  ranking score and the span's evidence (unanswerable readings count as wrong, and those of one
  question weigh ``--negative-weight`` together against its answerable one), and the threshold on
  it that maximises the utility so weighted: +1 for a right answer or a right abstention, -1 for a
  wrong answer or an answer to an unanswerable reading, 0 for abstaining on an answerable one.

Each question is also read again with a window around every one of its best sentences, where the
read gap left some unread; the answer path takes that second reading when the first abstains, and a
second rule (``reread`` in ``calibration.json``) is fitted the same way on those readings.

Every figure printed for a rule is held out: fitted on one half of the dev articles and measured on
the other half, both ways. The kept rule is then fitted on all dev articles; ``--write`` stores it
in the reader's ``calibration.json``. The precision/recall curve printed is:

* answer recall: share of answerable questions answered;
* answer precision: share of answered answerable questions whose answer sentence holds a reference;
* abstention precision / recall: share of abstentions that were on unanswerable readings / share of
  unanswerable readings abstained on (both weighted as the utility is).

The held-out lines also print the share of article-withheld and of near-miss readings answered.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import reader_data  # noqa: E402
import choice_fit  # noqa: E402
from choice_fit import GRID, add_halvings, curve, decide, figures, fit_with_reread, held_out, two_pass  # noqa: E402
from dev_readings import Asked, Readings, load_readings, save_readings, windows_setting  # noqa: E402
from near_miss import answer_sentences, cut_evidence  # noqa: E402

LATENCY: list[float] = []


def run_dataset(folder: Path, dataset: str, reader: str | None, limit: int) -> tuple[list[Asked], list[Asked | None]]:
    """Each question of ``folder`` asked as is, with its article withheld, and as a near miss (its
    answer's sentences cut out of the windows); each also read again with a window around every one
    of the best sentences (None where that reads the same windows)."""
    from qa.answering import Engine
    from qa.benchmark_files import load_questions
    from qa.evaluation import answer_hit, index_corpus
    from qa.metrics import char_f1, exact_match
    from qa.span_evidence import FEATURES, weigh

    questions, documents = load_questions(folder)
    engine = Engine(index_corpus(documents, reader=reader), build_if_missing=False)
    data = engine.data
    titles = {d.source: d.title for d in documents}
    doc_ids = {d.source: d.id for d in data.documents.values()}

    def asked(q, found, kind: str) -> Asked:
        withheld = kind != "asked"
        weighed = weigh(engine.read(q.question, found.windows), data, q.question, found.ranked, found.read_count)
        texts = [data.documents[w.span.doc_id].text for w in weighed]
        return Asked(
            dataset, titles[q.source], withheld,
            np.array([[w.evidence.get(f) for f in FEATURES] for w in weighed]).reshape(-1, len(FEATURES)),
            np.array([exact_match(t[w.span.start:w.span.end], q.answers) for w, t in zip(weighed, texts)]),
            np.array([char_f1(t[w.span.start:w.span.end], q.answers) for w, t in zip(weighed, texts)]),
            np.array([answer_hit(t[w.sentence[0]:w.sentence[1]], q.answers) and not withheld
                      for w, t in zip(weighed, texts)], dtype=bool), kind)

    out, wider = [], []
    for q in questions[: limit or None]:
        others = [s for s in titles if titles[s] != titles[q.source]]
        began = time.perf_counter()
        query = engine.query(q.question)
        found = engine.evidence(query, 5)
        out.append(asked(q, found, "asked"))
        LATENCY.append((time.perf_counter() - began) * 1000)
        withheld = engine.evidence(query, 5, others)
        out.append(asked(q, withheld, "article"))
        gone = answer_sentences(engine, doc_ids[q.source], q.answers)
        out.append(asked(q, cut_evidence(engine, found, gone, doc_ids[q.source]), "sentence"))
        for kind, more in (("asked", engine.widen(found)), ("article", engine.widen(withheld)),
                           ("sentence", cut_evidence(engine, found, gone, doc_ids[q.source], wide=True))):
            wider.append(asked(q, more, kind) if more else None)
    return out, wider


def ask_all(reader: str, limit: int) -> Readings:
    """Every dev question asked as is, with its article withheld and as a near miss, and read again wider."""
    started = time.time()
    asked: list[Asked] = []
    wider: list[Asked | None] = []
    with tempfile.TemporaryDirectory() as tmp:
        reader_data.write_split(Path(tmp))
        for dataset in reader_data.SETS:
            first, more = run_dataset(Path(tmp) / dataset, dataset, reader, limit)
            asked, wider = asked + first, wider + more
    print(f"{len(asked)} readings ({sum(a.kind == 'article' for a in asked)} with the article withheld, "
          f"{sum(a.kind == 'sentence' for a in asked)} with the answer's sentences cut out; "
          f"{sum(w is not None for w in wider)} also read wider) in {time.time() - started:.0f} s; median "
          f"{np.median(LATENCY):.0f} ms per question (first reading)")
    return Readings(windows_setting(), asked, wider)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reader", default=str(ROOT / "models" / "reader"),
                   help="reader folder, or A+B for the mean of several readers' logits (distill.py)")
    p.add_argument("--null-from-first", action="store_true",
                   help="with A+B: the mean's spans, the first reader's no-answer score")
    p.add_argument("--limit", type=int, default=0, help="dev questions per data set (0: all)")
    p.add_argument("--readings", type=Path, help="pickle of the readings: loaded when it exists (as asked by the run that "
                   "wrote it, whatever --reader and --limit say now; --write refuses a dump read through other windows), "
                   "else written")
    p.add_argument("--write", action="store_true", help="store the calibration beside the reader")
    p.add_argument("--read-gap", type=float, help="read no sentence scored more than this below the best "
                   "(qa.answering.READ_GAP; default: as shipped)")
    p.add_argument("--fit-on", default=",".join(choice_fit.FIT_KINDS),
                   help="kinds of reading the rule is fitted on, of asked,article,sentence (every kind is measured)")
    p.add_argument("--confidence", default=",".join(choice_fit.CONFIDENCE),
                   help="what the confidence weighs: rank (the ranking score) and evidence features")
    p.add_argument("--negative-weight", type=float, default=choice_fit.NEGATIVE_WEIGHT,
                   help="how much the unanswerable readings of a question weigh together against its answerable one")
    add_halvings(p)
    args = p.parse_args()
    choice_fit.FIT_KINDS = tuple(args.fit_on.split(","))
    choice_fit.CONFIDENCE = tuple(args.confidence.split(","))
    choice_fit.NEGATIVE_WEIGHT = args.negative_weight
    if args.read_gap is not None:
        import qa.answering

        qa.answering.READ_GAP = args.read_gap
    if args.write and "+" in args.reader:
        raise SystemExit("calibrate_reader: --write needs one reader folder")
    from qa.span_evidence import FEATURES

    windows = windows_setting()
    if args.readings and args.readings.is_file():
        readings = load_readings(args.readings)
        if args.write and (readings.windows != windows or readings.wider is None):
            raise SystemExit(f"calibrate_reader: {args.readings} was read through {readings.windows}"
                             f"{'' if readings.wider is not None else ', never wider'}, the answer path reads {windows} "
                             "and again wider: a rule fitted on it would not fit (give --read-gap, or read again)")
    else:
        from distill import read_with_mean

        readings = ask_all(read_with_mean(args.reader, args.null_from_first), args.limit)
        if args.readings:
            save_readings(args.readings, readings)
    asked = readings.asked
    print(f"readings taken through {readings.windows}" + (", and again with every window" if readings.wider else ""))
    rules = {"the reader's top span": [], "margin + coverage": ["margin", "coverage"], "all evidence": list(FEATURES)}
    kept = "all evidence"
    over = f"; the mean over {args.halvings} draws of the halves" if args.halvings > 1 else ""
    print(f"held out (fitted on one half of the dev articles, measured on the other, both ways{over}; an abstaining "
          "reading read again with every window where the dump has it):")
    runs = [(name, features, readings) for name, features in rules.items()]
    if readings.wider is not None:
        runs.append((f"{kept}, never again", rules[kept], Readings(readings.windows, asked)))
    for name, features, which in runs:
        for dataset, f in held_out(which, features, args.halvings).items():
            print(f"  {name:26s} {dataset:9s} no abstention: EM {f['em']:.3f} F1 {f['f1']:.3f} sentence "
                  f"{f['sentence']:.3f} | abstaining: answered {f['answered']:.3f} EM {f['em_abstaining']:.3f} "
                  f"F1 {f['f1_abstaining']:.3f} sentence {f['sentence_abstaining']:.3f} utility {f['utility']:.3f} | "
                  f"answered withheld {f['article_answered']:.3f}, near misses {f['sentence_answered']:.3f}")
    rule = fit_with_reread(readings, rules[kept])
    print(f"kept: {kept}; rank = {rule.rank}; confidence = sigmoid({rule.confidence} + {rule.bias:.3f})")
    if rule.reread:
        both = figures(two_pass(readings, [rule] * len(asked), [rule.reread] * len(asked)))
        print(f"read again when abstaining: rank = {rule.reread.rank}; confidence = sigmoid({rule.reread.confidence} "
              f"+ {rule.reread.bias:.3f}) at {rule.reread.answer_above}; both passes at the kept thresholds: "
              + ", ".join(f"{k} {v:.3f}" for k, v in both.items()))
    print("confidence ≥  ans.recall  ans.precision  abst.precision  abst.recall  utility")
    picks = decide(rule, asked)
    for g in sorted(set(GRID[::2].tolist()) | {rule.answer_above}):
        c = curve(asked, picks, g)
        mark = "  <- kept" if g == rule.answer_above else ""
        print(f"{g:12.3f}  {c['answer_recall']:10.3f}  {c['answer_precision']:13.3f}  "
              f"{c['abstain_precision']:14.3f}  {c['abstain_recall']:11.3f}  {c['utility']:7.3f}{mark}")
    if args.write:
        path = Path(args.reader) / "calibration.json"
        path.write_text(json.dumps({
            **asdict(rule),
            "fitted_on": "dev split of CMRC 2018 dev + DRCD dev (bench/calibrate_reader.py): each question asked as "
                         f"is and, weighing {choice_fit.NEGATIVE_WEIGHT:g} of it together, unanswerable "
                         f"({', '.join(k for k in choice_fit.FIT_KINDS if k != 'asked')}: article withheld from "
                         "retrieval, answer's sentences cut out of the windows); confidence over "
                         f"{', '.join(choice_fit.CONFIDENCE)}; read through "
                         f"{windows}; reread: the same questions read with a window around each of the best sentences"}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"written: {path}")


if __name__ == "__main__":
    main()
