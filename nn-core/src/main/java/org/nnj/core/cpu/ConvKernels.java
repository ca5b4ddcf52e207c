package org.nnj.core.cpu;

import static org.nnj.core.cpu.CpuBackend.own;
import static org.nnj.core.cpu.CpuBackend.sameDType;

import java.util.Arrays;
import org.nnj.api.ConvGeometry;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * Convolution and pooling kernels of the cpu backend: im2col / col2im, axis permutation, max and average pooling.
 *
 * <p>Every method checks its arguments once, then runs tight loops over the backing arrays: window bounds are
 * clipped once per output position, so the inner loops neither test for padding nor re-check indices. Given a
 * {@link CpuExecutor}, work is split over samples (im2col, col2im), over {@code (sample, channel)} planes (pooling)
 * or over the outermost axis (permute); each part writes only its own output elements and sums in the same order as
 * a single thread, so results are bit-identical for any thread count. Without an executor ({@code null}) everything
 * runs on the caller's thread. {@link #maxPoolBackward} always runs on the caller's thread, because its targets
 * come from {@code argmax} and may be shared between parts.
 */
final class ConvKernels {
    /** Below this many elements of output, splitting costs more than it saves. */
    private static final int MIN_PARALLEL_ELEMENTS = 1 << 15;

    private ConvKernels() {
    }

    /** Work on the half-open range {@code [from, to)} of some outer index. */
    @FunctionalInterface
    private interface Range {
        void run(int from, int to);
    }

    /** Runs {@code body} over {@code [0, count)}, split into contiguous ranges when it is worth it. */
    private static void split(CpuExecutor ex, int count, long elements, Range body) {
        int parts = ex == null || elements < MIN_PARALLEL_ELEMENTS ? 1 : Math.min(ex.threads(), count);
        if (parts <= 1) {
            body.run(0, count);
            return;
        }
        ex.run(parts, p -> body.run((int) ((long) count * p / parts), (int) ((long) count * (p + 1) / parts)));
    }

    // ---- im2col / col2im ------------------------------------------------------------------------------------------

    static void im2col(Tensor x, ConvGeometry g, Tensor col) {
        im2col(null, x, g, col);
    }

    static void im2col(CpuExecutor ex, Tensor x, ConvGeometry g, Tensor col) {
        CpuTensor tx = own("im2col", "x", x);
        CpuTensor tc = own("im2col", "col", col);
        sameDType("im2col", "x", tx, "col", tc);
        int n = images("im2col", "x", tx, g);
        checkCol("im2col", tc, n, g, tx.shape());
        distinct("im2col", "x", tx, "col", tc);
        int rows = g.outHeight() * g.outWidth();
        int k = g.windowSize();
        if (tx.isFloat()) {
            float[] xs = tx.floats();
            float[] cs = tc.floats();
            split(ex, n, (long) tc.size(), (from, to) -> im2colF32(xs, cs, g, from, to, rows, k));
        } else {
            double[] xs = tx.doubles();
            double[] cs = tc.doubles();
            split(ex, n, (long) tc.size(), (from, to) -> im2colF64(xs, cs, g, from, to, rows, k));
        }
    }

    static void col2im(Tensor col, ConvGeometry g, Tensor dx) {
        col2im(null, col, g, dx);
    }

    static void col2im(CpuExecutor ex, Tensor col, ConvGeometry g, Tensor dx) {
        CpuTensor tc = own("col2im", "col", col);
        CpuTensor td = own("col2im", "dx", dx);
        sameDType("col2im", "col", tc, "dx", td);
        int n = images("col2im", "dx", td, g);
        checkCol("col2im", tc, n, g, td.shape());
        distinct("col2im", "col", tc, "dx", td);
        int rows = g.outHeight() * g.outWidth();
        int k = g.windowSize();
        if (tc.isFloat()) {
            float[] cs = tc.floats();
            float[] ds = td.floats();
            split(ex, n, (long) tc.size(), (from, to) -> col2imF32(cs, ds, g, from, to, rows, k));
        } else {
            double[] cs = tc.doubles();
            double[] ds = td.doubles();
            split(ex, n, (long) tc.size(), (from, to) -> col2imF64(cs, ds, g, from, to, rows, k));
        }
    }

