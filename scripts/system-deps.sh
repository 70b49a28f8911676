#!/usr/bin/env bash
# Checks what briefgen needs from the operating system: Python 3.11+ with venv, WeasyPrint's
# libraries (Pango; HarfBuzz subsetting, without which WeasyPrint warns and runs ~1.5x slower)
# and the fonts the templates use. As root on Debian/Ubuntu it installs what is missing with
# apt-get; otherwise it prints the one command to run and stops.
set -euo pipefail

PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0   # WeasyPrint
  fonts-liberation2                                      # Liberation Sans: Arial's metrics
  fonts-noto-core                                        # Thai, Khmer, Lao, Burmese, Vietnamese
  fonts-noto-cjk                                         # Chinese (Noto Sans CJK)
  poppler-utils                                          # pdftotext, pdffonts: the tests read PDFs
)
PYTHON=${PYTHON:-python3}

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "briefgen needs Python 3.11 or newer as '$PYTHON' (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi
if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
  PACKAGES+=(python3-venv)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  # Not Debian: check by what the packages provide.
  missing=()
  ldconfig -p 2>/dev/null | grep -q libpango-1.0.so.0 || missing+=("Pango")
  ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset.so.0 || missing+=("HarfBuzz subset library")
  fc-list 2>/dev/null | grep -q "Liberation Sans" || missing+=("Liberation Sans fonts")
  fc-list 2>/dev/null | grep -q "Noto Sans Thai" || missing+=("Noto Sans fonts (Thai, Khmer, Lao, Myanmar)")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "briefgen needs: ${missing[*]}. Install them with your package manager, then run make again." >&2
    exit 1
  fi
  exit 0
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "briefgen needs system packages. Run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
fc-cache -f >/dev/null 2>&1 || true
