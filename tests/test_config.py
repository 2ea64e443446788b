"""qa.config: settings from defaults, environment and overrides (here: the Milvus credentials)."""
from __future__ import annotations

from qa.config import Settings


def test_milvus_token_comes_from_the_environment_and_is_never_shown(monkeypatch):
    monkeypatch.setenv("QA_MILVUS_TOKEN", "root:s3cret-pw")
    settings = Settings.from_env(store="http://milvus.example:19530")
    assert settings.milvus_token == "root:s3cret-pw"
    assert "s3cret" not in repr(settings) and "s3cret" not in str(settings)


def test_without_a_token_none_is_sent(monkeypatch):
    monkeypatch.delenv("QA_MILVUS_TOKEN", raising=False)
    assert Settings.from_env().milvus_token == ""
