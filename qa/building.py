"""Build or update the index from an articles folder: incremental, atomic, with a summary."""
from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from . import store
from .chinese import to_simplified, tokenize
from .config import Settings
from .embedding import Encoder
from .messages import say
from .reading import Skipped, read_folder
from .splitting import split_chunks, split_sentences
from .types import Chunk, Document, Sentence

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    """What a build did."""

    articles: int = 0
    chunks: int = 0
    sentences: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded_chunks: int = 0
    embedded_sentences: int = 0
    seconds: float = 0.0
    full: bool = False
    full_reason: str | None = None
    written: bool = False
    skipped: list[Skipped] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people: ``5 篇文章（新增 1，修改 0，删除 0，未变 4）…``."""
        mode = say("build_mode_full", reason=self.full_reason) if self.full else say("build_mode_incremental")
        text = say("build_summary", articles=self.articles, added=self.added, changed=self.changed,
                   removed=self.removed, unchanged=self.unchanged, chunks=self.chunks,
                   sentences=self.sentences, embedded_chunks=self.embedded_chunks,
                   embedded_sentences=self.embedded_sentences, mode=mode, seconds=self.seconds)
        if self.skipped:
            text += say("build_skipped", count=len(self.skipped),
                        files="；".join(f"{s.path}（{s.reason}）" for s in self.skipped))
        if not self.written:
            text += say("build_unchanged")
        return text


class EmptySeeds(ValueError):
    """The articles folder has no article, and emptying the index was not asked for."""


def _previous(settings: Settings, full: bool) -> tuple[store.IndexData | None, str | None]:
    """The live index when it can be reused, else None and why a full build is needed."""
    if full:
        return None, say("reason_full_asked")
    try:
        old = store.load(settings.index_dir)
    except store.IndexMissing:
        return None, say("reason_no_index")
    except store.IndexCorrupt as exc:
        log.warning("%s", exc)
        return None, say("reason_unreadable")
    m = old.manifest
    if m.model != settings.model:
        return None, say("reason_model_changed", old=m.model, new=settings.model)
    if (m.chunk_size, m.chunk_overlap) != (settings.chunk_size, settings.chunk_overlap):
        return None, say("reason_chunks_changed", old=f"{m.chunk_size}/{m.chunk_overlap}",
                         new=f"{settings.chunk_size}/{settings.chunk_overlap}")
    return old, None


def build_index(settings: Settings | None = None, full: bool = False, progress: bool = True,
                encoder: Encoder | None = None, documents: list[Document] | None = None,
                allow_empty: bool = False, wait: bool = True) -> BuildReport:
    """Bring the index in ``settings.index_dir`` up to date with ``settings.seeds_dir``.

    Only new or changed articles are embedded; a changed model or chunk setting forces a full
    rebuild. The new index is written beside the live one and swapped in at the end.
    ``documents`` replaces reading the articles folder (for corpora that come as records).
    An articles folder that is missing or holds no article is refused (``EmptySeeds``) unless
    ``allow_empty``: it would silently empty the index. With ``wait=False`` a build already
    running on the same index is an error (``store.BuildBusy``) instead of something to wait for.

    >>> report = build_index(Settings.from_env(seeds_dir="seeds", index_dir="index"))
    >>> print(report.summary())  # doctest: +SKIP
    """
    settings = settings or Settings.from_env()
    with store.build_lock(settings.index_dir, wait=wait):
        return _build(settings, full, progress, encoder, documents, allow_empty)


def _read_articles(settings: Settings, allow_empty: bool) -> tuple[list[Document], list[Skipped]]:
    """The articles of the seeds folder; refuses an empty or missing folder unless ``allow_empty``."""
    try:
        documents, skipped = read_folder(settings.seeds_dir, settings.max_file_mb * 2**20)
    except FileNotFoundError:
        if not allow_empty:
            raise
        return [], []
    if not documents and not allow_empty:
        raise EmptySeeds(say("build_empty_refused", path=settings.seeds_dir, skipped=len(skipped)))
    return documents, skipped


def _build(settings: Settings, full: bool, progress: bool, encoder: Encoder | None,
           documents: list[Document] | None, allow_empty: bool = False) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport()
    if documents is None:
        documents, report.skipped = _read_articles(settings, allow_empty)
    old, reason = _previous(settings, full)
    report.full, report.full_reason = old is None, reason
    if old is not None and reason is None:
        log.info("incremental build over %d known articles", len(old.documents))

    old_docs = old.documents if old else {}
    current_ids = {d.id for d in documents}
    new_docs = [d for d in documents if d.id not in old_docs]
    old_sources = {d.source for i, d in old_docs.items() if i not in current_ids}
    report.changed = sum(1 for d in new_docs if d.source in old_sources)
    report.added = len(new_docs) - report.changed
    report.removed = len(old_sources - {d.source for d in new_docs})
    report.unchanged = len(documents) - len(new_docs)
    if old is not None and not new_docs and set(old_docs) == current_ids and _same_metadata(old, documents):
        report.articles = len(documents)
        report.chunks = len(old.chunks)
        report.sentences = sum(len(v) for v in old.sentences.values())
        report.seconds = time.perf_counter() - started
        return report

    # Split every new article; reuse everything of the unchanged ones.
    new_sentences = {d.id: split_sentences(d) for d in new_docs}
    new_chunks = {d.id: split_chunks(d, new_sentences[d.id], settings.chunk_size, settings.chunk_overlap) for d in new_docs}
    encoder = encoder or Encoder(settings.model, settings.batch_size)
    texts = [_embed_text(d, c) for d in new_docs for c in new_chunks[d.id]]
    sentence_texts = [_sentence_embed_text(d, s) for d in new_docs for s in new_sentences[d.id]]
    show = progress and sys.stderr is not None
    if show:
        print(say("build_embedding", chunks=len(texts), sentences=len(sentence_texts),
                  articles=len(new_docs), model=settings.model), file=sys.stderr)
    vectors = encoder.encode(texts + sentence_texts, progress=show)
    dim = vectors.shape[1] if len(vectors) else (old.manifest.dimension if old else encoder.dimension)
    chunk_vecs_new = vectors[: len(texts)]
    sent_vecs_new = vectors[len(texts):]
    report.embedded_chunks, report.embedded_sentences = len(texts), len(sentence_texts)

    old_chunks_by_doc: dict[str, list[tuple[Chunk, np.ndarray]]] = {}
    if old is not None:
        for chunk, vec in zip(old.chunks, old.chunk_vectors):
            old_chunks_by_doc.setdefault(chunk.doc_id, []).append((chunk, vec))

    all_docs: dict[str, Document] = {}
    chunks: list[Chunk] = []
    chunk_vectors: list[np.ndarray] = []
    sentences: dict[str, list[Sentence]] = {}
    sentence_vectors: dict[str, np.ndarray] = {}
    c_row = s_row = 0
    for doc in documents:
        all_docs[doc.id] = doc
        if doc.id in old_docs and old is not None:
            pairs = old_chunks_by_doc.get(doc.id, [])
            sentences[doc.id] = old.sentences.get(doc.id, [])
            sentence_vectors[doc.id] = old.sentence_vectors[doc.id]
        else:
            n = len(new_chunks[doc.id])
            pairs = list(zip(new_chunks[doc.id], chunk_vecs_new[c_row : c_row + n]))
            c_row += n
            m = len(new_sentences[doc.id])
            sentences[doc.id] = new_sentences[doc.id]
            sentence_vectors[doc.id] = sent_vecs_new[s_row : s_row + m]
            s_row += m
        for chunk, vec in pairs:
            chunks.append(_renumber(chunk, len(chunks)))
            chunk_vectors.append(vec)

    chunk_counts = Counter(c.doc_id for c in chunks)
    manifest = store.Manifest(
        model=settings.model,
        dimension=int(dim),
        chunk_size=settings.chunk_size,
        chunk_overlap=settings.chunk_overlap,
        documents={
            d.id: {"source": d.source, "title": d.title, "date": d.date,
                   "chunks": chunk_counts[d.id], "sentences": len(sentences[d.id])}
            for d in all_docs.values()
        },
        versions=store.library_versions(),
        built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    )
    matrix = np.vstack(chunk_vectors).astype(np.float32) if chunk_vectors else np.zeros((0, dim), np.float32)
    tokens = [tokenize(_keyword_text(all_docs[c.doc_id], c)) or ["_"] for c in chunks]
    report.seconds = time.perf_counter() - started
    manifest.build_seconds = round(report.seconds, 3)
    data = store.IndexData(manifest, all_docs, chunks, sentences, matrix, sentence_vectors)
    store.save(settings.index_dir, data, tokens)
    report.written = True
    report.articles, report.chunks = len(all_docs), len(chunks)
    report.sentences = sum(len(v) for v in sentences.values())
    report.seconds = time.perf_counter() - started
    return report


def _same_metadata(old: store.IndexData, documents: list[Document]) -> bool:
    return all(
        old.documents[d.id].source == d.source and old.documents[d.id].title == d.title for d in documents
    )


def _embed_text(doc: Document, chunk: Chunk) -> str:
    """What the dense index sees for a chunk: its simplified text."""
    return chunk.key


def _sentence_embed_text(doc: Document, sentence: Sentence) -> str:
    """What the dense index sees for a sentence: the headline as context, then the sentence, so a
    sentence that names its subject only implicitly still matches questions that name it."""
    title = to_simplified(doc.title)
    return f"{title}：{sentence.key}" if title and title not in sentence.key else sentence.key


def _keyword_text(doc: Document, chunk: Chunk) -> str:
    """What the keyword index sees for a chunk: its simplified text."""
    return chunk.key


def _renumber(chunk: Chunk, new_id: int) -> Chunk:
    if chunk.id == new_id:
        return chunk
    from dataclasses import replace

    return replace(chunk, id=new_id)
