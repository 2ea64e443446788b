"""The FAISS store: an index folder's generation opened without reading it.

Records are read per article from SQLite (``qa.records``); vectors, FAISS indexes (``qa.dense``)
and the BM25 matrices are memory-mapped, so opening costs the same at 5 or 50,000 articles and
memory holds only what questions touch. ``qa.store`` writes the generations and opens them.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .dense import DenseIndex, DenseParams
from .fusion import Candidate, fuse
from .records import Article, Records
from .store import Manifest
from .types import Chunk, QueryVectors


class ArticleTable(Mapping[str, dict[str, Any]]):
    """``manifest.documents`` of an opened index (doc id → source, title, date, chunks,
    sentences): read with one ``articles()`` call on first use."""

    def __init__(self, records) -> None:
        self._records = records
        self._table: dict[str, dict[str, Any]] | None = None

    def _get(self) -> dict[str, dict[str, Any]]:
        if self._table is None:
            self._table = {a.id: {"source": a.source, "title": a.title, "date": a.date, "chunks": a.chunks,
                                  "sentences": a.sentences} for a in self._records.articles()}
        return self._table

    def __getitem__(self, key: str) -> dict[str, Any]:
        return self._get()[key]

    def __iter__(self):
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


class _SentenceVectors(Mapping[str, np.ndarray]):
    """``data.sentence_vectors[doc_id]`` → the article's sentence vectors (a memory-mapped slice)."""

    def __init__(self, data: "IndexData") -> None:
        self._data = data

    def __getitem__(self, doc_id: str) -> np.ndarray:
        art = self._data.article(doc_id)
        if art is None:
            raise KeyError(doc_id)
        return self._data.sentence_index.vectors[art.first_sentence : art.first_sentence + art.sentences]

    def __iter__(self):
        return iter(self._data.documents)

    def __len__(self) -> int:
        return len(self._data.documents)


class IndexData:
    """An opened FAISS-store index (a ``Store``): records read on demand, vectors and indexes
    memory-mapped.

    ``documents`` / ``sentences`` (doc id → …) and ``chunks`` (by id) behave like the dict and list
    they look like; ``articles()`` lists the articles without their text.
    """

    def __init__(self, manifest: Manifest, path: Path) -> None:
        import bm25s

        self.manifest = manifest
        self.path = path
        self.records = Records(path / "records.sqlite")
        self.documents = self.records.documents
        self.sentences = self.records.sentences
        self.chunks = self.records.chunks
        chunk_vectors = np.load(path / "chunks.npy", mmap_mode="r")
        sentence_vectors = np.load(path / "sentences.npy", mmap_mode="r")
        self.chunk_index = DenseIndex(chunk_vectors, path / "chunks.faiss", DenseParams(**manifest.dense["chunks"]))
        self.sentence_index = DenseIndex(sentence_vectors, path / "sentences.faiss",
                                         DenseParams(**manifest.dense["sentences"]))
        self.chunk_sentences = np.load(path / "chunk_sentences.npy", mmap_mode="r")
        self.sentence_chunks = np.load(path / "sentence_chunks.npy", mmap_mode="r")
        self.bm25 = bm25s.BM25.load(str(path / "bm25"), mmap=True)
        manifest.documents = ArticleTable(self.records)
        self.sentence_vectors = _SentenceVectors(self)

    @property
    def chunk_vectors(self) -> np.ndarray:
        return self.chunk_index.vectors

    @property
    def faiss_index(self):
        return self.chunk_index.index

    def articles(self) -> list[Article]:
        """Every article (id, source, title, date, chunk and sentence counts), in index order."""
        return self.records.articles()

    def article(self, doc_id: str) -> Article | None:
        return self.records.article(doc_id)

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return self.records.chunks_of(doc_id)

    def candidates(self, query: QueryVectors, depth: int, doc_ids: list[str] | None = None) -> list[Candidate]:
        """The chunks of the three rankings (``rankings``) of a question, fused, best first."""
        return fuse(self.rankings(query.vector, query.tokens, depth, doc_ids))

    def rankings(self, vector: np.ndarray, tokens: list[str], depth: int,
                 doc_ids: list[str] | None = None) -> dict[str, list[int]]:
        """Chunk ids, best first, of three rankings of up to ``depth`` chunks (optionally only of
        the articles ``doc_ids``): "dense" (chunk vectors), "sentence" (the chunks holding the
        nearest sentence vectors) and "keyword" (BM25, only chunks with a positive score)."""
        data = self
        n = data.manifest.chunks
        allowed = None
        if doc_ids is not None:
            arts = [a for a in (self.article(i) for i in doc_ids) if a is not None]
            rows = [np.arange(a.first_chunk, a.first_chunk + a.chunks) for a in arts]
            allowed = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        dense_rows, _ = data.chunk_index.search(vector, depth, allowed)
        sentence_allowed = None
        if allowed is not None:
            spans = data.chunk_sentences[allowed]
            sentence_allowed = np.unique(np.concatenate(
                [np.arange(a, b + 1) for a, b in spans if b >= a] or [np.zeros(0, np.int64)]))
        sent_rows, _ = data.sentence_index.search(vector, depth * 4, sentence_allowed)
        by_sentence: dict[int, None] = {}
        allowed_set = set(allowed.tolist()) if allowed is not None else None
        for row in sent_rows:
            first, last = data.sentence_chunks[row]
            for c in range(int(first), int(last) + 1):
                if allowed_set is None or c in allowed_set:
                    by_sentence.setdefault(c, None)
            if len(by_sentence) >= depth:
                break
        keyword: list[int] = []
        if tokens:
            scores = np.asarray(data.bm25.get_scores(tokens), dtype=np.float32)[:n]
            # only the chunks holding a question word are ranked, not all of them
            found = np.flatnonzero(scores > 0) if allowed is None else allowed[scores[allowed] > 0]
            if len(found) > depth:
                found = found[np.argpartition(-scores[found], depth - 1)[:depth]]
            keyword = found[np.lexsort((found, -scores[found]))].tolist()  # ties: lower id first
        return {"dense": [int(r) for r in dense_rows], "sentence": list(by_sentence)[:depth], "keyword": keyword}

    def chunk(self, row: int) -> Chunk:
        """The chunk with id ``row``."""
        return self.records.chunk(row)

    def chunk_titles(self, rows: list[int]) -> dict[int, tuple[str, str]]:
        """(article id, headline) of each chunk."""
        return self.records.chunk_titles(rows)

    def sentence_similarity(self, doc_id: str, indices: list[int], vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of ``vector`` to the given sentences of one article."""
        first = self.sentence_row(doc_id, 0)
        return self.sentence_index.scores(np.asarray(indices, np.int64) + first, vector)

    def ids_for_sources(self, sources: Iterable[str]) -> list[str]:
        return self.records.ids_for_sources(sources)

    def sentence_row(self, doc_id: str, index: int) -> int:
        """Global row of sentence ``index`` of an article."""
        art = self.article(doc_id)
        if art is None:
            raise KeyError(doc_id)
        return art.first_sentence + index

    def close(self) -> None:
        self.records.close()
        self.chunk_index.close()
        self.sentence_index.close()
