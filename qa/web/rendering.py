"""HTML for the page from Jinja2 templates (``templates/``, autoescape on).

Every string from an article or a question is escaped, and the characters Markdown, LaTeX or
Gradio's templates could give a meaning to become entities, so nothing in an article can become a
tag, a link or a formula; line breaks become ``<br>``.
"""
from __future__ import annotations

import time
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..messages import say
from ..types import Answer, Document
from .views import answer_view

if TYPE_CHECKING:
    import jinja2

    from .library import ArticleRow
    from .rebuilding import BuildStatus

TEMPLATES = Path(__file__).resolve().parent / "templates"
_ENTITIES = {c: f"&#{ord(c)};" for c in "*_`[]()#~|\\$!{}<>&\"'="}


def esc(text: object) -> str:
    """``text`` with HTML and markup characters as entities and line breaks as ``<br>``."""
    plain = "" if text is None else str(text)
    return "<br>".join("".join(_ENTITIES.get(ch, ch) for ch in line) for line in plain.split("\n"))


def _finalize(value: object) -> object:
    from markupsafe import Markup

    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(esc(value))


def _size(num: int) -> str:
    return f"{num / 1024:.1f} KB" if num < 1024 * 1024 else f"{num / 1048576:.1f} MB"


@lru_cache(maxsize=1)
def environment() -> "jinja2.Environment":
    """The template environment (autoescape on, every value escaped by ``esc``)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             finalize=_finalize, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(say=say, size=_size)
    return env


def _render(name: str, **values: object) -> str:
    return environment().get_template(name).render(**values).replace("\n", "")


def render_reply(answer: Answer, documents: Mapping[str, Document] | None = None) -> str:
    """The chat message for an answer (one line of HTML)."""
    return _render("reply.html", view=answer_view(answer, documents or {}))


def render_sources(answer: Answer, documents: Mapping[str, Document] | None = None) -> str:
    """The sources panel: numbered passages with their role and marked sentence, and the whole
    article with the passage marked when ``documents`` (file name -> article) has it."""
    return _render("sources.html", view=answer_view(answer, documents or {}))


def render_articles(rows: list["ArticleRow"]) -> str:
    """The knowledge-base table."""
    return _render("articles.html", rows=rows)


def render_progress(messages: list[str], status: "BuildStatus | None", note: str = "") -> str:
    """The upload log: one line per file, then the rebuild's progress bar or its outcome."""
    elapsed = time.time() - status.started if status else 0.0
    return _render("progress.html", messages=messages, status=status, note=note, elapsed=elapsed)


def placeholder() -> str:
    """The sources panel before the first question."""
    return f'<div class="qa-sources"><p class="qa-empty">{esc(say("web_sources_placeholder"))}</p></div>'
