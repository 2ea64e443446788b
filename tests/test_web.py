"""The web chat end to end: ``app.py`` started on a free port over a real index, asked through
``gradio_client`` on the ``/answer`` API; plus the page's escaping and upload checks on real files.

Nothing is mocked: the real m3e-small model, a real index built once per session in a temporary
folder (shared with ``test_web_browser.py``), a real server process.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEEDS_DIR = ROOT / "seeds"
INCUBATOR_Q = "北京经开区有多少家市级孵化器?"

# An article whose text holds markup that must reach the page as text and never run.
XSS_FILE = "xss_lanjinghu.txt"
XSS_ARTICLE = (
    "蓝鲸湖实验室发布年度报告\n"
    "2024-05-06 来源:测试日报\n"
    "蓝鲸湖实验室共有271名研究人员<script>window.__xss=1</script>,"
    "其中博士<img src=x onerror=\"window.__xss=2\">86名。\n"
    "该实验室的报告里还出现了{{value}}、${1+1}和**星号**这样的模板符号。\n"
    "蓝鲸湖实验室成立于2015年,位于蓝鲸湖畔,主要研究水下机器人。\n"
)
XSS_Q = "蓝鲸湖实验室有多少名研究人员?"


# ---------------------------------------------------------------------------------------------
# Helpers shared with test_web_browser.py
# ---------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shared_index(tmp_path_factory) -> tuple[Path, Path, str]:
    """(seeds, index, build log): the seed articles plus XSS_ARTICLE, indexed once per session
    through ``qa.web.ensure_index`` (the app's own build-if-missing path)."""
    base = tmp_path_factory.getbasetemp() / "web-shared"
    seeds, index, log = base / "seeds", base / "index", base / "build.log"
    if not (index / "CURRENT").exists():
        if base.exists():
            shutil.rmtree(base)
        shutil.copytree(SEEDS_DIR, seeds)
        (seeds / XSS_FILE).write_text(XSS_ARTICLE, encoding="utf-8")
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]);"
            "from qa.config import Settings; from qa.web import ensure_index;"
            "ensure_index(Settings.from_env(seeds_dir=sys.argv[2], index_dir=sys.argv[3]))"
        )
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        for key in ("QA_MODEL", "QA_CHUNK_SIZE", "QA_CHUNK_OVERLAP", "QA_BATCH_SIZE"):
            env.pop(key, None)
        done = subprocess.run([sys.executable, "-c", code, str(ROOT), str(seeds), str(index)],
                              capture_output=True, text=True, env=env, timeout=900)
        log.write_text(done.stdout + done.stderr, encoding="utf-8")
        assert done.returncode == 0, done.stderr[-3000:]
    return seeds, index, log.read_text(encoding="utf-8")


def private_copy(tmp_path_factory, name: str) -> tuple[Path, Path]:
    """A private copy of the shared seeds and index, which a test may change."""
    seeds, index, _ = shared_index(tmp_path_factory)
    base = tmp_path_factory.mktemp(name)
    shutil.copytree(seeds, base / "seeds")
    shutil.copytree(index, base / "index")
    return base / "seeds", base / "index"


