"""Settings: one dataclass filled from defaults, then environment variables, then explicit overrides."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .messages import say

DEFAULT_MODEL = "m3e-small"


@dataclass(frozen=True)
class Settings:
    """Everything a build or a question needs to know.

    Environment: ``QA_SEEDS_DIR``, ``QA_INDEX_DIR``, ``QA_MODEL``, ``QA_CHUNK_SIZE``,
    ``QA_CHUNK_OVERLAP``, ``QA_TOP_K``, ``QA_BATCH_SIZE``, ``QA_READER`` (a reader folder, or
    ``none`` for retrieval-only answers; empty = the shipped reader in ``models/reader``),
    ``QA_MAX_FILE_MB`` (article files larger than this are skipped, named in the build summary),
    ``QA_STORE`` (``faiss``: the index folder; or a Milvus URI as ``pymilvus.MilvusClient(uri=...)``
    reads it: a local ``*.db`` path runs Milvus Lite, ``http://host:19530`` a Milvus server),
    ``QA_MILVUS_TOKEN`` (a Milvus server's credentials, ``user:password`` or an API key, passed as
    ``MilvusClient(token=...)``; never shown in the settings' repr).
    """

    seeds_dir: Path = Path("seeds")
    index_dir: Path = Path("index")
    model: str = DEFAULT_MODEL
    chunk_size: int = 300
    chunk_overlap: int = 60
    top_k: int = 5
    batch_size: int = 64
    reader: str = ""
    max_file_mb: int = 50
    store: str = "faiss"
    milvus_token: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Defaults, then ``QA_*`` environment variables, then ``overrides`` that are not None."""
        env = {
            "seeds_dir": os.environ.get("QA_SEEDS_DIR"),
            "index_dir": os.environ.get("QA_INDEX_DIR"),
            "model": os.environ.get("QA_MODEL"),
            "chunk_size": os.environ.get("QA_CHUNK_SIZE"),
            "chunk_overlap": os.environ.get("QA_CHUNK_OVERLAP"),
            "top_k": os.environ.get("QA_TOP_K"),
            "batch_size": os.environ.get("QA_BATCH_SIZE"),
            "reader": os.environ.get("QA_READER"),
            "max_file_mb": os.environ.get("QA_MAX_FILE_MB"),
            "store": os.environ.get("QA_STORE"),
            "milvus_token": os.environ.get("QA_MILVUS_TOKEN"),
        }
        values = {k: v for k, v in env.items() if v}
        values.update({k: v for k, v in overrides.items() if v is not None})
        types = {f.name: f.type for f in fields(cls)}
        converted = {}
        for key, value in values.items():
            if key not in types:
                raise TypeError(f"unknown setting: {key}")
            if key.endswith("_dir"):
                converted[key] = Path(value)  # type: ignore[arg-type]
            elif key in ("chunk_size", "chunk_overlap", "top_k", "batch_size", "max_file_mb"):
                try:
                    converted[key] = int(value)  # type: ignore[arg-type]
                except ValueError:
                    raise ValueError(say("setting_not_number", name=key, value=value)) from None
            else:
                converted[key] = str(value)
        settings = replace(cls(), **converted)
        if settings.chunk_overlap >= settings.chunk_size:
            raise ValueError(say("setting_overlap"))
        if min(settings.chunk_size, settings.top_k, settings.batch_size, settings.max_file_mb) < 1:
            raise ValueError(say("setting_not_positive"))
        return settings
