package org.nnj.core.cpu;

import static org.nnj.core.cpu.CpuBackend.cols;
import static org.nnj.core.cpu.CpuBackend.elementwise;
import static org.nnj.core.cpu.CpuBackend.own;
import static org.nnj.core.cpu.CpuBackend.rows;
import static org.nnj.core.cpu.CpuBackend.sameDType;
import static org.nnj.core.cpu.CpuBackend.sameSize;
import static org.nnj.core.cpu.CpuBackend.unary;

import com.google.common.base.Preconditions;
import java.util.Random;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * Kernels of the chapter 6-7 layers for the cpu backend: tanh, leaky ReLU, dropout masks, batch normalisation and
 * the sigmoid binary cross-entropy. Everything runs on the caller's thread.
 *
 * <p>Precision: tanh and leaky ReLU compute in the tensors' dtype (tanh through {@link Math#tanh}, rounded once);
 * batch normalisation and the binary cross-entropy accumulate every sum in double and round only what they store.
 */
final class RegularisationKernels {
    private RegularisationKernels() {
    }

    // ---- tanh ------------------------------------------------------------------------------------------------------

    static void tanh(Tensor x, Tensor out) {
        CpuTensor[] t = unary("tanh", "x", x, "out", out);
        if (t[0].isFloat()) {
            float[] xs = t[0].floats();
            float[] o = t[1].floats();
            for (int i = 0; i < o.length; i++) {
                o[i] = (float) Math.tanh(xs[i]);
            }
        } else {
            double[] xs = t[0].doubles();
            double[] o = t[1].doubles();
            for (int i = 0; i < o.length; i++) {
                o[i] = Math.tanh(xs[i]);
            }
        }
    }

    static void tanhBackward(Tensor y, Tensor dout, Tensor dx) {
        CpuTensor[] t = elementwise("tanhBackward", "y", y, "dout", dout, "dx", dx);
        if (t[0].isFloat()) {
            float[] ys = t[0].floats();
            float[] d = t[1].floats();
            float[] o = t[2].floats();
            for (int i = 0; i < o.length; i++) {
                o[i] = d[i] * (1f - ys[i] * ys[i]);
            }
        } else {
            double[] ys = t[0].doubles();
            double[] d = t[1].doubles();
            double[] o = t[2].doubles();
            for (int i = 0; i < o.length; i++) {
                o[i] = d[i] * (1.0 - ys[i] * ys[i]);
            }
        }
    }

    // ---- leaky ReLU ------------------------------------------------------------------------------------------------

    static void leakyRelu(Tensor x, double alpha, Tensor out) {
        CpuTensor[] t = unary("leakyRelu", "x", x, "out", out);
        if (t[0].isFloat()) {
            float[] xs = t[0].floats();
            float[] o = t[1].floats();
            float a = (float) alpha;
            for (int i = 0; i < o.length; i++) {
                o[i] = xs[i] > 0f ? xs[i] : a * xs[i];
            }
        } else {
            double[] xs = t[0].doubles();
            double[] o = t[1].doubles();
            for (int i = 0; i < o.length; i++) {
                o[i] = xs[i] > 0.0 ? xs[i] : alpha * xs[i];
            }
        }
    }

    static void leakyReluBackward(Tensor x, double alpha, Tensor dout, Tensor dx) {
        CpuTensor[] t = elementwise("leakyReluBackward", "x", x, "dout", dout, "dx", dx);
        if (t[0].isFloat()) {
            float[] xs = t[0].floats();
            float[] d = t[1].floats();
            float[] o = t[2].floats();
            float a = (float) alpha;
            for (int i = 0; i < o.length; i++) {
                o[i] = xs[i] > 0f ? d[i] : a * d[i];
            }
        } else {
            double[] xs = t[0].doubles();
            double[] d = t[1].doubles();
            double[] o = t[2].doubles();
            for (int i = 0; i < o.length; i++) {
                o[i] = xs[i] > 0.0 ? d[i] : alpha * d[i];
            }
        }
    }

    // ---- dropout ---------------------------------------------------------------------------------------------------

    /** One {@code random.nextDouble()} per element, row-major, even when {@code keep = 1}. */
    static void dropoutMask(Tensor mask, double keep, Random random) {
        CpuTensor m = own("dropoutMask", "mask", mask);
        Preconditions.checkNotNull(random, "dropoutMask: random is null");
        Preconditions.checkArgument(keep > 0 && keep <= 1, "dropoutMask: keep must be in (0, 1], got %s", keep);
        double scale = 1.0 / keep;
        if (m.isFloat()) {
            float[] o = m.floats();
            float s = (float) scale;
            for (int i = 0; i < o.length; i++) {
                o[i] = random.nextDouble() < keep ? s : 0f;
            }
        } else {
            double[] o = m.doubles();
            for (int i = 0; i < o.length; i++) {
                o[i] = random.nextDouble() < keep ? scale : 0.0;
            }
        }
    }

    // ---- batch normalisation ---------------------------------------------------------------------------------------

