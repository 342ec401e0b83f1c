#!/usr/bin/env bash
# Install Debian's Chromium when it is missing: the report's browser test (and the README
# screenshot) drive it with Playwright as /usr/bin/chromium, since Playwright's own browser
# download is not available. Idempotent; needs root (apt-get).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
echo "Installing chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium > /dev/null
