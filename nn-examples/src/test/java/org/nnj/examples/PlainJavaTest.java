package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnj.api.DType;
import org.nnj.api.Optimizer;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.Network;
import org.nnj.core.Sequential;
import org.nnj.core.cpu.CpuBackend;
import org.nnj.layers.Affine;
import org.nnj.layers.Relu;
import org.nnj.layers.SoftmaxCrossEntropy;
import org.nnj.optim.Sgd;

/**
 * The two-layer net built and trained from nn-api + nn-core + nn-layers + nn-optim alone, with constructors and no
 * registry, on XOR-like data that no network without its hidden layer could fit. The README's embedding example is
 * copied from here.
 */
class PlainJavaTest {

    @Test
    void twoLayerNetLearnsXorWithConstructorsOnly() {
        try (CpuBackend backend = new CpuBackend()) {
            // 400 points around (±1, ±1); the class is 1 where exactly one coordinate is positive (XOR).
            Random random = new Random(42);
            int n = 400;
            double[] points = new double[n * 2];
            double[] labels = new double[n];
            for (int i = 0; i < n; i++) {
                double a = (i % 2 == 0 ? 1 : -1) + 0.3 * random.nextGaussian();
                double b = (i / 2 % 2 == 0 ? 1 : -1) + 0.3 * random.nextGaussian();
                points[2 * i] = a;
                points[2 * i + 1] = b;
                labels[i] = (a > 0) != (b > 0) ? 1 : 0;
            }
            Tensor x = backend.fromArray(DType.FLOAT32, Shape.of(n, 2), points);
            Tensor t = backend.fromArray(DType.FLOAT32, Shape.of(n), labels);

            Sequential layers = new Sequential()
                    .add("Affine1", new Affine(backend, DType.FLOAT32, 2, 16, random, 0.5))
                    .add("Relu1", new Relu())
                    .add("Affine2", new Affine(backend, DType.FLOAT32, 16, 2, random, 0.5));
            Network net = new Network(layers, new SoftmaxCrossEntropy());
            Optimizer sgd = new Sgd(0.5);

            double first = net.gradient(x, t);
            double loss = first;
            for (int step = 0; step < 500; step++) {
                loss = net.gradient(x, t); // forward, loss, backward: dL/dW lands in each Parameter's grad
                sgd.step(net.parameters()); // W <- W - lr * dW
            }
            double accuracy = net.accuracy(x, t);

            assertEquals("[Affine1.W, Affine1.b, Affine2.W, Affine2.b]",
                    net.parameters().stream().map(p -> p.name()).toList().toString());
            assertTrue(loss < first / 4, "loss fell from " + first + " to " + loss);
            assertTrue(accuracy > 0.95, "XOR accuracy " + accuracy);
        }
    }
}
