"""Read a benchmark: a JSONL file of questions, or a folder of passages and questions.

* a JSONL file of ``{"id", "question", "answers", "source"}`` (``source: null`` = not answerable;
  only ``question`` is required), asked against an existing index;
* a folder with ``passages.jsonl`` (``id, title, text``) and ``questions.jsonl``
  (``id, question, answers, passage_id``), whose passages are indexed first.

Every problem is a ``ValueError`` naming the file and line, in Chinese, for the one-line message
the user sees.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .chinese import to_simplified
from .messages import say
from .types import Document

PASSAGES_FILE = "passages.jsonl"
QUESTIONS_FILE = "questions.jsonl"


@dataclass
class Question:
    id: str
    question: str
    answers: list[str]
    source: str | None  # expected article (file name or passage id); None = unanswerable


def load_questions(path: Path) -> tuple[list[Question], list[Document] | None]:
    """Questions of a benchmark, and the passages to index when the benchmark brings them.

    Raises:
        ValueError: the path is missing, a file is not UTF-8 JSON lines, a record lacks a field,
            or there is no question at all.
    """
    if not path.exists():
        raise ValueError(say("eval_missing", path=path))
    if path.is_dir():
        missing = [n for n in (PASSAGES_FILE, QUESTIONS_FILE) if not (path / n).is_file()]
        if missing:
            raise ValueError(say("eval_folder_incomplete", path=path, files="、".join(missing)))
        documents = [_document(p, where) for p, _, where in _records(path / PASSAGES_FILE, ("text",))]
        questions = [_question(*r, "passage_id") for r in _records(path / QUESTIONS_FILE, ("question",))]
    else:
        documents = None
        questions = [_question(*r, "source") for r in _records(path, ("question",))]
    if not questions:
        raise ValueError(say("eval_no_questions", path=path))
    return questions, documents


def _records(path: Path, required: tuple[str, ...]) -> Iterator[tuple[dict[str, Any], int, str]]:
    """Each JSON object of a JSONL file with its line number and where it is, for messages
    ("file 第 n 行"); blank lines skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise ValueError(say("eval_not_utf8", path=path)) from None
    except OSError as exc:
        raise ValueError(say("eval_unreadable", path=path, error=exc.strerror or exc)) from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = say("eval_where", path=path, line=number)
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise ValueError(say("eval_bad_json", where=where)) from None
        if not isinstance(record, dict):
            raise ValueError(say("eval_not_object", where=where))
        for name in required:
            if not isinstance(record.get(name), str) or not record[name].strip():
                raise ValueError(say("eval_field_missing", where=where, field=name))
        yield record, number, where


def _question(record: dict[str, Any], line: int, where: str, source_field: str) -> Question:
    answers = record.get("answers") or []
    if isinstance(answers, str):
        answers = [answers]
    if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
        raise ValueError(say("eval_bad_answers", where=where))
    source = record.get(source_field)
    return Question(str(record.get("id") or f"line-{line}"), record["question"], answers,
                    None if source is None else str(source))


def _document(record: dict[str, Any], where: str) -> Document:
    if record.get("id") in (None, ""):
        raise ValueError(say("eval_field_missing", where=where, field="id"))
    text = record["text"].strip()
    pid = str(record["id"])
    return Document(
        id=hashlib.sha256(f"{pid}\n{text}".encode()).hexdigest()[:16], source=pid,
        title=record.get("title") or pid, date=None, text=text, key=to_simplified(text),
    )
