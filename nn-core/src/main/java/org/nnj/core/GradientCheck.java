package org.nnj.core;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import org.nnj.api.DType;
import org.nnj.api.Parameter;
import org.nnj.api.Tensor;

/**
 * Compares the backpropagation gradient of every parameter of a {@link Network} with finite differences, in the
 * way the book's {@code gradient_check.py} does, but robust to kinks (ReLU at 0, max-pool ties) and to gradients too
 * small for a difference quotient to resolve.
 *
 * <p>For each element it evaluates {@code L(w − h)}, {@code L(w)} and {@code L(w + h)}, giving the left and right
 * one-sided derivatives and the central difference (their mean). The analytic gradient {@code a} is judged against
 * the central difference; if they differ by more than 1e-6 (relative) but {@code a} lies between the two one-sided
 * derivatives, and those differ by more than rounding can explain, a kink lies within {@code h} and {@code a} is a
 * valid one-sided derivative there: the element is accepted and counted in {@link ParameterResult#kinks()}. (At a
 * smooth point the one-sided derivatives differ only by {@code h·|L''|}, so a wrong gradient can hide in that
 * interval only if its error is below that truncation error.)
 *
 * <p>The relative error of an element is {@code |a − n| / max(|a|, |n|, floor)}. By default the floor is derived from
 * the rounding noise of a float64 difference quotient, {@code noise = ε·|L|/h} with ε the float64 machine epsilon:
 * {@code floor = 10⁷·noise}, so that for gradients smaller than the floor a relative error of 1e-6 means an absolute
 * error of ten times the noise. Otherwise elements whose true gradient is 0 (pixels that are always black) would
 * divide rounding by zero. Use float64 networks: in float32 the differences drown in rounding.
 *
 * <p>Stability: stable.
 */
public final class GradientCheck {
    /**
     * Central errors up to this are reported as they are (smooth points reach 1e-7 from truncation and rounding);
     * above it the one-sided derivatives are consulted.
     */
    private static final double ONE_SIDED_ABOVE = 1e-6;
    private final double step;
    private final double floor;

    /** The check with step {@code h = 1e-5} and the floor derived from the rounding noise, for float64 networks. */
    public GradientCheck() {
        this(1e-5, Double.NaN);
    }

    /**
     * @param step  the finite-difference step h
     * @param floor the smallest denominator of a relative error, or NaN to derive it from the rounding noise
     */
    public GradientCheck(double step, double floor) {
        checkArgument(step > 0 && (floor > 0 || Double.isNaN(floor)), "step and floor must be positive");
        this.step = step;
        this.floor = floor;
    }

