"""Helpers for the web tests: a session-wide index of the seeds plus an article with markup,
private copies of it, and ``app.py`` started in a subprocess on a free port."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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
    through ``qa.web.serving.ensure_index`` (the app's own build-if-missing path)."""
    base = tmp_path_factory.getbasetemp() / "web-shared"
    seeds, index, log = base / "seeds", base / "index", base / "build.log"
    if not (index / "CURRENT").exists():
        if base.exists():
            shutil.rmtree(base)
        shutil.copytree(SEEDS_DIR, seeds)
        (seeds / XSS_FILE).write_text(XSS_ARTICLE, encoding="utf-8")
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]);"
            "from qa.config import Settings; from qa.web.serving import ensure_index;"
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
