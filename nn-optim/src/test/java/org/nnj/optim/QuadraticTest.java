package org.nnj.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nnj.api.DType;
import org.nnj.api.Optimizer;
import org.nnj.api.Parameter;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.spi.OptimizerProvider;

/**
 * A sanity check, not the main test: each optimizer, made by its provider, reduces an ill-conditioned quadratic
 * {@code f(W) = ½ Σ a_i (W_i − c_i)²}, {@code a = (1, 10)}, over 100 steps, in float64 and float32.
 */
class QuadraticTest {
    private static final double[] A = {1, 10};
    private static final double[] C = {1, -1};

    private static double lossAndGrad(Parameter p) {
        Tensor w = p.value();
        double loss = 0;
        for (int i = 0; i < A.length; i++) {
            double d = w.get(i) - C[i];
            loss += 0.5 * A[i] * d * d;
            p.grad().set(i, A[i] * d);
        }
        return loss;
    }

    @ParameterizedTest(name = "{0} lr={1}")
    @CsvSource({"sgd, 0.05", "momentum, 0.02", "nesterov, 0.02", "adagrad, 0.5", "rmsprop, 0.05", "adam, 0.1",
            "adamw, 0.1"})
    void reducesTheLoss(String name, double lr) {
        OptimizerProvider provider = ServiceLoader.load(OptimizerProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        for (DType dtype : DType.values()) {
            Optimizer opt = provider.create(Settings.of("lr", lr));
            Parameter w = new Parameter("W", Params.BE.fromArray(dtype, Shape.of(1, 2), -3, 2));
            double initial = lossAndGrad(w);   // ½·16 + ½·10·9 = 53
            double loss = initial;
            for (int i = 0; i < 100; i++) {
                opt.step(List.of(w));
                loss = lossAndGrad(w);
            }
            assertTrue(loss < 0.05 * initial, name + " " + dtype + ": loss " + initial + " -> " + loss);
        }
    }
}
