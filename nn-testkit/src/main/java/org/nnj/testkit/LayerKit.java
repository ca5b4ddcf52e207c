package org.nnj.testkit;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Mode;
import org.nnj.api.Parameter;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.spi.LayerProvider;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.nnj.core.cpu.CpuBackend;
import org.nnj.core.io.ModelStore;
import org.nnj.core.io.NetworkSpec;
import org.nnj.testkit.internal.KitClassLoader;
import org.nnj.testkit.internal.ProbeLossProvider;

/**
 * Checks a custom layer in one call, the way nnj checks its own layers. Add {@code org.nnj:nn-testkit} in test scope
 * and write:
 *
 * <pre>{@code
 * class SwishTest {
 *     @Test
 *     void passesTheLayerKit() {
 *         LayerKit.check(new SwishProvider(), Settings.empty(), Shape.of(7));
 *     }
 *
 *     @Test
 *     void passesTheLayerKitWithOptions() {
 *         LayerKit.of(new MyDenseProvider())
 *                 .settings(Settings.of("units", 3))
 *                 .inputShape(Shape.of(4))
 *                 .batchSize(5)
 *                 .inputRange(-1, 1)
 *                 .check();
 *     }
 * }
 * }</pre>
 *
 * <p>The layer is built through its provider in float64 on the {@code cpu} backend, for a batch of
 * {@link #batchSize(int) n} inputs drawn uniformly from the {@link #inputRange(double, double) input range} with a
 * fixed {@link #seed(long) seed}. It must pass every one of these checks; a failure is an {@link AssertionError}
 * listing every check that failed and what to fix:
 * <ol>
 *   <li><b>name</b>: the provider's name is lower case, without spaces;</li>
 *   <li><b>discovery</b>: {@link ServiceLoader} finds the provider (its class is listed in
 *       {@code META-INF/services/org.nnj.api.spi.LayerProvider}) and nnj's {@link Registry} returns it by name;</li>
 *   <li><b>parameters</b>: parameter and state names are non-empty, contain no dot, and are unique;</li>
 *   <li><b>shapes</b>: {@link Layer#forward} in both modes returns {@code (n, outputShape(inputShape)...)}, and
 *       {@link Layer#backward} returns the input's shape;</li>
 *   <li><b>no mutation</b>: neither forward nor backward (nor {@link Layer#backwardParameters}) writes into
 *       {@code x} or {@code dout};</li>
 *   <li><b>state errors</b>: {@code backward} on a new layer, and after an inference-mode forward only, throws
 *       {@link IllegalStateException};</li>
 *   <li><b>determinism</b>: two training-mode forwards of the same input agree (a stochastic layer needs a
 *       {@link #prepare(Consumer) prepare} step that freezes its randomness);</li>
 *   <li><b>gradients</b>: the gradient of {@code L = Σ r ⊙ forward(x)} for a fixed random {@code r} that
 *       {@code backward(r)} returns for {@code x}, and leaves in each {@link Parameter#grad()}, agrees with central
 *       differences of training-mode forwards, relative error at most 1e-6 per element, by the rules of
 *       {@link org.nnj.core.GradientCheck} (a floor derived from rounding noise; kinks within the step judged by
 *       one-sided derivatives); a parameter that does not affect the output at all is reported too;</li>
 *   <li><b>accumulation</b>: two backward passes add up in {@link Parameter#grad()}, and
 *       {@link Layer#backwardParameters} adds what {@code backward} adds;</li>
 *   <li><b>save and load</b>: a network holding the layer (built by name from a {@link NetworkSpec}, its parameters
 *       moved away from their initial values and a few training forwards run) is saved with {@link ModelStore},
 *       loaded in a fresh network, and predicts bit for bit what it predicted before.</li>
 * </ol>
 *
 * <p>Not thread-safe; configure, then call {@link #check()}. Stability: evolving.
 */
public final class LayerKit {
    private final LayerProvider provider;
    private Settings settings = Settings.empty();
    private Shape inputShape;
    private int batchSize = 3;
    private long seed = 42;
    private double low = -2;
    private double high = 2;
    private Consumer<Layer> prepare = layer -> { };

    private LayerKit(LayerProvider provider) {
        this.provider = checkNotNull(provider, "provider");
    }

    /**
     * Runs every check on the layer {@code provider} creates with {@code settings} for per-sample inputs of
     * {@code inputShape}, with the default batch size (3), input range [-2, 2) and seed (42).
     *
     * @throws AssertionError listing each failed check and what to fix
     */
    public static void check(LayerProvider provider, Settings settings, Shape inputShape) {
        of(provider).settings(settings).inputShape(inputShape).check();
    }

