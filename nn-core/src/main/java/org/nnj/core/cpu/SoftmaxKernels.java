package org.nnj.core.cpu;

import org.nnj.api.ShapeException;

/**
 * Row-wise softmax and softmax cross-entropy for both dtypes. Each row is widened to double, shifted by its maximum
 * (so no exp overflows and the largest term is exactly 1, so no log(0)), and written back rounded to the dtype.
 * A row is read completely before anything of it is written, so outputs may alias inputs.
 */
final class SoftmaxKernels {
    private SoftmaxKernels() {
    }

    /** Softmax of each row of the {@code n × c} matrix {@code logits} into {@code out}. */
    static void softmax(CpuTensor logits, CpuTensor out, int n, int c) {
        double[] x = Scratch.first(c);
        for (int i = 0; i < n; i++) {
            Rows.read(logits, i * c, c, x);
            double sum = expShifted(x, c, max(x, c));
            scale(x, c, 1.0 / sum);
            Rows.write(x, c, out, i * c);
        }
    }

    /**
     * Mean over rows of {@code Σ_j t_j·(logsumexp(row) − row[j])}, computed as {@code Σ_j t_j·(max − row[j]) +
     * (Σ_j t_j)·log Σ_j exp(row[j] − max)} (one-hot: {@code (max − row[t]) + log Σ…}); probabilities into
     * {@code probs}. {@code target} holds class indices if {@code indices},
     * else an {@code n × c} distribution.
     */
    static double crossEntropy(CpuTensor logits, CpuTensor target, boolean indices, CpuTensor probs, int n, int c) {
        checkIndices("softmaxCrossEntropy", target, indices, n, c);
        double[] x = Scratch.first(c);
        double[] t = indices ? null : Scratch.second(c);
        double total = 0;
        for (int i = 0; i < n; i++) {
            Rows.read(logits, i * c, c, x);
            double max = max(x, c);
            double rowLoss = 0;
            double weight = 1;
            if (indices) {
                rowLoss = max - x[(int) target.get(i)];
            } else {
                Rows.read(target, i * c, c, t);
                weight = 0;
                for (int j = 0; j < c; j++) {
                    if (t[j] != 0) { // 0·(anything) adds nothing, never NaN, however far x[j] is from the maximum
                        rowLoss += t[j] * (max - x[j]);
                        weight += t[j];
                    }
                }
            }
            double sum = expShifted(x, c, max);
            rowLoss += weight * Math.log(sum);
            scale(x, c, 1.0 / sum);
            total += rowLoss;
            Rows.write(x, c, probs, i * c);
        }
        return total / n;
    }

    /** {@code dx = scale · (probs − target)}, target as one-hot rows of class indices or as a distribution. */
    static void crossEntropyBackward(CpuTensor probs, CpuTensor target, boolean indices, double scale, CpuTensor dx,
                                     int n, int c) {
        checkIndices("softmaxCrossEntropyBackward", target, indices, n, c);
        double[] p = Scratch.first(c);
        double[] t = indices ? null : Scratch.second(c);
        for (int i = 0; i < n; i++) {
            Rows.read(probs, i * c, c, p);
            if (indices) {
                int cls = (int) target.get(i);
                for (int j = 0; j < c; j++) {
                    p[j] = scale * (j == cls ? p[j] - 1.0 : p[j]);
                }
            } else {
                Rows.read(target, i * c, c, t);
                for (int j = 0; j < c; j++) {
                    p[j] = scale * (p[j] - t[j]);
                }
            }
            Rows.write(p, c, dx, i * c);
        }
    }

    /** Checks every class index before anything is written, so a bad target leaves the outputs untouched. */
    private static void checkIndices(String op, CpuTensor target, boolean indices, int n, int c) {
        if (indices) {
            for (int i = 0; i < n; i++) {
                classIndex(op, target, i, c);
            }
        }
    }

    /** Row {@code i}'s class index, checked to be an integer in {@code [0, c)}. */
    static int classIndex(String op, CpuTensor target, int i, int c) {
        double v = target.get(i);
        if (!(v >= 0 && v < c) || v != Math.rint(v)) {
            throw new ShapeException(op + ": target row " + i + " holds " + v + ", not a class index in [0, " + c
                    + ")");
        }
        return (int) v;
    }

    private static double max(double[] x, int c) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, x[j]);
        }
        return max;
    }

    /** {@code x[j] = exp(x[j] − max)}; returns their sum (at least 1 for finite rows). */
    private static double expShifted(double[] x, int c, double max) {
        double sum = 0;
        for (int j = 0; j < c; j++) {
            x[j] = Math.exp(x[j] - max);
            sum += x[j];
        }
        return sum;
    }

    private static void scale(double[] x, int c, double s) {
        for (int j = 0; j < c; j++) {
            x[j] *= s;
        }
    }
}
