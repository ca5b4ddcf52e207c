package org.nnj.core;

import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.util.Random;
import org.nnj.core.io.NetworkSpec;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Loss;
import org.nnj.api.NnjException;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.UnknownProviderException;

/**
 * Builds a {@link Network} from provider names, checking shapes layer by layer as it goes:
 *
 * <pre>{@code
 * Network net = NetworkBuilder.on(registry, backend, DType.FLOAT32, Shape.of(784), 42)
 *     .add("affine", Settings.of("units", 50))
 *     .add("relu")
 *     .add("affine", Settings.of("units", 10))
 *     .loss("softmax-cross-entropy");
 * }</pre>
 *
 * Layers are named as the book names them: the layer's class name and a counter per class ({@code Affine1},
 * {@code Relu1}, {@code Affine2}, {@code BatchNorm1}); a layer of an anonymous class is named after its provider
 * ({@code leaky-relu} → {@code LeakyRelu1}). Weights are drawn from one generator seeded with {@code seed}, so the same seed
 * gives the same network.
 *
 * <p>A network built from provider names only records what it was built from as a {@link NetworkSpec} (see
 * {@link Network#spec()}), so that it can be saved and rebuilt; a layer or loss passed in as an object leaves the
 * network without a spec.
 *
 * <p>Stability: stable.
 */
public final class NetworkBuilder {
    private final Registry registry;
    private final Sequential layers = new Sequential();
    private LayerContext context;
    private boolean built;
    /** What has been added so far, while every layer came from a provider; null once one did not. */
    private NetworkSpec.Builder spec;

    private NetworkBuilder(Registry registry, LayerContext context) {
        this.registry = registry;
        this.context = context;
        this.spec = NetworkSpec.builder(context.inputShape(), context.dtype());
    }

    /**
     * @param inputShape per-sample input shape, e.g. {@code (784)}
     * @param seed       seeds the generator that initialises the weights
     */
    public static NetworkBuilder on(Registry registry, Backend backend, DType dtype, Shape inputShape, long seed) {
        return new NetworkBuilder(checkNotNull(registry, "registry"),
                new LayerContext(backend, dtype, inputShape, new Random(seed)));
    }

    /** Appends a layer with default settings. */
    public NetworkBuilder add(String provider) {
        return add(provider, Settings.empty());
    }

    /**
     * Appends a layer made by the named provider from {@code settings}, for the current per-sample shape.
     *
     * @throws org.nnj.api.UnknownProviderException if no layer provider has that name
     * @throws ShapeException naming the layer and the shapes if the layer does not fit its input
     * @throws IllegalArgumentException naming the layer if a setting is unknown or malformed
     * @throws NnjException naming the layer if its weights do not fit in the Java heap
     */
    public NetworkBuilder add(String provider, Settings settings) {
        return add(null, provider, settings);
    }

    /**
     * Appends a layer made by the named provider under an explicit name ({@code Encoder1}): what a spec file with
     * layer names builds.
     *
     * @throws IllegalArgumentException if the name is empty, contains a dot or is taken, or naming the layer if a
     *     setting is unknown or malformed
     * @throws org.nnj.api.UnknownProviderException naming the layer if no layer provider has that name
     * @throws ShapeException naming the layer and the shapes if the layer does not fit its input
     * @throws NnjException naming the layer if its weights do not fit in the Java heap
     */
    public NetworkBuilder add(String name, String provider, Settings settings) {
        checkState(!built, "this builder already built its network");
        checkNotNull(settings, "settings");
        String where = "layer " + (layers.size() + 1) + (name == null ? "" : " '" + name + "'") + " (" + provider
                + ") on input " + context.inputShape() + ": ";
        Layer layer;
        Shape out;
        try {
            layer = registry.layer(provider, settings, context);
            out = layer.outputShape(context.inputShape());
        } catch (ShapeException e) {
            throw new ShapeException(where + e.getMessage());
        } catch (UnknownProviderException e) {
            throw new UnknownProviderException(where + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            // one allocation too large for the heap (the layer's weights): nothing was kept, so the heap is as before
            throw new NnjException(where + "its weights do not fit in the Java heap (at most "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB); make the layer smaller or give the JVM more"
                    + " memory (-Xmx, e.g. JAVA_OPTS=-Xmx8g ./nnj ...)", e);
        }
        // unnamed layers are named after their class as the book names them: Affine1, BatchNorm1, MaxPool2d1
        String type = layer.getClass().getSimpleName();
        String actual = name != null ? name : layers.autoName(type.isEmpty() ? camel(provider) : type);
        layers.add(actual, layer);
        context = context.withInputShape(out);
        if (spec != null) {
            spec.layer(actual, provider, settings);
        }
        return this;
    }

    /** Appends a layer built elsewhere (a custom one, say) under an explicit name. */
    public NetworkBuilder add(String name, Layer layer) {
        checkState(!built, "this builder already built its network");
        Shape out = layer.outputShape(context.inputShape());
        layers.add(name, layer);
        context = context.withInputShape(out);
        spec = null;
        return this;
    }

    /** The per-sample shape the next layer will receive. */
    public Shape currentShape() {
        return context.inputShape();
    }

    /** Ends the network with the named loss and default settings. */
    public Network loss(String provider) {
        return loss(provider, Settings.empty());
    }

    /** Ends the network with the named loss. */
    public Network loss(String provider, Settings settings) {
        checkState(!built, "this builder already built its network");
        Loss loss = registry.loss(provider, settings);
        built = true;
        return new Network(layers, loss, spec == null ? null : spec.loss(provider, settings).build());
    }

    /** Ends the network with a loss built elsewhere; the network has no {@link Network#spec() spec}. */
    public Network loss(Loss loss) {
        checkState(!built, "this builder already built its network");
        built = true;
        return new Network(layers, loss);
    }

    /** {@code leaky-relu} → {@code LeakyRelu}: the name of a layer whose class has none (an anonymous class). */
    static String camel(String provider) {
        StringBuilder b = new StringBuilder();
        boolean up = true;
        for (char c : provider.trim().toCharArray()) {
            if (c == '-' || c == '_' || c == ' ') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }
}
