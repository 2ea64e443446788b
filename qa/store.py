"""The index folder: the one place that knows its layout.

Layout::

    index/CURRENT            name of the live generation (replaced atomically)
    index/.build.lock        held by the one build that may run at a time
    index/gen-<stamp>/       manifest.json, records.json, chunks.npy, sentences.npy,
                             chunks.faiss, bm25/ (bm25s)

A build writes a new generation beside the live one and then swaps ``CURRENT``; a build killed at
any moment therefore leaves the previous generation live and loadable.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .messages import say
from .types import Chunk, Document, Sentence

FORMAT_VERSION = 2
CURRENT = "CURRENT"
LOCK_FILE = ".build.lock"


class IndexError_(RuntimeError):
    """Base of index problems; the message always names the fix."""


class IndexMissing(IndexError_):
    """No index has been built in this folder yet."""


class IndexCorrupt(IndexError_):
    """The index files are unreadable or inconsistent."""


class IndexNotWritable(IndexError_):
    """The index folder cannot be written (permissions, read-only file system, disk full)."""


class BuildBusy(IndexError_):
    """Another build holds the index folder's lock."""


def _corrupt(index_dir: Path, problem: str) -> IndexCorrupt:
    return IndexCorrupt(say("index_corrupt", problem=problem, path=index_dir))


def not_writable(index_dir: Path, exc: Exception) -> IndexNotWritable:
    """The one-line message for a failed write into ``index_dir``, naming the fix."""
    code = getattr(exc, "errno", None)
    if code is None and shutil.disk_usage(index_dir).free < 2**20:
        code = errno.ENOSPC
    key = {errno.ENOSPC: "index_disk_full", errno.EDQUOT: "index_disk_full",
           errno.EROFS: "index_read_only"}.get(code or 0, "index_not_writable")
    return IndexNotWritable(say(key, path=index_dir, error=getattr(exc, "strerror", None) or exc))


@dataclass
class Manifest:
    """What an index was built from and with."""

    model: str
    dimension: int
    chunk_size: int
    chunk_overlap: int
    documents: dict[str, dict[str, Any]]  # doc id -> source, title, date, chunks, sentences
    versions: dict[str, str] = field(default_factory=dict)
    built_at: str = ""
    build_seconds: float = 0.0
    format: int = FORMAT_VERSION


@dataclass
class IndexData:
    """Everything a loaded index holds, ready for retrieval."""

    manifest: Manifest
    documents: dict[str, Document]
    chunks: list[Chunk]
    sentences: dict[str, list[Sentence]]  # doc id -> its sentences in order
    chunk_vectors: np.ndarray
    sentence_vectors: dict[str, np.ndarray]  # doc id -> one row per sentence
    faiss_index: Any = None
    bm25: Any = None
    path: Path | None = None


