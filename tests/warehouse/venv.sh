#!/usr/bin/env bash
# Creates (or refreshes) the git-ignored venv tests/warehouse/.venv holding the pinned DuckDB of
# requirements.txt, for the differential test of `steward model sql` (tests/it/warehouse.rs). Idempotent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
stamp="$venv/requirements.installed"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && cmp -s "$here/requirements.txt" "$stamp"; then
    exit 0
fi
rm -rf "$venv"
python3 -m venv "$venv" || { echo "error: python3 -m venv failed; install python3-venv" >&2; exit 1; }
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
cp "$here/requirements.txt" "$stamp"
echo "warehouse venv ready: $venv"
