"""The public entry points ``answer`` and ``retrieve``: load the index and model once, thread-safely."""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from .config import Settings
from .types import Answer, Hit

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000


class Engine:
    """A loaded index with its encoder, retriever and extractor.

    Args:
        settings: where the index and articles are and which model to use.
        build_if_missing: build the index from ``settings.seeds_dir`` when none exists.
    """

    def __init__(self, settings: Settings, build_if_missing: bool = True, progress: bool = True) -> None:
        from . import store
        from .embedding import Encoder
        from .extraction import Extractor
        from .retrieval import Retriever

        self.settings = settings
        try:
            data = store.load(settings.index_dir)
        except store.IndexMissing:
            if not build_if_missing:
                raise
            from .building import build_index

            log.warning("no index in %s: building it from %s", settings.index_dir, settings.seeds_dir)
            build_index(settings, progress=progress)
            data = store.load(settings.index_dir)
        self.data = data
        self.encoder = Encoder(data.manifest.model, settings.batch_size)
        self.retriever = Retriever(data)
        self.extractor = Extractor(self.retriever)

    def query(self, question: str):
        from .retrieval import make_query

        return make_query(question, self.encoder)

    def retrieve(self, question: str, top_k: int = 5, sources: list[str] | None = None) -> list[Hit]:
        question = check_question(question)
        return self.retriever.run(self.query(question), top_k, sources)

    def answer(self, question: str, top_k: int = 5, sources: list[str] | None = None) -> Answer:
        return self.answer_and_hits(question, top_k, sources)[0]

    def answer_and_hits(self, question: str, top_k: int = 5, sources: list[str] | None = None,
                        depth: int = 0) -> tuple[Answer, list[Hit]]:
        """The answer and the ranked passages it was drawn from (``max(top_k, depth)`` of them)."""
        question = check_question(question)
        top_k = max(int(top_k), 1)
        query = self.query(question)
        scores = self.retriever.sentence_scores(query)
        hits = self.retriever.run(query, max(top_k, depth), sources, sentence_scores=scores)
        result = self.extractor.run(query, hits[:top_k], scores)
        # At most top_k citations, but never fewer than the answer's own evidence (a disagreement has two).
        result.citations = result.citations[: max(top_k, 2 if result.conflict else 1)]
        return result, hits


def check_question(question: object) -> str:
    """The question stripped; ``ValueError`` with a clear message when it cannot be asked."""
    if not isinstance(question, str):
        raise ValueError("问题必须是文本 (the question must be text)")
    text = question.replace("\x00", "").strip()
    if not text:
        raise ValueError("问题为空：请输入一个问题 (the question is empty: please type a question)")
    if len(text) > MAX_QUESTION_CHARS:
        raise ValueError(f"问题太长：{len(text)} 字，最多 {MAX_QUESTION_CHARS} 字 "
                         f"(the question is too long: {len(text)} characters, at most {MAX_QUESTION_CHARS})")
    return text


_engines: dict[Path, Engine] = {}
_lock = threading.Lock()


def get_engine(index_dir: str | Path | None = None, settings: Settings | None = None) -> Engine:
    """The process-wide engine for ``index_dir`` (default ``QA_INDEX_DIR`` or ``index/``)."""
    settings = settings or Settings.from_env(index_dir=index_dir)
    key = settings.index_dir.resolve()
    with _lock:
        engine = _engines.get(key)
        if engine is None:
            engine = Engine(settings)
            _engines[key] = engine
        return engine


def reload(index_dir: str | Path | None = None) -> Engine:
    """Load the index again (after a rebuild) and make it the one later calls use."""
    settings = Settings.from_env(index_dir=index_dir)
    engine = Engine(settings)
    with _lock:
        _engines[settings.index_dir.resolve()] = engine
    return engine


def answer(question: str, top_k: int = 5, index_dir: str | Path | None = None,
           sources: list[str] | None = None) -> Answer:
    """Answer ``question`` from the articles, with cited passages; abstain when they do not say.

    Raises ``ValueError`` for an empty or over-long question.

    >>> a = answer("北京经开区有多少家市级孵化器?")  # doctest: +SKIP
    >>> a.text, a.span, a.citations[0].source       # doctest: +SKIP
    """
    check_question(question)
    return get_engine(index_dir).answer(question, top_k, sources)


def retrieve(question: str, top_k: int = 5, index_dir: str | Path | None = None,
             sources: list[str] | None = None) -> list[Hit]:
    """The ``top_k`` passages that bear most on ``question`` (optionally only from ``sources``)."""
    check_question(question)
    return get_engine(index_dir).retrieve(question, top_k, sources)
