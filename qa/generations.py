"""Writing the index folder: a new generation written beside the live one and swapped in
atomically, the build lock, and pruning old generations. Reading and checking are in ``store``."""
from __future__ import annotations

import errno
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from . import integrity
from .store import CURRENT, KEEP_GENERATIONS, LOCK_FILE, BuildBusy, IndexCorrupt, IndexNotWritable, Manifest, live_path
from .types import Chunk, Document, Sentence

TOKENS = "tokens.txt"  # each chunk's keyword tokens, one line per chunk
STAMPS = "file_stamps.json"  # what the build read its article files with (see building._read_articles)


def not_writable(index_dir: Path, exc: Exception) -> IndexNotWritable:
    """The one-line message for a failed write into ``index_dir``, naming the fix."""
    from .messages import say

    code = getattr(exc, "errno", None)
    if code is None and shutil.disk_usage(index_dir).free < 2**20:
        code = errno.ENOSPC
    key = {errno.ENOSPC: "index_disk_full", errno.EDQUOT: "index_disk_full",
           errno.EROFS: "index_read_only"}.get(code or 0, "index_not_writable")
    return IndexNotWritable(say(key, path=index_dir, error=getattr(exc, "strerror", None) or exc))


@dataclass
class Entry:
    """One article as a build hands it to ``save``: the article, its sentences, its chunks."""

    document: Document
    sentences: list[Sentence]
    chunks: list[Chunk]


def save(index_dir: Path, manifest: Manifest, entries: list[Entry], chunk_vectors: np.ndarray,
         sentence_vectors: np.ndarray, chunk_tokens: list[list[str]],
         file_stamps: dict | None = None) -> Path:
    """Write a new generation (vectors in entry order) and make it live atomically; returns it.

    Raises:
        IndexNotWritable: the folder is read-only or the disk is full; the live index is untouched.
    """
    try:
        return _save(index_dir, manifest, entries, chunk_vectors, sentence_vectors, chunk_tokens, file_stamps)
    except (OSError, RuntimeError) as exc:  # faiss reports a failed write as RuntimeError
        for leftover in index_dir.glob(".tmp-gen-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        raise not_writable(index_dir, exc) from exc


def _save(index_dir: Path, manifest: Manifest, entries: list[Entry], chunk_vectors: np.ndarray,
          sentence_vectors: np.ndarray, chunk_tokens: list[list[str]], file_stamps: dict | None) -> Path:
    import logging

    import bm25s

    from . import dense, records

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    tmp = index_dir / f".tmp-{name}"
    tmp.mkdir()
    manifest.articles, manifest.chunks, manifest.sentences = records.write(
        tmp / "records.sqlite", ((e.document, e.sentences, e.chunks) for e in entries))
    chunk_sentences, sentence_chunks = _row_maps(entries)
    np.save(tmp / "chunk_sentences.npy", chunk_sentences)
    np.save(tmp / "sentence_chunks.npy", sentence_chunks)
    dim = manifest.dimension
    for kind, vectors in (("chunks", chunk_vectors), ("sentences", sentence_vectors)):
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dim)
        np.save(tmp / f"{kind}.npy", vectors)
        manifest.dense[kind] = asdict(dense.build(vectors, tmp / f"{kind}.faiss"))
    bm25 = bm25s.BM25()
    bm25.index(chunk_tokens if chunk_tokens else [["_"]], show_progress=False)
    bm25.save(str(tmp / "bm25"))
    # what the next build reuses instead of reading and tokenizing unchanged articles again
    (tmp / TOKENS).write_text("".join(" ".join(t) + "\n" for t in chunk_tokens), encoding="utf-8")
    (tmp / STAMPS).write_text(json.dumps(file_stamps or {}, ensure_ascii=False), encoding="utf-8")
    manifest.files = integrity.checksums(tmp)
    (tmp / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
    _fsync_tree(tmp)
    final = index_dir / name
    os.replace(tmp, final)
    pointer_tmp = index_dir / f".{CURRENT}.tmp"
    pointer_tmp.write_text(name, encoding="utf-8")
    with open(pointer_tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(pointer_tmp, index_dir / CURRENT)
    prune(index_dir)
    return final


def _row_maps(entries: list[Entry]) -> tuple[np.ndarray, np.ndarray]:
    """For each chunk the global rows of its first and last sentence (last < first: none); for
    each sentence the first and last chunk row holding it (last < first: none)."""
    n_chunks = sum(len(e.chunks) for e in entries)
    n_sents = sum(len(e.sentences) for e in entries)
    chunk_sentences = np.zeros((n_chunks, 2), np.int64)
    sentence_chunks = np.tile(np.array([[n_chunks, -1]], np.int64), (n_sents, 1))
    c_row = s_row = 0
    for e in entries:
        for i, c in enumerate(e.chunks):
            first, last = s_row + c.first_sentence, s_row + min(c.last_sentence, len(e.sentences) - 1)
            chunk_sentences[c_row + i] = (first, last)
            if last >= first:
                span = sentence_chunks[first : last + 1]
                np.minimum(span[:, 0], c_row + i, out=span[:, 0])
                np.maximum(span[:, 1], c_row + i, out=span[:, 1])
        c_row += len(e.chunks)
        s_row += len(e.sentences)
    return chunk_sentences, sentence_chunks


@contextmanager
def build_lock(index_dir: Path, wait: bool = True):
    """Hold the index folder's build lock: one build at a time, also across processes.

    Raises:
        BuildBusy: ``wait`` is False and another build holds the lock.
        IndexNotWritable: the folder cannot be created or written.
    """
    import fcntl

    from .messages import say

    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / LOCK_FILE, "a")
    except OSError as exc:
        raise not_writable(index_dir, exc) from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise BuildBusy(say("index_build_busy", path=index_dir)) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prune(index_dir: Path, keep: int = KEEP_GENERATIONS) -> None:
    """Remove leftovers of interrupted builds and all generations but the live one and the
    newest ones before it (``keep`` in all)."""
    try:
        live = live_path(index_dir)
    except IndexCorrupt:
        return
    older = sorted((e for e in index_dir.iterdir() if e.is_dir() and e.name.startswith("gen-") and e != live),
                   key=lambda e: e.stat().st_mtime, reverse=True)
    kept = {live, *older[: max(keep - 1, 0)]}
    for entry in index_dir.iterdir():
        if entry.is_dir() and entry not in kept and (entry.name.startswith("gen-") or entry.name.startswith(".tmp-")):
            shutil.rmtree(entry, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())


def previous_tokens(path: Path | None) -> list[list[str]] | None:
    """The keyword tokens of every chunk of the generation in ``path``, if it recorded them."""
    try:
        return [line.split() for line in (path / TOKENS).read_text(encoding="utf-8").split("\n")[:-1]]
    except (OSError, TypeError, UnicodeDecodeError):
        return None


def previous_stamps(path: Path | None) -> dict:
    """The file stamps the generation in ``path`` was saved with ({} when it has none)."""
    try:
        stamps = json.loads((path / STAMPS).read_text(encoding="utf-8"))
    except (OSError, TypeError, ValueError):
        return {}
    return stamps if isinstance(stamps, dict) else {}
