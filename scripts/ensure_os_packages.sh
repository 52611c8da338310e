#!/usr/bin/env bash
# OS packages the test suite needs: Debian's chromium for the browser tests (driven by Playwright's
# Python package through its executable; Playwright's own browser download is never used).
# As root on Debian it installs what is missing; otherwise it says plainly what is missing.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)

if [ ${#missing[@]} -eq 0 ]; then
    echo "OS packages: chromium present ($(command -v chromium))"
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "OS packages: installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    command -v chromium >/dev/null 2>&1 || { echo "OS packages: chromium still missing after apt-get"; exit 1; }
    echo "OS packages: chromium installed ($(command -v chromium))"
else
    echo "OS packages MISSING: ${missing[*]}"
    echo "  install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}); browser tests will be skipped or fail without them"
fi
