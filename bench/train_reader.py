"""Fine-tune the span reader shipped in ``models/reader/`` (one command, seeded, resumable).

    python bench/train_reader.py                 # train, evaluate on the dev split, write models/reader
    python bench/train_reader.py --probe         # seconds per training example, then stop
    python bench/train_reader.py --limit 1482 --out /tmp/r25 --work /tmp/w25   # a learning-curve point
    python bench/synth_questions.py --out /tmp/synth.jsonl        # synthetic questions, then
    python bench/train_reader.py --synthetic /tmp/synth.jsonl     # train on them as well
    python bench/train_reader.py --init models/reader --teacher A --teacher B ...  # distil (distill.py)

The defaults are the settings the shipped weights were trained with.

Base: the 4-layer, 512-wide Chinese RoBERTa inside m3e-small, with a fresh QA head (start/end
logits; the [CLS] token stands for "no answer", SQuAD 2.0 style). Data: the training split of
CMRC 2018 dev and DRCD dev (see ``reader_data.py``); DRCD is converted to simplified with a
length-preserving mapping, except a share of questions kept traditional. Each epoch every question
gives one window holding its answer, at a random place; a share of questions also give a no-answer
window: from their own passage, or from the other article that BM25 ranks highest for them
(``reader_windows.py``).

A checkpoint is written every ``--save-every`` steps to ``--work``; run the same command again
after an interruption and it resumes there. After each epoch the dev figures (passage given) are
printed and the weights are written to ``--out`` in float16.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import reader_data  # noqa: E402
from qa.chinese import to_simplified  # noqa: E402
from qa.embedding import resolve_model  # noqa: E402
from qa.metrics import char_f1, exact_match  # noqa: E402
from qa.reader import Passage, Reader  # noqa: E402
from reader_windows import epoch_plan, featurize, hard_negatives, training_examples  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The training settings from ``argv`` (the command line when None), defaults for the rest."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "models" / "reader")
    p.add_argument("--work", type=Path, default=ROOT / ".cache" / "reader-train")
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--lr", type=float, default=3e-4)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--max-length", type=int, default=192)
    p.add_argument("--stride", type=int, default=96)
    p.add_argument("--negatives", type=float, default=0.3, help="share of questions that also give a no-answer window")
    p.add_argument("--traditional", type=float, default=0.3, help="share of DRCD questions kept in traditional script")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--save-every", type=int, default=50)
    p.add_argument("--dev-sample", type=int, default=300, help="dev questions read after each epoch (0: all)")
    p.add_argument("--limit", type=int, default=0,
                   help="train on the first N of the shuffled training questions (a quick try, or a learning curve)")
    p.add_argument("--synthetic", type=Path, default=None,
                   help="also train on these synthetic questions (written by synth_questions.py)")
    p.add_argument("--synthetic-limit", type=int, default=0, help="only the first N synthetic questions (0: all)")
    p.add_argument("--init", type=Path, default=None,
                   help="start from these reader weights instead of the base (a continued fine-tune)")
    p.add_argument("--layers", type=int, default=0,
                   help="keep only the base's first N transformer layers (0: all; a model-size measurement)")
    p.add_argument("--teacher", type=Path, action="append", default=[],
                   help="distil from this reader as well (repeat for several: their mean logits; distill.py)")
    p.add_argument("--distill", type=float, default=0.5, help="weight of the teachers' soft targets in the loss")
    p.add_argument("--temperature", type=float, default=2.0, help="softmax temperature of the soft targets")
    p.add_argument("--distill-null", action="store_true",
                   help="the teachers also teach the no-answer score (default: only where the answer lies)")
    p.add_argument("--keep-hard", action="store_true",
                   help="the label loss keeps full weight and the soft loss is added at --distill weight "
                        "(default: (1 - d) * labels + d * soft, which also weakens the no-answer labels)")
    p.add_argument("--probe", action="store_true", help="measure seconds per training example and stop")
    return p.parse_args(argv)


def loss_fn(model, batch, teachers=None, args=None):
    """Cross-entropy of the start and end positions over context tokens and [CLS]; with
    ``teachers`` (a ``distill.MeanReader``), mixed with (with ``--keep-hard``: added to) the
    divergence from their mean start/end distribution (``distill.taught_loss``)."""
    import torch

    inputs = {k: batch[k] for k in ("input_ids", "attention_mask", "token_type_ids")}
    out = model(**inputs)
    allowed = (batch["token_type_ids"] == 1) & (batch["attention_mask"] == 1)
    allowed[:, 0] = True
    # The last context token is [SEP]: not a possible answer.
    sep = batch["attention_mask"].sum(dim=1) - 1
    allowed[torch.arange(len(sep)), sep] = False
    neg = torch.finfo(out.start_logits.dtype).min
    start = out.start_logits.masked_fill(~allowed, neg)
    end = out.end_logits.masked_fill(~allowed, neg)
    ce = torch.nn.functional.cross_entropy
    hard = (ce(start, batch["start"]) + ce(end, batch["end"])) / 2
    if teachers is None:
        return hard
    from distill import taught_loss

    soft = taught_loss(out, teachers, inputs, allowed, batch["start"] > 0, args.temperature, args.distill_null)
    return (1 if args.keep_hard else 1 - args.distill) * hard + args.distill * soft


def make_batch(features, rows):
    import torch

    longest = int(features["attention_mask"][rows].sum(axis=1).max())
    return {k: torch.from_numpy(v[rows][:, :longest] if v.ndim == 2 else v[rows]) for k, v in features.items()}


@dataclass(frozen=True)
class DevResult:
    """One dev question read with its passage given: where it comes from, the best span's EM and
    char-F1, and whether "no answer" outscored that span."""

    dataset: str
    passage_id: str
    em: float
    f1: float
    null_wins: bool


def dev_results(model, tokenizer, args, sample: int = 0) -> list[DevResult]:
    """Each dev question read with its own passage given (the best span, no abstention); ``sample``
    > 0 reads a seeded sample of that many questions, half from each data set."""
    model.eval()
    reader = Reader.from_model(model, tokenizer, max_length=args.max_length, stride=args.stride)
    out = []
    for dataset in reader_data.SETS:
        dev = reader_data.examples(dataset, "dev")
        if sample:
            dev = random.Random(0).sample(dev, min(sample // 2, len(dev)))
        for ex in dev:
            question, context = to_simplified(ex.question), to_simplified(ex.context)
            reading = reader.run(question, [Passage(ex.passage_id, 0, context)], top_n=1)
            pred = ex.context[reading.spans[0].start:reading.spans[0].end] if reading.spans else ""
            out.append(DevResult(dataset, ex.passage_id, float(exact_match(pred, ex.answers)),
                                 float(char_f1(pred, ex.answers)), reading.margin < 0))
    model.train()
    return out


def evaluate(model, tokenizer, args, sample: int = 0) -> dict[str, dict[str, float]]:
    """EM and char-F1 on the dev split, passage given (the best span, no abstention), per data set;
    plus how often "no answer" would have won on the question's own passage."""
    results = dev_results(model, tokenizer, args, sample)
    figures = {}
    for dataset in reader_data.SETS:
        mine = [r for r in results if r.dataset == dataset]
        n = max(len(mine), 1)
        figures[dataset] = {"questions": len(mine), "em": round(sum(r.em for r in mine) / n, 4),
                            "f1": round(sum(r.f1 for r in mine) / n, 4),
                            "null_wins": round(sum(r.null_wins for r in mine) / n, 4)}
    return figures


