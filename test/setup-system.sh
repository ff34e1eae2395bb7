#!/usr/bin/env bash
# Installs the system packages the tests need on Debian 12 (run as root): Chromium for the end-to-end
# tests, socat for serial pty pairs, CUPS with the cups-pdf queue for A4 printing, poppler for PDF checks,
# espeak-ng for the UI's spoken guidance (the build renders its phrases), and a font. Does nothing when
# they are already there.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v cupsd >/dev/null 2>&1 || need+=(cups)
[ -x /usr/lib/cups/backend/cups-pdf ] || need+=(printer-driver-cups-pdf)
command -v pdfinfo >/dev/null 2>&1 || need+=(poppler-utils)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-system: missing ${need[*]}; run as root or install them" >&2
    exit 1
  fi
  echo "setup-system: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
