#!/usr/bin/env bash
# make bench [QUICK=1]: every benchmark under bench/, then the summary table of bench/README.md (bench/run_all.py).
# QUICK=1: small data and short load runs (under 5 minutes); its summary goes to a section of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
if [[ "${QUICK:-}" == "1" ]]; then
  args+=(--quick)
fi
if [[ -n "${ONLY:-}" ]]; then
  args+=(--only "$ONLY")
fi
exec .venv/bin/python bench/run_all.py "${args[@]}"
