#!/usr/bin/env bash
# `steward dedupe` alone at 1M and 10M rows (#19: its cost should grow linearly, 10M within 11x of 1M and under
# 50 s): reads the generated scale list, matches, writes the golden records and the clusters (every input row
# with its cluster), as `steward dedupe LIST -o golden.csv --clusters clusters.csv` does. The sizes are run in
# turn RUNS times (default 3), each from an emptied page cache with the input read back once; every run's wall
# time, peak RSS and stage times are printed, then the medians and their ratio.
#
# The write of 10M rows' outputs (3.6 GB, synced before they are renamed into place) goes at the disk's pace,
# so the disk's own pace is measured after the runs (not before: it would spend the host's write cache the
# first run then lacks): 2 GB written with `dd ... conv=fdatasync`. On this project's virtual disk that was
# 1.4-1.6 GB/s for the first gigabytes and 360-600 MB/s once the host's cache was full; the 10M run's write
# stage followed it (4.2 s to 9.9 s for the same bytes).
#
# The machine is a virtual one on a shared host: each run also prints the share of CPU time the host took
# from it (steal, from /proc/stat). The same build took 46-49 s at 10M with no steal, 58-60 s with 15-18 %.
#
#   bash bench/scale/dedupe_alone.sh              # 1M and 10M, 3 runs each (~6 min; generates missing lists)
#   RUNS=1 SIZES="1000000" bash bench/scale/dedupe_alone.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
SIZES=${SIZES:-"1000000 10000000"}
D=bench/data
OUT=${OUT:-$D/dedupe_alone_out}
mkdir -p "$D" "$OUT"
[ -n "${STEWARD:-}" ] || cargo build --release --quiet
BIN=${STEWARD:-target/release/steward}
for rows in $SIZES; do
    [ -f "$D/scale_${rows}.csv" ] || python3 bench/scale/gen_scale.py --rows "$rows" \
        --out "$D/scale_${rows}.csv" --truth "$D/scale_${rows}_truth.csv"
done
disk() {
    local f="$OUT/disk.probe"
    sync
    echo "disk: $(dd if=/dev/zero of="$f" bs=1M count=2000 conv=fdatasync 2>&1 | tail -1 | awk -F, '{print $NF}' | xargs) for 2 GB synced"
    rm -f "$f"
    sync
}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; steward $("$BIN" --version | awk '{print $2}') ($(git rev-parse --short HEAD))"
: > "$OUT/runs"
for i in $(seq "$RUNS"); do
    for rows in $SIZES; do
        data=$D/scale_${rows}.csv
        rm -rf "$OUT/run"
        mkdir -p "$OUT/run"
        # The same memory at every start: page cache emptied (as root), the input read back once.
        if [ -w /proc/sys/vm/drop_caches ]; then sync; echo 3 > /proc/sys/vm/drop_caches; fi
        cat "$data" > /dev/null
        before=$(head -1 /proc/stat)
        /usr/bin/time -f '%e %M' -o "$OUT/time" "$BIN" dedupe "$data" -o "$OUT/run/golden.csv" \
            --clusters "$OUT/run/clusters.csv" --format json -q > "$OUT/summary.json" 2> "$OUT/stderr" \
            || { tail -5 "$OUT/stderr"; exit 1; }
        after=$(head -1 /proc/stat)
        python3 - "$rows" "$OUT/time" "$OUT/summary.json" "$OUT/run" "$before" "$after" <<'PYEOF' | tee -a "$OUT/runs"
import json, os, sys
rows, time_file, summary, run, before, after = sys.argv[1:7]
# cpu  user nice system idle iowait irq softirq steal ...
delta = [int(b) - int(a) for a, b in zip(before.split()[1:9], after.split()[1:9])]
steal = 100 * delta[7] / max(1, sum(delta))
secs, kb = open(time_file).read().split()
r = json.load(open(summary))
written = sum(os.path.getsize(os.path.join(run, f)) for f in os.listdir(run))
stages = ", ".join(f"{name} {t:.1f}" for name, t in r["timings"] if t >= 0.05)
# Peak RSS in GiB (KiB over 1024², as bench/scale/run.sh prints it; this printed KiB over 10⁶ as "GB").
print(f"{rows} {float(secs):.2f} {int(kb) / 1024 / 1024:.2f} GiB; {r['candidate_pairs']:,} pairs; "
      f"{written / 1e9:.2f} GB written; steal {steal:.0f} %; {stages}")
PYEOF
    done
done
rm -rf "$OUT/run"
disk
python3 - "$OUT/runs" <<'PYEOF'
import statistics, sys
walls = {}
for line in open(sys.argv[1]):
    rows, secs = line.split()[:2]
    walls.setdefault(int(rows), []).append(float(secs))
med = {rows: statistics.median(w) for rows, w in walls.items()}
for rows, w in sorted(walls.items()):
    print(f"{rows:>10,} rows: median {med[rows]:.2f} s of {', '.join(f'{x:.2f}' for x in w)}")
if 1000000 in med and 10000000 in med:
    print(f"10M / 1M: {med[10000000] / med[1000000]:.2f}x (median over median); "
          f"worst pairing {max(walls[10000000]) / min(walls[1000000]):.2f}x")
PYEOF
