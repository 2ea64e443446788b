"""Background rebuilds: progress reported, new index live at the end, failures reported."""
from __future__ import annotations

import shutil


def test_rebuild_reports_progress_and_goes_live(small_corpus, tmp_path, build, settings_for):
    from qa.web.live import LiveEngine
    from qa.web.rebuilding import Rebuilder

    index = tmp_path / "index"
    build(small_corpus, index)
    live = LiveEngine(settings_for(small_corpus, index))
    old = live.current()
    (small_corpus / "d.txt").write_text("滨海新区发布新政策\n滨海新区今年新增企业321家。\n", encoding="utf-8")
    rebuilder = Rebuilder(live)
    thread, status = rebuilder.start()
    seen = set()
    while thread.is_alive():
        seen.add(status.stage)
        thread.join(0.01)
    assert not status.running and not status.error
    assert status.total > 0 and status.done == status.total
    assert "新增 1" in status.summary and "共 4 篇" in status.summary
    assert live.current() is not old and len(live.current().data.documents) == 4
    assert seen  # the page could read a stage while it ran


def test_failed_rebuild_keeps_the_old_index(small_corpus, tmp_path, build, settings_for):
    from qa.web.live import LiveEngine
    from qa.web.rebuilding import Rebuilder

    index = tmp_path / "index"
    build(small_corpus, index)
    live = LiveEngine(settings_for(small_corpus, index))
    old = live.current()
    shutil.rmtree(small_corpus)  # the articles folder is gone
    status = Rebuilder(live).run()
    assert status.error.startswith("✘ 更新索引失败") and "旧索引仍在使用" in status.error
    assert live.current() is old
