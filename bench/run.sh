#!/usr/bin/env bash
# Import benchmark: a generated 1,000,000-row customer CSV (~160 MB) through `steward import` to CSV and
# to Parquet, beside `cat` (the floor) and a peer (the polars CSV reader/writer in Python, all columns as text).
# Then validate and normalize on the same file. Reports wall time, throughput and peak memory (GNU time).
# Not part of the test suite.
#
#   bash bench/run.sh              # 1M rows
#   ROWS=200000 bash bench/run.sh  # smaller
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
DATA=bench/data/customers_${ROWS}.csv
OUT=bench/data/out
mkdir -p bench/data "$OUT"
[ -f "$DATA" ] || python3 bench/gen_customers.py --rows "$ROWS" --out "$DATA"
cargo build --release --quiet
BIN=target/release/steward
BYTES=$(stat -c %s "$DATA")

# The peer lives in a git-ignored venv.
if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
    bench/.venv/bin/pip install --quiet polars
fi

printf '%s\n' "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m); input: $ROWS rows, $((BYTES / 1000000)) MB"
printf '%-34s %8s %10s %12s %10s\n' "command" "wall s" "MB/s" "peak RSS MB" "RSS/input"
run() {
    local name=$1; shift
    local best=""
    local rss=0
    for _ in 1 2 3; do
        /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" >/dev/null 2>"$OUT/stderr" || { cat "$OUT/stderr"; exit 1; }
        read -r secs kb < "$OUT/time"
        if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; rss=$kb; fi
    done
    awk -v n="$name" -v s="$best" -v kb="$rss" -v b="$BYTES" 'BEGIN{
        printf "%-34s %8.2f %10.0f %12.0f %10.2f\n", n, s, (s>0? b/1e6/s : 0), kb/1024, kb*1024/b }'
}
run "cat (floor)" sh -c "cat '$DATA' > '$OUT/cat.csv'"
run "steward import -> /dev/null" "$BIN" import "$DATA" -o /dev/null -q
run "steward import -> csv" "$BIN" import "$DATA" -o "$OUT/s.csv" --force -q
run "steward import -> parquet" "$BIN" import "$DATA" -o "$OUT/s.parquet" --force -q
run "polars (python) read+write csv" bench/.venv/bin/python -c "import polars as pl; pl.read_csv('$DATA', infer_schema=False).write_csv('$OUT/p.csv')"
run "polars (python) csv -> parquet" bench/.venv/bin/python -c "import polars as pl; pl.read_csv('$DATA', infer_schema=False).write_parquet('$OUT/p.parquet')"
# Validation and normalization of every field of the built-in schema (rows per second = ROWS / wall s).
run "steward validate" "$BIN" validate "$DATA" --fail-on never --as-of 2026-11-01 -q
run "steward normalize -> csv" "$BIN" normalize "$DATA" -o "$OUT/n.csv" --force --as-of 2026-11-01 -q
# Protecting personal data: a throwaway key (never kept), four tokenized columns with everything else kept,
# the default policy, and erasure of 1,000 requested identifiers.
KEY=$OUT/bench.key
rm -f "$KEY"
"$BIN" key new "$KEY" -q
KEEP=resident_id,address,birth_date,postcode,gender,city,province,Notes
run "steward pseudonymize (4 tokens)" "$BIN" pseudonymize "$DATA" -o "$OUT/p4.csv" --key-file "$KEY" \
    --token id,name,email,mobile --keep "$KEEP" --force -q
run "steward pseudonymize (default)" "$BIN" pseudonymize "$DATA" -o "$OUT/pd.csv" --key-file "$KEY" --force -q
awk -F, 'NR>1 && NR%1000==0 {print $4}' "$DATA" > "$OUT/requests.txt"
run "steward erase (1,000 requests)" "$BIN" erase "$DATA" --requests "$OUT/requests.txt" -o "$OUT/e.csv" \
    --receipt "$OUT/receipt.json" --key-file "$KEY" --force -q
# Flat memory: the same file five times over (5,000,000 rows) through pseudonymize.
if [ "${FLAT:-1}" = 1 ]; then
    BIG=$OUT/customers_x5.csv
    { cat "$DATA"; for _ in 1 2 3 4; do tail -n +2 "$DATA"; done; } > "$BIG"
    BYTES=$(stat -c %s "$BIG")
    run "steward pseudonymize x5 (4 tokens)" "$BIN" pseudonymize "$BIG" -o "$OUT/p5.csv" --key-file "$KEY" \
        --token id,name,email,mobile --keep "$KEEP" --force -q
    rm -f "$BIG" "$OUT/p5.csv"
fi
rm -f "$KEY"
