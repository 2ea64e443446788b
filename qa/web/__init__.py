"""The web chat: a Gradio page over the live index, with sources, a knowledge-base tab and an API.

One job per module:

* ``library``   — the one adapter to the index storage (article list, live generation)
* ``views``     — what the page shows for an Answer, read from its own fields
* ``rendering`` — HTML from Jinja2 templates in ``templates/`` (autoescape on)
* ``export``    — a conversation as Markdown
* ``uploads``   — checking, saving, replacing and deleting article files
* ``live``      — the live engine, swapped when the index on disk changes
* ``rebuilding``— background rebuilds with progress
* ``service``   — answering and article changes, free of Gradio
* ``handlers``  — what the page's events do
* ``page``      — the Gradio Blocks layout and API endpoints
* ``serving``   — start-up and the command line

Importing this package is cheap: Gradio loads only when the page is built.
"""
from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """``python app.py [--host H] [--port P]`` (see ``qa.web.serving``)."""
    from .serving import main as serving_main

    return serving_main(argv)
