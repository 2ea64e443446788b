"""Build or update the index from an articles folder: incremental, atomic, with a summary."""
from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import generations, store
from .chinese import to_simplified, tokenize
from .config import Settings
from .embedding import Encoder
from .messages import say
from .milvus_store import is_milvus
from .reading import Skipped, read_folder_reusing, reading_rules
from .splitting import split_chunks, split_sentences, splitting_rules
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


def _previous(settings: Settings, full: bool) -> tuple[store.Store | None, str | None]:
    """The live index when it can be reused, else None and why a full build is needed."""
    from . import integrity

    if full:
        return None, say("reason_full_asked")
    try:
        old = store.open_store(settings)
    except store.IndexMissing:
        return None, say("reason_no_index")
    except store.IndexCorrupt as exc:
        log.warning("%s", exc)
        return None, say("reason_unreadable")
    m = old.manifest
    if m.model != settings.model:
        return None, say("reason_model_changed", old=m.model, new=settings.model)
    if integrity.model_changed(m.model_identity, settings.model):
        return None, say("reason_model_changed_on_disk", model=settings.model)
    if (m.chunk_size, m.chunk_overlap) != (settings.chunk_size, settings.chunk_overlap):
        return None, say("reason_chunks_changed", old=f"{m.chunk_size}/{m.chunk_overlap}",
                         new=f"{settings.chunk_size}/{settings.chunk_overlap}")
    if m.rules != splitting_rules():
        return None, say("reason_rules_changed")
    return old, None


def build_index(settings: Settings | None = None, full: bool = False, progress: bool = True,
                encoder: Encoder | None = None, documents: list[Document] | None = None,
                allow_empty: bool = False, wait: bool = True) -> BuildReport:
    """Bring the index in ``settings.index_dir`` up to date with ``settings.seeds_dir``.

    Only new or changed articles are embedded; a changed model (name or files) or chunk setting
    forces a full rebuild. The new index is written beside the live one and swapped in at the end.
    ``documents`` replaces reading the articles folder (for corpora that come as records).
    An articles folder that is missing or holds no article is refused (``EmptySeeds``) unless
    ``allow_empty``: it would silently empty the index. With ``wait=False`` a build already
    running on the same index is an error (``store.BuildBusy``) instead of something to wait for.

    >>> report = build_index(Settings.from_env(seeds_dir="seeds", index_dir="index"))
    >>> print(report.summary())  # doctest: +SKIP
    """
    settings = settings or Settings.from_env()
    with generations.build_lock(_lock_dir(settings), wait=wait):
        return _build(settings, full, progress, encoder, documents, allow_empty)


def _read_articles(settings: Settings, allow_empty: bool, old: store.Store | None,
                   ) -> tuple[list[Document], list[Skipped], dict]:
    """The articles of the seeds folder, files unchanged since the ``old`` index taken from it
    instead of read again, and the stamps to save for the next build: ``{"rules": fingerprint of
    the reading code, "files": {file name: [stamp, doc id]}}``. Files are reused only when read
    under the same rules. Refuses an empty or missing folder unless ``allow_empty``."""
    rules = reading_rules()
    previous = generations.previous_stamps(getattr(old, "path", None))
    known = previous.get("files") if previous.get("rules") == rules else None
    reuse = old.documents.get if old is not None else None
    try:
        documents, skipped, files = read_folder_reusing(settings.seeds_dir, settings.max_file_mb * 2**20,
                                                        known if isinstance(known, dict) else None, reuse)
    except FileNotFoundError:
        if not allow_empty:
            raise
        return [], [], {}
    if not documents and not allow_empty:
        raise EmptySeeds(say("build_empty_refused", path=settings.seeds_dir, skipped=len(skipped)))
    return documents, skipped, {"rules": rules, "files": files}


def _lock_dir(settings: Settings) -> Path:
    """Where the build lock lives: the index folder, or beside a Milvus Lite file (a server's
    store is locked per machine only)."""
    if not is_milvus(settings.store):
        return settings.index_dir
    local = Path(settings.store)
    return local.parent / f".{local.name}.lock" if "://" not in settings.store else Path(".qa-milvus.lock")


