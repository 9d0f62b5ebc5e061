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
$PY manage.py collectstatic --noinput -v 0
$PY manage.py load_demo

echo "==> Khởi động tiến trình xử lý nền (worker)"
$PY manage.py run_worker &
WORKER_PID=$!
cleanup() {
  kill "$WORKER_PID" 2>/dev/null || true
  wait "$WORKER_PID" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

echo "==> Phục vụ tại http://127.0.0.1:$PORT  (Ctrl-C để dừng)"
.venv/bin/granian --interface wsgi --host 127.0.0.1 --port "$PORT" \
  --workers "${WEB_WORKERS:-1}" --blocking-threads 1 --no-ws --log-level warning \
  egov.wsgi:application
