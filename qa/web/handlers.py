"""What the page's events do: ask, show a turn's sources, restore and export the conversation,
add and delete articles with a live progress bar, and the script-facing API functions."""
from __future__ import annotations

import hashlib
import logging
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..messages import say
from ..questions import check_question, split_questions
from .rebuilding import BuildStatus
from .rendering import esc, placeholder, render_articles, render_progress, render_reply, render_sources
from .service import WebService
from .views import answer_from_dict

log = logging.getLogger(__name__)

Message = dict[str, str]
Saved = list[dict[str, object]]  # Answer.to_dict() of each turn, oldest first (kept in the browser)
PROGRESS_EVERY = 0.5
EXPORT_KEEP_SECONDS = 3600


class Handlers:
    """The page's event functions over one ``WebService``."""

    def __init__(self, service: WebService) -> None:
        self.service = service

    # -- chat ------------------------------------------------------------------------------
    def _turn(self, record: dict[str, object]) -> tuple[Message, Message, str]:
        """(question message, reply message, sources panel) of a saved turn."""
        if "error" in record:
            reply = f'<div class="qa-reply">{esc(record["error"])}</div>'
            return ({"role": "user", "content": esc(record.get("question", ""))},
                    {"role": "assistant", "content": reply}, placeholder())
        answer = answer_from_dict(record)
        documents = self.service.documents(self.service.engine())
        return ({"role": "user", "content": esc(answer.question)},
                {"role": "assistant", "content": render_reply(answer, documents)},
                render_sources(answer, documents))

    def ask(self, question: str, history: list[Message] | None, top_k: float,
            saved: Saved | None) -> Iterator[tuple[object, ...]]:
        """Answer ``question``: show it at once with a searching note, then the reply and sources; a
        message asking several questions ("…多少家？…是谁？") gets a turn for each, read in order (a
        later one may follow up on the one before)."""
        import gradio as gr

        history, saved = list(history or []), list(saved or [])
        try:
            asked = split_questions(check_question(question))
        except ValueError as exc:
            gr.Warning(str(exc))
            yield question, history, gr.update(), gr.update(), saved
            return
        for part in asked:  # a message asking several questions gets a turn for each
            try:
                answer, _ = self.service.answer(part, top_k, previous_question(saved))
            except ValueError as exc:
                gr.Warning(str(exc))
                yield question, history, gr.update(), gr.update(), saved
                return
            except Exception as exc:  # never crash the page
                log.exception("answering failed")
                saved.append({"question": str(part), "error": say("web_error", error=exc)})
            else:
                saved.append(answer.to_dict())
            user, reply, sources = self._turn(saved[-1])
            history += [user, reply]
            yield "", history, sources, self.service.status_line(), saved

    def restore(self, saved: Saved | None) -> tuple[list[Message], str]:
        """The conversation kept in the browser, shown again after a reload."""
        history: list[Message] = []
        sources = placeholder()
        for record in saved or []:
            try:
                user, reply, sources = self._turn(record)
            except (KeyError, TypeError, ValueError):  # a record from an older page: skipped
                continue
            history += [user, reply]
        return history, sources

    def show_turn(self, saved: Saved | None, index: int) -> str | None:
        """The sources of the turn holding chat message ``index``; None when there is none."""
        turn = int(index) // 2
        if not saved or not 0 <= turn < len(saved):
            return None
        return self._turn(saved[turn])[2]

    @staticmethod
    def export(saved: Saved | None) -> str:
        """The conversation as a Markdown file; returns its path."""
        from .export import conversation_markdown

        answers = [answer_from_dict(r) for r in saved or [] if "error" not in r]
        text = conversation_markdown(answers)
        folder = Path(tempfile.gettempdir()) / "qa-web-export"
        folder.mkdir(exist_ok=True)
        for old in folder.glob("*.md"):  # Gradio serves its own copy; ours are not kept long
            if time.time() - old.stat().st_mtime > EXPORT_KEEP_SECONDS:
                old.unlink(missing_ok=True)
        path = folder / f"对话-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:12]}.md"
        path.write_text(text, encoding="utf-8")
        return str(path)

    # -- knowledge base ----------------------------------------------------------------------
    def table(self) -> tuple[str, list[str]]:
        """(knowledge-base table, article file names for the delete choice)."""
        rows = self.service.articles()
        return render_articles(rows), [r.source for r in rows]

    def refresh(self, seen: str | None) -> tuple[object, ...]:
        """(table, delete choice, status, generation): the table only when the live index is not
        the generation ``seen`` last (a rebuild here, a ``qa build`` elsewhere)."""
        import gradio as gr

        from .library import engine_generation

        generation = engine_generation(self.service.engine())
        if generation == seen:
            return gr.update(), gr.update(), self.service.status_line(), seen
        html, names = self.table()
        return html, gr.update(choices=names, value=None), self.service.status_line(), generation

    def _follow(self, messages: list[str], thread: threading.Thread | None,
                status: BuildStatus | None) -> Iterator[tuple[object, ...]]:
        """Progress of a rebuild every half second, then its outcome with the new table."""
        import gradio as gr

        while thread is not None and thread.is_alive():
            yield render_progress(messages, status), gr.update(), gr.update(), self.service.status_line()
            thread.join(PROGRESS_EVERY)
        html, sources = self.table()
        note = "" if thread is not None else say("web_nothing_changed")
        yield (render_progress(messages, status, note), html, gr.update(choices=sources, value=None),
               self.service.status_line())

    def upload(self, files: list[str] | None) -> Iterator[tuple[object, ...]]:
        import gradio as gr

        if not files:
            gr.Warning(say("web_no_files"))
            yield render_progress([say("web_no_files")], None), gr.update(), gr.update(), gr.update()
            return
        paths = [Path(f) for f in files]
        try:
            result, thread, status = self.service.add(paths)
        finally:
            _clean(paths)
        yield from self._follow(result.messages, thread, status)

    def delete(self, source: str | None) -> Iterator[tuple[object, ...]]:
        import gradio as gr

        if not source:
            gr.Warning(say("web_no_article"))
            yield render_progress([say("web_no_article")], None), gr.update(), gr.update(), gr.update()
            return
        message, thread, status = self.service.delete(source)
        yield from self._follow([message], thread, status)

    # -- API ------------------------------------------------------------------------------
    def api_answer(self, question: str, top_k: int = 5, previous: str = "") -> dict:
        """Answer a question from the articles: Answer.to_dict() (text, span, abstained,
        confidence, conflict, reason, citations with passage, role and highlight). A follow-up
        ("那市级孵化器呢？") is read with ``previous``, the question asked before it."""
        import gradio as gr

        try:
            answer, _ = self.service.answer(question, top_k, previous or None)
        except ValueError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        return answer.to_dict()

    def api_articles(self) -> list[dict]:
        """The indexed articles: source, title, date, chunks, size, added."""
        return [r.to_dict() for r in self.service.articles()]

    def api_add_articles(self, files: list[str] | None) -> list[dict]:
        """Add or replace articles; returns the new article list once the index is rebuilt."""
        import gradio as gr

        paths = [Path(f) for f in files or []]
        try:
            result, thread, status = self.service.add(paths)
        finally:
            _clean(paths)
        if thread is not None:
            thread.join()
        if status is not None and status.error:
            raise gr.Error(status.error, print_exception=False)
        if not result.changed:
            raise gr.Error("；".join(result.messages) or say("web_no_files"), print_exception=False)
        return self.api_articles()

    def api_delete_article(self, source: str) -> list[dict]:
        """Delete the article file ``source``; returns the new article list once rebuilt."""
        import gradio as gr

        message, thread, status = self.service.delete(source)
        if thread is None:
            raise gr.Error(message, print_exception=False)
        thread.join()
        if status is not None and status.error:
            raise gr.Error(status.error, print_exception=False)
        return self.api_articles()


def previous_question(saved: Saved) -> str | None:
    """The question a follow-up is read with: the last turn's, as it was read (None after an error)."""
    if not saved or not isinstance(saved[-1], dict) or "error" in saved[-1]:
        return None
    asked = saved[-1].get("asked_as") or saved[-1].get("question")
    return str(asked) if asked else None


def _clean(paths: list[Path]) -> None:
    """Drop Gradio's temporary copies of uploads: articles are kept only in the seeds folder."""
    from gradio.utils import get_upload_folder

    from .uploads import clean_upload_cache

    clean_upload_cache(paths, Path(get_upload_folder()))
