"""The ``qa`` command: build the index, ask a question, evaluate, serve the web chat."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from .messages import asked_as_label, say


def _settings(args: argparse.Namespace):
    from .config import Settings

    return Settings.from_env(
        seeds_dir=getattr(args, "seeds", None),
        index_dir=getattr(args, "index", None),
        model=getattr(args, "model", None),
        chunk_size=getattr(args, "chunk_size", None),
        chunk_overlap=getattr(args, "chunk_overlap", None),
        reader=getattr(args, "reader", None),
        store=getattr(args, "store", None),
    )


def cmd_build(args: argparse.Namespace) -> int:
    from .building import build_index

    report = build_index(_settings(args), full=args.full, progress=not args.quiet,
                         allow_empty=args.allow_empty, wait=args.wait)
    print(report.summary())
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer the question, or each question of a message that asks several ("…？…？"), in order,
    each read with the one before it as a chat would."""
    from .answering import Engine, check_question
    from .questions import split_questions

    asked = split_questions(check_question(args.question))
    engine = Engine(_settings(args))
    previous, answers = args.previous, []
    for question in asked:
        answer = engine.answer(question, args.k, previous=previous)
        previous = answer.asked_as or question
        answers.append(answer)
    if args.json:
        data = [a.to_dict() for a in answers]
        print(json.dumps(data if len(data) > 1 else data[0], ensure_ascii=False, indent=1))
        return 0
    for n, answer in enumerate(answers, 1):
        if len(answers) > 1:
            print(("\n" if n > 1 else "") + say("cli_question", n=n, count=len(answers), question=answer.question))
        _print_answer(answer)
    return 0


def _print_answer(answer) -> None:
    """One answer as the terminal shows it: the reading, the answer or why not, the citations."""
    if answer.asked_as:
        print(asked_as_label(answer.glossed) + answer.asked_as)
    if answer.abstained:
        print(say("cli_abstained", reason=answer.reason))
        if answer.citations:
            print("\n" + say("cli_related"))
    else:
        flag = say("cli_conflict") if answer.conflict else ""
        if answer.yes_no:
            print(say("yes_no_note"))
        print(say("cli_answer", text=answer.text, flag=flag))
        if answer.span:
            print(say("cli_span", span=answer.span))
        if answer.dated:
            print(say("dated_note", span=answer.span, date=answer.date, dated=answer.dated))
        print(say("cli_confidence", confidence=answer.confidence))
    for i, c in enumerate(answer.citations, 1):
        passage = c.passage
        if c.highlight and not answer.abstained:
            s, e = c.local(c.highlight)
            passage = f"{passage[:s]}【{passage[s:e]}】{passage[e:]}"
        date = f" {c.date}" if c.date else ""
        role = "" if answer.abstained else " · " + say(f"role_{c.role}")
        print("\n" + say("cli_citation", n=i, title=c.title, date=date, source=c.source,
                          start=c.start, end=c.end, role=role) + f"\n{passage}")