def training_facts(folder: Path) -> dict:
    """A reader folder's ``training.json`` ({} when it has none)."""
    path = folder / "training.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def window_shape(facts: dict) -> argparse.Namespace:
    """Training's default arguments, with the window length and stride a reader was trained on
    (``facts``: its ``training.json``; a mean of readers reads as its first reader was trained),
    for reading the dev split as that reader was trained."""
    if "averaged" in facts:
        facts = facts["averaged"][0]
    shape = parse_args([])
    vars(shape).update({k: v for k, v in facts.get("args", {}).items() if k in ("max_length", "stride")})
    return shape


def save_weights(model, tokenizer, out: Path, meta: dict) -> None:
    """Write the weights in float16 safetensors with the tokenizer and training facts."""
    import copy

    out.mkdir(parents=True, exist_ok=True)
    half = copy.deepcopy(model).half()
    half.save_pretrained(str(out), safe_serialization=True)
    tokenizer.save_pretrained(str(out))
    (out / "training.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    args = parse_args()
    import torch
    from transformers import AutoModelForQuestionAnswering, AutoTokenizer, get_linear_schedule_with_warmup

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    base = resolve_model("m3e-small")
    tokenizer = AutoTokenizer.from_pretrained(base)
    t0 = time.time()
    examples = training_examples(args)
    negatives = hard_negatives(examples)
    features, positives, own_neg, hard = featurize(tokenizer, examples, negatives, args)
    print(f"{len(examples)} training questions, {len(features['start'])} windows "
          f"({sum(map(len, positives))} with the answer, {sum(h >= 0 for h in hard)} hard negatives) "
          f"in {time.time() - t0:.0f} s", flush=True)

    torch.manual_seed(args.seed)
    shape = {"num_hidden_layers": args.layers} if args.layers else {}
    model = AutoModelForQuestionAnswering.from_pretrained(str(args.init or base), dtype=torch.float32, **shape)
    model.train()
    teachers = None
    if args.teacher:
        from distill import MeanReader

        teachers = MeanReader.load(args.teacher)
    if args.probe:
        plan = epoch_plan(0, positives, own_neg, hard, args)
        opt = torch.optim.AdamW(model.parameters(), lr=args.lr)
        times = []
        for step in range(6):
            batch = make_batch(features, plan[step * args.batch:(step + 1) * args.batch])
            t = time.perf_counter()
            loss = loss_fn(model, batch, teachers, args)
            loss.backward()
            opt.step()
            opt.zero_grad()
            times.append((time.perf_counter() - t) / args.batch)
        print(f"seconds per example (median of 5 batches of {args.batch}, length {args.max_length}, "
              f"{args.threads} threads): {float(np.median(times[1:])):.3f}; epoch of {len(plan)} windows ≈ "
              f"{float(np.median(times[1:])) * len(plan) / 60:.1f} min")
        return

    plans = [epoch_plan(e, positives, own_neg, hard, args) for e in range(args.epochs)]
    steps_per_epoch = [math.ceil(len(p) / args.batch) for p in plans]
    total = sum(steps_per_epoch)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    sched = get_linear_schedule_with_warmup(opt, int(0.06 * total), total)
    args.work.mkdir(parents=True, exist_ok=True)
    ckpt = args.work / "checkpoint.pt"
    epoch, step, history = 0, 0, []
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        sched.load_state_dict(state["scheduler"])
        epoch, step, history = state["epoch"], state["step"], state["history"]
        torch.set_rng_state(state["torch_rng"])
        print(f"resumed at epoch {epoch + 1}, step {step}", flush=True)

    def checkpoint(epoch: int, step: int) -> None:
        tmp = ckpt.with_suffix(".tmp")
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
                    "epoch": epoch, "step": step, "history": history, "torch_rng": torch.get_rng_state()}, tmp)
        os.replace(tmp, ckpt)

    while epoch < args.epochs:
        plan = plans[epoch]
        started, losses = time.time(), []
        while step < steps_per_epoch[epoch]:
            batch = make_batch(features, plan[step * args.batch:(step + 1) * args.batch])
            loss = loss_fn(model, batch, teachers, args)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            losses.append(loss.item())
            step += 1
            if step % args.save_every == 0:
                checkpoint(epoch, step)
                print(f"epoch {epoch + 1} step {step}/{steps_per_epoch[epoch]} loss {np.mean(losses[-50:]):.3f} "
                      f"({(time.time() - started) / len(losses):.2f} s/step)", flush=True)
        figures = evaluate(model, tokenizer, args, args.dev_sample)
        history.append({"epoch": epoch + 1, "loss": round(float(np.mean(losses)) if losses else 0.0, 4),
                        "dev_sample": figures})
        print(f"epoch {epoch + 1} done: {json.dumps(figures, ensure_ascii=False)}", flush=True)
        epoch, step = epoch + 1, 0
        checkpoint(epoch, step)
        save_weights(model, tokenizer, args.out, {"args": _jsonable(vars(args)), "history": history})

    figures = evaluate(model, tokenizer, args, 0)
    print(f"dev split, passage given (all questions): {json.dumps(figures, ensure_ascii=False)}", flush=True)
    save_weights(model, tokenizer, args.out, {"args": _jsonable(vars(args)), "history": history,
                                              "dev_passage_given": figures,
                                              "training_questions": len(examples)})


def _jsonable(values: dict) -> dict:
    def plain(v):
        return str(v) if isinstance(v, Path) else [plain(x) for x in v] if isinstance(v, list) else v

    return {k: plain(v) for k, v in values.items()}


if __name__ == "__main__":
    main()
