#!/usr/bin/env bash
# Dedupe benchmark: Splink 5 (DuckDB) vs `steward dedupe` on FEBRL 1-3 (their own headers) and generated
# customer lists with ground truth. Generates missing datasets, scores pairwise precision / recall / F1, prints
# a markdown table. Splink runs twice on FEBRL: with the setup written beside steward's automatic one
# (comparable) and with the FEBRL setup of issue #18 (febrl; see splink_run.py). steward runs with no
# settings at all: `steward dedupe febrl1.csv`.
# Not part of the test suite; does not build steward (uses ./target/release/steward when present).
#
#   bash bench/dedupe/run.sh          # febrl1-3, dd_intl_5k, dd_cn_5k
#   bash bench/dedupe/run.sh --big    # also the 1M-row mix (dd_1m) through both tools
#   SPLINK_THREADS=1 SPLINK_MEMORY=4GB bash bench/dedupe/run.sh   # cap DuckDB threads / memory
#   STEWARD=/path/to/steward bash bench/dedupe/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BIG=0
[ "${1:-}" = "--big" ] && BIG=1
PY=bench/.venv/bin/python
D=bench/data
BIN=${STEWARD:-./target/release/steward}  # override to test another binary (or a missing one to skip)
OUT=$(mktemp -d)
RESULTS=$OUT/results.jsonl
trap 'rm -rf "$OUT"' EXIT
mkdir -p "$D"

if [ ! -x "$PY" ]; then
    python3 -m venv bench/.venv
    "$PY" -m pip install --quiet polars 'splink>=5,<6' recordlinkage duckdb
fi

# ---- datasets ------------------------------------------------------------------------------------------
# (an export from before FEBRL kept its own headers is written again)
for n in 1 2 3; do
    [ -f "$D/febrl$n.csv" ] && [ -f "$D/febrl${n}_truth.csv" ] && head -1 "$D/febrl$n.csv" | grep -q '^rec_id,' \
        || { "$PY" bench/dedupe/febrl.py --out-dir "$D"; break; }
done
gen() {  # name flavor n dup-rate seed [extra args]
    local name=$1 flavor=$2 n=$3 rate=$4 seed=$5; shift 5
    [ -f "$D/$name.csv" ] && [ -f "$D/${name}_truth.csv" ] && return 0
    "$PY" bench/dedupe/gen_dedupe.py --flavor "$flavor" --n "$n" --dup-rate "$rate" --seed "$seed" \
        --out "$D/$name.csv" --truth "$D/${name}_truth.csv" "$@"
}
gen dd_intl_5k intl 5000 0.2 11
gen dd_cn_5k cn 5000 0.2 12
# Same seed, same rows, GBK-encoded (steward must detect the encoding); truth is dd_cn_5k_truth.csv.
[ -f "$D/dd_cn_5k_gbk.csv" ] || "$PY" bench/dedupe/gen_dedupe.py --flavor cn --n 5000 --dup-rate 0.2 --seed 12 \
    --out "$D/dd_cn_5k_gbk.csv" --encoding gbk --quiet
[ "$BIG" = 1 ] && gen dd_1m mix 1000000 0.1 3

# ---- runs ----------------------------------------------------------------------------------------------
splink() {  # data truth name [setup]
    local extra=(--setup "${4:-comparable}")
    [ -n "${SPLINK_THREADS:-}" ] && extra+=(--threads "$SPLINK_THREADS")
    [ -n "${SPLINK_MEMORY:-}" ] && extra+=(--memory-limit "$SPLINK_MEMORY")
    if /usr/bin/time -f '%e %M' -o "$OUT/time" "$PY" bench/dedupe/splink_run.py "$1" "$2" --name "$3" "${extra[@]}" \
        >"$OUT/splink.json" 2>"$OUT/splink.err"; then
        read -r _ kb < "$OUT/time"
        "$PY" -c 'import json,sys; d=json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); d["peak_mb"]=round(int(sys.argv[2])/1024,1); print(json.dumps(d, ensure_ascii=False))' \
            "$OUT/splink.json" "$kb" >> "$RESULTS"
    else
        echo "splink failed on $3:" >&2; tail -5 "$OUT/splink.err" >&2
    fi
}
steward() {  # data truth name
    [ -x "$BIN" ] || return 0
    rm -f /tmp/golden.csv /tmp/clusters.csv
    if /usr/bin/time -f '%e %M' -o "$OUT/time" "$BIN" dedupe "$1" -o /tmp/golden.csv --clusters /tmp/clusters.csv --force \
        >/dev/null 2>"$OUT/steward.err" && [ -s /tmp/clusters.csv ]; then
        read -r secs kb < "$OUT/time"
        # FEBRL's own id column is rec_id; steward's clusters keep the input's header.
        local idc=id
        head -1 /tmp/clusters.csv | tr ',' '\n' | grep -qx id || idc=rec_id
        "$PY" bench/dedupe/evaluate.py "$2" /tmp/clusters.csv --id-col "$idc" --name "$3" --seconds "$secs" \
            --peak-kb "$kb" >> "$RESULTS" \
            || echo "evaluate.py failed on steward output for $3" >&2
    else
        echo "steward dedupe unavailable or failed on $3 (skipped): $(tail -1 "$OUT/steward.err" 2>/dev/null)" >&2
    fi
}

SETS=(febrl1 febrl2 febrl3 dd_intl_5k dd_cn_5k)
[ "$BIG" = 1 ] && SETS+=(dd_1m)
for s in "${SETS[@]}"; do
    echo "running $s ..." >&2
    splink "$D/$s.csv" "$D/${s}_truth.csv" "$s"
    case $s in febrl*) splink "$D/$s.csv" "$D/${s}_truth.csv" "$s" febrl ;; esac
    steward "$D/$s.csv" "$D/${s}_truth.csv" "$s"
done
# The GBK copy only through steward (Splink's reader is UTF-8 only; the content equals dd_cn_5k).
steward "$D/dd_cn_5k_gbk.csv" "$D/dd_cn_5k_truth.csv" dd_cn_5k_gbk

# ---- table ---------------------------------------------------------------------------------------------
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; steward: $([ -x "$BIN" ] && echo "$BIN" || echo "$BIN not found, skipped")"
"$PY" - "$RESULTS" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def f(v, spec):
    return "n/a" if v is None else format(v, spec)
print("| dataset | records | tool | candidate pairs | precision | recall | F1 | seconds | peak MB |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
for r in rows:
    tool = r["tool"] + (f" ({r['setup']} setup)" if r.get("setup") else "")
    print(f"| {r['dataset']} | {r['records']:,} | {tool} | {f(r.get('candidate_pairs'), ',')} | "
          f"{r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {f(r.get('seconds'), '.2f')} | "
          f"{f(r.get('peak_mb'), '.0f')} |")
EOF
