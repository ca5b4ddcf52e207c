package org.nnj.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.cpu.CpuBackend;
import org.nnj.core.io.SafeTensors;

/** Adam's moments and step counts survive state() → safetensors file → loadState exactly. */
class OptimizerStateRoundTripTest {
    private final Backend cpu = new CpuBackend(1);

    private List<Parameter> params(DType dtype) {
        Random r = new Random(1);
        Parameter w = new Parameter("Affine1.W", cpu.fromArray(dtype, Shape.of(2, 3), r.doubles(6).toArray()));
        Parameter b = new Parameter("Affine1.b", cpu.fromArray(dtype, Shape.of(3), r.doubles(3).toArray()));
        return List.of(w, b);
    }

    private static void gradients(List<Parameter> ps, int step) {
        for (Parameter p : ps) {
            for (int i = 0; i < p.grad().size(); i++) {
                p.grad().set(i, Math.sin(step * 7 + i) * 0.5);
            }
        }
    }

    private static double[] values(List<Parameter> ps) {
        return ps.stream().flatMapToDouble(p -> java.util.Arrays.stream(p.value().toDoubleArray())).toArray();
    }

    @Test
    void adamContinuesBitForBitAfterItsStateIsSavedAndLoaded(@TempDir Path dir) {
        for (DType dtype : DType.values()) {
            List<Parameter> a = params(dtype);
            List<Parameter> b = params(dtype);
            Adam one = new Adam(0.01);
            for (int s = 0; s < 4; s++) {
                gradients(a, s);
                one.step(a);
                gradients(b, s);
            }
            // b's values: copy a's (the network weights are saved separately)
            for (int i = 0; i < a.size(); i++) {
                cpu.copy(a.get(i).value(), b.get(i).value());
            }
            assertEquals(List.of("Affine1.W/0", "Affine1.W/1", "Affine1.W/2", "Affine1.b/0", "Affine1.b/1",
                    "Affine1.b/2"), List.copyOf(one.state().keySet()));
            assertEquals(Map.of("steps", 4L, "Affine1.W/steps", 4L, "Affine1.b/steps", 4L), one.stateCounters());
            Path f = dir.resolve("adam-" + dtype + ".safetensors");
            SafeTensors.write(f, one.state(), Map.of());
            Adam two = new Adam(0.01);
            two.loadState(SafeTensors.read(f, cpu).tensors(), new HashMap<>(one.stateCounters()));
            assertEquals(4, two.steps());
            assertEquals(one.stateCounters(), two.stateCounters());
            for (int s = 4; s < 8; s++) {
                gradients(a, s);
                one.step(a);
                gradients(b, s);
                two.step(b);
            }
            double[] x = values(a);
            double[] y = values(b);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(y[i]), dtype + " " + i);
            }
        }
    }

    @Test
    void loadStateChecksEverythingBeforeChangingAnything() {
        List<Parameter> ps = params(DType.FLOAT64);
        Adam adam = new Adam(0.01);
        gradients(ps, 0);
        adam.step(ps);
        Map<String, Tensor> state = adam.state();
        Map<String, Long> counters = adam.stateCounters();
        Adam fresh = new Adam(0.01);

        Map<String, Tensor> missingSlot = new HashMap<>(state);
        missingSlot.remove("Affine1.b/1");
        assertMessage(() -> fresh.loadState(missingSlot, counters), "state Affine1.b/1 is missing");

        Map<String, Tensor> badSlot = new HashMap<>(state);
        badSlot.put("Affine1.b/3", state.get("Affine1.b/0"));
        assertMessage(() -> fresh.loadState(badSlot, counters), "state key Affine1.b/3");

        Map<String, Tensor> mixed = new HashMap<>(state);
        mixed.put("Affine1.b/1", cpu.zeros(DType.FLOAT64, Shape.of(4)));
        assertMessage(() -> fresh.loadState(mixed, counters), "state Affine1.b/1 is (4)");

        Map<String, Long> noSteps = new HashMap<>(counters);
        noSteps.remove("steps");
        assertMessage(() -> fresh.loadState(state, noSteps), "counter steps is missing");

        Map<String, Long> noParamSteps = new HashMap<>(counters);
        noParamSteps.remove("Affine1.W/steps");
        assertMessage(() -> fresh.loadState(state, noParamSteps), "counter Affine1.W/steps is missing");

        Map<String, Long> strange = new HashMap<>(counters);
        strange.put("epochs", 3L);
        assertMessage(() -> fresh.loadState(state, strange), "unknown counter epochs");
        assertEquals(0, fresh.steps(), "nothing changed");
        assertTrue(fresh.state().isEmpty());

        // Sgd keeps no tensors: its counters are only the step count
        Sgd sgd = new Sgd(0.1);
        sgd.step(ps);
        assertEquals(Map.of("steps", 1L), sgd.stateCounters());
        Sgd sgd2 = new Sgd(0.1);
        sgd2.loadState(sgd.state(), sgd.stateCounters());
        assertEquals(1, sgd2.steps());
    }

    @Test
    void loadedStateIsACopy() {
        List<Parameter> ps = params(DType.FLOAT32);
        Momentum m = new Momentum(0.1, 0.9, WeightDecay.none());
        gradients(ps, 1);
        m.step(ps);
        Map<String, Tensor> state = m.state();
        Momentum m2 = new Momentum(0.1, 0.9, WeightDecay.none());
        m2.loadState(state, m.stateCounters());
        double before = m2.state().get("Affine1.W/0").get(0);
        state.get("Affine1.W/0").set(0, 123);
        assertEquals(before, m2.state().get("Affine1.W/0").get(0));
        assertArrayEquals(new double[0], new double[0]);
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String expected) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(expected), expected + " not in: " + x.getMessage());
    }
}
