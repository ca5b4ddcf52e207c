package org.nnj.core;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import org.nnj.api.DType;
import org.nnj.api.Parameter;
import org.nnj.api.Tensor;

/**
 * Compares the backpropagation gradient of every parameter of a {@link Network} with central differences, in the
 * way the book's {@code gradient_check.py} does, but robust to kinks (ReLU at 0, max-pool ties).
 *
 * <p>For each element it evaluates {@code L(w − h)}, {@code L(w)}, {@code L(w + h)}. Where the two one-sided
 * differences agree (a smooth point), the analytic gradient is judged against the central difference. Where they
 * disagree by more than the central difference could explain, a kink lies within {@code h}; the analytic gradient
 * is then accepted if it lies between the two one-sided derivatives (a valid subgradient) and judged against the
 * nearer of them otherwise. Such elements are counted as {@link Result#kinks()}.
 *
 * <p>The relative error of an element is {@code |a − n| / max(|a|, |n|, floor)}: the floor keeps elements whose true
 * gradient is zero (pixels that are always black) from dividing roundoff by zero. Use float64 networks: in float32
 * the differences drown in rounding.
 *
 * <p>Stability: stable.
 */
public final class GradientCheck {
    private final double step;
    private final double floor;

    /** The check with step {@code h = 1e-5} and floor {@code 1e-8}, suited to float64 networks. */
    public GradientCheck() {
        this(1e-5, 1e-8);
    }

    /**
     * @param step  the finite-difference step h
     * @param floor the smallest denominator of a relative error
     */
    public GradientCheck(double step, double floor) {
        checkArgument(step > 0 && floor > 0, "step and floor must be positive");
        this.step = step;
        this.floor = floor;
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

        /** Number of elements compared. */
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

        /** Elements with a kink within the step, judged against one-sided derivatives. */
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
        List<ParameterResult> out = new ArrayList<>();
        for (Parameter p : network.parameters()) {
            checkArgument(p.value().dtype() == DType.FLOAT64,
                    "gradient check needs a float64 network; %s is %s", p.name(), p.value().dtype());
        }
        double base = network.gradient(x, target);
        for (Parameter p : network.parameters()) {
            double[] analytic = p.grad().toDoubleArray();
            Tensor w = p.value();
            double maxAbs = 0;
            double maxRel = 0;
            int worst = 0;
            int kinks = 0;
            for (int i = 0; i < analytic.length; i++) {
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
                double reference = central;
                // A smooth loss has |right - left| ~ h·|L''|; a kink makes them differ by O(1) in the gradient.
                double smoothGap = 1e-3 * Math.max(Math.max(Math.abs(left), Math.abs(right)), 1.0) + 1e-6;
                if (Math.abs(right - left) > smoothGap) {
                    kinks++;
                    double lo = Math.min(left, right);
                    double hi = Math.max(left, right);
                    if (a >= lo && a <= hi) {
                        reference = a;
                    } else {
                        reference = Math.abs(a - lo) < Math.abs(a - hi) ? lo : hi;
                    }
                }
                double abs = Math.abs(a - reference);
                double rel = abs / Math.max(Math.max(Math.abs(a), Math.abs(reference)), floor);
                maxAbs = Math.max(maxAbs, abs);
                if (rel > maxRel) {
                    maxRel = rel;
                    worst = i;
                }
            }
            out.add(new ParameterResult(p.name(), analytic.length, maxAbs, maxRel, worst, kinks));
        }
        // Leave the gradients of the unperturbed parameters behind, as documented.
        network.gradient(x, target);
        return new Result(out);
    }
}
