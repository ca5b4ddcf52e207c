package org.nnj.examples;

import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.core.Network;
import org.nnj.core.NetworkBuilder;
import org.nnj.core.Registry;

/**
 * The book's {@code SimpleConvNet} (chapter 7), built by provider names: conv2d (30 filters 5×5, stride 1, pad 0),
 * activation, 2×2 max pooling, affine 100, activation, affine to the classes, softmax with cross-entropy. On a
 * (1, 28, 28) image: Conv2d1.W (30, 1, 5, 5), MaxPool2d1 gives (30, 12, 12), Affine1.W (4320, 100), Affine2.W
 * (100, 10).
 */
final class SimpleConvNet {
    /** The book's filter count. */
    static final int FILTERS = 30;
    /** The book's kernel size (5×5). */
    static final int KERNEL = 5;
    /** The book's hidden affine size. */
    static final int HIDDEN = 100;
    /**
     * The default weight initialisation: He, N(0, 2/fan_in), for every layer, biases zero. It keeps the ReLU
     * activations at unit scale from layer to layer, so Adam starts learning at once. Measured with Adam 0.001, batch
     * 100, seed 0:
     * <ul>
     *   <li>He: 0.9775 on the embedded sample after 10 epochs, and 0.9007 on Fashion-MNIST after 5 epochs (seed 1:
     *       0.9062);</li>
     *   <li>the book's N(0, 0.01²) starts from logits near zero and lags behind: Fashion-MNIST 0.846, 0.867, 0.881
     *       after epochs 1–3, against He's 0.875, 0.886, 0.894;</li>
     *   <li>Xavier gives 0.9011 and PyTorch's default ({@code --init torch}, see {@link TorchInit}) 0.9042 on
     *       Fashion-MNIST after 5 epochs: no better than He beyond the seed-to-seed spread.</li>
     * </ul>
     */
    static final String DEFAULT_INIT = "he";

    private SimpleConvNet() {
    }

    /**
     * @param input     the per-sample image shape {@code (C, H, W)}
     * @param init      {@code normal}, {@code he} or {@code xavier}, for every layer
     * @param weightStd the std of {@code init=normal}, or NaN for the providers' default (0.01)
     */
    static Network build(Registry registry, Backend backend, DType dtype, Shape input, int filters, int kernel,
            int hidden, String activation, String init, double weightStd, int classes, long seed) {
        Settings conv = Settings.of("filters", filters, "kernel", kernel, "stride", 1, "pad", 0, "init", init);
        if (!Double.isNaN(weightStd)) {
            conv = conv.with("weight_std", weightStd);
        }
        return NetworkBuilder.on(registry, backend, dtype, input, seed)
                .add("conv2d", conv)
                .add(activation)
                .add("maxpool2d", Settings.of("size", 2))
                .add("affine", MultiLayerNet.affine(hidden, init, weightStd))
                .add(activation)
                .add("affine", MultiLayerNet.affine(classes, init, weightStd))
                .loss("softmax-cross-entropy");
    }
}
