#!/usr/bin/env bash
# OS packages the system and its test suite need:
# - Debian's chromium for the browser tests (driven by Playwright's Python package through its
#   executable; Playwright's own browser download is never used);
# - pango (with harfbuzz and fontconfig) and a font with Cyrillic letters for WeasyPrint, which
#   renders the printable documents (invoices, sale documents, reconciliation statements) as PDF.
# As root on Debian it installs what is missing; otherwise it says plainly what is missing.
set -euo pipefail

# grep reads all of ldconfig's output: with -q it would stop at the first match, and ldconfig's SIGPIPE
# would fail the pipeline under pipefail (a library found would count as missing).
has_lib() { ldconfig -p 2>/dev/null | grep -F "$1" >/dev/null; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
has_lib "libpango-1.0.so.0" || missing+=(libpango-1.0-0)
has_lib "libpangoft2-1.0.so.0" || missing+=(libpangoft2-1.0-0)
has_lib "libharfbuzz-subset.so.0" || missing+=(libharfbuzz-subset0)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -eq 0 ]; then
    echo "OS packages: chromium ($(command -v chromium)), pango and DejaVu fonts present"
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "OS packages: installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    command -v chromium >/dev/null 2>&1 || { echo "OS packages: chromium still missing after apt-get"; exit 1; }
    has_lib "libpango-1.0.so.0" || { echo "OS packages: pango still missing after apt-get"; exit 1; }
    echo "OS packages: installed ${missing[*]}"
else
    echo "OS packages MISSING: ${missing[*]}"
    echo "  install them (Debian/Ubuntu: sudo apt-get install ${missing[*]});"
    echo "  without chromium the browser tests are skipped or fail; without pango and the fonts the"
    echo "  printable documents (PDF) cannot be rendered and their pages answer 503"
fi
