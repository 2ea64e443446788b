"""Read article files of any common encoding and format into cleaned ``Document`` records."""
from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .chinese import to_simplified
from .cleaning import clean_text
from .integrity import code_fingerprint
from .messages import say
from .types import Document

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?(?!\d)"
)
_SOURCE_LINE_RE = re.compile(r"客户端|来源|发布时间|编者按|阅读提示|导读|^\W*\d{4}\s*[-年/.]")


@dataclass(frozen=True)
class Skipped:
    """A file that was not indexed, and why."""

    path: str
    reason: str


DEFAULT_MAX_FILE_BYTES = 50 * 2**20  # setting QA_MAX_FILE_MB


class UnreadableFile(ValueError):
    """The file is binary or in no encoding we can recognise."""


def decode_bytes(data: bytes) -> str:
    """Text of ``data`` in whatever common encoding it is in (UTF-8 ± BOM, GB18030/GBK, Big5, …)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise UnreadableFile(say("skip_binary"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_8", "big5hkscs", "cp950", "gbk"]).best()
    if best is None:
        best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile(say("skip_undecodable"))
    text = str(best)
    if _looks_binary(text):
        raise UnreadableFile(say("skip_binary"))
    return text


def _looks_binary(text: str) -> bool:
    sample = text[:4000]
    if not sample:
        return False
    bad = sum(1 for ch in sample if not (ch.isprintable() or ch in "\n\r\t"))
    return bad / len(sample) > 0.05


def html_to_text(html: str) -> tuple[str, str | None, str | None]:
    """Main text, title and date of an HTML page, via trafilatura (falls back to tag stripping)."""
    title = date = None
    text = None
    try:
        import trafilatura

        text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
        # extensive=False: the extensive search turns a bare year into a made-up "YYYY-01-01"
        meta = trafilatura.extract_metadata(html, extensive=False)
        if meta is not None:
            title, date = meta.title, meta.date
    except Exception as exc:  # a broken page must not stop the build
        log.warning("trafilatura failed (%s); stripping tags instead", exc)
    if not text:
        import html as html_lib

        body = re.sub(r"(?is)<(script|style|nav|footer|header)\b.*?</\1>", " ", html)
        body = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</h\d>|</li>", "\n", body)
        text = html_lib.unescape(re.sub(r"<[^>]+>", "", body))
        if title is None:
            match = re.search(r"(?is)<title[^>]*>(.*?)</title>", html)
            title = html_lib.unescape(match.group(1)).strip() if match else None
    return text, title, date


def find_date(text: str) -> str | None:
    """The article's date (ISO ``YYYY-MM-DD``) if its opening lines state one."""
    head = "\n".join(text.split("\n")[:6])
    match = _DATE_RE.search(head)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def find_title(text: str, fallback: str) -> str:
    """The headline: the first short line that is not a source/date line, else ``fallback``."""
    for line in text.split("\n")[:5]:
        line = line.strip().lstrip("#").strip()
        if 6 <= len(line) <= 64 and not _SOURCE_LINE_RE.search(to_simplified(line)) and line[-1] not in "。，,；;：:":
            return line
    return fallback


def _first_sentence(text: str, limit: int = 40) -> str:
    lines = (ln for ln in text.split("\n") if ln.strip() and not _SOURCE_LINE_RE.search(to_simplified(ln)))
    body = next(lines, None) or text.strip()
    first = re.split(r"(?<=[。！？!?])", body, maxsplit=1)[0].lstrip("◇■●·-* ")
    return first if len(first) <= limit else first[:limit] + "…"


