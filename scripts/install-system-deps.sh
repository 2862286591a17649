#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing and we are allowed to:
# postgresql (server), chromium (browser tests), fonts-thai-tlwg (Thai text in Chromium).
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi tlwg || [ -d /usr/share/fonts/truetype/tlwg ] || need+=(fonts-thai-tlwg)
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
