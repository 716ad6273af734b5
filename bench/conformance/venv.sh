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
# .ci/run installs python3-venv where Debian's python3 lacks it.
python3 -m venv "$venv" || { echo "error: python3 -m venv failed; install python3-venv" >&2; exit 1; }
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
cp "$here/requirements.txt" "$stamp"
echo "conformance venv ready: $venv"
