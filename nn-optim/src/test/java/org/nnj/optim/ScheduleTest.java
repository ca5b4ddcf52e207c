package org.nnj.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nnj.api.Settings;

class ScheduleTest {
    private static final double TOL = 1e-15;

    private static void assertRejected(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void stepDecayMultipliesEveryStepSizeEpochs() {
        StepDecay s = new StepDecay(0.1, 2, 0.5);
        double[] expected = {0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125};
        for (int e = 0; e < expected.length; e++) {
            assertEquals(expected[e], s.rate(e), TOL, "epoch " + e);
        }
    }

    @Test
    void cosineAnnealsToTheMinimumAndStaysThere() {
        CosineAnnealing s = new CosineAnnealing(0.1, 0, 4);
        assertEquals(0.1, s.rate(0), TOL);
        assertEquals(0.05 * (1 + Math.sqrt(0.5)), s.rate(1), TOL);   // (1 + cos π/4)/2 ≈ 0.853553
        assertEquals(0.05, s.rate(2), TOL);                         // cos π/2 = 0
        assertEquals(0.05 * (1 - Math.sqrt(0.5)), s.rate(3), TOL);   // ≈ 0.0146447
        assertEquals(0, s.rate(4), TOL);
        assertEquals(0, s.rate(100), TOL);
        CosineAnnealing floor = new CosineAnnealing(0.1, 0.01, 4);
        assertEquals(0.055, floor.rate(2), TOL);                    // 0.01 + 0.09·½
        assertEquals(0.01, floor.rate(4), TOL);
    }

    @Test
    void constantIsConstantAndSchedulesSetTheOptimizersRate() {
        Constant c = new Constant(0.3);
        assertEquals(0.3, c.rate(0), 0);
        assertEquals(0.3, c.rate(1000), 0);
        Adam adam = new Adam(0.1);
        new StepDecay(0.1, 1, 0.5).applyTo(adam, 3);
        assertEquals(0.0125, adam.learningRate(), TOL);
        new CosineAnnealing(0.1, 0, 2).applyTo(adam, 2);
        assertEquals(0, adam.learningRate(), TOL);
    }

    @Test
    void schedulesByName() {
        assertEquals(0.025, Schedules.create("step", 0.1, Settings.of("step_size", 1, "gamma", 0.5)).rate(2), TOL);
        assertEquals(0.001, Schedules.create("Step", 0.1, Settings.of("step_size", 1)).rate(2), 1e-17); // gamma 0.1
        assertEquals(0.05, Schedules.create("cosine", 0.1, Settings.of("t_max", 4)).rate(2), TOL);
        assertInstanceOf(Constant.class, Schedules.create("constant", 0.1, Settings.empty()));
        assertRejected("'linear'; known: constant, step, cosine",
                () -> Schedules.create("linear", 0.1, Settings.empty()));
        assertRejected("'gamma'; known settings: t_max, min_lr",
                () -> Schedules.create("cosine", 0.1, Settings.of("t_max", 3, "gamma", 0.5)));
        assertRejected("step_size is required", () -> Schedules.create("step", 0.1, Settings.empty()));
    }

    @Test
    void outOfRangeValuesAreRejectedNamingTheSetting() {
        assertRejected("step_size=0", () -> new StepDecay(0.1, 0, 0.5));
        assertRejected("gamma=1.5", () -> new StepDecay(0.1, 1, 1.5));
        assertRejected("gamma=0.0", () -> new StepDecay(0.1, 1, 0));
        assertRejected("lr=-0.1", () -> new StepDecay(-0.1, 1, 0.5));
        assertRejected("t_max=0", () -> new CosineAnnealing(0.1, 0, 0));
        assertRejected("min_lr=0.2", () -> new CosineAnnealing(0.1, 0.2, 5));
        assertRejected("min_lr=-0.01", () -> new CosineAnnealing(0.1, -0.01, 5));
        assertRejected("lr=NaN", () -> new Constant(Double.NaN));
        assertRejected("epoch=-1", () -> new Constant(0.1).rate(-1));
    }
}