def _build(settings: Settings, full: bool, progress: bool, encoder: Encoder | None,
           documents: list[Document] | None, allow_empty: bool = False) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport()
    old, reason = _previous(settings, full)
    stamps: dict = {}
    if documents is None:
        documents, report.skipped, stamps = _read_articles(settings, allow_empty, old)
    report.full, report.full_reason = old is None, reason
    if old is not None and reason is None:
        log.info("incremental build over %d known articles", len(old.documents))

    old_docs = {a.id: a for a in old.articles()} if old else {}
    current_ids = {d.id for d in documents}
    new_docs = [d for d in documents if d.id not in old_docs]
    old_sources = {a.source for i, a in old_docs.items() if i not in current_ids}
    report.changed = sum(1 for d in new_docs if d.source in old_sources)
    report.added = len(new_docs) - report.changed
    report.removed = len(old_sources - {d.source for d in new_docs})
    report.unchanged = len(documents) - len(new_docs)
    if old is not None and not new_docs and set(old_docs) == current_ids and _same_metadata(old_docs, documents):
        report.articles = len(documents)
        report.chunks, report.sentences = old.manifest.chunks, old.manifest.sentences
        report.seconds = time.perf_counter() - started
        old.close()
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

    if is_milvus(settings.store):
        return _apply_milvus(settings, old, report, started, new_docs, new_chunks, new_sentences,
                             chunk_vecs_new, sent_vecs_new, int(dim), current_ids)

    entries: list[generations.Entry] = []
    chunk_parts: list[np.ndarray] = []
    sentence_parts: list[np.ndarray] = []
    tokens: list[list[str]] = []
    old_tokens = generations.previous_tokens(getattr(old, "path", None)) if old is not None else None
    if old_tokens is not None and len(old_tokens) != old.manifest.chunks:
        old_tokens = None
    c_row = s_row = 0
    for doc in documents:
        art = old_docs.get(doc.id)
        chunk_tokens = None
        if art is not None and old is not None:
            # Unchanged article: its records, vectors and keyword tokens are reused as they are.
            rows = slice(art.first_chunk, art.first_chunk + art.chunks)
            chunks = old.chunks_of(doc.id)
            sentences = old.sentences[doc.id]
            chunk_parts.append(old.chunk_vectors[rows])
            sentence_parts.append(old.sentence_vectors[doc.id])
            chunk_tokens = old_tokens[rows] if old_tokens is not None else None
        else:
            chunks, sentences = new_chunks[doc.id], new_sentences[doc.id]
            chunk_parts.append(chunk_vecs_new[c_row : c_row + len(chunks)])
            sentence_parts.append(sent_vecs_new[s_row : s_row + len(sentences)])
            c_row += len(chunks)
            s_row += len(sentences)
        entries.append(generations.Entry(doc, sentences, chunks))
        if chunk_tokens is None:
            chunk_tokens = [tokenize(_keyword_text(doc, c), simplified=True) for c in chunks]
        tokens += [t or ["_"] for t in chunk_tokens]

    manifest = store.Manifest(
        model=settings.model,
        dimension=int(dim),
        chunk_size=settings.chunk_size,
        chunk_overlap=settings.chunk_overlap,
        model_identity=_identity(settings.model, old),
        versions=store.library_versions(),
        rules=splitting_rules(),
        built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    )
    chunk_matrix = np.vstack(chunk_parts) if chunk_parts else np.zeros((0, dim), np.float32)
    sentence_matrix = np.vstack(sentence_parts) if sentence_parts else np.zeros((0, dim), np.float32)
    report.seconds = time.perf_counter() - started
    manifest.build_seconds = round(report.seconds, 3)
    generations.save(settings.index_dir, manifest, entries, chunk_matrix, sentence_matrix, tokens, stamps)
    if old is not None:
        old.close()
    report.written = True
    report.articles, report.chunks = manifest.articles, manifest.chunks
    report.sentences = manifest.sentences
    report.seconds = time.perf_counter() - started
    return report


def _apply_milvus(settings, old, report: BuildReport, started: float, new_docs, new_chunks, new_sentences,
                  chunk_vectors: np.ndarray, sentence_vectors: np.ndarray, dim: int, current_ids: set[str]) -> BuildReport:
    """Bring a Milvus store up to date: delete the articles that went away, insert the new ones."""
    from .milvus_store import MilvusStore

    target = old if old is not None else MilvusStore(settings.store, settings.milvus_token)
    removed = [] if old is None else [a.id for a in old.articles() if a.id not in current_ids]
    if old is None:
        target.drop()
    manifest = store.Manifest(
        model=settings.model, dimension=dim, chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap,
        model_identity=_identity(settings.model, old), versions=store.library_versions(),
        rules=splitting_rules(), built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    entries = [generations.Entry(d, new_sentences[d.id], new_chunks[d.id]) for d in new_docs]
    manifest.build_seconds = round(time.perf_counter() - started, 3)
    target.apply(manifest, removed, entries, chunk_vectors, sentence_vectors)
    target.close()
    report.written = True
    report.articles, report.chunks, report.sentences = manifest.articles, manifest.chunks, manifest.sentences
    report.seconds = time.perf_counter() - started
    return report


def _identity(model: str, old: store.Store | None) -> dict[str, str]:
    """The model's identity; an incremental build reuses the recorded one (it was just checked)."""
    from . import integrity

    if old is not None and old.manifest.model_identity:
        return dict(old.manifest.model_identity)
    return integrity.model_identity(model).to_dict()


def _same_metadata(old_docs: dict, documents: list[Document]) -> bool:
    return all(old_docs[d.id].source == d.source and old_docs[d.id].title == d.title for d in documents)


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
