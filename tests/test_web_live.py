"""The live engine follows the index on disk and swaps only a fully loaded engine."""
from __future__ import annotations

import time


def test_refresh_swaps_in_a_newer_index(small_corpus, tmp_path, build, settings_for):
    from qa.web.live import LiveEngine

    index = tmp_path / "index"
    build(small_corpus, index)
    live = LiveEngine(settings_for(small_corpus, index))
    old = live.current()
    assert not live.refresh() and live.current() is old
    (small_corpus / "d.txt").write_text("滨海新区发布新政策\n滨海新区今年新增企业321家。\n", encoding="utf-8")
    build(small_corpus, index)
    assert live.refresh()
    new = live.current()
    assert new is not old and len(new.data.documents) == 4 and new.encoder is old.encoder


def test_watcher_picks_up_a_build_within_seconds(small_corpus, tmp_path, build, settings_for):
    from qa.web.live import LiveEngine

    index = tmp_path / "index"
    build(small_corpus, index)
    live = LiveEngine(settings_for(small_corpus, index), poll_seconds=0.2)
    old = live.current()
    live.start_watching()
    try:
        (small_corpus / "a_kejiao.txt").unlink()
        build(small_corpus, index)
        deadline = time.monotonic() + 10
        while live.current() is old:
            assert time.monotonic() < deadline, "watcher did not swap the engine"
            time.sleep(0.1)
        assert len(live.current().data.documents) == 2
    finally:
        live.stop_watching()