    /** A configurable check of the layers {@code provider} creates; set at least {@link #inputShape(Shape)}. */
    public static LayerKit of(LayerProvider provider) {
        return new LayerKit(provider);
    }

    /** The settings handed to the provider (default: none). */
    public LayerKit settings(Settings s) {
        settings = checkNotNull(s, "settings");
        return this;
    }

    /** The per-sample input shape, batch axis excluded, e.g. {@code (784)} or {@code (1, 28, 28)}. Required. */
    public LayerKit inputShape(Shape s) {
        inputShape = checkNotNull(s, "inputShape");
        return this;
    }

    /** The number of samples in the checked batch (default 3; at least 2 so that batch statistics are tested). */
    public LayerKit batchSize(int n) {
        checkArgument(n >= 1, "batch size must be at least 1, got %s", n);
        batchSize = n;
        return this;
    }

    /** Seeds the inputs, the probe gradient and the layer's initial weights (default 42). */
    public LayerKit seed(long s) {
        seed = s;
        return this;
    }

    /** Inputs are drawn uniformly from {@code [low, high)} (default [-2, 2)); e.g. (0.1, 2) for a logarithm. */
    public LayerKit inputRange(double lo, double hi) {
        checkArgument(Double.isFinite(lo) && Double.isFinite(hi) && lo < hi, "need finite lo < hi, got %s, %s", lo, hi);
        low = lo;
        high = hi;
        return this;
    }

    /**
     * Run on every layer the kit creates, before it is used: make a stochastic layer deterministic here, e.g.
     * {@code prepare(layer -> ((Dropout) layer).freezeMask())}. Not applied to the save-and-load network, which
     * predicts in inference mode.
     */
    public LayerKit prepare(Consumer<Layer> step) {
        prepare = checkNotNull(step, "step");
        return this;
    }

    /**
     * Runs every check.
     *
     * @throws AssertionError listing every check that failed, each with what to fix
     * @throws IllegalStateException if no input shape was given
     */
    public void check() {
        if (inputShape == null) {
            throw new IllegalStateException("LayerKit: give the per-sample input shape with inputShape(Shape.of(...))");
        }
        List<String> failures = new ArrayList<>();
        try (CpuBackend backend = new CpuBackend(1)) {
            new Run(backend, failures).all();
        }
        if (!failures.isEmpty()) {
            StringBuilder m = new StringBuilder("LayerKit: layer provider '").append(provider.name()).append("' (")
                    .append(provider.getClass().getName()).append(") with settings ").append(settings.asMap())
                    .append(" and input shape ").append(inputShape).append(" failed ").append(failures.size())
                    .append(failures.size() == 1 ? " check:" : " checks:");
            for (String f : failures) {
                m.append("\n  - ").append(f);
            }
            Assertions.fail(m.toString());
        }
    }

    /** One run of all checks on one backend. */
    private final class Run {
        private final Backend be;
        private final List<String> failures;
        private final Tensor x;
        private final Shape batchShape;

        Run(Backend be, List<String> failures) {
            this.be = be;
            this.failures = failures;
            this.batchShape = inputShape.withBatch(batchSize);
            this.x = random(batchShape, new Random(seed), low, high);
        }

        void all() {
            checkName();
            checkDiscovery();
            Layer layer = create("the layer");
            if (layer == null) {
                return;
            }
            checkNames(layer);
            Shape out = checkShapes(layer);
            if (out == null) {
                return;
            }
            Tensor r = random(out, new Random(seed + 1), -1, 1);
            checkNoMutation(r);
            checkStateErrors(r);
            if (checkDeterministic()) {
                checkGradients(r);
                checkAccumulation(r);
            }
            checkSaveLoad();
        }

        private void fail(String check, String message) {
            failures.add(check + ": " + message);
        }

        private Layer create(String what) {
            try {
                Layer layer = provider.create(settings, new LayerContext(be, DType.FLOAT64, inputShape,
                        new Random(seed)));
                if (layer == null) {
                    fail("create", "provider.create returned null; return a new layer");
                    return null;
                }
                prepare.accept(layer);
                return layer;
            } catch (RuntimeException e) {
                fail("create", "provider.create(" + settings.asMap() + ", float64 input " + inputShape
                        + ") threw " + e + " while creating " + what + "; fix the provider or the kit's settings/shape");
                return null;
            }
        }

        private Layer fresh() {
            return create("a fresh layer");
        }

