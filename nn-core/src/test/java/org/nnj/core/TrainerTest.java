package org.nnj.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Optimizer;
import org.nnj.api.Parameter;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.TrainingDivergedException;
import org.nnj.api.data.DataSplit;

class TrainerTest {
    private final Backend cpu = Registry.load().backend("cpu", Settings.of("threads", 1));

    /** Two features; the class is 1 when the second feature is larger. Gathers by index like a real split. */
    static class TinySplit implements DataSplit {
        final double[][] x;
        final int[] y;
        final List<Integer> served = new ArrayList<>();

        TinySplit(int n, long seed) {
            Random r = new Random(seed);
            x = new double[n][2];
            y = new int[n];
            for (int i = 0; i < n; i++) {
                x[i][0] = r.nextDouble();
                x[i][1] = r.nextDouble();
                y[i] = x[i][1] > x[i][0] ? 1 : 0;
            }
        }

        @Override
        public int size() {
            return y.length;
        }

        @Override
        public Shape sampleShape() {
            return Shape.of(2);
        }

        @Override
        public int numClasses() {
            return 2;
        }

        @Override
        public int label(int i) {
            return y[i];
        }

        @Override
        public void gather(int[] indices, int from, int count, Tensor features, Tensor targets) {
            for (int r = 0; r < count; r++) {
                int i = indices[from + r];
                served.add(i);
                features.set(2 * r, x[i][0]);
                features.set(2 * r + 1, x[i][1]);
                targets.set(r, y[i]);
            }
        }
    }

    private Network net() {
        Tensor w = cpu.fromArray(DType.FLOAT64, Shape.of(2, 2), 0.1, -0.2, 0.3, 0.05);
        return new Network(new Sequential().add("Lin1", new TestLayers.Linear(w, false)), new TestLayers.HalfSquared());
    }

        private static Trainer trainer(int epochs, int batch, long seed) {
        return Trainer.builder().epochs(epochs).batchSize(batch).seed(seed).build();
    }

    @Test
    void drivesTheOptimizerOncePerBatchAndVisitsEverySampleOncePerEpoch() {
        Optimizer opt = mock(Optimizer.class);
        TinySplit train = new TinySplit(23, 1);
        List<EpochMetrics> h = trainer(3, 5, 7).fit(net(), opt, train, new TinySplit(4, 2));
        // 23 / 5 = 4 steps per epoch, the remainder left out of that epoch
        verify(opt, times(12)).step(anyList());
        assertEquals(3, h.size());
        assertEquals(List.of(1, 2, 3), h.stream().map(EpochMetrics::epoch).toList());
        // every training step gathered 5 distinct samples; evaluation then walks all 23 in order
        List<Integer> firstEpoch = train.served.subList(0, 20);
        assertEquals(20, firstEpoch.stream().distinct().count());
    }

    @Test
    void theSameSeedGivesBitIdenticalWeightsAndAnotherSeedDoesNot() {
        double[][] w = new double[3][];
        long[] seeds = {11, 11, 12};
        for (int k = 0; k < 3; k++) {
            Network n = net();
            Optimizer sgd = params -> params.forEach(p -> p.value().backend().axpy(-0.5, p.grad(), p.value()));
            trainer(2, 4, seeds[k]).fit(n, sgd, new TinySplit(20, 3), new TinySplit(4, 4));
            w[k] = n.parameter("Lin1.W").value().toDoubleArray();
        }
        assertArrayEquals(w[0], w[1], 0.0);
        assertFalse(java.util.Arrays.equals(w[0], w[2]));
    }

    @Test
    void aNonFiniteGradientStopsBeforeTheOptimizerTouchesTheWeights() {
        Optimizer opt = mock(Optimizer.class);
        TinySplit huge = new TinySplit(10, 5) {
            @Override
            public void gather(int[] indices, int from, int count, Tensor features, Tensor targets) {
                super.gather(indices, from, count, features, targets);
                features.set(0, 1e300);
            }
        };
        Network n = net();
        double[] before = n.parameter("Lin1.W").value().toDoubleArray();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer(1, 5, 1).fit(n, opt, huge, huge));
        assertTrue(e.getMessage().startsWith("training diverged at step 1 (epoch 1, batch 1): the gradient of Lin1.W"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("try a lower learning rate"), e.getMessage());
        verify(opt, never()).step(anyList());
        assertArrayEquals(before, n.parameter("Lin1.W").value().toDoubleArray(), 0.0);
    }

    @Test
    void aScheduleSetsTheRateBeforeEachEpoch() {
        Optimizer opt = mock(Optimizer.class);
        Trainer.builder().epochs(3).batchSize(5).learningRateSchedule(e -> 0.1 / (e + 1)).build()
                .fit(net(), opt, new TinySplit(10, 1), new TinySplit(2, 1));
        org.mockito.InOrder order = org.mockito.Mockito.inOrder(opt);
        order.verify(opt).setLearningRate(0.1);
        order.verify(opt, times(2)).step(anyList());
        order.verify(opt).setLearningRate(0.05);
        order.verify(opt, times(2)).step(anyList());
        order.verify(opt).setLearningRate(0.1 / 3);
    }

    @Test
    void shuffleIsAPermutationDeterminedBySeed() {
        int[] a = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        int[] b = a.clone();
        Trainer.shuffle(a, new Random(3));
        Trainer.shuffle(b, new Random(3));
        assertArrayEquals(a, b);
        int[] sorted = a.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
    }

    @Test
    void rejectsASplitSmallerThanOneBatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(1, 50, 1).fit(net(), mock(Optimizer.class), new TinySplit(10, 1), new TinySplit(2, 1)));
        assertEquals("the training split has 10 samples, fewer than one batch of 50", e.getMessage());
    }

    @Test
    void parametersUnderTrainingAreTheNetworksQualifiedOnes() {
        List<List<String>> seen = new ArrayList<>();
        Optimizer opt = params -> seen.add(params.stream().map(Parameter::name).toList());
        trainer(1, 5, 1).fit(net(), opt, new TinySplit(10, 1), new TinySplit(2, 1));
        assertEquals(List.of(List.of("Lin1.W"), List.of("Lin1.W")), seen);
    }
}
