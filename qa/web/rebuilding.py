"""Background rebuilds after uploads and deletions: ``build_index`` in a thread, its progress
(stage, vectors done of total) readable by the page, the new index made live when done."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from ..messages import say
from .live import LiveEngine

if TYPE_CHECKING:
    import numpy as np

    from ..building import BuildReport
    from ..embedding import Encoder

log = logging.getLogger(__name__)


@dataclass
class BuildStatus:
    """Progress of one background rebuild, read by the page while it runs."""

    stage: str = "web_stage_waiting"  # a message key
    done: int = 0
    total: int = 0
    started: float = field(default_factory=time.time)
    running: bool = True
    summary: str = ""
    error: str = ""

    @property
    def fraction(self) -> float | None:
        """How far the vectors are (0..1), None when not computing vectors."""
        return self.done / self.total if self.stage == "web_stage_embedding" and self.total else None


class ProgressEncoder:
    """An ``Encoder`` for ``build_index`` that encodes in slices and reports how far it got."""

    def __init__(self, base: "Encoder", report: Callable[[int, int], None], step: int = 64) -> None:
        self.base = base
        self.model_name = base.model_name
        self.batch_size = base.batch_size
        self.report = report
        self.step = max(1, step)

    @property
    def dimension(self) -> int:
        return self.base.dimension

    def encode(self, texts: list[str], progress: bool = False) -> "np.ndarray":
        import numpy as np

        total = len(texts)
        self.report(0, total)
        if not total:
            return self.base.encode(texts)
        parts = []
        for i in range(0, total, self.step):
            parts.append(self.base.encode(texts[i : i + self.step]))
            self.report(min(i + self.step, total), total)
        return np.vstack(parts)


class Rebuilder:
    """Runs rebuilds one at a time in background threads; a later one waits for the running one."""

    def __init__(self, live: LiveEngine) -> None:
        self.live = live
        self.latest: BuildStatus | None = None
        self._lock = threading.Lock()

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    def start(self) -> tuple[threading.Thread, BuildStatus]:
        """Start a rebuild of the seeds folder; the thread ends once the new index is live."""
        status = BuildStatus()
        self.latest = status
        thread = threading.Thread(target=self._run, args=(status,), name="qa-web-rebuild", daemon=True)
        thread.start()
        return thread, status

    def run(self) -> BuildStatus:
        """Rebuild now and wait for it."""
        thread, status = self.start()
        thread.join()
        return status

    def _run(self, status: BuildStatus) -> None:
        from ..building import build_index

        try:
            with self._lock:
                status.stage = "web_stage_reading"
                encoder = self.live.current().encoder

                def report(done: int, total: int) -> None:
                    status.stage, status.done, status.total = "web_stage_embedding", done, total

                settings = self.live.settings
                progress = ProgressEncoder(encoder, report, step=max(16, settings.batch_size))
                # deleting the last article from the page is meant: an empty folder may empty the
                # index, a folder that vanished may not
                build = build_index(settings, progress=False, encoder=progress,  # type: ignore[arg-type]
                                    allow_empty=settings.seeds_dir.is_dir())
                status.stage = "web_stage_loading"
                self.live.refresh()
                status.summary = summary(build)
                log.info("web rebuild: %s", build.summary())
        except Exception as exc:  # shown on the page; the old index stays live
            log.exception("rebuild failed")
            status.error = say("web_build_failed", error=f"{type(exc).__name__}: {exc}")
        finally:
            status.running = False


def summary(report: "BuildReport") -> str:
    """One Chinese line about what a build did."""
    return say("web_build_done", articles=report.articles, added=report.added, changed=report.changed,
               removed=report.removed, chunks=report.chunks, seconds=report.seconds)
