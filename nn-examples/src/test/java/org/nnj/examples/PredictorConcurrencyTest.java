package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nnj.api.Backend;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.data.DataSplit;
import org.nnj.core.Network;
import org.nnj.core.Predictor;
import org.nnj.core.Registry;
import org.nnj.core.io.ModelStore;
import org.junit.jupiter.api.Test;

/**
 * Issue 6's concurrent inference: eight threads classifying the embedded sample's whole test split (2,000 images)
 * together through one {@link Predictor} get exactly the sequential answers, classes and probabilities bit for bit;
 * and why a bare {@link Network} cannot do it.
 */
class PredictorConcurrencyTest {
    private static final int THREADS = 8;
    private static final int BATCH = 25;

    @ParameterizedTest
    @ValueSource(strings = {"two-layer", "cnn"})
    void eightThreadsGetTheSequentialAnswersBitForBit(String kind) throws Exception {
        boolean images = kind.equals("cnn");
        Path dir = images ? TrainedModels.cnn() : TrainedModels.twoLayer();
        Registry registry = TrainedModels.registry();
        Backend backend = registry.backend("cpu", Settings.of("threads", 2));
        try {
            Network net = ModelStore.load(dir, registry, backend);
            Shape input = net.spec().orElseThrow().inputShape();
            DataSplit test = TrainedModels.testSplit(images);
            int n = test.size();
            assertEquals(2000, n);
            int batches = n / BATCH;
            List<Tensor> inputs = new ArrayList<>();
            float[][] sequentialProbs = new float[batches][];
            int[][] sequentialClasses = new int[batches][];
            for (int b = 0; b < batches; b++) {
                Tensor x = TrainedModels.batch(backend, input, test, b * BATCH, BATCH);
                inputs.add(x);
                Tensor scores = net.predict(x);
                Tensor probs = backend.zerosLike(scores);
                backend.softmax(scores, probs);
                sequentialProbs[b] = floats(probs);
                sequentialClasses[b] = new int[BATCH];
                backend.argmaxRows(scores, sequentialClasses[b]);
            }

            Predictor predictor = Predictor.of(net, registry);
            float[][] probs = new float[batches][];
            int[][] classes = new int[batches][];
            AtomicInteger next = new AtomicInteger();
            int[] perThread = new int[THREADS];
            CyclicBarrier start = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int me = t;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                            probs[b] = floats(predictor.probabilities(inputs.get(b)));
                            classes[b] = predictor.classes(inputs.get(b));
                            perThread[me]++;
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            int images2000 = 0;
            for (int b = 0; b < batches; b++) {
                assertArrayEquals(sequentialClasses[b], classes[b], "classes of batch " + b);
                assertArrayEquals(sequentialProbs[b], probs[b], "probabilities of batch " + b + ", bit for bit");
                images2000 += classes[b].length;
            }
            assertEquals(2000, images2000);
            int busy = 0;
            for (int c : perThread) {
                busy += c > 0 ? 1 : 0;
            }
            assertTrue(busy >= 2, "the work was shared: " + java.util.Arrays.toString(perThread));
            assertTrue(predictor.replicas() >= 1 && predictor.replicas() <= THREADS, predictor.toString());
        } finally {
            Backends.close(backend);
        }
    }

    /** Why: a network's predict returns its last layer's own buffer, which the next call overwrites. */
    @Test
    void aNetworkSharesItsOutputBufferBetweenCalls() {
        Registry registry = TrainedModels.registry();
        Backend backend = registry.backend("cpu", Settings.of("threads", 1));
        Network net = ModelStore.load(TrainedModels.twoLayer(), registry, backend);
        DataSplit test = TrainedModels.testSplit(false);
        Tensor a = net.predict(TrainedModels.batch(backend, Shape.of(784), test, 0, BATCH));
        float[] first = floats(a);
        Tensor b = net.predict(TrainedModels.batch(backend, Shape.of(784), test, BATCH, BATCH));
        assertSame(a, b, "the same tensor object");
        assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(floats(a)),
                "the first answer was overwritten by the second call");
        Predictor p = Predictor.of(net, registry);
        Tensor c = p.scores(TrainedModels.batch(backend, Shape.of(784), test, 0, BATCH));
        p.scores(TrainedModels.batch(backend, Shape.of(784), test, BATCH, BATCH));
        assertArrayEquals(first, floats(c), "a predictor's answer is the caller's to keep");
    }

    private static float[] floats(Tensor t) {
        double[] d = t.toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
