package org.nnj.layers;

import java.util.Random;
import org.nnj.api.Backend;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Parameter;
import org.nnj.api.Tensor;

/**
 * Like {@link LayerChecks#gradientsMatchNumerical}, but the numerical gradient runs training-mode forwards: for layers
 * whose inference differs from training (batch norm's running statistics, dropout's identity). Backward always
 * belongs to a training forward, so this is the function it differentiates.
 */
final class TrainModeGradients {
    private TrainModeGradients() {
    }

    static void gradientsMatchNumerical(Layer layer, Tensor x, long seed) {
        Backend be = x.backend();
        Tensor y = layer.forward(x, Mode.TRAIN);
        Tensor r = Numeric.uniform(be, new Random(seed), -1, 1, y.shape().dims());
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
        double[] dx = layer.backward(r).toDoubleArray();
        double[] numericDx = Numeric.gradient(x, () -> be.dot(layer.forward(x, Mode.TRAIN), r));
        LayerChecks.assertGradient(layer + " dx", dx, numericDx);
        for (Parameter p : layer.parameters()) {
            double[] numeric = Numeric.gradient(p.value(), () -> be.dot(layer.forward(x, Mode.TRAIN), r));
            LayerChecks.assertGradient(layer + " d" + p.name(), p.grad().toDoubleArray(), numeric);
        }
    }
}
