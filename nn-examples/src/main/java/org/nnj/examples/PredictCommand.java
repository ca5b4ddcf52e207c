package org.nnj.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import org.nnj.api.Backend;
import org.nnj.api.DType;
import org.nnj.api.NnjException;
import org.nnj.api.Shape;
import org.nnj.api.Tensor;
import org.nnj.core.Network;
import org.nnj.core.Predictor;
import org.nnj.core.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code nnj predict --model DIR FILE...}: classifies images with a saved model, one line per image:
 * {@code FILE class=K K:p K:p K:p}, the top probabilities (softmax of the scores) highest first.
 *
 * <p>PNG and JPEG files (and anything else {@code javax.imageio} reads) are turned into MNIST-like samples as
 * {@link ImageInput} describes: luminance, inverted if dark on light, scaled to the network's input size; IDX image
 * files give one line per image, named {@code FILE[i]}. The network may take flat vectors ({@code (784)}: two-layer,
 * mlp) or one-channel images ({@code (1, 28, 28)}: cnn); a flat input of {@code n} values is taken as a square image.
 *
 * <p>Errors: a problem with the command line or the model (missing, corrupt) stops at once with one line on stderr and
 * exit code 2. A file that cannot be read (missing, not an image, corrupt, larger than {@value ImageInput#MAX_SIDE}
 * pixels on a side, an IDX file without images) is reported on stderr with one line naming it, and the remaining
 * files are still classified; the exit code is then 2. So is a file for which the network's outputs are not finite
 * (NaN or infinite, as with the overflowing weights of a diverged run): it has no class, and no line on stdout.
 * Runs headless.
 */
final class PredictCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(PredictCommand.class);
    private static final Set<String> OPTIONS = TrainCommand.union(ModelDir.OPTIONS, Set.of("top"));
    /** Images classified per forward pass (IDX files hold thousands). */
    static final int BATCH = 256;
    /** Pixel scale of the data sets: bytes 0–255 to [0, 1]. */
    private static final double PIXEL_SCALE = 1.0 / 255;

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String summary() {
        return "classify PNG, JPEG or IDX images with a saved model (one line per image)";
    }

    @Override
    public String usage() {
        return "usage: ./nnj predict --model DIR [--top N] FILE...\n\n"
                + "Classifies each image with the model saved in DIR (train --save DIR): one line per image,\n"
                + "  FILE class=K K:p K:p K:p\n"
                + "with the top probabilities, highest first. PNG or JPEG (grayscale or colour, any size): the\n"
                + "luminance, inverted if the border is light (dark ink on paper; MNIST is white on black), the\n"
                + "background level mapped to black, scaled to the network's input (28x28) by area averaging or\n"
                + "bilinearly. IDX image files (raw or .gz): every image, named FILE[i].\n"
                + "Images larger than " + ImageInput.MAX_SIDE + " x " + ImageInput.MAX_SIDE + " pixels are refused.\n"
                + "A file that cannot be read, or whose outputs are not finite (a model with overflowing weights), is\n"
                + "reported on stderr and skipped; the exit code is then 2.\n\n"
                + "  --model DIR      a model or checkpoint directory (required)\n"
                + "  --top N          probabilities to show, default 3\n"
                + "  --threads N      threads of the backend (default: all processors)\n"
                + "  --backend NAME   backend provider (default: the highest-ranked, e.g. cpu)\n";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        System.setProperty("java.awt.headless", "true");
        List<String> files = new ArrayList<>();
        Options o = Options.parse(name(), split(args, files), OPTIONS);
        if (files.isEmpty()) {
            throw new UsageException("no image files given; usage: ./nnj predict --model DIR FILE...");
        }
        Path dir = ModelDir.path(o);
        Registry registry = Registry.load(Main.class.getClassLoader());
        Backend backend = ModelDir.backend(registry, o);
        try {
            Network net = ModelDir.load(dir, registry, backend);
            Shape input = ModelDir.inputShape(net);
            int[] hw = imageSize(input);
            Shape output = net.outputShape(input);
            int classes = output.size();
            int top = o.getInt("top", Math.min(3, classes), 1, classes);
            Predictor predictor = Predictor.of(net, registry);
            DType dtype = net.spec().orElseThrow().dtype();
            ImageIO.setUseCache(false);
            int failed = 0;
            for (String file : files) {
                ImageInput.Images images;
                try {
                    images = ImageInput.read(Path.of(file), file, hw[0], hw[1]);
                } catch (NnjException | java.nio.file.InvalidPathException e) {
                    err.println("nnj predict: " + Main.oneLine(e));
                    failed++;
                    continue;
                }
                if (images.inverted()) {
                    LOG.debug("{}: dark on light, inverted", file);
                }
                int notFinite = classify(images, predictor, backend, dtype, input, top, out);
                if (notFinite > 0) {
                    int n = images.names().size();
                    err.println("nnj predict: " + file + ": the model's outputs for "
                            + (n == 1 ? "it" : notFinite + " of its " + n + " images") + " are not finite (NaN or "
                            + "infinite), so " + (n == 1 ? "it has" : "those have") + " no class; "
                            + ModelDir.whyNotFinite(dir, net));
                    failed++;
                }
            }
            if (failed > 0) {
                err.println("nnj predict: " + failed + " of " + files.size() + " files could not be classified");
                return ExitCode.BAD_INPUT;
            }
            return ExitCode.OK;
        } finally {
            Backends.close(backend);
        }
    }

    /** Separates the option words (and their values) from the file names. */
    private static String[] split(String[] args, List<String> files) {
        List<String> options = new ArrayList<>();
        boolean onlyFiles = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (onlyFiles || !a.startsWith("--")) {
                files.add(a);
            } else if (a.equals("--")) {
                onlyFiles = true;
            } else {
                options.add(a);
                if (!a.contains("=") && i + 1 < args.length) {
                    options.add(args[++i]);
                }
            }
        }
        return options.toArray(new String[0]);
    }

    /**
     * The image size a per-sample input shape holds: {@code (1, H, W)}, {@code (H, W)}, or {@code (n)} with {@code n}
     * a square.
     */
    static int[] imageSize(Shape input) {
        int[] d = input.dims();
        if (d.length == 3 && d[0] == 1) {
            return new int[] {d[1], d[2]};
        }
        if (d.length == 2) {
            return new int[] {d[0], d[1]};
        }
        if (d.length == 1) {
            int side = (int) Math.round(Math.sqrt(d[0]));
            if (side * side == d[0]) {
                return new int[] {side, side};
            }
        }
        throw new org.nnj.api.ShapeException("the model takes inputs " + input + "; predict classifies grayscale "
                + "images and needs (1, H, W), (H, W) or (n) with n a square such as 784");
    }

    /**
     * Prints a line for each image whose probabilities are all finite.
     *
     * @return the number of images whose probabilities are not (no line for them)
     */
    private static int classify(ImageInput.Images images, Predictor predictor, Backend backend, DType dtype,
                                Shape input, int top, PrintStream out) {
        int n = images.pixels().size();
        int notFinite = 0;
        int size = input.size();
        for (int from = 0; from < n; from += BATCH) {
            int count = Math.min(BATCH, n - from);
            byte[] bytes = new byte[count * size];
            int[] rows = new int[count];
            for (int r = 0; r < count; r++) {
                System.arraycopy(images.pixels().get(from + r), 0, bytes, r * size, size);
                rows[r] = r;
            }
            Tensor x = backend.zeros(dtype, input.withBatch(count));
            backend.gatherBytes(bytes, size, rows, 0, count, PIXEL_SCALE, x);
            Tensor probs = predictor.probabilities(x);
            int classes = probs.shape().dim(1);
            for (int r = 0; r < count; r++) {
                if (finite(probs, r, classes)) {
                    out.println(line(images.names().get(from + r), probs, r, classes, top));
                } else {
                    notFinite++;
                }
            }
        }
        return notFinite;
    }

    private static boolean finite(Tensor probs, int row, int classes) {
        for (int c = 0; c < classes; c++) {
            if (!Double.isFinite(probs.get(row * classes + c))) {
                return false;
            }
        }
        return true;
    }

    /** {@code NAME class=K K:p K:p ...}: the {@code top} most probable classes, highest first (lower class on ties). */
    static String line(String name, Tensor probs, int row, int classes, int top) {
        Integer[] order = new Integer[classes];
        for (int c = 0; c < classes; c++) {
            order[c] = c;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int byP = Double.compare(probs.get(row * classes + b), probs.get(row * classes + a));
            return byP != 0 ? byP : Integer.compare(a, b);
        });
        StringBuilder b = new StringBuilder(name).append(" class=").append(order[0]);
        for (int k = 0; k < top; k++) {
            b.append(String.format(Locale.ROOT, " %d:%.4f", order[k], probs.get(row * classes + order[k])));
        }
        return b.toString();
    }
}
