"""Fault injection: a build killed at any step, a full disk, a read-only index, builds racing each
other and reads during builds. After each fault the previous index still answers and the next
build succeeds. (Reads during builds: test_store.)

Kills are real ``SIGKILL``s of a real build in a child process; the disk is a real size-limited
tmpfs when this machine lets the tests mount one (else the write error is raised at the OS
boundary by a patched ``os.replace``/``open``).
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from qa import store

ROOT = Path(__file__).resolve().parent.parent
NEW_ARTICLE = (
    "星河湾科技园发布年度报告\n"
    "截至今年5月底,星河湾科技园共有368家入驻企业,其中高新技术企业112家。\n"
)

# A build in a child process that kills itself (SIGKILL, no clean-up possible) at one step.
CHILD = textwrap.dedent("""
    import os, signal, sys, threading, time
    from pathlib import Path
    from qa.building import build_index
    from qa.config import Settings
    from qa import embedding

    seeds, index, step = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    die = lambda: os.kill(os.getpid(), signal.SIGKILL)
    if step == "encoding":
        embedding.Encoder.encode = lambda self, texts, progress=False: die()
    elif step == "writing":  # as soon as the first file of the new generation exists on disk
        def watch():
            while True:
                if any(p.is_file() for t in index.glob(".tmp-*") for p in t.rglob("*")):
                    die()
                time.sleep(0.001)
        threading.Thread(target=watch, daemon=True).start()
    elif step == "swapping":  # the new generation is complete; the pointer is about to move
        real_replace = os.replace
        def replace(src, dst, *a, **k):
            if Path(dst).name == "CURRENT":
                die()
            return real_replace(src, dst, *a, **k)
        os.replace = replace
    build_index(Settings.from_env(seeds_dir=seeds, index_dir=index), progress=False)
    print("build finished")
""")


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.fixture
def built(tmp_path, small_corpus, build):
    """An index of the three small articles, and the folder gets a fourth one not yet indexed."""
    index = tmp_path / "index"
    build(small_corpus, index)
    (small_corpus / "d_xinghewan.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    return small_corpus, index


def _assert_previous_index_answers(index: Path, encoder) -> None:
    data = store.load(index)
    assert sorted(a.source for a in data.articles()) == ["a_kejiao.txt", "b_zhongguancun.txt", "c_jingjinji.txt"]
    data.close()
    from conftest import make_settings
    from qa.answering import Engine

    engine = Engine(make_settings(index.parent / "unused-seeds", index), build_if_missing=False)
    engine.encoder = encoder
    hits = engine.retrieve("联合工作办公室在哪里揭牌?", 3)
    engine.data.close()
    assert hits and hits[0].source == "c_jingjinji.txt"


def _assert_next_build_succeeds(seeds: Path, index: Path, build) -> None:
    report = build(seeds, index)  # writes, or finds the index already up to date
    assert report.articles == 4
    data = store.load(index)
    assert "d_xinghewan.txt" in {a.source for a in data.articles()}
    data.close()
    assert not list(index.glob(".tmp-*")), "an interrupted build's leftovers were not cleaned"


@pytest.mark.parametrize("step", ["encoding", "writing", "swapping"])
def test_build_killed_at_any_step_leaves_the_previous_index(step, built, encoder, build):
    seeds, index = built
    run = subprocess.run([sys.executable, "-c", CHILD, str(seeds), str(index), step],
                         env=_child_env(), capture_output=True, text=True, timeout=600)
    assert run.returncode == -9, run.stdout + run.stderr  # it really died mid-build
    _assert_previous_index_answers(index, encoder)
    _assert_next_build_succeeds(seeds, index, build)


def _mount_tmpfs(folder: Path, size_kb: int) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


def _index_kb(index: Path) -> int:
    return sum(p.stat().st_size for p in index.rglob("*") if p.is_file()) // 1024 + 1


def test_disk_full_keeps_the_previous_index_and_says_so(tmp_path, small_corpus, encoder, build, monkeypatch):
    # Size the disk from a real build of the same articles: room for one index, not for two.
    probe = tmp_path / "probe"
    build(small_corpus, probe)
    room = _index_kb(probe) * 3 // 2 + 64
    disk = tmp_path / "disk"
    mounted = os.geteuid() == 0 and _mount_tmpfs(disk, room)
    index = disk / "index"
    try:
        build(small_corpus, index)
        (small_corpus / "d_xinghewan.txt").write_text(NEW_ARTICLE * 40, encoding="utf-8")
        if not mounted:  # no tmpfs here: the OS refuses the new generation's pointer instead
            import errno

            real_replace = os.replace

            def full(src, dst, *a, **k):
                if Path(dst).parent == index or Path(src).name.startswith(".tmp-"):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                return real_replace(src, dst, *a, **k)

            monkeypatch.setattr(os, "replace", full)
        with pytest.raises(store.IndexNotWritable, match="磁盘空间不足.*原有索引未改动"):
            build(small_corpus, index, full=True)
        monkeypatch.undo()
        assert not list(index.glob(".tmp-*"))
        (small_corpus / "d_xinghewan.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        if mounted:
            subprocess.run(["mount", "-o", f"remount,size={room * 4}k", str(disk)], check=True)
        _assert_previous_index_answers(index, encoder)
        _assert_next_build_succeeds(small_corpus, index, build)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(disk)])


def _make_read_only(folder: Path) -> str:
    """Make ``folder`` unwritable even for root (a read-only bind mount), else by permissions."""
    if os.geteuid() == 0:
        ok = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True).returncode == 0
        if ok and subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True).returncode == 0:
            return "mount"
        pytest.skip("cannot make a read-only folder here: root, and mount is not allowed")
    folder.chmod(0o555)
    for p in folder.rglob("*"):
        p.chmod(0o555 if p.is_dir() else 0o444)
    return "chmod"


def test_build_over_a_read_only_index_says_so_and_keeps_it(tmp_path, built, encoder, build):
    seeds, index = built
    how = _make_read_only(index)
    try:
        with pytest.raises(store.IndexNotWritable, match=str(index)):
            build(seeds, index)
        _assert_previous_index_answers(index, encoder)
    finally:
        if how == "mount":
            subprocess.run(["umount", "-l", str(index)], check=True)
        else:
            for p in [index, *index.rglob("*")]:
                p.chmod(0o755 if p.is_dir() else 0o644)
    _assert_next_build_succeeds(seeds, index, build)


def test_two_build_commands_at_once_leave_one_good_index(built, encoder, build):
    seeds, index = built
    cmd = [sys.executable, "-m", "qa.cli", "build", "--quiet", "--seeds", str(seeds), "--index", str(index)]
    runs = [subprocess.Popen(cmd, env=_child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    results = [(p.wait(timeout=600), p.stdout.read(), p.stderr.read()) for p in runs]
    for code, out, err in results:
        # each one either built, or found the other building and said so in one line
        assert code == 0 or (code == 1 and "另一个构建正在更新" in err and err.count("\n") == 1), (code, out, err)
        assert "Traceback" not in err
    assert any(code == 0 for code, _, _ in results)
    assert len(store.load(index).documents) in (3, 4)
    _assert_next_build_succeeds(seeds, index, build)
