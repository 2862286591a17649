#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing and we are allowed to:
# postgresql (server), chromium (browser tests), fonts-thai-tlwg (Thai text in Chromium and in PDF statements),
# the Pango libraries WeasyPrint draws PDFs with, and poppler-utils (pdftotext: the statement PDF tests).
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi tlwg || [ -d /usr/share/fonts/truetype/tlwg ] || need+=(fonts-thai-tlwg)
has_lib() { ldconfig -p 2>/dev/null | grep -q "$1" || ls /usr/lib/*/"$1"* >/dev/null 2>&1; }
has_lib libpango-1.0.so.0 || need+=(libpango-1.0-0)
has_lib libpangoft2-1.0.so.0 || need+=(libpangoft2-1.0-0)
command -v pdftotext >/dev/null || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" != 0 ]; then
  if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "Missing Debian packages: ${need[*]}. Install them (sudo apt-get install ${need[*]}) and rerun." >&2
    exit 1
  fi
fi
echo "Installing Debian packages: ${need[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
