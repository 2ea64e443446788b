"""Load test of the web chat's API against ``answer()`` itself, in one run.

    .venv/bin/python bench/load_web.py                      # starts app.py on a free port
    .venv/bin/python bench/load_web.py --url http://127.0.0.1:7860
    .venv/bin/python bench/load_web.py -n 100 --threads 20 --top-k 3

First ``Engine.answer`` is called directly from N threads at once (the same questions, the same
concurrency) on the index in ``--index`` / ``QA_INDEX_DIR``; then, without ``--url``, the app is
started as ``python app.py`` on that index and the questions go through ``gradio_client``, one
client per thread. Every question must come back answered (an ``Answer.to_dict()`` with text, or
an abstention with its reason). Prints latency and questions/s of both and their ratio (target:
the API reaches at least 70% of the direct rate); exit status 1 if any request failed.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

QUESTIONS = [
    "北京经开区有多少家市级孵化器?",
    "中共中央政治局集体学习是哪一天走进中关村的?",
    "京津冀国家技术创新中心培育的硬科技企业中有几家是上市企业?",
    "中关村论坛创办于哪一年?",
    "2022年中关村从业人员有多少人?",
    "龙芯3A6000是哪一天发布的?",
    "北京经开区科技创新生态主题发布会在哪里举办?",
    "保定·中关村创新中心累计培育了多少家高新技术企业?",
    "北京的人工智能顶尖人才占全国总量的多少?",
    "火星上有多少座城市?",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(index: str | None, seeds: str | None, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ)
    if index:
        env["QA_INDEX_DIR"] = index
    if seeds:
        env["QA_SEEDS_DIR"] = seeds
    env.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    log = open(log_path, "wb")
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port)],
                            cwd=str(ROOT), env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"app.py exited with {proc.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit(f"app.py did not start in time; see {log_path}")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def run_direct(index: str | None, seeds: str | None, n: int, threads: int, top_k: int) -> float:
    """Questions/s of ``Engine.answer`` called from ``threads`` threads at once, in this process."""
    sys.path.insert(0, str(ROOT))
    from qa.answering import Engine
    from qa.config import Settings

    engine = Engine(Settings.from_env(index_dir=index, seeds_dir=seeds))
    engine.warm_up()
    questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(n)]
    for q in QUESTIONS:  # every code path once before the clock starts
        engine.answer(q, top_k)
    latencies: list[float] = []

    def ask(question: str) -> None:
        started = time.perf_counter()
        engine.answer(question, top_k)
        latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(ask, questions))
    total = time.perf_counter() - started
    print(f"answer() direct: {n} questions, {threads} threads: latency p50 {percentile(latencies, 50):.2f} s, "
          f"p95 {percentile(latencies, 95):.2f} s; total {total:.2f} s, throughput {n / total:.1f} questions/s")
    return n / total


def run(url: str, n: int, threads: int, top_k: int) -> tuple[int, float]:
    from gradio_client import Client

    questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(n)]
    local = threading.local()

    def client() -> Client:
        if getattr(local, "client", None) is None:
            local.client = Client(url, verbose=False)
        return local.client

    # one client per thread, connected before the clock starts
    with ThreadPoolExecutor(max_workers=threads) as pool:
        barrier = threading.Barrier(threads)

        def warm(_):
            client()
            barrier.wait(timeout=60)

        list(pool.map(warm, range(threads)))

        def ask(question: str) -> tuple[str, float, dict | None, str | None]:
            started = time.perf_counter()
            try:
                result = client().predict(question, top_k, api_name="/answer")
                return question, time.perf_counter() - started, result, None
            except Exception as exc:  # counted as a failure
                return question, time.perf_counter() - started, None, f"{type(exc).__name__}: {exc}"

        started = time.perf_counter()
        outcomes = list(pool.map(ask, questions))
        total = time.perf_counter() - started

    failures = []
    answered = abstained = 0
    for question, _, result, error in outcomes:
        if error is not None:
            failures.append(f"{question}: {error}")
        elif not isinstance(result, dict) or result.get("question") != question:
            failures.append(f"{question}: unexpected result {str(result)[:200]}")
        elif result.get("abstained"):
            if not result.get("reason"):
                failures.append(f"{question}: abstained without a reason")
            abstained += 1
        elif not result.get("text") or not result.get("citations"):
            failures.append(f"{question}: answer without text or citations")
        else:
            answered += 1
    by_question: dict[str, set[str]] = {}
    for question, _, result, _ in outcomes:
        if isinstance(result, dict):
            by_question.setdefault(question, set()).add(f"{result.get('text')}|{result.get('span')}")
    varying = sorted(q for q, texts in by_question.items() if len(texts) > 1)
    latencies = [latency for _, latency, _, _ in outcomes]
    print(f"url {url}: {n} questions, {threads} client threads, top_k {top_k}")
    print(f"answered {answered}, abstained {abstained}, failed {len(failures)}")
    print(f"latency p50 {percentile(latencies, 50):.2f} s, p95 {percentile(latencies, 95):.2f} s, "
          f"max {max(latencies):.2f} s, mean {statistics.mean(latencies):.2f} s")
    print(f"total {total:.2f} s, throughput {n / total:.1f} questions/s")
    print("same answer for every repeat of a question: " + ("yes" if not varying else f"NO ({len(varying)} questions vary)"))
    for failure in failures[:10]:
        print("FAILED", failure)
    return (1 if failures else 0), n / total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a running app (default: start app.py on a free port)")
    parser.add_argument("-n", "--questions", type=int, default=50, help="number of questions (50)")
    parser.add_argument("--threads", type=int, default=None, help="client threads (default: all at once)")
    parser.add_argument("--top-k", type=int, default=5, help="sources per answer (5)")
    parser.add_argument("--index", help="index folder for the started app (default $QA_INDEX_DIR or index/)")
    parser.add_argument("--seeds", help="articles folder for the started app (default $QA_SEEDS_DIR or seeds/)")
    args = parser.parse_args(argv)
    threads = args.threads or args.questions
    direct = run_direct(args.index, args.seeds, args.questions, threads, args.top_k)
    proc = None
    url = args.url
    if url is None:
        log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"load_web_app_{os.getpid()}.log"
        print(f"starting app.py (log: {log_path}) …", flush=True)
        started = time.perf_counter()
        proc, url = start_app(args.index, args.seeds, log_path)
        print(f"app ready in {time.perf_counter() - started:.1f} s", flush=True)
    try:
        status, api = run(url.rstrip("/"), args.questions, threads, args.top_k)
        print(f"API / direct: {api:.1f} / {direct:.1f} questions/s = {api / direct:.0%} (target >= 70%)")
        return status
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    sys.exit(main())
