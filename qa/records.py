"""The index's records (articles, chunks, sentences with offsets) in one SQLite file.

Nothing is read at opening: each record is fetched by id when a question needs it, so opening an
index of 50,000 articles costs the same as opening one of five. Chunk and sentence texts are not
stored twice: they are slices of their article's text (``text`` and simplified ``key``).

Row numbers are global and contiguous per article (in article order): an article's chunks are rows
``first_chunk .. first_chunk + chunks - 1`` of the chunk vectors, its sentences rows
``first_sentence .. first_sentence + sentences - 1`` of the sentence vectors.
"""
from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .types import Chunk, Document, Sentence

SCHEMA = """
CREATE TABLE documents (row INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, source TEXT NOT NULL,
    title TEXT NOT NULL, date TEXT, text TEXT NOT NULL, key TEXT NOT NULL,
    first_chunk INTEGER NOT NULL, chunks INTEGER NOT NULL,
    first_sentence INTEGER NOT NULL, sentences INTEGER NOT NULL);
CREATE TABLE chunks (row INTEGER PRIMARY KEY, doc INTEGER NOT NULL, start INTEGER NOT NULL,
    end INTEGER NOT NULL, first_sentence INTEGER NOT NULL, last_sentence INTEGER NOT NULL);
CREATE TABLE sentences (row INTEGER PRIMARY KEY, doc INTEGER NOT NULL, start INTEGER NOT NULL,
    end INTEGER NOT NULL);
"""
CACHE = 256  # articles kept decoded between questions


@dataclass(frozen=True)
class Article:
    """One indexed article as lists show it: where it came from and how much of it is indexed."""

    id: str
    source: str
    title: str
    date: str | None
    chunks: int
    sentences: int
    first_chunk: int = 0
    first_sentence: int = 0


def write(path: Path, documents: Iterable[tuple[Document, list[Sentence], list[Chunk]]]) -> tuple[int, int, int]:
    """Write every (article, its sentences, its chunks) in order; returns the numbers of articles,
    chunks and sentences written. Chunk ids are renumbered to their global row."""
    con = sqlite3.connect(path)
    con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
    n_docs = n_chunks = n_sents = 0
    for doc, sentences, chunks in documents:
        con.execute("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (n_docs, doc.id, doc.source, doc.title, doc.date, doc.text, doc.key,
                     n_chunks, len(chunks), n_sents, len(sentences)))
        con.executemany("INSERT INTO chunks VALUES (?,?,?,?,?,?)",
                        [(n_chunks + i, n_docs, c.start, c.end, c.first_sentence, c.last_sentence)
                         for i, c in enumerate(chunks)])
        con.executemany("INSERT INTO sentences VALUES (?,?,?,?)",
                        [(n_sents + i, n_docs, s.start, s.end) for i, s in enumerate(sentences)])
        n_docs, n_chunks, n_sents = n_docs + 1, n_chunks + len(chunks), n_sents + len(sentences)
    con.commit()
    con.close()
    return n_docs, n_chunks, n_sents


