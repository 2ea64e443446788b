"""Dense search over stored vectors through FAISS: exact for small sets, IVF with fast-scan
product-quantisation codes above them.

Vectors live in a float32 ``.npy`` file opened memory-mapped for whole-file work (a rebuild's
reuse, exact search in benchmarks); the few rows a question needs are read with ``pread``
(``RowReader``), because touching a row of a mapping maps the pages around it as well (the kernel's
fault-around), so a few hundred questions would make the whole file resident.
Up to ``FLAT_LIMIT`` vectors the index is exact (flat inner product, opened memory-mapped). Above
it an inverted-file index of 4-bit product-quantisation codes, one per dimension, scanned with SIMD
("fast scan"), finds ``RERANK`` times as many candidates as asked, which are then scored exactly
against the float vectors. Its codes are an eighth of the float vectors' size and are read into
memory. The number of lists searched (``nprobe``) is chosen at build time, on questions made
from the corpus itself, as the smallest that keeps their recall@10 against exact search at
``TARGET_RECALL``. Real questions are no harder than these probes: the 10,661 sentences of the
CMRC dev passages as m3e vectors, indexed this way with every list searched, gave the 3,219 CMRC
questions recall@10 0.999 where the probes had 0.9935. Indexes built before fast scan (``kind``
"ivf": 8-bit scalar codes, memory-mapped) still load.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Exact search of 50,000 512-d vectors takes about 10 ms on one core; above that, approximate.
FLAT_LIMIT = 50_000
# Candidates scored exactly per row asked. With 4-bit codes of one dimension each, 4 are as good as
# 20: 1.6 million sentence vectors of bench_scale at 50,000 articles, nprobe 946 of 1,262, recall@10
# 0.997 with 40 candidates and 0.9975 with 200 (codes of two dimensions each: 0.938 and 0.9985).
RERANK = 4
TARGET_RECALL = 0.998
PROBE_QUESTIONS = 200


@dataclass(frozen=True)
class DenseParams:
    """How a dense index was built: ``kind`` "flat", "ivf-pq" (fast scan) or "ivf" (8-bit codes,
    older indexes), its lists and lists searched, and the probes' recall@10 against exact search."""

    kind: str = "flat"
    nlist: int = 0
    nprobe: int = 0
    recall: float = 1.0


