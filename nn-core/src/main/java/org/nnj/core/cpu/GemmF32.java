package org.nnj.core.cpu;

/**
 * The scalar float32 gemm kernel ({@link GemmKernel#scalar()}): {@code c = alpha·op(a)·op(b) + beta·c} on
 * row-major arrays, accumulating in float like BLAS {@code sgemm}. It needs no JVM flags; with
 * {@code --add-modules jdk.incubator.vector} the several times faster {@link VectorGemmF32} is used instead
 * ({@link GemmKernel#best()}). {@link GemmF64} is its line-for-line float64 twin; change both together.
 *
 * <p>Every element of {@code c} is computed by the same sequence of roundings whatever the tiling and thread count:
 * first {@code c = beta·c} (or {@code 0} when {@code beta = 0}), then {@code c = c + (alpha·op(a)[i,p])·op(b)[p,j]}
 * for {@code p = 0, 1, …, k-1} in order. Tiles split only the output, so results are bit-identical for any number of
 * threads.
 *
 * <p>Loop order: for a tile of rows and a block of columns of {@code c}, the k axis is walked in blocks; each row of
 * {@code c} then takes a unit-stride {@code axpy} from four rows of {@code op(b)} at a time. {@code op(a)} is read a
 * scalar at a time through strides, so a transposed {@code a} costs nothing. A transposed {@code b} is packed, one
 * {@link #KB}×{@link #NB} panel at a time, into a per-thread scratch so that the inner loop stays unit-stride.
 */
final class GemmF32 {
    /** Rows of {@code op(b)} (the k axis) per block. */
    static final int KB = 256;
    /** Columns of {@code c} per block: one row segment of {@code c} stays in L1 while a block of k is applied. */
    static final int NB = 256;

    private GemmF32() {
    }

    /** Computes rows {@code [i0, i1)} × columns {@code [j0, j1)} of {@code c}. */
    static void tile(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                     float beta, float[] c, int i0, int i1, int j0, int j1) {
        for (int i = i0; i < i1; i++) {
            int ci = i * n;
            if (beta == 0f) {
                java.util.Arrays.fill(c, ci + j0, ci + j1, 0f);
            } else if (beta != 1f) {
                for (int j = j0; j < j1; j++) {
                    c[ci + j] *= beta;
                }
            }
        }
        if (k == 0) {
            return;
        }
        // op(b) is packed unless its rows are already a compact block: a transposed b must be, and a block that is
        // narrower than b's rows would be read at a large power-of-two-ish stride that thrashes cache sets
        boolean pack = transB || j1 - j0 < n || n > NB;
        float[] panel = pack ? Scratch.gemmFloats(1, KB * NB) : null;
        for (int jb = j0; jb < j1; jb += NB) {
            int jn = Math.min(NB, j1 - jb);
            for (int pb = 0; pb < k; pb += KB) {
                int pn = Math.min(KB, k - pb);
                float[] bp;
                int boff;
                int ldb;
                if (transB) {
                    // op(b)[p, j] = b[j*k + p]: copy the block so that a row of op(b) is contiguous
                    for (int jj = 0; jj < jn; jj++) {
                        int src = (jb + jj) * k + pb;
                        for (int pp = 0; pp < pn; pp++) {
                            panel[pp * jn + jj] = b[src + pp];
                        }
                    }
                    bp = panel;
                    boff = 0;
                    ldb = jn;
                } else if (pack) {
                    for (int pp = 0; pp < pn; pp++) {
                        System.arraycopy(b, (pb + pp) * n + jb, panel, pp * jn, jn);
                    }
                    bp = panel;
                    boff = 0;
                    ldb = jn;
                } else {
                    bp = b;
                    boff = pb * n + jb;
                    ldb = n;
                }
                for (int i = i0; i < i1; i++) {
                    // op(a)[i, p] = transA ? a[p*m + i] : a[i*k + p]
                    int ai = transA ? pb * m + i : i * k + pb;
                    int as = transA ? m : 1;
                    row(c, i * n + jb, jn, alpha, a, ai, as, pn, bp, boff, ldb);
                }
            }
        }
    }

    /** {@code c[co .. co+jn) += Σ_p (alpha·a[ai + p·as])·bp[boff + p·ldb .. +jn)} for {@code p < pn}, in order of p. */
    private static void row(float[] c, int co, int jn, float alpha, float[] a, int ai, int as, int pn,
                            float[] bp, int boff, int ldb) {
        int p = 0;
        for (; p + 3 < pn; p += 4) {
            float s0 = alpha * a[ai + p * as];
            float s1 = alpha * a[ai + (p + 1) * as];
            float s2 = alpha * a[ai + (p + 2) * as];
            float s3 = alpha * a[ai + (p + 3) * as];
            int b0 = boff + p * ldb;
            int b1 = b0 + ldb;
            int b2 = b1 + ldb;
            int b3 = b2 + ldb;
            for (int j = 0; j < jn; j++) {
                // the same roundings, in the same order, as four single-p passes: only memory traffic is saved
                c[co + j] = (((c[co + j] + s0 * bp[b0 + j]) + s1 * bp[b1 + j]) + s2 * bp[b2 + j]) + s3 * bp[b3 + j];
            }
        }
        for (; p < pn; p++) {
            float s = alpha * a[ai + p * as];
            int b0 = boff + p * ldb;
            for (int j = 0; j < jn; j++) {
                c[co + j] += s * bp[b0 + j];
            }
        }
    }
}
