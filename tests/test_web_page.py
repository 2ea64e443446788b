"""The page layout: both tabs and exactly the four named API endpoints."""
from __future__ import annotations


def test_page_has_tabs_and_named_endpoints(small_corpus, tmp_path, build, settings_for):
    from qa.web.page import build_page, page_css, page_js
    from qa.web.service import WebService

    index = tmp_path / "index"
    build(small_corpus, index)
    demo = build_page(WebService(settings_for(small_corpus, index)))
    names = sorted(d.api_name for d in demo.fns.values() if d.api_visibility == "public")
    assert names == ["add_articles", "answer", "articles", "delete_article"]
    ids = {getattr(b, "elem_id", None) for b in demo.blocks.values()}
    assert {"qa-chat", "qa-sources", "qa-articles", "qa-upload-files", "qa-delete-btn", "qa-export"} <= ids
    assert ".dark" in page_css() and "qa-ref" in page_js()
