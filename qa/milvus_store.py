"""The Milvus store: the same ``Store`` as the index folder, held by Milvus (Lite, Standalone, cluster).

``uri`` is read exactly as ``pymilvus.MilvusClient(uri=...)`` reads it: a local ``*.db`` path runs
Milvus Lite embedded, ``http://host:19530`` is a Milvus server (``token``: its credentials,
``user:password`` or an API key). The collections and how a build writes them are in
``qa.milvus_writing``. Dense and keyword search are fused by Milvus itself: one ``hybrid_search``
of the chunk vectors and of Milvus's BM25 full-text search, merged by its ``RRFRanker``.
"""
from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from . import milvus_writing
from .fusion import RRF_K, Candidate, engine_repeats, vote
from .generations import Entry
from .milvus_writing import PREFIX, chunk_pk, quote
from .records import Article
from .store import Manifest
from .types import Chunk, Document, QueryVectors, Sentence

# HNSW search breadth: recall@10 against exact search (bench/bench_scale.py) needs it well above 10.
DENSE_SEARCH = {"metric_type": "IP", "params": {"ef": 512}}


def is_milvus(store: str) -> bool:
    """Whether the ``QA_STORE`` value names Milvus (anything but ``faiss``)."""
    return bool(store) and store != "faiss"


def _unimplemented_call(record: logging.LogRecord) -> bool:
    """Drop Milvus Lite's in-process gRPC server log of a call it does not implement
    (``AllocTimestamp``, asked by every listing; the client then uses its own timestamp): it is
    logged with a traceback, which users must never see."""
    return not (record.exc_info and isinstance(record.exc_info[1], NotImplementedError))


