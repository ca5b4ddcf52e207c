#!/usr/bin/env bash
# Side-by-side speed figures of nnj against its peers (issue 4), on the full Fashion-MNIST. The machines are shared and
# noisy, so each nnj run and its peer run back to back, each pair REPS times; compare ratios within a pair.
#   bench/perf.sh [DATA_DIR] [REPS]      (default /usr/share/datasets/fashion-mnist, 3)
#   SECTIONS="mlp wide threads" bench/perf.sh     (any of: mlp mlp64 cnn wide threads openblas; default all but cnn)
# Prints every command before its output, the load average before each pair, and one summary line per pair:
#   pair <what> nnj=<s/epoch or GFLOP/s> peer=<…> ratio=<nnj/peer>
# Both sides are timed alike: seconds_per_epoch is the median of the epochs after the first, training only (nnj's
# bench and ref_numpy_mlp.py both leave the accuracy evaluation out of an epoch's time; NumPy's includes its shuffle,
# about 1 ms). Peers: /work/shared/bench/ref_numpy_mlp.py (python3 with NumPy) and ref_torch_cnn.py (/usr/bin/python3
# with PyTorch 1.13, 2 threads); BENCH_DIR overrides where they are.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
DATA="${1:-/usr/share/datasets/fashion-mnist}"
REPS="${2:-3}"
PEERS="${BENCH_DIR:-/work/shared/bench}"
NP=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3)
SECTIONS="${SECTIONS:-mlp mlp64 wide threads openblas}"
MLP_EPOCHS="${MLP_EPOCHS:-6}"
WIDE_EPOCHS="${WIDE_EPOCHS:-3}"
CNN_EPOCHS="${CNN_EPOCHS:-2}"

log() {
    echo "\$ $*" >&2
}

load() {
    echo "# load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# nnj's figure: seconds_per_epoch= or gflops= from `nnj bench`
nnj_figure() {
    local key="$1"
    shift
    log "$@"
    local out
    out="$("$@" 2>&1)"
    printf '%s\n' "$out" >&2   # not tee /dev/stderr: reopening a redirected log file would truncate it
    printf '%s\n' "$out" | sed -n "s/^$key=//p" | tail -n 1
}

# a peer's seconds per epoch: the median of its "epoch N seconds S" lines after the first
peer_seconds() {
    log "$@"
    local out
    out="$("$@" 2>&1)"
    printf '%s\n' "$out" >&2
    # mawk has no asort: the figures go through sort -g, then the middle one (or the mean of the middle two)
    printf '%s\n' "$out" | awk '$1 == "epoch" && $3 == "seconds" && $2 > 1 { print $4 }' | sort -g |
        awk '{ s[++n] = $1 } END { if (n == 0) exit 1; printf "%.4f\n", n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2 }'
}

numpy_gemm() {
    log "numpy float32 1024x1024 matmul, median of 5 x 20"
    "${NP[@]}" -c "
import numpy as np, time
a = np.random.rand(1024, 1024).astype(np.float32); b = np.random.rand(1024, 1024).astype(np.float32)
for _ in range(5): a @ b
best = []
for _ in range(5):
    t = time.perf_counter()
    for _ in range(20): a @ b
    best.append((time.perf_counter() - t) / 20)
best.sort()
print('%.1f' % (2 * 1024**3 / best[2] / 1e9))"
}

pair() {
    local what="$1" mine="$2" peer="$3"
    local ratio
    ratio="$(awk -v a="$mine" -v b="$peer" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.3f", a / b }')"
    echo "pair $what nnj=$mine peer=$peer ratio=$ratio"
}

"$ROOT/nnj" help >/dev/null   # builds the jar first, outside any timing
BENCH=("$ROOT/nnj" bench --data-dir "$DATA")
for rep in $(seq "$REPS"); do
    echo "=== repetition $rep"
    for s in $SECTIONS; do
        case $s in
        mlp | mlp64)
            dt=float32
            [[ $s == mlp64 ]] && dt=float64
            load
            mine="$(nnj_figure seconds_per_epoch "${BENCH[@]}" --model two-layer --epochs "$MLP_EPOCHS" --dtype $dt)"
            peer="$(peer_seconds "${NP[@]}" "$PEERS/ref_numpy_mlp.py" "$DATA" --epochs "$MLP_EPOCHS" --dtype $dt)"
            pair "two-layer-$dt-s/epoch(numpy)" "$mine" "$peer" ;;
        cnn)
            load
            mine="$(nnj_figure seconds_per_epoch "${BENCH[@]}" --model cnn --epochs "$CNN_EPOCHS")"
            peer="$(peer_seconds /usr/bin/python3 "$PEERS/ref_torch_cnn.py" "$DATA" --epochs "$CNN_EPOCHS")"
            pair "cnn-s/epoch(torch)" "$mine" "$peer" ;;
        wide)
            load
            before="$(numpy_gemm)"
            mine="$(nnj_figure gflops "${BENCH[@]}" --model wide-mlp --epochs "$WIDE_EPOCHS")"
            after="$(numpy_gemm)"
            echo "# numpy sgemm 1024^2 GFLOP/s before $before, after $after"
            pair "wide-mlp-gflops(numpy-sgemm-before)" "$mine" "$before"
            pair "wide-mlp-gflops(numpy-sgemm-after)" "$mine" "$after" ;;
        threads)
            load
            one="$(nnj_figure seconds_per_epoch "${BENCH[@]}" --model wide-mlp --epochs "$WIDE_EPOCHS" --threads 1)"
            two="$(nnj_figure seconds_per_epoch "${BENCH[@]}" --model wide-mlp --epochs "$WIDE_EPOCHS" --threads 2)"
            # the speed-up of two threads: one thread's time over two threads' time
            pair "wide-mlp-speedup-2-over-1-threads" "$one" "$two" ;;
        openblas)
            load
            for dt in float32 float64; do
                nnj_figure seconds_per_epoch "${BENCH[@]}" --model two-layer --epochs "$MLP_EPOCHS" --dtype $dt \
                    --backend openblas >/dev/null
            done
            nnj_figure gflops "${BENCH[@]}" --model wide-mlp --epochs "$WIDE_EPOCHS" --backend openblas >/dev/null ;;
        *)
            echo "unknown section $s" >&2 ;;
        esac
    done
done