    /** {@code 0 … n−1} if {@code n <= max}, else {@code max} distinct indices drawn by {@code random}, sorted. */
    private static int[] sample(int n, int max, java.util.Random random) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        if (n <= max) {
            return all;
        }
        checkArgument(random != null, "sampling %s of %s elements needs a random generator", max, n);
        for (int i = 0; i < max; i++) {
            int j = i + random.nextInt(n - i);
            int tmp = all[i];
            all[i] = all[j];
            all[j] = tmp;
        }
        int[] picked = java.util.Arrays.copyOf(all, max);
        java.util.Arrays.sort(picked);
        return picked;
    }

    /**
     * The floor used when none is given: {@code 10⁷ · ε·|loss|/h}, the rounding noise of a float64 difference
     * quotient scaled so that a relative error of 1e-6 below the floor is ten times that noise in absolute terms.
     * About 5e-4 for a loss of 2.3 and h = 1e-5.
     */
    public static double noiseFloor(double loss, double step) {
        return 1e7 * Math.ulp(1.0) * Math.max(Math.abs(loss), Double.MIN_NORMAL) / step;
    }

    /** The comparison for one parameter. */
    public static final class ParameterResult {
        private final String name;
        private final int size;
        private final double maxAbsDiff;
        private final double maxRelError;
        private final int worstIndex;
        private final int kinks;

        ParameterResult(String name, int size, double maxAbsDiff, double maxRelError, int worstIndex, int kinks) {
            this.name = name;
            this.size = size;
            this.maxAbsDiff = maxAbsDiff;
            this.maxRelError = maxRelError;
            this.worstIndex = worstIndex;
            this.kinks = kinks;
        }

        /** Qualified parameter name. */
        public String name() {
            return name;
        }

        /** Number of elements compared (all, or the sample). */
        public int size() {
            return size;
        }

        /** Largest |analytic − numerical| over the elements. */
        public double maxAbsDiff() {
            return maxAbsDiff;
        }

        /** Largest relative error over the elements. */
        public double maxRelError() {
            return maxRelError;
        }

        /** Flat index of the element with the largest relative error. */
        public int worstIndex() {
            return worstIndex;
        }

        /** Elements accepted because a kink lies within the step (judged against one-sided derivatives). */
        public int kinks() {
            return kinks;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s: max abs diff %.3e, max rel error %.3e (%d elements, %d kinks)",
                    name, maxAbsDiff, maxRelError, size, kinks);
        }
    }

    /** The comparison for every parameter. */
    public static final class Result {
        private final List<ParameterResult> parameters;

        Result(List<ParameterResult> parameters) {
            this.parameters = List.copyOf(parameters);
        }

        /** Per parameter, in network order. */
        public List<ParameterResult> parameters() {
            return parameters;
        }

        /** The largest relative error of any element of any parameter. */
        public double maxRelError() {
            return parameters.stream().mapToDouble(ParameterResult::maxRelError).max().orElse(0);
        }

        /** Total elements judged against one-sided derivatives. */
        public int kinks() {
            return parameters.stream().mapToInt(ParameterResult::kinks).sum();
        }

        /** True if every element's relative error is at most {@code tolerance}. */
        public boolean passes(double tolerance) {
            return maxRelError() <= tolerance;
        }
    }

    /**
     * Runs the check on one batch. The network's parameters are restored exactly; their gradients are left holding
     * the backprop gradient of this batch.
     *
     * @throws IllegalArgumentException if the network is not float64
     */
    public Result check(Network network, Tensor x, Tensor target) {
        return check(network, x, target, Integer.MAX_VALUE, null);
    }

    /**
     * Runs the check on at most {@code maxPerParameter} elements of each parameter, drawn without replacement by
     * {@code random} (all elements when a parameter has no more): a large network (a CNN's 430,000 weights need two
     * forward passes each) is checked in seconds with every parameter still covered.
     *
     * @throws IllegalArgumentException if the network is not float64 or {@code maxPerParameter < 1}
     */
    public Result check(Network network, Tensor x, Tensor target, int maxPerParameter, java.util.Random random) {
        checkArgument(maxPerParameter >= 1, "maxPerParameter must be at least 1, got %s", maxPerParameter);
        List<ParameterResult> out = new ArrayList<>();
        for (Parameter p : network.parameters()) {
            checkArgument(p.value().dtype() == DType.FLOAT64,
                    "gradient check needs a float64 network; %s is %s", p.name(), p.value().dtype());
        }
        double base = network.gradient(x, target);
        double noise = Math.ulp(1.0) * Math.max(Math.abs(base), Double.MIN_NORMAL) / step;
        double denominatorFloor = Double.isNaN(floor) ? noiseFloor(base, step) : floor;
        for (Parameter p : network.parameters()) {
            double[] analytic = p.grad().toDoubleArray();
            Tensor w = p.value();
            double maxAbs = 0;
            double maxRel = 0;
            int worst = 0;
            int kinks = 0;
            int[] elements = sample(analytic.length, maxPerParameter, random);
            for (int i : elements) {
                double old = w.get(i);
                w.set(i, old + step);
                double plus = network.loss(x, target);
                w.set(i, old - step);
                double minus = network.loss(x, target);
                w.set(i, old);
                double right = (plus - base) / step;
                double left = (base - minus) / step;
                double central = (plus - minus) / (2 * step);
                double a = analytic[i];
                double lo = Math.min(left, right);
                double hi = Math.max(left, right);
                double abs = Math.abs(a - central);
                double rel = abs / Math.max(Math.max(Math.abs(a), Math.abs(central)), denominatorFloor);
                // the one-sided quotients are themselves off by about h·|L''|/2, hence the slack
                double slack = 1e-5 * Math.max(Math.max(Math.abs(lo), Math.abs(hi)), denominatorFloor);
                if (rel > ONE_SIDED_ABOVE && a >= lo - slack && a <= hi + slack && hi - lo > 100 * noise) {
                    // a kink within h: the central difference straddles it, a one-sided derivative does not
                    abs = 0;
                    rel = 0;
                    kinks++;
                }
                maxAbs = Math.max(maxAbs, abs);
                if (rel > maxRel) {
                    maxRel = rel;
                    worst = i;
                }
            }
            out.add(new ParameterResult(p.name(), elements.length, maxAbs, maxRel, worst, kinks));
        }
        // Leave the gradients of the unperturbed parameters behind, as documented.
        network.gradient(x, target);
        return new Result(out);
    }
}
