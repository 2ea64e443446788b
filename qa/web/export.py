"""A conversation as Markdown, each answer with its numbered sources."""
from __future__ import annotations

from ..messages import asked_as_label, say
from ..types import Answer
from .views import answer_view


def conversation_markdown(answers: list[Answer]) -> str:
    """The questions and answers of a conversation, oldest first, with their sources."""
    out = [say("web_export_title"), ""]
    for answer in answers:
        view = answer_view(answer, {})
        out += [say("web_export_question", question=answer.question), ""]
        if answer.asked_as:
            out += [asked_as_label(answer.glossed) + answer.asked_as, ""]
        if view.abstained:
            out.append(view.headline + (f" {view.reason}" if view.reason else ""))
        if view.note:
            out.append(view.note)
        for line in view.lines:
            t = line.text
            text = f"{t.before}{t.lead}**{t.span}**{t.tail}{t.after}" if t.span else t.sentence
            out.append(f"{text} [{line.number}]" + (f"（{say('web_simplified')}{line.simplified}）" if line.simplified else ""))
        if view.sources:
            out += ["", say("web_export_sources")]
            for s in view.sources:
                out.append(f"{s.number}. {s.title}（{s.date}，{s.source}，{s.role_label}）：{s.passage.sentence or s.passage.before}")
        out.append("")
    return "\n".join(out)