        private void checkName() {
            String name = provider.name();
            if (name == null || name.isBlank() || !name.equals(name.toLowerCase(Locale.ROOT))
                    || name.chars().anyMatch(Character::isWhitespace)) {
                fail("name", "provider name '" + name + "' must be lower case without spaces, e.g. \"swish\" or "
                        + "\"my-dense\": users type it on command lines and in spec files");
            }
        }

        private void checkDiscovery() {
            ClassLoader loader = provider.getClass().getClassLoader();
            String file = "META-INF/services/" + LayerProvider.class.getName();
            boolean listed = ServiceLoader.load(LayerProvider.class, loader).stream()
                    .anyMatch(p -> p.type() == provider.getClass());
            if (!listed) {
                fail("discovery", "ServiceLoader does not find " + provider.getClass().getName() + ": add the line '"
                        + provider.getClass().getName() + "' to src/main/resources/" + file
                        + " (the class needs a public no-argument constructor)");
                return;
            }
            try {
                Registry registry = Registry.load(loader);
                LayerProvider found = registry.layers().get(provider.name());
                if (found.getClass() != provider.getClass()) {
                    fail("discovery", "the registry returns " + found.getClass().getName() + " for the name '"
                            + provider.name() + "', not " + provider.getClass().getName() + ": choose a unique name");
                }
            } catch (RuntimeException e) {
                fail("discovery", "nnj's Registry cannot load the providers: " + e.getMessage());
            }
        }

        private void checkNames(Layer layer) {
            Set<String> seen = new HashSet<>();
            for (Parameter p : layer.parameters()) {
                if (p.name().indexOf('.') >= 0 || !seen.add(p.name())) {
                    fail("parameters", "parameter name '" + p.name() + "' must be unique within the layer and "
                            + "contain no dot (the network qualifies it as <Layer>.<name>)");
                }
                if (p.value().dtype() != DType.FLOAT64) {
                    fail("parameters", "parameter " + p.name() + " is " + p.value().dtype()
                            + ": create parameters in LayerContext.dtype() (float64 here)");
                }
            }
            for (String s : layer.state().keySet()) {
                if (s.isEmpty() || s.indexOf('.') >= 0 || !seen.add(s)) {
                    fail("parameters", "state name '" + s + "' must be non-empty, contain no dot and differ from "
                            + "every parameter name");
                }
            }
        }

        /** Checks shapes in both modes; returns the batch output shape, or null if forward cannot run. */
        private Shape checkShapes(Layer layer) {
            Shape declared;
            try {
                declared = layer.outputShape(inputShape);
            } catch (RuntimeException e) {
                fail("shapes", "outputShape(" + inputShape + ") threw " + e + "; it must accept the shape the "
                        + "provider was created for");
                return null;
            }
            Shape expected = declared.withBatch(batchSize);
            Shape got = null;
            for (Mode mode : Mode.values()) {
                Layer l = mode == Mode.TRAIN ? layer : fresh();
                if (l == null) {
                    return null;
                }
                try {
                    Tensor y = l.forward(x, mode);
                    if (!y.shape().equals(expected)) {
                        fail("shapes", mode + " forward of " + batchShape + " returned " + y.shape()
                                + " but outputShape(" + inputShape + ") says " + declared + ", so " + expected
                                + " was expected; make outputShape and forward agree");
                    }
                    if (y.dtype() != DType.FLOAT64) {
                        fail("shapes", mode + " forward returned " + y.dtype() + " for a float64 input; compute in "
                                + "the input's dtype");
                    }
                    if (mode == Mode.TRAIN) {
                        got = y.shape();
                    }
                } catch (RuntimeException e) {
                    fail("shapes", mode + " forward of " + batchShape + " threw " + e);
                    return null;
                }
            }
            try {
                Tensor dx = layer.backward(random(got, new Random(seed + 2), -1, 1));
                if (!dx.shape().equals(batchShape)) {
                    fail("shapes", "backward returned " + dx.shape() + ", expected the input's shape " + batchShape);
                }
            } catch (RuntimeException e) {
                fail("shapes", "backward after a TRAIN forward threw " + e);
                return null;
            }
            return got;
        }

        private void checkNoMutation(Tensor r) {
            Layer layer = fresh();
            if (layer == null) {
                return;
            }
            double[] xBefore = x.toDoubleArray();
            double[] rBefore = r.toDoubleArray();
            layer.forward(x, Mode.INFERENCE);
            unchanged(xBefore, x, "forward(x, INFERENCE) wrote into x");
            layer.forward(x, Mode.TRAIN);
            unchanged(xBefore, x, "forward(x, TRAIN) wrote into x");
            layer.backward(r);
            unchanged(rBefore, r, "backward(dout) wrote into dout");
            unchanged(xBefore, x, "backward(dout) wrote into x, which forward kept");
            layer.forward(x, Mode.TRAIN);
            layer.backwardParameters(r);
            unchanged(rBefore, r, "backwardParameters(dout) wrote into dout");
            unchanged(xBefore, x, "backwardParameters(dout) wrote into x, which forward kept");
        }

