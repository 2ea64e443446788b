"""Scale benchmark: what the system itself costs at 1k / 10k / 50k articles.

Articles are made from real Chinese text (the sentences of the shared CMRC and DRCD passages,
recombined so that each article is distinct) and embedded by a small random model (hashed
character bigrams projected at random: cheap, but with real lexical structure), so the figures are
the system's own, not the embedding model's. Per size and per backend (the FAISS store, and
Milvus Lite in a temporary ``.db``) it prints: build time without encoding, index size, cold load
time and resident memory of a fresh process, retrieve and answer p50/p95 without the question's
encoding (answers without the span reader, i.e. without model forward passes), and recall@10 of
the dense search against exact search.

    python bench/bench_scale.py                  # faiss 1000 10000 50000, Milvus Lite 1000 10000
    python bench/bench_scale.py --sizes 1000 --questions 100 --backends milvus
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "bench"
MODEL = "random-bigram-128"


class RandomEncoder:
    """A stand-in embedding model: hashed character bigrams through a fixed random projection."""

    def __init__(self, dim: int = 128, buckets: int = 8192, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.dimension = dim
        self.weights = rng.standard_normal((buckets, dim)).astype(np.float32)
        self.buckets = buckets
        self.seconds = 0.0

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        started = time.perf_counter()
        out = np.zeros((len(texts), self.dimension), np.float32)
        for i, text in enumerate(texts):
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
            if len(codes) < 2:
                codes = np.append(codes, [0, 0])
            out[i] = self.weights[(codes[:-1] * 40503 + codes[1:]) % self.buckets].sum(axis=0)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        self.seconds += time.perf_counter() - started
        return out


def sentence_pool() -> list[tuple[str, str]]:
    """(text, simplified text) of every sentence of the shared passages."""
    from qa.chinese import sentence_spans, to_simplified

    pool = []
    for name in ("cmrc2018-dev", "drcd-dev"):
        for line in (SHARED / name / "passages.jsonl").read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            key = to_simplified(text)
            pool += [(text[a:b], key[a:b]) for a, b in sentence_spans(text) if b - a >= 8]
    return pool


def synthetic_articles(count: int, pool: list[tuple[str, str]], seed: int = 0):
    """``count`` distinct articles of 20–44 pool sentences each (about 32, as the news articles), in
    2–4 paragraphs."""
    from qa.types import Document

    rng = random.Random(seed)
    for i in range(count):
        picks = rng.sample(pool, rng.randint(20, 44))
        title_text, title_key = picks[0][0][:24], picks[0][1][:24]
        cut = sorted(rng.sample(range(1, len(picks)), min(3, len(picks) - 1)))
        text = key = ""
        for j, (t, k) in enumerate(picks):
            sep = "\n" if j in cut else ""
            text, key = text + sep + t, key + sep + k
        digest = hashlib.sha256(f"{title_text}\n{text}".encode()).hexdigest()[:16]
        yield Document(digest, f"synthetic/{i:06d}.txt", f"{title_text}（{i}）", "2024-01-01", text, key)


def store_of(folder: Path, backend: str) -> str:
    """The ``QA_STORE`` value of a backend's index under ``folder``."""
    return "faiss" if backend == "faiss" else str(folder / "milvus.db")


def build(size: int, folder: Path, pool, backend: str = "faiss") -> dict:
    from qa.building import build_index
    from qa.config import Settings

    documents = list(synthetic_articles(size, pool))
    encoder = RandomEncoder()
    settings = Settings.from_env(index_dir=folder, model=MODEL, reader="none", store=store_of(folder, backend))
    started = time.perf_counter()
    report = build_index(settings, full=True, progress=False, encoder=encoder, documents=documents)
    total = time.perf_counter() - started
    if backend == "milvus":  # Milvus Lite serves a .db to one process: let the serving process have it
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(store_of(folder, backend))
    size_bytes = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0
    return {"articles": report.articles, "chunks": report.chunks, "sentences": report.sentences,
            "build_s": total - encoder.seconds, "encode_s": encoder.seconds, "index_mb": size_bytes / 1e6}


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory of this process (``RssAnon``: without pages of memory-mapped index files,
    which the kernel can drop and re-read)."""
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def serve(folder: Path, questions: int, backend: str = "faiss") -> dict:
    """In a fresh process: load, then ask ``questions`` questions made from the corpus."""
    from qa.answering import Engine
    from qa.config import Settings
    from qa.questions import check_question
    from qa.retrieval import make_query

    started = time.perf_counter()
    settings = Settings.from_env(index_dir=folder, reader="none", store=store_of(folder, backend))
    engine = Engine(settings, build_if_missing=False)
    load_s = time.perf_counter() - started
    load_rss = rss_mb()
    engine.encoder = encoder = RandomEncoder()
    data = engine.data
    rng = random.Random(1)
    ids = [a.id for a in rng.sample(data.articles(), min(questions, data.manifest.articles))]
    texts = []
    for doc_id in ids:
        s = rng.choice(data.sentences[doc_id])
        texts.append(s.text[: max(8, len(s.text) // 2)] + "是什么？")
    queries = [make_query(t, encoder) for t in texts]
    retrieve_ms, answer_ms = [], []
    for q in queries:
        t0 = time.perf_counter()
        engine.retriever.run(q, 5)
        retrieve_ms.append((time.perf_counter() - t0) * 1000)
    # the questions' encodings are not timed: answer() gets them ready-made (keyed as it tidies them)
    engine.query = lambda question, _m={check_question(t): q for t, q in zip(texts, queries)}: _m[question]
    for t in texts:
        t0 = time.perf_counter()
        engine.answer(t, 5)
        answer_ms.append((time.perf_counter() - t0) * 1000)
    served_rss, served_anon = rss_mb(), rss_mb("RssAnon")
    vectors = np.stack([q.vector for q in queries])
    # exact search reads every vector: memory is measured before it
    recall = (faiss_recall if backend == "faiss" else milvus_recall)(data, vectors)
    return {"load_s": load_s, "rss_load_mb": load_rss, "rss_mb": served_rss, "anon_mb": served_anon,
            "retrieve_p50": float(np.percentile(retrieve_ms, 50)), "retrieve_p95": float(np.percentile(retrieve_ms, 95)),
            "answer_p50": float(np.percentile(answer_ms, 50)), "answer_p95": float(np.percentile(answer_ms, 95)),
            "recall_chunks": recall["chunks"], "recall_sentences": recall["sentences"],
            "dense": data.manifest.dense}


def faiss_recall(data, vectors: np.ndarray) -> dict:
    """recall@10 of the FAISS store's chunk and sentence search against exact search."""
    from qa import dense

    recall = {}
    for name, index in (("chunks", data.chunk_index), ("sentences", data.sentence_index)):
        truth = dense.exact_top(index.vectors, vectors, 10)
        found = [index.search(v, 10)[0] for v in vectors]
        recall[name] = dense.recall_at(found, truth)
    return recall


