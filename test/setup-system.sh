#!/usr/bin/env bash
# Installs the system packages the tests need on Debian 12 (run as root): Chromium for the end-to-end
# tests, socat for serial pty pairs, CUPS with the cups-pdf queue for A4 printing, poppler for PDF checks,
# Prometheus and Alertmanager for the fleet tests, the Debian packaging tools, espeak-ng for the UI's
# spoken guidance (the build renders its phrases), and a font. Does nothing when they are already there.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v cupsd >/dev/null 2>&1 || need+=(cups)
[ -x /usr/lib/cups/backend/cups-pdf ] || need+=(printer-driver-cups-pdf)
command -v pdfinfo >/dev/null 2>&1 || need+=(poppler-utils)
# The package test (test/packaging/deb.test.ts): dpkg-deb and strip build the .deb, lintian checks it,
# systemd-analyze verifies its units, adduser makes its user, reprepro and gpg make the signed apt
# repository; cage and chromium run its screen.
command -v lintian >/dev/null 2>&1 || need+=(lintian)
command -v strip >/dev/null 2>&1 || need+=(binutils)
command -v adduser >/dev/null 2>&1 || need+=(adduser)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
command -v cage >/dev/null 2>&1 || need+=(cage)
command -v reprepro >/dev/null 2>&1 || need+=(reprepro)
command -v gpg >/dev/null 2>&1 || need+=(gnupg)
# The fleet tests run the real Prometheus (and promtool) and Alertmanager (and amtool).
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
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