    private static void im2colF64(double[] x, double[] col, ConvGeometry g, int from, int to, int rows, int k) {
        int c = g.channels();
        int h = g.height();
        int w = g.width();
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int s = g.stride();
        int p = g.pad();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int plane = h * w;
        for (int img = from; img < to; img++) {
            int xBase = img * c * plane;
            int o = img * rows * k;
            for (int oy = 0; oy < oh; oy++) {
                int iy0 = oy * s - p;
                int kyLo = Math.min(kh, Math.max(0, -iy0));
                int kyHi = Math.max(kyLo, Math.min(kh, h - iy0));
                for (int ox = 0; ox < ow; ox++) {
                    int ix0 = ox * s - p;
                    int kxLo = Math.min(kw, Math.max(0, -ix0));
                    int kxHi = Math.max(kxLo, Math.min(kw, w - ix0));
                    for (int ch = 0; ch < c; ch++) {
                        int xc = xBase + ch * plane + iy0 * w + ix0;
                        for (int ky = 0; ky < kh; ky++, o += kw) {
                            if (ky < kyLo || ky >= kyHi) {
                                Arrays.fill(col, o, o + kw, 0.0);
                                continue;
                            }
                            int xr = xc + ky * w;
                            for (int kx = 0; kx < kxLo; kx++) {
                                col[o + kx] = 0.0;
                            }
                            for (int kx = kxLo; kx < kxHi; kx++) {
                                col[o + kx] = x[xr + kx];
                            }
                            for (int kx = kxHi; kx < kw; kx++) {
                                col[o + kx] = 0.0;
                            }
                        }
                    }
                }
            }
        }
    }