def milvus_recall(data, vectors: np.ndarray) -> dict:
    """recall@10 of Milvus's chunk and sentence search against exact search over every vector
    (read back from the collections)."""
    from qa import dense
    from qa.milvus_store import DENSE_SEARCH

    recall = {}
    for name in ("chunks", "sentences"):
        ids, rows = [], []
        it = data.client.query_iterator("qa_" + name, batch_size=4000, filter="", output_fields=["id", "vec"])
        while batch := it.next():
            ids += [r["id"] for r in batch]
            rows += [r["vec"] for r in batch]
        it.close()
        ids_arr = np.array(ids, np.int64)
        truth = ids_arr[dense.exact_top(np.array(rows, np.float32), vectors, 10)]
        found = [[h["id"] for h in data.client.search("qa_" + name, data=[v.tolist()], anns_field="vec", limit=10,
                                                      search_params=DENSE_SEARCH)[0]] for v in vectors]
        recall[name] = dense.recall_at(found, truth)
    return recall


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    p.add_argument("--backends", nargs="+", default=["faiss", "milvus"], choices=["faiss", "milvus"])
    p.add_argument("--milvus-max", type=int, default=10000,
                   help="largest size Milvus Lite is measured at (its Python engine is slow to fill)")
    p.add_argument("--questions", type=int, default=200)
    p.add_argument("--serve", help=argparse.SUPPRESS)
    p.add_argument("--backend", default="faiss", help=argparse.SUPPRESS)
    p.add_argument("--keep", action="store_true", help="keep the built indexes")
    args = p.parse_args()
    if args.serve:
        print(json.dumps(serve(Path(args.serve), args.questions, args.backend)))
        return
    pool = sentence_pool()
    print(f"sentence pool: {len(pool)} sentences", flush=True)
    for size in args.sizes:
        for backend in args.backends:
            if backend == "milvus" and size > args.milvus_max:
                print(f"milvus {size:>6} articles: not measured (above --milvus-max {args.milvus_max}: filling "
                      f"Milvus Lite's Python engine takes too long on this machine)", flush=True)
                continue
            measure(size, backend, pool, args)


def measure(size: int, backend: str, pool, args) -> None:
    """Build one corpus with one backend, serve it from a fresh process, print one line."""
    folder = Path(tempfile.mkdtemp(prefix=f"qa-scale-{backend}-{size}-")) / "index"
    built = build(size, folder, pool, backend)
    out = subprocess.run([sys.executable, __file__, "--serve", str(folder), "--backend", backend,
                          "--questions", str(args.questions)], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{backend} {size}: serving failed:\n{out.stderr[-3000:]}")
    served = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{backend:6} {size:>6} articles: {built['chunks']} chunks, {built['sentences']} sentences | "
          f"build {built['build_s']:.1f} s without encoding ({built['encode_s']:.1f} s encoding) | "
          f"index {built['index_mb']:.0f} MB | cold load {served['load_s']:.2f} s, "
          f"RSS {served['rss_load_mb']:.0f} MB after load, {served['rss_mb']:.0f} MB after questions "
          f"({served['anon_mb']:.0f} MB not file-backed) | "
          f"retrieve p50/p95 {served['retrieve_p50']:.1f}/{served['retrieve_p95']:.1f} ms | "
          f"answer p50/p95 {served['answer_p50']:.1f}/{served['answer_p95']:.1f} ms | "
          f"recall@10 chunks {served['recall_chunks']:.3f} sentences {served['recall_sentences']:.3f} | "
          f"dense {json.dumps(served['dense'])}", flush=True)
    if not args.keep:
        shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
