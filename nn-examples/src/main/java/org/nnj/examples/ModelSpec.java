package org.nnj.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Shape;
import org.nnj.core.Network;
import org.nnj.core.Registry;

/**
 * Which net a command builds ({@code --model two-layer|mlp|cnn}) and the options that shape it, parsed once and
 * shared by {@code train} and {@code gradcheck}. Each model takes only its own options; another model's option is a
 * usage error rather than silently ignored.
 */
final class ModelSpec {
    /** The model names, the default first. */
    static final List<String> MODELS = List.of("two-layer", "mlp", "cnn");
    /** Weight initialisations of the affine and conv2d providers. */
    static final List<String> INITS = List.of("normal", "he", "xavier", TorchInit.NAME);
    /** Options with a value that shape a model. */
    static final Set<String> OPTIONS = Set.of("model", "hidden", "activation", "init", "weight-std", "dropout",
            "filters");
    /** The model options that are flags. */
    static final Set<String> FLAGS = Set.of("batchnorm");

    /** Defaults for training, or the small variants used by a gradient check. */
    enum Purpose { TRAIN, CHECK }

    final String model;
    final int[] hidden;
    final String activation;
    final String init;
    final double weightStd;
    final boolean batchnorm;
    final double dropout;
    final int filters;

    private ModelSpec(String model, int[] hidden, String activation, String init, double weightStd, boolean batchnorm,
            double dropout, int filters) {
        this.model = model;
        this.hidden = hidden;
        this.activation = activation;
        this.init = init;
        this.weightStd = weightStd;
        this.batchnorm = batchnorm;
        this.dropout = dropout;
        this.filters = filters;
    }

    /**
     * @throws UsageException for an unknown model or init name (listing the known ones), a malformed value, or an
     *                        option that the chosen model does not take
     */
    static ModelSpec parse(Options o, Purpose purpose) {
        String model = o.get("model", "two-layer").trim().toLowerCase(Locale.ROOT);
        if (!MODELS.contains(model)) {
            throw new UsageException("option --model: unknown model '" + o.get("model", "") + "'; known models: "
                    + String.join(", ", MODELS));
        }
        boolean check = purpose == Purpose.CHECK;
        List<String> foreign = new ArrayList<>();
        switch (model) {
            case "two-layer":
                foreign.addAll(List.of("init", "batchnorm", "dropout", "filters"));
                break;
            case "mlp":
                foreign.add("filters");
                break;
            default:
                foreign.addAll(List.of("batchnorm", "dropout"));
        }
        for (String f : foreign) {
            if (o.has(f)) {
                throw new UsageException("option --" + f + " does not apply to --model " + model);
            }
        }
        String activation = o.get("activation", "relu").trim();
        String init = null;
        if (o.has("init")) {
            init = o.get("init", "").trim().toLowerCase(Locale.ROOT);
            if (!INITS.contains(init)) {
                throw new UsageException("option --init: unknown initialisation '" + o.get("init", "")
                        + "'; known: " + String.join(", ", INITS));
            }
        }
        double weightStd = o.has("weight-std") ? o.getPositive("weight-std", 0) : Double.NaN;
        if (!Double.isNaN(weightStd) && init != null && !init.equals("normal")) {
            throw new UsageException("option --weight-std applies to --init normal only, not --init " + init);
        }
        if (!Double.isNaN(weightStd) && init == null) {
            init = "normal";
        }
        switch (model) {
            case "two-layer": {
                int[] hidden = o.getIntList("hidden", new int[] {50}, 1, 1_000_000);
                if (hidden.length != 1) {
                    throw new UsageException("option --hidden: the two-layer net has one hidden layer, found "
                            + hidden.length + " sizes (use --model mlp for more)");
                }
                double std = Double.isNaN(weightStd)
                        ? (check ? GradCheckCommand.CHECK_WEIGHT_STD : TwoLayerNet.BOOK_WEIGHT_STD) : weightStd;
                return new ModelSpec(model, hidden, activation, "normal", std, false, 0, 0);
            }
            case "mlp": {
                int[] hidden = o.getIntList("hidden", check ? new int[] {10, 10} : new int[] {100, 100, 100},
                        1, 1_000_000);
                double dropout = o.getNonNegative("dropout", check ? 0.2 : 0);
                if (dropout >= 1) {
                    throw new UsageException("option --dropout: expected a rate in [0, 1), found " + dropout);
                }
                return new ModelSpec(model, hidden, activation, init != null ? init : defaultInit(activation),
                        weightStd, o.getFlag("batchnorm", check), dropout, 0);
            }
            default: {
                int[] hidden = o.getIntList("hidden", new int[] {check ? 10 : SimpleConvNet.HIDDEN}, 1, 1_000_000);
                if (hidden.length != 1) {
                    throw new UsageException("option --hidden: the cnn has one hidden affine layer, found "
                            + hidden.length + " sizes");
                }
                int filters = o.getInt("filters", check ? 4 : SimpleConvNet.FILTERS, 1, 100_000);
                return new ModelSpec(model, hidden, activation, init != null ? init : SimpleConvNet.DEFAULT_INIT,
                        weightStd, false, 0, filters);
            }
        }
    }

