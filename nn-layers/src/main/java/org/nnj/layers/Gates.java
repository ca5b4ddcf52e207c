package org.nnj.layers;

import java.util.Objects;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/** Checks shared by the layers' backward passes. */
final class Gates {
    private Gates() {
    }

    /**
     * @param output the output of the forward pass backward belongs to, or null if there was none
     * @throws IllegalStateException if {@code output} is null
     * @throws ShapeException if {@code dout}'s shape differs from the output's
     */
    static void checkBackward(String layer, Tensor output, Tensor dout) {
        Objects.requireNonNull(dout, "dout");
        if (output == null) {
            throw new IllegalStateException(layer + ": backward called before a training-mode forward");
        }
        if (!dout.shape().equals(output.shape())) {
            throw new ShapeException(layer + ": dout " + dout.shape() + " does not match the output "
                    + output.shape() + " of the last forward");
        }
    }
}
