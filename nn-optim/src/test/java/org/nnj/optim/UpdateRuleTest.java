package org.nnj.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.nnj.optim.Params.grad;
import static org.nnj.optim.Params.vector;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nnj.api.Optimizer;
import org.nnj.api.Parameter;

/**
 * The first steps of every optimizer against values worked out by hand from its published update rule, on a
 * rank-1 parameter of two elements, in float64. Where a rule has an {@code eps}, it is set to 1 so that the
 * arithmetic stays exact and its placement (outside the square root, after bias correction) shows in the numbers.
 */
class UpdateRuleTest {
    private static final double TOL = 1e-14;

    private static void step(Optimizer opt, Parameter p, double... g) {
        grad(p, g);
        opt.step(List.of(p));
    }

    private static void assertValue(Parameter p, double... expected) {
        assertArrayEquals(expected, p.value().toDoubleArray(), TOL);
    }

    @Test
    void sgd() {
        Parameter w = vector("W", 1, 2);
        Sgd sgd = new Sgd(0.1);
        step(sgd, w, 1, -2);      // W − 0.1·g = [1 − 0.1, 2 + 0.2]
        assertValue(w, 0.9, 2.2);
        step(sgd, w, 0.5, 0.5);   // [0.9 − 0.05, 2.2 − 0.05]
        assertValue(w, 0.85, 2.15);
    }

    @Test
    void momentumFollowsTheBook() {
        Parameter w = vector("W", 1, 2);
        Momentum opt = new Momentum(0.1, 0.9, WeightDecay.none());
        // v = 0.9·0 − 0.1·[1, −2] = [−0.1, 0.2];  W = [0.9, 2.2]
        step(opt, w, 1, -2);
        assertValue(w, 0.9, 2.2);
        // v = 0.9·[−0.1, 0.2] − 0.1·[0.5, 0.5] = [−0.14, 0.13];  W = [0.76, 2.33]
        step(opt, w, 0.5, 0.5);
        assertValue(w, 0.76, 2.33);
        // g = 0: v = 0.9·[−0.14, 0.13] = [−0.126, 0.117];  W = [0.634, 2.447]
        step(opt, w, 0, 0);
        assertValue(w, 0.634, 2.447);
    }

    @Test
    void nesterovFollowsPyTorch() {
        Parameter w = vector("W", 1, 2);
        Nesterov opt = new Nesterov(0.1, 0.9, WeightDecay.none());
        // b = [1, −2];  g + 0.9·b = 1.9·[1, −2];  W = [1 − 0.19, 2 + 0.38] = [0.81, 2.38]
        step(opt, w, 1, -2);
        assertValue(w, 0.81, 2.38);
        // b = 0.9·[1, −2] + [0.5, 0.5] = [1.4, −1.3];  g + 0.9·b = [1.76, −0.67];  W = [0.634, 2.447]
        // (= momentum's W after its third step: Nesterov's look-ahead)
        step(opt, w, 0.5, 0.5);
        assertValue(w, 0.634, 2.447);
        // g = 0: b = [1.26, −1.17];  g + 0.9·b = [1.134, −1.053];  W = [0.634 − 0.1134, 2.447 + 0.1053]
        step(opt, w, 0, 0);
        assertValue(w, 0.5206, 2.5523);
    }

    @Test
    void adaGradFollowsTheBook() {
        Parameter w = vector("W", 1, 2);
        AdaGrad opt = new AdaGrad(0.5, 1, WeightDecay.none());
        // h = [9, 16];  √h + 1 = [4, 5];  W = [1 − 0.5·3/4, 2 + 0.5·4/5] = [0.625, 2.4]
        step(opt, w, 3, -4);
        assertValue(w, 0.625, 2.4);
        // h = [25, 25];  √h + 1 = [6, 6];  W = [0.625 − 0.5·4/6, 2.4 − 0.5·3/6] = [7/24, 2.15]
        step(opt, w, 4, 3);
        assertValue(w, 7.0 / 24, 2.15);
        // h = [169, 25];  √h + 1 = [14, 6];  W = [7/24 + 0.5·12/14, 2.15] = [121/168, 2.15]
        step(opt, w, -12, 0);
        assertValue(w, 121.0 / 168, 2.15);
    }

