#!/usr/bin/env bash
# The saved model scored in DuckDB beside native steward (#17), on the generated international list with
# 10 % fuzzy duplicates and its truth (bench/scale/gen_scale.py). Native: `steward dedupe --save-model` (trains,
# scores and clusters). Warehouse: `steward model features` (one machine, streaming, parallel), the model's SQL
# run by DuckDB over the features (the engine's part), `steward model cluster` over DuckDB's pairs. Reports
# each step's wall time and peak RSS, the pairs, whether the clusters are the native ones, and pairwise F1 of
# both against the truth. Not part of the test suite; builds the release binary unless STEWARD names one.
#
#   bash bench/warehouse/run.sh                  # 1M rows
#   ROWS=10000000 bash bench/warehouse/run.sh    # 10M rows (generate with bench/scale/gen_scale.py first)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-1000000}
D=bench/data
DATA=$D/scale_${ROWS}.csv
TRUTH=$D/scale_${ROWS}_truth.csv
PY=bench/.venv/bin/python
OUT=${OUT:-$D/warehouse_out}
mkdir -p "$D" "$OUT"
if [ ! -x "$PY" ]; then
    python3 -m venv bench/.venv
    "$PY" -m pip install --quiet polars 'splink>=5,<6' duckdb
fi
bash tests/warehouse/venv.sh >/dev/null
DUCK=tests/warehouse/.venv/bin/python
[ -f "$DATA" ] && [ -f "$TRUTH" ] || python3 bench/scale/gen_scale.py --rows "$ROWS" --out "$DATA" --truth "$TRUTH"
[ -n "${STEWARD:-}" ] || cargo build --release --quiet
BIN=${STEWARD:-target/release/steward}
rm -f "$OUT"/*
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; input: $ROWS rows; steward $("$BIN" --version | awk '{print $2}') ($(git rev-parse --short HEAD)); duckdb $("$DUCK" -c 'import duckdb; print(duckdb.__version__)')"
step() { # NAME CMD...: run, print wall time and peak RSS
    local name=$1; shift
    /usr/bin/time -f '%e %M' -o "$OUT/time" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err" || { tail -5 "$OUT/$name.err"; exit 1; }
    read -r secs kb < "$OUT/time"
    printf '  %-34s %8.1f s  %6.2f GB\n' "$name" "$secs" "$(echo "$kb / 1048576" | bc -l)"
}
echo "native steward:"
step "dedupe (train, score, cluster)" "$BIN" dedupe "$DATA" --save-model "$OUT/model.json" -o "$OUT/golden.csv" \
    --clusters "$OUT/clusters-native.csv" -q
echo "warehouse (DuckDB scores the pairs):"
step "model features" "$BIN" model features "$DATA" --model "$OUT/model.json" -o "$OUT/features.parquet" -q
"$BIN" model sql --model "$OUT/model.json" -o "$OUT/predict.sql" -q
step "duckdb: the model's SQL" "$DUCK" tests/warehouse/score.py "$OUT/features.parquet" "$OUT/predict.sql" "$OUT/pairs.parquet"
step "model cluster" "$BIN" model cluster "$DATA" --model "$OUT/model.json" --pairs "$OUT/pairs.parquet" \
    -o "$OUT/clusters-duckdb.csv" -q
echo "  features: $(du -h "$OUT/features.parquet" | cut -f1); pairs from DuckDB: $("$DUCK" -c "import duckdb,sys; print(duckdb.sql(\"select count(*) from '$OUT/pairs.parquet'\").fetchall()[0][0])")"
if cmp -s "$OUT/clusters-native.csv" "$OUT/clusters-duckdb.csv"; then
    echo "  clusters: identical to native, byte for byte"
else
    echo "  clusters: DIFFER from native"
fi
for side in native duckdb; do
    "$PY" bench/dedupe/evaluate.py "$TRUTH" "$OUT/clusters-$side.csv" --id-col id --cluster-col cluster_id \
        --name "warehouse_${side}_$ROWS" | tail -1
done
