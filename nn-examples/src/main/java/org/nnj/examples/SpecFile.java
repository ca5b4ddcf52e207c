package org.nnj.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nnj.api.Backend;
import org.nnj.api.DataFormatException;
import org.nnj.api.NnjException;
import org.nnj.api.Shape;
import org.nnj.api.ShapeException;
import org.nnj.api.UnknownProviderException;
import org.nnj.api.data.DataSplit;
import org.nnj.core.Network;
import org.nnj.core.Registry;
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
     *     receives, for an unknown layer provider, a layer that does not fit its input or a bad setting; or an unknown
     *     loss
     */
    static Network build(NetworkSpec spec, Path file, Registry registry, Backend backend, long seed) {
        try {
            return spec.build(registry, backend, seed);
        } catch (UnknownProviderException | ShapeException | IllegalArgumentException e) {
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
                            + l.settings().getString("kernel", "?") + "x" + l.settings().getString("kernel", "?")
                    : l.settings().has("rate") ? " " + l.settings().getString("rate", "") : "";
            parts.add(l.provider() + main);
        }
        return spec.inputShape() + " " + String.join(", ", parts) + "; " + spec.loss().provider();
    }
}
