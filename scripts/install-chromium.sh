#!/usr/bin/env bash
# Installs Debian's chromium (the browser sign-in tests drive it with playwright-core;
# nothing downloads a browser of its own) when it is missing. Uses sudo unless root.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  as_root=""
  if [ "$(id -u)" != "0" ]; then as_root="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $as_root apt-get update -qq
  $as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
chromium --version
