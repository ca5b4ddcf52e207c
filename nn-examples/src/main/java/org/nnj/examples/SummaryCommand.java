package org.nnj.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.DataFormatException;
import org.nnj.api.Shape;
import org.nnj.core.Network;
import org.nnj.core.Registry;
import org.nnj.core.io.ModelStore;
import org.nnj.core.io.NetworkSpec;

/**
 * {@code nnj summary}: the table of {@link org.nnj.core.Summary} (layers, types, output shapes, parameter counts,
 * totals) for a saved model ({@code --model DIR}), one of the built-in nets ({@code --model two-layer|mlp|cnn} with
 * train's model options, for MNIST-sized input) or a network spec file ({@code --spec FILE}, the JSON of
 * {@code network.json}).
 */
final class SummaryCommand implements Command {
    private static final Set<String> OPTIONS = TrainCommand.union(ModelDir.OPTIONS, ModelSpec.OPTIONS,
            Set.of("spec", "dtype"));
    /** MNIST's image: the input of the built-in nets. */
    static final Shape IMAGE = Shape.of(1, 28, 28);
    /** MNIST's classes. */
    static final int CLASSES = 10;

    @Override
    public String name() {
        return "summary";
    }

    @Override
    public String summary() {
        return "a table of a model's layers, output shapes and parameter counts";
    }

    @Override
    public String usage() {
        return "usage: ./nnj summary --model DIR | --model two-layer|mlp|cnn [model options] | --spec FILE\n\n"
                + "Prints each layer's name, type (provider), per-sample output shape and parameter count, then the\n"
                + "loss and the total number of parameters.\n\n"
                + "  --model DIR          a model or checkpoint directory (train --save DIR); a directory wins over\n"
                + "                       a built-in name\n"
                + "  --model NAME         two-layer | mlp | cnn, as train builds it for 28x28 images and 10 classes;\n"
                + "                       train's model options apply (--hidden, --activation, --batchnorm,\n"
                + "                       --dropout, --filters, --init, --weight-std)\n"
                + "  --spec FILE          a network spec (the JSON format of network.json)\n"
                + "  --dtype T            built-in nets: float32 (default) | float64\n";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        Options o = Options.parse(name(), args, OPTIONS, ModelSpec.FLAGS);
        Registry registry = Registry.load(Main.class.getClassLoader());
        if (o.has("spec") == o.has("model")) {
            throw new UsageException("give either --model DIR|two-layer|mlp|cnn or --spec FILE");
        }
        String model = o.get("model", "");
        boolean saved = o.has("model") && Files.isDirectory(Path.of(model));
        boolean builtIn = o.has("model") && !saved
                && ModelSpec.MODELS.contains(model.trim().toLowerCase(Locale.ROOT));
        if (!builtIn) {
            for (String option : TrainCommand.union(ModelSpec.OPTIONS, ModelSpec.FLAGS, Set.of("dtype"))) {
                if (!option.equals("model") && o.has(option)) {
                    throw new UsageException("option --" + option + " applies to the built-in nets (--model "
                            + String.join("|", ModelSpec.MODELS) + ") only");
                }
            }
        }
        Backend backend = ModelDir.backend(registry, o);
        try {
            Network net;
            String what;
            if (o.has("spec")) {
                Path file = Path.of(o.get("spec", ""));
                NetworkSpec spec = SpecFile.read(file);
                net = SpecFile.build(spec, file, registry, backend, 0);
                what = file.toString();
            } else if (builtIn) {
                ModelSpec spec = ModelSpec.parse(o, ModelSpec.Purpose.TRAIN);
                DType dtype = parseDType(o.get("dtype", "float32"));
                Shape input = spec.needsImages() ? IMAGE : Shape.of(IMAGE.size());
                net = spec.build(registry, backend, dtype, input, CLASSES, 0);
                what = spec.describe(input, CLASSES);
            } else if (saved) {
                net = ModelStore.load(ModelDir.path(o), registry, backend);
                what = model;
            } else {
                throw new DataFormatException("--model " + model + ": expected a model directory (written by "
                        + "train --save) or one of " + String.join(", ", ModelSpec.MODELS) + ", found "
                        + (Files.exists(Path.of(model)) ? "a file" : "neither"));
            }
            out.println(what);
            out.print(net.summary());
            return ExitCode.OK;
        } finally {
            Backends.close(backend);
        }
    }

    private static DType parseDType(String text) {
        try {
            return DType.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("option --dtype: expected float32 or float64, found '" + text + "'");
        }
    }
}
