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

echo "==> Bộ kiểm thử trên SQLite"
$BIN/pytest -q "$@"

if [ "$CI" = "true" ] && [ -z "$PG_URL" ]; then
  PG_URL="postgres://postgres@127.0.0.1:5432/egov_ci_$$_$(date +%s)"
fi
if [ -n "$PG_URL" ]; then
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
  echo "==> Bộ kiểm thử trên PostgreSQL"
  DATABASE_URL="$PG_URL" $BIN/pytest -q --create-db "$@"
fi
