"""The web chat: a Gradio Blocks app over the live index, with sources, uploads and a JSON API.

Start it with ``python app.py [--host H] [--port P]`` (or ``qa serve``); it uses the index in
``QA_INDEX_DIR`` (built from ``QA_SEEDS_DIR`` first when missing).

* 对话 tab: chat with history; each reply shows the answer (short answer in bold), a confidence cue
  and numbered citations matching the sources panel, where every passage has the answer marked and
  the whole article can be opened with the passage marked.
* 添加文章 tab: upload ``.txt``/``.md``/``.html`` articles; they are checked, saved into the articles
  folder and the index is rebuilt incrementally in a background thread while the chat keeps
  answering from the old index; the new index goes live when the build is done.
* API: ``gradio_client.Client(url).predict(question, top_k, api_name="/answer")`` returns
  ``Answer.to_dict()``.

Every piece of article or question text is HTML-escaped (and its Markdown characters turned into
entities) before it reaches the page, so nothing in an article or a question can run in a browser.

Gradio is imported inside functions only: importing this module is cheap.
"""
import argparse
import logging
import math
import os
import re
import sys
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .config import Settings

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_FILES = 20
UPLOAD_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
TOP_K_MIN, TOP_K_MAX = 1, 10
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
ANSWER_CONCURRENCY = int(os.environ.get("QA_WEB_CONCURRENCY", "4") or 4)

EXAMPLES = [
    "北京经开区有多少家市级孵化器?",
    "中共中央政治局集体学习是哪一天走进中关村的?",
    "京津冀国家技术创新中心培育的硬科技企业中有几家是上市企业?",
    "中关村论坛创办于哪一年?",
]

CONFLICT_FLAG = "⚠ 文章之间数字不一致"


# --------------------------------------------------------------------------------------------
# Escaping and rendering (pure functions: no Gradio, no engine)
# --------------------------------------------------------------------------------------------

# Characters that Markdown, LaTeX or the HTML component's templates could give a meaning to.
_ENTITIES = {c: f"&#{ord(c)};" for c in "*_`[]()#~|\\$!{}<>&\"'="}


def esc(text: object) -> str:
    """``text`` safe to put inside HTML or Markdown: HTML and markup characters as entities.

    Equivalent to ``html.escape(text, quote=True)`` for the browser, plus Markdown/LaTeX/template
    characters, so nothing in ``text`` can become a tag, an attribute, a link or a formula.
    """
    return "".join(_ENTITIES.get(ch, ch) for ch in ("" if text is None else str(text)))


def esc_lines(text: object) -> str:
    """Like ``esc``, with line breaks as ``<br>`` (so the result is one line of HTML)."""
    return "<br>".join(esc(line) for line in str(text or "").split("\n"))


def confidence_label(confidence: float) -> tuple[str, str]:
    """(Chinese label, css class) for a confidence in [0, 1]."""
    if confidence >= 0.75:
        return "高", "high"
    if confidence >= 0.45:
        return "中", "mid"
    return "低", "low"


def _span_parts(span: str | None) -> list[str]:
    """The figures in a short answer; a disagreement joins them with `` / ``."""
    if not span:
        return []
    return [p.strip() for p in span.split(" / ") if p.strip()]


def _mark_ranges(text: str, ranges: list[tuple[int, int]], tag: str, cls: str | None = None) -> str:
    """``text`` escaped, with each non-overlapping range wrapped in ``<tag>``."""
    attr = f' class="{cls}"' if cls else ""
    out, pos = [], 0
    for start, end in sorted(ranges):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        out.append(esc_lines(text[pos:start]))
        out.append(f"<{tag}{attr}>{esc_lines(text[start:end])}</{tag}>")
        pos = end
    out.append(esc_lines(text[pos:]))
    return "".join(out)


def _find_all(text: str, parts: Iterable[str]) -> list[tuple[int, int]]:
    """First occurrence of each part in ``text`` as ranges, overlaps dropped."""
    ranges: list[tuple[int, int]] = []
    for part in parts:
        at = text.find(part)
        if at >= 0 and all(at >= e or at + len(part) <= s for s, e in ranges):
            ranges.append((at, at + len(part)))
    return ranges


def bold_span(text: str, span: str | None) -> str:
    """The answer text escaped, with the short answer (each figure of a disagreement) in bold."""
    return _mark_ranges(text, _find_all(text, _span_parts(span)), "strong")


def _citation_value(citation: Any, name: str, default: Any = None) -> Any:
    if isinstance(citation, dict):
        return citation.get(name, default)
    return getattr(citation, name, default)


def _highlight(citation: Any) -> tuple[int, int] | None:
    """The marked sentence as a slice of the passage (citations give it in article offsets)."""
    value = _citation_value(citation, "highlight")
    if not value:
        return None
    offset = int(_citation_value(citation, "start", 0) or 0)
    start, end = int(value[0]) - offset, int(value[1]) - offset
    passage = _citation_value(citation, "passage", "") or ""
    if not (0 <= start < end <= len(passage)):
        return None
    return start, end