def library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("sentence-transformers", "torch", "faiss-cpu", "bm25s", "jieba", "langchain-text-splitters"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


def live_path(index_dir: Path) -> Path | None:
    """Folder of the live generation, or None when nothing was built."""
    pointer = index_dir / CURRENT
    try:
        name = pointer.read_bytes().decode("ascii").strip()
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise _corrupt(index_dir, say("index_pointer_garbled")) from None
    except OSError as exc:
        raise _corrupt(index_dir, str(exc.strerror or exc)) from exc
    path = index_dir / name
    if not name or "/" in name or not path.is_dir():
        raise _corrupt(index_dir, say("index_pointer_missing", name=name[:40]))
    return path


def read_manifest(index_dir: Path) -> Manifest:
    """The live manifest; raises IndexMissing / IndexCorrupt with the fix in the message."""
    path = live_path(index_dir)
    if path is None:
        raise IndexMissing(say("index_missing", path=index_dir))
    try:
        data = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise _corrupt(index_dir, say("index_manifest_unreadable", error=exc)) from exc
    if manifest.format != FORMAT_VERSION:
        raise _corrupt(index_dir, say("index_format", found=manifest.format, expected=FORMAT_VERSION))
    return manifest


def load(index_dir: Path) -> IndexData:
    """Load the live index with its FAISS and BM25 parts."""
    manifest = read_manifest(index_dir)
    path = live_path(index_dir)
    assert path is not None
    try:
        import bm25s
        import faiss

        records = json.loads((path / "records.json").read_text(encoding="utf-8"))
        documents = {d["id"]: Document(**d) for d in records["documents"]}
        chunks = [Chunk(**c) for c in records["chunks"]]
        sentences: dict[str, list[Sentence]] = {}
        for s in records["sentences"]:
            sentences.setdefault(s["doc_id"], []).append(Sentence(**s))
        chunk_vectors = np.load(path / "chunks.npy")
        all_sentence_vectors = np.load(path / "sentences.npy")
        faiss_index = faiss.read_index(str(path / "chunks.faiss"))
        bm25 = bm25s.BM25.load(str(path / "bm25"))
    except Exception as exc:
        raise _corrupt(index_dir, say("index_files_unreadable", error=f"{type(exc).__name__}: {exc}")) from exc
    sentence_vectors = {}
    row = 0
    for doc_id in documents:
        n = len(sentences.get(doc_id, []))
        sentence_vectors[doc_id] = all_sentence_vectors[row : row + n]
        row += n
    consistent = (
        len(chunks) == chunk_vectors.shape[0] == faiss_index.ntotal
        and row == all_sentence_vectors.shape[0]
        and set(documents) == set(manifest.documents)
    )
    if not consistent:
        raise _corrupt(index_dir, say("index_files_disagree"))
    return IndexData(manifest, documents, chunks, sentences, chunk_vectors, sentence_vectors, faiss_index, bm25, path)


def save(index_dir: Path, data: IndexData, chunk_tokens: list[list[str]]) -> Path:
    """Write ``data`` as a new generation and make it live atomically; returns its folder.

    Raises:
        IndexNotWritable: the folder is read-only or the disk is full; the live index is untouched.
    """
    try:
        return _save(index_dir, data, chunk_tokens)
    except (OSError, RuntimeError) as exc:  # faiss reports a failed write as RuntimeError
        for leftover in index_dir.glob(".tmp-gen-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        raise not_writable(index_dir, exc) from exc


def _save(index_dir: Path, data: IndexData, chunk_tokens: list[list[str]]) -> Path:
    import logging

    import bm25s
    import faiss

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    tmp = index_dir / f".tmp-{name}"
    tmp.mkdir()
    doc_order = list(data.documents)
    records = {
        "documents": [asdict(data.documents[d]) for d in doc_order],
        "chunks": [asdict(c) for c in data.chunks],
        "sentences": [asdict(s) for d in doc_order for s in data.sentences.get(d, [])],
    }
    (tmp / "records.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    np.save(tmp / "chunks.npy", data.chunk_vectors)
    dim = data.manifest.dimension
    sentence_rows = [data.sentence_vectors[d] for d in doc_order if len(data.sentence_vectors.get(d, []))]
    np.save(tmp / "sentences.npy", np.vstack(sentence_rows) if sentence_rows else np.zeros((0, dim), np.float32))
    flat = faiss.IndexFlatIP(dim)
    if len(data.chunk_vectors):
        flat.add(np.ascontiguousarray(data.chunk_vectors, dtype=np.float32))
    faiss.write_index(flat, str(tmp / "chunks.faiss"))
    bm25 = bm25s.BM25()
    bm25.index(chunk_tokens if chunk_tokens else [["_"]], show_progress=False)
    bm25.save(str(tmp / "bm25"))
    (tmp / "manifest.json").write_text(json.dumps(asdict(data.manifest), ensure_ascii=False, indent=1), encoding="utf-8")
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


@contextmanager
def build_lock(index_dir: Path, wait: bool = True):
    """Hold the index folder's build lock: one build at a time, also across processes.

    Raises:
        BuildBusy: ``wait`` is False and another build holds the lock.
        IndexNotWritable: the folder cannot be created or written.
    """
    import fcntl

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


def prune(index_dir: Path) -> None:
    """Remove generations that are not live and leftovers of interrupted builds."""
    try:
        live = live_path(index_dir)
    except IndexCorrupt:
        return
    for entry in index_dir.iterdir():
        if entry.is_dir() and entry != live and (entry.name.startswith("gen-") or entry.name.startswith(".tmp-")):
            shutil.rmtree(entry, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
