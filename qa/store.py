"""The index folder (the FAISS store): generations, their files, and opening one without reading it.

Layout::

    index/CURRENT            name of the live generation (replaced atomically)
    index/.build.lock        held by the one build that may run at a time
    index/gen-<stamp>/       manifest.json       settings, counts, model identity, file checksums
                             records.sqlite      articles, chunks, sentences (qa.records)
                             chunks.npy, sentences.npy          float32 vectors (memory-mapped)
                             chunks.faiss, sentences.faiss      FAISS indexes (qa.dense)
                             chunk_sentences.npy, sentence_chunks.npy   which rows hold which
                             bm25/               bm25s keyword index (memory-mapped)

A build writes a new generation beside the live one and then swaps ``CURRENT``; a build killed at
any moment therefore leaves the previous generation live and loadable. The generation a build
replaces is kept until the next build, so a reader that read ``CURRENT`` just before the swap can
still open it.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from . import integrity
from .fusion import Candidate
from .records import Article
from .types import Chunk, Document, QueryVectors, Sentence

if TYPE_CHECKING:
    from .faiss_store import IndexData

FORMAT_VERSION = 3
CURRENT = "CURRENT"
LOCK_FILE = ".build.lock"
KEEP_GENERATIONS = 2  # the live one and the one it replaced (readers may still be opening it)


class IndexError_(RuntimeError):
    """Base of index problems; the message always names the fix."""


class IndexMissing(IndexError_):
    """No index has been built in this folder yet."""


class IndexCorrupt(IndexError_):
    """The index files are unreadable or inconsistent."""


class ModelChanged(IndexError_):
    """The embedding model's files differ from the ones the index was built with."""


class IndexNotWritable(IndexError_):
    """The index folder cannot be written (permissions, read-only file system, disk full)."""


class BuildBusy(IndexError_):
    """Another build holds the index folder's lock."""


def _corrupt(index_dir: Path, problem: str) -> IndexCorrupt:
    from .messages import say

    return IndexCorrupt(say("index_corrupt", problem=problem, index=index_dir))


