package org.nnj.core.cpu;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The packed, register-blocked float64 gemm kernel written with {@code jdk.incubator.vector}; {@link VectorGemmF32}
 * is its line-for-line float32 twin (change both together). Only loaded when that module is in the boot layer (see
 * {@link GemmKernel#best()}).
 *
 * <p>Blocking, as in BLIS: for a block of {@link #NC} columns and a block of at most {@link #KC} of the k axis,
 * {@code op(b)} is packed into micro-panels {@link #NR} columns wide; for each block of {@link #MC} rows,
 * {@code alpha·op(a)} is packed into micro-panels {@link #MR} rows tall (both zero-padded at the edges). The
 * micro-kernel then keeps an {@code MR × NR} tile of {@code c} in sixteen vector registers while it walks the k block,
 * one B micro-panel staying in L1 while the A micro-panels stream from L2. When both operands are packed the
 * micro-kernel reads them at constant strides, so that the JIT drops the B panel's bounds checks from its loop
 * (it keeps two for the A panel: {@code bench/hsdis/jit-asm.sh} shows the loop); a transpose costs nothing beyond the
 * packing. Eight rows rather than six spread those checks and the loop's index arithmetic over 16 multiply-adds.
 *
 * <p>Packing costs about as much per element as one multiply-add per column (for a) or row (for b) it feeds, so a
 * narrow output (at most {@link #DIRECT} columns per thread, like the two-layer net's 50 units) reads {@code op(a)}
 * in place, transposed or not (for {@code aᵀ} the tile's rows are consecutive in memory: 784 × 100 × 50 runs about
 * 1.5 times as fast as with a packed aᵀ), and a short one reads {@code op(b)} in place, through a kernel with
 * variable strides. A narrow output whose width leaves a wide remainder in two-vector tiles but at most
 * {@link #TAIL} columns in three-vector ones uses tiles of {@link #NR3} columns (see {@link #panelWidth}).
 * In a narrow output the last {@code n mod NR ≤ }{@link #TAIL} columns (or {@code n mod NR3}) would waste most of a
 * register tile, so they get kernels of their own: with {@code op(a) = aᵀ} the lanes run along the rows of {@code c}, which keeps the roundings below;
 * with {@code op(a) = a} each element is a dot product along k in vector lanes (a fixed order, but a different one:
 * {@code c = beta·c + Σ_lanes}).
 *
 * <p>Every element of {@code c} sees the same roundings whatever the blocking, the thread count or its position in a
 * tile (edge tiles run the same kernel on a copy): {@code c = beta·c} (or {@code 0} when {@code beta = 0}), then
 * {@code c = fma(alpha·op(a)[i,p], op(b)[p,j], c)} for {@code p = 0, 1, …, k-1} in order. The one exception, the
 * dot-product tail, depends only on {@code n}, {@code alpha}, the transposes and the column, never on how the
 * output is split into parts (parts start at multiples of {@link #NR} columns).
 */
final class VectorGemmF64 {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int L = S.length();
    /** Rows of the register tile of the packed kernels. */
    static final int MR = 8;
    /**
     * Rows of the register tile of the kernels that read an operand in place ({@code kernel1G} …): they need a
     * register per row offset, and with eight rows the JIT runs out of general registers and spills.
     */
    static final int MRG = 6;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /** The k block: one B micro-panel ({@code KC × NR}) fits in L1. */
    static final int KC = 256;
    /** Rows per packed A block ({@code MC × KC} in L2); a multiple of {@link #MR}. */
    static final int MC = 72;
    /** Columns per packed B block ({@code KC × NC}); a multiple of {@link #NR}. */
    static final int NC = 64 * NR;
    /** Up to this many columns (rows) of c per thread, op(a) (op(b)) is read in place rather than packed. */
    static final int DIRECT = 64;
    /** The widest column tail of a narrow output that gets its own kernel. */
    static final int TAIL = 4;
    /** The dot-product tail needs at least this many steps of k to pay for its lane sums. */
    static final int DOT_MIN_K = 64;
    /** Rows of c per step of the transposed-a tail kernel: two vectors. */
    static final int TR = 2 * L;
    /** Columns of the wide register tile: three vectors (see {@link #panelWidth}). */
    static final int NR3 = 3 * L;

    private VectorGemmF64() {
    }

    /** Computes rows {@code [i0, i1)} × columns {@code [j0, j1)} of {@code c}. */
    static void tile(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, double[] b,
                     double beta, double[] c, int i0, int i1, int j0, int j1) {
        if (i0 >= i1 || j0 >= j1) {
            return;
        }
        if (k == 0) {
            scaleByBeta(c, n, beta, i0, i1, j0, j1);
            return;
        }
        boolean narrow = alpha == 1d && j1 - j0 <= DIRECT;
        boolean directA = narrow;
        boolean directB = !transB && i1 - i0 <= DIRECT;
        // the tail is decided from n alone, never from the part [j0, j1), so that threads cannot change it
        int nr = panelWidth(n);
        int tail = n % nr;
        if (narrow && n <= DIRECT && tail > 0 && tail <= TAIL && j1 == n && j1 - j0 >= tail) {
            if (transA) {
                tailTransposedA(m, n, k, a, b, transB, beta, c, i0, i1, n - tail, n);
                j1 = n - tail;
            } else if (k >= DOT_MIN_K) {
                tailDot(n, k, a, b, transB, beta, c, i0, i1, n - tail, n);
                j1 = n - tail;
            }
            if (j0 >= j1) {
                return;
            }
        }
        if (directA || directB) {
            direct(transA, transB, m, n, k, alpha, a, b, beta, c, i0, i1, j0, j1, directA, directB, nr);
        } else {
            packed(transA, transB, m, n, k, alpha, a, b, beta, c, i0, i1, j0, j1, nr);
        }
    }

    /**
     * The width of the register tile for an output {@code n} columns wide: {@link #NR3} when that leaves a tail of at
     * most {@link #TAIL} columns where {@link #NR} would leave a wider one (50 columns in 16 lanes: 48 + 2 rather than
     * 32 + 18, of which the 18 would fill a 32-wide tile), otherwise {@link #NR}. Every column sees the same roundings
     * in either tile; only which columns form the tail depends on it, and it depends on n alone.
     */
    static int panelWidth(int n) {
        return n <= DIRECT && n % NR > TAIL && n % NR3 <= TAIL ? NR3 : NR;
    }

    /** Both operands packed, constant-stride kernels. */
    private static void packed(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, double[] b,
                               double beta, double[] c, int i0, int i1, int j0, int j1, int nr) {
        // k in equal blocks of at most KC (784 = 4 × 196, not 3 × 256 + 16): the order of p is the same either way
        int kBlocks = (k + KC - 1) / KC;
        int kcMax = (k + kBlocks - 1) / kBlocks;
        int mcMax = Math.min(MC, roundUp(i1 - i0, MR));
        int ncMax = Math.min(roundUp(NC, nr), roundUp(j1 - j0, nr));
        double[] ap = Scratch.gemmDoubles(0, mcMax * kcMax);
        double[] bp = Scratch.gemmDoubles(1, kcMax * ncMax);
        double[] edge = Scratch.gemmDoubles(2, MR * nr);
        int ncStep = roundUp(NC, nr);
        for (int jc = j0; jc < j1; jc += ncStep) {
            int nc = Math.min(ncStep, j1 - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                // the first k block applies beta as it loads c (beta = 0: starts from zero, ignoring NaN in c)
                double scale = pc == 0 ? beta : 1d;
                packB(transB, b, n, k, pc, kc, jc, nc, bp, nr);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(transA, a, m, k, alpha, ic, mc, pc, kc, ap, MR);
                    for (int jr = 0; jr < nc; jr += nr) {
                        int cols = Math.min(nr, nc - jr);
                        int bo = jr * kc;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int rows = Math.min(MR, mc - ir);
                            micro(kc, ap, ir * kc, bp, bo, c, (ic + ir) * n + jc + jr, n, rows, cols, scale, edge,
                                    nr);
                        }
                    }
                }
            }
        }
    }

    /** One operand (or both) read in place, variable-stride kernels. */
    private static void direct(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
                               double[] b, double beta, double[] c, int i0, int i1, int j0, int j1, boolean directA,
                               boolean directB, int nr) {
        int kBlocks = (k + KC - 1) / KC;
        int kcMax = (k + kBlocks - 1) / kBlocks;
        int ncStep = roundUp(NC, nr);
        double[] ap = Scratch.gemmDoubles(0, MC * kcMax);
        double[] bp = Scratch.gemmDoubles(1, kcMax * ncStep);
        double[] edge = Scratch.gemmDoubles(2, MR * nr);
        int ars = transA ? 1 : k;
        int aps = transA ? m : 1;
        for (int jc = j0; jc < j1; jc += ncStep) {
            int nc = Math.min(ncStep, j1 - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                double scale = pc == 0 ? beta : 1d;
                if (!directB) {
                    packB(transB, b, n, k, pc, kc, jc, nc, bp, nr);
                }
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    if (!directA) {
                        packA(transA, a, m, k, alpha, ic, mc, pc, kc, ap, MRG);
                    }
                    for (int jr = 0; jr < nc; jr += nr) {
                        int cols = Math.min(nr, nc - jr);
                        double[] bs = bp;
                        int bo = jr * kc;
                        int bps = nr;
                        if (directB) {
                            if (cols == nr) {
                                bs = b;
                                bo = pc * n + jc + jr;
                                bps = n;
                            } else {
                                packB(false, b, n, k, pc, kc, jc + jr, cols, bp, nr);
                                bo = 0;
                            }
                        }
                        for (int ir = 0; ir < mc; ir += MRG) {
                            int rows = Math.min(MRG, mc - ir);
                            if (!directA) {
                                microG(kc, ap, ir * kc, 1, MRG, bs, bo, bps, c, (ic + ir) * n + jc + jr, n, rows,
                                        cols, scale, edge, nr);
                            } else if (rows == MRG) {
                                int ao = transA ? pc * m + ic + ir : (ic + ir) * k + pc;
                                microG(kc, a, ao, ars, aps, bs, bo, bps, c, (ic + ir) * n + jc + jr, n, rows, cols,
                                        scale, edge, nr);
                            } else {
                                packA(transA, a, m, k, alpha, ic + ir, rows, pc, kc, ap, MRG);
                                microG(kc, ap, 0, 1, MRG, bs, bo, bps, c, (ic + ir) * n + jc + jr, n, rows, cols,
                                        scale, edge, nr);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Columns {@code [jt, j1)} (at most {@link #TAIL}) of {@code c = beta·c + aᵀ·op(b)}: vectors run down the rows of
     * c ({@code a[p·m + i]} is contiguous in i), each lane an fma chain over p in order, as in the other kernels.
     */
    private static void tailTransposedA(int m, int n, int k, double[] a, double[] b, boolean transB, double beta,
                                        double[] c, int i0, int i1, int jt, int j1) {
        int t = j1 - jt;
        // op(b)[p, jt..j1) packed as k rows of TAIL values, zero-padded
        double[] bt = Scratch.gemmDoubles(1, k * TAIL);
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < TAIL; j++) {
                bt[p * TAIL + j] = j < t ? (transB ? b[(jt + j) * k + p] : b[p * n + jt + j]) : 0d;
            }
        }
        double[] out = Scratch.gemmDoubles(2, TAIL * TR);
        int i = i0;
        for (; i + TR <= i1; i += TR) {
            // c's tile through out (column j at out[j·TR]), beta applied as it is copied: no vector passes through
            // a method call, which the JIT could fail to inline and then box
            tailIn(c, n, i, jt, t, beta, out);
            DoubleVector c00 = DoubleVector.fromArray(S, out, 0);
            DoubleVector c01 = DoubleVector.fromArray(S, out, L);
            DoubleVector c10 = DoubleVector.fromArray(S, out, TR);
            DoubleVector c11 = DoubleVector.fromArray(S, out, TR + L);
            DoubleVector c20 = DoubleVector.fromArray(S, out, 2 * TR);
            DoubleVector c21 = DoubleVector.fromArray(S, out, 2 * TR + L);
            DoubleVector c30 = DoubleVector.fromArray(S, out, 3 * TR);
            DoubleVector c31 = DoubleVector.fromArray(S, out, 3 * TR + L);
            for (int p = 0, ao = i, bo = 0; p < k; p++, ao += m, bo += TAIL) {
                DoubleVector a0 = DoubleVector.fromArray(S, a, ao);
                DoubleVector a1 = DoubleVector.fromArray(S, a, ao + L);
                DoubleVector x = DoubleVector.broadcast(S, bt[bo]);
                c00 = a0.fma(x, c00);
                c01 = a1.fma(x, c01);
                x = DoubleVector.broadcast(S, bt[bo + 1]);
                c10 = a0.fma(x, c10);
                c11 = a1.fma(x, c11);
                x = DoubleVector.broadcast(S, bt[bo + 2]);
                c20 = a0.fma(x, c20);
                c21 = a1.fma(x, c21);
                x = DoubleVector.broadcast(S, bt[bo + 3]);
                c30 = a0.fma(x, c30);
                c31 = a1.fma(x, c31);
            }
            c00.intoArray(out, 0);
            c01.intoArray(out, L);
            c10.intoArray(out, TR);
            c11.intoArray(out, TR + L);
            c20.intoArray(out, 2 * TR);
            c21.intoArray(out, 2 * TR + L);
            c30.intoArray(out, 3 * TR);
            c31.intoArray(out, 3 * TR + L);
            tailOut(out, c, n, i, jt, t);
        }
        // the last rows one at a time, with the same roundings
        for (; i < i1; i++) {
            for (int j = 0; j < t; j++) {
                int o = i * n + jt + j;
                double s = beta == 0d ? 0d : beta == 1d ? c[o] : beta * c[o];
                for (int p = 0; p < k; p++) {
                    s = Math.fma(a[p * m + i], bt[p * TAIL + j], s);
                }
                c[o] = s;
            }
        }
    }

    /**
     * Rows {@code i .. i+TR} of columns {@code jt .. jt+TAIL} of c into {@code out[j·TR + r]}, times beta (zero when
     * beta is 0 or j ≥ t): the same rounding as a vector multiply.
     */
    private static void tailIn(double[] c, int n, int i, int jt, int t, double beta, double[] out) {
        for (int j = 0; j < TAIL; j++) {
            for (int r = 0; r < TR; r++) {
                double v = beta == 0d || j >= t ? 0d : c[(i + r) * n + jt + j];
                out[j * TR + r] = beta == 1d ? v : beta * v;
            }
        }
    }

    /** The inverse of {@link #tailIn} for the t columns of the tail. */
    private static void tailOut(double[] out, double[] c, int n, int i, int jt, int t) {
        for (int j = 0; j < t; j++) {
            for (int r = 0; r < TR; r++) {
                c[(i + r) * n + jt + j] = out[j * TR + r];
            }
        }
    }

    /**
     * Columns {@code [jt, j1)} (at most {@link #TAIL}) of {@code c = beta·c + a·op(b)}, two rows at a time: each
     * element a dot product of a row of {@code a} with a column of {@code op(b)}, along k in vector lanes, the lanes
     * then added in a fixed order.
     */
    private static void tailDot(int n, int k, double[] a, double[] b, boolean transB, double beta, double[] c, int i0,
                                int i1, int jt, int j1) {
        int t = j1 - jt;
        int kv = k - k % L;
        // the columns of op(b) as TAIL rows of k values, zero-padded
        double[] bt = Scratch.gemmDoubles(1, TAIL * k);
        for (int j = 0; j < TAIL; j++) {
            for (int p = 0; p < k; p++) {
                bt[j * k + p] = j < t ? (transB ? b[(jt + j) * k + p] : b[p * n + jt + j]) : 0d;
            }
        }
        double[] lanes = Scratch.gemmDoubles(2, 8 * L);
        for (int i = i0; i < i1; i += 2) {
            int r0 = i * k;
            // an odd last row is computed twice and stored once
            int r1 = i + 1 < i1 ? r0 + k : r0;
            DoubleVector s00 = DoubleVector.zero(S);
            DoubleVector s01 = DoubleVector.zero(S);
            DoubleVector s02 = DoubleVector.zero(S);
            DoubleVector s03 = DoubleVector.zero(S);
            DoubleVector s10 = DoubleVector.zero(S);
            DoubleVector s11 = DoubleVector.zero(S);
            DoubleVector s12 = DoubleVector.zero(S);
            DoubleVector s13 = DoubleVector.zero(S);
            for (int p = 0; p < kv; p += L) {
                DoubleVector x0 = DoubleVector.fromArray(S, a, r0 + p);
                DoubleVector x1 = DoubleVector.fromArray(S, a, r1 + p);
                DoubleVector y = DoubleVector.fromArray(S, bt, p);
                s00 = x0.fma(y, s00);
                s10 = x1.fma(y, s10);
                y = DoubleVector.fromArray(S, bt, k + p);
                s01 = x0.fma(y, s01);
                s11 = x1.fma(y, s11);
                y = DoubleVector.fromArray(S, bt, 2 * k + p);
                s02 = x0.fma(y, s02);
                s12 = x1.fma(y, s12);
                y = DoubleVector.fromArray(S, bt, 3 * k + p);
                s03 = x0.fma(y, s03);
                s13 = x1.fma(y, s13);
            }
            s00.intoArray(lanes, 0);
            s01.intoArray(lanes, L);
            s02.intoArray(lanes, 2 * L);
            s03.intoArray(lanes, 3 * L);
            s10.intoArray(lanes, 4 * L);
            s11.intoArray(lanes, 5 * L);
            s12.intoArray(lanes, 6 * L);
            s13.intoArray(lanes, 7 * L);
            for (int row = 0; row < 2 && i + row < i1; row++) {
                int ra = row == 0 ? r0 : r1;
                for (int j = 0; j < t; j++) {
                    int base = (row * 4 + j) * L;
                    double s = 0d;
                    for (int l = 0; l < L; l++) {
                        s += lanes[base + l];
                    }
                    for (int p = kv; p < k; p++) {
                        s = Math.fma(a[ra + p], bt[j * k + p], s);
                    }
                    int o = (i + row) * n + jt + j;
                    c[o] = beta == 0d ? s : (beta == 1d ? c[o] : beta * c[o]) + s;
                }
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    static void scaleByBeta(double[] c, int n, double beta, int i0, int i1, int j0, int j1) {
        if (beta == 1d) {
            return;
        }
        for (int i = i0; i < i1; i++) {
            int ci = i * n;
            if (beta == 0d) {
                Arrays.fill(c, ci + j0, ci + j1, 0d);
            } else {
                for (int j = j0; j < j1; j++) {
                    c[ci + j] *= beta;
                }
            }
        }
    }

    /** {@code ap[r·kc … ] = alpha·op(a)[ic + r, pc + p]} in micro-panels of {@code mr} rows
     * ({@link #MR} or {@link #MRG}), p-major, zero-padded.
     */
    private static void packA(boolean transA, double[] a, int m, int k, double alpha, int ic, int mc, int pc, int kc,
                              double[] ap, int mr) {
        for (int ir = 0; ir < mc; ir += mr) {
            int rows = Math.min(mr, mc - ir);
            int base = ir * kc;
            if (rows < mr) {
                Arrays.fill(ap, base, base + kc * mr, 0d);
            }
            if (transA) {
                // op(a)[i, p] = a[p·m + i]: MR consecutive values per p
                int src = pc * m + ic + ir;
                if (rows == MR) {
                    for (int p = 0, d = base; p < kc; p++, d += MR, src += m) {
                        ap[d] = alpha * a[src];
                        ap[d + 1] = alpha * a[src + 1];
                        ap[d + 2] = alpha * a[src + 2];
                        ap[d + 3] = alpha * a[src + 3];
                        ap[d + 4] = alpha * a[src + 4];
                        ap[d + 5] = alpha * a[src + 5];
                        ap[d + 6] = alpha * a[src + 6];
                        ap[d + 7] = alpha * a[src + 7];
                    }
                } else {
                    for (int p = 0, d = base; p < kc; p++, d += mr, src += m) {
                        for (int r = 0; r < rows; r++) {
                            ap[d + r] = alpha * a[src + r];
                        }
                    }
                }
            } else {
                // op(a)[i, p] = a[i·k + p]: MR rows read along p side by side, a transpose
                int r0 = (ic + ir) * k + pc;
                if (rows == MR) {
                    int r1 = r0 + k;
                    int r2 = r1 + k;
                    int r3 = r2 + k;
                    int r4 = r3 + k;
                    int r5 = r4 + k;
                    int r6 = r5 + k;
                    int r7 = r6 + k;
                    for (int p = 0, d = base; p < kc; p++, d += MR) {
                        ap[d] = alpha * a[r0 + p];
                        ap[d + 1] = alpha * a[r1 + p];
                        ap[d + 2] = alpha * a[r2 + p];
                        ap[d + 3] = alpha * a[r3 + p];
                        ap[d + 4] = alpha * a[r4 + p];
                        ap[d + 5] = alpha * a[r5 + p];
                        ap[d + 6] = alpha * a[r6 + p];
                        ap[d + 7] = alpha * a[r7 + p];
                    }
                } else {
                    for (int r = 0; r < rows; r++) {
                        int src = r0 + r * k;
                        for (int p = 0, d = base + r; p < kc; p++, d += mr) {
                            ap[d] = alpha * a[src + p];
                        }
                    }
                }
            }
        }
    }

    /** {@code bp[j·kc … ] = op(b)[pc + p, jc + j]} in micro-panels of nr columns, p-major, zero-padded. */
    private static void packB(boolean transB, double[] b, int n, int k, int pc, int kc, int jc, int nc, double[] bp,
                              int nr) {
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            int base = jr * kc;
            if (transB) {
                // op(b)[p, j] = b[j·k + p]: read each row of b along p
                if (cols < nr) {
                    Arrays.fill(bp, base, base + kc * nr, 0d);
                }
                for (int jj = 0; jj < cols; jj++) {
                    int src = (jc + jr + jj) * k + pc;
                    for (int p = 0, d = base + jj; p < kc; p++, d += nr) {
                        bp[d] = b[src + p];
                    }
                }
            } else {
                int src = pc * n + jc + jr;
                if (cols == nr) {
                    // whole vector copies: far cheaper than an arraycopy call per row
                    for (int p = 0, d = base; p < kc; p++, d += nr, src += n) {
                        for (int v = 0; v < nr; v += L) {
                            DoubleVector.fromArray(S, b, src + v).intoArray(bp, d + v);
                        }
                    }
                } else {
                    for (int p = 0, d = base; p < kc; p++, d += nr, src += n) {
                        System.arraycopy(b, src, bp, d, cols);
                        Arrays.fill(bp, d + cols, d + nr, 0d);
                    }
                }
            }
        }
    }

    /**
     * One register tile from the A micro-panel at {@code ap[ao]} and the B micro-panel at {@code bp[bo]}: directly on
     * {@code c} when it is whole, otherwise on a copy in {@code edge}.
     */
    private static void micro(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc, int rows,
                              int cols, double scale, double[] edge, int nr) {
        if (nr == NR3) {
            if (rows == MR && cols == NR3) {
                kernel3(kc, ap, ao, bp, bo, c, co, ldc, scale);
                return;
            }
            if (scale != 0d) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(c, co + r * ldc, edge, r * NR3, cols);
                }
            }
            kernel3(kc, ap, ao, bp, bo, edge, 0, NR3, scale);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(edge, r * NR3, c, co + r * ldc, cols);
            }
            return;
        }
        if (rows == MR && cols == NR) {
            kernel2(kc, ap, ao, bp, bo, c, co, ldc, scale);
        } else if (rows == MR && cols == L) {
            kernel1(kc, ap, ao, bp, bo, c, co, ldc, scale);
        } else {
            if (scale != 0d) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(c, co + r * ldc, edge, r * NR, cols);
                }
            }
            if (cols <= L) {
                kernel1(kc, ap, ao, bp, bo, edge, 0, NR, scale);
            } else {
                kernel2(kc, ap, ao, bp, bo, edge, 0, NR, scale);
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(edge, r * NR, c, co + r * ldc, cols);
            }
        }
    }

    /** Row {@code o} of a tile of c: loaded, times {@code scale} unless 1, or zero when {@code scale} is 0. */
    private static DoubleVector load(double[] c, int o, double scale) {
        if (scale == 0d) {
            return DoubleVector.zero(S);
        }
        DoubleVector v = DoubleVector.fromArray(S, c, o);
        return scale == 1d ? v : v.mul(scale);
    }

    /**
     * {@code c[MR × 2L] = fma(ap, bp, scale·c)} over kc steps of p. The panels are read at the constant strides MR
     * and NR, which lets the JIT hoist the bounds checks out of the loop.
     */
    private static void kernel2(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
                                double scale) {
        int o1 = co + ldc;
        int o2 = o1 + ldc;
        int o3 = o2 + ldc;
        int o4 = o3 + ldc;
        int o5 = o4 + ldc;
        int o6 = o5 + ldc;
        int o7 = o6 + ldc;
        DoubleVector c00 = load(c, co, scale);
        DoubleVector c01 = load(c, co + L, scale);
        DoubleVector c10 = load(c, o1, scale);
        DoubleVector c11 = load(c, o1 + L, scale);
        DoubleVector c20 = load(c, o2, scale);
        DoubleVector c21 = load(c, o2 + L, scale);
        DoubleVector c30 = load(c, o3, scale);
        DoubleVector c31 = load(c, o3 + L, scale);
        DoubleVector c40 = load(c, o4, scale);
        DoubleVector c41 = load(c, o4 + L, scale);
        DoubleVector c50 = load(c, o5, scale);
        DoubleVector c51 = load(c, o5 + L, scale);
        DoubleVector c60 = load(c, o6, scale);
        DoubleVector c61 = load(c, o6 + L, scale);
        DoubleVector c70 = load(c, o7, scale);
        DoubleVector c71 = load(c, o7 + L, scale);
        for (int p = 0; p < kc; p++) {
            int pa = ao + p * MR;
            int pb = bo + p * NR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, pb);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, pb + L);
            DoubleVector x = DoubleVector.broadcast(S, ap[pa]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, ap[pa + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, ap[pa + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, ap[pa + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, ap[pa + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, ap[pa + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = DoubleVector.broadcast(S, ap[pa + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = DoubleVector.broadcast(S, ap[pa + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + L);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + L);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + L);
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + L);
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + L);
        c60.intoArray(c, o6);
        c61.intoArray(c, o6 + L);
        c70.intoArray(c, o7);
        c71.intoArray(c, o7 + L);
    }

    /** {@code c[MR × 3L] = fma(ap, bp, scale·c)} over kc steps of p, at the constant strides MR and NR3. */
    private static void kernel3(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
                                double scale) {
        int o1 = co + ldc;
        int o2 = o1 + ldc;
        int o3 = o2 + ldc;
        int o4 = o3 + ldc;
        int o5 = o4 + ldc;
        int o6 = o5 + ldc;
        int o7 = o6 + ldc;
        DoubleVector c00 = load(c, co, scale);
        DoubleVector c01 = load(c, co + L, scale);
        DoubleVector c02 = load(c, co + 2 * L, scale);
        DoubleVector c10 = load(c, o1, scale);
        DoubleVector c11 = load(c, o1 + L, scale);
        DoubleVector c12 = load(c, o1 + 2 * L, scale);
        DoubleVector c20 = load(c, o2, scale);
        DoubleVector c21 = load(c, o2 + L, scale);
        DoubleVector c22 = load(c, o2 + 2 * L, scale);
        DoubleVector c30 = load(c, o3, scale);
        DoubleVector c31 = load(c, o3 + L, scale);
        DoubleVector c32 = load(c, o3 + 2 * L, scale);
        DoubleVector c40 = load(c, o4, scale);
        DoubleVector c41 = load(c, o4 + L, scale);
        DoubleVector c42 = load(c, o4 + 2 * L, scale);
        DoubleVector c50 = load(c, o5, scale);
        DoubleVector c51 = load(c, o5 + L, scale);
        DoubleVector c52 = load(c, o5 + 2 * L, scale);
        DoubleVector c60 = load(c, o6, scale);
        DoubleVector c61 = load(c, o6 + L, scale);
        DoubleVector c62 = load(c, o6 + 2 * L, scale);
        DoubleVector c70 = load(c, o7, scale);
        DoubleVector c71 = load(c, o7 + L, scale);
        DoubleVector c72 = load(c, o7 + 2 * L, scale);
        for (int p = 0; p < kc; p++) {
            int pa = ao + p * MR;
            int bb = bo + p * NR3;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bb);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bb + L);
            DoubleVector b2 = DoubleVector.fromArray(S, bp, bb + 2 * L);
            DoubleVector x = DoubleVector.broadcast(S, ap[pa]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = DoubleVector.broadcast(S, ap[pa + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = DoubleVector.broadcast(S, ap[pa + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = DoubleVector.broadcast(S, ap[pa + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            x = DoubleVector.broadcast(S, ap[pa + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            x = DoubleVector.broadcast(S, ap[pa + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            x = DoubleVector.broadcast(S, ap[pa + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            c62 = x.fma(b2, c62);
            x = DoubleVector.broadcast(S, ap[pa + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            c72 = x.fma(b2, c72);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c02.intoArray(c, co + 2 * L);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + L);
        c12.intoArray(c, o1 + 2 * L);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + L);
        c22.intoArray(c, o2 + 2 * L);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + L);
        c32.intoArray(c, o3 + 2 * L);
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + L);
        c42.intoArray(c, o4 + 2 * L);
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + L);
        c52.intoArray(c, o5 + 2 * L);
        c60.intoArray(c, o6);
        c61.intoArray(c, o6 + L);
        c62.intoArray(c, o6 + 2 * L);
        c70.intoArray(c, o7);
        c71.intoArray(c, o7 + L);
        c72.intoArray(c, o7 + 2 * L);
    }

    /** {@code c[MR × L] = fma(ap, bp, scale·c)} over kc steps of p: the first vector of each B micro-panel row. */
    private static void kernel1(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc,
                                double scale) {
        int o1 = co + ldc;
        int o2 = o1 + ldc;
        int o3 = o2 + ldc;
        int o4 = o3 + ldc;
        int o5 = o4 + ldc;
        int o6 = o5 + ldc;
        int o7 = o6 + ldc;
        DoubleVector c0 = load(c, co, scale);
        DoubleVector c1 = load(c, o1, scale);
        DoubleVector c2 = load(c, o2, scale);
        DoubleVector c3 = load(c, o3, scale);
        DoubleVector c4 = load(c, o4, scale);
        DoubleVector c5 = load(c, o5, scale);
        DoubleVector c6 = load(c, o6, scale);
        DoubleVector c7 = load(c, o7, scale);
        for (int p = 0; p < kc; p++) {
            int pa = ao + p * MR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bo + p * NR);
            c0 = DoubleVector.broadcast(S, ap[pa]).fma(b0, c0);
            c1 = DoubleVector.broadcast(S, ap[pa + 1]).fma(b0, c1);
            c2 = DoubleVector.broadcast(S, ap[pa + 2]).fma(b0, c2);
            c3 = DoubleVector.broadcast(S, ap[pa + 3]).fma(b0, c3);
            c4 = DoubleVector.broadcast(S, ap[pa + 4]).fma(b0, c4);
            c5 = DoubleVector.broadcast(S, ap[pa + 5]).fma(b0, c5);
            c6 = DoubleVector.broadcast(S, ap[pa + 6]).fma(b0, c6);
            c7 = DoubleVector.broadcast(S, ap[pa + 7]).fma(b0, c7);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, o1);
        c2.intoArray(c, o2);
        c3.intoArray(c, o3);
        c4.intoArray(c, o4);
        c5.intoArray(c, o5);
        c6.intoArray(c, o6);
        c7.intoArray(c, o7);
    }

    /**
     * One register tile: directly on {@code c} when it is whole, otherwise on a copy in {@code edge}. Element p of
     * row r of the A panel is {@code ap[ao + r·ars + p·aps]}; row p of the B panel starts at {@code bp[bo + p·bps]}.
     */
    private static void microG(int kc, double[] ap, int ao, int ars, int aps, double[] bp, int bo, int bps, double[] c,
                              int co, int ldc, int rows, int cols, double scale, double[] edge, int nr) {
        if (nr == NR3) {
            if (rows == MRG && cols == NR3) {
                kernel3G(kc, ap, ao, ars, aps, bp, bo, bps, c, co, ldc, scale);
                return;
            }
            if (scale != 0d) {
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        edge[r * NR3 + j] = c[co + r * ldc + j];
                    }
                }
            }
            kernel3G(kc, ap, ao, ars, aps, bp, bo, bps, edge, 0, NR3, scale);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    c[co + r * ldc + j] = edge[r * NR3 + j];
                }
            }
            return;
        }
        if (rows == MRG && cols == NR) {
            kernel2G(kc, ap, ao, ars, aps, bp, bo, bps, c, co, ldc, scale);
        } else if (rows == MRG && cols == L) {
            kernel1G(kc, ap, ao, ars, aps, bp, bo, bps, c, co, ldc, scale);
        } else {
            if (scale != 0d) {
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        edge[r * NR + j] = c[co + r * ldc + j];
                    }
                }
            }
            if (cols <= L) {
                kernel1G(kc, ap, ao, ars, aps, bp, bo, bps, edge, 0, NR, scale);
            } else {
                kernel2G(kc, ap, ao, ars, aps, bp, bo, bps, edge, 0, NR, scale);
            }
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    c[co + r * ldc + j] = edge[r * NR + j];
                }
            }
        }
    }

    /** {@code c[MRG × 2L] = fma(ap, bp, scale·c)} over kc steps of p, at variable strides (operands read in place). */
    private static void kernel2G(int kc, double[] ap, int ao, int ars, int aps, double[] bp, int bo, int bps,
                                double[] c, int co, int ldc, double scale) {
        int a1 = ao + ars;
        int a2 = a1 + ars;
        int a3 = a2 + ars;
        int a4 = a3 + ars;
        int a5 = a4 + ars;
        int o1 = co + ldc;
        int o2 = o1 + ldc;
        int o3 = o2 + ldc;
        int o4 = o3 + ldc;
        int o5 = o4 + ldc;
        DoubleVector c00 = load(c, co, scale);
        DoubleVector c01 = load(c, co + L, scale);
        DoubleVector c10 = load(c, o1, scale);
        DoubleVector c11 = load(c, o1 + L, scale);
        DoubleVector c20 = load(c, o2, scale);
        DoubleVector c21 = load(c, o2 + L, scale);
        DoubleVector c30 = load(c, o3, scale);
        DoubleVector c31 = load(c, o3 + L, scale);
        DoubleVector c40 = load(c, o4, scale);
        DoubleVector c41 = load(c, o4 + L, scale);
        DoubleVector c50 = load(c, o5, scale);
        DoubleVector c51 = load(c, o5 + L, scale);
        for (int p = 0; p < kc; p++) {
            int pa = p * aps;
            int bb = bo + p * bps;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bb);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bb + L);
            DoubleVector x = DoubleVector.broadcast(S, ap[ao + pa]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, ap[a1 + pa]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, ap[a2 + pa]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, ap[a3 + pa]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, ap[a4 + pa]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, ap[a5 + pa]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + L);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + L);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + L);
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + L);
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + L);
    }

    /** {@code c[MRG × 3L] = fma(ap, bp, scale·c)} over kc steps of p, at variable strides (operands read in place). */
    private static void kernel3G(int kc, double[] ap, int ao, int ars, int aps, double[] bp, int bo, int bps,
                                 double[] c, int co, int ldc, double scale) {
        int a1 = ao + ars;
        int a2 = a1 + ars;
        int a3 = a2 + ars;
        int a4 = a3 + ars;
        int a5 = a4 + ars;
        int o1 = co + ldc;
        int o2 = o1 + ldc;
        int o3 = o2 + ldc;
        int o4 = o3 + ldc;
        int o5 = o4 + ldc;
        DoubleVector c00 = load(c, co, scale);
        DoubleVector c01 = load(c, co + L, scale);
        DoubleVector c02 = load(c, co + 2 * L, scale);
        DoubleVector c10 = load(c, o1, scale);
        DoubleVector c11 = load(c, o1 + L, scale);
        DoubleVector c12 = load(c, o1 + 2 * L, scale);
        DoubleVector c20 = load(c, o2, scale);
        DoubleVector c21 = load(c, o2 + L, scale);
        DoubleVector c22 = load(c, o2 + 2 * L, scale);
        DoubleVector c30 = load(c, o3, scale);
        DoubleVector c31 = load(c, o3 + L, scale);
        DoubleVector c32 = load(c, o3 + 2 * L, scale);
        DoubleVector c40 = load(c, o4, scale);
        DoubleVector c41 = load(c, o4 + L, scale);
        DoubleVector c42 = load(c, o4 + 2 * L, scale);
        DoubleVector c50 = load(c, o5, scale);
        DoubleVector c51 = load(c, o5 + L, scale);
        DoubleVector c52 = load(c, o5 + 2 * L, scale);
        for (int p = 0; p < kc; p++) {
            int pa = p * aps;
            int bb = bo + p * bps;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bb);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bb + L);
            DoubleVector b2 = DoubleVector.fromArray(S, bp, bb + 2 * L);
            DoubleVector x = DoubleVector.broadcast(S, ap[ao + pa]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = DoubleVector.broadcast(S, ap[a1 + pa]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = DoubleVector.broadcast(S, ap[a2 + pa]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = DoubleVector.broadcast(S, ap[a3 + pa]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            x = DoubleVector.broadcast(S, ap[a4 + pa]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            x = DoubleVector.broadcast(S, ap[a5 + pa]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c02.intoArray(c, co + 2 * L);
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + L);
        c12.intoArray(c, o1 + 2 * L);
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + L);
        c22.intoArray(c, o2 + 2 * L);
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + L);
        c32.intoArray(c, o3 + 2 * L);
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + L);
        c42.intoArray(c, o4 + 2 * L);
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + L);
        c52.intoArray(c, o5 + 2 * L);
    }

    /** {@code c[MRG × L] = fma(ap, bp, scale·c)} over kc steps of p: the first vector of each B micro-panel row. */
    private static void kernel1G(int kc, double[] ap, int ao, int ars, int aps, double[] bp, int bo, int bps,
                                double[] c, int co, int ldc, double scale) {
        int a1 = ao + ars;
        int a2 = a1 + ars;
        int a3 = a2 + ars;
        int a4 = a3 + ars;
        int a5 = a4 + ars;
        int o1 = co + ldc;
        int o2 = o1 + ldc;
        int o3 = o2 + ldc;
        int o4 = o3 + ldc;
        int o5 = o4 + ldc;
        DoubleVector c0 = load(c, co, scale);
        DoubleVector c1 = load(c, o1, scale);
        DoubleVector c2 = load(c, o2, scale);
        DoubleVector c3 = load(c, o3, scale);
        DoubleVector c4 = load(c, o4, scale);
        DoubleVector c5 = load(c, o5, scale);
        for (int p = 0; p < kc; p++) {
            int pa = p * aps;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bo + p * bps);
            c0 = DoubleVector.broadcast(S, ap[ao + pa]).fma(b0, c0);
            c1 = DoubleVector.broadcast(S, ap[a1 + pa]).fma(b0, c1);
            c2 = DoubleVector.broadcast(S, ap[a2 + pa]).fma(b0, c2);
            c3 = DoubleVector.broadcast(S, ap[a3 + pa]).fma(b0, c3);
            c4 = DoubleVector.broadcast(S, ap[a4 + pa]).fma(b0, c4);
            c5 = DoubleVector.broadcast(S, ap[a5 + pa]).fma(b0, c5);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, o1);
        c2.intoArray(c, o2);
        c3.intoArray(c, o3);
        c4.intoArray(c, o4);
        c5.intoArray(c, o5);
    }
}
