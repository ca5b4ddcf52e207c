package org.nnj.testkit;

import java.util.List;
import java.util.Random;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

/**
 * {@code y = x ⊙ w + b} per feature, for rank-2 batches {@code (n, d)}; with a fault switched on, it breaks one rule
 * of the layer contract so that the kit's tests can see the kit catch it.
 */
final class ScaleLayer implements Layer {
    enum Fault { NONE, WRONG_DX, WRONG_DW, MUTATES_DOUT, MUTATES_X, NO_STATE_CHECK, OVERWRITES_GRAD, HIDDEN_STATE,
        WRONG_OUTPUT_SHAPE, RANDOM, UNUSED_PARAMETER, FLOAT32_PARAMETERS }

    private final Fault fault;
    private final Parameter w;
    private final Parameter b;
    private final Parameter unused;
    private final Random noise = new Random();
    private Tensor x;
    private int trainForwards;

    ScaleLayer(Backend be, DType dtype, int d, Random random, Fault fault) {
        this.fault = fault;
        DType pt = fault == Fault.FLOAT32_PARAMETERS ? DType.FLOAT32 : dtype;
        double[] wv = new double[d];
        for (int i = 0; i < d; i++) {
            wv[i] = 0.5 + random.nextDouble();
        }
        w = new Parameter("w", be.fromArray(pt, Shape.of(d), wv));
        b = new Parameter("b", be.zeros(pt, Shape.of(d)));
        unused = fault == Fault.UNUSED_PARAMETER ? new Parameter("u", be.zeros(pt, Shape.of(d))) : null;
    }

    @Override
    public Tensor forward(Tensor in, Mode mode) {
        int n = in.shape().dim(0);
        int d = w.value().size();
        Tensor y = in.backend().zeros(in.dtype(), fault == Fault.WRONG_OUTPUT_SHAPE ? Shape.of(n, d + 1) : in.shape());
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double v = in.get(i * d + j) * w.value().get(j) + b.value().get(j);
                if (fault == Fault.RANDOM && mode == Mode.TRAIN) {
                    v += noise.nextGaussian();
                }
                if (fault == Fault.HIDDEN_STATE && mode == Mode.INFERENCE) {
                    v += trainForwards;
                }
                y.set(i * d + j, v);
            }
        }
        if (fault == Fault.MUTATES_X) {
            in.set(0, in.get(0) + 1);
        }
        if (mode == Mode.TRAIN) {
            x = in;
            trainForwards++;
        } else if (fault != Fault.NO_STATE_CHECK) {
            x = null;
        } else {
            x = in;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dout) {
        if (x == null && fault != Fault.NO_STATE_CHECK) {
            throw new IllegalStateException("ScaleLayer: backward before a training forward");
        }
        if (x == null) {
            return dout;
        }
        int n = x.shape().dim(0);
        int d = w.value().size();
        Tensor dx = dout.backend().zeros(dout.dtype(), x.shape());
        if (fault == Fault.OVERWRITES_GRAD) {
            w.zeroGrad();
            b.zeroGrad();
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double g = dout.get(i * d + j);
                dx.set(i * d + j, g * w.value().get(j) * (fault == Fault.WRONG_DX ? 1.01 : 1));
                w.grad().set(j, w.grad().get(j) + g * x.get(i * d + j) * (fault == Fault.WRONG_DW ? 0.5 : 1));
                b.grad().set(j, b.grad().get(j) + g);
            }
        }
        if (fault == Fault.MUTATES_DOUT) {
            dout.set(0, 0);
        }
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return unused == null ? List.of(w, b) : List.of(w, b, unused);
    }

    @Override
    public Shape outputShape(Shape inputShape) {
        return inputShape;
    }
}
