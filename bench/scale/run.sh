#!/usr/bin/env bash
# The whole job at scale (#19): `steward clean --key-file` on a generated international customer list with 10 %
# fuzzy duplicates and its truth. Reports wall time and peak RSS of the run, each stage's time (report.json),
# bytes written per input byte, the rows reconciled, and pairwise precision / recall / F1 of the golden records
# against the truth. With SPLINK=1 (default at or under 1M rows) Splink 5 on DuckDB dedupes the same file in the
# same run, for the README's table (bench/dedupe/splink_run.py, its comparable setup). Not part of the test
# suite; builds the release binary unless STEWARD names one.
#
#   bash bench/scale/run.sh                       # 10M rows (1.4 GB); generating it takes ~4 min of CPU once
#   ROWS=1000000 bash bench/scale/run.sh          # 1M, with Splink beside it
#   ROWS=50000000 SPLINK=0 bash bench/scale/run.sh  # 50M (7.5 GB), by hand: ~20 min of CPU to generate
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-10000000}
SPLINK=${SPLINK:-$([ "$ROWS" -le 1000000 ] && echo 1 || echo 0)}
D=bench/data
DATA=$D/scale_${ROWS}.csv
TRUTH=$D/scale_${ROWS}_truth.csv
PY=bench/.venv/bin/python
OUT=${OUT:-$D/scale_out}
mkdir -p "$D" "$OUT"
if [ ! -x "$PY" ]; then
    python3 -m venv bench/.venv
    "$PY" -m pip install --quiet polars 'splink>=5,<6' duckdb
fi
[ -f "$DATA" ] && [ -f "$TRUTH" ] || python3 bench/scale/gen_scale.py --rows "$ROWS" --out "$DATA" --truth "$TRUTH"
[ -n "${STEWARD:-}" ] || cargo build --release --quiet
BIN=${STEWARD:-target/release/steward}
KEY=$OUT/bench.key
rm -rf "$OUT/run" "$KEY"
"$BIN" key new "$KEY" -q
BYTES=$(stat -c %s "$DATA")
# Every timed run starts from the same memory: the page cache emptied (as root) and the input read back once.
# A cache left full by earlier runs (gigabytes of outputs) made the same 10M run 104 s or 116 s: the kernel
# reclaimed pages and compacted memory for huge pages while steward waited.
fresh() {
    if [ -w /proc/sys/vm/drop_caches ]; then sync; echo 3 > /proc/sys/vm/drop_caches; fi
    cat "$DATA" > /dev/null
}
fresh
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; input: $ROWS rows, $((BYTES / 1000000)) MB; steward $("$BIN" --version | awk '{print $2}') ($(git rev-parse --short HEAD))"

STAT_BEFORE=$(head -1 /proc/stat)
/usr/bin/time -f '%e %M' -o "$OUT/time" "$BIN" clean "$DATA" --out "$OUT/run" --key-file "$KEY" \
    --as-of 2026-11-01 --format json -q > "$OUT/summary.json" 2> "$OUT/stderr" &
# Resident memory every 0.2 s, to give each stage its peak (the stages' times are in report.json).
TPID=$!
PID=""
for _ in $(seq 50); do PID=$(pgrep -P "$TPID" | head -1) && [ -n "$PID" ] && break; sleep 0.02; done
: > "$OUT/rss"
while [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; do
    # VmRSS, and of it RssFile: pages of the spilled tables' files mapped in (counted in the peak too).
    echo "$(date +%s.%N) $(awk '/VmRSS|RssFile/{printf "%s ", $2}' /proc/"$PID"/status 2>/dev/null)" >> "$OUT/rss"
    sleep 0.2
done
wait %1 || { tail -5 "$OUT/stderr"; exit 1; }
STAT_AFTER=$(head -1 /proc/stat)
read -r secs kb < "$OUT/time"
WRITTEN=$(du -sb "$OUT/run" | cut -f1)
"$PY" - "$OUT/run" "$secs" "$kb" "$BYTES" "$WRITTEN" "$OUT/rss" "$STAT_BEFORE" "$STAT_AFTER" <<'PYEOF'
import json, os, sys
run, secs, kb, inbytes, written = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
r = json.load(open(os.path.join(run, "report.json")))
# The share of CPU time the shared host took from this virtual machine during the run (/proc/stat's steal).
delta = [int(b) - int(a) for a, b in zip(sys.argv[7].split()[1:9], sys.argv[8].split()[1:9])]
steal = 100 * delta[7] / max(1, sum(delta))
print(f"steward clean: {secs:.1f} s wall, peak RSS {kb / 1024 / 1024:.2f} GiB ({kb * 1024 / 1e9:.2f} GB); CPU steal {steal:.0f} %")
print(f"  rows: {r['rows_in']:,} in = {r['rows_out']:,} out + {r['rows_rejected']:,} rejected + {r['rows_merged']:,} merged")
samples = [(float(l[0]), int(l[1]), int(l[2])) for l in (l.split() for l in open(sys.argv[6])) if len(l) == 3]
t0, at, peaks = (samples[0][0] if samples else 0.0), 0.0, []
for name, t in r["timings"]:
    inside = [(k, f) for s, k, f in samples if at <= s - t0 < at + t]
    top = max(inside) if inside else None
    peaks.append(f"{name} {t:.1f} s ({top[0] / 1024 / 1024:.2f} GiB, {top[1] / 1024 / 1024:.2f} of it mapped files)"
                 if top else f"{name} {t:.1f} s")
    at += t
print("  stages (peak RSS in the 0.2 s samples): " + ", ".join(peaks))
if r.get("dedupe", {}).get("timings"):
    print("  dedupe: " + ", ".join(f"{name} {t:.1f} s" for name, t in r["dedupe"]["timings"])
          + f"; {r['dedupe'].get('candidate_pairs', 0):,} candidate pairs")
print(f"  written: {written / 1e6:.0f} MB for {inbytes / 1e6:.0f} MB in ({written / inbytes:.2f} bytes per input byte)")
for o in sorted(r["outputs"], key=lambda o: -o["bytes"]):
    print(f"    {o['path']:<32} {o['bytes'] / 1e6:9.1f} MB  {o.get('rows') if o.get('rows') is not None else '':>12}")
PYEOF
"$PY" bench/dedupe/evaluate.py "$TRUTH" "$OUT/run/restricted/merge-map.csv" --id-col record_id \
    --cluster-col golden_id --name "scale_$ROWS" --seconds "$secs" --peak-kb "$kb" | tee "$OUT/steward.json"
if [ "$SPLINK" = 1 ]; then
    fresh
    /usr/bin/time -f '%e %M' -o "$OUT/time" "$PY" bench/dedupe/splink_run.py "$DATA" "$TRUTH" --name "scale_$ROWS" \
        > "$OUT/splink.json" 2> "$OUT/splink.err" || { tail -5 "$OUT/splink.err"; exit 1; }
    read -r ssecs skb < "$OUT/time"
    echo "splink (same file, same run): $ssecs s wall, peak RSS $((skb / 1024)) MB"
    tail -1 "$OUT/splink.json"
fi
