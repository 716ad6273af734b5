#!/usr/bin/env bash
# Database benchmark: the 1M-row customer CSV loaded into a PostgreSQL table (all columns text), then read by
# steward from the table and from the file, written back to a table, beside psql's \copy of the same rows.
# Needs a server: eval "$(bash .ci/databases start)" (exports STEWARD_TEST_PG_URL and STEWARD_TEST_PG_PASSWORD).
# Not part of the test suite.
#
#   bash bench/db.sh                       # release build, 1M rows
#   PROFILE=debug ROWS=200000 bash bench/db.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
PROFILE=${PROFILE:-release}
DATA=${DATA:-bench/data/customers_${ROWS}.csv}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
: "${STEWARD_TEST_PG_URL:?start a server first: eval \"\$(bash .ci/databases start)\"}"
export PGPASSWORD=${STEWARD_TEST_PG_PASSWORD:?}
URL=$STEWARD_TEST_PG_URL
[ -f "$DATA" ] || python3 bench/gen_customers.py --rows "$ROWS" --out "$DATA"
if [ "$PROFILE" = release ]; then cargo build --release --quiet; else cargo build --quiet; fi
BIN=target/$PROFILE/steward

# The table: every column text, as the file's header names them.
cols=$(head -1 "$DATA" | python3 -c 'import csv,sys; print(", ".join("\"%s\" text" % c for c in next(csv.reader(sys.stdin))))')
psql -q "$URL" -c "DROP TABLE IF EXISTS bench_customers; CREATE TABLE bench_customers ($cols)"
psql -q "$URL" -c "\\copy bench_customers FROM '$DATA' (FORMAT csv, HEADER)"

t() { # name, command...: best of 2 wall-clock seconds
  local name=$1; shift
  local best=""
  for _ in 1 2; do
    local s e
    # (validate exits 1 when the data has errors: the time still counts)
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
    local d; d=$(echo "$e - $s" | bc)
    if [ -z "$best" ] || [ "$(echo "$d < $best" | bc)" = 1 ]; then best=$d; fi
  done
  printf '%-58s %8.2f\n' "$name" "$best"
}

echo "steward $PROFILE build, $(nproc) cores; $ROWS rows, $(( $(stat -L -c %s "$DATA") / 1000000 )) MB"
printf '%-58s %8s\n' "command" "wall s"
t "psql \\copy (table to CSV file)" psql -q "$URL" -c "\\copy bench_customers TO '$OUT/psql.csv' (FORMAT csv, HEADER)"
t "steward import FILE -o out.csv" "$BIN" import "$DATA" -o "$OUT/file.csv" --force
t "steward import postgres --table -o out.csv" "$BIN" import "$URL" --table bench_customers -o "$OUT/db.csv" --force
t "steward validate FILE" "$BIN" validate "$DATA"
t "steward validate postgres --table" "$BIN" validate "$URL" --table bench_customers
t "psql \\copy (CSV file to table)" sh -c "psql -q '$URL' -c 'DROP TABLE IF EXISTS bench_psql; CREATE TABLE bench_psql (LIKE bench_customers)' && psql -q '$URL' -c \"\\\\copy bench_psql FROM '$DATA' (FORMAT csv, HEADER)\""
t "steward import FILE -o postgres --out-table (replace)" "$BIN" import "$DATA" -o "$URL" --out-table bench_out --if-exists replace
t "steward import postgres -o postgres (replace)" "$BIN" import "$URL" --table bench_customers -o "$URL" --out-table bench_out --if-exists replace
# The whole job: the same clean on the file and on the table, the table's cleaned rows loaded back.
t "steward clean FILE --out DIR" "$BIN" clean "$DATA" --out "$OUT/clean-file" --force
t "steward clean postgres --table --out DIR -o postgres (replace)" "$BIN" clean "$URL" --table bench_customers \
  --out "$OUT/clean-db" --force -o "$URL" --out-table bench_clean --if-exists replace
psql -q "$URL" -c "DROP TABLE IF EXISTS bench_customers, bench_psql, bench_out, bench_clean"
