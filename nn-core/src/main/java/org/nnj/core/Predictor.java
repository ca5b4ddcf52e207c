package org.nnj.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nnj.api.Backend;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.nnj.core.io.ModelStore;
import org.nnj.core.io.NetworkSpec;

/**
 * Inference that many threads may call at once. A {@link Network} is not thread-safe: every layer keeps the output
 * of its last forward pass (and Affine its input), so two threads calling {@link Network#predict} together overwrite
 * each other's activations. A predictor instead hands each concurrent call a <em>replica</em> of the network: the
 * same layers with its own forward buffers, built once and reused.
 *
 * <pre>{@code
 * Network net = ModelStore.load(dir, registry, backend);
 * Predictor predictor = Predictor.of(net, registry);          // from any number of threads:
 * int[] classes = predictor.classes(batch);                   // (n, 784) or (n, 1, 28, 28) in, one class per row
 * Tensor probs = predictor.probabilities(batch);              // (n, classes), the caller's own tensor
 * }</pre>
 *
 * <p>Weights: the predictor copies the network's parameters and layer state ({@link ModelStore#persistentTensors})
 * once, when it is created, and every replica copies that snapshot when it is built. The snapshot is only read
 * afterwards, so replicas share no mutable tensor. Training the network afterwards does not change the predictor's
 * answers: create a new predictor to see new weights. Replicas run on the network's backend, whose operations are
 * safe to call from several threads on different tensors (the cpu backend runs a call on the caller's thread when its
 * workers are busy); results are bit-identical to {@link Network#predict} on the source network for the same batch.
 *
 * <p>Replicas are kept in a pool, so there are never more than the largest number of calls that ran at the same
 * time; they are built with the network's own weights and hold memory of the size of the weights plus one batch of
 * activations each.
 *
 * <p>Thread-safe. Stability: evolving.
 */
public final class Predictor {
    private final Function<Backend, Network> factory;
    private final Map<String, Tensor> snapshot;
    private final Backend backend;
    private final Shape inputShape;
    private final ConcurrentLinkedDeque<Network> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger replicas = new AtomicInteger();

    private Predictor(Network source, Function<Backend, Network> factory) {
        this.factory = factory;
        Map<String, Tensor> live = ModelStore.persistentTensors(source);
        checkArgument(!live.isEmpty(), "the network %s has no parameters or state to predict with", source);
        this.backend = live.values().iterator().next().backend();
        Map<String, Tensor> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : live.entrySet()) {
            Tensor t = backend.zerosLike(e.getValue());
            backend.copy(e.getValue(), t);
            copy.put(e.getKey(), t);
        }
        this.snapshot = java.util.Collections.unmodifiableMap(copy);
        this.inputShape = source.spec().map(NetworkSpec::inputShape).orElse(null);
    }

    /**
     * A predictor for a network built from provider names ({@link NetworkBuilder}, a {@link NetworkSpec}, or loaded by
     * {@link ModelStore}): replicas are built from the network's spec with {@code registry}.
     *
     * @param registry the registry holding the network's layer and loss providers
     * @throws IllegalArgumentException if the network has no spec (it was assembled by hand: use
     *     {@link #of(Network, Supplier)}) or no parameters
     */
    public static Predictor of(Network network, Registry registry) {
        checkNotNull(network, "network");
        checkNotNull(registry, "registry");
        NetworkSpec spec = network.spec().orElseThrow(() -> new IllegalArgumentException("the network " + network
                + " was assembled by hand and has no spec to build replicas from; use Predictor.of(network, factory)"));
        NetworkSpec architecture = spec.architecture();
        return new Predictor(network, backend -> architecture.build(registry, backend, 0));
    }

    /**
     * A predictor for any network: {@code factory} builds a network of the same architecture (the same parameter and
     * state names, shapes and dtypes) on the same backend, whatever its weights; the predictor overwrites them with
     * {@code network}'s. The factory is called at most once per replica, possibly from several threads at once.
     *
     * @throws IllegalArgumentException if the network has no parameters
     */
    public static Predictor of(Network network, Supplier<Network> factory) {
        checkNotNull(factory, "factory");
        return new Predictor(checkNotNull(network, "network"), backend -> factory.get());
    }

    /** The per-sample input shape, if the network has a spec ({@code (784)}, {@code (1, 28, 28)}). */
    public Optional<Shape> inputShape() {
        return Optional.ofNullable(inputShape);
    }

    /** The backend the replicas run on; input batches must belong to it (or be readable by it). */
    public Backend backend() {
        return backend;
    }

    /**
     * The scores of a batch in inference mode, as {@link Network#predict} gives them, in a new tensor the caller owns.
     *
     * @param x a batch {@code (n, ...)}; it is only read, so threads may share it
     * @throws ShapeException naming the layer if {@code x} does not fit the network
     */
    public Tensor scores(Tensor x) {
        checkNotNull(x, "x");
        Network net = borrow();
        try {
            Tensor y = net.predict(x);
            Tensor mine = backend.zerosLike(y);
            backend.copy(y, mine);
            return mine;
        } finally {
            idle.push(net);
        }
    }

    /**
     * The class probabilities of a batch: the row-wise softmax of the {@link #scores} (what a network trained with
     * softmax-cross-entropy predicts), shape {@code (n, classes)}, in a new tensor the caller owns.
     *
     * @throws ShapeException if the scores are not one row per sample
     */
    public Tensor probabilities(Tensor x) {
        Tensor s = scores(x);
        if (s.shape().rank() != 2) {
            throw new ShapeException("probabilities: expected scores (n, classes), found " + s.shape());
        }
        backend.softmax(s, s);
        return s;
    }

    /** The class of each row of a batch: the index of its highest score, the first on ties. */
    public int[] classes(Tensor x) {
        Tensor s = scores(x);
        int[] out = new int[s.shape().dim(0)];
        backend.argmaxRows(s, out);
        return out;
    }

    /** Replicas built so far: at most the largest number of calls that ran at once. */
    public int replicas() {
        return replicas.get();
    }

    private Network borrow() {
        Network net = idle.poll();
        return net != null ? net : replica();
    }

    private Network replica() {
        Network net = checkNotNull(factory.apply(backend), "the replica factory returned null");
        Map<String, Tensor> target = ModelStore.persistentTensors(net);
        checkArgument(target.keySet().equals(snapshot.keySet()), "the replica factory built a network with tensors %s,"
                + " expected %s", target.keySet(), snapshot.keySet());
        for (Map.Entry<String, Tensor> e : snapshot.entrySet()) {
            Tensor src = e.getValue();
            Tensor dst = target.get(e.getKey());
            checkArgument(dst.shape().equals(src.shape()) && dst.dtype() == src.dtype(), "the replica factory built "
                    + "%s as %s %s, expected %s %s", e.getKey(), dst.shape(), dst.dtype(), src.shape(), src.dtype());
            backend.copy(src, dst);
        }
        replicas.incrementAndGet();
        return net;
    }

    @Override
    public String toString() {
        return "Predictor(" + snapshot.size() + " tensors, " + replicas() + " replicas)";
    }
}
