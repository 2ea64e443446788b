"""The one adapter between the web chat and the index's storage: which articles are indexed and
which index generation is live. When the store changes shape, only this module changes."""
from __future__ import annotations

import time
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
    """The live generation's name (the index's CURRENT pointer), None when nothing is built."""
    from .. import store

    try:
        return (index_dir / store.CURRENT).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def engine_generation(engine: "Engine") -> str | None:
    """The generation an engine has loaded."""
    path = engine.data.path
    return path.name if path is not None else None


def documents_by_source(engine: "Engine") -> dict[str, "Document"]:
    """The engine's articles keyed by file name."""
    return {doc.source: doc for doc in engine.data.documents.values()}


def list_articles(engine: "Engine", seeds_dir: Path) -> list[ArticleRow]:
    """The indexed articles, newest first, with file size and time from the seeds folder."""
    rows = []
    for entry in engine.data.manifest.documents.values():
        source = str(entry.get("source", ""))
        try:
            stat = (seeds_dir / source).stat()
            size, added = stat.st_size, time.strftime("%Y-%m-%d %H:%M", time.localtime(stat.st_mtime))
        except OSError:
            size, added = 0, ""
        rows.append(ArticleRow(source=source, title=str(entry.get("title") or source),
                               date=entry.get("date"), chunks=int(entry.get("chunks", 0)),
                               size=size, added=added))
    return sorted(rows, key=lambda r: (r.added, r.source), reverse=True)


def index_summary(engine: "Engine") -> tuple[int, int, str]:
    """(articles, chunks, built at) of the engine's index."""
    manifest = engine.data.manifest
    chunks = sum(int(v.get("chunks", 0)) for v in manifest.documents.values())
    return len(manifest.documents), chunks, (manifest.built_at or "").replace("T", " ")[:19]
