package org.nnj.openblas;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nnj.api.Backend;
import org.nnj.api.ConvGeometry;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.nnj.core.cpu.CpuBackend;

/**
 * The backend {@code openblas}: {@link #gemm} is OpenBLAS's {@code cblas_sgemm} / {@code cblas_dgemm} (through the
 * {@code org.bytedeco:openblas} artifacts), every other operation is the pure-Java {@link CpuBackend}'s, which this
 * backend wraps. Tensors are cpu tensors in an {@link OpenBlasTensor} that names this backend as owner.
 *
 * <p>Threads: the thread count bounds both the wrapped cpu backend and OpenBLAS, whose setting is process-wide (the
 * last openblas backend created sets it). OpenBLAS splits a multiply over output blocks, but its results for
 * different thread counts are not promised bit-identical the way the cpu backend's are.
 */
public final class OpenBlasBackend implements Backend {
    /** The name this backend is registered under. */
    public static final String NAME = "openblas";

    private final CpuBackend cpu;
    private final int threads;

    /**
     * @param threads threads for OpenBLAS and the wrapped cpu backend, at least 1
     * @throws UnsatisfiedLinkError (or another linkage error) if the native library cannot be loaded
     */
    public OpenBlasBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("openblas: threads must be at least 1, got " + threads);
        }
        NativeBlas.load();
        NativeBlas.setThreads(threads);
        this.threads = threads;
        this.cpu = new CpuBackend(threads);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The thread count this backend was created with. */
    public int threads() {
        return threads;
    }

    @Override
    public void close() {
        cpu.close();
    }

    @Override
    public String toString() {
        return "openblas backend (" + threads + " threads; other operations: " + cpu + ")";
    }

    // ---- wrapping -----------------------------------------------------------------------------------------------

    private OpenBlasTensor wrap(Tensor inner) {
        return inner.dtype() == DType.FLOAT32
                ? new OpenBlasTensor(this, inner, CpuArrays.floats(inner), null)
                : new OpenBlasTensor(this, inner, null, CpuArrays.doubles(inner));
    }

    private static OpenBlasTensor own(String op, String name, Tensor t) {
        if (t == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
        if (!(t instanceof OpenBlasTensor)) {
            Object owner = t.backend() == null ? "none" : t.backend().name();
            throw new ShapeException(op + ": " + name + " " + t.shape() + " belongs to backend '" + owner
                    + "', not to " + NAME);
        }
        return (OpenBlasTensor) t;
    }

    private static Tensor u(String op, String name, Tensor t) {
        return own(op, name, t).inner;
    }

    // ---- creation and copying ------------------------------------------------------------------------------------

    @Override
    public OpenBlasTensor zeros(DType dtype, Shape shape) {
        return wrap(cpu.zeros(dtype, shape));
    }

    @Override
    public OpenBlasTensor fromArray(DType dtype, Shape shape, double... values) {
        return wrap(cpu.fromArray(dtype, shape, values));
    }

    @Override
    public OpenBlasTensor zerosLike(Tensor like) {
        if (like == null) {
            throw new NullPointerException("zerosLike: like is null");
        }
        return zeros(like.dtype(), like.shape());
    }

    @Override
    public void fill(Tensor t, double value) {
        cpu.fill(u("fill", "t", t), value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        cpu.copy(u("copy", "src", src), u("copy", "dst", dst));
    }

    // ---- linear algebra -------------------------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        OpenBlasTensor ta = own("gemm", "a", a);
        OpenBlasTensor tb = own("gemm", "b", b);
        OpenBlasTensor tc = own("gemm", "c", c);
        if (ta.dtype() != tb.dtype() || ta.dtype() != tc.dtype()) {
            throw new ShapeException("gemm: dtypes differ: a " + ta.dtype() + ", b " + tb.dtype() + ", c "
                    + tc.dtype());
        }
        int am = rows(ta.shape());
        int ak = ta.shape().rowSize();
        int bk = rows(tb.shape());
        int bn = tb.shape().rowSize();
        int m = transA ? ak : am;
        int k = transA ? am : ak;
        int kb = transB ? bn : bk;
        int n = transB ? bk : bn;
        if (k != kb) {
            throw new ShapeException("gemm: op(a) (" + m + ", " + k + ") times op(b) (" + kb + ", " + n
                    + "): inner dimensions " + k + " and " + kb + " differ");
        }
        if (rows(tc.shape()) != m || tc.shape().rowSize() != n) {
            throw new ShapeException("gemm: op(a) (" + m + ", " + k + ") times op(b) (" + kb + ", " + n + ") is ("
                    + m + ", " + n + "), but c is " + tc.shape());
        }
        boolean f32 = tc.f != null;
        Object sc = f32 ? tc.f : tc.d;
        if (sc == (f32 ? ta.f : ta.d) || sc == (f32 ? tb.f : tb.d)) {
            throw new ShapeException("gemm: c " + tc.shape() + " shares storage with "
                    + (sc == (f32 ? ta.f : ta.d) ? "a " + ta.shape() : "b " + tb.shape()));
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) { // c = beta · c; with beta = 0 the old contents are ignored
            if (beta == 0) {
                cpu.fill(tc.inner, 0);
            } else {
                cpu.scale(tc.inner, beta, tc.inner);
            }
            return;
        }
        int lda = Math.max(1, ak);
        int ldb = Math.max(1, bn);
        int ldc = Math.max(1, n);
        int opA = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int opB = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        if (f32) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, opA, opB, m, n, k, (float) alpha, ta.f,
                    lda, tb.f, ldb, (float) beta, tc.f, ldc);
        } else {
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, opA, opB, m, n, k, alpha, ta.d, lda,
                    tb.d, ldb, beta, tc.d, ldc);
        }
    }

    private static int rows(Shape s) {
        return s.rank() == 0 ? 1 : s.dim(0);
    }

    @Override
    public void addRow(Tensor x, Tensor row, Tensor out) {
        cpu.addRow(u("addRow", "x", x), u("addRow", "row", row), u("addRow", "out", out));
    }

    @Override
    public void sumRows(Tensor x, double beta, Tensor out) {
        cpu.sumRows(u("sumRows", "x", x), beta, u("sumRows", "out", out));
    }

    // ---- element-wise ---------------------------------------------------------------------------------------------

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        cpu.add(u("add", "a", a), u("add", "b", b), u("add", "out", out));
    }

    @Override
    public void sub(Tensor a, Tensor b, Tensor out) {
        cpu.sub(u("sub", "a", a), u("sub", "b", b), u("sub", "out", out));
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        cpu.mul(u("mul", "a", a), u("mul", "b", b), u("mul", "out", out));
    }

    @Override
    public void scale(Tensor a, double s, Tensor out) {
        cpu.scale(u("scale", "a", a), s, u("scale", "out", out));
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        cpu.axpy(alpha, u("axpy", "x", x), u("axpy", "y", y));
    }

    @Override
    public double sum(Tensor x) {
        return cpu.sum(u("sum", "x", x));
    }

    @Override
    public double dot(Tensor a, Tensor b) {
        return cpu.dot(u("dot", "a", a), u("dot", "b", b));
    }

    @Override
    public void map(Tensor x, DoubleUnaryOperator f, Tensor out) {
        cpu.map(u("map", "x", x), f, u("map", "out", out));
    }

    @Override
    public void zip(Tensor a, Tensor b, DoubleBinaryOperator f, Tensor out) {
        cpu.zip(u("zip", "a", a), u("zip", "b", b), f, u("zip", "out", out));
    }

    @Override
    public boolean allFinite(Tensor x) {
        return cpu.allFinite(u("allFinite", "x", x));
    }

    // ---- activations ----------------------------------------------------------------------------------------------

    @Override
    public void relu(Tensor x, Tensor out) {
        cpu.relu(u("relu", "x", x), u("relu", "out", out));
    }

    @Override
    public void reluBackward(Tensor x, Tensor dout, Tensor dx) {
        cpu.reluBackward(u("reluBackward", "x", x), u("reluBackward", "dout", dout), u("reluBackward", "dx", dx));
    }

    @Override
    public void sigmoid(Tensor x, Tensor out) {
        cpu.sigmoid(u("sigmoid", "x", x), u("sigmoid", "out", out));
    }

    @Override
    public void sigmoidBackward(Tensor y, Tensor dout, Tensor dx) {
        cpu.sigmoidBackward(u("sigmoidBackward", "y", y), u("sigmoidBackward", "dout", dout),
                u("sigmoidBackward", "dx", dx));
    }

    // ---- softmax and classification -------------------------------------------------------------------------------

    @Override
    public void softmax(Tensor logits, Tensor out) {
        cpu.softmax(u("softmax", "logits", logits), u("softmax", "out", out));
    }

    @Override
    public double softmaxCrossEntropy(Tensor logits, Tensor target, Tensor probs) {
        return cpu.softmaxCrossEntropy(u("softmaxCrossEntropy", "logits", logits),
                u("softmaxCrossEntropy", "target", target), u("softmaxCrossEntropy", "probs", probs));
    }

    @Override
    public void softmaxCrossEntropyBackward(Tensor probs, Tensor target, double scale, Tensor dx) {
        cpu.softmaxCrossEntropyBackward(u("softmaxCrossEntropyBackward", "probs", probs),
                u("softmaxCrossEntropyBackward", "target", target), scale, u("softmaxCrossEntropyBackward", "dx", dx));
    }

    @Override
    public void argmaxRows(Tensor x, int[] out) {
        cpu.argmaxRows(u("argmaxRows", "x", x), out);
    }

    // ---- data loading ---------------------------------------------------------------------------------------------

    @Override
    public void gatherBytes(byte[] src, int rowLength, int[] indices, int from, int count, double scale, Tensor out) {
        cpu.gatherBytes(src, rowLength, indices, from, count, scale, u("gatherBytes", "out", out));
    }

    @Override
    public void gatherLabels(byte[] labels, int[] indices, int from, int count, Tensor out) {
        cpu.gatherLabels(labels, indices, from, count, u("gatherLabels", "out", out));
    }

    // ---- more activations and regularisation ----------------------------------------------------------------------

    @Override
    public void tanh(Tensor x, Tensor out) {
        cpu.tanh(u("tanh", "x", x), u("tanh", "out", out));
    }

    @Override
    public void tanhBackward(Tensor y, Tensor dout, Tensor dx) {
        cpu.tanhBackward(u("tanhBackward", "y", y), u("tanhBackward", "dout", dout), u("tanhBackward", "dx", dx));
    }

    @Override
    public void leakyRelu(Tensor x, double alpha, Tensor out) {
        cpu.leakyRelu(u("leakyRelu", "x", x), alpha, u("leakyRelu", "out", out));
    }

    @Override
    public void leakyReluBackward(Tensor x, double alpha, Tensor dout, Tensor dx) {
        cpu.leakyReluBackward(u("leakyReluBackward", "x", x), alpha, u("leakyReluBackward", "dout", dout),
                u("leakyReluBackward", "dx", dx));
    }

    @Override
    public void dropoutMask(Tensor mask, double keep, Random random) {
        cpu.dropoutMask(u("dropoutMask", "mask", mask), keep, random);
    }

    @Override
    public void batchNormForward(Tensor x, int channels, Tensor gamma, Tensor beta, Tensor runningMean,
            Tensor runningVar, double momentum, double eps, boolean training, Tensor xhat, Tensor invStd, Tensor out) {
        String op = "batchNormForward";
        cpu.batchNormForward(u(op, "x", x), channels, u(op, "gamma", gamma), u(op, "beta", beta),
                u(op, "runningMean", runningMean), u(op, "runningVar", runningVar), momentum, eps, training,
                u(op, "xhat", xhat), u(op, "invStd", invStd), u(op, "out", out));
    }

    @Override
    public void batchNormBackward(Tensor dout, Tensor xhat, Tensor invStd, Tensor gamma, int channels, Tensor dgamma,
            Tensor dbeta, Tensor dx) {
        String op = "batchNormBackward";
        cpu.batchNormBackward(u(op, "dout", dout), u(op, "xhat", xhat), u(op, "invStd", invStd),
                u(op, "gamma", gamma), channels, u(op, "dgamma", dgamma), u(op, "dbeta", dbeta), u(op, "dx", dx));
    }

    @Override
    public double sigmoidBinaryCrossEntropy(Tensor logits, Tensor target, Tensor probs) {
        String op = "sigmoidBinaryCrossEntropy";
        return cpu.sigmoidBinaryCrossEntropy(u(op, "logits", logits), u(op, "target", target), u(op, "probs", probs));
    }

    // ---- convolution and pooling ---------------------------------------------------------------------------------

    @Override
    public void im2col(Tensor x, ConvGeometry g, Tensor col) {
        cpu.im2col(u("im2col", "x", x), g, u("im2col", "col", col));
    }

    @Override
    public void col2im(Tensor col, ConvGeometry g, Tensor dx) {
        cpu.col2im(u("col2im", "col", col), g, u("col2im", "dx", dx));
    }

    @Override
    public void permute(Tensor x, int[] axes, Tensor out) {
        cpu.permute(u("permute", "x", x), axes, u("permute", "out", out));
    }

    @Override
    public void maxPool(Tensor x, ConvGeometry g, Tensor out, int[] argmax) {
        cpu.maxPool(u("maxPool", "x", x), g, u("maxPool", "out", out), argmax);
    }

    @Override
    public void maxPoolBackward(Tensor dout, int[] argmax, Tensor dx) {
        cpu.maxPoolBackward(u("maxPoolBackward", "dout", dout), argmax, u("maxPoolBackward", "dx", dx));
    }

    @Override
    public void avgPool(Tensor x, ConvGeometry g, Tensor out) {
        cpu.avgPool(u("avgPool", "x", x), g, u("avgPool", "out", out));
    }

    @Override
    public void avgPoolBackward(Tensor dout, ConvGeometry g, Tensor dx) {
        cpu.avgPoolBackward(u("avgPoolBackward", "dout", dout), g, u("avgPoolBackward", "dx", dx));
    }
}