@dataclass
class Manifest:
    """What an index was built from and with. ``documents`` (doc id → source, title, date, chunks,
    sentences) is filled from the records when the index is loaded, not stored in the manifest."""

    model: str
    dimension: int
    chunk_size: int
    chunk_overlap: int
    articles: int = 0
    chunks: int = 0
    sentences: int = 0
    model_identity: dict[str, str] = field(default_factory=dict)
    dense: dict[str, dict[str, Any]] = field(default_factory=dict)  # "chunks"/"sentences" -> DenseParams
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # relative path -> size, sha256
    versions: dict[str, str] = field(default_factory=dict)
    rules: str = ""  # splitting.splitting_rules() of the build
    built_at: str = ""
    build_seconds: float = 0.0
    format: int = FORMAT_VERSION
    documents: Mapping[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> str:
        data = asdict(self)
        data.pop("documents")
        return json.dumps(data, ensure_ascii=False, indent=1)


class Store(Protocol):
    """What the rest of the package asks of an index, whichever engine holds it (the seam)."""

    manifest: Manifest
    documents: Mapping[str, Document]
    sentences: Mapping[str, list[Sentence]]

    def articles(self) -> list[Article]: ...
    def article(self, doc_id: str) -> Article | None: ...
    def chunk(self, chunk_id: int) -> Chunk: ...
    def chunks_of(self, doc_id: str) -> list[Chunk]: ...
    def chunk_titles(self, chunk_ids: list[int]) -> dict[int, tuple[str, str]]: ...
    def ids_for_sources(self, sources: Iterable[str]) -> list[str]: ...
    def candidates(self, query: QueryVectors, depth: int, doc_ids: list[str] | None = None) -> list[Candidate]: ...
    def sentence_similarity(self, doc_id: str, indices: list[int], vector: np.ndarray) -> np.ndarray: ...
    def close(self) -> None: ...


def __getattr__(name: str):
    if name == "IndexData":  # the FAISS store's class, where it always was
        from .faiss_store import IndexData

        return IndexData
    raise AttributeError(name)


def library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("sentence-transformers", "torch", "faiss-cpu", "bm25s", "jieba", "langchain-text-splitters"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


def open_store(settings) -> "Store":
    """The index ``settings`` name: the index folder (``store == "faiss"``) or a Milvus store."""
    from .milvus_store import MilvusStore, is_milvus
    from .messages import say

    if not is_milvus(settings.store):
        return load(settings.index_dir)
    milvus = MilvusStore(settings.store, settings.milvus_token)
    if milvus.manifest is None:
        milvus.close()
        raise IndexMissing(say("index_missing_milvus", store=settings.store))
    return milvus


def live_path(index_dir: Path) -> Path | None:
    """Folder of the live generation, or None when nothing was built."""
    from .messages import say

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
    return _read_manifest(index_dir, live_path(index_dir))


def _read_manifest(index_dir: Path, path: Path | None) -> Manifest:
    from .messages import say

    if path is None:
        raise IndexMissing(say("index_missing", index=index_dir))
    try:
        data = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        manifest = Manifest(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise _corrupt(index_dir, say("index_manifest_unreadable", error=exc)) from exc
    if manifest.format != FORMAT_VERSION:
        raise _corrupt(index_dir, say("index_format", found=manifest.format, expected=FORMAT_VERSION))
    return manifest


def load(index_dir: Path, attempts: int = 2) -> IndexData:
    """Open the live index (fast checks: every file present with its recorded size).

    A build may swap generations between reading ``CURRENT`` and opening the files; a failure is
    therefore retried once, on a fresh read of the pointer, before it is reported as corrupt.
    """
    for attempt in range(attempts):
        try:
            return _open(index_dir, live_path(index_dir))
        except IndexCorrupt:
            if attempt + 1 >= attempts:
                raise
    raise AssertionError("unreachable")


def _open(index_dir: Path, path: Path | None) -> IndexData:
    from .faiss_store import IndexData
    from .messages import say

    manifest = _read_manifest(index_dir, path)
    assert path is not None
    problems = integrity.size_problems(path, manifest.files)
    if problems:
        raise _corrupt(index_dir, "; ".join(problems))
    try:
        data = IndexData(manifest, path)
        counts = data.records.counts()
    except Exception as exc:
        raise _corrupt(index_dir, say("index_files_unreadable", error=f"{type(exc).__name__}: {exc}")) from exc
    consistent = (
        counts == (manifest.articles, manifest.chunks, manifest.sentences)
        and data.chunk_index.ntotal == manifest.chunks == len(data.chunk_sentences)
        and data.sentence_index.ntotal == manifest.sentences == len(data.sentence_chunks)
    )
    if not consistent:
        data.close()
        raise _corrupt(index_dir, say("index_files_disagree"))
    return data


def check(index_dir: Path, model: str | None = None) -> list[str]:
    """Full verification of the live index: every file's checksum, the records against the
    vectors, and the embedding model against the one it was built with. Returns the problems."""
    from .messages import say

    path = live_path(index_dir)
    manifest = _read_manifest(index_dir, path)
    assert path is not None
    problems = integrity.checksum_problems(path, manifest.files)
    if not problems:
        try:
            load(index_dir).close()
        except IndexCorrupt as exc:
            problems.append(str(exc))
    if integrity.model_changed(manifest.model_identity, model or manifest.model, full=True):
        problems.append(say("index_model_changed", model=model or manifest.model, index=index_dir))
    return problems


def check_store(settings, model: str | None = None) -> list[str]:
    """``check`` for the store ``settings`` name; a Milvus store is checked for its counts and model."""
    from .messages import say
    from .milvus_store import is_milvus

    if not is_milvus(settings.store):
        return check(settings.index_dir, model)
    data = open_store(settings)
    m = data.manifest
    problems = []
    if data.counts() != (m.articles, m.chunks, m.sentences):
        problems.append(say("integrity_counts", found=data.counts(), recorded=(m.articles, m.chunks, m.sentences)))
    if integrity.model_changed(m.model_identity, model or m.model, full=True):
        problems.append(say("index_model_changed", model=model or m.model, index=settings.store))
    data.close()
    return problems
