"""qa.generations: writing a new generation beside the live one, the build lock, pruning, and the
messages for a folder that cannot be written (killed builds and a full disk: test_faults)."""
from __future__ import annotations

import errno

import pytest

from qa import generations, store


def test_index_keeps_the_live_generation_and_the_one_before(small_index, small_corpus, build):
    index, _ = small_index
    first = store.live_path(index).name
    for text in ("经开区发布新的科技政策。", "经开区发布第二批科技政策。"):
        (small_corpus / "a_kejiao.txt").write_text(f"经开区新闻\n{text}\n", encoding="utf-8")
        build(small_corpus, index)
    entries = sorted(p.name for p in index.iterdir() if p.name != generations.LOCK_FILE)
    live = store.live_path(index)
    assert first not in entries
    assert len(entries) == 3 and store.CURRENT in entries and live.name in entries



def test_a_second_lock_without_waiting_is_refused_naming_the_wait_option(tmp_path):
    with generations.build_lock(tmp_path):
        with pytest.raises(store.BuildBusy, match="--wait"):
            with generations.build_lock(tmp_path, wait=False):
                pass
    with generations.build_lock(tmp_path, wait=False):  # free again once released
        pass


@pytest.mark.parametrize("code, words", [
    (errno.ENOSPC, "磁盘空间不足"), (errno.EROFS, "只读的文件系统"), (errno.EACCES, "无法写入"),
])
def test_a_failed_write_is_named_with_its_fix_and_keeps_the_old_index(tmp_path, code, words):
    exc = generations.not_writable(tmp_path, OSError(code, "x"))
    assert isinstance(exc, store.IndexNotWritable)
    assert words in str(exc) and str(tmp_path) in str(exc) and "原有索引未改动" in str(exc)
