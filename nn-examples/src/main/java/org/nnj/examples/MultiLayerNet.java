package org.nnj.examples;

import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.core.Network;
import org.nnj.core.NetworkBuilder;
import org.nnj.core.Registry;

/**
 * The book's {@code MultiLayerNet} and {@code MultiLayerNetExtend} (chapter 6), built by provider names: for each
 * hidden size an affine layer, optionally batch normalisation (after the affine, before the activation, as the book
 * places it), the activation, and optionally dropout; then an affine layer to the classes and softmax with
 * cross-entropy. Every affine layer, the last included, is initialised the same way, as in the book.
 */
final class MultiLayerNet {
    private MultiLayerNet() {
    }

    /**
     * @param hidden     hidden sizes, e.g. {@code {100, 100, 100}}
     * @param activation a layer provider name ({@code relu}, {@code sigmoid}, {@code tanh}, {@code leaky-relu}, ...)
     * @param init       {@code normal}, {@code he} or {@code xavier}
     * @param weightStd  the std of {@code init=normal}, or NaN for the affine provider's default (0.01)
     * @param batchnorm  a {@code batchnorm} layer after each hidden affine layer
     * @param dropout    the rate of a {@code dropout} layer after each hidden activation; 0 for none
     */
    static Network build(Registry registry, Backend backend, DType dtype, Shape input, int[] hidden, String activation,
            String init, double weightStd, boolean batchnorm, double dropout, int classes, long seed) {
        NetworkBuilder b = NetworkBuilder.on(registry, backend, dtype, input, seed);
        for (int units : hidden) {
            b.add("affine", affine(units, init, weightStd));
            if (batchnorm) {
                b.add("batchnorm");
            }
            b.add(activation);
            if (dropout > 0) {
                b.add("dropout", Settings.of("rate", dropout));
            }
        }
        b.add("affine", affine(classes, init, weightStd));
        return b.loss("softmax-cross-entropy");
    }

    static Settings affine(int units, String init, double weightStd) {
        Settings s = Settings.of("units", units, "init", init);
        return Double.isNaN(weightStd) ? s : s.with("weight_std", weightStd);
    }

    /** {@code 784-100-100-10}. */
    static String sizes(Shape input, int[] hidden, int classes) {
        StringBuilder b = new StringBuilder().append(input.size());
        for (int h : hidden) {
            b.append('-').append(h);
        }
        return b.append('-').append(classes).toString();
    }
}
