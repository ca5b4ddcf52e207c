package org.nnj.core;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nnj.api.DType;
import org.nnj.api.Layer;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.Tensor;
import org.nnj.core.io.NetworkSpec;

/**
 * A network's layers at a glance (Keras' {@code model.summary()}): each layer's name, type, per-sample output shape
 * and number of parameters, with totals. {@link #toString()} renders the table:
 *
 * <pre>
 * layer     type     output shape  parameters
 * (input)            (784)
 * Affine1   affine   (50)              39,250
 * Relu1     relu     (50)                   0
 * Affine2   affine   (10)                 510
 * loss      softmax-cross-entropy
 * total parameters: 39,760 (155.3 KiB as float32)
 * </pre>
 *
 * <p>Parameters are the trainable tensors ({@link Network#parameters()}); state counts the saved non-trainable tensors
 * such as BatchNorm's running statistics ({@link Network#state()}). The type is the layer's provider name when the
 * network has a spec, else its class name. Immutable. Stability: evolving.
 *
 * @param inputShape the per-sample input shape, or null if unknown (the output shapes are then unknown too)
 * @param dtype      the dtype of the parameters, or null for a network without any
 * @param layers     one row per layer, in order
 * @param loss       the loss: its provider name, or its class name
 */
public record Summary(Shape inputShape, DType dtype, List<Row> layers, String loss) {

    /**
     * One layer.
     *
     * @param name        the layer's name in the network ({@code Affine1})
     * @param type        its provider name ({@code affine}) or class name
     * @param outputShape its per-sample output shape, or null if the input shape is unknown
     * @param parameters  the number of trainable values
     * @param state       the number of saved non-trainable values
     */
    public record Row(String name, String type, Shape outputShape, long parameters, long state) {
        /** Checks the name and type are present. */
        public Row {
            checkNotNull(name, "name");
            checkNotNull(type, "type");
        }
    }

    /** Copies the rows. */
    public Summary {
        layers = List.copyOf(layers);
        checkNotNull(loss, "loss");
    }

    /**
     * The summary of {@code network}, with output shapes for the input shape of its spec (unknown without a spec).
     */
    public static Summary of(Network network) {
        return of(network, network.spec().map(NetworkSpec::inputShape).orElse(null));
    }

    /**
     * The summary of {@code network} for per-sample inputs of shape {@code inputShape} (null: output shapes unknown).
     *
     * @throws org.nnj.api.ShapeException naming the layer if the input shape does not fit the network
     */
    public static Summary of(Network network, Shape inputShape) {
        checkNotNull(network, "network");
        NetworkSpec spec = network.spec().orElse(null);
        Sequential seq = network.layers();
        List<String> names = seq.names();
        boolean typed = spec != null && spec.layers().size() == names.size();
        List<Row> rows = new ArrayList<>();
        Shape shape = inputShape;
        int i = 0;
        for (Map.Entry<String, Layer> e : seq.layers().entrySet()) {
            Layer layer = e.getValue();
            if (shape != null) {
                shape = outputShape(e.getKey(), layer, shape);
            }
            long params = 0;
            for (Parameter p : layer.parameters()) {
                params += p.value().size();
            }
            long state = 0;
            for (Tensor t : layer.state().values()) {
                state += t.size();
            }
            String type = typed ? spec.layers().get(i).provider() : typeName(layer.getClass());
            rows.add(new Row(e.getKey(), type, shape, params, state));
            i++;
        }
        String loss = spec != null ? spec.loss().provider() : typeName(network.lossFunction().getClass());
        DType dtype = spec != null ? spec.dtype()
                : network.parameters().isEmpty() ? null : network.parameters().get(0).value().dtype();
        return new Summary(inputShape, dtype, rows, loss);
    }

    private static Shape outputShape(String name, Layer layer, Shape in) {
        try {
            return layer.outputShape(in);
        } catch (ShapeException e) {
            String m = String.valueOf(e.getMessage());
            throw m.startsWith(name + ":") ? e : new ShapeException(name + ": " + m);
        }
    }

    private static String typeName(Class<?> c) {
        String s = c.getSimpleName();
        return s.isEmpty() ? c.getName() : s;
    }

    /** The number of trainable values, summed over the layers. */
    public long totalParameters() {
        return layers.stream().mapToLong(Row::parameters).sum();
    }

    /** The number of saved non-trainable values (running statistics), summed over the layers. */
    public long totalState() {
        return layers.stream().mapToLong(Row::state).sum();
    }

    /** The per-sample output shape of the last layer, or null if unknown. */
    public Shape outputShape() {
        return layers.isEmpty() ? inputShape : layers.get(layers.size() - 1).outputShape();
    }

    /** The table shown in the class comment: a header, one line per layer, the loss and the totals. */
    @Override
    public String toString() {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"layer", "type", "output shape", "parameters"});
        cells.add(new String[] {"(input)", "", text(inputShape), ""});
        boolean anyState = totalState() > 0;
        for (Row r : layers) {
            String p = String.format(Locale.ROOT, "%,d", r.parameters());
            if (anyState && r.state() > 0) {
                p += String.format(Locale.ROOT, " + %,d state", r.state());
            }
            cells.add(new String[] {r.name(), r.type(), text(r.outputShape()), p});
        }
        int[] width = new int[4];
        for (String[] row : cells) {
            for (int c = 0; c < 4; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : cells) {
            String line = pad(row[0], width[0]) + "  " + pad(row[1], width[1]) + "  " + pad(row[2], width[2]) + "  "
                    + " ".repeat(width[3] - row[3].length()) + row[3];
            b.append(line.stripTrailing()).append('\n');
        }
        b.append(pad("loss", width[0])).append("  ").append(loss).append('\n');
        b.append(String.format(Locale.ROOT, "total parameters: %,d", totalParameters()));
        if (totalState() > 0) {
            b.append(String.format(Locale.ROOT, " + %,d non-trainable state values", totalState()));
        }
        if (dtype != null) {
            b.append(" (").append(size((totalParameters() + totalState()) * dtype.byteSize())).append(" as ")
                    .append(dtype.label()).append(')');
        }
        return b.append('\n').toString();
    }

    private static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    private static String text(Shape s) {
        return s == null ? "?" : s.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