def passage_html(citation: Any, span: str | None = None, weak: bool = False) -> str:
    """The cited passage escaped, its answer inside ``<mark>`` (the short answer bold in it);
    ``weak``: the marked sentence is related evidence, not the answer itself (drawn lighter)."""
    passage = _citation_value(citation, "passage", "") or ""
    hl = _highlight(citation)
    if hl is None:
        return esc_lines(passage)
    start, end = hl
    inner = passage[start:end]
    own = _citation_value(citation, "span")
    if own and span is not None:  # the citation's own answer offsets (article coordinates)
        offset = int(_citation_value(citation, "start", 0) or 0) + start
        ranges = [(max(int(own[0]) - offset, 0), min(int(own[1]) - offset, len(inner)))]
        ranges = [(a, b) for a, b in ranges if a < b]
    else:
        ranges = _find_all(inner, _span_parts(span))
    inner_html = _mark_ranges(inner, ranges, "strong")
    cls = "qa-answer qa-weak" if weak else "qa-answer"
    return f"{esc_lines(passage[:start])}<mark class=\"{cls}\">{inner_html}</mark>{esc_lines(passage[end:])}"


def document_html(doc_text: str, start: int, end: int, citation: Any, span: str | None = None,
                  weak: bool = False) -> str:
    """A whole article escaped, the cited passage ``[start, end)`` marked, its answer marked inside."""
    start, end = max(0, min(start, len(doc_text))), max(0, min(end, len(doc_text)))
    if end <= start:
        return esc_lines(doc_text)
    return (
        f"{esc_lines(doc_text[:start])}<mark class=\"qa-passage\">"
        f"{passage_html(citation, span, weak)}</mark>{esc_lines(doc_text[end:])}"
    )


def figures_by_citation(answer: Any) -> list[tuple[str, int | None]]:
    """For a disagreement: each figure of the span with the number (1-based) of a citation stating it."""
    citations = list(_citation_value(answer, "citations", []) or [])
    roled = [(i, c) for i, c in enumerate(citations, 1)
             if _citation_value(c, "role") in ("answer", "conflicting") and _citation_value(c, "span")]
    if roled:  # the answer's own fields: each stated figure and the citation that states it
        out_roled = []
        for i, c in roled:
            a, b = _citation_value(c, "span")
            offset = int(_citation_value(c, "start", 0) or 0)
            out_roled.append(((_citation_value(c, "passage", "") or "")[a - offset:b - offset], i))
        return out_roled
    out: list[tuple[str, int | None]] = []
    used: set[int] = set()
    for part in _span_parts(_citation_value(answer, "span")):
        number = None
        for i, c in enumerate(citations, 1):
            hl = _highlight(c)
            passage = _citation_value(c, "passage", "") or ""
            text = passage[hl[0]:hl[1]] if hl else passage
            if part in text and i not in used:
                number = i
                used.add(i)
                break
        out.append((part, number))
    return out


def supporting_citations(answer: Any) -> list[int]:
    """Numbers (1-based) of the citations whose marked answer is (part of) the answer text."""
    text = _citation_value(answer, "text", "") or ""
    citations = list(_citation_value(answer, "citations", []) or [])
    if any(_citation_value(c, "role") for c in citations):
        return [i for i, c in enumerate(citations, 1) if _citation_value(c, "role") in ("answer", "conflicting")]
    refs = []
    for i, c in enumerate(citations, 1):
        hl = _highlight(c)
        if hl is None:
            continue
        marked = (_citation_value(c, "passage", "") or "")[hl[0]:hl[1]].strip()
        if marked and (marked in text or text.strip() in marked):
            refs.append(i)
    return refs or ([1] if citations else [])