    /**
     * Checks the batch-norm tensors and returns the spatial size: {@code x}'s row size divided by {@code channels}.
     */
    private static int spatial(String op, CpuTensor x, int channels) {
        int c = cols(x.shape());
        if (channels < 1 || c % channels != 0) {
            throw new ShapeException(op + ": x " + x.shape() + " has " + c + " values per sample, which is not a"
                    + " positive multiple of " + channels + " channels");
        }
        return c / channels;
    }

    private static CpuTensor perChannel(String op, String name, Tensor t, CpuTensor x, int channels) {
        CpuTensor p = own(op, name, t);
        sameDType(op, "x", x, name, p);
        if (p.size() != channels) {
            throw new ShapeException(op + ": " + name + " " + p.shape() + " has " + p.size() + " elements, not one per"
                    + " channel (" + channels + ")");
        }
        return p;
    }

    private static CpuTensor likeX(String op, String name, Tensor t, CpuTensor x) {
        CpuTensor p = own(op, name, t);
        sameDType(op, "x", x, name, p);
        sameSize(op, "x", x, name, p);
        return p;
    }

    /**
     * See {@link org.nnj.api.Backend#batchNormForward}. Training needs at least two values per channel
     * ({@code n · spatial ≥ 2}) for the unbiased variance, as PyTorch does. {@code out} may be {@code x};
     * {@code xhat} may be {@code x} but not {@code out}. In inference, {@code xhat} and {@code invStd} are written
     * from the running statistics.
     */
    static void batchNormForward(Tensor x, int channels, Tensor gamma, Tensor beta, Tensor runningMean,
                                 Tensor runningVar, double momentum, double eps, boolean training, Tensor xhat,
                                 Tensor invStd, Tensor out) {
        String op = "batchNormForward";
        CpuTensor tx = own(op, "x", x);
        int spatial = spatial(op, tx, channels);
        CpuTensor tg = perChannel(op, "gamma", gamma, tx, channels);
        CpuTensor tb = perChannel(op, "beta", beta, tx, channels);
        CpuTensor rm = perChannel(op, "runningMean", runningMean, tx, channels);
        CpuTensor rv = perChannel(op, "runningVar", runningVar, tx, channels);
        CpuTensor is = perChannel(op, "invStd", invStd, tx, channels);
        CpuTensor th = likeX(op, "xhat", xhat, tx);
        CpuTensor to = likeX(op, "out", out, tx);
        if (th.storage() == to.storage()) {
            throw new ShapeException(op + ": xhat " + th.shape() + " and out " + to.shape() + " share storage");
        }
        Preconditions.checkArgument(eps >= 0 && Double.isFinite(eps), "%s: eps must be finite and >= 0, got %s", op,
                eps);
        Preconditions.checkArgument(momentum >= 0 && momentum <= 1, "%s: momentum must be in [0, 1], got %s", op,
                momentum);
        int n = rows(tx.shape());
        long m = (long) n * spatial;
        double[] mean = Scratch.first(channels);
        double[] inv = Scratch.second(channels);
        if (training) {
            if (m < 2) {
                throw new ShapeException(op + ": x " + tx.shape() + " has " + m + " value(s) per channel; training"
                        + " needs at least 2");
            }
            channelSums(tx, n, channels, spatial, null, mean);
            for (int c = 0; c < channels; c++) {
                mean[c] /= m;
            }
            channelSums(tx, n, channels, spatial, mean, inv); // Σ (x − mean)², two-pass for accuracy
            for (int c = 0; c < channels; c++) {
                double ss = inv[c];
                double biased = ss / m;
                double unbiased = ss / (m - 1);
                rm.set(c, momentum * rm.get(c) + (1 - momentum) * mean[c]);
                rv.set(c, momentum * rv.get(c) + (1 - momentum) * unbiased);
                inv[c] = 1.0 / Math.sqrt(biased + eps);
            }
        } else {
            for (int c = 0; c < channels; c++) {
                mean[c] = rm.get(c);
                inv[c] = 1.0 / Math.sqrt(rv.get(c) + eps);
            }
        }
        Rows.write(inv, channels, is, 0);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * spatial;
                double mu = mean[c];
                double s = inv[c];
                double g = tg.get(c);
                double b = tb.get(c);
                if (tx.isFloat()) {
                    float[] xs = tx.floats();
                    float[] hs = th.floats();
                    float[] os = to.floats();
                    for (int k = base; k < base + spatial; k++) {
                        double h = (xs[k] - mu) * s;
                        hs[k] = (float) h;
                        os[k] = (float) (g * h + b);
                    }
                } else {
                    double[] xs = tx.doubles();
                    double[] hs = th.doubles();
                    double[] os = to.doubles();
                    for (int k = base; k < base + spatial; k++) {
                        double h = (xs[k] - mu) * s;
                        hs[k] = h;
                        os[k] = g * h + b;
                    }
                }
            }
        }
    }

    /** {@code acc[c] = Σ x} per channel, or {@code Σ (x − center[c])²} if {@code center} is given. */
    private static void channelSums(CpuTensor x, int n, int channels, int spatial, double[] center, double[] acc) {
        for (int c = 0; c < channels; c++) {
            acc[c] = 0;
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * spatial;
                double s = 0;
                if (x.isFloat()) {
                    float[] xs = x.floats();
                    if (center == null) {
                        for (int k = base; k < base + spatial; k++) {
                            s += xs[k];
                        }
                    } else {
                        double mu = center[c];
                        for (int k = base; k < base + spatial; k++) {
                            double d = xs[k] - mu;
                            s += d * d;
                        }
                    }
                } else {
                    double[] xs = x.doubles();
                    if (center == null) {
                        for (int k = base; k < base + spatial; k++) {
                            s += xs[k];
                        }
                    } else {
                        double mu = center[c];
                        for (int k = base; k < base + spatial; k++) {
                            double d = xs[k] - mu;
                            s += d * d;
                        }
                    }
                }
                acc[c] += s;
            }
        }
    }

    /** See {@link org.nnj.api.Backend#batchNormBackward}. {@code dx} may be {@code dout} or {@code xhat}. */
    static void batchNormBackward(Tensor dout, Tensor xhat, Tensor invStd, Tensor gamma, int channels, Tensor dgamma,
                                  Tensor dbeta, Tensor dx) {
        String op = "batchNormBackward";
        CpuTensor td = own(op, "dout", dout);
        int spatial = spatial(op, td, channels);
        CpuTensor th = likeX(op, "xhat", xhat, td);
        CpuTensor tdx = likeX(op, "dx", dx, td);
        CpuTensor is = perChannel(op, "invStd", invStd, td, channels);
        CpuTensor tg = perChannel(op, "gamma", gamma, td, channels);
        CpuTensor dg = perChannel(op, "dgamma", dgamma, td, channels);
        CpuTensor db = perChannel(op, "dbeta", dbeta, td, channels);
        int n = rows(td.shape());
        double m = (double) n * spatial;
        double[] sumD = Scratch.first(channels);
        double[] sumDH = Scratch.second(channels);
        for (int c = 0; c < channels; c++) {
            sumD[c] = 0;
            sumDH[c] = 0;
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * spatial;
                double s = 0;
                double sh = 0;
                if (td.isFloat()) {
                    float[] ds = td.floats();
                    float[] hs = th.floats();
                    for (int k = base; k < base + spatial; k++) {
                        s += ds[k];
                        sh += (double) ds[k] * hs[k];
                    }
                } else {
                    double[] ds = td.doubles();
                    double[] hs = th.doubles();
                    for (int k = base; k < base + spatial; k++) {
                        s += ds[k];
                        sh += ds[k] * hs[k];
                    }
                }
                sumD[c] += s;
                sumDH[c] += sh;
            }
        }
        for (int c = 0; c < channels; c++) {
            dg.set(c, dg.get(c) + sumDH[c]);
            db.set(c, db.get(c) + sumD[c]);
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * spatial;
                double k0 = tg.get(c) * is.get(c) / m;
                double sd = sumD[c];
                double sdh = sumDH[c];
                if (td.isFloat()) {
                    float[] ds = td.floats();
                    float[] hs = th.floats();
                    float[] os = tdx.floats();
                    for (int k = base; k < base + spatial; k++) {
                        os[k] = (float) (k0 * (m * ds[k] - sd - hs[k] * sdh));
                    }
                } else {
                    double[] ds = td.doubles();
                    double[] hs = th.doubles();
                    double[] os = tdx.doubles();
                    for (int k = base; k < base + spatial; k++) {
                        os[k] = k0 * (m * ds[k] - sd - hs[k] * sdh);
                    }
                }
            }
        }
    }

    // ---- sigmoid binary cross-entropy ------------------------------------------------------------------------------

    /**
     * See {@link org.nnj.api.Backend#sigmoidBinaryCrossEntropy}. {@code target} and {@code probs} must have the
     * size of {@code logits} (their shapes may differ); {@code probs} may be {@code logits}. A target outside
     * {@code [0, 1]} (or NaN) throws {@link ShapeException}, like an out-of-range class index does.
     */
    static double sigmoidBinaryCrossEntropy(Tensor logits, Tensor target, Tensor probs) {
        String op = "sigmoidBinaryCrossEntropy";
        CpuTensor[] t = elementwise(op, "logits", logits, "target", target, "probs", probs);
        CpuTensor tl = t[0];
        CpuTensor tt = t[1];
        CpuTensor tp = t[2];
        int n = rows(tl.shape());
        if (n == 0 || tl.size() == 0) {
            throw new ShapeException(op + ": logits " + tl.shape() + " are empty");
        }
        for (int i = 0; i < tt.size(); i++) {
            double v = tt.get(i);
            if (!(v >= 0 && v <= 1)) {
                throw new ShapeException(op + ": target[" + i + "] = " + v + " is not in [0, 1]");
            }
        }
        double loss = 0;
        for (int i = 0; i < tl.size(); i++) {
            double x = tl.get(i);
            double y = tt.get(i);
            loss += Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
            tp.set(i, sigmoid(x));
        }
        return loss / n;
    }

    private static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }
}
