package org.nnj.core.io;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.core.Network;
import org.nnj.core.NetworkBuilder;
import org.nnj.core.Registry;

/**
 * What a network is made of, as data: the per-sample input shape, the dtype, the layers in order (each a name, a
 * provider name and its settings), the loss, and optionally the optimizer and the training settings. It is what
 * {@code network.json} holds (see {@link SpecJson} for the format), what {@link NetworkBuilder} records (see
 * {@link Network#spec()}), and what {@link #build} turns back into a network.
 *
 * <pre>{@code
 * NetworkSpec spec = NetworkSpec.builder(Shape.of(784), DType.FLOAT32)
 *     .layer("affine", Settings.of("units", 50)).layer("relu").layer("affine", Settings.of("units", 10))
 *     .loss("softmax-cross-entropy").build();
 * Network net = spec.build(registry, backend, 42);
 * }</pre>
 *
 * <p>Immutable and thread-safe. Stability: evolving.
 */
public final class NetworkSpec {

    /**
     * One layer.
     *
     * @param name     the layer's name in the network ({@code Affine1}), or null to be named as {@link NetworkBuilder}
     *                 names layers
     * @param provider the layer provider's name ({@code affine})
     * @param settings the provider's settings
     */
    public record LayerSpec(String name, String provider, Settings settings) {
        /** Checks the provider and settings are present and the name, if any, is a valid layer name. */
        public LayerSpec {
            checkArgument(provider != null && !provider.isBlank(), "a layer needs a provider name");
            checkNotNull(settings, "settings");
            checkArgument(name == null || (!name.isEmpty() && name.indexOf('.') < 0),
                    "layer name '%s' must be non-empty and contain no dot", name);
        }
    }

    /**
     * A loss or an optimizer: a provider name and its settings.
     *
     * @param provider the provider's name ({@code softmax-cross-entropy}, {@code adam})
     * @param settings the provider's settings
     */
    public record Component(String provider, Settings settings) {
        /** Checks both are present. */
        public Component {
            checkArgument(provider != null && !provider.isBlank(), "a provider name is required");
            checkNotNull(settings, "settings");
        }
    }

    /**
     * How the network is trained.
     *
     * @param epochs    at least 1
     * @param batchSize at least 1
     * @param seed      the seed of the trainer's shuffling (and, when the spec is built, of the initial weights)
     * @param schedule  the learning-rate schedule, a name ({@code step}, {@code cosine}, ...) and its settings, or
     *                  null for a constant rate
     */
    public record Training(int epochs, int batchSize, long seed, Component schedule) {
        /** The epochs of a spec whose {@code "training"} does not give them: {@code Trainer.builder()}'s 17. */
        public static final int DEFAULT_EPOCHS = 17;
        /** The batch size of a spec whose {@code "training"} does not give it: {@code Trainer.builder()}'s 100. */
        public static final int DEFAULT_BATCH_SIZE = 100;
        /** The seed of a spec whose {@code "training"} does not give it. */
        public static final long DEFAULT_SEED = 0;

        /** Checks the ranges. */
        public Training {
            checkArgument(epochs >= 1, "epochs must be at least 1, got %s", epochs);
            checkArgument(batchSize >= 1, "batch size must be at least 1, got %s", batchSize);
        }

        /** Training at a constant learning rate (no schedule). */
        public Training(int epochs, int batchSize, long seed) {
            this(epochs, batchSize, seed, null);
        }

        /** The schedule, if there is one. */
        public Optional<Component> scheduleSpec() {
            return Optional.ofNullable(schedule);
        }
    }

    private final Shape inputShape;
    private final DType dtype;
    private final List<LayerSpec> layers;
    private final Component loss;
    private final Component optimizer;
    private final Training training;

    private NetworkSpec(Shape inputShape, DType dtype, List<LayerSpec> layers, Component loss, Component optimizer,
                        Training training) {
        this.inputShape = checkNotNull(inputShape, "inputShape");
        this.dtype = checkNotNull(dtype, "dtype");
        this.layers = List.copyOf(layers);
        this.loss = checkNotNull(loss, "a network spec needs a loss");
        this.optimizer = optimizer;
        this.training = training;
    }

    /** A builder for a network of the given per-sample input shape and dtype. */
    public static Builder builder(Shape inputShape, DType dtype) {
        return new Builder(inputShape, dtype);
    }

    /** The per-sample input shape (batch axis excluded). */
    public Shape inputShape() {
        return inputShape;
    }

    /** The dtype of the parameters. */
    public DType dtype() {
        return dtype;
    }

    /** The layers in order (unmodifiable). */
    public List<LayerSpec> layers() {
        return layers;
    }

    /** The loss. */
    public Component loss() {
        return loss;
    }

    /** The optimizer, if the spec names one. */
    public Optional<Component> optimizer() {
        return Optional.ofNullable(optimizer);
    }

    /** The training settings, if the spec has them. */
    public Optional<Training> training() {
        return Optional.ofNullable(training);
    }

    /** This spec with another optimizer (null for none). */
    public NetworkSpec withOptimizer(Component newOptimizer) {
        return new NetworkSpec(inputShape, dtype, layers, loss, newOptimizer, training);
    }

    /** This spec with other training settings (null for none). */
    public NetworkSpec withTraining(Training newTraining) {
        return new NetworkSpec(inputShape, dtype, layers, loss, optimizer, newTraining);
    }