def render_reply(answer: Any) -> str:
    """The chat message for an answer: one line of sanitizer-friendly HTML."""
    if _citation_value(answer, "abstained"):
        why = _citation_value(answer, "reason")
        reason = f"<br><span class=\"qa-reason\">{esc(why)}</span>" if why else ""
        if _citation_value(answer, "citations"):
            reason += "<br><span class=\"qa-hint\">最接近的段落列在来源栏的“相关段落”下。</span>"
        return (
            "<div class=\"qa-reply qa-abstain\"><strong>这些文章没有回答这个问题。</strong>"
            f"{reason}<br><span class=\"qa-hint\">可以换一种问法，或在“添加文章”中上传相关文章。</span></div>"
        )
    citations = list(_citation_value(answer, "citations", []) or [])
    text = _citation_value(answer, "text", "") or ""
    span = _citation_value(answer, "span")
    label, cls = confidence_label(float(_citation_value(answer, "confidence", 0.0) or 0.0))
    parts = ["<div class=\"qa-reply\">"]
    if _citation_value(answer, "conflict"):
        figures = figures_by_citation(answer)
        said = "；".join(
            f"<strong>{esc(f)}</strong>" + (f" <span class=\"qa-ref\">[{n}]</span>" if n else "") for f, n in figures
        )
        parts.append(f"<div class=\"qa-conflict\"><strong>{esc(CONFLICT_FLAG)}</strong>：{said}</div>")
    refs = supporting_citations(answer)
    ref_html = "".join(f"<span class=\"qa-ref\">[{n}]</span>" for n in refs)
    parts.append(f"<div class=\"qa-answer-text\">{bold_span(text, span)} {ref_html}</div>")
    if span and not _citation_value(answer, "conflict"):
        parts.append(f"<div class=\"qa-short\">简答：<strong>{esc(span)}</strong></div>")
    conf = float(_citation_value(answer, "confidence", 0.0) or 0.0)
    parts.append(f"<div class=\"qa-conf qa-conf-{cls}\">● {label}置信度（{conf:.2f}）</div>")
    if citations:
        items = "".join(
            f"<li><span class=\"qa-ref\">[{i}]</span> {esc(_citation_value(c, 'title') or _citation_value(c, 'source'))}"
            f" <span class=\"qa-file\">· {esc(_citation_value(c, 'source'))}</span></li>"
            for i, c in enumerate(citations, 1)
        )
        parts.append(f"<div class=\"qa-cites\">来源：<ol class=\"qa-cite-list\">{items}</ol></div>")
    parts.append("</div>")
    return "".join(parts)


def render_sources(answer: Any, documents: dict[str, Any] | None = None) -> str:
    """The sources panel for an answer: each citation with headline, date, file, marked passage
    and (when ``documents`` maps file names to articles) the whole article with the passage marked."""
    question = _citation_value(answer, "question", "") or ""
    head = f"<div class=\"qa-sources-q\">问题：{esc(question)}</div>" if question else ""
    citations = list(_citation_value(answer, "citations", []) or [])
    abstained = bool(_citation_value(answer, "abstained"))
    if not citations:
        empty = "没有来源：这些文章没有回答这个问题。" if abstained else "没有来源。"
        return f"<div class=\"qa-sources\">{head}<p class=\"qa-empty\">{empty}</p></div>"
    span = None if abstained else _citation_value(answer, "span")
    out = [f"<div class=\"qa-sources\">{head}"]
    if abstained:
        out.append("<h4 class=\"qa-related\">相关段落</h4><p class=\"qa-empty\">这些文章没有直接回答这个问题；"
                   "下面是最接近的段落。</p>")
    if _citation_value(answer, "conflict"):
        figures = "；".join(f"{esc(f)}" + (f"（来源 [{n}]）" if n else "") for f, n in figures_by_citation(answer))
        out.append(f"<div class=\"qa-conflict\"><strong>{esc(CONFLICT_FLAG)}</strong>：{figures}</div>")
    supporting = set() if abstained else set(supporting_citations(answer))
    for i, c in enumerate(citations, 1):
        weak = i not in supporting
        source = _citation_value(c, "source", "") or ""
        title = _citation_value(c, "title") or source
        date = _citation_value(c, "date") or "日期不详"
        score = float(_citation_value(c, "score", 0.0) or 0.0)
        out.append(f"<div class=\"qa-source\" id=\"qa-source-{i}\">")
        out.append(
            f"<div class=\"qa-source-head\"><span class=\"qa-ref\">[{i}]</span> "
            f"<strong class=\"qa-title\">{esc(title)}</strong></div>"
            f"<div class=\"qa-meta\">{esc(date)} · 文件 {esc(source)} · 相关度 {score:.2f}</div>"
        )
        out.append(f"<div class=\"qa-passage-box\">{passage_html(c, span, weak)}</div>")
        doc = (documents or {}).get(source)
        if doc is not None:
            start = int(_citation_value(c, "start", 0) or 0)
            end = int(_citation_value(c, "end", 0) or 0)
            text = getattr(doc, "text", "") or ""
            passage = _citation_value(c, "passage", "") or ""
            if text[start:end] != passage:  # offsets from another version: find the passage instead
                at = text.find(passage)
                start, end = (at, at + len(passage)) if at >= 0 else (0, 0)
            out.append(
                f"<details class=\"qa-doc\"><summary>查看全文（{esc(source)}，共 {len(text)} 字）</summary>"
                f"<div class=\"qa-doc-text\">{document_html(text, start, end, c, span, weak)}</div></details>"
            )
        out.append("</div>")
    out.append("</div>")
    return "".join(out)


def status_text(manifest: Any, extra: str = "") -> str:
    """The index status line from a manifest."""
    documents = getattr(manifest, "documents", {}) or {}
    chunks = sum(int(v.get("chunks", 0)) for v in documents.values())
    built = (getattr(manifest, "built_at", "") or "").replace("T", " ")
    line = f"索引：{len(documents)} 篇文章 · {chunks} 个段落 · 模型 {esc(getattr(manifest, 'model', '?'))} · 构建于 {esc(built)}"
    return line + (f" · {extra}" if extra else "")


# --------------------------------------------------------------------------------------------
# Uploads
# --------------------------------------------------------------------------------------------