class AppServer:
    """``python app.py`` in a subprocess on a free port, with QA_SEEDS_DIR / QA_INDEX_DIR set."""

    def __init__(self, seeds: Path, index: Path, log_path: Path, port_by_env: bool = False) -> None:
        self.seeds, self.index, self.log_path = seeds, index, log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "QA_SEEDS_DIR": str(seeds), "QA_INDEX_DIR": str(index),
               "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
               "PYTHONUNBUFFERED": "1"}
        for key in ("QA_MODEL", "QA_CHUNK_SIZE", "QA_CHUNK_OVERLAP", "GRADIO_SERVER_NAME"):
            env.pop(key, None)
        cmd = [sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1"]
        if port_by_env:
            env["GRADIO_SERVER_PORT"] = str(self.port)
        else:
            cmd += ["--port", str(self.port)]
        self._log = open(log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=str(log_path.parent), env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app.py exited with {self.proc.returncode}:\n{self.log()[-4000:]}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"app.py did not start within {timeout:.0f} s:\n{self.log()[-4000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        self._log.close()


def start_app(tmp_path_factory, name: str, port_by_env: bool = False) -> AppServer:
    seeds, index = private_copy(tmp_path_factory, name)
    server = AppServer(seeds, index, seeds.parent / "app.log", port_by_env=port_by_env)
    try:
        server.wait_ready()
    except Exception:
        server.stop()
        raise
    return server


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# The running app, through gradio_client
# ---------------------------------------------------------------------------------------------

def test_index_built_when_missing_with_progress(tmp_path_factory):
    _, index, log = shared_index(tmp_path_factory)
    assert (index / "CURRENT").exists()
    assert "没有找到索引" in log and "索引已构建" in log
    assert "6 篇文章" in log  # the five seeds and the XSS article


def test_answer_api_incubators(client):
    result = client.predict(INCUBATOR_Q, api_name="/answer")
    assert isinstance(result, dict)
    assert set(result) >= {"question", "text", "span", "abstained", "confidence", "conflict", "reason", "citations"}
    assert not result["abstained"]
    assert "15家" in result["text"]
    assert 0.0 <= result["confidence"] <= 1.0
    cited = [c for c in result["citations"] if c["highlight"]]
    assert cited, result
    assert any("15家" in _marked(c) for c in cited), [_marked(c) for c in cited]
    for c in result["citations"]:
        assert set(c) >= {"source", "title", "date", "passage", "start", "end", "highlight", "score"}


def test_answer_api_top_k(client):
    one = client.predict(INCUBATOR_Q, 1, api_name="/answer")
    named = client.predict(question=INCUBATOR_Q, top_k=3, api_name="/answer")
    assert "15家" in one["text"] and "15家" in named["text"]
    assert 1 <= len(one["citations"]) <= 2  # the engine may keep a second source for a disagreement
    assert 1 <= len(named["citations"]) <= 3


@pytest.mark.parametrize("question, words", [("", "问题是空的"), ("   \n ", "问题是空的"), ("问" * 1001, "太长")])
def test_answer_api_rejects_bad_questions(client, question, words):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as info:
        client.predict(question, api_name="/answer")
    assert words in str(info.value)


@pytest.mark.parametrize("top_k", [0, 11])
def test_answer_api_rejects_bad_top_k(client, top_k):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="来源数量"):
        client.predict(INCUBATOR_Q, top_k, api_name="/answer")


def test_answer_api_concurrent_and_alive_after_errors(client, server):
    questions = [INCUBATOR_Q, "中共中央政治局集体学习是哪一天走进中关村的?", XSS_Q, "中关村论坛创办于哪一年?"] * 2
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda q: client.predict(q, 3, api_name="/answer"), questions))
    assert [r["question"] for r in results] == questions
    assert "15家" in results[0]["text"] and "15家" in results[4]["text"]
    assert server.proc.poll() is None


def test_xss_article_answer_keeps_markup_as_data(client):
    result = client.predict(XSS_Q, api_name="/answer")
    assert "271名" in result["text"]
    assert result["citations"][0]["source"] == XSS_FILE


def test_api_is_the_only_public_endpoint(client):
    info = client.view_api(print_info=False, return_format="dict")
    assert list(info["named_endpoints"]) == ["/answer"]