    private static void im2colF32(float[] x, float[] col, ConvGeometry g, int from, int to, int rows, int k) {
        int c = g.channels();
        int h = g.height();
        int w = g.width();
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int s = g.stride();
        int p = g.pad();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int plane = h * w;
        for (int img = from; img < to; img++) {
            int xBase = img * c * plane;
            int o = img * rows * k;
            for (int oy = 0; oy < oh; oy++) {
                int iy0 = oy * s - p;
                int kyLo = Math.min(kh, Math.max(0, -iy0));
                int kyHi = Math.max(kyLo, Math.min(kh, h - iy0));
                for (int ox = 0; ox < ow; ox++) {
                    int ix0 = ox * s - p;
                    int kxLo = Math.min(kw, Math.max(0, -ix0));
                    int kxHi = Math.max(kxLo, Math.min(kw, w - ix0));
                    for (int ch = 0; ch < c; ch++) {
                        int xc = xBase + ch * plane + iy0 * w + ix0;
                        for (int ky = 0; ky < kh; ky++, o += kw) {
                            if (ky < kyLo || ky >= kyHi) {
                                Arrays.fill(col, o, o + kw, 0f);
                                continue;
                            }
                            int xr = xc + ky * w;
                            for (int kx = 0; kx < kxLo; kx++) {
                                col[o + kx] = 0f;
                            }
                            for (int kx = kxLo; kx < kxHi; kx++) {
                                col[o + kx] = x[xr + kx];
                            }
                            for (int kx = kxHi; kx < kw; kx++) {
                                col[o + kx] = 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of im2colF64: dx of each image in the range is zeroed, then every in-image window entry added. */
    private static void col2imF64(double[] col, double[] dx, ConvGeometry g, int from, int to, int rows, int k) {
        int c = g.channels();
        int h = g.height();
        int w = g.width();
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int s = g.stride();
        int p = g.pad();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int plane = h * w;
        Arrays.fill(dx, from * c * plane, to * c * plane, 0.0);
        for (int img = from; img < to; img++) {
            int xBase = img * c * plane;
            int o = img * rows * k;
            for (int oy = 0; oy < oh; oy++) {
                int iy0 = oy * s - p;
                int kyLo = Math.min(kh, Math.max(0, -iy0));
                int kyHi = Math.max(kyLo, Math.min(kh, h - iy0));
                for (int ox = 0; ox < ow; ox++) {
                    int ix0 = ox * s - p;
                    int kxLo = Math.min(kw, Math.max(0, -ix0));
                    int kxHi = Math.max(kxLo, Math.min(kw, w - ix0));
                    for (int ch = 0; ch < c; ch++) {
                        int xc = xBase + ch * plane + iy0 * w + ix0;
                        for (int ky = 0; ky < kh; ky++, o += kw) {
                            if (ky < kyLo || ky >= kyHi) {
                                continue;
                            }
                            int xr = xc + ky * w;
                            for (int kx = kxLo; kx < kxHi; kx++) {
                                dx[xr + kx] += col[o + kx];
                            }
                        }
                    }
                }
            }
        }
    }

    private static void col2imF32(float[] col, float[] dx, ConvGeometry g, int from, int to, int rows, int k) {
        int c = g.channels();
        int h = g.height();
        int w = g.width();
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int s = g.stride();
        int p = g.pad();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int plane = h * w;
        Arrays.fill(dx, from * c * plane, to * c * plane, 0f);
        for (int img = from; img < to; img++) {
            int xBase = img * c * plane;
            int o = img * rows * k;
            for (int oy = 0; oy < oh; oy++) {
                int iy0 = oy * s - p;
                int kyLo = Math.min(kh, Math.max(0, -iy0));
                int kyHi = Math.max(kyLo, Math.min(kh, h - iy0));
                for (int ox = 0; ox < ow; ox++) {
                    int ix0 = ox * s - p;
                    int kxLo = Math.min(kw, Math.max(0, -ix0));
                    int kxHi = Math.max(kxLo, Math.min(kw, w - ix0));
                    for (int ch = 0; ch < c; ch++) {
                        int xc = xBase + ch * plane + iy0 * w + ix0;
                        for (int ky = 0; ky < kh; ky++, o += kw) {
                            if (ky < kyLo || ky >= kyHi) {
                                continue;
                            }
                            int xr = xc + ky * w;
                            for (int kx = kxLo; kx < kxHi; kx++) {
                                dx[xr + kx] += col[o + kx];
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- permute --------------------------------------------------------------------------------------------------

    static void permute(Tensor x, int[] axes, Tensor out) {
        permute(null, x, axes, out);
    }

    /**
     * Copies {@code x} into {@code out} with axes permuted. Axes of length 1 are dropped and runs of axes that stay
     * adjacent are merged first, so {@code (n, p, f) → (n, f, p)} becomes a batch of 2-D transposes, and a
     * permutation that moves nothing becomes one {@code arraycopy}.
     */
    static void permute(CpuExecutor ex, Tensor x, int[] axes, Tensor out) {
        CpuTensor tx = own("permute", "x", x);
        CpuTensor to = own("permute", "out", out);
        sameDType("permute", "x", tx, "out", to);
        if (axes == null) {
            throw new NullPointerException("permute: axes is null");
        }
        int[] xd = tx.shape().dims();
        int rank = xd.length;
        boolean[] seen = new boolean[rank];
        boolean valid = axes.length == rank;
        for (int i = 0; valid && i < rank; i++) {
            valid = axes[i] >= 0 && axes[i] < rank && !seen[axes[i]];
            if (valid) {
                seen[axes[i]] = true;
            }
        }
        if (!valid) {
            throw new ShapeException("permute: axes " + Arrays.toString(axes) + " are not a permutation of the "
                    + rank + " axes of x " + tx.shape());
        }
        int[] od = new int[rank];
        for (int i = 0; i < rank; i++) {
            od[i] = xd[axes[i]];
        }
        if (!to.shape().equals(Shape.of(od))) {
            throw new ShapeException("permute: x " + tx.shape() + " permuted by " + Arrays.toString(axes) + " is "
                    + Shape.of(od) + ", but out is " + to.shape());
        }
        distinct("permute", "x", tx, "out", to);
        // x's strides, taken in out's axis order; then drop length-1 axes and merge axes that stay contiguous
        int[] xStride = new int[rank];
        for (int i = rank - 1, st = 1; i >= 0; i--) {
            xStride[i] = st;
            st *= xd[i];
        }
        int[] dims = new int[rank];
        int[] strides = new int[rank];
        int r = 0;
        for (int i = 0; i < rank; i++) {
            int d = od[i];
            int st = xStride[axes[i]];
            if (d == 1) {
                continue;
            }
            if (r > 0 && strides[r - 1] == st * d) {
                dims[r - 1] *= d;
                strides[r - 1] = st;
            } else {
                dims[r] = d;
                strides[r] = st;
                r++;
            }
        }
        int size = tx.size();
        if (size == 0) {
            return;
        }
        if (r == 0 || (r == 1 && strides[0] == 1)) {
            System.arraycopy(tx.storage(), 0, to.storage(), 0, size);
            return;
        }
        int rr = r;
        int inner = size / dims[0];
        if (tx.isFloat()) {
            float[] xs = tx.floats();
            float[] os = to.floats();
            split(ex, dims[0], size, (from, end) -> permuteF32(xs, os, dims, strides, rr, from, end, inner));
        } else {
            double[] xs = tx.doubles();
            double[] os = to.doubles();
            split(ex, dims[0], size, (from, end) -> permuteF64(xs, os, dims, strides, rr, from, end, inner));
        }
    }

    /**
     * Writes out's elements {@code [from·inner, end·inner)} in row-major order; {@code dims}/{@code strides} are the
     * simplified out axes and their strides in x ({@code r ≥ 1} of them).
     */
    private static void permuteF64(double[] x, double[] out, int[] dims, int[] strides, int r, int from, int end,
                                   int inner) {
        int last = r - 1;
        int n = dims[last];
        int st = strides[last];
        if (r == 1) {
            for (int i = from, src = from * st; i < end; i++, src += st) {
                out[i] = x[src];
            }
            return;
        }
        if (r == 2 && st == 1) { // whole contiguous rows, gathered
            for (int i = from; i < end; i++) {
                System.arraycopy(x, i * strides[0], out, i * n, n);
            }
            return;
        }
        int[] idx = new int[r];
        idx[0] = from;
        int src = from * strides[0];
        int o = from * inner;
        int stop = end * inner;
        while (o < stop) {
            for (int i = 0, s = src; i < n; i++, s += st) {
                out[o + i] = x[s];
            }
            o += n;
            for (int a = last - 1; a >= 0; a--) {
                src += strides[a];
                if (++idx[a] < dims[a] || a == 0) {
                    break;
                }
                src -= strides[a] * dims[a];
                idx[a] = 0;
            }
        }
    }

    private static void permuteF32(float[] x, float[] out, int[] dims, int[] strides, int r, int from, int end,
                                   int inner) {
        int last = r - 1;
        int n = dims[last];
        int st = strides[last];
        if (r == 1) {
            for (int i = from, src = from * st; i < end; i++, src += st) {
                out[i] = x[src];
            }
            return;
        }
        if (r == 2 && st == 1) {
            for (int i = from; i < end; i++) {
                System.arraycopy(x, i * strides[0], out, i * n, n);
            }
            return;
        }
        int[] idx = new int[r];
        idx[0] = from;
        int src = from * strides[0];
        int o = from * inner;
        int stop = end * inner;
        while (o < stop) {
            for (int i = 0, s = src; i < n; i++, s += st) {
                out[o + i] = x[s];
            }
            o += n;
            for (int a = last - 1; a >= 0; a--) {
                src += strides[a];
                if (++idx[a] < dims[a] || a == 0) {
                    break;
                }
                src -= strides[a] * dims[a];
                idx[a] = 0;
            }
        }
    }

    // ---- pooling --------------------------------------------------------------------------------------------------

    static void maxPool(Tensor x, ConvGeometry g, Tensor out, int[] argmax) {
        maxPool(null, x, g, out, argmax);
    }

    /** Windows are clipped to the image, so padding never wins; ties keep the first element in row-major order. */
    static void maxPool(CpuExecutor ex, Tensor x, ConvGeometry g, Tensor out, int[] argmax) {
        CpuTensor tx = own("maxPool", "x", x);
        CpuTensor to = own("maxPool", "out", out);
        sameDType("maxPool", "x", tx, "out", to);
        int n = images("maxPool", "x", tx, g);
        checkPool("maxPool", "out", to, n, g, tx.shape());
        distinct("maxPool", "x", tx, "out", to);
        if (argmax == null) {
            throw new NullPointerException("maxPool: argmax is null");
        }
        if (argmax.length < to.size()) {
            throw new ShapeException("maxPool: argmax has " + argmax.length + " entries for the " + to.size()
                    + " elements of out " + to.shape());
        }
        int planes = n * g.channels();
        if (tx.isFloat()) {
            float[] xs = tx.floats();
            float[] os = to.floats();
            split(ex, planes, to.size(), (from, end) -> maxPoolF32(xs, os, argmax, g, from, end));
        } else {
            double[] xs = tx.doubles();
            double[] os = to.doubles();
            split(ex, planes, to.size(), (from, end) -> maxPoolF64(xs, os, argmax, g, from, end));
        }
    }

    private static void maxPoolF64(double[] x, double[] out, int[] argmax, ConvGeometry g, int from, int end) {
        int h = g.height();
        int w = g.width();
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int s = g.stride();
        int p = g.pad();
        int oh = g.outHeight();
        int ow = g.outWidth();
        if (kh == 2 && kw == 2 && p == 0) {
            maxPool2x2F64(x, out, argmax, h, w, s, oh, ow, from, end);
            return;
        }
        for (int q = from; q < end; q++) {
            int xb = q * h * w;
            int o = q * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = Math.max(oy * s - p, 0);
                int y1 = Math.min(oy * s - p + kh, h);
                for (int ox = 0; ox < ow; ox++, o++) {
                    int x0 = Math.max(ox * s - p, 0);
                    int x1 = Math.min(ox * s - p + kw, w);
                    int best = xb + y0 * w + x0;
                    double bv = x[best];
                    boolean nan = false;
                    for (int iy = y0; iy < y1; iy++) {
                        int row = xb + iy * w;
                        for (int ix = row + x0, stop = row + x1; ix < stop; ix++) {
                            double v = x[ix];
                            boolean greater = v > bv; // unpredictable on real data: written for conditional moves
                            bv = greater ? v : bv;
                            best = greater ? ix : best;
                            nan |= v != v;
                        }
                    }
                    if (nan) { // rare: find the first NaN, which wins like numpy's argmax
                        best = firstNaN(x, xb, w, y0, y1, x0, x1);
                        bv = x[best];
                    }
                    out[o] = bv;
                    argmax[o] = best;
                }
            }
        }
    }

    /** The book's pooling window (2×2, no padding, any stride): straight-line comparisons, no clipping. */
    private static void maxPool2x2F64(double[] x, double[] out, int[] argmax, int h, int w, int s, int oh, int ow,
                                        int from, int end) {
        for (int q = from; q < end; q++) {
            int xb = q * h * w;
            int o = q * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int r0 = xb + oy * s * w;
                for (int ox = 0; ox < ow; ox++, o++, r0 += s) {
                    int r1 = r0 + w;
                    double a = x[r0];
                    double b = x[r0 + 1];
                    double c = x[r1];
                    double d = x[r1 + 1];
                    // first-wins maxima of the two rows, then of the two winners; only indices are selected,
                    // which the JIT turns into conditional moves (random data defeats branch prediction)
                    int top = b > a ? r0 + 1 : r0;
                    int bottom = d > c ? r1 + 1 : r1;
                    int best = x[bottom] > x[top] ? bottom : top;
                    double m = x[best];
                    if (a != a || b != b || c != c || d != d) { // a NaN wins: the first one
                        best = a != a ? r0 : b != b ? r0 + 1 : c != c ? r1 : r1 + 1;
                        m = x[best];
                    }
                    out[o] = m;
                    argmax[o] = best;
                }
            }
        }
    }

    private static void maxPoolF32(float[] x, float[] out, int[] argmax, ConvGeometry g, int from, int end) {
        int h = g.height();
        int w = g.width();
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int s = g.stride();
        int p = g.pad();
        int oh = g.outHeight();
        int ow = g.outWidth();
        if (kh == 2 && kw == 2 && p == 0) {
            maxPool2x2F32(x, out, argmax, h, w, s, oh, ow, from, end);
            return;
        }
        for (int q = from; q < end; q++) {
            int xb = q * h * w;
            int o = q * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = Math.max(oy * s - p, 0);
                int y1 = Math.min(oy * s - p + kh, h);
                for (int ox = 0; ox < ow; ox++, o++) {
                    int x0 = Math.max(ox * s - p, 0);
                    int x1 = Math.min(ox * s - p + kw, w);
                    int best = xb + y0 * w + x0;
                    float bv = x[best];
                    boolean nan = false;
                    for (int iy = y0; iy < y1; iy++) {
                        int row = xb + iy * w;
                        for (int ix = row + x0, stop = row + x1; ix < stop; ix++) {
                            float v = x[ix];
                            boolean greater = v > bv; // unpredictable on real data: written for conditional moves
                            bv = greater ? v : bv;
                            best = greater ? ix : best;
                            nan |= v != v;
                        }
                    }
                    if (nan) { // rare: find the first NaN, which wins like numpy's argmax
                        best = firstNaN(x, xb, w, y0, y1, x0, x1);
                        bv = x[best];
                    }
                    out[o] = bv;
                    argmax[o] = best;
                }
            }
        }
    }

    /** The book's pooling window (2×2, no padding, any stride): straight-line comparisons, no clipping. */
    private static void maxPool2x2F32(float[] x, float[] out, int[] argmax, int h, int w, int s, int oh, int ow,
                                        int from, int end) {
        for (int q = from; q < end; q++) {
            int xb = q * h * w;
            int o = q * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int r0 = xb + oy * s * w;
                for (int ox = 0; ox < ow; ox++, o++, r0 += s) {
                    int r1 = r0 + w;
                    float a = x[r0];
                    float b = x[r0 + 1];
                    float c = x[r1];
                    float d = x[r1 + 1];
                    // first-wins maxima of the two rows, then of the two winners; only indices are selected,
                    // which the JIT turns into conditional moves (random data defeats branch prediction)
                    int top = b > a ? r0 + 1 : r0;
                    int bottom = d > c ? r1 + 1 : r1;
                    int best = x[bottom] > x[top] ? bottom : top;
                    float m = x[best];
                    if (a != a || b != b || c != c || d != d) { // a NaN wins: the first one
                        best = a != a ? r0 : b != b ? r0 + 1 : c != c ? r1 : r1 + 1;
                        m = x[best];
                    }
                    out[o] = m;
                    argmax[o] = best;
                }
            }
        }
    }

    private static int firstNaN(double[] x, int xb, int w, int y0, int y1, int x0, int x1) {
        for (int iy = y0; iy < y1; iy++) {
            for (int ix = xb + iy * w + x0, stop = xb + iy * w + x1; ix < stop; ix++) {
                if (Double.isNaN(x[ix])) {
                    return ix;
                }
            }
        }
        throw new IllegalStateException("no NaN in the window");
    }

    private static int firstNaN(float[] x, int xb, int w, int y0, int y1, int x0, int x1) {
        for (int iy = y0; iy < y1; iy++) {
            for (int ix = xb + iy * w + x0, stop = xb + iy * w + x1; ix < stop; ix++) {
                if (Float.isNaN(x[ix])) {
                    return ix;
                }
            }
        }
        throw new IllegalStateException("no NaN in the window");
    }

    /**
     * {@code dx} is zeroed, then {@code dx[argmax[i]] += dout[i]} in order of {@code i}. Every index is checked
     * before anything is written.
     */
    static void maxPoolBackward(Tensor dout, int[] argmax, Tensor dx) {
        CpuTensor td = own("maxPoolBackward", "dout", dout);
        CpuTensor tx = own("maxPoolBackward", "dx", dx);
        sameDType("maxPoolBackward", "dout", td, "dx", tx);
        distinct("maxPoolBackward", "dout", td, "dx", tx);
        if (argmax == null) {
            throw new NullPointerException("maxPoolBackward: argmax is null");
        }
        int m = td.size();
        if (argmax.length < m) {
            throw new ShapeException("maxPoolBackward: argmax has " + argmax.length + " entries for the " + m
                    + " elements of dout " + td.shape());
        }
        int limit = tx.size();
        for (int i = 0; i < m; i++) {
            if (argmax[i] < 0 || argmax[i] >= limit) {
                throw new ShapeException("maxPoolBackward: argmax[" + i + "] = " + argmax[i]
                        + " is not an element of dx " + tx.shape());
            }
        }
        if (td.isFloat()) {
            float[] d = td.floats();
            float[] o = tx.floats();
            Arrays.fill(o, 0f);
            for (int i = 0; i < m; i++) {
                o[argmax[i]] += d[i];
            }
        } else {
            double[] d = td.doubles();
            double[] o = tx.doubles();
            Arrays.fill(o, 0.0);
            for (int i = 0; i < m; i++) {
                o[argmax[i]] += d[i];
            }
        }
    }

    static void avgPool(Tensor x, ConvGeometry g, Tensor out) {
        avgPool(null, x, g, out);
    }

    /** Sums each window's in-image elements (in double) and divides by the full window area. */
    static void avgPool(CpuExecutor ex, Tensor x, ConvGeometry g, Tensor out) {
        CpuTensor tx = own("avgPool", "x", x);
        CpuTensor to = own("avgPool", "out", out);
        sameDType("avgPool", "x", tx, "out", to);
        int n = images("avgPool", "x", tx, g);
        checkPool("avgPool", "out", to, n, g, tx.shape());
        distinct("avgPool", "x", tx, "out", to);
        boolean f32 = tx.isFloat();
        split(ex, n * g.channels(), to.size(), (from, end) -> avgPoolPlanes(tx, to, f32, g, from, end));
    }

    private static void avgPoolPlanes(CpuTensor tx, CpuTensor to, boolean f32, ConvGeometry g, int from, int end) {
        float[] xf = f32 ? tx.floats() : null;
        float[] of = f32 ? to.floats() : null;
        double[] xd = f32 ? null : tx.doubles();
        double[] od = f32 ? null : to.doubles();
        int h = g.height();
        int w = g.width();
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int s = g.stride();
        int p = g.pad();
        int oh = g.outHeight();
        int ow = g.outWidth();
        double area = (double) kh * kw;
        for (int q = from; q < end; q++) {
            int xb = q * h * w;
            int o = q * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = Math.max(oy * s - p, 0);
                int y1 = Math.min(oy * s - p + kh, h);
                for (int ox = 0; ox < ow; ox++, o++) {
                    int x0 = Math.max(ox * s - p, 0);
                    int x1 = Math.min(ox * s - p + kw, w);
                    double sum = 0;
                    for (int iy = y0; iy < y1; iy++) {
                        int row = xb + iy * w;
                        if (f32) {
                            for (int ix = row + x0, stop = row + x1; ix < stop; ix++) {
                                sum += xf[ix];
                            }
                        } else {
                            for (int ix = row + x0, stop = row + x1; ix < stop; ix++) {
                                sum += xd[ix];
                            }
                        }
                    }
                    if (f32) {
                        of[o] = (float) (sum / area);
                    } else {
                        od[o] = sum / area;
                    }
                }
            }
        }
    }

    static void avgPoolBackward(Tensor dout, ConvGeometry g, Tensor dx) {
        avgPoolBackward(null, dout, g, dx);
    }

    /** {@code dx} is zeroed, then each {@code dout / area} is added to the in-image part of its window. */
    static void avgPoolBackward(CpuExecutor ex, Tensor dout, ConvGeometry g, Tensor dx) {
        CpuTensor td = own("avgPoolBackward", "dout", dout);
        CpuTensor tx = own("avgPoolBackward", "dx", dx);
        sameDType("avgPoolBackward", "dout", td, "dx", tx);
        int n = images("avgPoolBackward", "dx", tx, g);
        checkPool("avgPoolBackward", "dout", td, n, g, tx.shape());
        distinct("avgPoolBackward", "dout", td, "dx", tx);
        boolean f32 = td.isFloat();
        split(ex, n * g.channels(), tx.size(), (from, end) -> avgPoolBackwardPlanes(td, tx, f32, g, from, end));
    }

    private static void avgPoolBackwardPlanes(CpuTensor td, CpuTensor tx, boolean f32, ConvGeometry g, int from,
                                              int end) {
        float[] df = f32 ? td.floats() : null;
        float[] xf = f32 ? tx.floats() : null;
        double[] dd = f32 ? null : td.doubles();
        double[] xd = f32 ? null : tx.doubles();
        int h = g.height();
        int w = g.width();
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int s = g.stride();
        int p = g.pad();
        int oh = g.outHeight();
        int ow = g.outWidth();
        double area = (double) kh * kw;
        if (f32) {
            Arrays.fill(xf, from * h * w, end * h * w, 0f);
        } else {
            Arrays.fill(xd, from * h * w, end * h * w, 0.0);
        }
        for (int q = from; q < end; q++) {
            int xb = q * h * w;
            int o = q * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = Math.max(oy * s - p, 0);
                int y1 = Math.min(oy * s - p + kh, h);
                for (int ox = 0; ox < ow; ox++, o++) {
                    int x0 = Math.max(ox * s - p, 0);
                    int x1 = Math.min(ox * s - p + kw, w);
                    for (int iy = y0; iy < y1; iy++) {
                        int row = xb + iy * w;
                        if (f32) {
                            float v = (float) (df[o] / area);
                            for (int ix = row + x0, stop = row + x1; ix < stop; ix++) {
                                xf[ix] += v;
                            }
                        } else {
                            double v = dd[o] / area;
                            for (int ix = row + x0, stop = row + x1; ix < stop; ix++) {
                                xd[ix] += v;
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- argument checks ------------------------------------------------------------------------------------------

    /** Checks that {@code t} is {@code (n, C, H, W)} for {@code g}, and returns n. */
    private static int images(String op, String name, CpuTensor t, ConvGeometry g) {
        if (g == null) {
            throw new NullPointerException(op + ": geometry is null");
        }
        Shape s = t.shape();
        if (s.rank() != 4 || s.dim(1) != g.channels() || s.dim(2) != g.height() || s.dim(3) != g.width()) {
            throw new ShapeException(op + ": " + name + " " + s + " is not (n, " + g.channels() + ", " + g.height()
                    + ", " + g.width() + ") as the geometry " + describe(g) + " needs");
        }
        return s.dim(0);
    }

    /** Checks that {@code col} is {@code (n·outH·outW, C·kh·kw)}. */
    private static void checkCol(String op, CpuTensor col, int n, ConvGeometry g, Shape images) {
        long rows = (long) n * g.outHeight() * g.outWidth();
        Shape s = col.shape();
        if (s.rank() != 2 || s.dim(0) != rows || s.dim(1) != g.windowSize()) {
            throw new ShapeException(op + ": col " + s + " is not (" + rows + ", " + g.windowSize() + ") for images "
                    + images + " under " + describe(g));
        }
    }

    /** Checks that a pooled tensor is {@code (n, C, outH, outW)} and that every window holds an image element. */
    private static void checkPool(String op, String name, CpuTensor t, int n, ConvGeometry g, Shape images) {
        if (g.pad() >= g.kernelHeight() || g.pad() >= g.kernelWidth()) {
            throw new ShapeException(op + ": padding " + g.pad() + " must be smaller than the window "
                    + g.kernelHeight() + "x" + g.kernelWidth() + ", or some windows would hold only padding");
        }
        Shape expected = Shape.of(n, g.channels(), g.outHeight(), g.outWidth());
        if (!t.shape().equals(expected)) {
            throw new ShapeException(op + ": " + name + " " + t.shape() + " is not " + expected + " for images "
                    + images + " under " + describe(g));
        }
    }

    private static void distinct(String op, String an, CpuTensor a, String bn, CpuTensor b) {
        if (a.storage() == b.storage()) {
            throw new ShapeException(op + ": " + an + " " + a.shape() + " and " + bn + " " + b.shape()
                    + " share storage");
        }
    }

    private static String describe(ConvGeometry g) {
        return "window " + g.kernelHeight() + "x" + g.kernelWidth() + " stride " + g.stride() + " pad " + g.pad();
    }
}
