"""The chat's back end, free of Gradio: answering from the live engine, the article list, and
adding, replacing or deleting articles with a background rebuild."""
from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Settings
from ..messages import say
from .library import ArticleRow, documents_by_source, index_summary, list_articles, sources_by_id
from .live import LiveEngine
from .rebuilding import BuildStatus, Rebuilder
from .uploads import UploadResult, delete_article, save_uploads

if TYPE_CHECKING:
    from ..answering import Engine
    from ..types import Answer, Document

TOP_K_MIN, TOP_K_MAX = 1, 10


def check_top_k(top_k: object) -> int:
    """``top_k`` as an int in [TOP_K_MIN, TOP_K_MAX]; ``ValueError`` with a Chinese message."""
    problem = ValueError(say("web_top_k_invalid", low=TOP_K_MIN, high=TOP_K_MAX))
    if isinstance(top_k, bool) or not isinstance(top_k, (int, float, str)):
        raise problem
    try:
        value = float(top_k)
    except ValueError:
        raise problem from None
    if not math.isfinite(value) or value != int(value) or not TOP_K_MIN <= value <= TOP_K_MAX:
        raise problem
    return int(value)


class WebService:
    """Answers questions and manages the articles of one seeds folder and its index."""

    def __init__(self, settings: Settings, poll_seconds: float = 1.0) -> None:
        self.settings = settings
        self.live = LiveEngine(settings, poll_seconds)
        self.rebuilder = Rebuilder(self.live)
        self._change_lock = threading.Lock()

    def engine(self) -> "Engine":
        return self.live.current()

    def answer(self, question: object, top_k: object = 5, previous: str | None = None) -> tuple["Answer", "Engine"]:
        """(Answer, engine that answered); ``ValueError`` for a bad question or top_k. A follow-up
        is read with ``previous``, the question asked before it in the chat."""
        from ..answering import check_question

        text = check_question(question)
        k = check_top_k(top_k)
        engine = self.engine()
        return engine.answer(text, k, previous=previous), engine

    def documents(self, engine: "Engine") -> Mapping[str, "Document"]:
        """The articles of ``engine`` by file name, each read when asked for."""
        return documents_by_source(engine)

    def articles(self) -> list[ArticleRow]:
        return list_articles(self.engine(), self.settings.seeds_dir)

    def status_line(self) -> str:
        try:
            articles, chunks, built = index_summary(self.engine())
        except Exception as exc:  # the page must still load
            from .rendering import esc

            return esc(say("web_status_unavailable", error=exc))
        line = say("web_status", articles=articles, chunks=chunks, built=built)
        return line + (" · " + say("web_status_building") if self.rebuilder.busy else "")

    def add(self, files: list[Path]) -> tuple[UploadResult, threading.Thread | None, BuildStatus | None]:
        """Save uploads into the seeds folder and start a rebuild when something changed."""
        with self._change_lock:
            known = sources_by_id(self.engine())
            result = save_uploads(files, self.settings.seeds_dir, known)
            if not result.changed:
                return result, None, None
            thread, status = self.rebuilder.start()
            return result, thread, status

    def delete(self, source: str) -> tuple[str, threading.Thread | None, BuildStatus | None]:
        """Delete the article file ``source`` and start a rebuild."""
        with self._change_lock:
            if not delete_article(self.settings.seeds_dir, source):
                return say("web_delete_missing", name=source), None, None
            thread, status = self.rebuilder.start()
            return say("web_deleted", name=source), thread, status

    def unindexed(self) -> list[str]:
        """Article files in the seeds folder that the live index does not hold (e.g. saved just
        before a crash)."""
        from ..reading import list_article_files

        indexed = set(sources_by_id(self.engine()).values())
        try:
            files = list_article_files(self.settings.seeds_dir)
        except FileNotFoundError:
            return []
        return [p.name for p in files if p.name not in indexed]
