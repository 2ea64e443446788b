"""The Milvus store: the same ``Store`` as the index folder, held by Milvus (Lite, Standalone, cluster).

``uri`` is read exactly as ``pymilvus.MilvusClient(uri=...)`` reads it: a local ``*.db`` path runs
Milvus Lite embedded, ``http://host:19530`` is a Milvus server. Four collections:

    qa_articles   one row per article: source, title, date, text, simplified key, sentence offsets
    qa_chunks     one row per chunk: offsets, its simplified text (analysed by jieba for Milvus's
                  own BM25 full-text search) and its vector
    qa_sentences  one row per sentence: the chunks holding it and its vector
    qa_meta       the manifest

Articles are keyed by their content hash, so a rebuild deletes the articles that went away and
inserts the new ones; unchanged articles are not touched.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict
from typing import Any

import numpy as np

from .records import Article
from .generations import Entry
from .store import Manifest
from .types import Chunk, Document, Sentence

PREFIX = "qa_"
TEXT_MAX = 65535


def is_milvus(store: str) -> bool:
    """Whether the ``QA_STORE`` value names Milvus (anything but ``faiss``)."""
    return bool(store) and store != "faiss"


def chunk_pk(doc_id: str, index: int) -> int:
    """A stable 60-bit id for item ``index`` of an article."""
    return int(hashlib.sha1(doc_id.encode()).hexdigest()[:11], 16) * 65536 + index


def _quote(values: Iterable[str]) -> str:
    return "[" + ",".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


class MilvusStore:
    """An index held by Milvus (implements ``qa.store.Store``).

    Args:
        uri: as ``MilvusClient(uri=...)`` reads it.
    """

    def __init__(self, uri: str) -> None:
        from pymilvus import MilvusClient

        self.uri = uri
        self.client = MilvusClient(uri=uri)
        self._lock = threading.Lock()
        self._docs: dict[str, tuple[Article, Document, list[Sentence]]] = {}
        self.manifest = self._read_manifest()
        if self.manifest is not None:
            for name in ("articles", "chunks", "sentences"):
                self.client.load_collection(PREFIX + name)
        self.documents = _Docs(self, 1)
        self.sentences = _Docs(self, 2)

    # -- writing -----------------------------------------------------------------------------
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

    def _create(self, dim: int) -> None:
        from pymilvus import DataType, Function, FunctionType

        c = self.client
        specs: dict[str, list[tuple]] = {
            "articles": [("id", DataType.VARCHAR, {"max_length": 64, "is_primary": True}),
                         ("source", DataType.VARCHAR, {"max_length": 1024}),
                         ("title", DataType.VARCHAR, {"max_length": 4096}),
                         ("date", DataType.VARCHAR, {"max_length": 64}),
                         ("text", DataType.VARCHAR, {"max_length": TEXT_MAX}),
                         ("key", DataType.VARCHAR, {"max_length": TEXT_MAX}),
                         ("chunks", DataType.INT64, {}), ("sentences", DataType.INT64, {}),
                         ("spans", DataType.JSON, {}), ("v", DataType.FLOAT_VECTOR, {"dim": 2})],
            "chunks": [("id", DataType.INT64, {"is_primary": True}),
                       ("doc_id", DataType.VARCHAR, {"max_length": 64}), ("idx", DataType.INT64, {}),
                       ("start", DataType.INT64, {}), ("end", DataType.INT64, {}),
                       ("first_sentence", DataType.INT64, {}), ("last_sentence", DataType.INT64, {}),
                       ("key", DataType.VARCHAR, {"max_length": TEXT_MAX, "enable_analyzer": True,
                                                  "analyzer_params": {"tokenizer": "jieba"}}),
                       ("sparse", DataType.SPARSE_FLOAT_VECTOR, {}), ("vec", DataType.FLOAT_VECTOR, {"dim": dim})],
            "sentences": [("id", DataType.INT64, {"is_primary": True}),
                          ("doc_id", DataType.VARCHAR, {"max_length": 64}), ("idx", DataType.INT64, {}),
                          ("first_chunk", DataType.INT64, {}), ("last_chunk", DataType.INT64, {}),
                          ("vec", DataType.FLOAT_VECTOR, {"dim": dim})],
            "meta": [("id", DataType.INT64, {"is_primary": True}), ("manifest", DataType.JSON, {}),
                     ("v", DataType.FLOAT_VECTOR, {"dim": 2})],
        }
        for name, fields in specs.items():
            if c.has_collection(PREFIX + name):
                continue
            schema = c.create_schema(auto_id=False)
            for fname, ftype, kwargs in fields:
                schema.add_field(fname, ftype, **kwargs)
            index = c.prepare_index_params()
            if name == "chunks":
                schema.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                                             input_field_names=["key"], output_field_names=["sparse"]))
                index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
            vec = "vec" if name in ("chunks", "sentences") else "v"
            index.add_index(vec, index_type="FLAT" if vec == "v" else "AUTOINDEX", metric_type="IP")
            c.create_collection(PREFIX + name, schema=schema, index_params=index)

    def drop(self) -> None:
        """Remove every collection of the index (a full rebuild starts from nothing)."""
        for name in ("articles", "chunks", "sentences", "meta"):
            if self.client.has_collection(PREFIX + name):
                self.client.drop_collection(PREFIX + name)
        self.manifest = None
        self._docs.clear()

    def apply(self, manifest: Manifest, removed: list[str], entries: list[Entry],
              chunk_vectors: np.ndarray, sentence_vectors: np.ndarray) -> None:
        """Delete the articles ``removed``, insert ``entries`` (new articles with their vectors, in
        order) and record ``manifest``."""
        self._create(manifest.dimension)
        c = self.client
        for i in range(0, len(removed), 500):
            expr = f"doc_id in {_quote(removed[i : i + 500])}"
            c.delete(PREFIX + "chunks", filter=expr)
            c.delete(PREFIX + "sentences", filter=expr)
            c.delete(PREFIX + "articles", filter=f"id in {_quote(removed[i : i + 500])}")
        c_row = s_row = 0
        for e in entries:
            d = e.document
            if len(d.text.encode()) > TEXT_MAX:
                raise ValueError(f"article {d.source} is too long for the Milvus store ({len(d.text)} characters)")
            c.upsert(PREFIX + "articles", [{
                "id": d.id, "source": d.source, "title": d.title, "date": d.date or "", "text": d.text,
                "key": d.key, "chunks": len(e.chunks), "sentences": len(e.sentences),
                "spans": [[s.start, s.end] for s in e.sentences], "v": [0.0, 1.0]}])
            holders: dict[int, list[int]] = {}
            for k, ch in enumerate(e.chunks):
                for s in range(ch.first_sentence, min(ch.last_sentence, len(e.sentences) - 1) + 1):
                    holders.setdefault(s, []).append(k)
            if e.chunks:
                c.upsert(PREFIX + "chunks", [{
                    "id": chunk_pk(d.id, k), "doc_id": d.id, "idx": k, "start": ch.start, "end": ch.end,
                    "first_sentence": ch.first_sentence, "last_sentence": ch.last_sentence, "key": ch.key,
                    "vec": chunk_vectors[c_row + k].tolist()} for k, ch in enumerate(e.chunks)])
            if e.sentences:
                c.upsert(PREFIX + "sentences", [{
                    "id": chunk_pk(d.id, k), "doc_id": d.id, "idx": k,
                    "first_chunk": min(holders.get(k, [0])), "last_chunk": max(holders.get(k, [-1])),
                    "vec": sentence_vectors[s_row + k].tolist()} for k in range(len(e.sentences))])
            c_row += len(e.chunks)
            s_row += len(e.sentences)
        counts = self._counts()
        manifest.articles, manifest.chunks, manifest.sentences = counts
        data = asdict(manifest)
        data.pop("documents")
        c.upsert(PREFIX + "meta", [{"id": 0, "manifest": json.dumps(data, ensure_ascii=False), "v": [0.0, 1.0]}])
        for name in ("articles", "chunks", "sentences", "meta"):
            c.flush(PREFIX + name)
            c.load_collection(PREFIX + name)
        from .faiss_store import ArticleTable

        manifest.documents = ArticleTable(self)
        self.manifest = manifest
        self._docs.clear()

    def _counts(self) -> tuple[int, int, int]:
        out = []
        for name in ("articles", "chunks", "sentences"):
            rows = self.client.query(PREFIX + name, filter="", output_fields=["count(*)"])
            out.append(int(rows[0]["count(*)"]))
        return tuple(out)  # type: ignore[return-value]

    # -- reading -----------------------------------------------------------------------------
    def articles(self) -> list[Article]:
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
        rows = self.client.query(PREFIX + "chunks", filter=f"id in {[int(i) for i in chunk_ids]}",
                                 output_fields=["id", "doc_id"])
        out = {}
        for r in rows:
            art = self.article(r["doc_id"])
            out[r["id"]] = (r["doc_id"], art.title if art else "")
        return out

    def ids_for_sources(self, sources: Iterable[str]) -> list[str]:
        names = list(dict.fromkeys(sources))
        rows = self.client.query(PREFIX + "articles", filter=f"source in {_quote(names)} or id in {_quote(names)}",
                                 output_fields=["id"])
        return [r["id"] for r in rows]

    def rankings(self, vector: np.ndarray, tokens: list[str], depth: int,
                 doc_ids: list[str] | None = None) -> dict[str, list[int]]:
        """Chunk ids, best first: "dense" (chunk vectors), "sentence" (chunks holding the nearest
        sentences) and "keyword" (Milvus's BM25 over jieba words of the chunk text)."""
        expr = f"doc_id in {_quote(doc_ids)}" if doc_ids is not None else ""
        vec = np.asarray(vector, np.float32).tolist()
        c = self.client
        dense = c.search(PREFIX + "chunks", data=[vec], anns_field="vec", limit=depth, filter=expr,
                         search_params={"metric_type": "IP"}, output_fields=["id"])[0]
        sent = c.search(PREFIX + "sentences", data=[vec], anns_field="vec", limit=min(depth * 4, 16384), filter=expr,
                        search_params={"metric_type": "IP"}, output_fields=["doc_id", "first_chunk", "last_chunk"])[0]
        by_sentence: dict[int, None] = {}
        for hit in sent:
            e = hit["entity"]
            for k in range(e["first_chunk"], e["last_chunk"] + 1):
                by_sentence.setdefault(chunk_pk(e["doc_id"], k), None)
            if len(by_sentence) >= depth:
                break
        keyword: list[int] = []
        if tokens:
            found = c.search(PREFIX + "chunks", data=[" ".join(tokens)], anns_field="sparse", limit=depth, filter=expr,
                             search_params={"metric_type": "BM25"}, output_fields=["id"])[0]
            keyword = [int(h["id"]) for h in found]
        return {"dense": [int(h["id"]) for h in dense], "sentence": list(by_sentence)[:depth], "keyword": keyword}

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
