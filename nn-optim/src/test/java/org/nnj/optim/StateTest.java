package org.nnj.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.optim.Params.grad;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nnj.api.DType;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;

/** Per-parameter state: lazy, keyed by qualified name, checked for shape; the step counts. */
class StateTest {
    private static final double TOL = 1e-14;

    @Test
    void twoNamesKeepSeparateState() {
        Parameter a = grad(Params.vector("A.W", 1), 1);
        Parameter b = grad(Params.vector("B.W", 1), -1);
        Momentum opt = new Momentum(0.1, 0.9, WeightDecay.none());
        assertEquals(Set.of(), opt.stateNames());
        opt.step(List.of(a, b));
        opt.step(List.of(a, b));
        // A: v = −0.1, W = 0.9; v = −0.19, W = 0.71.  B mirrors it: 1.1, 1.29
        assertEquals(0.71, a.value().get(0), TOL);
        assertEquals(1.29, b.value().get(0), TOL);
        assertEquals(Set.of("A.W", "B.W"), opt.stateNames());
    }

    @Test
    void aParameterSeenLaterStartsFromZeroState() {
        Parameter a = grad(Params.vector("A.W", 1), 1);
        Parameter b = grad(Params.vector("B.W", 1), 1);
        Momentum opt = new Momentum(0.1, 0.9, WeightDecay.none());
        opt.step(List.of(a));
        opt.step(List.of(a, b));
        // A: 0.71 as above; B's first step: v = −0.1, W = 0.9
        assertEquals(0.71, a.value().get(0), TOL);
        assertEquals(0.9, b.value().get(0), TOL);
        assertEquals(2, opt.steps());
    }

    @Test
    void aRenamedParameterGetsFreshState() {
        Parameter a = grad(Params.vector("A.W", 1), 1);
        Momentum opt = new Momentum(0.1, 0.9, WeightDecay.none());
        opt.step(List.of(a));
        opt.step(List.of(a));                       // W = 0.71, v = −0.19
        opt.step(List.of(a.withName("A.weight")));  // same tensors, new name: v = −0.1 (not −0.271)
        assertEquals(0.61, a.value().get(0), TOL);
        assertEquals(Set.of("A.W", "A.weight"), opt.stateNames());
    }

    @Test
    void adamCountsStepsPerParameterForBiasCorrection() {
        Parameter a = grad(Params.vector("A.W", 0), 1);
        Parameter late = grad(Params.vector("B.W", 0), 3);
        Adam opt = new Adam(0.1, 0.9, 0.999, 1e-12, WeightDecay.none());
        opt.step(List.of(a));
        opt.step(List.of(a));
        opt.step(List.of(a, late));
        // the late parameter's t is 1, so m̂ = g and v̂ = g²: a step of exactly lr (to within eps)
        assertEquals(-0.1, late.value().get(0), 1e-12);
        assertEquals(3, opt.steps());
    }

    @Test
    void aChangedShapeUnderTheSameNameIsRejectedBeforeAnythingChanges() {
        Adam opt = new Adam();
        Parameter other = grad(Params.vector("B.W", 5), 1);
        opt.step(List.of(grad(Params.vector("A.W", 1, 2), 1, 1)));
        Parameter reshaped = grad(Params.of("A.W", Shape.of(1, 2), 1, 2), 1, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> opt.step(List.of(other, reshaped)));
        assertTrue(e.getMessage().contains("A.W") && e.getMessage().contains("(1, 2)"), e.getMessage());
        assertEquals(5, other.value().get(0), 0);   // not updated
        assertEquals(1, opt.steps());
        opt.reset();
        opt.step(List.of(reshaped));                 // after reset the new shape is accepted
        assertEquals(1, opt.steps());
    }

    @Test
    void aChangedDtypeUnderTheSameNameIsRejected() {
        Sgd opt = new Sgd(0.1);
        opt.step(List.of(Params.vector("A.W", 1)));
        Parameter f32 = new Parameter("A.W", Params.BE.fromArray(DType.FLOAT32, Shape.of(1), 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> opt.step(List.of(f32)));
        assertTrue(e.getMessage().contains("A.W") && e.getMessage().contains("float32"), e.getMessage());
    }

    @Test
    void duplicateNamesInOneStepAreRejected() {
        Parameter a = Params.vector("A.W", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Momentum().step(List.of(a, a)));
        assertTrue(e.getMessage().contains("A.W"), e.getMessage());
        assertArrayEquals(new double[] {1}, a.value().toDoubleArray(), 0);
    }

    @Test
    void learningRateCanChangeBetweenStepsAndStateIsKept() {
        Parameter a = grad(Params.vector("A.W", 1), 1);
        Momentum opt = new Momentum(0.1, 0.9, WeightDecay.none());
        opt.step(List.of(a));                  // v = −0.1, W = 0.9
        opt.setLearningRate(0.2);
        assertEquals(0.2, opt.learningRate(), 0);
        opt.step(List.of(a));                  // v = −0.09 − 0.2 = −0.29, W = 0.61
        assertEquals(0.61, a.value().get(0), TOL);
        opt.setLearningRate(0);                // allowed: a schedule may anneal to 0
        assertThrows(IllegalArgumentException.class, () -> opt.setLearningRate(-0.1));
        assertThrows(IllegalArgumentException.class, () -> opt.setLearningRate(Double.NaN));
    }
}