        private void unchanged(double[] before, Tensor t, String what) {
            if (!Arrays.equals(before, t.toDoubleArray())) {
                fail("no mutation", what + "; write results into tensors the layer owns (Backend ops take an "
                        + "output argument) and restore nothing by hand");
                t.backend().copy(t.backend().fromArray(t.dtype(), t.shape(), before), t);
            }
        }

        private void checkStateErrors(Tensor r) {
            Layer layer = fresh();
            if (layer == null) {
                return;
            }
            expectIllegalState(() -> layer.backward(r), "backward on a new layer (no forward yet)");
            Layer inferred = fresh();
            if (inferred == null) {
                return;
            }
            inferred.forward(x, Mode.INFERENCE);
            expectIllegalState(() -> inferred.backward(r), "backward after an INFERENCE-mode forward only");
        }

        private void expectIllegalState(Runnable call, String what) {
            try {
                call.run();
                fail("state errors", what + " returned normally; it must throw IllegalStateException (keep "
                        + "the caches null until a TRAIN forward and check them first thing in backward)");
            } catch (IllegalStateException expected) {
                // as it should
            } catch (RuntimeException e) {
                fail("state errors", what + " threw " + e + "; it must throw IllegalStateException");
            }
        }

        private boolean checkDeterministic() {
            Layer layer = fresh();
            if (layer == null) {
                return false;
            }
            double[] first = layer.forward(x, Mode.TRAIN).toDoubleArray();
            double[] second = layer.forward(x, Mode.TRAIN).toDoubleArray();
            if (!Arrays.equals(first, second)) {
                fail("determinism", "two TRAIN forwards of the same input differ, so no numerical gradient can be "
                        + "taken (gradients and accumulation not checked); if the layer is stochastic, freeze its "
                        + "randomness with LayerKit.of(provider).prepare(layer -> ...)");
                return false;
            }
            return true;
        }

        private void checkGradients(Tensor r) {
            Layer layer = fresh();
            if (layer == null) {
                return;
            }
            for (Parameter p : layer.parameters()) {
                p.zeroGrad();
            }
            Tensor y = layer.forward(x, Mode.TRAIN);
            double magnitude = magnitude(y, r);
            double[] dx = layer.backward(r).toDoubleArray();
            List<double[]> grads = new ArrayList<>();
            for (Parameter p : layer.parameters()) {
                grads.add(p.grad().toDoubleArray());
            }
            judge("the input gradient (what backward returns)", x, dx, layer, r, magnitude, false);
            List<Parameter> ps = layer.parameters();
            for (int i = 0; i < ps.size(); i++) {
                judge("parameter " + ps.get(i).name() + " (its gradient in Parameter.grad())", ps.get(i).value(),
                        grads.get(i), layer, r, magnitude, true);
            }
        }

        private void judge(String what, Tensor t, double[] analytic, Layer layer, Tensor r, double magnitude,
                           boolean mustMatter) {
            NumericalGradient.Verdict v = NumericalGradient.compare(t, analytic,
                    () -> be.dot(layer.forward(x, Mode.TRAIN), r), magnitude);
            if (!v.passes()) {
                fail("gradients", what + " disagrees with central differences: at " + NumericalGradient.position(
                        t.shape(), v.worstIndex()) + " backward gives " + NumericalGradient.format(v.analytic())
                        + ", the numerical gradient " + NumericalGradient.format(v.numerical())
                        + " (relative error " + NumericalGradient.format(v.maxRelError()) + " > "
                        + NumericalGradient.TOLERANCE + "); check the derivative in backward and that backward uses "
                        + "what forward cached");
            } else if (mustMatter && v.numericalAllZero()) {
                fail("gradients", what + " has no effect on the output at all: use it in forward, or do not "
                        + "return it from parameters()");
            }
        }

