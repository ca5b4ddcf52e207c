package org.nnj.core;

import java.util.List;
import org.nnj.api.Backend;
import org.nnj.api.Layer;
import org.nnj.api.Loss;
import org.nnj.api.Mode;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;

/** Minimal layers for testing orchestration with real arithmetic, independent of nn-layers. */
final class TestLayers {
    private TestLayers() {
    }

    /** y = x·W, with a switch that corrupts the weight gradient (to prove the gradient check can fail). */
    static final class Linear implements Layer {
        final Parameter w;
        final boolean wrongGradient;
        Tensor x;
        Tensor y;
        Tensor dx;

        Linear(Tensor weights, boolean wrongGradient) {
            this.w = new Parameter("W", weights);
            this.wrongGradient = wrongGradient;
        }

        @Override
        public Tensor forward(Tensor in, Mode mode) {
            Backend b = in.backend();
            x = in;
            y = b.zeros(in.dtype(), Shape.of(in.shape().dim(0), w.value().shape().dim(1)));
            b.gemm(false, false, 1, in, w.value(), 0, y);
            return y;
        }

        @Override
        public Tensor backward(Tensor dout) {
            Backend b = dout.backend();
            b.gemm(true, false, wrongGradient ? 1.01 : 1, x, dout, 1, w.grad());
            dx = b.zeros(x.dtype(), x.shape());
            b.gemm(false, true, 1, dout, w.value(), 0, dx);
            return dx;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(w);
        }

        @Override
        public Shape outputShape(Shape in) {
            return Shape.of(w.value().shape().dim(1));
        }
    }

    /** y = max(x, 0) with a hand-written backward: a kink at 0, where the derivative is taken from the left (0). */
    static final class Ramp implements Layer {
        Tensor x;
        Tensor y;

        @Override
        public Tensor forward(Tensor in, Mode mode) {
            x = in;
            y = in.backend().zerosLike(in);
            in.backend().map(in, v -> Math.max(v, 0), y);
            return y;
        }

        @Override
        public Tensor backward(Tensor dout) {
            Tensor dx = dout.backend().zerosLike(dout);
            dout.backend().zip(x, dout, (xi, d) -> xi > 0 ? d : 0, dx);
            return dx;
        }

        @Override
        public Shape outputShape(Shape in) {
            return in;
        }
    }

    /** L = ½·Σ(y − t)² / n. */
    static final class HalfSquared implements Loss {
        Tensor diff;

        @Override
        public double forward(Tensor y, Tensor t) {
            diff = y.backend().zerosLike(y);
            if (t.shape().rank() == 1) {
                // class indices: compare with one-hot rows
                int c = y.shape().dim(1);
                Tensor onehot = y.backend().zerosLike(y);
                for (int i = 0; i < t.size(); i++) {
                    onehot.set(i * c + (int) t.get(i), 1);
                }
                t = onehot;
            }
            y.backend().sub(y, t, diff);
            return 0.5 * y.backend().dot(diff, diff) / y.shape().dim(0);
        }

        @Override
        public Tensor backward() {
            Tensor g = diff.backend().zerosLike(diff);
            diff.backend().scale(diff, 1.0 / diff.shape().dim(0), g);
            return g;
        }
    }
}
