#!/usr/bin/env bash
# Side-by-side speed figures of nnj against its peers (issue 4), on the full Fashion-MNIST. The machines are shared and
# noisy, so each nnj run and its peer run back to back, each pair REPS times; compare ratios within a pair.
#   bench/perf.sh [DATA_DIR] [REPS]      (default /usr/share/datasets/fashion-mnist, 2)
# Prints every command before its output. Peers: /work/shared/bench/ref_numpy_mlp.py (python3 with NumPy) and
# ref_torch_cnn.py (/usr/bin/python3 with PyTorch 1.13, 2 threads); BENCH_DIR overrides where they are.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
DATA="${1:-/usr/share/datasets/fashion-mnist}"
REPS="${2:-2}"
PEERS="${BENCH_DIR:-/work/shared/bench}"
NP=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3)
SECTIONS="${SECTIONS:-mlp cnn wide threads openblas}"

run() {
    echo "\$ $*"
    "$@" 2>&1 | grep -E 'seconds_per_epoch=|gflops=|^epoch|numpy_gflops|error|Error|nnj'
}

numpy_gemm() {
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
print('numpy_gflops=%.1f (median of 5 x 20 float32 1024x1024 matmuls)' % (2 * 1024**3 / best[2] / 1e9))"
}

"$ROOT/nnj" help >/dev/null   # builds the jar first, outside any timing
for rep in $(seq "$REPS"); do
    echo "=== repetition $rep"
    for s in $SECTIONS; do
        case $s in
        mlp)
            for dt in float32 float64; do
                run "$ROOT/nnj" bench --model two-layer --data-dir "$DATA" --epochs 4 --dtype $dt
                run "${NP[@]}" "$PEERS/ref_numpy_mlp.py" "$DATA" --epochs 4 --dtype $dt
            done ;;
        cnn)
            run "$ROOT/nnj" bench --model cnn --data-dir "$DATA" --epochs 3
            run /usr/bin/python3 "$PEERS/ref_torch_cnn.py" "$DATA" --epochs 3 ;;
        wide)
            echo "\$ numpy float32 1024x1024 matmul (before)"; numpy_gemm
            run "$ROOT/nnj" bench --model wide-mlp --data-dir "$DATA" --epochs 3
            echo "\$ numpy float32 1024x1024 matmul (after)"; numpy_gemm ;;
        threads)
            run "$ROOT/nnj" bench --model wide-mlp --data-dir "$DATA" --epochs 3 --threads 1
            run "$ROOT/nnj" bench --model wide-mlp --data-dir "$DATA" --epochs 3 --threads 2 ;;
        openblas)
            for dt in float32 float64; do
                run "$ROOT/nnj" bench --model two-layer --data-dir "$DATA" --epochs 4 --dtype $dt --backend openblas
            done
            run "$ROOT/nnj" bench --model cnn --data-dir "$DATA" --epochs 3 --backend openblas
            run "$ROOT/nnj" bench --model wide-mlp --data-dir "$DATA" --epochs 3 --backend openblas --threads 1
            run "$ROOT/nnj" bench --model wide-mlp --data-dir "$DATA" --epochs 3 --backend openblas --threads 2 ;;
        esac
    done
done
