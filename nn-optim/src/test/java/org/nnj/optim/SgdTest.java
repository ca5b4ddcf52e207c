package org.nnj.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Optimizer;
import org.nnj.api.Parameter;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.spi.OptimizerProvider;
import org.nnj.core.cpu.CpuBackend;

class SgdTest {
    private static final Backend be = new CpuBackend();

    private Parameter parameter(String name, double[] value, double[] grad) {
        Parameter p = new Parameter(name, be.fromArray(DType.FLOAT64, Shape.of(value.length), value));
        for (int i = 0; i < grad.length; i++) {
            p.grad().set(i, grad[i]);
        }
        return p;
    }

    @Test
    void oneStepFromHandWorkedValues() {
        Parameter w = parameter("Affine1.W", new double[] {1, 2, 3}, new double[] {0.5, -1, 2});
        Parameter b = parameter("Affine1.b", new double[] {0, -4}, new double[] {10, 0});
        new Sgd(0.1).step(List.of(w, b));
        // W − 0.1·dW
        assertArrayEquals(new double[] {0.95, 2.1, 2.8}, w.value().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {-1, -4}, b.value().toDoubleArray(), 1e-15);
        // gradients are left for the caller to zero
        assertArrayEquals(new double[] {0.5, -1, 2}, w.grad().toDoubleArray(), 0.0);
    }

    @Test
    void learningRateMustBePositiveAndFinite() {
        for (double lr : new double[] {0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sgd(lr));
            assertTrue(e.getMessage().contains("lr=" + lr), e.getMessage());
        }
        assertEquals(0.01, new Sgd().learningRate(), 0.0);
    }

    @Test
    void providerIsFoundByNameWithTheBooksDefault() {
        OptimizerProvider sgd = ServiceLoader.load(OptimizerProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("sgd")).findFirst().orElseThrow();
        Optimizer byDefault = sgd.create(Settings.empty());
        assertEquals(0.01, assertInstanceOf(Sgd.class, byDefault).learningRate(), 0.0);
        assertEquals(0.5, ((Sgd) sgd.create(Settings.of("lr", 0.5))).learningRate(), 0.0);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> sgd.create(Settings.of("learning_rate", 0.1)));
        assertTrue(unknown.getMessage().contains("'learning_rate'") && unknown.getMessage().contains("lr"),
                unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sgd.create(Settings.of("lr", "fast")));
        assertThrows(IllegalArgumentException.class, () -> sgd.create(Settings.of("lr", -1)));
    }
}
