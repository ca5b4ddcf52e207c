package org.nnj.examples;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.data.DataSplit;
import org.nnj.api.data.Dataset;
import org.nnj.core.GradientCheck;
import org.nnj.core.Network;
import org.nnj.core.Registry;

/**
 * {@code nnj gradcheck}: the two-layer net in float64 on a few real digits; the backprop gradient of every parameter
 * against central differences, through {@link GradientCheck}, which judges elements with a ReLU kink within the step
 * against the one-sided derivatives. Exit 1 if any relative error exceeds {@value #TOLERANCE}.
 */
final class GradCheckCommand implements Command {
    static final double TOLERANCE = 1e-6;
    /**
     * Larger than the book's 0.01 on purpose. With 0.01 the logits all sit near 0 and most first-layer gradients are
     * 1e-5 to 1e-8: smaller than the central difference can resolve (see {@link GradientCheck#noiseFloor}), so the check would
     * only compare float64 rounding noise. With 0.1 most gradients are large enough for a relative error of 1e-6 to
     * mean something, and the ReLU units sit well away from their kink.
     */
    static final double CHECK_WEIGHT_STD = 0.1;
    /** The central-difference step: float64's rounding (eps/h) and truncation (h²) errors are balanced near here. */
    static final double STEP = 1e-5;
    private static final Set<String> OPTIONS = Set.of("samples", "seed", "hidden", "activation", "weight-std");

    @Override
    public String name() {
        return "gradcheck";
    }

    @Override
    public String summary() {
        return "check backprop against numerical gradients (float64, a few real digits); exit 1 on failure";
    }

    @Override
    public String usage() {
        return "usage: ./nnj gradcheck [options]\n\n"
                + "Builds the two-layer net in float64 and compares, for every parameter (Affine1.W, Affine1.b,\n"
                + "Affine2.W, Affine2.b), the backprop gradient with the central-difference gradient on a few images\n"
                + "of the embedded MNIST sample. Exit 1 if any relative error exceeds 1e-6.\n\n"
                + "  --samples N        images in the batch, default 3\n"
                + "  --seed N           picks the images and the weights, default 42\n"
                + "  --hidden N         hidden units, default 50\n"
                + "  --activation NAME  relu | sigmoid | swish | any layer provider (default relu)\n"
                + "  --weight-std X     std of the initial weights, default 0.1 (see GradCheckCommand)\n";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        Options o = Options.parse(name(), args, OPTIONS);
        int samples = o.getInt("samples", 3, 1, 1000);
        long seed = o.getLong("seed", 42);
        int hidden = o.getInt("hidden", 50, 1, 10_000);
        String activation = o.get("activation", "relu");
        double weightStd = o.getPositive("weight-std", CHECK_WEIGHT_STD);

        Registry registry = Registry.load(Main.class.getClassLoader());
        registry.layers().get(activation);
        Dataset data = registry.dataset("mnist", Settings.of("flatten", true));
        DataSplit train = data.train();
        Backend be = Backends.open(registry, null, 1); // tiny matrices: threads would only add overhead
        try {
            Tensor x = be.zeros(DType.FLOAT64, train.sampleShape().withBatch(samples));
            Tensor t = be.zeros(DType.FLOAT64, Shape.of(samples));
            train.gather(pick(train.size(), samples, new Random(seed)), 0, samples, x, t);
            Network net = TwoLayerNet.build(registry, be, DType.FLOAT64, train.sampleShape(), hidden, activation,
                    train.numClasses(), weightStd, seed);
            out.printf(Locale.ROOT, "gradient check: %s, float64, %d images of %s, weights N(0, %s^2), "
                            + "central differences h = 1e-5%n",
                    TwoLayerNet.describe(train.sampleShape(), hidden, activation, train.numClasses()), samples,
                    data.description(), weightStd);
            double floor = GradientCheck.noiseFloor(net.loss(x, t), STEP);
            out.printf(Locale.ROOT, "relative error = |backprop - numeric| / max(|backprop|, |numeric|, %.1e): "
                    + "gradients below %.1e are judged by absolute error, finer than central differences resolve%n",
                    floor, floor);
            long start = System.nanoTime();
            GradientCheck.Result result = new GradientCheck(STEP, floor).check(net, x, t);
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "%-10s %9s %22s %20s %7s%n", "parameter", "elements", "max |backprop - numeric|",
                    "max relative error", "kinks");
            for (GradientCheck.ParameterResult p : result.parameters()) {
                out.printf(Locale.ROOT, "%-10s %9d %22.3e %20.3e %7d%n", p.name(), p.size(), p.maxAbsDiff(),
                        p.maxRelError(), p.kinks());
            }
            out.printf(Locale.ROOT, "%d kink element(s) judged against one-sided derivatives; %.1f s%n",
                    result.kinks(), seconds);
            boolean ok = result.passes(TOLERANCE);
            out.printf(Locale.ROOT, "%s: max relative error %.3e %s %.0e%n", ok ? "PASS" : "FAIL",
                    result.maxRelError(), ok ? "<=" : ">", TOLERANCE);
            return ok ? ExitCode.OK : ExitCode.FAILED;
        } finally {
            Backends.close(be);
        }
    }

    /** {@code count} distinct indices below {@code n}, chosen by {@code random}. */
    static int[] pick(int n, int count, Random random) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(n - i);
            int tmp = all[i];
            all[i] = all[j];
            all[j] = tmp;
        }
        return java.util.Arrays.copyOf(all, count);
    }
}
