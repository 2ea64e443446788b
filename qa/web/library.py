"""The one adapter between the web chat and the index's storage: which articles are indexed and
which index generation is live. When the store changes shape, only this module changes."""
from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..answering import Engine
    from ..types import Document


@dataclass(frozen=True)
class ArticleRow:
    """One indexed article as the knowledge-base table shows it."""

    source: str
    title: str
    date: str | None
    chunks: int
    size: int  # bytes of the file in the seeds folder (0 when the file is gone)
    added: str  # when the file was saved, "YYYY-MM-DD HH:MM" ("" when unknown)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def index_generation(index_dir: Path) -> str | None:
    """The live generation's name (the index's CURRENT pointer), None when nothing is built;
    ``store.IndexCorrupt`` when the pointer is garbled or names a missing generation."""
    from .. import store

    path = store.live_path(index_dir)
    return path.name if path is not None else None


def engine_generation(engine: "Engine") -> str | None:
    """The generation an engine has loaded."""
    path = engine.data.path
    return path.name if path is not None else None


class DocumentsBySource(Mapping[str, "Document"]):
    """The engine's articles keyed by file name, each read from the index when asked for (the
    whole corpus is never loaded to show one article)."""

    def __init__(self, engine: "Engine") -> None:
        self._data = engine.data

    def __getitem__(self, source: str) -> "Document":
        ids = self._data.ids_for_sources([source])
        if not ids:
            raise KeyError(source)
        return self._data.documents[ids[0]]

    def __iter__(self) -> Iterator[str]:
        return (a.source for a in self._data.articles())

    def __len__(self) -> int:
        return len(self._data.articles())


def documents_by_source(engine: "Engine") -> Mapping[str, "Document"]:
    """The engine's articles keyed by file name."""
    return DocumentsBySource(engine)


def sources_by_id(engine: "Engine") -> dict[str, str]:
    """Doc id -> file name of every indexed article (from the records, without article texts)."""
    return {a.id: a.source for a in engine.data.articles()}


def list_articles(engine: "Engine", seeds_dir: Path) -> list[ArticleRow]:
    """The indexed articles, newest first, with file size and time from the seeds folder."""
    rows = []
    for a in engine.data.articles():
        try:
            stat = (seeds_dir / a.source).stat()
            size, added = stat.st_size, time.strftime("%Y-%m-%d %H:%M", time.localtime(stat.st_mtime))
        except OSError:
            size, added = 0, ""
        rows.append(ArticleRow(source=a.source, title=a.title or a.source, date=a.date, chunks=a.chunks,
                               size=size, added=added))
    return sorted(rows, key=lambda r: (r.added, r.source), reverse=True)


def index_summary(engine: "Engine") -> tuple[int, int, str]:
    """(articles, chunks, built at) of the engine's index, as its manifest counts them."""
    manifest = engine.data.manifest
    return manifest.articles, manifest.chunks, (manifest.built_at or "").replace("T", " ")[:19]
