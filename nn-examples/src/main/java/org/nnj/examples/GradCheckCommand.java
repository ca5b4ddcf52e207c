package org.nnj.examples;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Layer;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.data.DataSplit;
import org.nnj.api.data.Dataset;
import org.nnj.core.GradientCheck;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.nnj.layers.Dropout;

/**
 * {@code nnj gradcheck}: a net ({@code --model two-layer|mlp|cnn}) in float64 on a few real digits; the backprop
 * gradient of every parameter against central differences, through {@link GradientCheck}, which judges elements with
 * a ReLU kink within the step against the one-sided derivatives. Exit 1 if any relative error exceeds
 * {@value #TOLERANCE}.
 *
 * <p>The mlp is checked with batch normalisation and dropout by default, each dropout layer's mask frozen after the
 * first forward ({@link Dropout#freezeMask()}) so that every forward computes the same function. The cnn is checked in
 * a small variant by default (4 filters, 10 hidden units, 2 images): every element of every parameter costs two
 * forward passes, and the book's size has 433k parameters.
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
    private static final Set<String> OPTIONS = TrainCommand.union(Set.of("samples", "seed"), ModelSpec.OPTIONS);

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
        return "usage: ./nnj gradcheck [--model two-layer|mlp|cnn] [options]\n\n"
                + "Builds the net in float64 and compares, for every parameter (e.g. Affine1.W, Affine1.b, ...), the\n"
                + "backprop gradient with the central-difference gradient on a few images of the embedded MNIST\n"
                + "sample. Exit 1 if any relative error exceeds 1e-6.\n\n"
                + "  --model NAME       two-layer (default) | mlp | cnn\n"
                + "  --samples N        images in the batch, default 3 (cnn: 2)\n"
                + "  --seed N           picks the images, the weights and the dropout masks, default 42\n"
                + "  --hidden N[,N...]  hidden sizes: two-layer default 50; mlp default 10,10; cnn default 10\n"
                + "  --activation NAME  relu | sigmoid | tanh | leaky-relu | swish | any layer provider (default relu)\n"
                + "  --weight-std X     std of normal initial weights (two-layer default 0.1, not the book's 0.01:\n"
                + "                     gradients that small would be below what the central difference resolves)\n"
                + "  --init NAME        mlp, cnn: normal | he | xavier (default as for train)\n"
                + "  --batchnorm[=false] mlp: batch normalisation after each hidden affine layer (default: on)\n"
                + "  --dropout RATE     mlp: dropout after each hidden activation, mask frozen (default 0.2; 0: none)\n"
                + "  --filters N        cnn: conv2d filters, default 4 (the book's 30 with --hidden 100 checks the\n"
                + "                     full net: 433k parameters, minutes)\n";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        Options o = Options.parse(name(), args, OPTIONS, ModelSpec.FLAGS);
        ModelSpec model = ModelSpec.parse(o, ModelSpec.Purpose.CHECK);
        int samples = o.getInt("samples", model.needsImages() ? 2 : 3, 1, 1000);
        long seed = o.getLong("seed", 42);

        Registry registry = Registry.load(Main.class.getClassLoader());
        registry.layers().get(model.activation);
        Dataset data = registry.dataset("mnist", Settings.of("flatten", !model.needsImages()));
        DataSplit train = data.train();
        Backend be = Backends.open(registry, null, 1); // tiny matrices: threads would only add overhead
        try {
            Tensor x = be.zeros(DType.FLOAT64, train.sampleShape().withBatch(samples));
            Tensor t = be.zeros(DType.FLOAT64, Shape.of(samples));
            train.gather(pick(train.size(), samples, new Random(seed)), 0, samples, x, t);
            Network net = model.build(registry, be, DType.FLOAT64, train.sampleShape(), train.numClasses(), seed);
            if (model.needsImages()) {
                jitterBiases(net, new Random(seed + 1));
                out.println("biases drawn from N(0, 0.01^2) instead of 0, so that no conv unit sits exactly on the "
                        + "ReLU kink (blank image patches)");
            }
            int dropouts = 0;
            for (Layer layer : net.layers().layers().values()) {
                if (layer instanceof Dropout) {
                    ((Dropout) layer).freezeMask(); // the first forward draws the mask, every later one reuses it
                    dropouts++;
                }
            }
            int elements = net.parameters().stream().mapToInt(p -> p.value().size()).sum();
            out.printf(Locale.ROOT, "gradient check: %s, float64, %d images of %s, %d parameters, central "
                            + "differences h = 1e-5%n",
                    model.describe(train.sampleShape(), train.numClasses()), samples, data.description(), elements);
            if (dropouts > 0) {
                out.printf(Locale.ROOT, "%d dropout layer(s): mask drawn on the first forward, then frozen%n",
                        dropouts);
            }
            if (model.needsImages() && !o.has("filters") && !o.has("hidden")) {
                out.printf(Locale.ROOT, "small variant (--filters %d --hidden %d): the same layers as the book's cnn "
                        + "(30 filters, hidden 100: 433k parameters, two forwards each); pass those options to "
                        + "check the full size%n", model.filters, model.hidden[0]);
            }
            double floor = GradientCheck.noiseFloor(net.loss(x, t), STEP);
            out.printf(Locale.ROOT, "relative error = |backprop - numeric| / max(|backprop|, |numeric|, %.1e): "
                    + "gradients below %.1e are judged by absolute error, finer than central differences resolve%n",
                    floor, floor);
            long start = System.nanoTime();
            GradientCheck.Result result = new GradientCheck(STEP, floor).check(net, x, t);
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "%-16s %9s %22s %20s %7s%n", "parameter", "elements", "max |backprop - numeric|",
                    "max relative error", "kinks");
            for (GradientCheck.ParameterResult p : result.parameters()) {
                out.printf(Locale.ROOT, "%-16s %9d %22.3e %20.3e %7d%n", p.name(), p.size(), p.maxAbsDiff(),
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

    /**
     * Sets every bias ({@code *.b}) to small random values. With zero biases, every image patch that is entirely
     * background makes a conv output of exactly 0, on the ReLU kink: there the loss has only one-sided derivatives
     * (backprop gives the left one), and a central difference straddles the kink, so the check would compare
     * different things. With random biases those outputs sit at {@code ±0.01}, far from the kink for a step of 1e-5.
     */
    static void jitterBiases(Network net, Random random) {
        for (org.nnj.api.Parameter p : net.parameters()) {
            if (p.name().endsWith(".b")) {
                Tensor b = p.value();
                for (int i = 0; i < b.size(); i++) {
                    b.set(i, 0.01 * random.nextGaussian());
                }
            }
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
