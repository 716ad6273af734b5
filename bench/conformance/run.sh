#!/usr/bin/env bash
# Differential conformance of steward's field checks and Table Schema validation against reference
# implementations (libphonenumber, python-stdnum, email-validator, python-dateutil, frictionless): see
# conformance.py. Writes bench/data/conformance/report.md, report.json and disagreements.csv, and fails when a
# category has more unexplained disagreements than baseline.json allows.
#
#   bash bench/conformance/run.sh                      # the debug build (cargo build first)
#   STEWARD=target/release/steward bash bench/conformance/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
bash bench/conformance/venv.sh
STEWARD=${STEWARD:-target/debug/steward}
[ -x "$STEWARD" ] || cargo build --quiet
exec bench/conformance/.venv/bin/python bench/conformance/conformance.py --steward "$STEWARD" \
    --out bench/data/conformance --check bench/conformance/baseline.json "$@"
