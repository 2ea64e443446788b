"""Settings: one dataclass filled from defaults, then environment variables, then explicit overrides."""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

DEFAULT_MODEL = "m3e-small"


@dataclass(frozen=True)
class Settings:
    """Everything a build or a question needs to know.

    Environment: ``QA_SEEDS_DIR``, ``QA_INDEX_DIR``, ``QA_MODEL``, ``QA_CHUNK_SIZE``,
    ``QA_CHUNK_OVERLAP``, ``QA_TOP_K``, ``QA_BATCH_SIZE``, ``QA_READER`` (a reader folder, or
    ``none`` for retrieval-only answers; empty = the shipped reader in ``models/reader``),
    ``QA_STORE`` (``faiss``: the index folder; or a Milvus URI as ``pymilvus.MilvusClient(uri=...)``
    reads it: a local ``*.db`` path runs Milvus Lite, ``http://host:19530`` a Milvus server).
    """

    seeds_dir: Path = Path("seeds")
    index_dir: Path = Path("index")
    model: str = DEFAULT_MODEL
    chunk_size: int = 300
    chunk_overlap: int = 60
    top_k: int = 5
    batch_size: int = 64
    reader: str = ""
    store: str = "faiss"

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
            "store": os.environ.get("QA_STORE"),
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
            elif key in ("chunk_size", "chunk_overlap", "top_k", "batch_size"):
                converted[key] = int(value)  # type: ignore[arg-type]
            else:
                converted[key] = str(value)
        settings = replace(cls(), **converted)
        if settings.chunk_overlap >= settings.chunk_size:
            raise ValueError("chunk overlap must be smaller than the chunk size")
        return settings
