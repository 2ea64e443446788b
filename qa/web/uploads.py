"""Uploaded articles: check them, keep them only in the seeds folder (a file of the same name is
replaced by its new version), delete articles, and clean Gradio's temporary upload copies."""
from __future__ import annotations

import os
import re
import shutil
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..messages import say

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_FILES = 20
UPLOAD_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")

_UNSAFE_CHARS = re.compile(r"[^\w\-.\u3400-\u9fff]+")


class UploadRejected(ValueError):
    """An uploaded file that is not saved; the message says why, in Chinese."""


@dataclass
class UploadResult:
    """What saving a batch of uploads did: new files, replaced files, one message per file."""

    saved: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.saved or self.replaced)


def safe_filename(name: str) -> str:
    """A safe file name for an uploaded article: basename only, no leading dots, safe characters,
    an allowed extension (lower-cased). Raises ``UploadRejected``."""
    base = unicodedata.normalize("NFKC", str(name or "")).replace("\x00", "")
    base = re.split(r"[\\/]", base)[-1].strip()
    suffix = Path(base).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise UploadRejected(say("web_upload_bad_type", suffix=suffix or say("web_upload_no_suffix"),
                                 allowed="、".join(UPLOAD_SUFFIXES)))
    stem = _UNSAFE_CHARS.sub("_", base[: len(base) - len(suffix)]).strip("._- ")
    stem = re.sub(r"_+", "_", stem)[:80].strip("._-")
    if not stem:
        raise UploadRejected(say("web_upload_bad_name"))
    return stem + suffix


def save_uploads(files: list[Path], seeds_dir: Path, known: dict[str, str],
                 max_bytes: int = MAX_UPLOAD_BYTES, max_files: int = MAX_UPLOAD_FILES) -> UploadResult:
    """Check each uploaded file and keep it in ``seeds_dir`` under its own (made safe) name.

    ``known`` maps the content ids of the indexed articles to their file names: the same text
    under another name is refused; a file with the name of an existing article replaces it.
    """
    from ..reading import UnreadableFile, read_document

    result = UploadResult()
    if len(files) > max_files:
        result.messages.append(say("web_upload_too_many", limit=max_files, count=len(files)))
        files = files[:max_files]
    seeds_dir.mkdir(parents=True, exist_ok=True)
    seen = dict(known)
    for path in files:
        shown = path.name
        try:
            if not path.is_file():
                raise UploadRejected(say("web_upload_missing"))
            name = safe_filename(path.name)
            size = path.stat().st_size
            if size > max_bytes:
                raise UploadRejected(say("web_upload_too_big", size=size / 1048576, limit=max_bytes / 1048576))
            if size == 0:
                raise UploadRejected(say("web_upload_empty"))
            try:
                doc = read_document(path)
            except UnreadableFile as exc:
                raise UploadRejected(say("web_upload_unreadable", error=exc)) from exc
            if seen.get(doc.id) == name:
                raise UploadRejected(say("web_upload_unchanged"))
            if doc.id in seen:
                raise UploadRejected(say("web_upload_duplicate", other=seen[doc.id]))
            target = seeds_dir / name
            replacing = target.exists()
            _write_atomically(target, path.read_bytes())
            seen[doc.id] = name
            (result.replaced if replacing else result.saved).append(name)
            note = say("web_upload_replaced" if replacing else "web_upload_saved", name=name)
            result.messages.append(note + (say("web_upload_renamed") if name != path.name else ""))
        except UploadRejected as exc:
            result.messages.append(say("web_upload_failed", name=shown, reason=exc))
        except OSError as exc:
            result.messages.append(say("web_upload_failed", name=shown,
                                       reason=say("web_upload_write_failed", error=exc.strerror or exc)))
    return result


def delete_article(seeds_dir: Path, source: str) -> bool:
    """Remove the article file ``source`` from the seeds folder; False when there is none."""
    name = Path(str(source or "")).name
    if not name or name != source or name.startswith("."):
        return False
    try:
        (seeds_dir / name).unlink()
    except FileNotFoundError:
        return False
    return True


def clean_upload_cache(files: list[Path], cache_dir: Path) -> None:
    """Delete Gradio's temporary copies of uploaded files (and their emptied folders)."""
    root = cache_dir.resolve()
    for path in files:
        try:
            resolved = path.resolve()
        except OSError:
            continue
        if root not in resolved.parents:
            continue
        resolved.unlink(missing_ok=True)
        folder = resolved.parent
        if folder != root and root in folder.parents and not any(folder.iterdir()):
            shutil.rmtree(folder, ignore_errors=True)


def _write_atomically(target: Path, data: bytes) -> None:
    """Write ``target`` through a hidden temporary file and a rename: never a half-written article."""
    tmp = target.with_name(f".upload-{os.getpid()}-{time.monotonic_ns()}{target.suffix}.part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
