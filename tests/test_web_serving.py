"""The web chat end to end: ``app.py`` started on a free port over a real index, used through
``gradio_client`` on its named API endpoints; and its start-up faults.

Nothing is mocked: the real m3e-small model, a real index built once per session in a temporary
folder (shared with ``test_web_browser.py``), a real server process.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from webapp import INCUBATOR_Q, ROOT, XSS_FILE, XSS_Q, free_port, private_copy, shared_index, start_app  # noqa: E402

NEW_FILE = "jinshawan.txt"
NEW_ARTICLE = ("金沙湾创新港建设提速\n2024-07-01 来源:测试晚报\n金沙湾创新港目前共有457家科技企业入驻,"
               "其中专精特新企业63家。\n创新港位于金沙湾南岸。\n")
NEW_Q = "金沙湾创新港有多少家科技企业入驻?"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    app = start_app(tmp_path_factory, "web-api")
    yield app
    app.stop()


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server.url, verbose=False)


def _marked(citation: dict) -> str:
    start, end = (i - citation["start"] for i in citation["highlight"])  # article offsets -> passage
    return citation["passage"][start:end]


def test_index_built_when_missing_with_progress(tmp_path_factory):
    _, index, log = shared_index(tmp_path_factory)
    assert (index / "CURRENT").exists()
    assert "没有找到索引" in log and "索引已构建：6 篇文章" in log


def test_answer_api_incubators(client):
    result = client.predict(INCUBATOR_Q, api_name="/answer")
    assert not result["abstained"] and "15家" in result["text"]
    assert 0.0 <= result["confidence"] <= 1.0
    cited = [c for c in result["citations"] if c["highlight"]]
    assert any("15家" in _marked(c) for c in cited), [_marked(c) for c in cited]
    assert result["citations"][0]["role"] == "answer"


def test_answer_api_top_k(client):
    one = client.predict(INCUBATOR_Q, 1, api_name="/answer")
    named = client.predict(question=INCUBATOR_Q, top_k=3, api_name="/answer")
    assert "15家" in one["text"] and "15家" in named["text"]
    assert 1 <= len(one["citations"]) <= 2 and 1 <= len(named["citations"]) <= 3


@pytest.mark.parametrize("question, words", [("", "问题是空的"), ("问" * 1001, "太长")])
def test_answer_api_rejects_bad_questions(client, question, words):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as info:
        client.predict(question, api_name="/answer")
    assert words in str(info.value)


def test_answer_api_rejects_bad_top_k(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="来源数量"):
        client.predict(INCUBATOR_Q, 11, api_name="/answer")


def test_answer_api_concurrent(client, server):
    questions = [INCUBATOR_Q, "中共中央政治局集体学习是哪一天走进中关村的?", XSS_Q, "中关村论坛创办于哪一年?"] * 2
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda q: client.predict(q, 3, api_name="/answer"), questions))
    assert [r["question"] for r in results] == questions
    assert "15家" in results[0]["text"] and "271名" in results[2]["text"]
    assert results[2]["citations"][0]["source"] == XSS_FILE


def test_named_endpoints(client):
    info = client.view_api(print_info=False, return_format="dict")
    assert sorted(info["named_endpoints"]) == ["/add_articles", "/answer", "/articles", "/delete_article"]


def test_articles_api_lists_the_index(client):
    rows = client.predict(api_name="/articles")
    assert len(rows) == 6 and all(set(r) >= {"source", "title", "date", "chunks"} for r in rows)
    xss = next(r for r in rows if r["source"] == XSS_FILE)
    assert xss["title"] == "蓝鲸湖实验室发布年度报告" and xss["date"] == "2024-05-06" and xss["chunks"] >= 1


def test_add_replace_delete_through_the_api(client, server, tmp_path):
    from gradio_client import handle_file

    article = tmp_path / NEW_FILE
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    rows = client.predict([handle_file(str(article))], api_name="/add_articles")
    assert NEW_FILE in [r["source"] for r in rows] and len(rows) == 7
    assert "457家" in client.predict(NEW_Q, 3, api_name="/answer")["text"]
    # a new version under the same name replaces the old one: no copy, no disagreement
    article.write_text(NEW_ARTICLE.replace("457家", "512家"), encoding="utf-8")
    rows = client.predict([handle_file(str(article))], api_name="/add_articles")
    assert len(rows) == 7 and sorted(p.name for p in server.seeds.glob("jinshawan*")) == [NEW_FILE]
    result = client.predict(NEW_Q, 3, api_name="/answer")
    assert "512家" in result["text"] and "457家" not in str(result) and not result["conflict"]
    rows = client.predict(NEW_FILE, api_name="/delete_article")
    assert NEW_FILE not in [r["source"] for r in rows] and not (server.seeds / NEW_FILE).exists()
    assert "457家" not in client.predict(NEW_Q, 3, api_name="/answer")["text"]


def test_upload_cache_is_cleaned(client, tmp_path):
    from gradio.utils import get_upload_folder
    from gradio_client import handle_file

    article = tmp_path / "cache_check.txt"
    article.write_text(NEW_ARTICLE.replace("金沙湾", "银沙湾"), encoding="utf-8")
    client.predict([handle_file(str(article))], api_name="/add_articles")
    client.predict("cache_check.txt", api_name="/delete_article")
    assert not list(Path(get_upload_folder()).rglob("cache_check.txt"))


def test_qa_build_from_a_shell_is_followed(client, server):
    """A ``qa build`` run beside the server goes live within seconds; answers never fail meanwhile."""
    (server.seeds / "shell_added.txt").write_text(NEW_ARTICLE.replace("金沙湾", "铜沙湾"), encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    build = subprocess.Popen([sys.executable, "-m", "qa.cli", "build", "--quiet", "--seeds", str(server.seeds),
                              "--index", str(server.index)], cwd=str(ROOT), env=env)
    answered = 0
    while build.poll() is None:
        assert "15家" in client.predict(INCUBATOR_Q, 3, api_name="/answer")["text"]
        answered += 1
    assert build.returncode == 0 and answered >= 1
    deadline = time.monotonic() + 15
    while "shell_added.txt" not in [r["source"] for r in client.predict(api_name="/articles")]:
        assert time.monotonic() < deadline, "the server did not pick up the new index"
        assert "15家" in client.predict(INCUBATOR_Q, 3, api_name="/answer")["text"]
    assert "457家" in client.predict("铜沙湾创新港有多少家科技企业入驻?", 3, api_name="/answer")["text"]


def test_unindexed_seeds_are_indexed_at_start(tmp_path_factory):
    from gradio_client import Client

    seeds, index = private_copy(tmp_path_factory, "web-pending")
    (seeds / NEW_FILE).write_text(NEW_ARTICLE, encoding="utf-8")  # saved, then the server died
    from webapp import AppServer

    app = AppServer(seeds, index, seeds.parent / "app.log")
    try:
        app.wait_ready()
        client = Client(app.url, verbose=False)
        deadline = time.monotonic() + 120
        while NEW_FILE not in [r["source"] for r in client.predict(api_name="/articles")]:
            assert time.monotonic() < deadline
            time.sleep(0.5)
    finally:
        app.stop()


def _start_fails(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env})


def test_port_in_use_is_one_clear_line(server):
    done = _start_fails(["--port", str(server.port)], {"QA_INDEX_DIR": str(server.index),
                                                       "QA_SEEDS_DIR": str(server.seeds)})
    assert done.returncode == 1 and "端口" in done.stderr and "Traceback" not in done.stderr


def test_corrupt_index_is_one_clear_line(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    (index / "CURRENT").write_text("gen-missing", encoding="utf-8")
    done = _start_fails(["--port", str(free_port())], {"QA_INDEX_DIR": str(index), "QA_SEEDS_DIR": str(tmp_path)})
    assert done.returncode == 1 and "索引" in done.stderr and "损坏" in done.stderr
    assert "Traceback" not in done.stderr


def test_app_help_is_quick():
    started = time.monotonic()
    done = subprocess.run([sys.executable, str(ROOT / "app.py"), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "--port" in done.stdout and "--host" in done.stdout
    assert time.monotonic() - started < 20


def test_importing_qa_web_does_not_import_gradio():
    code = "import sys; sys.path.insert(0, sys.argv[1]); import qa, qa.web; print('gradio' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_server_log_is_clean(server):
    assert "Traceback" not in server.log(), server.log()[-3000:]
