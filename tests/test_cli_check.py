"""qa check (qa.cli): the full verification of an index, in Chinese, with the fix named."""
from __future__ import annotations

from qa import store
from qa.cli import main


def test_check_passes_a_sound_index_and_names_a_damaged_file(tmp_path, small_corpus, build, capsys):
    index = tmp_path / "index"
    build(small_corpus, index)
    assert main(["check", "--index", str(index)]) == 0
    assert "完好" in capsys.readouterr().out
    path = store.live_path(index) / "sentences.npy"
    raw = bytearray(path.read_bytes())
    raw[-3] ^= 0x55
    path.write_bytes(bytes(raw))
    assert main(["check", "--index", str(index)]) == 1
    out = capsys.readouterr().out
    assert "有问题" in out and "sentences.npy" in out and "qa build --full" in out
