package org.nnj.core.cpu;

import com.google.common.base.Preconditions;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pure-Java CPU backend, registered as {@code cpu}: tensors are Java arrays ({@link CpuTensor}), every operation
 * of {@link Backend} is implemented for {@link DType#FLOAT32} and {@link DType#FLOAT64}.
 *
 * <p>Precision: float32 element-wise arithmetic and {@link #gemm} accumulate in float (like BLAS {@code sgemm});
 * {@link #sum}, {@link #dot}, {@link #sumRows}, softmax and the cross-entropy loss accumulate in double.
 *
 * <p>Threads: {@link #gemm} is split over {@link #threads()} threads, only across independent output rows or columns,
 * im2col, col2im, permute and the pooling kernels by sample or (sample, channel) plane, and the long element-wise
 * loops ({@link #fill}, {@link #axpy}, {@link #addRow}, {@link #sumRows} (by columns), {@link #relu},
 * {@link #reluBackward}, {@link #allFinite}, {@link #gatherBytes}) into contiguous ranges, so every result is bit-identical for any thread count; all other
 * operations run on the caller's thread.
 * {@link #close()} stops the worker threads (they are daemons, so forgetting it does not keep a JVM alive).
 *
 * <p>Speed: run the JVM with {@code --add-modules jdk.incubator.vector} (it prints a one-line incubator warning) and
 * {@link #gemm} uses packed, register-blocked fused-multiply-add kernels ({@link #gemmKernel()} says {@code vector}),
 * about ten times faster than the plain-Java fallback used without the flag; {@code -Dnnj.cpu.vector=false} forces
 * the fallback. The two kernels differ from each other by rounding (fused or separate multiply-add); each is
 * deterministic.
 *
 * <p>A tensor of any {@code CpuBackend} instance is accepted by every other, since they share the storage layout.
 * Not thread-safe for concurrent calls writing the same tensors. Stability: evolving.
 */
public final class CpuBackend implements Backend, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CpuBackend.class);
    /** The name this backend is registered under. */
    public static final String NAME = "cpu";

    private final CpuExecutor executor;
    private final GemmKernel kernel;
    private final ElementKernels elements = ElementKernels.best();

    /** A backend using all available processors for {@link #gemm}. */
    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * A backend using {@code threads} threads for {@link #gemm} and the convolution kernels (1: everything on the caller's thread).
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public CpuBackend(int threads) {
        this(threads, GemmKernel.best());
    }

    /** A backend whose {@link #gemm} uses {@code kernel}: for tests and benchmarks of a particular kernel. */
    CpuBackend(int threads, GemmKernel kernel) {
        this.executor = new CpuExecutor(threads);
        this.kernel = Preconditions.checkNotNull(kernel, "kernel is null");
        LOG.debug("created cpu backend with {} thread(s), {}", threads, kernel);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The number of threads {@link #gemm} uses. */
    public int threads() {
        return executor.threads();
    }

    /** Stops the worker threads; the backend stays usable, running everything on the caller's thread. */
    @Override
    public void close() {
        executor.shutdown();
    }

    /**
     * The gemm kernel in use: {@code vector} (when the JVM runs with {@code --add-modules jdk.incubator.vector}) or
     * {@code scalar}.
     */
    public String gemmKernel() {
        return kernel.name();
    }

    @Override
    public String toString() {
        return "cpu backend (" + threads() + " threads, " + kernel.name() + " gemm)";
    }

    // ---- creation and copying ------------------------------------------------------------------------------------

    @Override
    public CpuTensor zeros(DType dtype, Shape shape) {
        return CpuTensor.zeros(this, dtype, shape);
    }

    @Override
    public CpuTensor fromArray(DType dtype, Shape shape, double... values) {
        Preconditions.checkNotNull(values, "fromArray: values is null");
        CpuTensor t = zeros(dtype, shape);
        if (values.length != shape.size()) {
            throw new ShapeException("fromArray: " + values.length + " values do not fill shape " + shape + " of "
                    + shape.size() + " elements");
        }
        if (t.isFloat()) {
            float[] f = t.floats();
            for (int i = 0; i < values.length; i++) {
                f[i] = (float) values[i];
            }
        } else {
            System.arraycopy(values, 0, t.doubles(), 0, values.length);
        }
        return t;
    }

    @Override
    public CpuTensor zerosLike(Tensor like) {
        Preconditions.checkNotNull(like, "zerosLike: like is null");
        return zeros(like.dtype(), like.shape());
    }

    @Override
    public void fill(Tensor t, double value) {
        CpuTensor x = own("fill", "t", t);
        if (x.isFloat()) {
            ElementJob.fill(executor, x.floats(), (float) value);
        } else {
            ElementJob.fill(executor, x.doubles(), value);
        }
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        CpuTensor s = own("copy", "src", src);
        CpuTensor d = own("copy", "dst", dst);
        sameDType("copy", "src", s, "dst", d);
        sameSize("copy", "src", s, "dst", d);
        System.arraycopy(s.storage(), 0, d.storage(), 0, s.size());
    }

    // ---- linear algebra -------------------------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        CpuTensor ta = own("gemm", "a", a);
        CpuTensor tb = own("gemm", "b", b);
        CpuTensor tc = own("gemm", "c", c);
        sameDType("gemm", "a", ta, "b", tb);
        sameDType("gemm", "a", ta, "c", tc);
        int am = rows(ta.shape());
        int ak = cols(ta.shape());
        int bk = rows(tb.shape());
        int bn = cols(tb.shape());
        int m = transA ? ak : am;
        int k = transA ? am : ak;
        int kb = transB ? bn : bk;
        int n = transB ? bk : bn;
        if (k != kb) {
            throw new ShapeException("gemm: op(a) (" + m + ", " + k + ") times op(b) (" + kb + ", " + n
                    + "): inner dimensions " + k + " and " + kb + " differ");
        }
        if (rows(tc.shape()) != m || cols(tc.shape()) != n) {
            throw new ShapeException("gemm: op(a) (" + m + ", " + k + ") times op(b) (" + kb + ", " + n + ") is ("
                    + m + ", " + n + "), but c is " + tc.shape());
        }
        if (tc.storage() == ta.storage() || tc.storage() == tb.storage()) {
            throw new ShapeException("gemm: c " + tc.shape() + " shares storage with "
                    + (tc.storage() == ta.storage() ? "a " + ta.shape() : "b " + tb.shape()));
        }
        if (tc.isFloat()) {
            GemmJob.f32(executor, kernel, transA, transB, m, n, k, (float) alpha, ta.floats(), tb.floats(),
                    (float) beta, tc.floats());
        } else {
            GemmJob.f64(executor, kernel, transA, transB, m, n, k, alpha, ta.doubles(), tb.doubles(), beta,
                    tc.doubles());
        }
    }

    @Override
    public void addRow(Tensor x, Tensor row, Tensor out) {
        CpuTensor tx = own("addRow", "x", x);
        CpuTensor tr = own("addRow", "row", row);
        CpuTensor to = own("addRow", "out", out);
        sameDType("addRow", "x", tx, "row", tr);
        sameDType("addRow", "x", tx, "out", to);
        sameSize("addRow", "x", tx, "out", to);
        int n = rows(tx.shape());
        int c = cols(tx.shape());
        if (tr.size() != c) {
            throw new ShapeException("addRow: row " + tr.shape() + " has " + tr.size() + " elements, but the rows of x "
                    + tx.shape() + " have " + c);
        }
        if (tx.isFloat()) {
            ElementJob.addRow(executor, tx.floats(), tr.floats(), to.floats(), n, c);
        } else {
            ElementJob.addRow(executor, tx.doubles(), tr.doubles(), to.doubles(), n, c);
        }
    }

    /** {@inheritDoc} With {@code beta = 0} the old contents of {@code out} are ignored (even NaN). */
    @Override
    public void sumRows(Tensor x, double beta, Tensor out) {
        CpuTensor tx = own("sumRows", "x", x);
        CpuTensor to = own("sumRows", "out", out);
        sameDType("sumRows", "x", tx, "out", to);
        int n = rows(tx.shape());
        int c = cols(tx.shape());
        if (to.size() != c) {
            throw new ShapeException("sumRows: out " + to.shape() + " has " + to.size() + " elements, but the rows of x "
                    + tx.shape() + " have " + c);
        }
        if (tx.isFloat()) {
            ElementJob.sumRows(executor, tx.floats(), n, c, beta, to.floats());
        } else {
            ElementJob.sumRows(executor, tx.doubles(), n, c, beta, to.doubles());
        }
    }

    // ---- element-wise ---------------------------------------------------------------------------------------------

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        CpuTensor[] t = elementwise("add", a, b, out);
        if (t[0].isFloat()) {
            float[] x = t[0].floats();
            float[] y = t[1].floats();
            float[] o = t[2].floats();
            for (int i = 0; i < o.length; i++) {
                o[i] = x[i] + y[i];
            }
        } else {
            double[] x = t[0].doubles();
            double[] y = t[1].doubles();
            double[] o = t[2].doubles();
            for (int i = 0; i < o.length; i++) {
                o[i] = x[i] + y[i];
            }
        }
    }

    @Override
    public void sub(Tensor a, Tensor b, Tensor out) {
        CpuTensor[] t = elementwise("sub", a, b, out);
        if (t[0].isFloat()) {
            float[] x = t[0].floats();
            float[] y = t[1].floats();
            float[] o = t[2].floats();
            for (int i = 0; i < o.length; i++) {
                o[i] = x[i] - y[i];
            }
        } else {
            double[] x = t[0].doubles();
            double[] y = t[1].doubles();
            double[] o = t[2].doubles();
            for (int i = 0; i < o.length; i++) {
                o[i] = x[i] - y[i];
            }
        }
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        CpuTensor[] t = elementwise("mul", a, b, out);
        if (t[0].isFloat()) {
            float[] x = t[0].floats();
            float[] y = t[1].floats();
            float[] o = t[2].floats();
            for (int i = 0; i < o.length; i++) {
                o[i] = x[i] * y[i];
            }
        } else {
            double[] x = t[0].doubles();
            double[] y = t[1].doubles();
            double[] o = t[2].doubles();
            for (int i = 0; i < o.length; i++) {
                o[i] = x[i] * y[i];
            }
        }
    }

    @Override
    public void scale(Tensor a, double s, Tensor out) {
        CpuTensor[] t = unary("scale", "a", a, "out", out);
        if (t[0].isFloat()) {
            float[] x = t[0].floats();
            float[] o = t[1].floats();
            float fs = (float) s;
            for (int i = 0; i < o.length; i++) {
                o[i] = fs * x[i];
            }
        } else {
            double[] x = t[0].doubles();
            double[] o = t[1].doubles();
            for (int i = 0; i < o.length; i++) {
                o[i] = s * x[i];
            }
        }
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        // checked without unary()'s array, so that an optimizer step allocates nothing
        CpuTensor tx = own("axpy", "x", x);
        CpuTensor ty = own("axpy", "y", y);
        sameDType("axpy", "x", tx, "y", ty);
        sameSize("axpy", "x", tx, "y", ty);
        if (tx.isFloat()) {
            ElementJob.axpy(executor, (float) alpha, tx.floats(), ty.floats());
        } else {
            ElementJob.axpy(executor, alpha, tx.doubles(), ty.doubles());
        }
    }

    @Override
    public double sum(Tensor x) {
        CpuTensor t = own("sum", "x", x);
        double s = 0;
        if (t.isFloat()) {
            for (float v : t.floats()) {
                s += v;
            }
        } else {
            for (double v : t.doubles()) {
                s += v;
            }
        }
        return s;
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        CpuTensor[] t = unary("dot", "a", a, "b", b);
        double s = 0;
        if (t[0].isFloat()) {
            float[] x = t[0].floats();
            float[] y = t[1].floats();
            for (int i = 0; i < x.length; i++) {
                s += (double) x[i] * y[i];
            }
        } else {
            double[] x = t[0].doubles();
            double[] y = t[1].doubles();
            for (int i = 0; i < x.length; i++) {
                s += x[i] * y[i];
            }
        }
        return s;
    }

    @Override
    public void map(Tensor x, DoubleUnaryOperator f, Tensor out) {
        Preconditions.checkNotNull(f, "map: f is null");
        CpuTensor[] t = unary("map", "x", x, "out", out);
        if (t[0].isFloat()) {
            float[] xs = t[0].floats();
            float[] o = t[1].floats();
            for (int i = 0; i < o.length; i++) {
                o[i] = (float) f.applyAsDouble(xs[i]);
            }
        } else {
            double[] xs = t[0].doubles();
            double[] o = t[1].doubles();
            for (int i = 0; i < o.length; i++) {
                o[i] = f.applyAsDouble(xs[i]);
            }
        }
    }

    @Override
    public void zip(Tensor a, Tensor b, DoubleBinaryOperator f, Tensor out) {
        Preconditions.checkNotNull(f, "zip: f is null");
        CpuTensor[] t = elementwise("zip", a, b, out);
        for (int i = 0, n = t[2].size(); i < n; i++) {
            t[2].set(i, f.applyAsDouble(t[0].get(i), t[1].get(i)));
        }
    }

    @Override
    public boolean allFinite(Tensor x) {
        CpuTensor t = own("allFinite", "x", x);
        return t.isFloat() ? ElementJob.allFinite(executor, elements, t.floats())
                : ElementJob.allFinite(executor, elements, t.doubles());
    }

    // ---- activations ----------------------------------------------------------------------------------------------

    /** {@inheritDoc} NaN stays NaN, so that divergence is still detected after a ReLU. */
    @Override
    public void relu(Tensor x, Tensor out) {
        // checked without unary()'s array, which escape analysis does not always remove here (24 bytes a call)
        CpuTensor tx = own("relu", "x", x);
        CpuTensor to = own("relu", "out", out);
        sameDType("relu", "x", tx, "out", to);
        sameSize("relu", "x", tx, "out", to);
        if (tx.isFloat()) {
            ElementJob.relu(executor, tx.floats(), to.floats());
        } else {
            ElementJob.relu(executor, tx.doubles(), to.doubles());
        }
    }

    @Override
    public void reluBackward(Tensor x, Tensor dout, Tensor dx) {
        CpuTensor tx = own("reluBackward", "x", x);
        CpuTensor td = own("reluBackward", "dout", dout);
        CpuTensor to = own("reluBackward", "dx", dx);
        sameDType("reluBackward", "x", tx, "dout", td);
        sameDType("reluBackward", "x", tx, "dx", to);
        sameSize("reluBackward", "x", tx, "dout", td);
        sameSize("reluBackward", "x", tx, "dx", to);
        if (tx.isFloat()) {
            ElementJob.reluBackward(executor, elements, tx.floats(), td.floats(), to.floats());
        } else {
            ElementJob.reluBackward(executor, elements, tx.doubles(), td.doubles(), to.doubles());
        }
    }

    /** {@inheritDoc} Computed in double: {@code 1/(1+e^−x)} for {@code x ≥ 0}, {@code e^x/(1+e^x)} otherwise. */
    @Override
    public void sigmoid(Tensor x, Tensor out) {
        CpuTensor[] t = unary("sigmoid", "x", x, "out", out);
        if (t[0].isFloat()) {
            float[] xs = t[0].floats();
            float[] o = t[1].floats();
            for (int i = 0; i < o.length; i++) {
                o[i] = (float) sigmoid(xs[i]);
            }
        } else {
            double[] xs = t[0].doubles();
            double[] o = t[1].doubles();
            for (int i = 0; i < o.length; i++) {
                o[i] = sigmoid(xs[i]);
            }
        }
    }

    private static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x); // x < 0 (or NaN): e ≤ 1, never overflows
        return e / (1.0 + e);
    }

    @Override
    public void sigmoidBackward(Tensor y, Tensor dout, Tensor dx) {
        CpuTensor[] t = elementwise("sigmoidBackward", "y", y, "dout", dout, "dx", dx);
        if (t[0].isFloat()) {
            float[] ys = t[0].floats();
            float[] d = t[1].floats();
            float[] o = t[2].floats();
            for (int i = 0; i < o.length; i++) {
                o[i] = d[i] * ys[i] * (1f - ys[i]);
            }
        } else {
            double[] ys = t[0].doubles();
            double[] d = t[1].doubles();
            double[] o = t[2].doubles();
            for (int i = 0; i < o.length; i++) {
                o[i] = d[i] * ys[i] * (1.0 - ys[i]);
            }
        }
    }

    // ---- softmax and classification -------------------------------------------------------------------------------

    @Override
    public void softmax(Tensor logits, Tensor out) {
        CpuTensor[] t = unary("softmax", "logits", logits, "out", out);
        SoftmaxKernels.softmax(t[0], t[1], rows(t[0].shape()), cols(t[0].shape()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>A rank-1 {@code target} of length n holds class indices as numbers (each must be an integer in
     * {@code [0, c)}); any other target must have logits' row count and size and is taken as one distribution per
     * row, giving {@code −Σ t·log_softmax}. The loss is summed in double. The logits' matrix view must have at least
     * one row and one column. {@code probs} may be the same tensor as {@code logits}.
     */
    @Override
    public double softmaxCrossEntropy(Tensor logits, Tensor target, Tensor probs) {
        CpuTensor tl = own("softmaxCrossEntropy", "logits", logits);
        CpuTensor tt = own("softmaxCrossEntropy", "target", target);
        CpuTensor tp = own("softmaxCrossEntropy", "probs", probs);
        sameDType("softmaxCrossEntropy", "logits", tl, "probs", tp);
        sameDType("softmaxCrossEntropy", "logits", tl, "target", tt);
        sameSize("softmaxCrossEntropy", "logits", tl, "probs", tp);
        int n = rows(tl.shape());
        int c = cols(tl.shape());
        if (n == 0 || c == 0) {
            throw new ShapeException("softmaxCrossEntropy: logits " + tl.shape() + " have no rows or no classes");
        }
        boolean indices = targetIsIndices("softmaxCrossEntropy", tl.shape(), tt, n);
        return SoftmaxKernels.crossEntropy(tl, tt, indices, tp, n, c);
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor probs, Tensor target, double scale, Tensor dx) {
        CpuTensor tp = own("softmaxCrossEntropyBackward", "probs", probs);
        CpuTensor tt = own("softmaxCrossEntropyBackward", "target", target);
        CpuTensor td = own("softmaxCrossEntropyBackward", "dx", dx);
        sameDType("softmaxCrossEntropyBackward", "probs", tp, "dx", td);
        sameDType("softmaxCrossEntropyBackward", "probs", tp, "target", tt);
        sameSize("softmaxCrossEntropyBackward", "probs", tp, "dx", td);
        int n = rows(tp.shape());
        boolean indices = targetIsIndices("softmaxCrossEntropyBackward", tp.shape(), tt, n);
        SoftmaxKernels.crossEntropyBackward(tp, tt, indices, scale, td, n, cols(tp.shape()));
    }

    private static boolean targetIsIndices(String op, Shape logits, CpuTensor target, int n) {
        Shape ts = target.shape();
        if (ts.rank() == 1 && ts.dim(0) == n) {
            return true;
        }
        if (ts.rank() >= 2 && ts.dim(0) == n && ts.size() == logits.size()) {
            return false;
        }
        throw new ShapeException(op + ": target " + ts + " is neither class indices (" + n
                + ") nor one distribution per row " + logits + " for logits " + logits);
    }

    /** {@inheritDoc} {@code out} may be longer than the row count; only the first n entries are written. */
    @Override
    public void argmaxRows(Tensor x, int[] out) {
        CpuTensor t = own("argmaxRows", "x", x);
        Preconditions.checkNotNull(out, "argmaxRows: out is null");
        int n = rows(t.shape());
        int c = cols(t.shape());
        if (out.length < n) {
            throw new ShapeException("argmaxRows: out has " + out.length + " entries for the " + n + " rows of x "
                    + t.shape());
        }
        if (c == 0) {
            throw new ShapeException("argmaxRows: x " + t.shape() + " has rows of no elements");
        }
        for (int i = 0; i < n; i++) {
            int o = i * c;
            int best = 0;
            double bestValue = t.get(o);
            for (int j = 1; j < c && !Double.isNaN(bestValue); j++) {
                double v = t.get(o + j);
                if (v > bestValue || Double.isNaN(v)) { // like numpy: the first NaN wins
                    best = j;
                    bestValue = v;
                }
            }
            out[i] = best;
        }
    }

    // ---- data loading ---------------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>{@code out}'s rows must be {@code rowLength} long; it may have more than {@code count} rows (a reused batch
     * tensor), and rows from {@code count} on are left unchanged.
     *
     * @throws ShapeException if the range of {@code indices}, an index, or {@code out}'s shape does not fit
     */
    @Override
    public void gatherBytes(byte[] src, int rowLength, int[] indices, int from, int count, double scale, Tensor out) {
        Preconditions.checkNotNull(src, "gatherBytes: src is null");
        CpuTensor t = own("gatherBytes", "out", out);
        checkRange("gatherBytes", indices, from, count);
        if (rowLength < 0 || cols(t.shape()) != rowLength || rows(t.shape()) < count) {
            throw new ShapeException("gatherBytes: out " + t.shape() + " cannot hold " + count + " rows of "
                    + rowLength);
        }
        int available = rowLength == 0 ? Integer.MAX_VALUE : src.length / rowLength;
        for (int r = 0; r < count; r++) {
            int row = indices[from + r];
            if (row < 0 || row >= available) {
                throw new ShapeException("gatherBytes: indices[" + (from + r) + "] = " + row + " is not a row of src ("
                        + available + " rows of " + rowLength + " bytes)");
            }
        }
        if (t.isFloat()) {
            ElementJob.gather(executor, elements, src, rowLength, indices, from, count, (float) scale, t.floats());
        } else {
            ElementJob.gather(executor, elements, src, rowLength, indices, from, count, scale, t.doubles());
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Labels are unsigned bytes. {@code out} may have more than {@code count} rows; rows from {@code count} on are
     * left unchanged.
     *
     * @throws ShapeException if the range of {@code indices}, an index, a label (≥ c for one-hot), or {@code out}'s
     *                        shape does not fit
     */
    @Override
    public void gatherLabels(byte[] labels, int[] indices, int from, int count, Tensor out) {
        Preconditions.checkNotNull(labels, "gatherLabels: labels is null");
        CpuTensor t = own("gatherLabels", "out", out);
        checkRange("gatherLabels", indices, from, count);
        Shape s = t.shape();
        if (s.rank() < 1 || s.rank() > 2 || s.dim(0) < count) {
            throw new ShapeException("gatherLabels: out " + s + " is neither (" + count + ") for class indices nor ("
                    + count + ", classes) for one-hot rows");
        }
        int c = s.rank() == 2 ? s.dim(1) : 0;
        for (int r = 0; r < count; r++) {
            int row = indices[from + r];
            if (row < 0 || row >= labels.length) {
                throw new ShapeException("gatherLabels: indices[" + (from + r) + "] = " + row + " is not one of the "
                        + labels.length + " labels");
            }
            int label = labels[row] & 0xFF;
            if (s.rank() == 2 && label >= c) {
                throw new ShapeException("gatherLabels: label " + label + " of sample " + row + " does not fit one-hot"
                        + " rows of " + c + " classes in out " + s);
            }
        }
        for (int r = 0; r < count; r++) {
            int label = labels[indices[from + r]] & 0xFF;
            if (s.rank() == 1) {
                t.set(r, label);
            } else {
                for (int j = 0; j < c; j++) {
                    t.set(r * c + j, j == label ? 1.0 : 0.0);
                }
            }
        }
    }

    private static void checkRange(String op, int[] indices, int from, int count) {
        Preconditions.checkNotNull(indices, "%s: indices is null", op);
        if (from < 0 || count < 0 || from > indices.length - count) {
            throw new ShapeException(op + ": indices [" + from + ", " + ((long) from + count) + ") are not within the "
                    + indices.length + " given");
        }
    }

    // ---- argument checks ------------------------------------------------------------------------------------------

    /** Rows of the matrix view: the first axis (1 for a scalar). */
    static int rows(Shape s) {
        return s.rank() == 0 ? 1 : s.dim(0);
    }

    /** Columns of the matrix view: the product of all other axes. */
    static int cols(Shape s) {
        return s.rowSize();
    }

    static CpuTensor own(String op, String name, Tensor t) {
        if (t == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
        if (!(t instanceof CpuTensor)) {
            Object owner = t.backend() == null ? "none" : t.backend().name();
            throw new ShapeException(op + ": " + name + " " + t.shape() + " belongs to backend '" + owner
                    + "', not to cpu");
        }
        return (CpuTensor) t;
    }

    static void sameDType(String op, String an, CpuTensor a, String bn, CpuTensor b) {
        if (a.dtype() != b.dtype()) {
            throw new ShapeException(op + ": " + an + " " + a.shape() + " is " + a.dtype() + " but " + bn + " "
                    + b.shape() + " is " + b.dtype());
        }
    }

    static void sameSize(String op, String an, CpuTensor a, String bn, CpuTensor b) {
        if (a.size() != b.size()) {
            throw new ShapeException(op + ": " + an + " " + a.shape() + " and " + bn + " " + b.shape()
                    + " differ in size");
        }
    }

    static CpuTensor[] unary(String op, String xn, Tensor x, String on, Tensor out) {
        CpuTensor tx = own(op, xn, x);
        CpuTensor to = own(op, on, out);
        sameDType(op, xn, tx, on, to);
        sameSize(op, xn, tx, on, to);
        return new CpuTensor[] {tx, to};
    }

    static CpuTensor[] elementwise(String op, Tensor a, Tensor b, Tensor out) {
        return elementwise(op, "a", a, "b", b, "out", out);
    }

    static CpuTensor[] elementwise(String op, String an, Tensor a, String bn, Tensor b, String on,
                                           Tensor out) {
        CpuTensor ta = own(op, an, a);
        CpuTensor tb = own(op, bn, b);
        CpuTensor to = own(op, on, out);
        sameDType(op, an, ta, bn, tb);
        sameDType(op, an, ta, on, to);
        sameSize(op, an, ta, bn, tb);
        sameSize(op, an, ta, on, to);
        return new CpuTensor[] {ta, tb, to};
    }

    // ---- chapter 6-7 layers: kernels live in RegularisationKernels -------------------------------------------------

    @Override
    public void tanh(Tensor x, Tensor out) {
        RegularisationKernels.tanh(x, out);
    }

    @Override
    public void tanhBackward(Tensor y, Tensor dout, Tensor dx) {
        RegularisationKernels.tanhBackward(y, dout, dx);
    }

    @Override
    public void leakyRelu(Tensor x, double alpha, Tensor out) {
        RegularisationKernels.leakyRelu(x, alpha, out);
    }

    @Override
    public void leakyReluBackward(Tensor x, double alpha, Tensor dout, Tensor dx) {
        RegularisationKernels.leakyReluBackward(x, alpha, dout, dx);
    }

    @Override
    public void dropoutMask(Tensor mask, double keep, java.util.Random random) {
        RegularisationKernels.dropoutMask(mask, keep, random);
    }

    @Override
    public void batchNormForward(Tensor x, int channels, Tensor gamma, Tensor beta, Tensor runningMean,
                                 Tensor runningVar, double momentum, double eps, boolean training, Tensor xhat,
                                 Tensor invStd, Tensor out) {
        RegularisationKernels.batchNormForward(x, channels, gamma, beta, runningMean, runningVar, momentum, eps,
                training, xhat, invStd, out);
    }

    @Override
    public void batchNormBackward(Tensor dout, Tensor xhat, Tensor invStd, Tensor gamma, int channels, Tensor dgamma,
                                  Tensor dbeta, Tensor dx) {
        RegularisationKernels.batchNormBackward(dout, xhat, invStd, gamma, channels, dgamma, dbeta, dx);
    }

    @Override
    public double sigmoidBinaryCrossEntropy(Tensor logits, Tensor target, Tensor probs) {
        return RegularisationKernels.sigmoidBinaryCrossEntropy(logits, target, probs);
    }

    // ---- convolution and pooling: kernels live in ConvKernels -----------------------------------------------------

    @Override
    public void im2col(Tensor x, org.nnj.api.ConvGeometry g, Tensor col) {
        ConvKernels.im2col(executor, x, g, col);
    }

    @Override
    public void col2im(Tensor col, org.nnj.api.ConvGeometry g, Tensor dx) {
        ConvKernels.col2im(executor, col, g, dx);
    }

    @Override
    public void permute(Tensor x, int[] axes, Tensor out) {
        ConvKernels.permute(executor, x, axes, out);
    }

    @Override
    public void maxPool(Tensor x, org.nnj.api.ConvGeometry g, Tensor out, int[] argmax) {
        ConvKernels.maxPool(executor, x, g, out, argmax);
    }

    @Override
    public void maxPoolBackward(Tensor dout, int[] argmax, Tensor dx) {
        ConvKernels.maxPoolBackward(dout, argmax, dx);
    }

    @Override
    public void avgPool(Tensor x, org.nnj.api.ConvGeometry g, Tensor out) {
        ConvKernels.avgPool(executor, x, g, out);
    }

    @Override
    public void avgPoolBackward(Tensor dout, org.nnj.api.ConvGeometry g, Tensor dx) {
        ConvKernels.avgPoolBackward(executor, dout, g, dx);
    }
}