class UploadRejected(ValueError):
    """An uploaded file that is not saved; the message says why, in Chinese."""


_UNSAFE_CHARS = re.compile(r"[^\w\-.\u3400-\u9fff]+")


def safe_filename(name: str) -> str:
    """A safe file name for an uploaded article: basename only, no leading dots, safe characters,
    an allowed extension (lower-cased). Raises ``UploadRejected``."""
    base = unicodedata.normalize("NFKC", str(name or "")).replace("\x00", "")
    base = re.split(r"[\\/]", base)[-1].strip()
    suffix = Path(base).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        allowed = "、".join(UPLOAD_SUFFIXES)
        raise UploadRejected(f"不支持的文件类型（{suffix or '无扩展名'}）：只接受 {allowed}")
    stem = base[: len(base) - len(suffix)]
    stem = _UNSAFE_CHARS.sub("_", stem).strip("._- ")
    stem = re.sub(r"_+", "_", stem)[:80].strip("._-")
    if not stem:
        raise UploadRejected("文件名无效（去掉不安全字符后为空）")
    return stem + suffix


@dataclass
class UploadResult:
    """What saving a batch of uploads did."""

    saved: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # plain text, one per file


def _unique_target(folder: Path, name: str) -> tuple[Path, bool]:
    """A path in ``folder`` for ``name`` that does not exist yet (``stem-2.txt`` …); renamed?"""
    target = folder / name
    if not target.exists():
        return target, False
    stem, suffix = Path(name).stem, Path(name).suffix
    for n in range(2, 1000):
        candidate = folder / f"{stem}-{n}{suffix}"
        if not candidate.exists():
            return candidate, True
    raise UploadRejected(f"已有太多名为 {name} 的文章")


def save_uploads(files: Iterable[Any], seeds_dir: Path, known_ids: dict[str, str] | None = None,
                 max_bytes: int = MAX_UPLOAD_BYTES, max_files: int = MAX_UPLOAD_FILES) -> UploadResult:
    """Check and save uploaded article files into ``seeds_dir``; never overwrite an existing file.

    ``files`` are paths (or objects with ``.name`` / ``.path``, or dicts with ``path`` and
    ``orig_name``). ``known_ids`` maps content ids of indexed articles to their file names, so the
    same article under another name is not added twice.
    """
    from .reading import UnreadableFile, content_id, read_document

    result = UploadResult()
    items = [f for f in (files or []) if f]
    if len(items) > max_files:
        result.messages.append(f"一次最多上传 {max_files} 个文件（收到 {len(items)} 个），其余未处理。")
        items = items[:max_files]
    seeds_dir.mkdir(parents=True, exist_ok=True)
    seen = dict(known_ids or {})
    for item in items:
        path, orig = _upload_path(item)
        shown = orig or (path.name if path else "?")
        try:
            if path is None or not path.is_file():
                raise UploadRejected("上传的文件不存在")
            name = safe_filename(orig or path.name)
            size = path.stat().st_size
            if size > max_bytes:
                raise UploadRejected(f"文件太大（{size / 1048576:.1f} MB；上限 {max_bytes / 1048576:.0f} MB）")
            if size == 0:
                raise UploadRejected("文件是空的")
            data = path.read_bytes()
            try:
                doc = read_document(path)
            except UnreadableFile as exc:
                raise UploadRejected(f"无法读取文章内容（{exc}）") from exc
            if doc.id in seen:
                raise UploadRejected(f"与已有文章 {seen[doc.id]} 内容相同，未重复添加")
            target, renamed = _unique_target(seeds_dir, name)
            _write_new(target, data)
            seen[doc.id] = target.name
            result.saved.append(target.name)
            note = f"已保存为 {target.name}（同名文章已存在，未覆盖）" if renamed else f"已保存为 {target.name}"
            if name != Path(orig or name).name and not renamed:
                note += "（文件名已规范化）"
            result.messages.append(f"✔ {shown}：{note}")
        except UploadRejected as exc:
            result.messages.append(f"✘ {shown}：{exc}")
        except OSError as exc:
            result.messages.append(f"✘ {shown}：保存失败（{exc.strerror or exc}）")
    return result


def _upload_path(item: Any) -> tuple[Path | None, str | None]:
    if isinstance(item, dict):
        path = item.get("path") or item.get("name")
        return (Path(path) if path else None), item.get("orig_name")
    if isinstance(item, (str, os.PathLike)):
        return Path(item), None
    path = getattr(item, "path", None) or getattr(item, "name", None)
    return (Path(path) if path else None), getattr(item, "orig_name", None)


def _write_new(target: Path, data: bytes) -> None:
    """Write a file that must not exist yet (``x`` mode: a race never overwrites), via a hidden temp."""
    tmp = target.with_name(f".upload-{os.getpid()}-{time.monotonic_ns()}{target.suffix}.part")
    try:
        tmp.write_bytes(data)
        os.link(tmp, target)  # fails if target exists
    except FileExistsError:
        raise UploadRejected(f"同名文章 {target.name} 已存在，未覆盖") from None
    except OSError:
        # file systems without hard links: exclusive create
        try:
            with open(target, "xb") as fh:
                fh.write(data)
        except FileExistsError:
            raise UploadRejected(f"同名文章 {target.name} 已存在，未覆盖") from None
    finally:
        tmp.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# The application state: engine access, answering and background rebuilds
