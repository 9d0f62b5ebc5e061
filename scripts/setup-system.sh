#!/usr/bin/env bash
# System packages the platform and its tests need (Debian): Chromium for browser tests, Pango for WeasyPrint
# (one-stop forms as PDF), fonts with Vietnamese glyphs, Tesseract with Vietnamese data, Ghostscript and qpdf
# for OCRmyPDF (scanned incoming documents).
# Idempotent: installs only what is missing.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pg_dump >/dev/null || need+=(postgresql-client)   # manage.py backup / restore on PostgreSQL
for pkg in fonts-noto-core fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 \
           tesseract-ocr tesseract-ocr-vie ghostscript qpdf; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    echo "Cần cài các gói hệ thống: ${need[*]} (chạy với quyền root)" >&2
    exit 1
  fi
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "==> Cài gói hệ thống: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
