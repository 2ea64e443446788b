"""recall@10 of the approximate dense index on real vectors and real questions.

    python bench/bench_dense_recall.py [--limit N]

bench_scale.py measures the FAISS index on random vectors; this measures it on what the project
really stores: the sentences of the CMRC 2018 dev passages (simplified) as m3e-small vectors,
indexed as a large corpus would be (IVF with fast-scan codes, ``flat_limit=0``), searched with the
3,219 CMRC questions encoded by the same model, against exact search. It prints the index's
parameters (with the recall its build-time probe questions reached) and the real questions'
recall@10. About 4 minutes on 2 cores, most of it encoding.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CMRC = ROOT.parent / "shared" / "bench" / "cmrc2018-dev"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--limit", type=int, default=0, help="questions (0: all)")
    args = p.parse_args()
    from qa import dense
    from qa.chinese import sentence_spans, to_simplified
    from qa.embedding import Encoder

    sentences = []
    for line in (CMRC / "passages.jsonl").read_text(encoding="utf-8").splitlines():
        text = to_simplified(json.loads(line)["text"])
        sentences += [text[a:b] for a, b in sentence_spans(text) if b - a >= 4]
    questions = [json.loads(line)["question"] for line in (CMRC / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    questions = questions[: args.limit or None]
    encoder = Encoder()
    started = time.time()
    vectors, queries = encoder.encode(sentences), encoder.encode(questions)
    print(f"{len(sentences)} sentences and {len(questions)} questions encoded in {time.time() - started:.0f} s")
    with tempfile.TemporaryDirectory() as tmp:
        params = dense.build(vectors, Path(tmp) / "s.faiss", flat_limit=0)
        index = dense.DenseIndex(vectors, Path(tmp) / "s.faiss", params)
        truth = dense.exact_top(vectors, queries, 10)
        found = [index.search(q, 10)[0] for q in queries]
        print(f"index: {params.kind}, {params.nlist} lists, {params.nprobe} searched; probe questions' "
              f"recall@10 {params.recall:.4f}")
        print(f"real questions' recall@10 against exact search: {dense.recall_at(found, truth):.4f}")
        index.close()


if __name__ == "__main__":
    main()