    /** This spec with another dtype (of the parameters and the input). */
    public NetworkSpec withDType(DType newDType) {
        return new NetworkSpec(inputShape, newDType, layers, loss, optimizer, training);
    }

    /** This spec with the layers named {@code names} (same count). */
    NetworkSpec withLayerNames(List<String> names) {
        checkArgument(names.size() == layers.size(), "%s names for %s layers", names.size(), layers.size());
        List<LayerSpec> named = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            named.add(new LayerSpec(names.get(i), layers.get(i).provider(), layers.get(i).settings()));
        }
        return new NetworkSpec(inputShape, dtype, named, loss, optimizer, training);
    }

    /** The layers and the loss only: what decides which weights fit (the optimizer and the training do not). */
    public NetworkSpec architecture() {
        return new NetworkSpec(inputShape, dtype, layers, loss, null, null);
    }

    /**
     * Builds the network on {@code backend}, checking each layer against the shape it receives before anything
     * runs. Layers without a name are named as {@link NetworkBuilder} names them.
     *
     * @param seed seeds the initial weights
     * @throws org.nnj.api.UnknownProviderException naming the layer (its position and name) if its provider is unknown
     * @throws org.nnj.api.ShapeException naming the layer and both shapes if a layer does not fit its input
     * @throws IllegalArgumentException naming the layer if a setting is unknown or malformed
     */
    public Network build(Registry registry, Backend backend, long seed) {
        NetworkBuilder b = NetworkBuilder.on(registry, backend, dtype, inputShape, seed);
        for (LayerSpec l : layers) {
            if (l.name() == null) {
                b.add(l.provider(), l.settings());
            } else {
                b.add(l.name(), l.provider(), l.settings());
            }
        }
        return b.loss(loss.provider(), loss.settings());
    }

    /** The JSON text of {@code network.json}, format version {@value SpecJson#VERSION}. */
    public String toJson() {
        return SpecJson.write(this);
    }

    /**
     * Parses {@code network.json} text.
     *
     * @param source names the text in messages (a file name)
     * @throws org.nnj.api.DataFormatException naming {@code source} if the text is not a network spec of a known
     *     version, or a field is missing, malformed or unknown
     */
    public static NetworkSpec fromJson(String json, String source) {
        return SpecJson.read(json, source);
    }

    /**
     * Reads a spec file (at most {@value SpecJson#MAX_BYTES} bytes).
     *
     * @throws org.nnj.api.DataFormatException naming the file if it is missing, unreadable or not a valid spec
     */
    public static NetworkSpec read(Path file) {
        return SpecJson.read(file);
    }

    /** Writes this spec to {@code file} crash-safely (temporary file, flushed, atomically renamed). */
    public void write(Path file) {
        AtomicFiles.write(file, SpecJson.write(this).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NetworkSpec)) {
            return false;
        }
        NetworkSpec s = (NetworkSpec) o;
        return inputShape.equals(s.inputShape) && dtype == s.dtype && layers.equals(s.layers) && loss.equals(s.loss)
                && Objects.equals(optimizer, s.optimizer) && Objects.equals(training, s.training);
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputShape, dtype, layers, loss, optimizer, training);
    }

    @Override
    public String toString() {
        return "NetworkSpec" + inputShape + " " + dtype + " " + layers + " loss " + loss
                + (optimizer == null ? "" : " optimizer " + optimizer) + (training == null ? "" : " " + training);
    }

    /** Assembles a {@link NetworkSpec}. Not thread-safe. */
    public static final class Builder {
        private final Shape inputShape;
        private final DType dtype;
        private final List<LayerSpec> layers = new ArrayList<>();
        private Component loss;
        private Component optimizer;
        private Training training;

        private Builder(Shape inputShape, DType dtype) {
            this.inputShape = checkNotNull(inputShape, "inputShape");
            this.dtype = checkNotNull(dtype, "dtype");
        }

        /** Appends a layer with default settings, named automatically. */
        public Builder layer(String provider) {
            return layer(null, provider, Settings.empty());
        }

        /** Appends a layer, named automatically. */
        public Builder layer(String provider, Settings settings) {
            return layer(null, provider, settings);
        }

        /** Appends a layer under an explicit name (null: automatic). */
        public Builder layer(String name, String provider, Settings settings) {
            layers.add(new LayerSpec(name, provider, settings));
            return this;
        }

        /** The loss with default settings. */
        public Builder loss(String provider) {
            return loss(provider, Settings.empty());
        }

        /** The loss. */
        public Builder loss(String provider, Settings settings) {
            loss = new Component(provider, settings);
            return this;
        }

        /** The optimizer. */
        public Builder optimizer(String provider, Settings settings) {
            optimizer = new Component(provider, settings);
            return this;
        }

        /** The training settings. */
        public Builder training(int epochs, int batchSize, long seed) {
            training = new Training(epochs, batchSize, seed);
            return this;
        }

        /** The training settings, a schedule included (null for none). */
        public Builder training(Training newTraining) {
            training = newTraining;
            return this;
        }

        /** The spec. @throws NullPointerException if no loss was given */
        public NetworkSpec build() {
            return new NetworkSpec(inputShape, dtype, layers, loss, optimizer, training);
        }
    }
}
