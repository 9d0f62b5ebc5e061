#!/usr/bin/env bash
# `make run`: migrate, load the demo province, start the task worker, serve on http://127.0.0.1:$PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-egov.conf.settings.dev}"
PORT="${PORT:-8000}"
export EGOV_DATA_DIR="${EGOV_DATA_DIR:-$PWD/var}"
mkdir -p "$EGOV_DATA_DIR"

echo "==> Dữ liệu của phiên bản này: $EGOV_DATA_DIR"
$PY manage.py migrate --noinput -v 0
# Every demo data set (idempotent) from one process: see src/egov/core/management/commands/demo_load.py.
$PY manage.py demo_load

# The worker and the server run in process groups of their own (set -m), so Ctrl-C reaches this script only,
# which then stops each of them once: granian's worker process hangs when it receives the terminal's SIGINT
# directly, alongside its master, right after serving a request.
set -m
echo "==> Khởi động tiến trình xử lý nền (worker)"
$PY manage.py run_worker &
WORKER_PID=$!

echo "==> Phục vụ tại http://127.0.0.1:$PORT  (Ctrl-C để dừng)"
.venv/bin/granian --interface wsgi --host 127.0.0.1 --port "$PORT" \
  --workers "${WEB_WORKERS:-1}" --blocking-threads 1 --no-ws --log-level warning \
  egov.wsgi:application &
SERVER_PID=$!

stop() {
  trap - INT TERM EXIT
  kill -INT "$SERVER_PID" "$WORKER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  wait "$WORKER_PID" 2>/dev/null || true
  echo "==> Đã dừng máy chủ và tiến trình xử lý nền."
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT
wait "$SERVER_PID"
