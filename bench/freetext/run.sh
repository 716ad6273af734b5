#!/usr/bin/env bash
# Recall and precision of the embedded-identifier scanner on a generated labelled set of notes:
#   bash bench/freetext/run.sh [ROWS] [SEED]      (default 20000 rows, seed 7; uses target/debug/steward
#                                                  unless STEWARD points at another binary)
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-20000}
seed=${2:-7}
bin=${STEWARD:-target/debug/steward}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/freetext/gen_notes.py --rows "$rows" --seed "$seed" --out "$work"
# A throwaway key: the tokens only have to be consistent within this run.
python3 -c 'import secrets; print(secrets.token_hex(32))' > "$work/k.key"
chmod 600 "$work/k.key"
"$bin" pseudonymize "$work/notes.csv" -o "$work/out.csv" --keep notes,country --key-file "$work/k.key" -q
python3 bench/freetext/score.py "$work/labels.jsonl" "$work/out.csv"