    @Test
    void rmsPropFollowsTheBook() {
        Parameter w = vector("W", 1, 2);
        RmsProp opt = new RmsProp(0.1, 0.75, 1, WeightDecay.none());
        // h = 0.25·[16, 4] = [4, 1];  √h + 1 = [3, 2];  W = [1 − 0.1·4/3, 2 + 0.1·2/2] = [13/15, 2.1]
        step(opt, w, 4, -2);
        assertValue(w, 13.0 / 15, 2.1);
        // h = 0.75·[4, 1] + 0.25·[4, 1] = [4, 1];  W = [13/15 − 0.1·2/3, 2.1 − 0.1·1/2] = [0.8, 2.05]
        step(opt, w, 2, 1);
        assertValue(w, 0.8, 2.05);
        // h = 0.75·[4, 1] + 0.25·[4, 1] = [4, 1];  W = [0.8 + 0.1·2/3, 2.05 + 0.1·1/2] = [13/15, 2.1]
        step(opt, w, -2, -1);
        assertValue(w, 13.0 / 15, 2.1);
    }

    @Test
    void adamFollowsPyTorchWithBiasCorrection() {
        Parameter w = vector("W", 1, 2);
        Adam opt = new Adam(0.1, 0.5, 0.75, 1, WeightDecay.none());
        // t = 1: m = 0.5·[2, −4] = [1, −2];  v = 0.25·[4, 16] = [1, 4];  m̂ = m/0.5 = [2, −4];  v̂ = v/0.25 = [4, 16]
        //        √v̂ + 1 = [3, 5];  W = [1 − 0.1·2/3, 2 + 0.1·4/5] = [14/15, 2.08]
        step(opt, w, 2, -4);
        assertValue(w, 14.0 / 15, 2.08);
        // t = 2: m = [0.5 + 1, −1 + 2] = [1.5, 1];  v = [0.75 + 1, 3 + 4] = [1.75, 7]
        //        m̂ = m/0.75 = [2, 4/3];  v̂ = v/0.4375 = [4, 16];  W = [14/15 − 0.1·2/3, 2.08 − 0.1·(4/3)/5]
        //          = [13/15, 154/75]
        step(opt, w, 2, 4);
        assertValue(w, 13.0 / 15, 154.0 / 75);
        // t = 3: m = [0.75 + 1, 0.5 + 2] = [1.75, 2.5];  v = [1.3125 + 1, 5.25 + 4] = [2.3125, 9.25]
        //        m̂ = m/0.875 = [2, 20/7];  v̂ = v/(37/64) = [4, 16];  W = [13/15 − 1/15, 154/75 − 0.1·(20/7)/5]
        //          = [0.8, 1048/525]
        step(opt, w, 2, 4);
        assertValue(w, 0.8, 1048.0 / 525);
    }

    @Test
    void adamsFirstStepHasTheSizeOfTheLearningRate() {
        Parameter w = vector("W", 1, 2);
        // defaults: m̂ = g, v̂ = g², so W −= 0.001·g/(|g| + 1e-8) ≈ 0.001·sign(g), whatever the gradient's scale
        step(new Adam(), w, 2e3, -4e-3);
        assertArrayEquals(new double[] {1 - 0.001, 2 + 0.001}, w.value().toDoubleArray(), 1e-8);
    }

    @Test
    void adamWDecaysTheWeightsBeforeTheAdamStep() {
        // rank 2, so the default WeightDecay applies; the same gradients as the Adam test, so the same Adam steps
        Parameter w = Params.of("W", org.nnj.api.Shape.of(1, 2), 1, 2);
        AdamW opt = new AdamW(0.1, 0.5, 0.75, 1, WeightDecay.of(0.5));
        // W ← (1 − 0.1·0.5)·W = 0.95·[1, 2] = [0.95, 1.9];  Adam step [−1/15, +0.08]
        step(opt, w, 2, -4);
        assertValue(w, 0.95 - 1.0 / 15, 1.98);
        // 0.95·[53/60, 1.98] = [0.839166…, 1.881];  Adam step [−1/15, −2/75]
        step(opt, w, 2, 4);
        assertValue(w, 0.7725, 1.881 - 2.0 / 75);
        // 0.95·[0.7725, 1.854333…];  Adam step [−1/15, −2/35]
        step(opt, w, 2, 4);
        assertValue(w, 0.95 * 0.7725 - 1.0 / 15, 0.95 * (1.881 - 2.0 / 75) - 2.0 / 35);
    }
}
