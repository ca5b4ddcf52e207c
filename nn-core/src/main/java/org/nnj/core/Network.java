package org.nnj.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nnj.api.Backend;
import org.nnj.api.Loss;
import org.nnj.api.Mode;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.nnj.core.io.NetworkSpec;

/**
 * A {@link Sequential} joined to a {@link Loss}: the book's {@code TwoLayerNet} generalised. Offers predict, loss,
 * gradient by backpropagation, gradient by central differences, and accuracy.
 *
 * <p>Targets are class indices, shape {@code (n)}, or one-hot rows {@code (n, c)}.
 *
 * <p>Not thread-safe, not even for {@link #predict} alone: every layer keeps the output of its last forward pass (and
 * some their input), so two threads predicting at once overwrite each other's activations and may get each other's
 * answers. To predict from several threads, use a {@link Predictor}, which gives each concurrent call its own replica
 * of the layers. Stability: stable.
 */
public final class Network {
    private final Sequential layers;
    private final Loss loss;
    private final NetworkSpec spec;
    private int[] argmax = new int[0];

    /** @param layers the layers, walked forwards then backwards; @param loss the last node */
    public Network(Sequential layers, Loss loss) {
        this(layers, loss, null);
    }

    /** A network that records the spec it was built from (see {@link NetworkBuilder}); {@code spec} may be null. */
    Network(Sequential layers, Loss loss, NetworkSpec spec) {
        this.layers = checkNotNull(layers, "layers");
        this.loss = checkNotNull(loss, "loss");
        this.spec = spec;
    }

    /**
     * The spec this network was built from, if it was built by {@link NetworkBuilder} from provider names only (or
     * from a {@link NetworkSpec}); empty for a network assembled by hand. What {@code ModelStore} saves as
     * {@code network.json}.
     */
    public Optional<NetworkSpec> spec() {
        return Optional.ofNullable(spec);
    }

    /** The layer sequence. */
    public Sequential layers() {
        return layers;
    }

    /** The loss. */
    public Loss lossFunction() {
        return loss;
    }

    /** Every parameter under its qualified name, in layer order. */
    public List<Parameter> parameters() {
        return layers.parameters();
    }

    /**
     * The layers' non-trainable state under qualified names ({@code BatchNorm1.running_mean}), in layer order: live
     * tensors that are saved and loaded with the parameters.
     */
    public Map<String, Tensor> state() {
        return layers.state();
    }

    /** The parameter with qualified name {@code name} (e.g. {@code Affine1.W}). */
    public Parameter parameter(String name) {
        return layers.parameter(name);
    }

    /**
     * Scores for a batch, in inference mode (the loss layer is not applied). The result belongs to the last layer and
     * is overwritten by the next call; one thread at a time (see {@link Predictor} for many).
     */
    public Tensor predict(Tensor x) {
        return layers.forward(x, Mode.INFERENCE);
    }

    /** The loss of a batch: a training-mode forward pass followed by the loss, caching what backward needs. */
    public double loss(Tensor x, Tensor target) {
        return loss.forward(layers.forward(x, Mode.TRAIN), target);
    }

    /**
     * Backpropagation: zeroes the gradients, runs forward and loss, then backward through every layer, leaving
     * {@code dLoss/dParameter} in each {@link Parameter#grad()}.
     *
     * @return the loss of this batch
     */
    public double gradient(Tensor x, Tensor target) {
        layers.zeroGrad();
        double value = loss(x, target);
        layers.backwardParameters(loss.backward());
        return value;
    }

    /**
     * The gradient of the loss with respect to every parameter by central differences
     * {@code (L(w + h) − L(w − h)) / 2h}, one element at a time: slow, for checking {@link #gradient} only.
     * Meaningful in float64. Parameters are restored exactly afterwards.
     *
     * @return qualified name → gradient, row-major, in parameter order
     */
    public Map<String, double[]> numericalGradient(Tensor x, Tensor target, double h) {
        checkArgument(h > 0 && Double.isFinite(h), "step h must be positive and finite, got %s", h);
        Map<String, double[]> grads = new LinkedHashMap<>();
        for (Parameter p : parameters()) {
            Tensor w = p.value();
            double[] g = new double[w.size()];
            for (int i = 0; i < g.length; i++) {
                double old = w.get(i);
                w.set(i, old + h);
                double plus = loss(x, target);
                w.set(i, old - h);
                double minus = loss(x, target);
                w.set(i, old);
                g[i] = (plus - minus) / (2 * h);
            }
            grads.put(p.name(), g);
        }
        return grads;
    }

    /**
     * The fraction of rows whose highest score is the target class.
     *
     * @param target class indices {@code (n)} or one-hot rows {@code (n, c)}
     */
    public double accuracy(Tensor x, Tensor target) {
        Tensor scores = predict(x);
        return (double) correct(scores, target) / scores.shape().dim(0);
    }

    /** Number of rows of {@code scores} whose argmax equals the target class. */
    int correct(Tensor scores, Tensor target) {
        int n = scores.shape().dim(0);
        if (target.shape().dim(0) != n) {
            throw new ShapeException("accuracy: scores " + scores.shape() + " and targets " + target.shape()
                    + " have different batch sizes");
        }
        Backend b = scores.backend();
        if (argmax.length != n) {
            argmax = new int[n];
        }
        b.argmaxRows(scores, argmax);
        int[] truth;
        if (target.shape().rank() == 1) {
            truth = null;
        } else {
            truth = new int[n];
            b.argmaxRows(target, truth);
        }
        int ok = 0;
        for (int i = 0; i < n; i++) {
            int t = truth == null ? (int) target.get(i) : truth[i];
            if (argmax[i] == t) {
                ok++;
            }
        }
        return ok;
    }

    /** The per-sample output shape for a per-sample input shape; throws naming the layer that does not fit. */
    public Shape outputShape(Shape inputShape) {
        return layers.outputShape(inputShape);
    }

    /**
     * A table of the layers, their output shapes and parameter counts, with totals ({@link Summary#toString()}), for
     * the input shape of this network's spec (output shapes unknown without one).
     */
    public Summary summary() {
        return Summary.of(this);
    }

    @Override
    public String toString() {
        return "Network" + layers.names() + " + " + loss.getClass().getSimpleName();
    }
}