def content_id(text: str) -> str:
    """Stable id of a document: a hash of its cleaned text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def read_document(path: Path) -> Document:
    """Read, decode, extract and clean one article file.

    Raises:
        UnreadableFile: binary or undecodable content, or nothing left after cleaning.
    """
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFile(say("skip_empty"))
    raw = decode_bytes(data)
    title = date = None
    if path.suffix.lower() in (".html", ".htm") or re.match(r"\s*(<!doctype html|<html)", raw[:200], re.I):
        raw, title, date = html_to_text(raw)
    text = clean_text(raw or "")
    if not text.strip():
        raise UnreadableFile(say("skip_no_text"))
    if date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        date = None
    return Document(
        id=content_id(text),
        source=path.name,
        title=(title or "").strip() or find_title(text, _first_sentence(text)),
        date=date or find_date(text),
        text=text,
        key=to_simplified(text),
    )


def scan_folder(folder: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> tuple[list[Path], list[Skipped]]:
    """The article files directly in ``folder`` (sorted), and every other entry with why it is not
    read. Hidden files are ignored without a word; nothing that is not a regular file is opened
    (a FIFO would block the build).

    Raises:
        FileNotFoundError: ``folder`` does not exist or is not a folder.
    """
    if not folder.is_dir():
        raise FileNotFoundError(say("seeds_missing", path=folder))
    files: list[Path] = []
    skipped: list[Skipped] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        reason = _skip_reason(path, max_bytes)
        if reason:
            skipped.append(Skipped(path.name, reason))
        else:
            files.append(path)
    return files, skipped


def _skip_reason(path: Path, max_bytes: int) -> str | None:
    if path.is_symlink() and not path.exists():
        return say("skip_dangling_link")
    if path.is_dir():
        return say("skip_folder")
    if not path.is_file():
        return say("skip_not_regular")
    if path.suffix.lower() not in ARTICLE_SUFFIXES:
        return say("skip_type", suffix=path.suffix or say("no_suffix"), allowed=" ".join(ARTICLE_SUFFIXES))
    size = path.stat().st_size
    if size > max_bytes:
        return say("skip_too_large", size=size / 2**20, limit=max_bytes / 2**20)
    return None


def list_article_files(folder: Path) -> list[Path]:
    """Article files directly in ``folder`` (sorted; hidden files ignored)."""
    return scan_folder(folder)[0]


def read_folder(folder: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> tuple[list[Document], list[Skipped]]:
    """All readable articles of ``folder``, the same text under two names kept once, and every
    file left out with its reason."""
    documents, skipped, _ = read_folder_reusing(folder, max_bytes)
    return documents, skipped


def reading_rules() -> str:
    """A fingerprint of the code that turns a file into an article (reading, cleaning, script
    rules): an article read under other rules must be read again, even from an unchanged file."""
    return code_fingerprint("reading.py", "cleaning.py", "chinese.py")


def file_stamp(path: Path) -> list[int]:
    """What tells a file unchanged without reading it: size, modification time (ns), inode."""
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def read_folder_reusing(folder: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES,
                        known: dict[str, list] | None = None,
                        reuse: Callable[[str], Document | None] | None = None,
                        ) -> tuple[list[Document], list[Skipped], dict[str, list]]:
    """``read_folder`` that does not read again a file whose stamp is unchanged since the last
    build: ``known`` maps a file name to ``[stamp, doc id]`` and ``reuse(doc_id)`` gives that
    article back (from the index). Returns also the stamps to remember for the next build."""
    paths, skipped = scan_folder(folder, max_bytes)
    known = known or {}
    documents: list[Document] = []
    stamps: dict[str, list] = {}
    seen: dict[str, str] = {}
    for path in _progress(paths):
        try:
            stamp = file_stamp(path)
            previous = known.get(path.name)
            doc = reuse(previous[1]) if reuse and previous and previous[0] == stamp else None
            if doc is None or doc.source != path.name:
                doc = read_document(path)
        except (UnreadableFile, OSError) as exc:
            reason = str(exc) if isinstance(exc, UnreadableFile) else say("skip_os_error", error=exc.strerror or exc)
            log.warning("skipped %s: %s", path.name, reason)
            skipped.append(Skipped(path.name, reason))
            continue
        if doc.id in seen:
            log.warning("skipped %s: same article as %s", path.name, seen[doc.id])
            skipped.append(Skipped(path.name, say("skip_duplicate", other=seen[doc.id])))
            continue
        seen[doc.id] = path.name
        stamps[path.name] = [stamp, doc.id]
        documents.append(doc)
    return documents, sorted(skipped, key=lambda s: s.path), stamps


def _progress(paths: list[Path]):
    """``paths`` with a progress bar on a terminal when there is much to read (big or many files)."""
    import sys

    total = sum(p.stat().st_size for p in paths)
    if total < 20 * 2**20 or not (sys.stderr and sys.stderr.isatty()):
        return paths
    from tqdm import tqdm

    return tqdm(paths, desc=say("reading_progress"), unit="篇")
