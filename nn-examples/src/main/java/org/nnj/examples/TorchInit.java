package org.nnj.examples;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.nnj.api.Parameter;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.Network;

/**
 * PyTorch's default initialisation of {@code nn.Linear} and {@code nn.Conv2d} ({@code --init torch}): weights and
 * biases uniform in {@code ±1/√fan_in} (Kaiming-uniform with {@code a = √5}, i.e. std {@code 1/√(3·fan_in)}), where
 * fan_in is the input size of an affine layer and {@code C·KH·KW} of a convolution. The layer providers know only
 * {@code normal}, {@code he} and {@code xavier}, so the net is built with one of those and then redrawn here; other
 * parameters (batch norm's gamma and beta) are left as they are.
 */
final class TorchInit {
    /** The name of this initialisation on the command line. */
    static final String NAME = "torch";

    private TorchInit() {
    }

    /** Redraws every {@code *.W} of rank 2 {@code (in, out)} or 4 {@code (FN, C, KH, KW)} and its {@code *.b}. */
    static void apply(Network net, Random random) {
        Map<String, Double> bounds = new HashMap<>();
        for (Parameter p : net.parameters()) {
            Shape s = p.value().shape();
            if (p.name().endsWith(".W") && (s.rank() == 2 || s.rank() == 4)) {
                int fanIn = s.rank() == 2 ? s.dim(0) : s.dim(1) * s.dim(2) * s.dim(3);
                double bound = 1 / Math.sqrt(fanIn);
                bounds.put(p.name().substring(0, p.name().length() - 2), bound);
                fill(p.value(), bound, random);
            }
        }
        for (Parameter p : net.parameters()) {
            Double bound = p.name().endsWith(".b") ? bounds.get(p.name().substring(0, p.name().length() - 2)) : null;
            if (bound != null) {
                fill(p.value(), bound, random);
            }
        }
    }

    private static void fill(Tensor t, double bound, Random random) {
        for (int i = 0; i < t.size(); i++) {
            t.set(i, bound * (2 * random.nextDouble() - 1));
        }
    }
}
