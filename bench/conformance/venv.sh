#!/usr/bin/env bash
# Creates (or refreshes) the git-ignored venv bench/conformance/.venv holding the pinned reference
# implementations of requirements.txt. Idempotent: does nothing when the venv already holds exactly them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
stamp="$venv/requirements.installed"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && cmp -s "$here/requirements.txt" "$stamp"; then
    exit 0
fi
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "error: the conformance suite needs Python 3.11 or later (tomllib); found $(python3 --version 2>&1)" >&2; exit 1; }
if ! python3 -m venv "$venv" 2>/dev/null; then
    # Debian's python3 ships venv (ensurepip) in a package of its own.
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null 2>&1 \
            || { DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 \
                 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null; }
        rm -rf "$venv"
        python3 -m venv "$venv"
    else
        echo "error: python3 -m venv failed; install python3-venv" >&2
        exit 1
    fi
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
cp "$here/requirements.txt" "$stamp"
echo "conformance venv ready: $venv"
