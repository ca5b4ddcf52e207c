package org.nnj.layers;

import java.util.Random;
import java.util.function.DoubleSupplier;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.cpu.CpuBackend;

/**
 * Test helpers: the float64 CPU backend and a central-difference numerical gradient.
 *
 * <p>Temporary: once nn-core's public {@code GradientCheck} is settled, the layer tests should use it instead of
 * {@link #gradient}.
 */
final class Numeric {
    /** Central-difference step: in float64 the truncation (h²) and rounding (eps/h) errors are both about 1e-10. */
    static final double H = 1e-5;
    static final DType F64 = DType.FLOAT64;
    /** One backend for all tests: its worker threads are daemons, so it needs no closing. */
    private static final Backend CPU = new CpuBackend();

    private Numeric() {
    }

    static Backend cpu() {
        return CPU;
    }

    /** A float64 tensor of the given shape with values drawn uniformly from [lo, hi). */
    static Tensor uniform(Backend backend, Random random, double lo, double hi, int... dims) {
        Shape shape = Shape.of(dims);
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * random.nextDouble();
        }
        return backend.fromArray(F64, shape, v);
    }

    /**
     * ∂f/∂x[i] for every element of {@code x}, by {@code (f(x + h) − f(x − h)) / 2h}. {@code f} must read {@code x}
     * afresh on each call; {@code x} is restored exactly afterwards.
     */
    static double[] gradient(Tensor x, DoubleSupplier f) {
        double[] g = new double[x.size()];
        for (int i = 0; i < g.length; i++) {
            double old = x.get(i);
            x.set(i, old + H);
            double plus = f.getAsDouble();
            x.set(i, old - H);
            double minus = f.getAsDouble();
            x.set(i, old);
            g[i] = (plus - minus) / (2 * H);
        }
        return g;
    }

    /** {@code ‖a − n‖ / max(‖a‖, ‖n‖)}, or 0 if both are zero. */
    static double relativeError(double[] analytic, double[] numeric) {
        if (analytic.length != numeric.length) {
            throw new IllegalArgumentException(analytic.length + " vs " + numeric.length + " elements");
        }
        double diff = 0;
        double a = 0;
        double n = 0;
        for (int i = 0; i < analytic.length; i++) {
            diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
            a += analytic[i] * analytic[i];
            n += numeric[i] * numeric[i];
        }
        double denominator = Math.sqrt(Math.max(a, n));
        return denominator == 0 ? 0 : Math.sqrt(diff) / denominator;
    }

    /** Euclidean norm, to show that a checked gradient is not trivially zero. */
    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
