package org.nnj.optim;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * <p>Stability: evolving.
 */
public abstract class AbstractOptimizer implements Optimizer, HasLearningRate {
    private static final Logger log = LoggerFactory.getLogger(AbstractOptimizer.class);
    private final String name;
    private final WeightDecay weightDecay;
    private final Map<String, State> states = new HashMap<>();
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
        seen.clear();
        for (Parameter p : parameters) {
            if (!seen.add(p.name())) {
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
        for (Parameter p : parameters) {
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

    @Override
    public String toString() {
        return name + "(lr=" + lr + ", weight_decay=" + weightDecay + hyperParameters() + ")";
    }

    /** The other hyper-parameters for {@link #toString}, each as {@code ", key=value"}; empty by default. */
    protected String hyperParameters() {
        return "";
    }
}
