package org.nnj.optim;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.Optimizer;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the optimizers of this package share: a learning rate that can be changed between steps, a count of steps,
 * L2 weight decay, and per-parameter state created lazily on a parameter's first step and keyed by its qualified
 * {@link Parameter#name()}.
 *
 * <p>State: the first time a name is seen, {@link #stateTensors()} tensors are created with the parameter's own
 * backend by {@link Backend#zerosLike} (the moments of Adam, the velocity of momentum, …). A later parameter of the
 * same name reuses them; a different name — a renamed parameter included — gets fresh state. A parameter whose shape
 * or dtype differs from the state kept under its name is an {@link IllegalStateException} naming it: the state would
 * no longer fit. Two parameters of the same name in one call are an {@link IllegalArgumentException}.
 *
 * <p>L2 weight decay (not for {@link AdamW}, which overrides {@link #l2WeightDecay()}): where the {@link WeightDecay}
 * applies, the subclass receives {@code dW + rate · W}, computed into a scratch tensor kept with the state, so the
 * parameter's gradient itself is never changed. Neither is it zeroed.
 *
 * <p>Saving: {@link #state()} lists each parameter's state tensors as {@code <name>/<i>} ({@code i} from 0 to
 * {@link #stateTensors()} − 1, in the order the subclass uses them) and {@link #stateCounters()} the step counts
 * ({@code steps}, {@code <name>/steps}); {@link #loadState} restores both. The L2 scratch tensor is not state.
 *
 * <p>Stability: evolving.
 */
public abstract class AbstractOptimizer implements Optimizer, HasLearningRate {
    private static final Logger log = LoggerFactory.getLogger(AbstractOptimizer.class);
    private final String name;
    private final WeightDecay weightDecay;
    private static final String STEPS = "steps";
    private final Map<String, State> states = new HashMap<>();
    /** Up to this many parameters, duplicate names are found by comparing pairs: no allocation per step. */
    private static final int PAIRWISE_NAMES = 64;
    private final Set<String> seen = new HashSet<>();
    private double lr;
    private long steps;

    /**
     * @param name        the provider name, used in messages ({@code adam})
     * @param lr          the initial learning rate, finite and &gt; 0
     * @param weightDecay the decay, not null
     * @throws IllegalArgumentException if {@code lr} is out of range
     */
    protected AbstractOptimizer(String name, double lr, WeightDecay weightDecay) {
        this.name = Objects.requireNonNull(name, "name");
        this.weightDecay = Objects.requireNonNull(weightDecay, "weightDecay");
        checkArgument(Double.isFinite(lr) && lr > 0, "%s: learning rate lr=%s must be finite and > 0", name, lr);
        this.lr = lr;
    }

    /** The per-parameter state the optimizer keeps: its tensors (same shape as the parameter) and its own step count. */
    protected static final class State {
        private final Shape shape;
        private final DType dtype;
        private final Tensor[] tensors;
        private Tensor decayedGrad;
        private long steps;

        private State(Shape shape, DType dtype, Tensor[] tensors) {
            this.shape = shape;
            this.dtype = dtype;
            this.tensors = tensors;
        }

        /** The {@code i}-th state tensor, zero when created. */
        public Tensor tensor(int i) {
            return tensors[i];
        }

        /** How many steps this parameter has taken, this one included (1 on its first step). */
        public long steps() {
            return steps;
        }
    }

    /** How many state tensors each parameter needs; 0 for plain SGD. */
    protected abstract int stateTensors();

    /**
     * Updates {@code p.value()} in place.
     *
     * @param p     the parameter
     * @param grad  its gradient, with L2 decay added where it applies; must not be modified
     * @param state its state, already counting this step
     * @param lr    the current learning rate
     */
    protected abstract void update(Parameter p, Tensor grad, State state, double lr);

    /** True (the default) if the weight decay is L2, added to the gradient; {@link AdamW} applies its own. */
    protected boolean l2WeightDecay() {
        return true;
    }

    @Override
    public final void step(List<Parameter> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        // check everything before changing anything, so that a rejected call leaves values and state as they were
        int count = parameters.size();
        if (count > PAIRWISE_NAMES) {
            seen.clear();
        }
        for (int i = 0; i < count; i++) {
            Parameter p = parameters.get(i);
            if (count > PAIRWISE_NAMES ? !seen.add(p.name()) : nameBefore(parameters, i)) {
                throw new IllegalArgumentException(name + ": two parameters named " + p.name() + " in one step");
            }
            State s = states.get(p.name());
            if (s != null && (!s.shape.equals(p.value().shape()) || s.dtype != p.value().dtype())) {
                throw new IllegalStateException(name + ": parameter " + p.name() + " is now " + p.value().shape()
                        + " " + p.value().dtype() + " but its state was made for " + s.shape + " " + s.dtype
                        + "; give it a new name or call reset()");
            }
        }
        steps++;
        for (int i = 0; i < count; i++) {
            Parameter p = parameters.get(i);
            State s = stateOf(p);
            s.steps++;
            Tensor g = p.grad();
            if (l2WeightDecay() && weightDecay.appliesTo(p)) {
                Backend be = p.value().backend();
                if (s.decayedGrad == null) {
                    s.decayedGrad = be.zerosLike(p.value());
                }
                be.copy(g, s.decayedGrad);
                be.axpy(weightDecay.rate(), p.value(), s.decayedGrad);
                g = s.decayedGrad;
            }
            update(p, g, s, lr);
        }
    }

    /** True if a parameter before index {@code i} has the name of parameter {@code i}. */
    private static boolean nameBefore(List<Parameter> parameters, int i) {
        String n = parameters.get(i).name();
        for (int j = 0; j < i; j++) {
            if (parameters.get(j).name().equals(n)) {
                return true;
            }
        }
        return false;
    }

    private State stateOf(Parameter p) {
        Tensor value = p.value();
        State s = states.get(p.name());
        if (s == null) {
            Tensor[] tensors = new Tensor[stateTensors()];
            for (int i = 0; i < tensors.length; i++) {
                tensors[i] = value.backend().zerosLike(value);
            }
            s = new State(value.shape(), value.dtype(), tensors);
            states.put(p.name(), s);
            log.debug("{}: new state for {} {} {}", name, p.name(), value.shape(), value.dtype());
        }
        return s;
    }

    /** The provider name of this optimizer, e.g. {@code adam}. */
    public final String name() {
        return name;
    }

    @Override
    public final double learningRate() {
        return lr;
    }

    @Override
    public final void setLearningRate(double lr) {
        checkArgument(Double.isFinite(lr) && lr >= 0, "%s: learning rate lr=%s must be finite and >= 0", name, lr);
        checkLearningRate(lr);
        this.lr = lr;
    }

    /** A subclass's further check of a new learning rate; none by default. @throws IllegalArgumentException if rejected */
    protected void checkLearningRate(double lr) {
    }

    /** The weight decay. */
    public final WeightDecay weightDecay() {
        return weightDecay;
    }

    /** How many times {@link #step} has been called since construction or {@link #reset}. */
    public final long steps() {
        return steps;
    }

    /** The names that have state, in no particular order (a copy). */
    public final Set<String> stateNames() {
        return Set.copyOf(states.keySet());
    }

    /** Drops every parameter's state and sets the step count to 0; the learning rate is kept. */
    public void reset() {
        states.clear();
        steps = 0;
    }

    /** Every parameter's state tensors as {@code <name>/<i>}, sorted by key; live tensors, not copies. */
    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> m = new TreeMap<>();
        for (Map.Entry<String, State> e : states.entrySet()) {
            Tensor[] ts = e.getValue().tensors;
            for (int i = 0; i < ts.length; i++) {
                m.put(e.getKey() + "/" + i, ts[i]);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * {@code steps} (calls to {@link #step}) and {@code <name>/steps} for every parameter with state tensors, sorted.
     * (An optimizer without state tensors, such as {@link Sgd}, has only {@code steps}.)
     */
    @Override
    public Map<String, Long> stateCounters() {
        Map<String, Long> m = new TreeMap<>();
        m.put(STEPS, steps);
        for (Map.Entry<String, State> e : states.entrySet()) {
            if (e.getValue().tensors.length > 0) {
                m.put(e.getKey() + "/" + STEPS, e.getValue().steps);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Replaces all state with copies of {@code tensors} (keys {@code <name>/<i>}, every slot of a name present, all of
     * one shape and dtype) and the counts in {@code counters} ({@code steps}, and {@code <name>/steps} for exactly the
     * names in {@code tensors}). Checks everything first; on a failure nothing changes. The learning rate is kept.
     *
     * @throws IllegalArgumentException naming the first key that is malformed, missing, unexpected or inconsistent
     */
    @Override
    public void loadState(Map<String, Tensor> tensors, Map<String, Long> counters) {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(counters, "counters");
        int slots = stateTensors();
        Map<String, Tensor[]> byName = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String key = e.getKey();
            int cut = key.lastIndexOf('/');
            int slot = cut > 0 ? slotIndex(key.substring(cut + 1)) : -1;
            checkArgument(slot >= 0 && slot < slots, "%s: state key %s is not <parameter>/<slot> with a slot in [0, %s)",
                    name, key, slots);
            Tensor[] ts = byName.computeIfAbsent(key.substring(0, cut), k -> new Tensor[slots]);
            Tensor t = Objects.requireNonNull(e.getValue(), key);
            Tensor other = null;
            for (Tensor o : ts) {
                other = o != null ? o : other;
            }
            checkArgument(other == null || (other.shape().equals(t.shape()) && other.dtype() == t.dtype()),
                    "%s: state %s is %s %s but the other state of its parameter is %s %s", name, key, t.shape(),
                    t.dtype(), other == null ? null : other.shape(), other == null ? null : other.dtype());
            ts[slot] = t;
        }
        for (Map.Entry<String, Tensor[]> e : byName.entrySet()) {
            for (int i = 0; i < slots; i++) {
                checkArgument(e.getValue()[i] != null, "%s: state %s/%s is missing", name, e.getKey(), i);
            }
        }
        Long total = counters.get(STEPS);
        checkArgument(total != null && total >= 0, "%s: counter %s is missing or negative: %s", name, STEPS, total);
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            String key = e.getKey();
            if (key.equals(STEPS)) {
                continue;
            }
            checkArgument(key.endsWith("/" + STEPS), "%s: unknown counter %s", name, key);
            String p = key.substring(0, key.length() - STEPS.length() - 1);
            checkArgument(byName.containsKey(p), "%s: counter %s has no state tensors", name, key);
            checkArgument(e.getValue() != null && e.getValue() >= 0, "%s: counter %s is negative: %s", name, key,
                    e.getValue());
        }
        for (String p : byName.keySet()) {
            checkArgument(counters.containsKey(p + "/" + STEPS), "%s: counter %s/%s is missing", name, p, STEPS);
        }
        states.clear();
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            String key = e.getKey();
            if (key.equals(STEPS)) {
                continue;
            }
            String p = key.substring(0, key.length() - STEPS.length() - 1);
            Tensor[] src = byName.get(p);
            Tensor[] copies = new Tensor[slots];
            for (int i = 0; i < slots; i++) {
                Backend be = src[i].backend();
                copies[i] = be.zerosLike(src[i]);
                be.copy(src[i], copies[i]);
            }
            State s = new State(src[0].shape(), src[0].dtype(), copies);
            s.steps = e.getValue();
            states.put(p, s);
        }
        steps = total;
        log.debug("{}: state of {} parameters loaded, {} steps", name, states.size(), steps);
    }

    private static int slotIndex(String text) {
        if (text.isEmpty() || text.length() > 3) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(text);
    }

    @Override
    public String toString() {
        return name + "(lr=" + lr + ", weight_decay=" + weightDecay + hyperParameters() + ")";
    }

    /** The other hyper-parameters for {@link #toString}, each as {@code ", key=value"}; empty by default. */
    protected String hyperParameters() {
        return "";
    }
}
