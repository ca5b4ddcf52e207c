package org.nnj.core;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnj.api.Layer;
import org.nnj.api.Mode;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;

/**
 * The ordered, named sequence of layers (the book's {@code OrderedDict}): walked forwards in insertion order and
 * backwards in reverse. Layers are looked up by name ({@code Affine1}); their parameters are reachable under
 * qualified names ({@code Affine1.W}).
 *
 * <p>Not thread-safe. Stability: stable.
 */
public final class Sequential implements Layer {
    private final LinkedHashMap<String, Layer> layers = new LinkedHashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private List<Layer> reversed = List.of();
    /** The layers and their names in order, as arrays: a forward pass walks them without an iterator. */
    private Layer[] ordered = new Layer[0];
    private String[] orderedNames = new String[0];
    private List<Parameter> parameters = List.of();

    /**
     * Appends {@code layer} under an explicit name.
     *
     * @throws IllegalArgumentException if the name is empty, contains a dot, or is taken
     */
    public Sequential add(String name, Layer layer) {
        checkNotNull(layer, "layer");
        checkArgument(name != null && !name.isEmpty() && name.indexOf('.') < 0,
                "layer name '%s' must be non-empty and contain no dot", name);
        checkArgument(!layers.containsKey(name), "a layer named %s is already in the sequence %s", name,
                layers.keySet());
        layers.put(name, layer);
        ordered = layers.values().toArray(new Layer[0]);
        orderedNames = layers.keySet().toArray(new String[0]);
        List<Layer> r = new ArrayList<>(layers.values());
        Collections.reverse(r);
        reversed = List.copyOf(r);
        ImmutableList.Builder<Parameter> ps = ImmutableList.builder();
        for (Map.Entry<String, Layer> e : layers.entrySet()) {
            for (Parameter p : e.getValue().parameters()) {
                ps.add(p.withName(e.getKey() + "." + p.name()));
            }
        }
        parameters = ps.build();
        return this;
    }

    /**
     * Appends {@code layer} under its type's name and a counter per type, as the book names them: {@code Affine1},
     * {@code Relu1}, {@code Affine2}.
     */
    public Sequential add(Layer layer) {
        return add(autoName(layer.getClass().getSimpleName()), layer);
    }

    /** The next free name {@code <Base><k>} for a type, e.g. {@code Affine2}; {@code base} is capitalised. */
    String autoName(String base) {
        String b = base.isEmpty() ? "Layer" : Character.toUpperCase(base.charAt(0)) + base.substring(1);
        String name;
        do {
            int k = counters.merge(b, 1, Integer::sum);
            name = b + k;
        } while (layers.containsKey(name));
        return name;
    }

    /**
     * The layer called {@code name}.
     *
     * @throws IllegalArgumentException listing the names if there is none
     */
    public Layer layer(String name) {
        Layer l = layers.get(name);
        checkArgument(l != null, "no layer named %s; the layers are %s", name, layers.keySet());
        return l;
    }

    /** The layer names in order. */
    public List<String> names() {
        return List.copyOf(layers.keySet());
    }

    /** The layers in order, keyed by name (unmodifiable). */
    public Map<String, Layer> layers() {
        return Collections.unmodifiableMap(layers);
    }

    /** Number of layers. */
    public int size() {
        return layers.size();
    }

    /** Runs every layer in order; a {@link ShapeException} is re-thrown with the failing layer's name in front. */
    @Override
    public Tensor forward(Tensor x, Mode mode) {
        Tensor out = x;
        for (int i = 0; i < ordered.length; i++) {
            try {
                out = ordered[i].forward(out, mode);
            } catch (ShapeException ex) {
                throw named(orderedNames[i], ex);
            }
        }
        return out;
    }

    private static ShapeException named(String layer, ShapeException ex) {
        String m = ex.getMessage();
        return m != null && m.startsWith(layer + ":") ? ex : new ShapeException(layer + ": " + m);
    }

    @Override
    public Tensor backward(Tensor dout) {
        Tensor d = dout;
        for (Layer l : reversed) {
            d = l.backward(d);
        }
        return d;
    }

    /**
     * Backward through every layer, asking the first layer only for its parameter gradients: the gradient with
     * respect to the network's input is never needed in training.
     */
    @Override
    public void backwardParameters(Tensor dout) {
        Tensor d = dout;
        int last = reversed.size() - 1;
        for (int i = 0; i < last; i++) {
            d = reversed.get(i).backward(d);
        }
        if (last >= 0) {
            reversed.get(last).backwardParameters(d);
        }
    }

    /** Every parameter under its qualified name ({@code Affine1.W}), in layer order. */
    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * The parameter with qualified name {@code qualifiedName}, e.g. {@code Affine1.W}.
     *
     * @throws IllegalArgumentException listing the names if there is none
     */
    public Parameter parameter(String qualifiedName) {
        for (Parameter p : parameters) {
            if (p.name().equals(qualifiedName)) {
                return p;
            }
        }
        List<String> names = new ArrayList<>();
        parameters.forEach(p -> names.add(p.name()));
        throw new IllegalArgumentException("no parameter named " + qualifiedName + "; the parameters are " + names);
    }

    /**
     * Every layer's {@link Layer#state() state} under qualified names ({@code BatchNorm1.running_mean}), in layer
     * order: live tensors, not copies.
     */
    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Map.Entry<String, Layer> e : layers.entrySet()) {
            for (Map.Entry<String, Tensor> s : e.getValue().state().entrySet()) {
                m.put(e.getKey() + "." + s.getKey(), s.getValue());
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** Sets every parameter's gradient to zero. */
    public void zeroGrad() {
        for (int i = 0; i < parameters.size(); i++) {
            parameters.get(i).zeroGrad();
        }
    }

    /** Threads the per-sample shape through every layer; a layer that does not fit throws naming itself. */
    @Override
    public Shape outputShape(Shape inputShape) {
        Shape s = inputShape;
        for (Map.Entry<String, Layer> e : layers.entrySet()) {
            try {
                s = e.getValue().outputShape(s);
            } catch (ShapeException ex) {
                throw named(e.getKey(), ex);
            }
        }
        return s;
    }

    @Override
    public String toString() {
        return "Sequential" + layers.keySet();
    }
}
