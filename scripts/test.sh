#!/usr/bin/env bash
# `make test`: lint, migrations check, then the suite on SQLite and (CI, or DATABASE_URL set) on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
CI="${CI:-false}"
PG_URL="${DATABASE_URL:-}"
unset DATABASE_URL REDIS_URL
export DJANGO_SETTINGS_MODULE=egov.conf.settings.test
export EGOV_DATA_DIR="$(mktemp -d /tmp/egov-test-XXXXXX)"
trap 'rm -rf "$EGOV_DATA_DIR"' EXIT

scripts/setup-system.sh

echo "==> ruff"
$BIN/ruff check --quiet .
echo "==> makemigrations --check"
$BIN/python manage.py makemigrations --check --dry-run >/dev/null

if [ "$CI" = "true" ] && [ -z "$PG_URL" ]; then
  PG_URL="postgres://postgres@127.0.0.1:5432/egov_ci_$$_$(date +%s)"
fi
if [ -z "$PG_URL" ]; then
  echo "==> Bộ kiểm thử trên SQLite"
  $BIN/pytest -q "$@"
  exit 0
fi

if ! $BIN/python - "$PG_URL" <<'PY'
import sys, psycopg, dj_database_url
cfg = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], password=cfg["PASSWORD"],
                    dbname="postgres", connect_timeout=5).close()
except Exception as exc:
    print(f"Không kết nối được PostgreSQL ({cfg['HOST']}:{cfg['PORT']}): {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  exit 1
fi

# The two passes are independent (own data folder, own database, free ports, claimed Redis databases) and
# mostly wait on one core each: on the 2-core machine they run side by side, each line tagged with its pass.
echo "==> Bộ kiểm thử trên SQLite [sqlite] và trên PostgreSQL [postgres], chạy song song"
mkdir -p "$EGOV_DATA_DIR/sqlite" "$EGOV_DATA_DIR/postgres"
( EGOV_DATA_DIR="$EGOV_DATA_DIR/sqlite" $BIN/pytest -q --basetemp="$EGOV_DATA_DIR/sqlite/tmp" "$@" 2>&1 | sed -u 's/^/[sqlite] /'
  exit "${PIPESTATUS[0]}" ) &
SQLITE_PID=$!
( EGOV_DATA_DIR="$EGOV_DATA_DIR/postgres" DATABASE_URL="$PG_URL" $BIN/pytest -q --create-db \
    --basetemp="$EGOV_DATA_DIR/postgres/tmp" "$@" 2>&1 \
    | sed -u 's/^/[postgres] /'
  exit "${PIPESTATUS[0]}" ) &
PG_PID=$!
# `|| true`: under `set -e` a failing command in the trap would end the script with its status, and once both
# passes have ended there is nothing left to kill.
trap 'kill "$SQLITE_PID" "$PG_PID" 2>/dev/null || true; rm -rf "$EGOV_DATA_DIR"' EXIT
status=0
wait "$SQLITE_PID" || { status=$?; echo "==> SQLite: THẤT BẠI (mã $status)"; }
wait "$PG_PID" || { code=$?; status=$code; echo "==> PostgreSQL: THẤT BẠI (mã $code)"; }
[ "$status" -eq 0 ] && echo "==> Cả hai lượt kiểm thử đều đạt"
exit "$status"
