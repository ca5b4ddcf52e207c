package org.nnj.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnj.optim.Params.grad;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;

class WeightDecayTest {
    private static final double TOL = 1e-14;

    private static Parameter weight() {   // rank 2
        return grad(Params.of("Affine1.W", Shape.of(2, 2), 1, 2, 3, 4), 0.5, -1, 0, 2);
    }

    private static Parameter bias() {     // rank 1
        return grad(Params.vector("Affine1.b", 1, -2), 1, 1);
    }

    @Test
    void l2DecayReachesRankTwoWeightsButNotRankOneBiasesByDefault() {
        Parameter w = weight();
        Parameter b = bias();
        new Sgd(0.1, WeightDecay.of(0.1)).step(List.of(w, b));
        // g = dW + 0.1·W = [0.6, −0.8, 0.3, 2.4];  W − 0.1·g
        assertArrayEquals(new double[] {0.94, 2.08, 2.97, 3.76}, w.value().toDoubleArray(), TOL);
        // the bias sees only its gradient: [1 − 0.1, −2 − 0.1]
        assertArrayEquals(new double[] {0.9, -2.1}, b.value().toDoubleArray(), TOL);
        // the gradients themselves are not changed
        assertArrayEquals(new double[] {0.5, -1, 0, 2}, w.grad().toDoubleArray(), 0);
    }

    @Test
    void decayAllReachesBiasesToo() {
        Parameter b = bias();
        new Sgd(0.1, WeightDecay.all(0.1)).step(List.of(b));
        // g = [1 + 0.1, 1 − 0.2] = [1.1, 0.8];  b − 0.1·g
        assertArrayEquals(new double[] {0.89, -2.08}, b.value().toDoubleArray(), TOL);
    }

    @Test
    void l2DecayEntersTheMomentumVelocity() {
        Parameter w = weight();
        Momentum opt = new Momentum(0.1, 0.5, WeightDecay.of(0.1));
        opt.step(List.of(w));
        // v = −0.1·g = [−0.06, 0.08, −0.03, −0.24];  W = [0.94, 2.08, 2.97, 3.76]
        assertArrayEquals(new double[] {0.94, 2.08, 2.97, 3.76}, w.value().toDoubleArray(), TOL);
        opt.step(List.of(w));
        // g = [0.5 + 0.094, −1 + 0.208, 0 + 0.297, 2 + 0.376] = [0.594, −0.792, 0.297, 2.376]
        // v = 0.5·v − 0.1·g = [−0.0894, 0.1192, −0.0447, −0.3576];  W + v
        assertArrayEquals(new double[] {0.8506, 2.1992, 2.9253, 3.4024}, w.value().toDoubleArray(), TOL);
    }

    @Test
    void adamWLeavesBiasesUndecayedByDefault() {
        Parameter b = grad(Params.vector("b", 1, 2), 2, -4);
        new AdamW(0.1, 0.5, 0.75, 1, WeightDecay.of(0.5)).step(List.of(b));
        // no decay: Adam's first step, [1 − 0.1·2/3, 2 + 0.1·4/5]
        assertArrayEquals(new double[] {14.0 / 15, 2.08}, b.value().toDoubleArray(), TOL);
    }

    @Test
    void appliesByRank() {
        WeightDecay wd = WeightDecay.of(1e-4);
        assertTrue(wd.appliesTo(Params.of("Conv1.W", Shape.of(2, 1, 3, 3), new double[18])));
        assertTrue(wd.appliesTo(Params.of("Affine1.W", Shape.of(3, 2), new double[6])));
        assertFalse(wd.appliesTo(Params.vector("BatchNorm1.gamma", 1, 1)));
        assertFalse(wd.appliesTo(Params.of("s", Shape.scalar(), 1)));
        assertTrue(WeightDecay.all(1e-4).appliesTo(Params.vector("BatchNorm1.gamma", 1, 1)));
        assertFalse(WeightDecay.none().appliesTo(Params.of("Affine1.W", Shape.of(3, 2), new double[6])));
        assertFalse(WeightDecay.all(0).appliesTo(Params.vector("b", 1)));
    }
}
