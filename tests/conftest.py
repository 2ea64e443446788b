"""Shared fixtures: the real m3e-small encoder (loaded once), the seed articles and their index.

Nothing here is mocked: builds use the real model, FAISS, bm25s and files in temporary folders.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the package is not installed into the venv; run from the checkout
    sys.path.insert(0, str(ROOT))

SEEDS_DIR = ROOT / "seeds"
CHROMIUM = Path("/usr/bin/chromium")


def browser_tests_mark():
    """Skip a browser test, saying why, only when Chromium is truly absent; under
    ``QA_REQUIRE_BROWSER=1`` (set by CI) a missing browser is a failure, never a skip."""
    import os

    missing = not CHROMIUM.exists()
    if missing and os.environ.get("QA_REQUIRE_BROWSER"):
        pytest.fail(f"QA_REQUIRE_BROWSER=1 but {CHROMIUM} is missing: sudo apt-get install -y chromium",
                    pytrace=False)
    return pytest.mark.skipif(missing, reason=f"no Chromium at {CHROMIUM} (sudo apt-get install -y chromium); "
                              "the web chat itself does not need it")

# Three short articles, enough for fast incremental-build tests.
SMALL_ARTICLES = {
    "a_kejiao.txt": (
        "经开区发布科技创新政策\n"
        "北京青年报客户端 2022-09-04 15:52\n"
        "9月3日,北京经开区科技创新生态主题发布会在首钢园举办。会上介绍了经开区在科技创新领域的成果。\n"
        "自2017年以来,经开区累计承接“三城”科技成果转化项目超过600项。\n"
    ),
    "b_zhongguancun.txt": (
        "中關村論壇年會將在京舉行\n"
        "創辦於2007年的中關村論壇,以“創新與發展”為永久主題,已成功舉辦14屆。\n"
        "4月25日至29日,2024中關村論壇年會將首次在中關村國際創新中心舉行。\n"
    ),
    "c_jingjinji.txt": (
        "京津冀协同发展联合工作办公室揭牌\n"
        "7月20日,京津冀协同发展联合工作办公室在京正式揭牌。三地“握指成拳”,推动协同发展不断向纵深迈进。\n"
        "“联合办不是‘联络站’,而是前沿阵地。”北京市有关负责人说。\n"
    ),
}


def make_settings(seeds_dir: Path, index_dir: Path, **overrides):
    """Settings for a test build; chunking and model pinned so QA_* variables cannot change them."""
    from qa.config import DEFAULT_MODEL, Settings

    values = {"model": DEFAULT_MODEL, "chunk_size": 300, "chunk_overlap": 60, "batch_size": 64}
    values.update(overrides)
    return Settings.from_env(seeds_dir=seeds_dir, index_dir=index_dir, **values)


@pytest.fixture(scope="session")
def encoder():
    """One real m3e-small encoder for the whole session (loading it costs a few seconds)."""
    from qa.embedding import Encoder

    enc = Encoder()
    enc.encode(["中关村"])  # load now, so the first test that builds is not charged for it
    return enc


@pytest.fixture(scope="session")
def seed_documents():
    """The five seed articles read and cleaned, in file order."""
    from qa.reading import read_folder

    documents, skipped = read_folder(SEEDS_DIR)
    assert not skipped, skipped
    return documents


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, encoder):
    """The seed articles built once into a temporary index: (settings, build report, loaded data)."""
    from qa import store
    from qa.building import build_index

    settings = make_settings(SEEDS_DIR, tmp_path_factory.mktemp("seed-index") / "index")
    report = build_index(settings, progress=False, encoder=encoder)
    return settings, report, store.load(settings.index_dir)


@pytest.fixture(scope="session")
def small_articles():
    """File name -> text of the three short test articles."""
    return dict(SMALL_ARTICLES)


@pytest.fixture(scope="session")
def settings_for():
    """``settings_for(seeds_dir, index_dir, **overrides)``: see ``make_settings``."""
    return make_settings


@pytest.fixture
def small_corpus(tmp_path):
    """A fresh folder holding the three short articles of SMALL_ARTICLES."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in SMALL_ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def small_index(tmp_path, small_corpus, build):
    """A freshly built index of the three short articles; returns (index folder, build report)."""
    index = tmp_path / "index"
    return index, build(small_corpus, index)


@pytest.fixture
def build(encoder):
    """``build(seeds_dir, index_dir, full=False, **settings)`` with the shared encoder."""
    from qa.building import build_index

    def run(seeds_dir: Path, index_dir: Path, full: bool = False, **overrides):
        return build_index(make_settings(seeds_dir, index_dir, **overrides), full=full,
                           progress=False, encoder=encoder)

    return run