def test_app_help_is_quick():
    started = time.monotonic()
    done = subprocess.run([sys.executable, str(ROOT / "app.py"), "--help"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and "--port" in done.stdout and "--host" in done.stdout
    assert time.monotonic() - started < 20


def test_importing_qa_does_not_import_gradio():
    code = "import sys; sys.path.insert(0, sys.argv[1]); import qa, qa.web; print('gradio' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


# ---------------------------------------------------------------------------------------------
# Rendering: everything from articles and questions escaped (real Answer records)
# ---------------------------------------------------------------------------------------------

def _citation(passage, highlight=None, source="a.txt", title="标题", start=0, role="answer"):
    from qa.types import Citation

    return Citation(source=source, title=title, date="2024-01-02", passage=passage, start=start,
                    end=start + len(passage), highlight=highlight, score=0.9, role=role)


def _no_live_markup(fragment: str) -> None:
    lowered = fragment.lower()
    for bad in ("<script", "<img", "onerror=", "javascript:", "${", "{{", "**"):
        assert bad not in lowered, (bad, fragment)


def test_render_escapes_article_and_question_text():
    from qa.types import Answer
    from qa.web import render_reply, render_sources

    evil = "共有271名<script>window.__xss=1</script>研究人员<img src=x onerror=\"window.__xss=2\">{{v}}${1+1}**b**"
    answer = Answer(question="<img src=x onerror=alert(1)>多少?", text=evil, span="271名", abstained=False,
                    confidence=0.9, conflict=False,
                    citations=[_citation("前文。" + evil + "后文。", (3, 3 + len(evil)), title="<b>标题</b>")])

    class Doc:
        text = "开头。前文。" + evil + "后文。结尾"

    reply = render_reply(answer)
    sources = render_sources(answer, {"a.txt": Doc()})
    for fragment in (reply, sources):
        _no_live_markup(fragment)
        assert "&#60;script&#62;" in fragment
    assert "<strong>271名</strong>" in reply
    assert "<mark class=\"qa-answer\">" in sources and "<mark class=\"qa-passage\"" in sources
    assert "&#60;b&#62;标题&#60;/b&#62;" in sources


def test_render_abstention_and_conflict():
    from qa.types import Answer
    from qa.web import CONFLICT_FLAG, render_reply, render_sources

    abstain = Answer(question="火星上有多少人?", text="", span=None, abstained=True, confidence=0.1,
                     conflict=False, citations=[], reason="文章中没有相关内容。")
    reply = render_reply(abstain)
    assert "没有回答" in reply and "文章中没有相关内容。" in reply
    assert "class=\"qa-source\"" not in render_sources(abstain) and "没有来源" in render_sources(abstain)

    a, b = "共有80余家企业。", "培育企业105家。"
    conflict = Answer(question="有几家?", text=a + "\n" + b, span="80余家 / 105家", abstained=False,
                      confidence=0.9, conflict=True, reason="不同文章给出的数字不一致。",
                      citations=[_citation(a, (0, len(a)), "x.txt"), _citation(b, (0, len(b)), "y.txt")])
    reply, sources = render_reply(conflict), render_sources(conflict)
    assert CONFLICT_FLAG in reply and CONFLICT_FLAG in sources
    assert "<strong>80余家</strong>" in reply and "<strong>105家</strong>" in reply
    assert "x.txt" in sources and "y.txt" in sources


# ---------------------------------------------------------------------------------------------
# Uploads: names, types, sizes, duplicates (real files in a temporary folder)
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("新闻.txt", "新闻.txt"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\windows\\evil.MD", "evil.md"),
    (".hidden.txt", "hidden.txt"),
    ("a b;rm -rf $(x).html", "a_b_rm_-rf_x.html"),
    ("报告 2024（终稿）.htm", "报告_2024_终稿.htm"),
])
def test_safe_filename(name, expected):
    from qa.web import safe_filename

    assert safe_filename(name) == expected


@pytest.mark.parametrize("name", ["run.exe", "page.php", "noext", "../", ".txt", "....txt", "x.txt.sh"])
def test_safe_filename_rejects(name):
    from qa.web import UploadRejected, safe_filename

    with pytest.raises(UploadRejected):
        safe_filename(name)


def test_save_uploads_checks_and_never_overwrites(tmp_path):
    from qa.web import save_uploads

    seeds, incoming = tmp_path / "seeds", tmp_path / "incoming"
    seeds.mkdir()
    incoming.mkdir()
    (seeds / "news.txt").write_text("旧文章。北京有一座桥。\n", encoding="utf-8")
    files = {
        "news.txt": "新文章。上海有一座塔。\n",                   # same name, other text: saved as news-2.txt
        "copy.txt": "旧文章。北京有一座桥。\n",                   # same text as news.txt: refused
        "big.txt": "大" * (2 * 1024 * 1024),                      # over the limit below
        "bin.txt": None,                                          # binary
        "evil.sh": "echo hi\n",                                   # wrong type
        ".secret.md": "# 秘密\n隐藏文件名的文章内容。\n",          # saved without the leading dot
    }
    paths = []
    for name, text in files.items():
        path = incoming / name
        if text is None:
            path.write_bytes(b"\x00\x01\x02binary\x00" * 10)
        else:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    known = {"known-id": "news.txt"}
    from qa.reading import read_document

    known[read_document(seeds / "news.txt").id] = "news.txt"
    result = save_uploads(paths, seeds, known, max_bytes=1024 * 1024)
    assert sorted(result.saved) == ["news-2.txt", "secret.md"]
    assert (seeds / "news.txt").read_text(encoding="utf-8") == "旧文章。北京有一座桥。\n"
    assert (seeds / "news-2.txt").read_text(encoding="utf-8") == files["news.txt"]
    text = "\n".join(result.messages)
    assert "未覆盖" in text and "内容相同" in text and "太大" in text and "无法读取" in text
    assert "不支持的文件类型" in text
    assert sorted(p.name for p in seeds.iterdir()) == ["news-2.txt", "news.txt", "secret.md"]


def test_save_uploads_limits_file_count(tmp_path):
    from qa.web import save_uploads

    incoming = tmp_path / "in"
    incoming.mkdir()
    paths = []
    for i in range(4):
        path = incoming / f"a{i}.txt"
        path.write_text(f"第{i}篇文章。内容{i}号。\n", encoding="utf-8")
        paths.append(path)
    result = save_uploads(paths, tmp_path / "seeds", max_files=3)
    assert len(result.saved) == 3 and "最多" in result.messages[0]


# ---------------------------------------------------------------------------------------------
# Rebuilding in the background: the old engine answers until the new index is live
# ---------------------------------------------------------------------------------------------

def test_rebuild_in_background_keeps_answering_then_switches(tmp_path_factory, tmp_path):
    from qa.config import Settings
    from qa.web import WebApp, save_uploads

    seeds, index = private_copy(tmp_path_factory, "web-rebuild")
    app = WebApp(Settings.from_env(seeds_dir=seeds, index_dir=index))
    old = app.engine()
    assert len(old.data.documents) == 6
    article = tmp_path / "金沙湾报道.txt"
    article.write_text("金沙湾创新港建设提速\n2024-07-01 来源:测试晚报\n金沙湾创新港目前共有457家科技企业入驻,"
                       "其中专精特新企业63家。\n创新港位于金沙湾南岸。\n", encoding="utf-8")
    saved = save_uploads([article], seeds, app.known_ids())
    assert saved.saved == ["金沙湾报道.txt"], saved.messages

    thread = app.start_rebuild(saved.saved)
    answered_meanwhile = 0
    while thread.is_alive():  # every question asked during the rebuild is answered
        result, engine = app.answer(INCUBATOR_Q, 3)
        assert "15家" in result.text
        if thread.is_alive():
            assert engine is old
        answered_meanwhile += 1
    thread.join()
    assert answered_meanwhile >= 1
    assert not app.status.error and not app.status.running
    assert "新增 1" in app.status.summary
    new = app.engine()
    assert new is not old and len(new.data.documents) == 7
    result, _ = app.answer("金沙湾创新港有多少家科技企业入驻?", 3)
    assert "457家" in result.text
    assert result.citations[0].source == "金沙湾报道.txt"
    assert "7 篇文章" in app.status_line()


@pytest.mark.parametrize("value", [0, 11, 2.5, float("nan"), float("inf"), "x", None])
def test_top_k_checked(value):
    from qa.web import WebApp

    with pytest.raises(ValueError, match="来源数量"):
        WebApp.check_top_k(value)
    assert WebApp.check_top_k(3) == 3 and WebApp.check_top_k(10.0) == 10
