#!/bin/sh
# deps.sh -- install the Debian packages sparsedse needs that are missing (root or sudo), else print the command.
# usage: scripts/deps.sh [fuzz]   (fuzz: also clang and its libFuzzer/sanitizer runtime, for make fuzz)
set -e
PKGS="build-essential pkg-config libyaml-dev libsqlite3-dev sqlite3 check gnuplot-nox"
[ "${1:-}" = fuzz ] && PKGS="$PKGS clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"
else
    echo "deps.sh: error: missing packages:$missing" >&2
    echo "run: sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "deps.sh: installing$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
