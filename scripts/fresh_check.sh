#!/usr/bin/env bash
# Run the README's two commands as a new user would: in a fresh clone of the committed HEAD, with
# an empty pip cache and no venv, the shared benchmark data beside it. Prints one line per step
# and exits non-zero when a command fails.
#   bash scripts/fresh_check.sh [WORKDIR]      (default: a new temporary folder)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
[ -e "$work/shared" ] || ln -s "$(cd "$repo/../shared" 2>/dev/null && pwd || echo /nonexistent)" "$work/shared"
rm -rf "$work/clone"
git clone --quiet "$repo" "$work/clone"
cd "$work/clone"
export PIP_CACHE_DIR="$work/pip-cache" PIP_NO_CACHE_DIR=1
rm -rf "$PIP_CACHE_DIR"
port=${PORT:-7911}
log() { printf 'fresh_check: %s\n' "$*"; }

log "commit $(git rev-parse --short HEAD) in $work/clone, empty pip cache"
start=$(date +%s)
# README command 2: set up and run the tests
if bash scripts/setup.sh && QA_REQUIRE_BROWSER=1 .venv/bin/python -m pytest -q > "$work/tests.log" 2>&1; then
  log "test command: passed in $(( $(date +%s) - start )) s ($(tail -1 "$work/tests.log"))"
else
  log "test command: FAILED ($(tail -1 "$work/tests.log")); see $work/tests.log"; exit 1
fi
du -sh .venv | sed 's/^/fresh_check: venv size /'
.venv/bin/python -c 'import torch; print("fresh_check: torch", torch.__version__, "cuda", torch.version.cuda)'
.venv/bin/pip list 2>/dev/null | grep -ci '^nvidia-' | sed 's/^/fresh_check: nvidia packages installed: /' || true

# README command 1: set up and start the web chat; ask it one question through its API
GRADIO_SERVER_PORT=$port bash -c 'bash scripts/setup.sh && .venv/bin/python app.py' > "$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true; pkill -f "app.py" -P $app 2>/dev/null || true' EXIT
for _ in $(seq 180); do
  curl -fs "http://127.0.0.1:$port/" > /dev/null && break
  sleep 2
done
answer=$(.venv/bin/python - "$port" <<'EOF'
import sys
from gradio_client import Client
result = Client(f"http://127.0.0.1:{sys.argv[1]}/", verbose=False).predict("北京经开区有多少家市级孵化器?", 3, api_name="/answer")
print(str(result)[:200])
EOF
) || { log "app command: no answer; see $work/app.log"; exit 1; }
log "app command: served on port $port; /answer gave: $answer"
