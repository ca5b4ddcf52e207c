package org.nnj.testkit;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.GradientCheck;

/**
 * Compares an analytic gradient with central differences of a scalar function, element by element, with the rules of
 * {@link GradientCheck}: relative error {@code |a − n| / max(|a|, |n|, floor)} with a floor derived from the rounding
 * noise, and an element whose central difference disagrees accepted only if {@code a} lies between the two one-sided
 * derivatives and they differ by more than rounding can explain (a kink, such as ReLU at 0, within the step).
 *
 * <p>One difference: the noise is estimated from {@code Σ|r ⊙ y|}, the magnitude of the summands of the probe loss,
 * not from the loss itself, which may cancel to nearly zero while each term is large.
 */
final class NumericalGradient {
    static final double STEP = 1e-5;
    static final double TOLERANCE = 1e-6;

    private NumericalGradient() {
    }

    /** The verdict for one tensor. */
    record Verdict(double maxRelError, int worstIndex, double analytic, double numerical, int kinks,
                   boolean numericalAllZero) {
        boolean passes() {
            return maxRelError <= TOLERANCE;
        }
    }

    /**
     * @param t         the tensor to perturb (restored exactly afterwards)
     * @param analytic  the analytic gradient of {@code f} with respect to {@code t}, row-major
     * @param f         the function; must read {@code t} afresh on each call
     * @param magnitude {@code Σ|terms|} of {@code f} at the unperturbed point
     */
    static Verdict compare(Tensor t, double[] analytic, DoubleSupplier f, double magnitude) {
        double base = f.getAsDouble();
        double scale = Math.max(Math.max(Math.abs(base), magnitude), Double.MIN_NORMAL);
        double noise = Math.ulp(1.0) * scale / STEP;
        double floor = GradientCheck.noiseFloor(scale, STEP);
        double maxRel = 0;
        int worst = 0;
        double worstA = 0;
        double worstN = 0;
        int kinks = 0;
        boolean allZero = true;
        for (int i = 0; i < analytic.length; i++) {
            double old = t.get(i);
            t.set(i, old + STEP);
            double plus = f.getAsDouble();
            t.set(i, old - STEP);
            double minus = f.getAsDouble();
            t.set(i, old);
            double right = (plus - base) / STEP;
            double left = (base - minus) / STEP;
            double central = (plus - minus) / (2 * STEP);
            allZero &= central == 0;
            double a = analytic[i];
            double rel = Math.abs(a - central) / Math.max(Math.max(Math.abs(a), Math.abs(central)), floor);
            if (Double.isNaN(rel)) {
                rel = Double.POSITIVE_INFINITY;
            }
            double lo = Math.min(left, right);
            double hi = Math.max(left, right);
            if (rel > TOLERANCE && a >= lo && a <= hi && hi - lo > 100 * noise) {
                rel = 0;
                kinks++;
            }
            if (rel > maxRel) {
                maxRel = rel;
                worst = i;
                worstA = a;
                worstN = central;
            }
        }
        return new Verdict(maxRel, worst, worstA, worstN, kinks, allZero);
    }

    /** Row-major flat index → {@code [i, j, ...]} in {@code shape}. */
    static String position(Shape shape, int flat) {
        int[] dims = shape.dims();
        int[] idx = new int[dims.length];
        int rest = flat;
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = dims[d] == 0 ? 0 : rest % dims[d];
            rest = dims[d] == 0 ? 0 : rest / dims[d];
        }
        return Arrays.toString(idx);
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
