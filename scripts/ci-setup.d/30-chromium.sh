#!/usr/bin/env bash
# Debian's Chromium for the status-page browser test (driven by playwright-core, no browser download).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "chromium present: $(chromium --version 2>/dev/null || true)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
flock /tmp/apt.lock apt-get update -qq
flock /tmp/apt.lock apt-get install -y -qq --no-install-recommends chromium >/dev/null
chromium --version
