"""qa.integrity: file checksums and the identity of the embedding model behind an index."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from qa import integrity


@pytest.fixture
def model_copy(tmp_path):
    """m3e-small linked into a temporary folder, its tokenizer config a real copy that can change."""
    from qa.embedding import resolve_model

    folder = tmp_path / "model"
    folder.mkdir()
    for f in Path(resolve_model("m3e-small")).iterdir():
        os.link(f, folder / f.name) if f.name != "tokenizer_config.json" else shutil.copy(f, folder / f.name)
    return folder


def test_checksums_name_every_changed_file(tmp_path):
    (tmp_path / "a.bin").write_bytes(b"abc")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.bin").write_bytes(b"xyz")
    recorded = integrity.checksums(tmp_path)
    assert sorted(recorded) == ["a.bin", "sub/b.bin"]
    assert integrity.checksum_problems(tmp_path, recorded) == []
    (tmp_path / "sub" / "b.bin").write_bytes(b"xyZ")
    assert integrity.size_problems(tmp_path, recorded) == []
    assert integrity.checksum_problems(tmp_path, recorded) == ["sub/b.bin 的校验和与记录不符（文件内容被改动或损坏）"]


def test_model_fingerprint_follows_the_files(model_copy):
    before = integrity.model_identity(str(model_copy))
    assert before.fingerprint and not integrity.model_changed(before.to_dict(), str(model_copy))
    with open(model_copy / "tokenizer_config.json", "a", encoding="utf-8") as fh:
        fh.write("\n")
    assert integrity.model_changed(before.to_dict(), str(model_copy))
    assert integrity.model_identity(str(model_copy)).fingerprint != before.fingerprint


def test_engine_refuses_an_index_whose_model_changed(model_copy, tmp_path, small_corpus, build, settings_for):
    from qa import store
    from qa.answering import Engine

    index = tmp_path / "index"
    build(small_corpus, index, model=str(model_copy))
    with open(model_copy / "tokenizer_config.json", "a", encoding="utf-8") as fh:
        fh.write("\n")
    with pytest.raises(store.ModelChanged, match="qa build --full"):
        Engine(settings_for(small_corpus, index, model=str(model_copy), reader="none"), build_if_missing=False)