class Records:
    """Read access to a records file: articles, chunks and sentences fetched by id, cached a little.

    Safe to share between threads (one connection, serialised by a lock).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        uri = f"file:{path}?mode=ro&immutable=1"
        self._con = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._counts: tuple[int, int, int] | None = None
        self._docs: OrderedDict[str, tuple[Article, Document, list[Sentence]]] = OrderedDict()
        self.documents = _Documents(self)
        self.sentences = _Sentences(self)
        self.chunks = _Chunks(self)

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._con.execute(sql, args).fetchall()

    def counts(self) -> tuple[int, int, int]:
        """Numbers of articles, chunks and sentences."""
        if self._counts is None:
            self._counts = tuple(self._query(  # type: ignore[assignment]
                "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM chunks), "
                "(SELECT count(*) FROM sentences)")[0])
        return self._counts  # type: ignore[return-value]

    def articles(self) -> list[Article]:
        """Every article in index order (without its text)."""
        rows = self._query("SELECT id, source, title, date, chunks, sentences, first_chunk, first_sentence "
                           "FROM documents ORDER BY row")
        return [Article(*r) for r in rows]

    def article(self, doc_id: str) -> Article | None:
        entry = self._load(doc_id)
        return entry[0] if entry else None

    def article_at(self, row: int) -> str:
        """Id of the article in ``row``."""
        return self._query("SELECT id FROM documents WHERE row=?", (int(row),))[0][0]

    def ids_for_sources(self, sources: Iterable[str]) -> list[str]:
        """Ids of the articles named by source file (or by id)."""
        names = list(dict.fromkeys(sources))
        out: list[str] = []
        for i in range(0, len(names), 500):
            part = names[i : i + 500]
            marks = ",".join("?" * len(part))
            out += [r[0] for r in self._query(
                f"SELECT id FROM documents WHERE source IN ({marks}) OR id IN ({marks}) ORDER BY row", tuple(part) * 2)]
        return out

    def _load(self, doc_id: str) -> tuple[Article, Document, list[Sentence]] | None:
        with self._lock:
            entry = self._docs.get(doc_id)
            if entry is not None:
                self._docs.move_to_end(doc_id)
                return entry
            row = self._con.execute(
                "SELECT row, id, source, title, date, text, key, chunks, sentences, first_chunk, first_sentence "
                "FROM documents WHERE id=?", (doc_id,)).fetchone()
            if row is None:
                return None
            spans = self._con.execute("SELECT start, end FROM sentences WHERE row >= ? AND row < ? ORDER BY row",
                                      (row[10], row[10] + row[8])).fetchall()
        _, i, source, title, date, text, key, n_chunks, n_sents, first_chunk, first_sent = row
        doc = Document(i, source, title, date, text, key)
        sentences = [Sentence(i, k, a, b, text[a:b], key[a:b]) for k, (a, b) in enumerate(spans)]
        entry = (Article(i, source, title, date, n_chunks, n_sents, first_chunk, first_sent), doc, sentences)
        with self._lock:
            self._docs[doc_id] = entry
            while len(self._docs) > CACHE:
                self._docs.popitem(last=False)
        return entry

    def chunk_titles(self, rows: list[int]) -> dict[int, tuple[str, str]]:
        """(article id, headline) of each chunk row, without reading the articles' text."""
        out: dict[int, tuple[str, str]] = {}
        for i in range(0, len(rows), 500):
            part = [int(r) for r in rows[i : i + 500]]
            marks = ",".join("?" * len(part))
            out.update((r, (d, t)) for r, d, t in self._query(
                f"SELECT c.row, d.id, d.title FROM chunks c JOIN documents d ON d.row = c.doc "
                f"WHERE c.row IN ({marks})", tuple(part)))
        return out

    def chunk(self, row: int) -> Chunk:
        """The chunk in ``row`` (its id)."""
        found = self._query("SELECT d.id, c.start, c.end, c.first_sentence, c.last_sentence "
                            "FROM chunks c JOIN documents d ON d.row = c.doc WHERE c.row=?", (int(row),))
        if not found:
            raise IndexError(row)
        doc_id, start, end, first, last = found[0]
        doc = self.documents[doc_id]
        return Chunk(int(row), doc_id, start, end, doc.text[start:end], doc.key[start:end], first, last)

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """The chunks of one article, in order."""
        entry = self._load(doc_id)
        if entry is None:
            return []
        art = entry[0]
        return [self.chunk(r) for r in range(art.first_chunk, art.first_chunk + art.chunks)]

    def close(self) -> None:
        with self._lock:
            self._con.close()


class _Documents(Mapping[str, Document]):
    """``records.documents[doc_id]`` → Document, read on demand."""

    def __init__(self, records: Records) -> None:
        self._r = records

    def __getitem__(self, doc_id: str) -> Document:
        entry = self._r._load(doc_id)
        if entry is None:
            raise KeyError(doc_id)
        return entry[1]

    def __iter__(self) -> Iterator[str]:
        return iter([a.id for a in self._r.articles()])

    def __len__(self) -> int:
        return self._r.counts()[0]

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and bool(self._r._query("SELECT 1 FROM documents WHERE id=?", (doc_id,)))


class _Sentences(Mapping[str, list[Sentence]]):
    """``records.sentences[doc_id]`` → the article's sentences in order, read on demand."""

    def __init__(self, records: Records) -> None:
        self._r = records

    def __getitem__(self, doc_id: str) -> list[Sentence]:
        entry = self._r._load(doc_id)
        if entry is None:
            raise KeyError(doc_id)
        return entry[2]

    def __iter__(self) -> Iterator[str]:
        return iter(self._r.documents)

    def __len__(self) -> int:
        return len(self._r.documents)


class _Chunks(Sequence[Chunk]):
    """``records.chunks[i]`` → the chunk with id ``i``, read on demand."""

    def __init__(self, records: Records) -> None:
        self._r = records

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return self._r.chunk(i)

    def __len__(self) -> int:
        return self._r.counts()[1]

    def __iter__(self) -> Iterator[Chunk]:
        for art in self._r.articles():
            yield from self._r.chunks_of(art.id)
