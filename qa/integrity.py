"""Checksums of index files and the identity of the embedding model the vectors came from.

A build records, for every file of a generation, its size and SHA-256, and for the model its name
with a fingerprint of its weights and tokenizer files. Loading compares sizes (cheap); ``qa check``
compares every checksum and the model's fingerprint.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .messages import say

# Files of a model folder that decide its vectors: weights, tokenizer, pooling and configuration.
MODEL_FILES = ("*.safetensors", "*.bin", "*.pt", "tokenizer*.json", "vocab.txt", "*.model",
               "special_tokens_map.json", "config*.json", "modules.json", "*/config.json")
BLOCK = 1 << 20


def file_digest(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=None)
def code_fingerprint(*modules: str) -> str:
    """A fingerprint of this package's ``modules`` (file names such as "chinese.py"): what an index
    derived from an article under their rules must be derived again under other rules."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in modules:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def tree_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` except the manifest, in a stable order."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json")


def checksums(folder: Path) -> dict[str, dict[str, object]]:
    """``{relative path: {"size", "sha256"}}`` of every file of a generation folder."""
    return {p.relative_to(folder).as_posix(): {"size": p.stat().st_size, "sha256": file_digest(p)}
            for p in tree_files(folder)}


def size_problems(folder: Path, recorded: dict[str, dict[str, object]]) -> list[str]:
    """Files missing or of another size than recorded (the start-up check)."""
    problems = []
    for name, info in recorded.items():
        path = folder / name
        if not path.is_file():
            problems.append(say("integrity_missing", name=name))
        elif path.stat().st_size != info.get("size"):
            problems.append(say("integrity_size", name=name, size=path.stat().st_size, recorded=info.get("size")))
    return problems


def checksum_problems(folder: Path, recorded: dict[str, dict[str, object]]) -> list[str]:
    """Files whose content differs from what was recorded (the full check)."""
    problems = size_problems(folder, recorded)
    for name, info in recorded.items():
        path = folder / name
        if path.is_file() and path.stat().st_size == info.get("size") and file_digest(path) != info.get("sha256"):
            problems.append(say("integrity_checksum", name=name))
    return problems


@dataclass(frozen=True)
class ModelIdentity:
    """An embedding model: its name, and a fingerprint of the files that decide its vectors
    (empty when the model is not a local folder)."""

    name: str
    fingerprint: str = ""
    quick: str = ""  # names, sizes and modification times: a cheap hint that files changed

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "fingerprint": self.fingerprint, "quick": self.quick}


def model_files(folder: Path) -> list[Path]:
    found: set[Path] = set()
    for pattern in MODEL_FILES:
        found.update(p for p in folder.glob(pattern) if p.is_file())
    return sorted(found)


def quick_identity(folder: Path) -> str:
    digest = hashlib.sha256()
    for p in model_files(folder):
        st = p.stat()
        digest.update(f"{p.relative_to(folder).as_posix()}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def model_identity(name: str) -> ModelIdentity:
    """The identity of the model called ``name`` (see ``qa.embedding.resolve_model``)."""
    from .embedding import resolve_model

    try:
        folder = Path(resolve_model(name))
    except RuntimeError:
        return ModelIdentity(name)
    if not folder.is_dir():
        return ModelIdentity(name)
    digest = hashlib.sha256()
    for p in model_files(folder):
        digest.update(p.relative_to(folder).as_posix().encode() + b"\0" + file_digest(p).encode() + b"\n")
    return ModelIdentity(name, digest.hexdigest(), quick_identity(folder))


def model_changed(recorded: dict[str, str] | None, name: str, full: bool = False) -> bool:
    """Whether the model ``name`` on disk differs from the one ``recorded`` at build time.

    The cheap check compares file sizes and times and only hashes the files when those moved;
    ``full=True`` always hashes.
    """
    if not recorded or not recorded.get("fingerprint"):
        return bool(recorded) and recorded.get("name") != name
    if recorded.get("name") != name:
        return True
    if not full:
        from .embedding import resolve_model

        try:
            folder = Path(resolve_model(name))
        except RuntimeError:
            return True
        if folder.is_dir() and quick_identity(folder) == recorded.get("quick"):
            return False
    return model_identity(name).fingerprint != recorded.get("fingerprint")
