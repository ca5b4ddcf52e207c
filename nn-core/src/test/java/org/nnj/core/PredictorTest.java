package org.nnj.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

/**
 * {@link Predictor} over a hand-assembled network (a replica factory): the same answers as {@link Network#predict},
 * a snapshot of the weights, replicas only as needed, and correct answers from eight threads at once through layers
 * that reuse their output buffer (which a shared network would mix up). The spec path, with real layers and the
 * embedded MNIST test split, is tested in nn-examples (PredictorConcurrencyTest).
 */
class PredictorTest {
    private final Backend cpu = Registry.load().backend("cpu", Settings.of("threads", 1));

    /** y = x·W into a buffer reused from call to call, as the real layers do. */
    static final class ReusingLinear implements Layer {
        final org.nnj.api.Parameter w;
        Tensor y;

        ReusingLinear(Tensor weights) {
            w = new org.nnj.api.Parameter("W", weights);
        }

        @Override
        public Tensor forward(Tensor x, Mode mode) {
            Backend b = x.backend();
            if (y == null || y.shape().dim(0) != x.shape().dim(0)) {
                y = b.zeros(x.dtype(), Shape.of(x.shape().dim(0), w.value().shape().dim(1)));
            }
            b.gemm(false, false, 1, x, w.value(), 0, y);
            return y;
        }

        @Override
        public Tensor backward(Tensor dout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<org.nnj.api.Parameter> parameters() {
            return List.of(w);
        }

        @Override
        public Shape outputShape(Shape in) {
            return Shape.of(w.value().shape().dim(1));
        }
    }

    private Network net(long seed) {
        Random r = new Random(seed);
        double[] w1 = new double[6 * 8];
        double[] w2 = new double[8 * 4];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = r.nextGaussian();
        }
        for (int i = 0; i < w2.length; i++) {
            w2[i] = r.nextGaussian();
        }
        return new Network(new Sequential()
                .add("L1", new ReusingLinear(cpu.fromArray(DType.FLOAT32, Shape.of(6, 8), w1)))
                .add("R1", new TestLayers.Ramp())
                .add("L2", new ReusingLinear(cpu.fromArray(DType.FLOAT32, Shape.of(8, 4), w2))),
                new TestLayers.HalfSquared());
    }

    private Tensor batch(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n * 6];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() * 2 - 1;
        }
        return cpu.fromArray(DType.FLOAT32, Shape.of(n, 6), v);
    }

    @Test
    void scoresProbabilitiesAndClassesMatchTheNetwork() {
        Network source = net(1);
        Predictor p = Predictor.of(source, () -> net(99));
        Tensor x = batch(5, 2);
        double[] expected = source.predict(x).toDoubleArray();

        Tensor scores = p.scores(x);
        assertArrayEquals(expected, scores.toDoubleArray(), "bit-identical scores from a replica with other weights");
        assertNotSame(source.predict(x), scores);

        Tensor probs = p.probabilities(x);
        int[] argmax = new int[5];
        cpu.argmaxRows(source.predict(x), argmax);
        assertArrayEquals(argmax, p.classes(x));
        for (int i = 0; i < 5; i++) {
            double sum = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 4; c++) {
                max = Math.max(max, expected[i * 4 + c]);
            }
            double z = 0;
            for (int c = 0; c < 4; c++) {
                z += Math.exp(expected[i * 4 + c] - max);
            }
            for (int c = 0; c < 4; c++) {
                double q = probs.get(i * 4 + c);
                sum += q;
                assertEquals(Math.exp(expected[i * 4 + c] - max) / z, q, 1e-6);
            }
            assertEquals(1, sum, 1e-6);
        }
        assertEquals(1, p.replicas(), "one caller at a time: one replica, reused");
    }

    @Test
    void theWeightsAreASnapshotTakenAtCreation() {
        Network source = net(1);
        Tensor x = batch(3, 2);
        double[] before = source.predict(x).toDoubleArray();
        Predictor p = Predictor.of(source, () -> net(99));
        source.parameter("L1.W").value().set(0, 1000);
        assertTrue(source.predict(x).get(0) != before[0], "the source changed");
        assertArrayEquals(before, p.scores(x).toDoubleArray());
    }

    @Test
    void aFactoryBuildingAnotherArchitectureIsRefusedByName() {
        Network source = net(1);
        Predictor p = Predictor.of(source, () -> new Network(new Sequential()
                .add("L1", new ReusingLinear(cpu.zeros(DType.FLOAT32, Shape.of(6, 3)))), new TestLayers.HalfSquared()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.scores(batch(1, 2)));
        assertTrue(e.getMessage().contains("[L1.W]") && e.getMessage().contains("[L1.W, L2.W]"), e.getMessage());
    }

    @Test
    void aHandBuiltNetworkNeedsAFactory() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Predictor.of(net(1), Registry.load()));
        assertTrue(e.getMessage().contains("assembled by hand") && e.getMessage().contains("factory"), e.getMessage());
    }

    @Test
    void eightThreadsAtOnceGetTheSequentialAnswers() throws Exception {
        Network source = net(3);
        int batches = 64;
        List<Tensor> inputs = new ArrayList<>();
        List<double[]> expected = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            inputs.add(batch(1 + i % 7, 100 + i));
            expected.add(source.predict(inputs.get(i)).toDoubleArray());
        }
        AtomicInteger built = new AtomicInteger();
        Supplier<Network> factory = () -> {
            built.incrementAndGet();
            return net(99);
        };
        Predictor p = Predictor.of(source, factory);
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<double[]>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    List<double[]> got = new ArrayList<>();
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < batches; i++) {
                            got.add(p.scores(inputs.get(i)).toDoubleArray());
                        }
                    }
                    return got;
                }));
            }
            for (Future<List<double[]>> f : futures) {
                List<double[]> got = f.get();
                for (int k = 0; k < got.size(); k++) {
                    assertArrayEquals(expected.get(k % batches), got.get(k), "batch " + k % batches);
                }
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(built.get(), p.replicas());
        assertTrue(p.replicas() >= 1 && p.replicas() <= threads, "replicas: " + p.replicas());
    }
}
