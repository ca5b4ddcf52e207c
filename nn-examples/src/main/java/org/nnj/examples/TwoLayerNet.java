package org.nnj.examples;

import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.core.Network;
import org.nnj.core.NetworkBuilder;
import org.nnj.core.Registry;

/** The book's {@code TwoLayerNet} (affine, activation, affine, softmax with cross-entropy), built by provider names. */
final class TwoLayerNet {
    /** The book's {@code weight_init_std}. */
    static final double BOOK_WEIGHT_STD = 0.01;

    private TwoLayerNet() {
    }

    /**
     * @param activation a layer provider name: {@code relu}, {@code sigmoid}, {@code swish} or any plugin's
     * @param weightStd  standard deviation of the normally distributed initial weights; biases start at zero
     * @throws org.nnj.api.UnknownProviderException listing the known layers if {@code activation} is unknown
     */
    static Network build(Registry registry, Backend backend, DType dtype, Shape input, int hidden, String activation,
            int classes, double weightStd, long seed) {
        return NetworkBuilder.on(registry, backend, dtype, input, seed)
                .add("affine", Settings.of("units", hidden, "weight_std", weightStd))
                .add(activation)
                .add("affine", Settings.of("units", classes, "weight_std", weightStd))
                .loss("softmax-cross-entropy");
    }

    /** {@code 784-50-10 relu}. */
    static String describe(Shape input, int hidden, String activation, int classes) {
        return input.size() + "-" + hidden + "-" + classes + " " + activation;
    }
}
