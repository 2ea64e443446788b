"""The live engine: the one the chat answers from, swapped atomically when the index on disk
changes (a rebuild from the page, a ``qa build`` from a shell, another server's upload)."""
from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from ..config import Settings
from .library import engine_generation, index_generation

if TYPE_CHECKING:
    from ..answering import Engine

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0


class LiveEngine:
    """Holds the engine for ``settings.index_dir``; ``refresh`` loads a newer index beside the
    old one and swaps it in only once it is ready, so no question ever waits on or fails in a load.

    Args:
        settings: where the index is and which model to use.
        poll_seconds: how often the watcher thread looks at the index's CURRENT pointer.
    """

    def __init__(self, settings: Settings, poll_seconds: float = POLL_SECONDS) -> None:
        self.settings = settings
        self.poll_seconds = poll_seconds
        self._engine: "Engine | None" = None
        self._load_lock = threading.Lock()
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    def current(self) -> "Engine":
        """The engine to answer from (loaded on first use)."""
        engine = self._engine
        if engine is None:
            with self._load_lock:
                if self._engine is None:
                    self._engine = self._load(None)
                engine = self._engine
        return engine

    def refresh(self) -> bool:
        """Load and swap in the index on disk when it is not the live one; True when swapped."""
        with self._load_lock:
            old = self._engine
            on_disk = index_generation(self.settings.index_dir)
            if old is not None and (on_disk is None or on_disk == engine_generation(old)):
                return False
            new = self._load(old)
            self._engine = new  # one reference assignment: readers see the old or the new engine
            log.info("index %s is live", engine_generation(new))
            return True

    def _load(self, old: "Engine | None") -> "Engine":
        from ..answering import Engine

        engine = Engine(self.settings, build_if_missing=False)
        if old is not None and old.encoder.model_name == engine.encoder.model_name:
            engine.encoder = old.encoder  # the loaded model is reused, not loaded again
        engine.warm_up()
        return engine

    def start_watching(self) -> None:
        """Follow the index on disk from a background thread (once)."""
        if self._watcher is not None:
            return
        self._watcher = threading.Thread(target=self._watch, name="qa-web-watch", daemon=True)
        self._watcher.start()

    def stop_watching(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            try:
                self.refresh()
            except Exception as exc:  # a half-written or broken index: keep the old one, try again
                log.warning("index not reloaded: %s", exc)