def cmd_check(args: argparse.Namespace) -> int:
    """Verify the index fully: file checksums, records against vectors, the embedding model."""
    from . import store

    settings = _settings(args)
    target = f"--index {settings.index_dir}" if settings.store == "faiss" else f"--store {settings.store}"
    label = settings.index_dir if settings.store == "faiss" else settings.store
    problems = store.check_store(settings, getattr(args, "model", None))
    if problems:
        print(say("index_check_failed", index=label))
        for p in problems:
            print(f"  - {p}")
        print(say("index_check_fix", target=target))
        return 1
    opened = store.open_store(settings)
    m = opened.manifest
    opened.close()
    print(say("index_check_ok", index=label, articles=m.articles, chunks=m.chunks, sentences=m.sentences, model=m.model))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation import evaluate, report_json

    report = evaluate(Path(args.path), top_k=args.k, limit=args.limit,
                      index_dir=Path(args.index) if args.index else None, progress=not args.json,
                      reader=args.reader)
    if args.json:
        print(report_json(report))
    else:
        print(report.to_text())
        if args.show_misses:
            for m in report.misses:
                print(json.dumps(m, ensure_ascii=False))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .web import main as web_main

    argv = []
    for flag, value in (("--host", args.host), ("--port", args.port), ("--index", args.index), ("--seeds", args.seeds)):
        if value:
            argv += [flag, str(value)]
    return web_main(argv)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qa", description="Extractive question answering over Chinese news articles.")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp: argparse.ArgumentParser, seeds: bool = False) -> None:
        sp.add_argument("--index", help="index folder (env QA_INDEX_DIR, default index/)")
        sp.add_argument("--store", help="faiss (the index folder, default) or a Milvus URI: a local *.db file "
                        "(Milvus Lite) or http://host:19530 (env QA_STORE)")
        sp.add_argument("--model", help="embedding model: m3e-small (default), a local path or hub id (env QA_MODEL)")
        sp.add_argument("--reader", help="span reader folder, or none for retrieval-only answers "
                        "(env QA_READER, default models/reader)")
        if seeds:
            sp.add_argument("--seeds", help="articles folder (env QA_SEEDS_DIR, default seeds/)")

    b = sub.add_parser("build", help="build or update the index from the articles folder")
    common(b, seeds=True)
    b.add_argument("--full", action="store_true", help="rebuild from scratch")
    b.add_argument("--chunk-size", type=int, help="chunk size in characters (env QA_CHUNK_SIZE)")
    b.add_argument("--chunk-overlap", type=int, help="chunk overlap in characters (env QA_CHUNK_OVERLAP)")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument("--allow-empty", action="store_true",
                   help="build even when the articles folder is empty or missing (empties the index)")
    b.add_argument("--wait", action="store_true", help="wait for a build already running instead of refusing")
    b.set_defaults(func=cmd_build)

    a = sub.add_parser("ask", help="answer a question (or each of several, each with its own question mark)")
    common(a, seeds=True)
    a.add_argument("question")
    a.add_argument("-k", type=int, default=5, help="number of passages to cite (default 5)")
    a.add_argument("--json", action="store_true",
                   help="print the answer as JSON (a list of answers when several questions are asked)")
    a.add_argument("--previous", metavar="QUESTION",
                   help="the question asked before, for a follow-up such as 那区级孵化器呢？")
    a.set_defaults(func=cmd_ask)

    c = sub.add_parser("check", help="verify the index: file checksums, records, embedding model")
    c.add_argument("--index", help="index folder (env QA_INDEX_DIR, default index/)")
    c.add_argument("--store", help="faiss (default) or a Milvus URI (env QA_STORE)")
    c.add_argument("--model", help="embedding model to check against (default: the one it was built with)")
    c.set_defaults(func=cmd_check)

    e = sub.add_parser("eval", help="evaluate on a JSONL file or a passages/questions folder")
    e.add_argument("path")
    e.add_argument("--index", help="index for a JSONL file (default QA_INDEX_DIR)")
    e.add_argument("--reader", help="span reader folder, or none (env QA_READER, default models/reader)")
    e.add_argument("-k", type=int, default=5)
    e.add_argument("--limit", type=int, help="only the first N questions")
    e.add_argument("--json", action="store_true")
    e.add_argument("--show-misses", action="store_true", help="print each question answered wrongly (wrong sentence, wrong span, abstained, or answered though unanswerable)")
    e.set_defaults(func=cmd_eval)

    s = sub.add_parser("serve", help="start the web chat")
    s.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default $GRADIO_SERVER_PORT or 7860)")
    s.add_argument("--index", help="index folder (env QA_INDEX_DIR, default index/)")
    s.add_argument("--seeds", help="articles folder (env QA_SEEDS_DIR, default seeds/)")
    s.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one ``qa`` command; every failure ends in one line on stderr and a non-zero exit."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(message)s")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(say("cli_interrupted"), file=sys.stderr)
        return 130
    except Exception as exc:  # the user gets one line; QA_DEBUG=1 shows the traceback
        if os.environ.get("QA_DEBUG"):
            raise
        print(say("cli_error", message=_one_line(exc)), file=sys.stderr)
        return 2 if isinstance(exc, ValueError) else 1


def _one_line(exc: BaseException) -> str:
    """The message of ``exc`` on one line; for an error nobody anticipated, its type as well."""
    from .store import IndexError_

    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, (ValueError, IndexError_, FileNotFoundError, RuntimeError)):
        return text
    return say("cli_unexpected", kind=type(exc).__name__, message=text)


if __name__ == "__main__":
    sys.exit(main())