        private void checkAccumulation(Tensor r) {
            Layer layer = fresh();
            if (layer == null || layer.parameters().isEmpty()) {
                return;
            }
            List<Parameter> ps = layer.parameters();
            ps.forEach(Parameter::zeroGrad);
            layer.forward(x, Mode.TRAIN);
            layer.backward(r);
            List<double[]> once = new ArrayList<>();
            ps.forEach(p -> once.add(p.grad().toDoubleArray()));
            layer.forward(x, Mode.TRAIN);
            layer.backward(r);
            for (int i = 0; i < ps.size(); i++) {
                if (!close(ps.get(i).grad().toDoubleArray(), once.get(i), 2)) {
                    fail("accumulation", "after two backward passes " + ps.get(i).name() + ".grad is not twice "
                            + "the gradient of one: backward must add into Parameter.grad() (e.g. gemm with beta 1, "
                            + "axpy), never overwrite it; the trainer zeroes gradients once per step");
                }
            }
            ps.forEach(Parameter::zeroGrad);
            layer.forward(x, Mode.TRAIN);
            layer.backwardParameters(r);
            for (int i = 0; i < ps.size(); i++) {
                if (!close(ps.get(i).grad().toDoubleArray(), once.get(i), 1)) {
                    fail("accumulation", "backwardParameters left " + ps.get(i).name() + ".grad different from what "
                            + "backward adds; if you override backwardParameters, add exactly the same gradients");
                }
            }
        }

        private boolean close(double[] got, double[] one, double factor) {
            for (int i = 0; i < got.length; i++) {
                double want = factor * one[i];
                if (Math.abs(got[i] - want) > 1e-12 * Math.max(1, Math.abs(want))) {
                    return false;
                }
            }
            return true;
        }

        private void checkSaveLoad() {
            ClassLoader loader = new KitClassLoader(provider.getClass().getClassLoader());
            Registry registry;
            try {
                registry = Registry.load(loader);
                if (!registry.layers().contains(provider.name())) {
                    fail("save and load", "not checked: the registry does not find '" + provider.name()
                            + "' (see discovery)");
                    return;
                }
            } catch (RuntimeException e) {
                fail("save and load", "not checked: the registry cannot load (" + e.getMessage() + ")");
                return;
            }
            NetworkSpec spec = NetworkSpec.builder(inputShape, DType.FLOAT64)
                    .layer(provider.name(), settings)
                    .loss(ProbeLossProvider.NAME)
                    .build();
            Path dir = null;
            try {
                Network saved = spec.build(registry, be, seed);
                Random random = new Random(seed + 3);
                for (Parameter p : saved.parameters()) {
                    for (int i = 0; i < p.value().size(); i++) {
                        p.value().set(i, p.value().get(i) + 0.1 * random.nextGaussian());
                    }
                }
                for (int i = 0; i < 3; i++) {
                    saved.layers().forward(random(batchShape, random, low, high), Mode.TRAIN);
                }
                double[] before = saved.predict(x).toDoubleArray();
                dir = Files.createTempDirectory("nnj-layerkit");
                ModelStore.save(saved, dir);
                Network loaded = ModelStore.load(dir, registry, be);
                double[] after = loaded.predict(x).toDoubleArray();
                if (!Arrays.equals(before, after)) {
                    fail("save and load", "the loaded network predicts differently (first difference at "
                            + firstDifference(before, after) + "): keep every learned value in parameters() or "
                            + "state(), and make the provider build the same layer from the same settings");
                }
                for (Map.Entry<String, Tensor> e : ModelStore.persistentTensors(saved).entrySet()) {
                    Tensor other = ModelStore.persistentTensors(loaded).get(e.getKey());
                    if (other == null || !Arrays.equals(e.getValue().toDoubleArray(), other.toDoubleArray())) {
                        fail("save and load", e.getKey() + " was not restored exactly; layers must keep using the "
                                + "tensors they return from parameters() and state()");
                    }
                }
            } catch (IOException | RuntimeException e) {
                fail("save and load", "failed with " + e + "; the layer must be buildable from its provider name "
                        + "and settings alone");
            } finally {
                deleteRecursively(dir);
            }
        }

        private String firstDifference(double[] a, double[] b) {
            if (a.length != b.length) {
                return "length " + a.length + " vs " + b.length;
            }
            for (int i = 0; i < a.length; i++) {
                if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
                    return "element " + i + ": " + a[i] + " vs " + b[i];
                }
            }
            return "none";
        }

        private Tensor random(Shape shape, Random random, double lo, double hi) {
            double[] v = new double[shape.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = lo + (hi - lo) * random.nextDouble();
            }
            return be.fromArray(DType.FLOAT64, shape, v);
        }

        private double magnitude(Tensor y, Tensor r) {
            double[] a = y.toDoubleArray();
            double[] b = r.toDoubleArray();
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                s += Math.abs(a[i] * b[i]);
            }
            return s;
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
