"""qa.embedding: finding m3e-small offline, loading it lazily, and the vectors it gives."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa.embedding import Encoder, resolve_model


def test_m3e_small_is_found_inside_the_installed_package():
    folder = Path(resolve_model("m3e-small"))
    assert folder.name == "m3e-small" and folder.parent.name == "embedding"
    assert (folder / "config.json").is_file()


def test_an_existing_folder_is_used_as_is_and_other_names_pass_through(tmp_path):
    assert resolve_model(str(tmp_path)) == str(tmp_path)
    assert resolve_model("some-org/some-model") == "some-org/some-model"


def test_nothing_is_loaded_until_the_first_text():
    assert Encoder()._model is None


def test_vectors_are_512_wide_unit_length_and_closer_for_related_texts(encoder):
    vectors = encoder.encode(["中关村论坛在北京举行", "北京举办中关村论坛年会", "今天的天气很好"])
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1


def test_no_texts_give_no_rows(encoder):
    assert encoder.encode([]).shape == (0, 512)


def test_a_folder_that_is_no_model_gives_a_message_naming_it(tmp_path):
    (tmp_path / "config.json").write_text("{不是 JSON", encoding="utf-8")
    with pytest.raises(RuntimeError) as caught:
        Encoder(str(tmp_path)).encode(["中关村"])
    message = str(caught.value)
    assert "无法加载嵌入模型" in message and str(tmp_path) in message and "\n" not in message.strip()