    /**
     * The book's choice ({@code weight_init_std='relu'} or {@code 'sigmoid'}): Xavier for the saturating sigmoid and
     * tanh, He for ReLU and everything else (leaky-relu, swish, plugins).
     */
    static String defaultInit(String activation) {
        String a = activation.trim().toLowerCase(Locale.ROOT);
        return a.equals("sigmoid") || a.equals("tanh") ? "xavier" : "he";
    }

    private ModelSpec withInit(String other) {
        return new ModelSpec(model, hidden, activation, other, weightStd, batchnorm, dropout, filters);
    }

    /** True if the net takes images {@code (C, H, W)} rather than flat vectors. */
    boolean needsImages() {
        return model.equals("cnn");
    }

    /** Builds the net for samples of shape {@code input}. */
    Network build(Registry registry, Backend backend, DType dtype, Shape input, int classes, long seed) {
        if (init.equals(TorchInit.NAME)) {
            Network net = withInit("he").build(registry, backend, dtype, input, classes, seed);
            TorchInit.apply(net, new java.util.Random(seed));
            return net;
        }
        switch (model) {
            case "two-layer":
                return TwoLayerNet.build(registry, backend, dtype, input, hidden[0], activation, classes, weightStd,
                        seed);
            case "mlp":
                return MultiLayerNet.build(registry, backend, dtype, input, hidden, activation, init, weightStd,
                        batchnorm, dropout, classes, seed);
            default:
                return SimpleConvNet.build(registry, backend, dtype, input, filters, SimpleConvNet.KERNEL, hidden[0],
                        activation, init, weightStd, classes, seed);
        }
    }

    /** One line, e.g. {@code 784-50-10 relu} or {@code cnn conv 30x5x5 - relu - maxpool 2 - affine 100 ...}. */
    String describe(Shape input, int classes) {
        String initText = init.equals("normal") ? "weights N(0, " + (Double.isNaN(weightStd) ? 0.01 : weightStd)
                + "^2)" : init + " init";
        switch (model) {
            case "two-layer":
                return TwoLayerNet.describe(input, hidden[0], activation, classes);
            case "mlp":
                return "mlp " + MultiLayerNet.sizes(input, hidden, classes) + " " + activation
                        + (batchnorm ? " batchnorm" : "") + (dropout > 0 ? " dropout " + dropout : "") + ", " + initText;
            default:
                return "cnn " + input + " conv " + filters + "x" + SimpleConvNet.KERNEL + "x" + SimpleConvNet.KERNEL
                        + " - " + activation + " - maxpool 2 - affine " + hidden[0] + " - " + activation
                        + " - affine " + classes + ", " + initText;
        }
    }

    @Override
    public String toString() {
        return model + Arrays.toString(hidden);
    }
}
