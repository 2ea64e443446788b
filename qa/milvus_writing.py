"""Writing the Milvus store: its four collections, and bringing them up to date article by article.

    qa_articles   one row per article: source, title, date, text, simplified key, sentence offsets
    qa_chunks     one row per chunk: offsets, its simplified text (analysed by jieba into a sparse
                  vector by a BM25 function, for Milvus's own full-text search) and its vector
    qa_sentences  one row per sentence: the chunks holding it and its vector
    qa_meta       the manifest

Articles are keyed by their content hash, so a rebuild deletes the articles that went away and
upserts the new ones; unchanged articles are not touched. Reading is in ``qa.milvus_store``.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict

import numpy as np

from .generations import Entry
from .store import Manifest

PREFIX = "qa_"
NAMES = ("articles", "chunks", "sentences", "meta")
TEXT_MAX = 65535
BATCH = 2000  # rows per upsert call
PUNCTUATION = list("，。、；：？！“”‘’（）《》〈〉【】「」『』—…·,.;:?!\"'()[]{}<>-_/\\|~`@#$%^&*+=")
BM25 = {"bm25_k1": 1.5, "bm25_b": 0.75}  # as bm25s scores the index folder's keywords
HNSW = {"M": 16, "efConstruction": 200}  # the chunk and sentence vectors' index (searched with ef: milvus_store)


def analyzer() -> dict:
    """The chunk text's analyzer: jieba search-mode words (as ``qa.chinese.tokenize`` splits them)
    without the stop words and punctuation that tokenize leaves out."""
    from .chinese import STOP_WORDS

    return {"tokenizer": {"type": "jieba", "mode": "search"},
            "filter": [{"type": "stop", "stop_words": sorted(STOP_WORDS) + PUNCTUATION}]}


def chunk_pk(doc_id: str, index: int) -> int:
    """A stable 60-bit id for item ``index`` (chunk or sentence) of an article."""
    return int(hashlib.sha1(doc_id.encode()).hexdigest()[:11], 16) * 65536 + index


def quote(values: Iterable[str]) -> str:
    """A Milvus filter list of strings: ``["a","b"]``."""
    return "[" + ",".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def _fields(dim: int) -> dict[str, list[tuple]]:
    from pymilvus import DataType

    text = {"max_length": TEXT_MAX}
    return {
        "articles": [("id", DataType.VARCHAR, {"max_length": 64, "is_primary": True}),
                     ("source", DataType.VARCHAR, {"max_length": 1024}),
                     ("title", DataType.VARCHAR, {"max_length": 4096}),
                     ("date", DataType.VARCHAR, {"max_length": 64}),
                     ("text", DataType.VARCHAR, text), ("key", DataType.VARCHAR, text),
                     ("chunks", DataType.INT64, {}), ("sentences", DataType.INT64, {}),
                     ("spans", DataType.JSON, {}), ("v", DataType.FLOAT_VECTOR, {"dim": 2})],
        "chunks": [("id", DataType.INT64, {"is_primary": True}),
                   ("doc_id", DataType.VARCHAR, {"max_length": 64}), ("idx", DataType.INT64, {}),
                   ("start", DataType.INT64, {}), ("end", DataType.INT64, {}),
                   ("first_sentence", DataType.INT64, {}), ("last_sentence", DataType.INT64, {}),
                   ("key", DataType.VARCHAR, {**text, "enable_analyzer": True, "analyzer_params": analyzer()}),
                   ("sparse", DataType.SPARSE_FLOAT_VECTOR, {}), ("vec", DataType.FLOAT_VECTOR, {"dim": dim})],
        "sentences": [("id", DataType.INT64, {"is_primary": True}),
                      ("doc_id", DataType.VARCHAR, {"max_length": 64}), ("idx", DataType.INT64, {}),
                      ("first_chunk", DataType.INT64, {}), ("last_chunk", DataType.INT64, {}),
                      ("vec", DataType.FLOAT_VECTOR, {"dim": dim})],
        # Milvus wants a vector in every collection: "v" is a constant placeholder.
        "meta": [("id", DataType.INT64, {"is_primary": True}), ("manifest", DataType.JSON, {}),
                 ("v", DataType.FLOAT_VECTOR, {"dim": 2})],
    }


def create(client, dim: int) -> None:
    """Create the collections that do not exist yet (chunk text → BM25 sparse vector by a function)."""
    from pymilvus import Function, FunctionType

    for name, fields in _fields(dim).items():
        if client.has_collection(PREFIX + name):
            continue
        schema = client.create_schema(auto_id=False)
        for fname, ftype, kwargs in fields:
            schema.add_field(fname, ftype, **kwargs)
        index = client.prepare_index_params()
        if name == "chunks":
            schema.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                                         input_field_names=["key"], output_field_names=["sparse"]))
            index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params=BM25)
        if name in ("chunks", "sentences"):
            index.add_index("vec", index_type="HNSW", metric_type="IP", params=HNSW)
        else:
            index.add_index("v", index_type="FLAT", metric_type="IP")
        client.create_collection(PREFIX + name, schema=schema, index_params=index)


def drop(client) -> None:
    """Remove every collection of the index (a full rebuild starts from nothing)."""
    for name in NAMES:
        if client.has_collection(PREFIX + name):
            client.drop_collection(PREFIX + name)


def counts(client) -> tuple[int, int, int]:
    """Numbers of articles, chunks and sentences held."""
    out = []
    for name in NAMES[:3]:
        rows = client.query(PREFIX + name, filter="", output_fields=["count(*)"])
        out.append(int(rows[0]["count(*)"]))
    return tuple(out)  # type: ignore[return-value]


def _rows(entries: list[Entry], chunk_vectors: np.ndarray, sentence_vectors: np.ndarray):
    """(collection, row) of every article, chunk and sentence of ``entries``, in order."""
    c_row = s_row = 0
    for e in entries:
        d = e.document
        if len(d.text.encode()) > TEXT_MAX:
            raise ValueError(f"article {d.source} is too long for the Milvus store ({len(d.text)} characters)")
        yield "articles", {"id": d.id, "source": d.source, "title": d.title, "date": d.date or "", "text": d.text,
                           "key": d.key, "chunks": len(e.chunks), "sentences": len(e.sentences),
                           "spans": [[s.start, s.end] for s in e.sentences], "v": [0.0, 1.0]}
        holders: dict[int, list[int]] = {}
        for k, ch in enumerate(e.chunks):
            for s in range(ch.first_sentence, min(ch.last_sentence, len(e.sentences) - 1) + 1):
                holders.setdefault(s, []).append(k)
            yield "chunks", {"id": chunk_pk(d.id, k), "doc_id": d.id, "idx": k, "start": ch.start, "end": ch.end,
                             "first_sentence": ch.first_sentence, "last_sentence": ch.last_sentence,
                             "key": ch.key, "vec": chunk_vectors[c_row + k].tolist()}
        for k in range(len(e.sentences)):
            yield "sentences", {"id": chunk_pk(d.id, k), "doc_id": d.id, "idx": k,
                                "first_chunk": min(holders.get(k, [0])), "last_chunk": max(holders.get(k, [-1])),
                                "vec": sentence_vectors[s_row + k].tolist()}
        c_row += len(e.chunks)
        s_row += len(e.sentences)


def write(client, manifest: Manifest, removed: list[str], entries: list[Entry],
          chunk_vectors: np.ndarray, sentence_vectors: np.ndarray) -> None:
    """Delete the articles ``removed``, upsert ``entries`` (new articles with their vectors, in
    order), then record ``manifest`` with the counts now held; the manifest is written last, so a
    build killed before it leaves no manifest claiming rows that are not there."""
    create(client, manifest.dimension)
    for i in range(0, len(removed), 500):
        part = quote(removed[i : i + 500])
        client.delete(PREFIX + "chunks", filter=f"doc_id in {part}")
        client.delete(PREFIX + "sentences", filter=f"doc_id in {part}")
        client.delete(PREFIX + "articles", filter=f"id in {part}")
    pending: dict[str, list[dict]] = {name: [] for name in NAMES[:3]}
    for name, row in _rows(entries, chunk_vectors, sentence_vectors):
        pending[name].append(row)
        if len(pending[name]) >= BATCH:
            client.upsert(PREFIX + name, pending[name])
            pending[name] = []
    for name, rows in pending.items():
        if rows:
            client.upsert(PREFIX + name, rows)
    for name in NAMES[:3]:
        client.flush(PREFIX + name)
    manifest.articles, manifest.chunks, manifest.sentences = counts(client)
    data = asdict(manifest)
    data.pop("documents")
    client.upsert(PREFIX + "meta", [{"id": 0, "manifest": json.dumps(data, ensure_ascii=False), "v": [0.0, 1.0]}])
    client.flush(PREFIX + "meta")
    for name in NAMES:
        client.load_collection(PREFIX + name)
