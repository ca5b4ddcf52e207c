package org.nnj.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nnj.api.Backend;
import org.nnj.api.DataFormatException;
import org.nnj.api.Loss;
import org.nnj.api.NnjException;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.api.data.DataSplit;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.nnj.core.cpu.CpuBackend;
import org.nnj.core.io.NetworkSpec;

/**
 * {@code train --spec FILE.json}: a network described in the JSON of {@code network.json} (see
 * {@link NetworkSpec}): the layers by provider name with their settings, in order, the loss, optionally the optimizer
 * and the training settings (epochs, batch size, seed, learning-rate schedule). A saved model's {@code network.json}
 * is a spec file too. Everything that can be checked without training is checked before training starts, and every
 * failure is one line naming the file.
 */
final class SpecFile {
    private SpecFile() {
    }

    /**
     * Reads and parses the file.
     *
     * @throws DataFormatException naming the file if it is missing, not JSON, of an unknown format version, or has an
     *     unknown or malformed key
     */
    static NetworkSpec read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException("--spec " + file + ": expected a network spec file (JSON), found "
                    + (Files.isDirectory(file) ? "a directory" : "nothing"));
        }
        return NetworkSpec.read(file);
    }

    /**
     * Builds the network of the spec, which checks every layer against the shape it receives.
     *
     * @throws DataFormatException naming the file and the layer (its position, name and provider) with the shape it
     *     receives, for an unknown layer provider, a layer that does not fit its input, a bad setting or weights that
     *     do not fit in the heap; or an unknown loss
     */
    static Network build(NetworkSpec spec, Path file, Registry registry, Backend backend, long seed) {
        try {
            return spec.build(registry, backend, seed);
        } catch (NnjException | IllegalArgumentException e) {
            throw new DataFormatException(file + ": " + Main.oneLine(e), e);
        }
    }

    /**
     * Checks that the data fits the network: the samples have the spec's input shape, and the network gives one score
     * per class.
     *
     * @throws DataFormatException naming the file and both shapes
     */
    static void checkFits(NetworkSpec spec, Network net, Path file, DataSplit train, String dataDescription) {
        if (!spec.inputShape().equals(train.sampleShape())) {
            throw new DataFormatException(file + ": \"input_shape\" " + spec.inputShape() + " does not fit the samples"
                    + " of " + dataDescription + ", which are " + train.sampleShape() + (train.sampleShape().rank() == 1
                    ? "" : " (write [" + train.sampleShape().size() + "] for flat vectors)"));
        }
        Shape out;
        try {
            out = net.outputShape(spec.inputShape());
        } catch (NnjException e) {
            throw new DataFormatException(file + ": " + Main.oneLine(e), e);
        }
        Shape want = Shape.of(train.numClasses());
        if (!out.equals(want)) {
            List<String> names = net.layers().names();
            String last = names.isEmpty() ? "the input" : "layer " + names.size() + " '" + names.get(names.size() - 1)
                    + "' (" + spec.layers().get(names.size() - 1).provider() + ")";
            throw new DataFormatException(file + ": " + last + " gives " + out + " per sample, but the loss needs "
                    + want + ": one score per class of " + dataDescription);
        }
        checkLossTakesClassIndices(spec, net, file, out, dataDescription);
    }

    /**
     * Checks that the spec's loss accepts what the trainer feeds it: scores {@code (n, out...)} and the data set's
     * class indices {@code (n)}, by running a new instance of the loss on one sample of zeros (class 0). A loss that
     * wants targets shaped like the scores (squared-error, sigmoid-binary-cross-entropy) would otherwise fail only
     * at the first batch.
     *
     * @throws DataFormatException naming the file, the loss, both shapes and what the loss expects
     */
    static void checkLossTakesClassIndices(NetworkSpec spec, Network net, Path file, Shape out,
                                           String dataDescription) {
        NetworkSpec.Component c = spec.loss();
        Registry registry = Registry.load(Main.class.getClassLoader());
        Loss loss;
        try {
            loss = registry.loss(c.provider(), c.settings());
        } catch (NnjException | IllegalArgumentException e) {
            throw new DataFormatException(file + ": loss " + c.provider() + ": " + Main.oneLine(e), e);
        }
        Backend backend = backendOf(net);
        CpuBackend own = backend == null ? new CpuBackend(1) : null;
        try {
            Backend be = backend != null ? backend : own;
            Tensor scores = be.zeros(spec.dtype(), out.withBatch(1));
            RuntimeException refused;
            try {
                loss.forward(scores, be.zeros(spec.dtype(), Shape.of(1)));
                return;
            } catch (NnjException | IllegalArgumentException e) {
                refused = e;
            }
            String shapes = out.rank() == 0 ? "(n)" : "(n, " + out.toString().substring(1);
            boolean likeScores;
            try {
                loss.forward(scores, be.zeros(spec.dtype(), out.withBatch(1)));
                likeScores = true;
            } catch (RuntimeException e) {
                likeScores = false;
            }
            String hint = registry.losses().contains("softmax-cross-entropy")
                    && !c.provider().trim().equalsIgnoreCase("softmax-cross-entropy")
                    ? "; for class labels use the loss softmax-cross-entropy" : "";
            if (likeScores) {
                throw new DataFormatException(file + ": loss " + c.provider() + " needs targets shaped like the "
                        + "scores " + shapes + ", but " + dataDescription + " gives class indices (n)" + hint);
            }
            throw new DataFormatException(file + ": loss " + c.provider() + " does not accept scores " + shapes
                    + " with the class indices (n) of " + dataDescription + ": " + Main.oneLine(refused) + hint,
                    refused);
        } finally {
            if (own != null) {
                own.close();
            }
        }
    }

    /** The backend of the network's tensors, or null if it has none (no parameters and no state). */
    private static Backend backendOf(Network net) {
        for (Parameter p : net.parameters()) {
            return p.value().backend();
        }
        for (Tensor t : net.state().values()) {
            return t.backend();
        }
        return null;
    }

    /**
     * True if the data must come as images ({@code (C, H, W)}) rather than flat vectors: for an input shape of more
     * than one dimension.
     */
    static boolean wantsImages(NetworkSpec spec) {
        return spec.inputShape().rank() > 1;
    }

    /** {@code (784) affine 50, relu, affine 10; softmax-cross-entropy}: the providers with their main setting. */
    static String describe(NetworkSpec spec) {
        List<String> parts = new ArrayList<>();
        for (NetworkSpec.LayerSpec l : spec.layers()) {
            String main = l.settings().has("units") ? " " + l.settings().getString("units", "")
                    : l.settings().has("filters") ? " " + l.settings().getString("filters", "") + "x"
                            + window(l.settings().getString("kernel", "?"))
                    : l.settings().has("rate") ? " " + l.settings().getString("rate", "") : "";
            parts.add(l.provider() + main);
        }
        return spec.inputShape() + " " + String.join(", ", parts) + "; " + spec.loss().provider();
    }

    /** A kernel setting as height x width: {@code 5} is {@code 5x5}, {@code 3x5} stays {@code 3x5}. */
    private static String window(String kernel) {
        String k = kernel.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        return k.contains("x") ? k : k + "x" + k;
    }
}
