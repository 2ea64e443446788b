"""The reader's training windows: which questions, which windows, in which order each epoch.

Each question gives the windows of its passage (``--max-length`` tokens, overlapping by
``--stride``), labelled with the answer's start and end tokens, or with [CLS] where the window does
not hold the answer; and one window of the other article that BM25 ranks highest for it, never one
holding a reference answer (a hard negative). ``train_reader.py`` draws each epoch from these.
"""
from __future__ import annotations

import argparse
import random

import numpy as np

import reader_data
from qa.chinese import to_simplified, tokenize
from qa.reader import MAX_QUESTION_CHARS


def training_examples(args: argparse.Namespace) -> list[reader_data.Example]:
    """Training questions of both sets; DRCD mostly converted to simplified (offsets unchanged);
    then the synthetic questions of ``--synthetic`` (``synth_questions.py``), if given."""
    rng = random.Random(args.seed)
    out = []
    for dataset in reader_data.SETS:
        for ex in reader_data.examples(dataset, "train"):
            if ex.start < 0:
                continue
            if dataset == "drcd" and rng.random() >= args.traditional:
                ex = reader_data.Example(ex.id, ex.dataset, to_simplified(ex.question), to_simplified(ex.context),
                                         ex.passage_id, ex.title, to_simplified(ex.answer), ex.start,
                                         tuple(to_simplified(a) for a in ex.answers))
            out.append(ex)
    rng.shuffle(out)
    out = out[: args.limit] if args.limit else out
    if args.synthetic:
        extra = [reader_data.Example(**{**row, "answers": tuple(row["answers"])})
                 for row in reader_data.read_jsonl(args.synthetic)]
        rng.shuffle(extra)
        out += extra[: args.synthetic_limit] if args.synthetic_limit else extra
        rng.shuffle(out)
    return out


def hard_negatives(examples: list[reader_data.Example]) -> dict[str, str]:
    """For each question, the passage of another article that BM25 ranks highest for it."""
    import bm25s

    result: dict[str, str] = {}
    for dataset in reader_data.SETS:
        rows = reader_data.passages(dataset, "train")
        corpus = [tokenize(to_simplified(p["text"])) for p in rows]
        retriever = bm25s.BM25()
        retriever.index(corpus, show_progress=False)
        mine = [e for e in examples if e.dataset == dataset]
        queries = [tokenize(to_simplified(e.question)) or ["?"] for e in mine]
        docs, _ = retriever.retrieve(queries, k=min(5, len(rows)), show_progress=False, n_threads=1)
        for ex, ranked in zip(mine, docs):
            for i in ranked:
                p = rows[int(i)]
                if p["title"] != ex.title:
                    simplified = ex.dataset == "cmrc2018" or to_simplified(ex.context) == ex.context
                    result[ex.id] = to_simplified(p["text"]) if simplified else p["text"]
                    break
    return result


def featurize(tokenizer, examples: list[reader_data.Example], negatives: dict[str, str],
              args: argparse.Namespace) -> tuple[dict, list[list[int]], list[list[int]], list[int]]:
    """Token windows with labels: for each question, its answer windows, its own no-answer windows,
    and its best hard-negative window."""
    def windows(questions, contexts):
        return tokenizer([q[:MAX_QUESTION_CHARS] for q in questions], contexts, truncation="only_second",
                         max_length=args.max_length, stride=args.stride, return_overflowing_tokens=True,
                         return_offsets_mapping=True, padding="max_length")

    enc = windows([e.question for e in examples], [e.context for e in examples])
    ids, types, starts, ends = [], [], [], []
    positives: list[list[int]] = [[] for _ in examples]
    own_negatives: list[list[int]] = [[] for _ in examples]
    for w, ex_i in enumerate(enc["overflow_to_sample_mapping"]):
        ex = examples[ex_i]
        seq = enc.sequence_ids(w)
        offsets = enc["offset_mapping"][w]
        a, b = ex.start, ex.start + len(ex.answer)
        ctx = [i for i, s in enumerate(seq) if s == 1]
        s_tok = e_tok = 0
        if ctx and offsets[ctx[0]][0] <= a and offsets[ctx[-1]][1] >= b:
            s_tok = next((i for i in ctx if offsets[i][1] > a), 0)
            e_tok = next((i for i in reversed(ctx) if offsets[i][0] < b), 0)
        ids.append(enc["input_ids"][w])
        types.append(enc["token_type_ids"][w])
        starts.append(s_tok)
        ends.append(e_tok)
        (positives if s_tok else own_negatives)[ex_i].append(len(ids) - 1)
    hard: list[int] = [-1] * len(examples)
    with_neg = [i for i, e in enumerate(examples) if e.id in negatives]
    enc = windows([examples[i].question for i in with_neg], [negatives[examples[i].id] for i in with_neg])
    best: dict[int, tuple[float, int]] = {}
    for w, j in enumerate(enc["overflow_to_sample_mapping"]):
        ex_i = with_neg[j]
        ex = examples[ex_i]
        seq = enc.sequence_ids(w)
        ctx = [i for i, s in enumerate(seq) if s == 1]
        if not ctx:
            continue
        text = negatives[ex.id][enc["offset_mapping"][w][ctx[0]][0]: enc["offset_mapping"][w][ctx[-1]][1]]
        if any(a and a in text for a in ex.answers):
            continue
        overlap = len(set(ex.question) & set(text)) / max(1, len(set(ex.question)))
        if ex_i not in best or overlap > best[ex_i][0]:
            best[ex_i] = (overlap, w)
    for ex_i, (_, w) in best.items():
        ids.append(enc["input_ids"][w])
        types.append(enc["token_type_ids"][w])
        starts.append(0)
        ends.append(0)
        hard[ex_i] = len(ids) - 1
    pad = tokenizer.pad_token_id
    features = {
        "input_ids": np.array(ids, dtype=np.int64),
        "token_type_ids": np.array(types, dtype=np.int64),
        "start": np.array(starts, dtype=np.int64),
        "end": np.array(ends, dtype=np.int64),
    }
    features["attention_mask"] = (features["input_ids"] != pad).astype(np.int64)
    return features, positives, own_negatives, hard


def epoch_plan(epoch: int, positives, own_negatives, hard, args) -> list[int]:
    """The windows of one epoch, in order (the same for a given seed and epoch, so resuming works)."""
    rng = random.Random(args.seed * 1000 + epoch)
    plan = []
    for i in range(len(positives)):
        if positives[i]:
            plan.append(rng.choice(positives[i]))
        if rng.random() < args.negatives:
            pool = own_negatives[i] if (own_negatives[i] and (hard[i] < 0 or rng.random() < 0.5)) else (
                [hard[i]] if hard[i] >= 0 else [])
            if pool:
                plan.append(rng.choice(pool))
    rng.shuffle(plan)
    return plan
