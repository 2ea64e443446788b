"""Build benchmark: full build vs bare ``model.encode`` of the same texts, no-change rebuild, memory.

Each corpus is measured in a fresh child process (so peak memory is its own):

    python bench/bench_build.py                     # seeds/ and ../shared/bench/cmrc2018-dev
    python bench/bench_build.py --corpus drcd       # ../shared/bench/drcd-dev (1,000 passages)
    python bench/bench_build.py --corpus seeds
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CMRC = ROOT.parent / "shared" / "bench" / "cmrc2018-dev"
DRCD = ROOT.parent / "shared" / "bench" / "drcd-dev"


def measure(corpus: str) -> dict:
    from qa.building import _embed_text, _sentence_embed_text, build_index
    from qa.config import Settings
    from qa.embedding import Encoder
    from qa.benchmark_files import load_questions
    from qa.reading import read_folder
    from qa.splitting import split_chunks, split_sentences

    tmp = Path(tempfile.mkdtemp(prefix="qa-bench-"))
    documents = None
    if corpus in ("cmrc", "drcd"):
        _, documents = load_questions(CMRC if corpus == "cmrc" else DRCD)
        settings = Settings.from_env(index_dir=tmp / "index")
    else:
        settings = Settings.from_env(seeds_dir=ROOT / corpus, index_dir=tmp / "index")

    started = time.perf_counter()
    report = build_index(settings, full=True, progress=False, documents=documents)
    full_seconds = time.perf_counter() - started

    started = time.perf_counter()
    again = build_index(settings, progress=False, documents=documents)
    nochange_seconds = time.perf_counter() - started
    assert not again.written

    # The same texts the build embedded, encoded bare by an already-loaded model.
    docs = documents if documents is not None else read_folder(settings.seeds_dir)[0]
    texts, sentence_texts = [], []
    for d in docs:
        sentences = split_sentences(d)
        texts += [_embed_text(d, c) for c in split_chunks(d, sentences, settings.chunk_size, settings.chunk_overlap)]
        sentence_texts += [_sentence_embed_text(d, s) for s in sentences]
    encoder = Encoder(settings.model, settings.batch_size)
    encoder.encode(["预热"])
    started = time.perf_counter()
    encoder.encode(texts + sentence_texts)
    encode_seconds = time.perf_counter() - started
    return {
        "corpus": corpus, "articles": report.articles, "chunks": report.chunks, "sentences": report.sentences,
        "full_build_s": round(full_seconds, 2), "bare_encode_s": round(encode_seconds, 2),
        "ratio": round(full_seconds / encode_seconds, 3), "nochange_rebuild_s": round(nochange_seconds, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", choices=["seeds", "cmrc", "drcd"], action="append")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    corpora = args.corpus or ["seeds", "cmrc"]
    if args.child:
        print(json.dumps(measure(corpora[0])))
        return
    print(f"{'corpus':8} {'articles':>8} {'chunks':>7} {'sentences':>9} {'build s':>8} {'encode s':>9} "
          f"{'ratio':>6} {'no-change s':>11} {'peak MB':>8}")
    for corpus in corpora:
        out = subprocess.run([sys.executable, __file__, "--child", "--corpus", corpus],
                             capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        r = json.loads(out)
        print(f"{r['corpus']:8} {r['articles']:>8} {r['chunks']:>7} {r['sentences']:>9} {r['full_build_s']:>8} "
              f"{r['bare_encode_s']:>9} {r['ratio']:>6} {r['nochange_rebuild_s']:>11} {r['peak_rss_mb']:>8}")


if __name__ == "__main__":
    main()
