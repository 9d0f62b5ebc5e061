#!/usr/bin/env bash
# `make prod-check`: Django's deployment checklist against the production settings, warnings included.
# Uses a throw-away secret key, host list and data folder: it checks the settings, not a live server.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
DATA_DIR="$(mktemp -d /tmp/egov-prod-check-XXXXXX)"
trap 'rm -rf "$DATA_DIR"' EXIT

unset DJANGO_ALLOW_ASYNC_UNSAFE DEBUG
export DJANGO_SETTINGS_MODULE=egov.conf.settings.production
export EGOV_DATA_DIR="$DATA_DIR"
export SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(64))')"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-dichvucong.camau.gov.vn}"

echo "==> manage.py check --deploy (cấu hình production)"
$PY manage.py check --deploy --fail-level WARNING
