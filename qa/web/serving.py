"""Start the web chat: ``python app.py [--host H] [--port P]`` or ``qa serve``.

The index is built from the articles folder when missing; articles saved in that folder but not
yet indexed are indexed in the background; the server then follows the index on disk. A start-up
fault (port taken, index broken, no articles) is one Chinese line and a non-zero exit.
"""
from __future__ import annotations

import argparse
import errno
import logging
import os
import socket
import sys
from pathlib import Path

from ..config import Settings
from ..messages import say

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
QUEUE_STATUS_SECONDS = 5

log = logging.getLogger(__name__)


class StartupError(RuntimeError):
    """The server cannot start; the message is the one line shown to the user."""


def ensure_index(settings: Settings) -> None:
    """Build the index from the articles folder when there is none yet, showing progress."""
    from .. import store

    try:
        store.read_manifest(settings.index_dir)
        return
    except store.IndexMissing:
        pass
    except store.IndexCorrupt:
        raise StartupError(say("web_start_index_corrupt", path=settings.index_dir)) from None
    if not settings.seeds_dir.is_dir():
        raise StartupError(say("web_start_no_seeds", path=settings.seeds_dir))
    from ..building import build_index

    print(say("web_start_index_missing", path=settings.index_dir, seeds=settings.seeds_dir), file=sys.stderr,
          flush=True)
    report = build_index(settings, progress=True)
    print(say("web_start_index_built", articles=report.articles, chunks=report.chunks), file=sys.stderr,
          flush=True)


def check_port(host: str, port: int) -> None:
    """Fail early with a clear line when ``host:port`` is taken."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise StartupError(say("web_start_port_busy", port=port)) from None
            raise StartupError(say("web_start_failed", error=exc)) from None


def prepare(host: str | None = None, port: int | None = None, index_dir: str | Path | None = None,
            seeds_dir: str | Path | None = None):
    """(demo, service, launch keyword arguments): index ready, models loaded, watcher running."""
    import gradio as gr

    from .. import store
    from .page import build_page, page_css, page_js
    from .service import WebService

    settings = Settings.from_env(seeds_dir=seeds_dir, index_dir=index_dir)
    host = host or os.environ.get("GRADIO_SERVER_NAME") or DEFAULT_HOST
    port = int(port or os.environ.get("GRADIO_SERVER_PORT") or DEFAULT_PORT)
    check_port(host, port)
    ensure_index(settings)
    service = WebService(settings)
    try:
        service.engine()
    except store.IndexCorrupt:
        raise StartupError(say("web_start_index_corrupt", path=settings.index_dir)) from None
    pending = service.unindexed()
    if pending:
        print(say("web_start_indexing_new", count=len(pending)), file=sys.stderr, flush=True)
        service.rebuilder.start()
    service.live.start_watching()
    demo = build_page(service)
    # queue positions are sent every few seconds, not to every waiting client after every answer
    demo.queue(status_update_rate=QUEUE_STATUS_SECONDS, default_concurrency_limit=1, max_size=512)
    fonts = ["system-ui", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "sans-serif"]
    kwargs = dict(server_name=host, server_port=port, max_file_size=5 * 1024 * 1024, css=page_css(), js=page_js(),
                  theme=gr.themes.Soft(font=fonts, font_mono=["ui-monospace", "monospace"]), footer_links=["api"])
    return demo, service, kwargs


def serve(host: str | None = None, port: int | None = None, index_dir: str | Path | None = None,
          seeds_dir: str | Path | None = None, block: bool = True):
    """Start the web chat; blocks until interrupted unless ``block`` is False (then returns demo)."""
    demo, _, kwargs = prepare(host, port, index_dir, seeds_dir)
    print(say("web_start_url", url=f"http://{kwargs['server_name']}:{kwargs['server_port']}"), file=sys.stderr,
          flush=True)
    demo.launch(prevent_thread_lock=not block, **kwargs)
    return demo


def main(argv: list[str] | None = None) -> int:
    """``python app.py [--host H] [--port P] [--index DIR] [--seeds DIR]``."""
    parser = argparse.ArgumentParser(prog="app.py", description=say("web_cli_description"))
    parser.add_argument("--host", default=None, help=say("web_cli_host", default=DEFAULT_HOST))
    parser.add_argument("--port", type=int, default=None, help=say("web_cli_port", default=DEFAULT_PORT))
    parser.add_argument("--index", default=None, help=say("web_cli_index"))
    parser.add_argument("--seeds", default=None, help=say("web_cli_seeds"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("qa").setLevel(logging.INFO)
    try:
        serve(args.host, args.port, args.index, args.seeds)
    except StartupError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    except Exception as exc:  # one line, never a traceback (QA_DEBUG=1 shows it)
        if os.environ.get("QA_DEBUG"):
            raise
        from ..cli import _one_line

        print(say("cli_error", message=_one_line(exc)), file=sys.stderr)
        return 1
    return 0
