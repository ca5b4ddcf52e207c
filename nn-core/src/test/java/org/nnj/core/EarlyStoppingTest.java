package org.nnj.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Optimizer;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

class EarlyStoppingTest {
    private final Backend cpu = Registry.load().backend("cpu", Settings.of("threads", 1));

    private Network net() {
        Tensor w = cpu.fromArray(DType.FLOAT64, Shape.of(2, 2), 0.1, -0.2, 0.3, 0.05);
        return new Network(new Sequential().add("Lin1", new TestLayers.Linear(w, false)), new TestLayers.HalfSquared());
    }

    private static EpochMetrics acc(int epoch, double testAcc) {
        return new EpochMetrics(epoch, 1.0 / epoch, 0.5, testAcc, 0.1);
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementAndRestoresTheBestWeights() {
        Network net = net();
        Tensor w = net.parameter("Lin1.W").value();
        EarlyStopping es = new EarlyStopping(EarlyStopping.Monitor.TEST_ACC, 2);
        double[] accs = {0.50, 0.70, 0.70, 0.69, 0.80};
        List<Boolean> improved = new ArrayList<>();
        for (int e = 1; e <= 4; e++) {
            w.set(0, e); // the weights after epoch e
            improved.add(es.update(acc(e, accs[e - 1]), net));
            assertEquals(e == 4, es.stopped(), "epoch " + e);
        }
        // equal is no improvement (min_delta 0, as Keras: strictly better)
        assertEquals(List.of(true, true, false, false), improved);
        assertEquals(2, es.bestEpoch());
        assertEquals(0.70, es.best(), 0.0);
        assertEquals(2, es.epochsWithoutImprovement());
        assertTrue(es.restoreBest(net));
        assertEquals(2.0, w.get(0), 0.0, "the weights after epoch 2");
        assertEquals(Map.of("Lin1.W", 2.0), Map.of("Lin1.W", es.bestWeights().get("Lin1.W").get(0)));
    }

    @Test
    void lossIsBetterWhenLowerAndMinDeltaMustBeExceeded() {
        Network net = net();
        EarlyStopping es = new EarlyStopping(EarlyStopping.Monitor.LOSS, 1, 0.1);
        assertTrue(es.update(new EpochMetrics(1, 1.0, 0, 0, 0), net));
        assertTrue(es.update(new EpochMetrics(2, 0.85, 0, 0, 0), net), "0.15 lower than 1.0");
        assertFalse(es.update(new EpochMetrics(3, 0.76, 0, 0, 0), net), "only 0.09 lower than 0.85");
        assertTrue(es.stopped());
        assertEquals(2, es.bestEpoch());
    }

    @Test
    void aNonFiniteValueNeverImprovesAndPatienceZeroStopsAtOnce() {
        Network net = net();
        EarlyStopping es = new EarlyStopping(EarlyStopping.Monitor.LOSS, 0);
        assertFalse(es.update(new EpochMetrics(1, Double.NaN, 0, 0, 0), net));
        assertTrue(es.stopped());
        assertEquals(0, es.bestEpoch());
        assertTrue(Double.isNaN(es.best()));
        assertFalse(es.restoreBest(net), "nothing to restore before a first improvement");
    }

    @Test
    void theTrainerStopsAndRestoresTheBestEpochsWeights() {
        // a min_delta no epoch can beat: epoch 1 is the best, epochs 2 and 3 do not improve, training stops after 3
        EarlyStopping es = new EarlyStopping(EarlyStopping.Monitor.LOSS, 2, 1e9);
        Optimizer sgd = params -> params.forEach(p -> p.value().backend().axpy(-0.5, p.grad(), p.value()));
        Network stopped = net();
        List<Integer> heard = new ArrayList<>();
        List<EpochMetrics> h = Trainer.builder().epochs(10).batchSize(4).seed(3).earlyStopping(es)
                .listener(new TrainingListener() {
                    @Override
                    public void onEpoch(EpochMetrics m) {
                        heard.add(m.epoch());
                    }
                })
                .build().fit(stopped, sgd, new TrainerTest.TinySplit(20, 3), new TrainerTest.TinySplit(4, 4));
        assertEquals(3, h.size());
        assertEquals(List.of(1, 2, 3), heard);
        assertTrue(es.stopped());

        Network one = net();
        Trainer.builder().epochs(1).batchSize(4).seed(3).build().fit(one, sgd, new TrainerTest.TinySplit(20, 3),
                new TrainerTest.TinySplit(4, 4));
        assertArrayEquals(one.parameter("Lin1.W").value().toDoubleArray(),
                stopped.parameter("Lin1.W").value().toDoubleArray(), 0.0, "the weights of epoch 1, bit for bit");

        // a stopped instance trains nothing more
        List<EpochMetrics> again = Trainer.builder().epochs(10).batchSize(4).seed(3).completedEpochs(3)
                .earlyStopping(es).build().fit(stopped, sgd, new TrainerTest.TinySplit(20, 3),
                        new TrainerTest.TinySplit(4, 4));
        assertEquals(List.of(), again);
    }

    @Test
    void monitorsParseByTheirMetricNames() {
        assertEquals(EarlyStopping.Monitor.TEST_ACC, EarlyStopping.Monitor.parse("test_acc"));
        assertEquals(EarlyStopping.Monitor.TRAIN_ACC, EarlyStopping.Monitor.parse("Train-Acc"));
        assertEquals(EarlyStopping.Monitor.LOSS, EarlyStopping.Monitor.parse(" loss "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EarlyStopping.Monitor.parse("val_loss"));
        assertEquals("unknown metric to monitor 'val_loss'; known: loss, train_acc, test_acc", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(EarlyStopping.Monitor.LOSS, -1));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(EarlyStopping.Monitor.LOSS, 1, -0.1));
    }

    @Test
    void restoredStateIsChecked() {
        EarlyStopping es = new EarlyStopping(EarlyStopping.Monitor.TEST_ACC, 3);
        assertThrows(IllegalArgumentException.class, () -> es.restoreState(0.9, 2, 0, false, Map.of()),
                "a best epoch needs best weights");
        Tensor t = cpu.zeros(DType.FLOAT64, Shape.of(1));
        assertThrows(IllegalArgumentException.class, () -> es.restoreState(Double.NaN, 0, 0, false,
                Map.of("Lin1.W", t)), "weights without a best epoch");
        es.restoreState(0.9, 2, 1, false, Map.of("Lin1.W", t));
        assertEquals(2, es.bestEpoch());
        assertEquals(1, es.epochsWithoutImprovement());
    }
}
