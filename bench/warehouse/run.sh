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
#   ROWS=100000 SPARK=1 bash bench/warehouse/run.sh  # also --dialect spark on local pyspark (Java 17)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-1000000}
D=bench/data
DATA=$D/scale_${ROWS}.csv
TRUTH=$D/scale_${ROWS}_truth.csv
PY=bench/.venv/bin/python
OUT=${OUT:-$D/warehouse_out}
mkdir -p "$D" "$OUT"
SPARK=${SPARK:-0}
if [ ! -x "$PY" ]; then
    python3 -m venv bench/.venv
    "$PY" -m pip install --quiet polars 'splink>=5,<6' duckdb
fi
if [ "$SPARK" = 1 ] && ! "$PY" -c 'import pyspark' 2>/dev/null; then
    "$PY" -m pip install --quiet 'pyspark==4.3.0'
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
sides="native duckdb"
if [ "$SPARK" = 1 ]; then
    echo "spark (local[2], $("$PY" -c 'import pyspark; print(pyspark.__version__)'); st_jw as a Python UDF):"
    "$BIN" model sql --model "$OUT/model.json" --dialect spark -o "$OUT/predict-spark.sql" -q
    step "spark: the model's SQL" "$PY" bench/warehouse/spark_run.py "$OUT/features.parquet" "$OUT/predict-spark.sql" \
        "$OUT/pairs-spark.csv"
    step "model cluster (spark's pairs)" "$BIN" model cluster "$DATA" --model "$OUT/model.json" \
        --pairs "$OUT/pairs-spark.csv" -o "$OUT/clusters-spark.csv" -q
    "$BIN" model score "$DATA" --model "$OUT/model.json" -o "$OUT/native-scores.csv" -q
    "$PY" - "$OUT/native-scores.csv" "$OUT/pairs-spark.csv" <<'PYEOF'
import csv, sys
def load(p):
    with open(p) as f:
        return {(r["row_a"], r["row_b"]): r for r in csv.DictReader(f)}
a, b = load(sys.argv[1]), load(sys.argv[2])
levels = [c for c in next(iter(a.values())).keys() if c.endswith("_level")] + ["guard"] if a else []
same = sum(1 for k in a.keys() & b.keys() if all(a[k][c] == b[k][c] for c in levels))
dp = max((abs(float(a[k]["match_probability"]) - float(b[k]["match_probability"])) for k in a.keys() & b.keys()), default=0)
print(f"  spark pairs {len(b):,}, native {len(a):,}: {len(a.keys() - b.keys())} only native, {len(b.keys() - a.keys())} only spark; "
      f"{same:,} with identical levels and guard; max |dp| {dp:.2e}")
PYEOF
    if cmp -s "$OUT/clusters-native.csv" "$OUT/clusters-spark.csv"; then
        echo "  clusters of spark's pairs: identical to native, byte for byte"
    else
        echo "  clusters of spark's pairs: DIFFER from native"
    fi
    sides="$sides spark"
fi
for side in $sides; do
    "$PY" bench/dedupe/evaluate.py "$TRUTH" "$OUT/clusters-$side.csv" --id-col id --cluster-col cluster_id \
        --name "warehouse_${side}_$ROWS" | tail -1
done