class MilvusStore:
    """An index held by Milvus (implements ``qa.store.Store``).

    Args:
        uri: as ``MilvusClient(uri=...)`` reads it.
        token: credentials for a server with authentication (``QA_MILVUS_TOKEN``); empty: none.
    """

    def __init__(self, uri: str, token: str = "") -> None:
        from pymilvus import MilvusClient

        self.uri = uri
        options: dict[str, Any] = {"token": token} if token else {}
        if "://" not in uri:
            # Milvus Lite runs in this process: no keepalive pings, which its gRPC server answers,
            # after half a minute without calls, by dropping the connection ("too_many_pings").
            options["grpc_options"] = {"grpc.keepalive_time_ms": 2**31 - 1}
            logging.getLogger("grpc._server").addFilter(_unimplemented_call)
        # Milvus Lite has no server timestamp: the iterator uses its own and warns on every listing.
        logging.getLogger("pymilvus.orm.iterator").setLevel(logging.ERROR)
        self.client = MilvusClient(uri=uri, **options)
        self._lock = threading.Lock()
        self._docs: dict[str, tuple[Article, Document, list[Sentence]]] = {}
        self.manifest = self._read_manifest()
        if self.manifest is not None:
            for name in ("articles", "chunks", "sentences"):
                self.client.load_collection(PREFIX + name)
        self.documents = _Docs(self, 1)
        self.sentences = _Docs(self, 2)

    def _read_manifest(self) -> Manifest | None:
        if not self.client.has_collection(PREFIX + "meta"):
            return None
        self.client.load_collection(PREFIX + "meta")
        rows = self.client.query(PREFIX + "meta", filter="id == 0", output_fields=["manifest"])
        if not rows:
            return None
        from .faiss_store import ArticleTable

        raw = rows[0]["manifest"]
        manifest = Manifest(**(json.loads(raw) if isinstance(raw, str) else raw))
        manifest.documents = ArticleTable(self)
        return manifest

    def drop(self) -> None:
        """Remove every collection of the index (a full rebuild starts from nothing)."""
        milvus_writing.drop(self.client)
        self.manifest = None
        self._docs.clear()

    def apply(self, manifest: Manifest, removed: list[str], entries: list[Entry],
              chunk_vectors: np.ndarray, sentence_vectors: np.ndarray) -> None:
        """Delete the articles ``removed``, insert ``entries`` (new articles with their vectors, in
        order) and record ``manifest``."""
        from .faiss_store import ArticleTable

        milvus_writing.write(self.client, manifest, removed, entries, chunk_vectors, sentence_vectors)
        manifest.documents = ArticleTable(self)
        self.manifest = manifest
        self._docs.clear()

    def counts(self) -> tuple[int, int, int]:
        """Numbers of articles, chunks and sentences held."""
        return milvus_writing.counts(self.client)

    # -- reading -----------------------------------------------------------------------------
    def articles(self) -> list[Article]:
        """Every article (without its text), by file name."""
        fields = ["id", "source", "title", "date", "chunks", "sentences"]
        it = self.client.query_iterator(PREFIX + "articles", batch_size=1000, filter="", output_fields=fields)
        rows = []
        while batch := it.next():
            rows += batch
        it.close()
        rows.sort(key=lambda r: r["source"])
        return [Article(r["id"], r["source"], r["title"], r["date"] or None, r["chunks"], r["sentences"]) for r in rows]

    def _load(self, doc_id: str) -> tuple[Article, Document, list[Sentence]] | None:
        with self._lock:
            if doc_id in self._docs:
                return self._docs[doc_id]
        rows = self.client.query(PREFIX + "articles", filter=f"id == {json.dumps(doc_id)}",
                                 output_fields=["id", "source", "title", "date", "text", "key", "chunks",
                                                "sentences", "spans"])
        if not rows:
            return None
        r = rows[0]
        doc = Document(r["id"], r["source"], r["title"], r["date"] or None, r["text"], r["key"])
        sentences = [Sentence(doc.id, k, a, b, doc.text[a:b], doc.key[a:b]) for k, (a, b) in enumerate(r["spans"])]
        entry = (Article(doc.id, doc.source, doc.title, doc.date, r["chunks"], r["sentences"]), doc, sentences)
        with self._lock:
            if len(self._docs) > 256:
                self._docs.clear()
            self._docs[doc_id] = entry
        return entry

    def article(self, doc_id: str) -> Article | None:
        entry = self._load(doc_id)
        return entry[0] if entry else None

    def _chunks(self, expr: str) -> list[Chunk]:
        rows = self.client.query(PREFIX + "chunks", filter=expr, output_fields=[
            "id", "doc_id", "idx", "start", "end", "first_sentence", "last_sentence"])
        out = []
        for r in sorted(rows, key=lambda r: (r["doc_id"], r["idx"])):
            doc = self.documents[r["doc_id"]]
            out.append(Chunk(r["id"], r["doc_id"], r["start"], r["end"], doc.text[r["start"]:r["end"]],
                             doc.key[r["start"]:r["end"]], r["first_sentence"], r["last_sentence"]))
        return out

    def chunk(self, chunk_id: int) -> Chunk:
        found = self._chunks(f"id == {int(chunk_id)}")
        if not found:
            raise IndexError(chunk_id)
        return found[0]

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return self._chunks(f"doc_id == {json.dumps(doc_id)}")

    def chunk_titles(self, chunk_ids: list[int]) -> dict[int, tuple[str, str]]:
        if not chunk_ids:
            return {}
        """(article id, headline) of each chunk: two queries, without reading the articles' text."""
        rows = self.client.query(PREFIX + "chunks", filter=f"id in {[int(i) for i in chunk_ids]}",
                                 output_fields=["id", "doc_id"])
        doc_ids = list({r["doc_id"] for r in rows})
        titles = {r["id"]: r["title"] for r in self.client.query(
            PREFIX + "articles", filter=f"id in {quote(doc_ids)}", output_fields=["id", "title"])} if doc_ids else {}
        return {r["id"]: (r["doc_id"], titles.get(r["doc_id"], "")) for r in rows}

    def ids_for_sources(self, sources: Iterable[str]) -> list[str]:
        names = list(dict.fromkeys(sources))
        rows = self.client.query(PREFIX + "articles", filter=f"source in {quote(names)} or id in {quote(names)}",
                                 output_fields=["id"])
        return [r["id"] for r in rows]

    def candidates(self, query: QueryVectors, depth: int, doc_ids: list[str] | None = None) -> list[Candidate]:
        """The chunks found for a question, fused, best first (optionally only of the articles
        ``doc_ids``). Milvus fuses the chunk vectors and its BM25 full-text search (the simplified
        question, analysed by the same jieba analyzer as the chunks) in one ``hybrid_search`` with
        its RRF, each request sent as many times as its weight so that the engine's sum is the
        weighted one. The sentence vectors live in another collection (Milvus Lite has no arrays of
        vectors per row), so the chunks holding the nearest sentences are added to that score here."""
        from pymilvus import AnnSearchRequest, RRFRanker

        expr = f"doc_id in {quote(doc_ids)}" if doc_ids is not None else ""
        vec = np.asarray(query.vector, np.float32).tolist()
        routes = {"dense": AnnSearchRequest([vec], "vec", DENSE_SEARCH, depth, expr=expr)}
        if query.tokens:
            routes["keyword"] = AnnSearchRequest([query.key], "sparse", {"metric_type": "BM25"}, depth, expr=expr)
        unit, repeats = engine_repeats(tuple(routes))
        requests = [request for name, request in routes.items() for _ in range(repeats[name])]
        found = self.client.hybrid_search(PREFIX + "chunks", requests, RRFRanker(RRF_K), limit=2 * depth,
                                          output_fields=["id"])[0]
        scores = {int(h["id"]): unit * float(h["distance"]) for h in found}
        sentence_ranks = {c: r for r, c in enumerate(self._sentence_ranking(vec, depth, expr))}
        for chunk_id, rank in sentence_ranks.items():
            scores[chunk_id] = scores.get(chunk_id, 0.0) + vote("sentence", rank)
        return [Candidate(c, scores[c], sentence_ranks.get(c)) for c in sorted(scores, key=lambda c: (-scores[c], c))]

    def _sentence_ranking(self, vec: list[float], depth: int, expr: str) -> list[int]:
        """Chunk ids holding the sentences nearest to ``vec``, best first, at most ``depth``."""
        hits = self.client.search(PREFIX + "sentences", data=[vec], anns_field="vec", limit=min(depth * 4, 16384),
                                  filter=expr, search_params=DENSE_SEARCH,
                                  output_fields=["doc_id", "first_chunk", "last_chunk"])[0]
        out: dict[int, None] = {}
        for hit in hits:
            e = hit["entity"]
            for k in range(e["first_chunk"], e["last_chunk"] + 1):
                out.setdefault(chunk_pk(e["doc_id"], k), None)
            if len(out) >= depth:
                break
        return list(out)[:depth]

    def sentence_similarity(self, doc_id: str, indices: list[int], vector: np.ndarray) -> np.ndarray:
        if not indices:
            return np.zeros(0, np.float32)
        ids = [chunk_pk(doc_id, i) for i in indices]
        rows = {r["id"]: r["vec"] for r in self.client.query(PREFIX + "sentences", filter=f"id in {ids}",
                                                              output_fields=["id", "vec"])}
        return np.array([rows[i] for i in ids], np.float32) @ np.asarray(vector, np.float32)

    def close(self) -> None:
        self.client.close()


class _Docs(Mapping[str, Any]):
    """``store.documents[doc_id]`` (part 1) or ``store.sentences[doc_id]`` (part 2), on demand."""

    def __init__(self, store: MilvusStore, part: int) -> None:
        self._s, self._part = store, part

    def __getitem__(self, doc_id: str):
        entry = self._s._load(doc_id)
        if entry is None:
            raise KeyError(doc_id)
        return entry[self._part]

    def __iter__(self) -> Iterator[str]:
        return iter([a.id for a in self._s.articles()])

    def __len__(self) -> int:
        return self._s.manifest.articles if self._s.manifest else 0
