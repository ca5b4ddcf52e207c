package org.nnj.core.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The packed, register-blocked float32 gemm kernel written with {@code jdk.incubator.vector}; {@link VectorGemmF64}
 * is its line-for-line float64 twin (change both together). Only loaded when that module is in the boot layer (see
 * {@link GemmKernel#best()}).
 *
 * <p>Blocking, as in BLIS: for a block of {@link #NC} columns and a block of {@link #KC} of the k axis, {@code op(b)}
 * is packed into micro-panels {@link #NR} columns wide; for each block of {@link #MC} rows, {@code alpha·op(a)} is
 * packed into micro-panels {@link #MR} rows tall (zero-padded at the edges). The micro-kernel then keeps an
 * {@code MR × NR} tile of {@code c} in twelve vector registers while it walks the k block, one B micro-panel staying in
 * L1 while the A micro-panels stream from L2. Transposes cost nothing beyond the packing.
 *
 * <p>Every element of {@code c} sees the same roundings whatever the blocking, the thread count or its position in a
 * tile (edge tiles run the same kernel on a copy): {@code c = beta·c} (or {@code 0} when {@code beta = 0}), then
 * {@code c = fma(alpha·op(a)[i,p], op(b)[p,j], c)} for {@code p = 0, 1, …, k-1} in order.
 */
final class VectorGemmF32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int L = S.length();
    /** Rows of the register tile. */
    static final int MR = 6;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /** The k block: one B micro-panel ({@code KC × NR}) fits in L1. */
    static final int KC = 256;
    /** Rows per packed A block ({@code MC × KC} in L2); a multiple of {@link #MR}. */
    static final int MC = 120;
    /** Up to this many columns (rows) of c per thread, op(a) (op(b)) is read in place rather than packed. */
    static final int DIRECT = 64;
    /** Columns per packed B block ({@code KC × NC}); a multiple of {@link #NR}. */
    static final int NC = 32 * NR;

    private VectorGemmF32() {
    }

    /** Computes rows {@code [i0, i1)} × columns {@code [j0, j1)} of {@code c}. */
    static void tile(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                     float beta, float[] c, int i0, int i1, int j0, int j1) {
        if (i0 >= i1 || j0 >= j1) {
            return;
        }
        if (k == 0) {
            scaleByBeta(c, n, beta, i0, i1, j0, j1);
            return;
        }
        // k in equal blocks of at most KC (784 = 4 × 196, not 3 × 256 + 16): the order of p is the same either way
        int kBlocks = (k + KC - 1) / KC;
        int kcMax = (k + kBlocks - 1) / kBlocks;
        float[] ap = Scratch.gemmFloats(0, MC * kcMax);
        float[] bp = Scratch.gemmFloats(1, kcMax * NC);
        float[] edge = Scratch.gemmFloats(2, MR * NR);
        // Packing costs about as much per element as one multiply-add per column (for a) or row (for b) it feeds: a
        // narrow output reads op(a) in place, a short one reads op(b) in place (whole register tiles only).
        boolean directA = alpha == 1f && j1 - j0 <= DIRECT;
        boolean directB = !transB && i1 - i0 <= DIRECT;
        int ars = transA ? 1 : k;
        int aps = transA ? m : 1;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                // the first k block applies beta as it loads c (beta = 0: starts from zero, ignoring NaN in c)
                float scale = pc == 0 ? beta : 1f;
                if (!directB) {
                    packB(transB, b, n, k, pc, kc, jc, nc, bp);
                }
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    if (!directA) {
                        packA(transA, a, m, k, alpha, ic, mc, pc, kc, ap);
                    }
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        float[] bs = bp;
                        int bo = jr * kc;
                        int bps = NR;
                        if (directB) {
                            if (cols == NR) {
                                bs = b;
                                bo = pc * n + jc + jr;
                                bps = n;
                            } else {
                                packB(false, b, n, k, pc, kc, jc + jr, cols, bp);
                                bo = 0;
                            }
                        }
                        for (int ir = 0; ir < mc; ir += MR) {
                            int rows = Math.min(MR, mc - ir);
                            if (!directA) {
                                micro(kc, ap, ir * kc, 1, MR, bs, bo, bps, c, (ic + ir) * n + jc + jr, n, rows, cols,
                                        scale, edge);
                            } else if (rows == MR) {
                                int ao = transA ? pc * m + ic + ir : (ic + ir) * k + pc;
                                micro(kc, a, ao, ars, aps, bs, bo, bps, c, (ic + ir) * n + jc + jr, n, rows, cols,
                                        scale, edge);
                            } else {
                                packA(transA, a, m, k, alpha, ic + ir, rows, pc, kc, ap);
                                micro(kc, ap, 0, 1, MR, bs, bo, bps, c, (ic + ir) * n + jc + jr, n, rows, cols, scale,
                                        edge);
                            }
                        }
                    }
                }
            }
        }
    }

    static void scaleByBeta(float[] c, int n, float beta, int i0, int i1, int j0, int j1) {
        if (beta == 1f) {
            return;
        }
        for (int i = i0; i < i1; i++) {
            int ci = i * n;
            if (beta == 0f) {
                Arrays.fill(c, ci + j0, ci + j1, 0f);
            } else {
                for (int j = j0; j < j1; j++) {
                    c[ci + j] *= beta;
                }
            }
        }
    }

    /** {@code ap[r·kc … ] = alpha·op(a)[ic + r, pc + p]} in micro-panels of MR rows, p-major, zero-padded. */
    private static void packA(boolean transA, float[] a, int m, int k, float alpha, int ic, int mc, int pc, int kc,
                              float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (transA) {
                // op(a)[i, p] = a[p·m + i]: MR consecutive values per p
                for (int p = 0; p < kc; p++) {
                    int src = (pc + p) * m + ic + ir;
                    int dst = base + p * MR;
                    for (int r = 0; r < rows; r++) {
                        ap[dst + r] = alpha * a[src + r];
                    }
                    for (int r = rows; r < MR; r++) {
                        ap[dst + r] = 0f;
                    }
                }
            } else {
                // op(a)[i, p] = a[i·k + p]: read each row along p
                for (int r = 0; r < rows; r++) {
                    int src = (ic + ir + r) * k + pc;
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * MR + r] = alpha * a[src + p];
                    }
                }
                for (int r = rows; r < MR; r++) {
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * MR + r] = 0f;
                    }
                }
            }
        }
    }

    /** {@code bp[j·kc … ] = op(b)[pc + p, jc + j]} in micro-panels of NR columns, p-major, zero-padded. */
    private static void packB(boolean transB, float[] b, int n, int k, int pc, int kc, int jc, int nc, float[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (transB) {
                // op(b)[p, j] = b[j·k + p]: read each row of b along p
                for (int jj = 0; jj < cols; jj++) {
                    int src = (jc + jr + jj) * k + pc;
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + jj] = b[src + p];
                    }
                }
                for (int jj = cols; jj < NR; jj++) {
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + jj] = 0f;
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = (pc + p) * n + jc + jr;
                    int dst = base + p * NR;
                    if (cols == NR) {
                        // two vector copies: far cheaper than an arraycopy call per 2L elements
                        FloatVector.fromArray(S, b, src).intoArray(bp, dst);
                        FloatVector.fromArray(S, b, src + L).intoArray(bp, dst + L);
                    } else {
                        System.arraycopy(b, src, bp, dst, cols);
                        Arrays.fill(bp, dst + cols, dst + NR, 0f);
                    }
                }
            }
        }
    }

    /**
     * One register tile: directly on {@code c} when it is whole, otherwise on a copy in {@code edge}. Element p of
     * row r of the A panel is {@code ap[ao + r·ars + p·aps]}; row p of the B panel starts at {@code bp[bo + p·bps]}.
     */
    private static void micro(int kc, float[] ap, int ao, int ars, int aps, float[] bp, int bo, int bps, float[] c,
                              int co, int ldc, int rows, int cols, float scale, float[] edge) {
        if (rows == MR && cols == NR) {
            kernel2(kc, ap, ao, ars, aps, bp, bo, bps, c, co, ldc, scale);
        } else if (rows == MR && cols == L) {
            kernel1(kc, ap, ao, ars, aps, bp, bo, bps, c, co, ldc, scale);
        } else {
            if (scale != 0f) {
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) {
                        edge[r * NR + j] = c[co + r * ldc + j];
                    }
                }
            }
            if (cols <= L) {
                kernel1(kc, ap, ao, ars, aps, bp, bo, bps, edge, 0, NR, scale);
            } else {
                kernel2(kc, ap, ao, ars, aps, bp, bo, bps, edge, 0, NR, scale);
            }
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    c[co + r * ldc + j] = edge[r * NR + j];
                }
            }
        }
    }

    /** Row {@code o} of a tile of c: loaded, times {@code scale} unless 1, or zero when {@code scale} is 0. */
    private static FloatVector load(float[] c, int o, float scale) {
        if (scale == 0f) {
            return FloatVector.zero(S);
        }
        FloatVector v = FloatVector.fromArray(S, c, o);
        return scale == 1f ? v : v.mul(scale);
    }

    /** {@code c[MR × 2L] = fma(ap, bp, scale·c)} over kc steps of p. */
    private static void kernel2(int kc, float[] ap, int ao, int ars, int aps, float[] bp, int bo, int bps,
                                float[] c, int co, int ldc, float scale) {
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
        FloatVector c00 = load(c, co, scale);
        FloatVector c01 = load(c, co + L, scale);
        FloatVector c10 = load(c, o1, scale);
        FloatVector c11 = load(c, o1 + L, scale);
        FloatVector c20 = load(c, o2, scale);
        FloatVector c21 = load(c, o2 + L, scale);
        FloatVector c30 = load(c, o3, scale);
        FloatVector c31 = load(c, o3 + L, scale);
        FloatVector c40 = load(c, o4, scale);
        FloatVector c41 = load(c, o4 + L, scale);
        FloatVector c50 = load(c, o5, scale);
        FloatVector c51 = load(c, o5 + L, scale);
        for (int p = 0; p < kc; p++) {
            int pa = p * aps;
            int bb = bo + p * bps;
            FloatVector b0 = FloatVector.fromArray(S, bp, bb);
            FloatVector b1 = FloatVector.fromArray(S, bp, bb + L);
            FloatVector x = FloatVector.broadcast(S, ap[ao + pa]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[a1 + pa]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[a2 + pa]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[a3 + pa]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[a4 + pa]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[a5 + pa]);
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

    /** {@code c[MR × L] = fma(ap, bp, scale·c)} over kc steps of p: the first vector of each B micro-panel row. */
    private static void kernel1(int kc, float[] ap, int ao, int ars, int aps, float[] bp, int bo, int bps,
                                float[] c, int co, int ldc, float scale) {
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
        FloatVector c0 = load(c, co, scale);
        FloatVector c1 = load(c, o1, scale);
        FloatVector c2 = load(c, o2, scale);
        FloatVector c3 = load(c, o3, scale);
        FloatVector c4 = load(c, o4, scale);
        FloatVector c5 = load(c, o5, scale);
        for (int p = 0; p < kc; p++) {
            int pa = p * aps;
            FloatVector b0 = FloatVector.fromArray(S, bp, bo + p * bps);
            c0 = FloatVector.broadcast(S, ap[ao + pa]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[a1 + pa]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[a2 + pa]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[a3 + pa]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, ap[a4 + pa]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, ap[a5 + pa]).fma(b0, c5);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, o1);
        c2.intoArray(c, o2);
        c3.intoArray(c, o3);
        c4.intoArray(c, o4);
        c5.intoArray(c, o5);
    }
}