def build(vectors: np.ndarray, path: Path, flat_limit: int = FLAT_LIMIT, seed: int = 0) -> DenseParams:
    """Write the FAISS index of ``vectors`` (normalised float32 rows) to ``path``; returns how."""
    import faiss

    n, dim = vectors.shape
    if n <= flat_limit:
        index = faiss.IndexFlatIP(dim)
        if n:
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        faiss.write_index(index, str(path))
        return DenseParams("flat")
    nlist = max(16, int(math.sqrt(n)))
    index = faiss.index_factory(dim, f"IVF{nlist},PQ{dim}x4fs", faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(seed)
    sample = vectors[np.sort(rng.choice(n, size=min(n, 40 * nlist), replace=False))]
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    for start in range(0, n, 65536):
        index.add(np.ascontiguousarray(vectors[start : start + 65536], dtype=np.float32))
    nprobe, recall = _tune(index, vectors, nlist, rng)
    index.nprobe = nprobe
    faiss.write_index(index, str(path))
    return DenseParams("ivf-pq", nlist, nprobe, recall)


def probe_questions(vectors: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """Question-like vectors made from the corpus: the normalised sum of three random rows, so each
    sits among real passages without being close to any one of them."""
    n = len(vectors)
    q = sum(np.asarray(vectors[rng.integers(0, n, count)], dtype=np.float32) for _ in range(3))
    return q / np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-12)


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Row numbers of the exact top ``k`` of each query, scanning ``vectors`` in blocks."""
    best_s = np.full((len(queries), 0), -np.inf, np.float32)
    best_i = np.zeros((len(queries), 0), np.int64)
    for start in range(0, len(vectors), 131072):
        block = np.asarray(vectors[start : start + 131072], dtype=np.float32)
        s = queries @ block.T
        kk = min(k, s.shape[1])
        part = np.argpartition(-s, kk - 1, axis=1)[:, :kk]
        best_s = np.hstack([best_s, np.take_along_axis(s, part, 1)])
        best_i = np.hstack([best_i, part + start])
        keep = np.argsort(-best_s, axis=1, kind="stable")[:, :k]
        best_s, best_i = np.take_along_axis(best_s, keep, 1), np.take_along_axis(best_i, keep, 1)
    return best_i


def recall_at(found, truth: np.ndarray) -> float:
    """Mean share of the exact top rows that were found."""
    k = truth.shape[1]
    return float(np.mean([len(set(f[:k]) & set(t)) / k for f, t in zip(found, truth)]))


def _tune(index, vectors: np.ndarray, nlist: int, rng: np.random.Generator) -> tuple[int, float]:
    """The smallest ``nprobe`` (to within a sixteenth) whose probe recall@10 reaches the target:
    doubling until it does, then halving the gap to the last one that did not."""
    queries = probe_questions(vectors, PROBE_QUESTIONS, rng)
    truth = exact_top(vectors, queries, 10)

    def recall(nprobe: int) -> float:
        index.nprobe = nprobe
        _, cand = index.search(queries, 10 * RERANK)
        return recall_at([_rerank(vectors, q, c[c >= 0], 10)[0] for q, c in zip(queries, cand)], truth)

    low, high = 0, 1
    found = recall(high)
    while found < TARGET_RECALL and high < nlist:
        low, high = high, min(nlist, high * 2)
        found = recall(high)
    while high - low > max(1, high // 16):
        middle = (low + high) // 2
        at_middle = recall(middle)
        if at_middle >= TARGET_RECALL:
            high, found = middle, at_middle
        else:
            low = middle
    return high, found


class RowReader:
    """Rows of a memory-mapped ``.npy`` matrix read with ``pread``: the pages read stay in the
    kernel's file cache instead of the process's resident memory.

    Args:
        vectors: a matrix from ``np.load(..., mmap_mode="r")`` (any other array is indexed directly).
    """

    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors = vectors
        self._fd = -1
        if isinstance(vectors, np.memmap) and vectors.filename and vectors.flags.c_contiguous:
            self._fd = os.open(vectors.filename, os.O_RDONLY)
            self._offset = int(vectors.offset)
            self._row = int(vectors.dtype.itemsize * math.prod(vectors.shape[1:]))

    def take(self, rows: np.ndarray) -> np.ndarray:
        """The given rows (sorted ascending reads best), as float32."""
        if self._fd < 0:
            return np.asarray(self.vectors[rows], dtype=np.float32)
        out = np.empty((len(rows), *self.vectors.shape[1:]), self.vectors.dtype)
        buffer = memoryview(out.reshape(-1).view(np.uint8))
        rows = np.asarray(rows, np.int64)
        cuts = (np.flatnonzero(np.diff(rows) != 1) + 1).tolist()
        starts = rows[[0, *cuts]].tolist() if len(rows) else []
        size, base, fd = self._row, self._offset, self._fd
        for i, j, first in zip([0, *cuts], [*cuts, len(rows)], starts):  # one read per run of consecutive rows
            os.preadv(fd, [buffer[i * size:j * size]], base + first * size)
        return out.astype(np.float32, copy=False)

    def close(self) -> None:
        """Close the file (also done when the reader is dropped)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    __del__ = close


def _rerank(vectors, query: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best of ``rows`` by exact inner product (``vectors``: an array or a RowReader)."""
    if not len(rows):
        return rows.astype(np.int64), np.zeros(0, np.float32)
    rows = np.unique(rows)  # sorted: reads the file in order
    block = vectors.take(rows) if isinstance(vectors, RowReader) else np.asarray(vectors[rows], dtype=np.float32)
    scores = block @ query
    order = np.argsort(-scores, kind="stable")[:k]
    return rows[order].astype(np.int64), scores[order]


class DenseIndex:
    """Search one set of vectors: ``search(query, k, allowed)`` → (rows, scores), best first.

    Args:
        vectors: the float32 vectors (memory-mapped), row = id.
        path: the FAISS index file written by ``build``.
        params: how it was built.
    """

    def __init__(self, vectors: np.ndarray, path: Path, params: DenseParams) -> None:
        import faiss

        self.vectors = vectors
        self.rows = RowReader(vectors)
        self.params = params
        flag = {"flat": faiss.IO_FLAG_MMAP_IFC, "ivf": faiss.IO_FLAG_MMAP}.get(params.kind, 0)
        self.index = faiss.read_index(str(path), flag | faiss.IO_FLAG_READ_ONLY)
        if params.kind != "flat":
            self.index.nprobe = params.nprobe
            # One question at a time: split its lists over the threads, not the (single) query
            # (8-bit codes, bench_scale at 50k: retrieve p95 53 -> 39 ms on 2 cores; fast-scan codes
            # are about as fast either way).
            self.index.parallel_mode = 1

    @property
    def ntotal(self) -> int:
        return int(self.index.ntotal)

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` rows closest to ``query`` (inner product), optionally only among ``allowed`` rows."""
        import faiss

        n = self.ntotal
        k = min(k, n)
        if k <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        query = np.ascontiguousarray(query, dtype=np.float32)
        if allowed is not None and len(allowed) <= FLAT_LIMIT:
            return _rerank(self.rows, query, np.asarray(allowed, np.int64), k)
        params = None
        if allowed is not None:
            selector = faiss.IDSelectorBatch(np.asarray(allowed, np.int64))
            params = (faiss.SearchParametersIVF(sel=selector, nprobe=self.params.nprobe)
                      if self.params.kind != "flat" else faiss.SearchParameters(sel=selector))
        if self.params.kind == "flat":
            scores, rows = self.index.search(query[None, :], k, params=params)
            keep = rows[0] >= 0
            return rows[0][keep].astype(np.int64), scores[0][keep]
        _, rows = self.index.search(query[None, :], min(n, k * RERANK), params=params)
        return _rerank(self.rows, query, rows[0][rows[0] >= 0], k)

    def scores(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Exact similarity of ``query`` to the given rows."""
        rows = np.asarray(rows, np.int64)
        if not len(rows):
            return np.zeros(0, np.float32)
        order = np.argsort(rows, kind="stable")
        scores = np.empty(len(rows), np.float32)
        scores[order] = self.rows.take(rows[order]) @ np.asarray(query, np.float32)
        return scores

    def close(self) -> None:
        """Close the file the rows are read from."""
        self.rows.close()