# --------------------------------------------------------------------------------------------

@dataclass
class BuildStatus:
    """Progress of the latest background rebuild, read by the upload tab."""

    running: bool = False
    stage: str = ""
    done: int = 0
    total: int = 0
    started: float = 0.0
    finished: float = 0.0
    summary: str = ""
    error: str = ""
    saved: list[str] = field(default_factory=list)


class _ProgressEncoder:
    """Wraps an ``Encoder`` for ``build_index``: encodes in slices and reports how far it got."""

    def __init__(self, base: Any, report: Callable[[int, int], None], step: int = 64) -> None:
        self.base = base
        self.model_name = base.model_name
        self.batch_size = base.batch_size
        self.report = report
        self.step = max(1, step)

    @property
    def dimension(self) -> int:
        return self.base.dimension

    def encode(self, texts: list[str], progress: bool = False):
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


class WebApp:
    """The chat's back end: the live engine, answering, and rebuilding after uploads."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.status = BuildStatus()
        self._build_lock = threading.Lock()
        self._status_lock = threading.Lock()
        self._docs_cache: tuple[Any, dict[str, Any]] | None = None

    # -- engine ---------------------------------------------------------------------------
    def engine(self):
        from .answering import get_engine

        engine = get_engine(settings=self.settings)
        engine.warm_up()
        return engine

    def documents_by_source(self, engine: Any) -> dict[str, Any]:
        data = engine.data
        cached = self._docs_cache
        if cached is not None and cached[0] is data:
            return cached[1]
        mapping = {doc.source: doc for doc in data.documents.values()}
        self._docs_cache = (data, mapping)
        return mapping

    def status_line(self) -> str:
        try:
            manifest = self.engine().data.manifest
        except Exception as exc:  # the page must still load
            return f"索引不可用：{esc(exc)}"
        extra = "正在更新索引…" if self._build_lock.locked() or self.status.running else ""
        return status_text(manifest, extra)

    # -- answering ------------------------------------------------------------------------
    @staticmethod
    def check_question(question: object) -> str:
        """The question stripped; ``ValueError`` with a clear message when it cannot be asked."""
        from .answering import check_question

        return check_question(question)

    @staticmethod
    def check_top_k(top_k: object) -> int:
        try:
            value = float(top_k)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValueError(f"来源数量必须是 {TOP_K_MIN} 到 {TOP_K_MAX} 之间的整数") from None
        if not math.isfinite(value) or value != int(value) or not TOP_K_MIN <= value <= TOP_K_MAX:
            raise ValueError(f"来源数量必须是 {TOP_K_MIN} 到 {TOP_K_MAX} 之间的整数")
        return int(value)

    def answer(self, question: object, top_k: object = 5):
        """(Answer, engine that answered). Raises ``ValueError`` for a bad question or top_k."""
        text = self.check_question(question)
        k = self.check_top_k(top_k)
        engine = self.engine()
        return engine.answer(text, k), engine

    # -- rebuilding -----------------------------------------------------------------------
    def known_ids(self) -> dict[str, str]:
        try:
            return {doc_id: doc.source for doc_id, doc in self.engine().data.documents.items()}
        except Exception:
            return {}

    def _set(self, status: BuildStatus, **values: Any) -> None:
        with self._status_lock:
            for key, value in values.items():
                setattr(status, key, value)

    def start_rebuild(self, saved: list[str]) -> threading.Thread:
        """Rebuild the index incrementally in a background thread, then make it live.

        Progress goes to a new ``BuildStatus``, which becomes ``self.status`` (also the thread's
        ``.status``); builds run one at a time, a later one waits for the running one.
        """
        status = BuildStatus(running=True, stage="等待上一次索引更新完成", started=time.time(), saved=list(saved))
        self.status = status
        thread = threading.Thread(target=self._rebuild, args=(status,), name="qa-web-rebuild", daemon=True)
        thread.status = status  # type: ignore[attr-defined]
        thread.start()
        return thread

    def _rebuild(self, status: BuildStatus) -> None:
        from .answering import reload
        from .building import build_index
        from .embedding import Encoder

        try:
            with self._build_lock:
                self._set(status, stage="读取文章")
                try:
                    old = self.engine()
                    base = old.encoder if old.encoder.model_name == self.settings.model else None
                except Exception:
                    base = None
                base = base or Encoder(self.settings.model, self.settings.batch_size)

                def report(done: int, total: int) -> None:
                    self._set(status, stage="计算向量", done=done, total=total)

                encoder = _ProgressEncoder(base, report, step=max(16, self.settings.batch_size))
                build = build_index(self.settings, progress=False, encoder=encoder)  # type: ignore[arg-type]
                self._set(status, stage="加载新索引")
                if build.written:
                    engine = reload(self.settings.index_dir)
                    engine.warm_up()  # load the models now, not on the next question
                self._set(status, summary=_build_summary_zh(build), stage="完成")
                log.info("web rebuild: %s", build.summary())
        except Exception as exc:  # reported on the page; the old index stays live
            log.exception("rebuild failed")
            self._set(status, error=f"{type(exc).__name__}: {exc}", stage="失败")
        finally:
            self._set(status, running=False, finished=time.time())


def _build_summary_zh(report: Any) -> str:
    text = (
        f"索引已更新：共 {report.articles} 篇文章（新增 {report.added}，修改 {report.changed}，"
        f"删除 {report.removed}，未变 {report.unchanged}），{report.chunks} 个段落，"
        f"本次计算 {report.embedded_chunks} 个段落与 {report.embedded_sentences} 个句子的向量，"
        f"{'全量重建' if report.full else '增量更新'}，用时 {report.seconds:.1f} 秒。"
    )
    if report.skipped:
        text += " 跳过的文件：" + "；".join(f"{s.path}（{s.reason}）" for s in report.skipped)
    if not report.written:
        text += " 索引没有变化。"
    return text


# --------------------------------------------------------------------------------------------
# The Gradio page
# --------------------------------------------------------------------------------------------

CSS = """
.qa-reply { line-height: 1.7; }
.qa-reply .qa-answer-text { font-size: 1.05em; }
.qa-reply .qa-short { margin-top: .3em; }
.qa-ref { color: #2563eb; font-weight: 600; margin: 0 1px; }
.qa-conf { margin-top: .3em; font-size: .9em; }
.qa-conf-high { color: #15803d; } .qa-conf-mid { color: #b45309; } .qa-conf-low { color: #b91c1c; }
.qa-cites { margin-top: .4em; font-size: .88em; color: #4b5563; }
.qa-cite-list { margin: .2em 0 0 0; padding-left: 0; list-style: none; }
.qa-file { color: #6b7280; }
.qa-conflict { background: #fef3c7; border: 1px solid #f59e0b; color: #92400e; border-radius: 6px;
  padding: .35em .6em; margin-bottom: .4em; }
.qa-abstain .qa-reason { color: #6b7280; } .qa-hint { color: #6b7280; font-size: .9em; }
.qa-sources { font-size: .93em; }
.qa-sources-q { color: #6b7280; margin-bottom: .5em; word-break: break-all; }
.qa-source { border: 1px solid #e5e7eb; border-radius: 8px; padding: .6em .75em; margin-bottom: .7em;
  background: #fff; }
.qa-source-head { font-size: 1.02em; }
.qa-meta { color: #6b7280; font-size: .85em; margin: .15em 0 .4em; word-break: break-all; }
.qa-passage-box { white-space: normal; line-height: 1.7; color: #111827; }
mark.qa-answer { background: #fde68a; color: #111827; padding: 0 2px; border-radius: 3px; }
mark.qa-answer.qa-weak { background: #fef9c3; }
mark.qa-passage { background: #e0f2fe; color: #111827; }
details.qa-doc { margin-top: .5em; }
details.qa-doc summary { cursor: pointer; color: #2563eb; font-size: .9em; }
.qa-doc-text { position: relative; max-height: 360px; overflow-y: auto; border-top: 1px dashed #d1d5db; margin-top: .4em;
  padding-top: .4em; line-height: 1.7; color: #374151; }
.qa-empty { color: #6b7280; }
#qa-status { font-size: .9em; color: #4b5563; }
.qa-upload-log ul { margin: .3em 0; padding-left: 1.2em; }
.qa-upload-log progress { width: 100%; }
"""

# Local fonts only (no web-font download: the app must work offline).
_FONTS = ["system-ui", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"]
_MONO_FONTS = ["ui-monospace", "Consolas", "WenQuanYi Micro Hei Mono", "monospace"]

# Our own script (no page content in it): opening a whole article scrolls it to the cited passage.
_SCROLL_TO_PASSAGE_JS = """
element.addEventListener('toggle', (event) => {
  const details = event.target;
  if (!details.open || !details.classList || !details.classList.contains('qa-doc')) return;
  const box = details.querySelector('.qa-doc-text');
  const mark = box && box.querySelector('mark.qa-passage');
  if (mark) box.scrollTop = Math.max(0, mark.offsetTop - 48);
}, true);
"""

_SOURCES_PLACEHOLDER = "<div class=\"qa-sources\"><p class=\"qa-empty\">提问后，这里显示回答引用的文章段落。</p></div>"


def build_demo(app: WebApp):
    """The Gradio Blocks page for ``app`` (not launched)."""
    import gradio as gr

    def chat(question: str, history: list | None, top_k: float, turns: dict | None):
        history = list(history or [])
        turns = dict(turns or {})
        try:
            text = app.check_question(question)
            k = app.check_top_k(top_k)
        except ValueError as exc:
            gr.Warning(str(exc))
            yield question, history, gr.update(), gr.update(), turns
            return
        history.append({"role": "user", "content": esc_lines(text)})
        history.append({"role": "assistant", "content": "<div class=\"qa-reply\">正在查找…</div>"})
        yield "", history, gr.update(), gr.update(), turns
        try:
            engine = app.engine()
            result = engine.answer(text, k)
            reply = render_reply(result)
            sources = render_sources(result, app.documents_by_source(engine))
        except Exception as exc:  # never crash the page
            log.exception("answering failed")
            reply = f"<div class=\"qa-reply\">出错了：{esc(exc)}</div>"
            sources = _SOURCES_PLACEHOLDER
        history[-1] = {"role": "assistant", "content": reply}
        turns[str(len(history) - 1)] = sources
        yield "", history, sources, app.status_line(), turns

    def show_turn(turns: dict | None, evt: gr.SelectData):
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        key = str(index)
        if turns and key in turns:
            return turns[key]
        if turns and str(int(index) + 1) in turns:  # a question: show its answer's sources
            return turns[str(int(index) + 1)]
        return gr.update()

    def clear():
        return [], _SOURCES_PLACEHOLDER, {}

    def api_answer(question: str, top_k: int = 5) -> dict:
        """Answer a question from the articles: Answer.to_dict() (text, span, abstained,
        confidence, conflict, reason, citations with passage and highlight)."""
        try:
            result, _ = app.answer(question, top_k)
        except ValueError as exc:
            raise gr.Error(str(exc)) from None
        return result.to_dict()

    def upload(files: list | None):
        if not files:
            gr.Warning("请先选择要上传的文件")
            yield "<div class=\"qa-upload-log\">没有选择文件。</div>", app.status_line()
            return
        result = save_uploads(files, app.settings.seeds_dir, app.known_ids())
        lines = "".join(f"<li>{esc(m)}</li>" for m in result.messages)
        log_html = f"<ul>{lines}</ul>"
        if not result.saved:
            yield f"<div class=\"qa-upload-log\">{log_html}<p>没有新文章，索引未更新。</p></div>", app.status_line()
            return
        thread = app.start_rebuild(result.saved)
        while True:
            thread.join(timeout=0.5)
            st = thread.status
            elapsed = time.time() - st.started
            if not thread.is_alive():
                break
            if st.stage == "计算向量" and st.total:
                bar = f"<progress value=\"{st.done}\" max=\"{st.total}\"></progress>"
                step = f"正在重建索引：计算向量 {st.done}/{st.total}"
            else:
                bar = "<progress></progress>"
                step = f"正在重建索引：{esc(st.stage)}"
            yield (
                f"<div class=\"qa-upload-log\">{log_html}<p>{step}（已用 {elapsed:.0f} 秒；"
                f"对话仍用旧索引回答）</p>{bar}</div>",
                app.status_line(),
            )
        st = thread.status
        if st.error:
            done = f"<p>✘ 重建索引失败：{esc(st.error)}（旧索引仍在使用）</p>"
        else:
            done = f"<p>✔ {esc(st.summary)} 新文章现在可以提问了。</p>"
        yield f"<div class=\"qa-upload-log\">{log_html}{done}</div>", app.status_line()

    with gr.Blocks(title="新闻问答") as demo:
        gr.Markdown("## 新闻问答\n答案逐字摘自文章，并标明出处；文章没有答案时会直说。")
        status = gr.Markdown(app.status_line(), elem_id="qa-status")
        with gr.Tabs():
            with gr.Tab("对话", id="chat"):
                with gr.Row():
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            label="对话",
                            elem_id="qa-chat",
                            height=560,
                            latex_delimiters=[],
                            sanitize_html=True,
                            render_markdown=True,
                            feedback_options=None,
                            placeholder="请在下面输入问题，或点击示例问题。",
                        )
                        with gr.Row():
                            question = gr.Textbox(
                                show_label=False,
                                placeholder="输入问题，例如：北京经开区有多少家市级孵化器?",
                                elem_id="qa-question",
                                scale=6,
                                max_lines=4,
                                autofocus=True,
                            )
                            send = gr.Button("发送", variant="primary", elem_id="qa-send", scale=1)
                        gr.Markdown("**示例问题**（点击即问）")
                        with gr.Row():
                            example_buttons = [gr.Button(q, size="sm", elem_classes=["qa-example"]) for q in EXAMPLES]
                        with gr.Row():
                            top_k = gr.Slider(TOP_K_MIN, TOP_K_MAX, value=min(max(app.settings.top_k, TOP_K_MIN), TOP_K_MAX),
                                              step=1, label="来源数量 (top_k)", elem_id="qa-topk")
                            clear_btn = gr.Button("清空对话", size="sm")
                    with gr.Column(scale=2):
                        gr.Markdown("### 来源")
                        sources = gr.HTML(_SOURCES_PLACEHOLDER, elem_id="qa-sources", js_on_load=_SCROLL_TO_PASSAGE_JS)
                turns = gr.State({})
            with gr.Tab("添加文章", id="upload"):
                gr.Markdown(
                    f"上传 .txt、.md 或 .html 新闻文章（每个不超过 {MAX_UPLOAD_BYTES // 1048576} MB，"
                    f"一次最多 {MAX_UPLOAD_FILES} 个）。文章保存到文章文件夹后，索引会在后台增量更新；"
                    "更新期间对话照常使用旧索引，完成后自动切换。同名文章不会被覆盖。"
                )
                files = gr.File(label="选择文章文件", file_count="multiple", file_types=list(UPLOAD_SUFFIXES),
                                elem_id="qa-upload-files")
                upload_btn = gr.Button("添加并更新索引", variant="primary", elem_id="qa-upload-btn")
                upload_log = gr.HTML("", elem_id="qa-upload-log", js_on_load=None)

        chat_io = dict(
            fn=chat,
            inputs=[question, chatbot, top_k, turns],
            outputs=[question, chatbot, sources, status, turns],
            concurrency_limit=ANSWER_CONCURRENCY,
            concurrency_id="answer",
            api_visibility="private",
        )
        question.submit(**chat_io)
        send.click(**chat_io)
        for button, q in zip(example_buttons, EXAMPLES):
            button.click(lambda q=q: q, outputs=[question], api_visibility="private", queue=False).then(**chat_io)
        chatbot.select(show_turn, inputs=[turns], outputs=[sources], api_visibility="private", queue=False)
        clear_btn.click(clear, outputs=[chatbot, sources, turns], api_visibility="private", queue=False)
        upload_btn.click(upload, inputs=[files], outputs=[upload_log, status], concurrency_limit=1,
                         api_visibility="private")
        demo.load(app.status_line, outputs=[status], api_visibility="private", queue=False)
        gr.api(api_answer, api_name="answer", concurrency_limit=ANSWER_CONCURRENCY, concurrency_id="answer")
    return demo


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------

def ensure_index(settings: Settings) -> None:
    """Build the index from the articles folder when there is none yet, showing progress."""
    from . import store

    try:
        store.read_manifest(settings.index_dir)
        return
    except store.IndexMissing:
        pass
    from .building import build_index

    print(f"没有找到索引 {settings.index_dir}：正在从 {settings.seeds_dir} 构建（首次约需半分钟）…",
          file=sys.stderr, flush=True)
    report = build_index(settings, progress=True)
    print(f"索引已构建：{report.summary()}", file=sys.stderr, flush=True)


def prepare(host: str | None = None, port: int | None = None, index_dir: str | Path | None = None,
            seeds_dir: str | Path | None = None):
    """(demo, launch keyword arguments): index built if missing, engine and model loaded."""
    import gradio as gr

    settings = Settings.from_env(seeds_dir=seeds_dir, index_dir=index_dir)
    ensure_index(settings)
    app = WebApp(settings)
    engine = app.engine()
    engine.warm_up()  # load the models before the first question
    demo = build_demo(app)
    demo.queue(default_concurrency_limit=1, max_size=256)
    kwargs = dict(
        server_name=host or os.environ.get("GRADIO_SERVER_NAME") or DEFAULT_HOST,
        server_port=int(port or os.environ.get("GRADIO_SERVER_PORT") or DEFAULT_PORT),
        max_file_size=MAX_UPLOAD_BYTES,
        css=CSS,
        theme=gr.themes.Soft(font=_FONTS, font_mono=_MONO_FONTS),
        footer_links=["api"],
    )
    return demo, kwargs


def serve(host: str | None = None, port: int | None = None, index_dir: str | Path | None = None,
          seeds_dir: str | Path | None = None, block: bool = True):
    """Start the web chat; blocks until interrupted unless ``block`` is False (then returns demo)."""
    demo, kwargs = prepare(host, port, index_dir, seeds_dir)
    print(f"新闻问答：http://{kwargs['server_name']}:{kwargs['server_port']}", file=sys.stderr, flush=True)
    demo.launch(prevent_thread_lock=not block, **kwargs)
    return demo


def main(argv: list[str] | None = None) -> int:
    """``python app.py [--host H] [--port P] [--index DIR] [--seeds DIR]``."""
    parser = argparse.ArgumentParser(prog="app.py", description="新闻问答 web chat (Gradio)")
    parser.add_argument("--host", default=None,
                        help=f"address to listen on (default $GRADIO_SERVER_NAME or {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=None,
                        help=f"port (default $GRADIO_SERVER_PORT or {DEFAULT_PORT})")
    parser.add_argument("--index", default=None, help="index folder (default $QA_INDEX_DIR or index/)")
    parser.add_argument("--seeds", default=None, help="articles folder (default $QA_SEEDS_DIR or seeds/)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("qa").setLevel(logging.INFO)
    try:
        serve(args.host, args.port, args.index, args.seeds)
    except KeyboardInterrupt:
        pass
    return 0
