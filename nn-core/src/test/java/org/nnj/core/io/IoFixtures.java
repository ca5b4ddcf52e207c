package org.nnj.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Layer;
import org.nnj.api.LayerContext;
import org.nnj.api.Loss;
import org.nnj.api.Mode;
import org.nnj.api.Optimizer;
import org.nnj.api.Parameter;
import org.nnj.api.Settings;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.nnj.api.data.DataSplit;
import org.nnj.api.spi.LayerProvider;
import org.nnj.api.spi.LossProvider;
import org.nnj.api.spi.OptimizerProvider;
import org.nnj.core.Registry;

/**
 * Providers for the io tests, independent of nn-layers and nn-optim, visible only to the {@link #registry()} built
 * here: {@code t-linear} (units), {@code t-ramp}, {@code t-centre} (a layer with state only), loss {@code t-squared}
 * and optimizer {@code t-momentum} (lr, with velocity state).
 */
final class IoFixtures {
    private static Registry registry;

    private IoFixtures() {
    }

    static synchronized Registry registry() {
        if (registry == null) {
            try {
                Path dir = Files.createTempDirectory("nnj-io-services");
                Path services = Files.createDirectories(dir.resolve("META-INF/services"));
                Files.writeString(services.resolve(LayerProvider.class.getName()), LinearProvider.class.getName() + "\n"
                        + RampProvider.class.getName() + "\n" + CentreProvider.class.getName() + "\n");
                Files.writeString(services.resolve(LossProvider.class.getName()), SquaredProvider.class.getName() + "\n");
                Files.writeString(services.resolve(OptimizerProvider.class.getName()),
                        MomentumProvider.class.getName() + "\n");
                registry = Registry.load(new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()},
                        IoFixtures.class.getClassLoader()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return registry;
    }

    /** y = x·W + b. */
    public static final class LinearProvider implements LayerProvider {
        @Override
        public String name() {
            return "t-linear";
        }

        @Override
        public Layer create(Settings s, LayerContext c) {
            for (String k : s.asMap().keySet()) {
                if (!k.equals("units")) {
                    throw new IllegalArgumentException("t-linear: unknown setting '" + k + "'");
                }
            }
            if (c.inputShape().rank() != 1) {
                throw new ShapeException("t-linear: per-sample input " + c.inputShape() + " does not fit; expected (d)");
            }
            return new Linear(c, c.inputShape().dim(0), s.requireInt("units"));
        }
    }

    static final class Linear implements Layer {
        final int in;
        final Parameter w;
        final Parameter b;
        Tensor x;
        Tensor y;
        Tensor dx;

        Linear(LayerContext c, int in, int units) {
            this.in = in;
            double[] v = new double[in * units];
            for (int i = 0; i < v.length; i++) {
                v[i] = c.random().nextGaussian() * 0.3;
            }
            w = new Parameter("W", c.backend().fromArray(c.dtype(), Shape.of(in, units), v));
            b = new Parameter("b", c.backend().zeros(c.dtype(), Shape.of(units)));
        }

        @Override
        public Tensor forward(Tensor in, Mode mode) {
            Backend be = in.backend();
            x = in;
            y = be.zeros(in.dtype(), Shape.of(in.shape().dim(0), w.value().shape().dim(1)));
            be.gemm(false, false, 1, in, w.value(), 0, y);
            be.addRow(y, b.value(), y);
            return y;
        }

        @Override
        public Tensor backward(Tensor dout) {
            Backend be = dout.backend();
            be.gemm(true, false, 1, x, dout, 1, w.grad());
            be.sumRows(dout, 1, b.grad());
            dx = be.zeros(x.dtype(), x.shape());
            be.gemm(false, true, 1, dout, w.value(), 0, dx);
            return dx;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(w, b);
        }

        @Override
        public Shape outputShape(Shape s) {
            if (s.rank() != 1 || s.dim(0) != in) {
                throw new ShapeException("Linear: per-sample input " + s + " does not fit; expected (" + in + ")");
            }
            return Shape.of(w.value().shape().dim(1));
        }
    }

    /** max(x, 0). */
    public static final class RampProvider implements LayerProvider {
        @Override
        public String name() {
            return "t-ramp";
        }

        @Override
        public Layer create(Settings s, LayerContext c) {
            return new Layer() {
                Tensor x;

                @Override
                public Tensor forward(Tensor in, Mode mode) {
                    x = in;
                    Tensor y = in.backend().zerosLike(in);
                    in.backend().relu(in, y);
                    return y;
                }

                @Override
                public Tensor backward(Tensor dout) {
                    Tensor dx = dout.backend().zerosLike(dout);
                    dout.backend().reluBackward(x, dout, dx);
                    return dx;
                }

                @Override
                public Shape outputShape(Shape in) {
                    return in;
                }
            };
        }
    }

    /**
     * y = x − running_mean, where training forwards first move running_mean a tenth of the way to the batch mean:
     * state that changes predictions and is no parameter.
     */
    public static final class CentreProvider implements LayerProvider {
        @Override
        public String name() {
            return "t-centre";
        }

        @Override
        public Layer create(Settings s, LayerContext c) {
            int d = c.inputShape().dim(0);
            Tensor running = c.backend().zeros(c.dtype(), Shape.of(d));
            return new Layer() {
                @Override
                public Tensor forward(Tensor x, Mode mode) {
                    Backend be = x.backend();
                    if (mode == Mode.TRAIN) {
                        Tensor mean = be.zerosLike(running);
                        be.sumRows(x, 0, mean);
                        be.scale(running, 0.9, running);
                        be.axpy(0.1 / x.shape().dim(0), mean, running);
                    }
                    Tensor neg = be.zerosLike(running);
                    be.scale(running, -1, neg);
                    Tensor y = be.zerosLike(x);
                    be.addRow(x, neg, y);
                    return y;
                }

                @Override
                public Tensor backward(Tensor dout) {
                    return dout;
                }

                @Override
                public Map<String, Tensor> state() {
                    return Map.of("running_mean", running);
                }

                @Override
                public Shape outputShape(Shape in) {
                    return in;
                }
            };
        }
    }

    /** ½·Σ(y − onehot(t))² / n. */
    public static final class SquaredProvider implements LossProvider {
        @Override
        public String name() {
            return "t-squared";
        }

        @Override
        public Loss create(Settings s) {
            return new Loss() {
                Tensor diff;

                @Override
                public double forward(Tensor y, Tensor t) {
                    Backend be = y.backend();
                    int c = y.shape().dim(1);
                    Tensor onehot = be.zerosLike(y);
                    for (int i = 0; i < t.size(); i++) {
                        onehot.set(i * c + (int) t.get(i), 1);
                    }
                    diff = be.zerosLike(y);
                    be.sub(y, onehot, diff);
                    return 0.5 * be.dot(diff, diff) / y.shape().dim(0);
                }

                @Override
                public Tensor backward() {
                    Tensor g = diff.backend().zerosLike(diff);
                    diff.backend().scale(diff, 1.0 / diff.shape().dim(0), g);
                    return g;
                }
            };
        }
    }

    /** v ← 0.9·v − lr·g; W ← W + v; state {@code <name>/0} = v, counter {@code steps}. */
    public static final class MomentumProvider implements OptimizerProvider {
        @Override
        public String name() {
            return "t-momentum";
        }

        @Override
        public Optimizer create(Settings s) {
            return new Momentum(s.getDouble("lr", 0.1));
        }
    }

    static final class Momentum implements Optimizer {
        final double lr;
        final Map<String, Tensor> v = new HashMap<>();
        long steps;

        Momentum(double lr) {
            this.lr = lr;
        }

        @Override
        public void step(List<Parameter> parameters) {
            steps++;
            for (Parameter p : parameters) {
                Backend be = p.value().backend();
                Tensor vel = v.computeIfAbsent(p.name(), k -> be.zerosLike(p.value()));
                be.scale(vel, 0.9, vel);
                be.axpy(-lr, p.grad(), vel);
                be.axpy(1, vel, p.value());
            }
        }

        @Override
        public Map<String, Tensor> state() {
            Map<String, Tensor> m = new TreeMap<>();
            v.forEach((k, t) -> m.put(k + "/0", t));
            return m;
        }

        @Override
        public Map<String, Long> stateCounters() {
            return Map.of("steps", steps);
        }

        @Override
        public void loadState(Map<String, Tensor> tensors, Map<String, Long> counters) {
            v.clear();
            tensors.forEach((k, t) -> {
                Tensor copy = t.backend().zerosLike(t);
                t.backend().copy(t, copy);
                v.put(k.substring(0, k.lastIndexOf('/')), copy);
            });
            steps = counters.get("steps");
        }
    }

    /** Three features, three classes: the class is the index of the largest feature. */
    static final class Split implements DataSplit {
        final double[][] x;
        final int[] y;

        Split(int n, long seed) {
            Random r = new Random(seed);
            x = new double[n][3];
            y = new int[n];
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int j = 0; j < 3; j++) {
                    x[i][j] = r.nextDouble();
                    best = x[i][j] > x[i][best] ? j : best;
                }
                y[i] = best;
            }
        }

        @Override
        public int size() {
            return y.length;
        }

        @Override
        public Shape sampleShape() {
            return Shape.of(3);
        }

        @Override
        public int numClasses() {
            return 3;
        }

        @Override
        public int label(int i) {
            return y[i];
        }

        @Override
        public void gather(int[] idx, int from, int count, Tensor features, Tensor targets) {
            for (int r = 0; r < count; r++) {
                for (int j = 0; j < 3; j++) {
                    features.set(r * 3 + j, x[idx[from + r]][j]);
                }
                targets.set(r, y[idx[from + r]]);
            }
        }

        /** All samples as one batch. */
        Tensor features(Backend be, DType dtype) {
            Tensor t = be.zeros(dtype, Shape.of(size(), 3));
            for (int i = 0; i < size(); i++) {
                for (int j = 0; j < 3; j++) {
                    t.set(i * 3 + j, x[i][j]);
                }
            }
            return t;
        }
    }

    /** The spec of a small net: linear 3→5, centre, ramp, linear 5→3, squared loss. */
    static NetworkSpec spec(DType dtype) {
        return NetworkSpec.builder(Shape.of(3), dtype)
                .layer("t-linear", Settings.of("units", 5)).layer("t-centre").layer("t-ramp")
                .layer("t-linear", Settings.of("units", 3)).loss("t-squared")
                .optimizer("t-momentum", Settings.of("lr", 0.05)).training(4, 8, 11).build();
    }
}
